package runner

import (
	"testing"
	"time"

	"github.com/msgsim/msgsim/report"
)

func TestMergePairs(t *testing.T) {
	ss := []report.Sample{
		{WallSeconds: 1, Ops: 100, P99: 0.001},
		{WallSeconds: 2, Ops: 300, P99: 0.003},
		{WallSeconds: 3, Ops: 400, P99: 0.002},
	}
	got := mergePairs(ss)
	if len(got) != 2 || got[0].WallSeconds != 2 || got[0].Ops != 300 || got[0].Throughput != 150 || got[0].P99 != 0.003 ||
		got[1].WallSeconds != 3 || got[1].Throughput != 100 {
		t.Errorf("merged %+v", got)
	}
}

func TestWindowQuantile(t *testing.T) {
	var counts [64 * subBuckets]uint64
	counts[bucketOf(uint64(time.Microsecond))] = 99
	counts[bucketOf(uint64(time.Millisecond))] = 1
	if q := windowQuantile(counts[:], 100, 0.5); q < 900*time.Nanosecond || q > 1100*time.Nanosecond {
		t.Errorf("p50 %v", q)
	}
	if q := windowQuantile(counts[:], 100, 0.995); q < 900*time.Microsecond || q > 1100*time.Microsecond {
		t.Errorf("p99.5 %v", q)
	}
	if q := windowQuantile(counts[:], 0, 0.99); q != 0 {
		t.Errorf("empty window %v", q)
	}
}

// TestSamplerFolds: the sampler keeps at most maxSamples, and a short last
// window joins the one before.
func TestSamplerFolds(t *testing.T) {
	s := &sampler{every: sampleEvery}
	s.samples = []report.Sample{{WallSeconds: 0.1, Ops: 10}, {WallSeconds: 0.2, Ops: 30}, {WallSeconds: 0.21, Ops: 31, P99: 0.5}}
	s.foldShortLast()
	if len(s.samples) != 2 || s.samples[1].Ops != 31 || s.samples[1].P99 != 0.5 || s.samples[1].WallSeconds != 0.21 {
		t.Errorf("folded %+v", s.samples)
	}
}
