package sim_test

import (
	"iter"
	"math/rand/v2"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestDigestInParts: a population digested range by range, users first
// and then threads, each range continuing the hash of the one before (as
// a cluster's members digest their shards), gives Digest's value, and a
// range left out or taken in another order does not.
func TestDigestInParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 1))
	pw := simtest.NewWorld(rng, 60, 0.2, 6)
	w := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
	for _, op := range pw.Ops(rng, 3000) {
		w.Apply(op)
	}
	want := w.Digest()
	var threads []*sim.Thread
	for th := range w.AllThreads() {
		threads = append(threads, th)
	}
	seq := func(ts []*sim.Thread) iter.Seq[*sim.Thread] {
		return func(yield func(*sim.Thread) bool) {
			for _, th := range ts {
				if !yield(th) {
					return
				}
			}
		}
	}
	inParts := func(userCuts, threadCuts []int) uint64 {
		h := uint64(0)
		for i := 0; i+1 < len(userCuts); i++ {
			h = sim.DigestUsers(h, w.Users[userCuts[i]:userCuts[i+1]])
		}
		for i := 0; i+1 < len(threadCuts); i++ {
			h = w.DigestThreads(h, seq(threads[threadCuts[i]:threadCuts[i+1]]))
		}
		return h
	}
	n, m := len(w.Users), len(threads)
	if got := inParts([]int{0, 7, 7, 30, n}, []int{0, 1, m / 2, m}); got != want {
		t.Fatalf("digest in parts %016x, want %016x", got, want)
	}
	if got := inParts([]int{0, 7, n}, []int{0, m / 2}); got == want {
		t.Fatalf("digest without the last threads %016x equals the whole's", got)
	}
	swapped := append(append([]*sim.Thread{}, threads[m/2:]...), threads[:m/2]...)
	if got := w.DigestThreads(sim.DigestUsers(0, w.Users), seq(swapped)); got == want {
		t.Fatalf("digest of threads out of order %016x equals the whole's", got)
	}
}
