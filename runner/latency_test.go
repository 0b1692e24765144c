package runner

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestLatencyQuantiles(t *testing.T) {
	var l latencies
	rng := rand.New(rand.NewPCG(1, 1))
	var all []time.Duration
	for range 100000 {
		d := time.Duration(rng.ExpFloat64() * float64(20*time.Microsecond))
		all = append(all, d)
		l.record(d)
	}
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := all[int(q*float64(len(all)))-1]
		got := l.quantile(q)
		if r := float64(got) / float64(want); r < 0.94 || r > 1.06 {
			t.Errorf("p%v = %v, exact %v", q*100, got, want)
		}
	}
	if got := l.quantile(1); got != all[len(all)-1] {
		t.Errorf("max %v, want %v", got, all[len(all)-1])
	}
	for b := range 974 { // up to 2^63 ns
		if lowerBound(b) >= lowerBound(b+1) || bucketOf(lowerBound(b)) != b {
			t.Fatalf("bucket %d bounds wrong", b)
		}
	}
}
