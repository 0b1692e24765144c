package runner

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"

	"github.com/msgsim/msgsim/report"
)

// latencies is a log-linear histogram of durations that many goroutines
// record into at once without locks: 16 sub-buckets per power of two of
// nanoseconds, so a percentile is within about 6% of the true value.
type latencies struct {
	counts [64 * subBuckets]atomic.Uint64
	max    atomic.Int64
	n      atomic.Uint64
}

const subBits = 4
const subBuckets = 1 << subBits

func bucketOf(ns uint64) int {
	if ns < subBuckets {
		return int(ns)
	}
	exp := bits.Len64(ns) - 1 // ns in [2^exp, 2^(exp+1))
	sub := (ns >> (exp - subBits)) & (subBuckets - 1)
	return (exp-subBits+1)*subBuckets + int(sub)
}

// lowerBound returns the smallest duration in bucket b.
func lowerBound(b int) uint64 {
	if b < subBuckets {
		return uint64(b)
	}
	exp := b/subBuckets + subBits - 1
	sub := uint64(b % subBuckets)
	return (1 << exp) | sub<<(exp-subBits)
}

func (l *latencies) record(d time.Duration) {
	ns := max(int64(d), 0)
	l.counts[bucketOf(uint64(ns))].Add(1)
	l.n.Add(1)
	for {
		m := l.max.Load()
		if ns <= m || l.max.CompareAndSwap(m, ns) {
			return
		}
	}
}

// quantile returns the duration below which a fraction q of the recorded
// durations fall, as the midpoint of its bucket.
func (l *latencies) quantile(q float64) time.Duration {
	n := l.n.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for b := range l.counts {
		seen += l.counts[b].Load()
		if seen >= rank {
			lo, hi := lowerBound(b), lowerBound(b+1)
			return min(time.Duration((lo+hi)/2), time.Duration(l.max.Load()))
		}
	}
	return time.Duration(l.max.Load())
}

// summary returns the histogram's percentiles in seconds.
func (l *latencies) summary() report.Latency {
	return report.Latency{P50: seconds(l.quantile(0.50)), P90: seconds(l.quantile(0.90)),
		P99: seconds(l.quantile(0.99)), Max: seconds(l.quantile(1))}
}

// mergeLatencies returns the sum of histograms.
func mergeLatencies(ls []latencies) *latencies {
	var sum latencies
	for i := range ls {
		for b := range ls[i].counts {
			sum.counts[b].Add(ls[i].counts[b].Load())
		}
		sum.n.Add(ls[i].n.Load())
		sum.max.Store(max(sum.max.Load(), ls[i].max.Load()))
	}
	return &sum
}
