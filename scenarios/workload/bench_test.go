package workload

import (
	"sync"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

func benchmarkBuild(b *testing.B, model string) {
	p := Population{Users: 1_000_000, Graph: Graph{Model: model, MeanDegree: 50, Rewire: 0.1}}
	b.ReportAllocs()
	var g *Network
	cpu, n := processCPU(), 0
	for b.Loop() {
		var err error
		if g, err = Build(p, 1); err != nil {
			b.Fatal(err)
		}
		n++
	}
	// On a shared machine the CPU time of all threads per build says more
	// than the wall time, which counts other processes' turns.
	if cpu := processCPU() - cpu; cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(n), "cpu-s/op")
	}
	b.ReportMetric(float64(g.Bytes())/float64(p.Users), "bytes/user")
	b.ReportMetric(g.MeanDegree(), "mean-degree")
}

// BenchmarkBuildBA1M builds a preferential-attachment graph of a million
// users with mean degree 50 (25 million connections).
func BenchmarkBuildBA1M(b *testing.B) { benchmarkBuild(b, BarabasiAlbert) }

func BenchmarkBuildER1M(b *testing.B) { benchmarkBuild(b, ErdosRenyi) }

func BenchmarkBuildWS1M(b *testing.B) { benchmarkBuild(b, WattsStrogatz) }

var million = sync.OnceValues(func() (*Network, []GroupSpec) {
	g, err := Build(Population{Users: 1_000_000, Graph: Graph{Model: BarabasiAlbert, MeanDegree: 50}}, 1)
	if err != nil {
		panic(err)
	}
	return g, g.Groups(Groups{Count: 5000, MinSize: 3, MaxSize: 12}, 1)
})

func benchmarkStream(b *testing.B, g *Network, specs []GroupSpec, model string) {
	w := day()
	w.Model, w.Habits = model, DefaultHabits()
	w.Duration = 48 * time.Hour // does not end within a benchmark
	s := NewStream(g, specs, w, 1)
	var op sim.Op
	warm := 100000
	if model == Realistic {
		warm = 3_000_000 // about 4 simulated hours: replies and reads waiting as in a long run
	}
	for range warm {
		s.Next(&op)
	}
	b.ReportAllocs()
	measureCPU(b, func() {
		if !s.Next(&op) {
			b.Fatal("the stream ended")
		}
	})
}

// BenchmarkStreamNext pulls operations of the default mix with every
// behaviour on, over a million-user graph.
func BenchmarkStreamNext(b *testing.B) {
	g, specs := million()
	benchmarkStream(b, g, specs, Uniform)
}

// BenchmarkStreamNextRealistic is BenchmarkStreamNext under the realistic
// model: its replies, reads and sessions wait in the calendar.
func BenchmarkStreamNextRealistic(b *testing.B) {
	g, specs := million()
	benchmarkStream(b, g, specs, Realistic)
}

func BenchmarkStreamNextSmall(b *testing.B) {
	g, err := Build(Population{Users: 10000, Graph: Graph{Model: BarabasiAlbert, MeanDegree: 50}}, 1)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkStream(b, g, g.Groups(Groups{Count: 100, MinSize: 3, MaxSize: 12}, 1), Uniform)
}
