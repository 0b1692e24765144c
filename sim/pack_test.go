package sim_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestPackRoundTrip packs every thread of random worlds under every preset
// after every step: unpacking must give the thread back field for field,
// and a world whose threads are replaced by their unpacked copies after
// every step must answer every later operation as the world that kept them.
// Each copy is unpacked into the thread it replaced the step before, as
// an engine reuses a thread it has just packed.
func TestPackRoundTrip(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 100
	}
	names := sim.PresetNames()
	var texts sim.Texts
	var buf []byte
	spare := new(sim.Thread)
	largest := 0 // packed bytes of a direct thread with one message and no event
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 2))
		pw := simtest.NewWorld(rng, 6+rng.IntN(6), 0.4, 3)
		p, _ := sim.Preset(names[seed%len(names)])
		kept := sim.NewWorld(p, pw.Users, pw.ConnsOf)
		packed := sim.NewWorld(p, pw.Users, pw.ConnsOf)
		for i, op := range pw.Ops(rng, 60) {
			if a, b := kept.Apply(op), packed.Apply(op); a != b {
				t.Fatalf("seed %d step %d %+v: %s with threads kept, %s with threads unpacked", seed, i, op, a, b)
			}
			for id, th := range packed.Threads {
				th.Compact() // as an engine passivates it; Unpack gives no spare capacity or empty parts
				buf = th.Pack(buf[:0], &texts)
				got := spare
				if err := got.Unpack(id, buf, &texts); err != nil {
					t.Fatalf("seed %d step %d: %v", seed, i, err)
				}
				if !reflect.DeepEqual(got, th) {
					t.Fatalf("seed %d step %d thread %v: unpacked\n%+v\nwant\n%+v", seed, i, id, got, th)
				}
				if !id.IsGroup() && len(th.Messages()) == 1 && len(th.Log()) == 0 {
					largest = max(largest, len(buf))
				}
				packed.Threads[id], spare = got, th
			}
		}
		if kept.Digest() != packed.Digest() {
			t.Fatalf("seed %d: digests differ", seed)
		}
	}
	// The figure Pack's doc gives: a direct thread with one message and
	// nothing else in about 15 bytes with a day-long run's keys and times
	// (these small worlds' are shorter), never over 20.
	t.Logf("a direct thread with one message and no event packs into at most %d bytes", largest)
	if largest == 0 || largest > 20 {
		t.Errorf("a direct thread with one message packs into at most %d bytes, want 1-20", largest)
	}
}

// TestUnpackRejects checks that bad encodings are errors, never panics
// or threads.
func TestUnpackRejects(t *testing.T) {
	var texts sim.Texts
	th := sim.NewThread(sim.Direct(1, 2), sim.PairState{Connected: true})
	w := sim.WorldOn(&sim.State{Policy: sim.Linkedin(), Users: make([]sim.User, 3), Threads: map[sim.ThreadID]*sim.Thread{th.ID: th}})
	w.Users[1].ID, w.Users[2].ID = 1, 2
	if o := w.Apply(sim.Op{Action: sim.Send, User: 1, Target: 2, Msg: 7, Text: "hi", At: 5}); o != sim.OK {
		t.Fatalf("send: %s", o)
	}
	good := th.Pack(nil, &texts)
	if _, err := sim.Unpack(th.ID, good, &texts); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":             nil,
		"truncated":         good[:len(good)-1],
		"trailing bytes":    append(slices.Clone(good), 0),
		"too many messages": append([]byte{good[0] | 0xf0, 0xff, 0x7f}, good[1:]...),
		"unknown text":      bytes.Replace(slices.Clone(good), []byte{1, 1, 0}, []byte{9, 1, 0}, 1),
	}
	for name, b := range cases {
		if _, err := sim.Unpack(th.ID, b, &texts); !errors.Is(err, sim.ErrPacked) {
			t.Errorf("%s: %x unpacked with error %v, want ErrPacked", name, b, err)
		}
	}
	// A group thread cannot be a plain pair.
	if _, err := sim.Unpack(sim.Group(1), good, &texts); !errors.Is(err, sim.ErrPacked) {
		t.Errorf("group from a direct thread's bytes: error %v, want ErrPacked", err)
	}
}

// FuzzUnpack requires Unpack never to panic, and whatever it accepts to
// pack back to bytes that unpack to the same thread.
func FuzzUnpack(f *testing.F) {
	var texts sim.Texts
	rng := rand.New(rand.NewPCG(1, 2))
	pw := simtest.NewWorld(rng, 8, 0.4, 3)
	w := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
	for _, op := range pw.Ops(rng, 200) {
		w.Apply(op)
	}
	for id, th := range w.Threads {
		f.Add(uint64(id), th.Pack(nil, &texts))
	}
	f.Fuzz(func(t *testing.T, id uint64, b []byte) {
		th, err := sim.Unpack(sim.ThreadID(id), b, &texts)
		if err != nil {
			return
		}
		again, err := sim.Unpack(th.ID, th.Pack(nil, &texts), &texts)
		if err != nil || !reflect.DeepEqual(again, th) {
			t.Fatalf("%x: unpacked %+v, packed again %+v (%v)", b, th, again, err)
		}
	})
}
