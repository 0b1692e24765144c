package workload

import (
	"slices"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

func TestGroups(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 10, 0, 1)
	cfg := Groups{Count: 300, MinSize: 3, MaxSize: 12}
	specs := g.Groups(cfg, 9)
	if len(specs) != cfg.Count {
		t.Fatalf("%d groups, want %d", len(specs), cfg.Count)
	}
	sizes := map[int]int{}
	for i, s := range specs {
		size := len(s.Members) + 1
		sizes[size]++
		if size < cfg.MinSize || size > cfg.MaxSize {
			t.Errorf("group %d has %d members, want [%d, %d]", i, size, cfg.MinSize, cfg.MaxSize)
		}
		if !slices.IsSorted(s.Members) || len(slices.Compact(slices.Clone(s.Members))) != len(s.Members) {
			t.Errorf("group %d: members %v not distinct and ascending", i, s.Members)
		}
		for _, m := range s.Members {
			if !g.Connected(s.Owner, m) {
				t.Errorf("group %d: member %d is not a connection of owner %d", i, m, s.Owner)
			}
		}
	}
	if len(sizes) != cfg.MaxSize-cfg.MinSize+1 {
		t.Errorf("sizes %v do not cover [%d, %d]", sizes, cfg.MinSize, cfg.MaxSize)
	}
	again := g.Groups(cfg, 9)
	for i := range specs {
		if specs[i].Owner != again[i].Owner || !slices.Equal(specs[i].Members, again[i].Members) {
			t.Fatalf("group %d differs between two runs with one seed", i)
		}
	}
}

func TestGroupsSkipSmallOwners(t *testing.T) {
	// In a ring of degree 4 nobody can own a group of 10.
	ring := build(t, WattsStrogatz, 100, 4, 0, 1)
	if specs := ring.Groups(Groups{Count: 5, MinSize: 10, MaxSize: 10}, 1); len(specs) != 0 {
		t.Errorf("%d groups of 10 in a ring of degree 4", len(specs))
	}
	// Groups of exactly degree+1 take every connection.
	specs := ring.Groups(Groups{Count: 5, MinSize: 5, MaxSize: 5}, 1)
	for _, s := range specs {
		if !slices.Equal(s.Members, ring.Neighbours(s.Owner)) {
			t.Errorf("owner %d: members %v, want all connections %v", s.Owner, s.Members, ring.Neighbours(s.Owner))
		}
	}
	if len(specs) != 5 {
		t.Errorf("%d groups of 5, want 5", len(specs))
	}
	if specs := ring.Groups(Groups{}, 1); specs != nil {
		t.Errorf("no groups asked, got %d", len(specs))
	}
}

func TestMembership(t *testing.T) {
	specs := []GroupSpec{{Owner: 3, Members: []sim.UserID{1, 5}}, {Owner: 1, Members: []sim.UserID{3, 7}}, {Owner: 9, Members: []sim.UserID{99}}}
	m := newMembership(10, specs)
	for u, want := range map[sim.UserID][]uint32{0: nil, 1: {0, 1}, 3: {0, 1}, 5: {0}, 7: {1}, 9: {2}} {
		if got := m.of(u); !slices.Equal(got, want) {
			t.Errorf("groups of %d: %v, want %v", u, got, want)
		}
	}
	// Across words: every user's groups, against a plain index.
	const n = 300
	var many []GroupSpec
	plain := map[sim.UserID][]uint32{}
	for g := range 40 {
		spec := GroupSpec{Owner: sim.UserID(g * 7 % n)}
		for k := 1; k < 4; k++ {
			spec.Members = append(spec.Members, sim.UserID((g*7+k*61)%n))
		}
		many = append(many, spec)
		for _, u := range append([]sim.UserID{spec.Owner}, spec.Members...) {
			plain[u] = append(plain[u], uint32(g))
		}
	}
	mm := newMembership(n, many)
	for u := range sim.UserID(n) {
		if got := mm.of(u); !slices.Equal(got, plain[u]) {
			t.Errorf("groups of %d among %d users: %v, want %v", u, n, got, plain[u])
		}
	}
	empty := newMembership(10, nil)
	if got := empty.of(4); got != nil {
		t.Errorf("no groups: %v", got)
	}
}
