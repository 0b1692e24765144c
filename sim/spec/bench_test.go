package spec_test

import (
	"math/rand/v2"
	"testing"

	"github.com/msgsim/msgsim/sim/simtest"
	"github.com/msgsim/msgsim/sim/spec"
)

// BenchmarkApply applies a random stream of every action to 100,000 users
// with about 50 connections each and 5,000 groups, and reports operations
// per second.
func BenchmarkApply(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	pw := simtest.NewSparse(rng, 100_000, 50, 5_000)
	p, _ := spec.Preset("linkedin-recall")
	m := spec.New(p, pw.Users, pw.ConnsOf)
	ops := pw.Ops(rng, max(b.N, 1))
	b.ResetTimer()
	for i := range b.N {
		m.Apply(ops[i])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}
