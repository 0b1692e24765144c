package conform_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// TestDifferentialLarge runs long streams over a sparse population under
// every preset, so inboxes, groups and block histories grow large.
func TestDifferentialLarge(t *testing.T) {
	users, ops := 2000, 40_000
	if testing.Short() {
		users, ops = 500, 5_000
	}
	var ty tally
	for i, name := range sim.PresetNames() {
		rng := rand.New(rand.NewPCG(uint64(i), 31))
		pw := simtest.NewSparse(rng, users, 8, users/20)
		sp, mp := policies(t, name, nil)
		w := sim.NewWorld(sp, pw.Users, pw.ConnsOf)
		m := spec.New(mp, pw.Users, pw.ConnsOf)
		run(w, m, nil, pw.Ops(rng, ops), fmt.Sprintf("large %s", name), &ty)
	}
	ty.report(t, len(sim.PresetNames()))
}

// BenchmarkFinal compares the final state of a run of 100,000 users and
// 1,000,000 operations with the model's, and reports comparisons per
// second.
func BenchmarkFinal(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	pw := simtest.NewSparse(rng, 100_000, 50, 5_000)
	sp, _ := sim.Preset("linkedin-recall")
	mp, _ := spec.Preset("linkedin-recall")
	w := sim.NewWorld(sp, pw.Users, pw.ConnsOf)
	m := spec.New(mp, pw.Users, pw.ConnsOf)
	for _, op := range pw.Ops(rng, 1_000_000) {
		w.Apply(op)
		m.Apply(op)
	}
	b.ResetTimer()
	checked := 0
	for range b.N {
		checked, _, _ = conform.Final(&w.State, m, 10)
	}
	b.ReportMetric(float64(checked), "comparisons")
	b.ReportMetric(float64(checked*b.N)/b.Elapsed().Seconds(), "comparisons/s")
}
