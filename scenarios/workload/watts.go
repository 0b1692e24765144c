package workload

import (
	"math"

	"github.com/msgsim/msgsim/sim"
)

// wattsStrogatz builds a small-world graph: a ring lattice where every user
// connects to the k = mean/2 next users around the ring (so mean in all),
// then each lattice edge (u, u+j) keeps u and, with probability rewire,
// swaps u+j for a uniformly chosen user. A fractional k is met on average:
// user u also connects to u+floor(k)+1 with probability frac(k).
//
// Unlike networkx's version, which tests the current adjacency, a new end
// is redrawn only when it is u or one of u's lattice neighbours; the rare
// repeat of an earlier rewired edge (about rewire*mean^2/8 edges in all,
// independent of n) is dropped when the lists are built. With rewire 0
// and an even mean the result is exactly the ring lattice.
//
// Users are split into chunks generated in parallel, one stream each.
func wattsStrogatz(n int, mean, rewire float64, seed uint64) []sim.UserID {
	k := mean / 2
	whole := int(k)
	frac := k - float64(whole)
	most := whole + int(math.Ceil(frac))
	if most == 0 || n < 2 {
		return nil
	}
	count := max(1, min(64, n/4096))
	return generate(n, count, func(c int) int {
		return 2 * most * (n*(c+1)/count - n*c/count)
	}, func(c int, dst []sim.UserID) []sim.UserID {
		src := newSource(seed, streamWatts+uint64(c))
		return latticeRows(n, n*c/count, n*(c+1)/count, whole, frac, rewire, src, dst)
	})
}

// latticeRows appends the possibly rewired lattice edges of users
// [from, to) to edges.
func latticeRows(n, from, to, whole int, frac, rewire float64, src *source, edges []sim.UserID) []sim.UserID {
	most := whole + int(math.Ceil(frac))
	// A redraw can only avoid the lattice window when one exists outside it.
	window := 2*most+1 < n
	for u := from; u < to; u++ {
		m := whole
		if frac > 0 && src.float64() < frac {
			m++
		}
		for j := 1; j <= m; j++ {
			v := (u + j) % n
			if rewire > 0 && src.float64() < rewire {
				for {
					v = int(src.below(uint64(n)))
					if v != u && !(window && ringDistance(u, v, n) <= most) {
						break
					}
				}
			}
			edges = append(edges, sim.UserID(u), sim.UserID(v))
		}
	}
	return edges
}

// ringDistance returns how many steps apart u and v are around a ring of n.
func ringDistance(u, v, n int) int {
	d := u - v
	if d < 0 {
		d = -d
	}
	return min(d, n-d)
}
