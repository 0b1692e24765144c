package actors

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// TestIndex applies random sets and deletes to an index and a Go map side
// by side, at up to three quarters full so probes run long and deletes
// shift slots back, and requires both to agree.
func TestIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x index
	want := map[sim.ThreadID]where{}
	ids := make([]sim.ThreadID, 3000)
	for i := range ids {
		switch i % 3 {
		case 0:
			ids[i] = sim.Group(uint32(i))
		case 1:
			ids[i] = sim.Direct(sim.UserID(i), sim.UserID(i+1))
		default:
			ids[i] = sim.ThreadID(i) // low ids: many share their high bits
		}
	}
	for step := range 60000 {
		id := ids[rng.IntN(len(ids))]
		if rng.IntN(3) == 0 {
			x.del(id)
			delete(want, id)
		} else {
			w := where(rng.Uint32())
			x.set(id, w)
			want[id] = w
		}
		if step%1000 == 0 || step > 59000 {
			if x.n != len(want) {
				t.Fatalf("step %d: %d ids, want %d", step, x.n, len(want))
			}
			for _, id := range ids {
				w, ok := x.get(id)
				if ww, wok := want[id]; ok != wok || w != ww {
					t.Fatalf("step %d: id %v is %v %v, want %v %v", step, id, w, ok, ww, wok)
				}
			}
			seen := 0
			x.each(func(id sim.ThreadID, w where) where {
				if want[id] != w {
					t.Fatalf("step %d: each gives %v at %v, want %v", step, w, id, want[id])
				}
				seen++
				return w
			})
			if seen != len(want) {
				t.Fatalf("step %d: each saw %d ids, want %d", step, seen, len(want))
			}
			var got []sim.ThreadID
			for id, w := range x.entries {
				if ww, ok := want[id]; !ok || w != ww {
					t.Fatalf("step %d: entries gives %v at %v, want %v %v", step, w, id, ww, ok)
				}
				got = append(got, id)
			}
			if slices.Sort(got); len(slices.Compact(got)) != len(want) {
				t.Fatalf("step %d: entries gives %d distinct ids, want %d", step, len(got), len(want))
			}
		}
	}
	if len(x.slots) > 8*len(want)+16 {
		t.Errorf("%d slots for %d ids", len(x.slots), len(want))
	}
}
