package workload

import (
	"math"

	"github.com/msgsim/msgsim/sim"
)

// actionTable draws actions with probabilities proportional to a mix's
// weights in constant time (Vose's alias method): one 32-bit draw picks a
// column by its high part times the column count and decides between the
// column's action and its alias by the low part. Thresholds have 32-bit
// resolution, far finer than any mix weight.
type actionTable struct {
	keep  [sim.NumActions]uint32 // keep column i's action when the low part is below
	alias [sim.NumActions]sim.Action
	total float64 // sum of the usable weights; 0 draws nothing
}

func newActionTable(mix [sim.NumActions]float64) actionTable {
	var t actionTable
	var w [sim.NumActions]float64
	for i, x := range mix {
		if x > 0 && !math.IsInf(x, 0) {
			w[i] = x
			t.total += x
		}
	}
	if t.total == 0 {
		return t
	}
	const n = int(sim.NumActions)
	var small, large []int
	for i := range w {
		w[i] *= float64(n) / t.total
		if w[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
		t.alias[i] = sim.Action(i)
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.keep[s] = fraction(w[s])
		t.alias[s] = sim.Action(l)
		w[l] += w[s] - 1
		if w[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains is 1 up to rounding: always keep.
	for _, i := range append(small, large...) {
		t.keep[i] = math.MaxUint32
	}
	return t
}

// fraction returns p in [0, 1] as a threshold for uniform 32-bit values.
func fraction(p float64) uint32 {
	if !(p > 0) {
		return 0
	}
	return uint32(min(p*0x1p32, math.MaxUint32))
}

// draw returns the action a uniform 32-bit value r selects.
func (t *actionTable) draw(r uint32) sim.Action {
	x := uint64(r) * uint64(sim.NumActions)
	i, low := x>>32, uint32(x)
	if low < t.keep[i] {
		return sim.Action(i)
	}
	return t.alias[i]
}

// share returns action a's probability.
func (t *actionTable) share(mix [sim.NumActions]float64, a sim.Action) float64 {
	if t.total == 0 || !(mix[a] > 0) || math.IsInf(mix[a], 0) {
		return 0
	}
	return mix[a] / t.total
}
