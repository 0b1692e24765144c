package sim

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestConnectionChanges connects and disconnects a user at random from
// the connections a graph gave it: Connected and Connections must follow
// a plain set, the graph's slice must never change, and the difference
// kept must stay minimal (added outside the graph's, removed inside).
func TestConnectionChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	graph := []UserID{2, 4, 6, 8}
	u := NewUser(5, graph)
	want := map[UserID]bool{2: true, 4: true, 6: true, 8: true}
	for step := range 3000 {
		v, on := UserID(rng.IntN(11)), rng.IntN(2) == 0
		u.setConnected(v, on)
		if on {
			want[v] = true
		} else {
			delete(want, v)
		}
		for v := range UserID(11) {
			if u.Connected(v) != want[v] {
				t.Fatalf("step %d: Connected(%d) = %v, want %v", step, v, u.Connected(v), want[v])
			}
		}
		if got, w := u.Connections(), slices.Sorted(maps.Keys(want)); !slices.Equal(got, w) && len(got)+len(w) > 0 {
			t.Fatalf("step %d: Connections() = %v, want %v", step, got, w)
		}
		if !slices.Equal(graph, []UserID{2, 4, 6, 8}) {
			t.Fatalf("step %d: the graph's slice changed to %v", step, graph)
		}
		if r := u.rare; r != nil {
			for _, v := range r.added {
				if has(graph, v) {
					t.Fatalf("step %d: %d added though the graph has it", step, v)
				}
			}
			for _, v := range r.removed {
				if !has(graph, v) {
					t.Fatalf("step %d: %d removed though the graph lacks it", step, v)
				}
			}
		}
	}
}

// TestEntryState sets an inbox entry's flags and unread count at random,
// near the largest count too, against a plain struct: each must keep its
// value, and the count stop at MaxUnread without touching the flags.
func TestEntryState(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	type plain struct {
		unread uint32
		flags  [4]bool
	}
	flags := [4]uint32{entArchived, entMuted, entRemoved, entMember}
	var e entry
	var want plain
	for step := range 5000 {
		switch op := rng.IntN(4); {
		case op == 0:
			i, on := rng.IntN(4), rng.IntN(2) == 0
			e.set(flags[i], on)
			want.flags[i] = on
		case op == 1:
			e.clearUnread()
			want.unread = 0
		case op == 2 && rng.IntN(50) == 0: // jump near the top
			e.state = e.state&^MaxUnread | (MaxUnread - 3)
			want.unread = MaxUnread - 3
		default:
			e.addUnread()
			want.unread = min(want.unread+1, MaxUnread)
		}
		got := plain{unread: e.unread()}
		for i, f := range flags {
			got.flags[i] = e.has(f)
		}
		if got != want {
			t.Fatalf("step %d: entry holds %+v, want %+v", step, got, want)
		}
	}
}
