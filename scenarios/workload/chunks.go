package workload

import (
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// generate runs count chunk generators in parallel and returns their edges
// joined in chunk order in one array, which fromEdges later reuses for the
// adjacency lists. Chunk c appends to a region of reserve(c) entries of
// that array; a chunk that outgrows its region (a bound that holds except
// with negligible probability) gets its own array and the chunks are
// copied into a fresh one.
func generate(n, count int, reserve func(c int) int, gen func(c int, dst []sim.UserID) []sim.UserID) []sim.UserID {
	starts := make([]int, count+1)
	for c := range count {
		starts[c+1] = starts[c] + reserve(c)
	}
	all := make([]sim.UserID, starts[count])
	adviseHuge(all)
	out := make([][]sim.UserID, count)
	w := min(workers(n), count)
	parallel(w, func(i int) {
		for c := i; c < count; c += w {
			out[c] = gen(c, all[starts[c]:starts[c]:starts[c+1]])
		}
	})
	total, overflow := 0, false
	for c, o := range out {
		total += len(o)
		overflow = overflow || len(o) > starts[c+1]-starts[c]
	}
	if overflow {
		all = make([]sim.UserID, 0, total)
		for _, o := range out {
			all = append(all, o...)
		}
		return all
	}
	next := 0
	for _, o := range out {
		next += copy(all[next:], o)
	}
	if len(all)-next > next/16 {
		return slices.Clone(all[:next])
	}
	return all[:next]
}
