package actors

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// BenchmarkEngine reports operations per second of the engine in both
// modes at 10k and 100k users, and the ratio to the reference model
// applying the same stream on one goroutine, measured in the same run.
func BenchmarkEngine(b *testing.B) {
	for _, users := range []int{10_000, 100_000} {
		rng := rand.New(rand.NewPCG(1, 2))
		pw := simtest.NewSparse(rng, users, 20, users/20)
		ops := pw.Ops(rng, 200_000)
		for _, mode := range []Mode{Deterministic, Parallel} {
			b.Run(fmt.Sprintf("%s/users=%d", mode, users), func(b *testing.B) {
				var refRate, rate float64
				for range b.N {
					ref := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
					start := time.Now()
					for _, op := range ops {
						ref.Apply(op)
					}
					refRate = float64(len(ops)) / time.Since(start).Seconds()
					e, err := New(Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf, Mode: mode})
					if err != nil {
						b.Fatal(err)
					}
					i := 0
					start = time.Now()
					_, _ = e.Run(context.Background(), func(op *sim.Op) bool {
						if i == len(ops) {
							return false
						}
						*op = ops[i]
						i++
						return true
					}, func(*sim.Op, sim.Outcome, time.Duration) {})
					rate = float64(len(ops)) / time.Since(start).Seconds()
					_ = e.Close()
				}
				b.ReportMetric(rate, "ops/s")
				b.ReportMetric(refRate, "ref-ops/s")
				b.ReportMetric(rate/refRate, "ratio")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}
