package workload

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"

	"github.com/msgsim/msgsim/sim"
)

// fromEdges turns a flat edge list a0 b0 a1 b1 ... into a Network, reusing
// the list's memory for the adjacency lists. It is a two-pass counting
// sort: a random scatter of 2|E| list entries over a large array would cost
// a cache miss each, so entries are first streamed into buckets of 2^shift
// consecutive users (one write stream per bucket, which caches well) and
// then each bucket, small enough to stay in cache, is counted, placed,
// sorted and stripped of repeats and self loops. Both passes keep the
// edges' order within every list, and the generators emit edges so that
// this order is already sorted for most lists.
//
// Workers take consecutive shares of the edges in the first pass and of the
// buckets in the second, so the result does not depend on their number.
// Peak memory is the edge list plus one bucketed copy: 4 bytes an entry
// while a bucket-local user number and a user id fit in 32 bits together
// (up to 4 million users at mean degree 50), 8 bytes beyond.
func fromEdges(n int, edges []sim.UserID) *Network {
	idBits := uint(bits.Len(uint(n - 1)))
	shift := bucketShift(n, len(edges))
	if idBits+shift <= 32 {
		return bucketSort[uint32](n, edges, shift, idBits)
	}
	return bucketSort[uint64](n, edges, shift, 32)
}

// bucketEntries is about how many list entries a bucket should hold: 256
// KiB of them, which a core's L2 cache holds, while the buckets stay few
// enough (about a thousand for 50 million entries) for their write streams
// to stay cached in the first pass.
const bucketEntries = 1 << 16

// bucketShift picks 2^shift users per bucket so that a bucket holds about
// bucketEntries entries.
func bucketShift(n, entries int) uint {
	perUser := max(1, entries/max(n, 1))
	shift := uint(bits.Len(uint(bucketEntries/perUser))) - 1
	return min(max(shift, 4), 16)
}

// bucketSort is fromEdges with entries packed as (local user << idBits | id).
func bucketSort[E uint32 | uint64](n int, edges []sim.UserID, shift, idBits uint) *Network {
	w := workers(n)
	buckets := (n + 1<<shift - 1) >> shift
	shares := evenRanges(len(edges)/2, w)

	// Pass 0: each worker counts its entries per bucket.
	hist := make([][]int, w)
	parallel(w, func(i int) {
		h := make([]int, buckets+1)
		for _, x := range edges[2*shares[i] : 2*shares[i+1]] {
			h[x>>shift]++
		}
		hist[i] = h
	})
	// Bucket k's entries go to [base[k], base[k+1]), worker i's after
	// those of workers before it.
	base := make([]int, buckets+1)
	for k := range buckets {
		next := base[k]
		for _, h := range hist {
			next, h[k] = next+h[k], next
		}
		base[k+1] = next
	}

	// Pass 1: stream every entry into its bucket.
	packed := make([]E, len(edges))
	adviseHuge(packed)
	parallel(w, func(i int) {
		at := hist[i]
		for j := 2 * shares[i]; j < 2*shares[i+1]; j += 2 {
			a, b := edges[j], edges[j+1]
			packed[at[a>>shift]] = E(a&(1<<shift-1))<<idBits | E(b)
			at[a>>shift]++
			packed[at[b>>shift]] = E(b&(1<<shift-1))<<idBits | E(a)
			at[b>>shift]++
		}
	})

	// Pass 2: each bucket lays out its users' lists over the same range of
	// the edge list, which pass 1 has finished reading.
	nb := edges
	off := make([]uint64, n+1)
	adviseHuge(off)
	lens := make([]uint32, n)
	removed := make([]int, w)
	ranges := balancedRanges(base, w)
	parallel(w, func(i int) {
		pos := make([]int, 1<<shift+1)
		for k := ranges[i]; k < ranges[i+1]; k++ {
			removed[i] += layBucket(k<<shift, min(n, (k+1)<<shift), packed[base[k]:base[k+1]],
				nb[base[k]:base[k+1]], base[k], pos, off, lens, idBits)
		}
	})
	off[n] = uint64(len(nb))

	g := &Network{offsets: off, neighbours: nb}
	for _, r := range removed {
		if r > 0 {
			g.compact(lens)
			break
		}
	}
	return g
}

// layBucket counts, places and tidies the lists of users [lo, hi), whose
// entries are packed and whose lists fill nb (which starts at index start
// of the whole list). It returns how many entries tidying removed.
func layBucket[E uint32 | uint64](lo, hi int, packed []E, nb []sim.UserID, start int,
	pos []int, off []uint64, lens []uint32, idBits uint) int {
	pos = pos[:hi-lo+1]
	clear(pos)
	for _, e := range packed {
		pos[e>>idBits+1]++
	}
	for u := range hi - lo {
		pos[u+1] += pos[u]
	}
	for u := range hi - lo {
		off[lo+u] = uint64(start + pos[u])
	}
	mask := E(1)<<idBits - 1
	for _, e := range packed {
		u := e >> idBits
		nb[pos[u]] = sim.UserID(e & mask)
		pos[u]++
	}
	removed := 0
	prev := 0
	for u := range hi - lo {
		list := nb[prev:pos[u]]
		k := tidy(sim.UserID(lo+u), list)
		lens[lo+u] = uint32(k)
		removed += len(list) - k
		prev = pos[u]
	}
	return removed
}

// tidy sorts u's list, moves its distinct entries other than u to the
// front and returns how many there are. Lists usually arrive as an
// unsorted head followed by a sorted tail of larger ids (a user's own
// draws, then the users who attached to it later), so it sorts the head
// and then inserts the tail, which costs one comparison an entry once past
// the few head entries that the tail had swallowed.
func tidy(u sim.UserID, list []sim.UserID) int {
	tail := len(list) - 1
	for tail > 0 && list[tail-1] < list[tail] {
		tail--
	}
	if tail > 0 {
		if tail <= 64 {
			insertionSort(list[:tail], 1)
		} else {
			slices.Sort(list[:tail])
		}
		insertionSort(list, tail)
	}
	k := 0
	for i, v := range list {
		if v != u && (i == 0 || v != list[i-1]) {
			list[k] = v
			k++
		}
	}
	return k
}

// insertionSort sorts s, whose entries before from are already sorted.
func insertionSort[T ~uint32](s []T, from int) {
	for i := max(from, 1); i < len(s); i++ {
		v := s[i]
		j := i
		for j > 0 && s[j-1] > v {
			s[j] = s[j-1]
			j--
		}
		s[j] = v
	}
}

// compact closes the gaps tidy left: user u keeps its first lens[u] entries.
func (g *Network) compact(lens []uint32) {
	next := uint64(0)
	for u, k := range lens {
		start := g.offsets[u]
		g.offsets[u] = next
		copy(g.neighbours[next:], g.neighbours[start:start+uint64(k)])
		next += uint64(k)
	}
	g.offsets[len(lens)] = next
	if unused := uint64(len(g.neighbours)) - next; unused > next/16 {
		g.neighbours = slices.Clone(g.neighbours[:next])
	} else {
		g.neighbours = g.neighbours[:next]
	}
}

// workers returns how many goroutines to build a graph of n users with.
func workers(n int) int {
	if n < 1<<14 {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 8)
}

// parallel runs f(0), ..., f(w-1) concurrently and waits for them.
func parallel(w int, f func(i int)) {
	if w == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for i := range w {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// evenRanges splits [0, n) into w ranges of nearly equal length:
// range i is [r[i], r[i+1]).
func evenRanges(n, w int) []int {
	r := make([]int, w+1)
	for i := range r {
		r[i] = n * i / w
	}
	return r
}

// balancedRanges splits the buckets, whose entries start at base[k], into
// w ranges holding nearly equal numbers of entries.
func balancedRanges(base []int, w int) []int {
	k := len(base) - 1
	total := base[k]
	r := make([]int, w+1)
	r[w] = k
	for i := 1; i < w; i++ {
		x, _ := slices.BinarySearch(base, total*i/w)
		r[i] = max(r[i-1], min(x, k))
	}
	return r
}
