package runner

import (
	"iter"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// realismOf measures the realism of a run whose operations counted ops
// and whose final state is s. It reads every thread once, in the store's
// order, and may run beside the other passes (sim.ThreadStore).
func realismOf(s *sim.State, ops report.OpTable) *report.Realism {
	r := &report.Realism{NotFoundShare: map[string]float64{}}
	for action, outcomes := range ops {
		total := 0
		for _, n := range outcomes {
			total += n
		}
		if total > 0 {
			r.NotFoundShare[action] = float64(outcomes[sim.NotFound.String()]) / float64(total)
		}
	}
	users := len(s.Users)
	written := make([]uint32, users)
	active := make([]uint32, users)
	var lengths lengthCounts
	var delays delayHistogram
	direct, replies := 0, 0
	for t := range eachThread(s) {
		ms := t.Messages()
		if len(ms) == 0 {
			continue
		}
		lengths.add(len(ms))
		for _, mb := range t.Members() {
			if int(mb.User) < users {
				active[mb.User]++
			}
		}
		group := t.ID.IsGroup()
		for i := range ms {
			m := &ms[i]
			if int(m.Author) < users {
				written[m.Author]++
			}
			if group {
				continue
			}
			direct++
			if i > 0 && ms[i-1].Author != m.Author {
				replies++
				delays.add(time.Duration(m.At - ms[i-1].At).Seconds())
			}
		}
	}
	if direct > 0 {
		r.ReplyShare = float64(replies) / float64(direct)
	}
	r.ReplyDelaySeconds = report.Spread{P50: delays.quantile(0.5), P90: delays.quantile(0.9)}
	r.MessagesPerThread = lengths.spread()
	r.Top1pctSenderShare = topShare(written, 0.01)
	slices.Sort(active)
	if users > 0 {
		r.ActiveThreadsPerUser = report.Spread{P50: float64(active[users/2]), P90: float64(active[min(users*9/10, users-1)])}
	}
	r.ThreadLengths = lengths.bins()
	r.ReplyDelays = delays.bins()
	return r
}

// eachThread yields the threads of s in the order they are kept.
func eachThread(s *sim.State) iter.Seq[*sim.Thread] {
	if s.Store != nil {
		return s.Store.Each()
	}
	return maps.Values(s.Threads)
}

// topShare returns the share of the total of counts that the largest
// share of the non-zero counts hold (at least one).
func topShare(counts []uint32, share float64) float64 {
	var nonzero []uint32
	total := 0.0
	for _, c := range counts {
		if c > 0 {
			nonzero = append(nonzero, c)
			total += float64(c)
		}
	}
	if total == 0 {
		return 0
	}
	slices.Sort(nonzero)
	k := max(1, int(math.Ceil(share*float64(len(nonzero)))))
	top := 0.0
	for _, c := range nonzero[len(nonzero)-k:] {
		top += float64(c)
	}
	return top / total
}

// lengthCounts counts thread lengths exactly: short ones by length, the
// rare long ones in a list.
type lengthCounts struct {
	short [1024]int
	long  []int
	n     int
}

func (c *lengthCounts) add(n int) {
	c.n++
	if n < len(c.short) {
		c.short[n]++
	} else {
		c.long = append(c.long, n)
	}
}

// quantile returns the smallest length that at least a share q of the
// threads do not exceed.
func (c *lengthCounts) quantile(q float64) float64 {
	if c.n == 0 {
		return 0
	}
	rank := max(1, int(math.Ceil(q*float64(c.n))))
	seen := 0
	for n, k := range c.short {
		if seen += k; seen >= rank {
			return float64(n)
		}
	}
	slices.Sort(c.long)
	return float64(c.long[rank-seen-1])
}

func (c *lengthCounts) spread() report.Spread {
	p99, most := c.quantile(0.99), c.quantile(1)
	return report.Spread{P50: c.quantile(0.5), P90: c.quantile(0.9), P99: &p99, Max: &most}
}

// bins returns the lengths in powers of two: 1, 2, 4, ...
func (c *lengthCounts) bins() []report.Bin {
	var out []report.Bin
	add := func(n, k int) {
		b := max(0, int(math.Ceil(math.Log2(float64(n)))))
		for len(out) <= b {
			out = append(out, report.Bin{Upto: math.Exp2(float64(len(out)))})
		}
		out[b].Count += k
	}
	for n, k := range c.short {
		if k > 0 {
			add(n, k)
		}
	}
	for _, n := range c.long {
		add(n, 1)
	}
	return out
}

// delayHistogram counts delays in seconds in bins of a twentieth of a
// decade from a millisecond: bin i holds [10^((i-60)/20), 10^((i-59)/20));
// and in powers of two seconds for plots.
type delayHistogram struct {
	fine [delayBins]int
	pow2 [64]int // bin b holds (2^(b-1), 2^b], bin 0 up to a second
	n    int
}

const (
	delayBins     = 300 // up to 10^12 seconds
	binsPerDecade = 20
	firstDecade   = -3
)

func (h *delayHistogram) add(s float64) {
	h.n++
	i := 0
	if s > 0 {
		i = int(math.Floor((math.Log10(s) - firstDecade) * binsPerDecade))
	}
	h.fine[min(max(i, 0), delayBins-1)]++
	b := 0
	if s > 1 {
		b = min(int(math.Ceil(math.Log2(s))), len(h.pow2)-1)
	}
	h.pow2[b]++
}

// quantile returns the geometric middle of the bin of the q-quantile.
func (h *delayHistogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := max(1, int(math.Ceil(q*float64(h.n))))
	seen := 0
	for i, k := range h.fine {
		if seen += k; seen >= rank {
			return math.Pow(10, firstDecade+(float64(i)+0.5)/binsPerDecade)
		}
	}
	return 0
}

// bins returns the delays in powers of two seconds: 1 s, 2 s, 4 s, ...
// (the first bin holds everything up to a second).
func (h *delayHistogram) bins() []report.Bin {
	last := -1
	for b, k := range h.pow2 {
		if k > 0 {
			last = b
		}
	}
	out := make([]report.Bin, last+1)
	for b := range out {
		out[b] = report.Bin{Upto: math.Exp2(float64(b)), Count: h.pow2[b]}
	}
	return out
}
