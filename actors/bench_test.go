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
		for _, mode := range []sim.Mode{sim.Deterministic, sim.Parallel} {
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

// hotEngine is 1,000 users in a ring, neighbours sharing a thread of 16
// messages, for the per-operation benchmarks below.
func hotEngine(b *testing.B, mode sim.Mode) *Engine {
	const n = 1000
	conns := make([][]sim.UserID, n)
	for u := range sim.UserID(n) {
		a, c := (u+n-1)%n, (u+1)%n
		conns[u] = []sim.UserID{min(a, c), max(a, c)}
	}
	e := newEngine(b, Config{Policy: sim.Linkedin(), Users: n, Conns: func(u sim.UserID) []sim.UserID { return conns[u] }, Mode: mode})
	key := sim.MsgKey(1)
	for u := range sim.UserID(n) {
		for range 16 {
			e.Apply(sim.Op{Action: sim.Send, User: u, Target: (u + 1) % n, Msg: key, Text: "hello"})
			key++
		}
	}
	return e
}

// streamOf runs b.N operations made by op through Run in parallel mode.
func streamOf(b *testing.B, op func(i int) sim.Op) {
	e := hotEngine(b, sim.Parallel)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	_, _ = e.Run(context.Background(), func(o *sim.Op) bool {
		if i == b.N {
			return false
		}
		*o = op(i)
		i++
		return true
	}, func(*sim.Op, sim.Outcome, time.Duration) {})
}

// BenchmarkHotSend: a direct message with its delivery and notification.
func BenchmarkHotSend(b *testing.B) {
	streamOf(b, func(i int) sim.Op {
		u := sim.UserID(i % 1000)
		return sim.Op{Action: sim.Send, User: u, Target: (u + 1) % 1000, Msg: sim.MsgKey(1e6 + i), Text: "hi"}
	})
}

// BenchmarkHotDelete: deletes for me of the threads' messages.
func BenchmarkHotDelete(b *testing.B) {
	streamOf(b, func(i int) sim.Op {
		u := sim.UserID(i % 1000)
		return sim.Op{Action: sim.Delete, User: u, Thread: sim.Direct(u, (u+1)%1000), Msg: sim.MsgKey(1 + 16*int(u) + (i/1000)%16)}
	})
}

// BenchmarkHotBlock: alternating blocks and unblocks of a neighbour.
func BenchmarkHotBlock(b *testing.B) {
	streamOf(b, func(i int) sim.Op {
		u := sim.UserID(i % 1000)
		a := sim.Block
		if (i/1000)%2 == 1 {
			a = sim.Unblock
		}
		return sim.Op{Action: a, User: u, Target: (u + 1) % 1000}
	})
}

// BenchmarkHotRead: reads (clears unread) of a thread.
func BenchmarkHotRead(b *testing.B) {
	streamOf(b, func(i int) sim.Op {
		u := sim.UserID(i % 1000)
		return sim.Op{Action: sim.Read, User: u, Thread: sim.Direct(u, (u+1)%1000)}
	})
}
