package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestPropertyInvariants applies random operation streams to the reference
// model under every preset and requires every invariant to hold after
// every step.
func TestPropertyInvariants(t *testing.T) {
	seeds := 2000
	if testing.Short() {
		seeds = 200
	}
	names := sim.PresetNames()
	outcomes := map[sim.Outcome]int{}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		pw := simtest.NewWorld(rng, 6+rng.IntN(6), 0.4, 3)
		p, _ := sim.Preset(names[seed%len(names)])
		x, _ := sim.DesignExpect(p.Name)
		if seed%7 == 0 {
			p.BlockHidesHistory, p.UnblockReconnects, p.NotifyOnDelete, p.BlockMutual = true, true, true, false
			x.BlockHidesHistory, x.UnblockReconnects, x.NotifyOnDelete, x.BlockMutual = true, true, true, false
		}
		w := sim.NewWorld(p, pw.Users, pw.ConnsOf)
		for i, op := range pw.Ops(rng, 60) {
			outcomes[w.Apply(op)]++
			if _, vs := w.Check(sim.Uniform(x)); len(vs) > 0 {
				t.Fatalf("seed %d policy %s step %d %+v: %v", seed, p.Name, i, op, vs)
			}
			initialPairs(t, w, pw)
		}
	}
	for _, o := range sim.Outcomes() {
		// Worlds this small cannot fill a group of 50; rules_test covers it.
		if outcomes[o] == 0 && o != sim.GroupFull {
			t.Errorf("outcome %s never occurred in %d streams: the generator misses a case", o, seeds)
		}
	}
}

// initialPairs requires every pair without a direct thread to be in the
// state sim.InitialPair gives it, as the engine creates such threads from
// it without asking the users.
func initialPairs(t *testing.T, w *sim.World, pw *simtest.World) {
	t.Helper()
	for a := range sim.UserID(pw.Users) {
		for b := a + 1; b < sim.UserID(pw.Users); b++ {
			id := sim.Direct(a, b)
			if w.Threads[id] != nil {
				continue
			}
			want := sim.InitialPair(id, pw.ConnsOf(a))
			ua, ub := &w.Users[a], &w.Users[b]
			if ua.Connected(b) != want.Connected || ub.Connected(a) != want.Connected || ua.Blocks(b) || ub.Blocks(a) {
				t.Fatalf("pair %d-%d without a thread: connected %v/%v, blocks %v/%v; initial pair %+v",
					a, b, ua.Connected(b), ub.Connected(a), ua.Blocks(b), ub.Blocks(a), want)
			}
		}
	}
}

// TestDigestDeterministic shows the same stream gives the same digest and
// a different stream a different one.
func TestDigestDeterministic(t *testing.T) {
	run := func(seed uint64) uint64 {
		rng := rand.New(rand.NewPCG(seed, 1))
		pw := simtest.NewWorld(rng, 20, 0.3, 4)
		w := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
		for _, op := range pw.Ops(rng, 500) {
			w.Apply(op)
		}
		return w.Digest()
	}
	if a, b := run(1), run(1); a != b {
		t.Fatalf("same seed, digests %x and %x", a, b)
	}
	if a, b := run(1), run(2); a == b {
		t.Fatalf("different seeds, same digest %x", a)
	}
}
