package actors

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestShardPacking stores a random world's threads in one registry shard
// and activates and passivates them round after round, some kept live
// across rounds, until the arena has been compacted several times: every
// thread must come back field for field, a live one from its slot, and
// the arena must stay within twice what its threads pack into.
func TestShardPacking(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pw := simtest.NewSparse(rng, 120, 12, 8)
	w := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
	for _, op := range pw.Ops(rng, 20000) {
		w.Apply(op)
	}
	for u := range sim.UserID(4) { // a few threads too long to pack
		for i := range packMessages + 1 {
			w.Apply(sim.Op{Action: sim.Send, User: u, Target: pw.ConnsOf(u)[0], Msg: 1<<40 + sim.MsgKey(u)<<8 + sim.MsgKey(i), Text: "long", At: sim.Time(i)})
		}
	}
	var s shard
	s.live, s.big = make(map[sim.ThreadID]*slot), make(map[sim.ThreadID]*sim.Thread)
	var texts sim.Texts
	ids := make([]sim.ThreadID, 0, len(w.Threads))
	big := 0
	for id, th := range w.Threads {
		th.Compact()
		c := new(sim.Thread) // the shard reuses what it stores
		if err := c.Unpack(id, th.Pack(nil, &texts), &texts); err != nil {
			t.Fatal(err)
		}
		s.store(c)
		ids = append(ids, id)
		if !packable(th) {
			big++
		}
	}
	if big == 0 || big == len(ids) {
		t.Fatalf("%d of %d threads too large to pack; want some of each", big, len(ids))
	}
	check := func(round int) {
		t.Helper()
		got := map[sim.ThreadID]*sim.Thread{}
		for _, id := range s.ids(nil) {
			got[id] = s.peek(id, new(sim.Thread))
		}
		if len(got) != len(w.Threads) {
			t.Fatalf("round %d: %d threads, want %d", round, len(got), len(w.Threads))
		}
		for id, want := range w.Threads {
			if !reflect.DeepEqual(got[id], want) {
				t.Fatalf("round %d: thread %v is\n%+v\nwant\n%+v", round, id, got[id], want)
			}
		}
	}
	check(0)
	compactions, kept := 0, map[sim.ThreadID]*slot{}
	for round := 1; round <= 12; round++ {
		for _, id := range ids {
			if sl := kept[id]; sl != nil {
				s.passivate(sl, true)
				delete(kept, id)
				continue
			}
			th := s.load(id)
			if th == nil {
				t.Fatalf("round %d: thread %v lost", round, id)
			}
			sl := s.activate(th)
			if rng.IntN(10) == 0 {
				kept[id] = sl // live into the next round, across compactions
				continue
			}
			before := s.arena.waste
			s.passivate(sl, true)
			if s.arena.waste < before {
				compactions++
			}
		}
		check(round)
	}
	if compactions < 3 {
		t.Errorf("%d compactions in 12 rounds, want at least 3", compactions)
	}
	used := 0
	s.m.each(func(_ sim.ThreadID, w where) where {
		if w.kind() == packed {
			used += len(s.packedAt(0, w)) + 1
		}
		return w
	})
	if s.arena.size() > 2*used+blockSize {
		t.Errorf("arena %d bytes for %d bytes of packed threads", s.arena.size(), used)
	}
}
