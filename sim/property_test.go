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
		if seed%7 == 0 {
			p.BlockHidesHistory, p.UnblockReconnects, p.NotifyOnDelete, p.BlockMutual = true, true, true, false
		}
		w := sim.NewWorld(p, pw.Users, pw.ConnsOf)
		for i, op := range pw.Ops(rng, 60) {
			outcomes[w.Apply(op)]++
			if _, vs := w.Check(); len(vs) > 0 {
				t.Fatalf("seed %d policy %s step %d %+v: %v", seed, p.Name, i, op, vs)
			}
		}
	}
	for _, o := range sim.Outcomes() {
		// Worlds this small cannot fill a group of 50; rules_test covers it.
		if outcomes[o] == 0 && o != sim.GroupFull {
			t.Errorf("outcome %s never occurred in %d streams: the generator misses a case", o, seeds)
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
