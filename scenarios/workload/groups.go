package workload

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// GroupSpec is a group thread to create before a workload starts: the
// owner creates it with Members, every one of them a connection of the
// owner, so create_group's rules (R1g) hold. Spec i of a list is group
// thread sim.Group(i).
type GroupSpec struct {
	Owner   sim.UserID
	Members []sim.UserID // besides the owner, ascending
}

// ownerTries bounds the search for an owner with enough connections.
const ownerTries = 64

// Groups picks cfg.Count groups of g's users: each has a size drawn
// uniformly from [cfg.MinSize, cfg.MaxSize] (the owner included) and an
// owner drawn uniformly among users with enough connections, whose
// members are distinct connections chosen uniformly. A group for which
// ownerTries random users all have too few connections is left out, so
// sparse graphs can yield fewer groups than asked. The same graph, config
// and seed give the same groups.
func (g *Network) Groups(cfg Groups, seed uint64) []GroupSpec {
	lo, hi := max(cfg.MinSize, 2), max(cfg.MaxSize, cfg.MinSize, 2)
	if cfg.Count <= 0 {
		return nil
	}
	src := newSource(seed, streamGroups)
	users := uint64(g.Users())
	specs := make([]GroupSpec, 0, cfg.Count)
	for range cfg.Count {
		size := lo + int(src.below(uint64(hi-lo+1)))
		for range ownerTries {
			owner := sim.UserID(src.below(users))
			if nb := g.Neighbours(owner); len(nb) >= size-1 {
				specs = append(specs, GroupSpec{Owner: owner, Members: sample(nb, size-1, src)})
				break
			}
		}
	}
	return specs
}

// sample returns k distinct entries of list chosen uniformly (Floyd's
// algorithm; k is at most a group's size, so the membership test is a
// short scan), in ascending order.
func sample(list []sim.UserID, k int, src *source) []sim.UserID {
	picked := make([]int, 0, k)
	for j := len(list) - k; j < len(list); j++ {
		t := int(src.below(uint64(j + 1)))
		if slices.Contains(picked, t) {
			t = j
		}
		picked = append(picked, t)
	}
	slices.Sort(picked)
	out := make([]sim.UserID, k)
	for i, t := range picked {
		out[i] = list[t]
	}
	return out
}

// membership indexes which groups each user belongs to.
type membership struct {
	words  []memberWord // word u/64 holds bit u%64: u belongs to a group
	start  []uint32     // the i-th member's groups (in user order) are groups[start[i]:start[i+1]]
	groups []uint32
}

// memberWord is 64 users' bits and the number of members before them, so
// a user's rank among members is one read and a popcount: a binary search
// over a million users' sorted ids cost a cold cache line per probe, a
// third of the stream's time at 1M users.
type memberWord struct {
	bits   uint64
	before uint32
}

func newMembership(users int, specs []GroupSpec) membership {
	type pair struct {
		user  sim.UserID
		group uint32
	}
	var pairs []pair
	for i, s := range specs {
		for _, u := range append([]sim.UserID{s.Owner}, s.Members...) {
			if int(u) < users {
				pairs = append(pairs, pair{u, uint32(i)})
			}
		}
	}
	if len(pairs) == 0 {
		return membership{}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.group, b.group))
	})
	pairs = slices.Compact(pairs)
	m := membership{words: make([]memberWord, (users+63)/64)}
	for i, p := range pairs {
		if i == 0 || p.user != pairs[i-1].user {
			m.words[p.user/64].bits |= 1 << (p.user % 64)
			m.start = append(m.start, uint32(i))
		}
		m.groups = append(m.groups, p.group)
	}
	m.start = append(m.start, uint32(len(pairs)))
	var before uint32
	for i := range m.words {
		m.words[i].before = before
		before += uint32(bits.OnesCount64(m.words[i].bits))
	}
	return m
}

// of returns the groups u belongs to.
func (m *membership) of(u sim.UserID) []uint32 {
	if m.words == nil {
		return nil
	}
	w, bit := &m.words[u/64], uint64(1)<<(u%64)
	if w.bits&bit == 0 {
		return nil
	}
	i := w.before + uint32(bits.OnesCount64(w.bits&(bit-1)))
	return m.groups[m.start[i]:m.start[i+1]]
}
