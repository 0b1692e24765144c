package workload

import (
	"math"

	"github.com/msgsim/msgsim/sim"
)

// erdosRenyi samples G(n, m), a graph chosen uniformly among those with
// exactly m = round(n*mean/2) edges, in time linear in n+m.
//
// It first samples G(n, p) with p a little above m/N (N = n(n-1)/2 pairs)
// by geometric skips over the pairs in row order (Batagelj and Brandes,
// "Efficient generation of large random networks", 2005), which yields at
// least m edges except with probability about 1e-9 (then it samples
// again with a larger p), and then removes a uniform random subset of the
// surplus. G(n, p) conditioned on its edge count is uniform, and so is a
// uniform thinning, so the result is exactly G(n, m).
//
// Rows (user v paired with every w < v) are split into chunks of nearly
// equal numbers of pairs, generated in parallel with one random stream
// each; edges come out as (v, w) in increasing (v, w) order.
func erdosRenyi(n int, mean float64, seed uint64) []sim.UserID {
	pairs := float64(n) * float64(n-1) / 2
	m := min(int(math.Round(float64(n)*mean/2)), int(pairs))
	if m == 0 {
		return nil
	}
	return gnm(n, m, (float64(m)+6*math.Sqrt(float64(m))+8)/pairs, seed)
}

// gnm samples G(n, m) by thinning G(n, p); when G(n, p) falls short of m
// edges it samples again with a larger p.
func gnm(n, m int, p float64, seed uint64) []sim.UserID {
	pairs := float64(n) * float64(n-1) / 2
	rows := rowChunks(n, pairs)
	count := len(rows) - 1
	for attempt := uint64(0); ; attempt++ {
		p = min(p, 1)
		edges := generate(n, count, func(c int) int {
			want := p * rowPairs(rows[c], rows[c+1])
			return 2 * int(want+6*math.Sqrt(want)+16)
		}, func(c int, dst []sim.UserID) []sim.UserID {
			src := newSource(seed, streamErdos+attempt<<20+uint64(c))
			return gnpRows(rows[c], rows[c+1], p, src, dst)
		})
		if len(edges)/2 >= m {
			return thin(edges, len(edges)/2-m, newSource(seed, streamErdos+attempt<<20+0xfffff))
		}
		p *= 1.05 * float64(m) / float64(len(edges)/2+1)
	}
}

// rowChunks splits rows 1..n-1 into chunks of nearly equal numbers of
// pairs; the count depends on n alone, which keeps the graph independent
// of the number of CPUs. Chunk c is rows [b[c], b[c+1]).
func rowChunks(n int, pairs float64) []int {
	count := max(1, min(64, n/4096))
	b := make([]int, count+1)
	b[0], b[count] = 1, max(n, 1)
	for c := 1; c < count; c++ {
		// Row v starts at pair v(v-1)/2.
		v := int(math.Ceil((1 + math.Sqrt(1+8*pairs*float64(c)/float64(count))) / 2))
		b[c] = min(max(v, b[c-1]), n)
	}
	return b
}

// rowPairs returns the number of pairs in rows [from, to).
func rowPairs(from, to int) float64 {
	return (float64(to)*float64(to-1) - float64(from)*float64(from-1)) / 2
}

// gnpRows appends to edges every pair (v, w), w < v, of rows [from, to),
// each independently with probability p, skipping geometric gaps: the gap
// before the next chosen pair is floor(X / -ln(1-p)) with X exponential.
func gnpRows(from, to int, p float64, src *source, edges []sim.UserID) []sim.UserID {
	if from >= to || p <= 0 {
		return edges
	}
	if p >= 1 {
		for v := from; v < to; v++ {
			for w := range v {
				edges = append(edges, sim.UserID(v), sim.UserID(w))
			}
		}
		return edges
	}
	rate := -math.Log1p(-p)
	limit := rowPairs(from, to)
	v, w := from, -1
	for {
		skip := math.Floor(src.exp() / rate)
		if skip >= limit {
			return edges
		}
		w += 1 + int(skip)
		for w >= v {
			w -= v
			v++
			if v >= to {
				return edges
			}
		}
		edges = append(edges, sim.UserID(v), sim.UserID(w))
	}
}

// thin removes surplus edges chosen uniformly at random (Floyd's sampling
// of distinct indices) and keeps the others in order.
func thin(edges []sim.UserID, surplus int, src *source) []sim.UserID {
	if surplus == 0 {
		return edges
	}
	total := len(edges) / 2
	drop := make([]uint64, (total+63)/64)
	for j := total - surplus; j < total; j++ {
		t := src.below(uint64(j + 1))
		if drop[t/64]&(1<<(t%64)) != 0 {
			t = uint64(j)
		}
		drop[t/64] |= 1 << (t % 64)
	}
	k := 0
	for i := range total {
		if drop[i/64]&(1<<(i%64)) == 0 {
			edges[k], edges[k+1] = edges[2*i], edges[2*i+1]
			k += 2
		}
	}
	return edges[:k]
}
