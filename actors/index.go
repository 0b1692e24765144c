package actors

import "github.com/msgsim/msgsim/sim"

// index maps a registry shard's thread ids to where the threads are kept.
// It is an open-addressing table with linear probing and 12-byte slots
// (the id plus one in two halves, so that zero marks a free slot, and the
// where), kept between seven sixteenths and seven eighths full: 14 to 27
// bytes per thread against 36 for a Go map of 16-byte slots, which a heap
// profile of a 1M-user run showed as the largest part of a packed
// thread's cost. Growing at three quarters instead left the 5M-user
// bench's tables 0.41 full.
type index struct {
	slots []islot // a power of two of them, or none
	n     int
}

type islot struct {
	lo, hi uint32 // the id plus one; zero: free
	w      where
}

func key(id sim.ThreadID) (lo, hi uint32) {
	k := uint64(id) + 1 // ids never reach 2^64-1: a group's has 32 bits, a direct one's 62
	return uint32(k), uint32(k >> 32)
}

func (s *islot) id() sim.ThreadID { return sim.ThreadID(uint64(s.hi)<<32|uint64(s.lo)) - 1 }

// home returns the slot where a probe for id starts. The shard was chosen
// by the top bits of one multiplicative hash, so the table mixes the id
// with another (murmur3's finalizer).
func (x *index) home(id sim.ThreadID) int {
	h := uint64(id)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return int(h & uint64(len(x.slots)-1))
}

// find returns the place of id's slot, or of the free slot where it
// would go.
func (x *index) find(id sim.ThreadID) (int, bool) {
	lo, hi := key(id)
	mask := len(x.slots) - 1
	for i := x.home(id); ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.lo == lo && s.hi == hi {
			return i, true
		}
		if s.lo == 0 && s.hi == 0 {
			return i, false
		}
	}
}

// get returns where id is kept, and whether it is in the index.
func (x *index) get(id sim.ThreadID) (where, bool) {
	if x.n == 0 {
		return 0, false
	}
	i, ok := x.find(id)
	return x.slots[i].w, ok
}

// has reports whether id is in the index.
func (x *index) has(id sim.ThreadID) bool {
	_, ok := x.get(id)
	return ok
}

// set records where id is kept.
func (x *index) set(id sim.ThreadID, w where) {
	if 8*(x.n+1) > 7*len(x.slots) {
		x.grow()
	}
	i, ok := x.find(id)
	s := &x.slots[i]
	if !ok {
		s.lo, s.hi = key(id)
		x.n++
	}
	s.w = w
}

// del removes id. The slots after it, up to a free one, move back into
// the hole when their probe would otherwise no longer reach them.
func (x *index) del(id sim.ThreadID) {
	if x.n == 0 {
		return
	}
	hole, ok := x.find(id)
	if !ok {
		return
	}
	mask := len(x.slots) - 1
	for i := (hole + 1) & mask; ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.lo == 0 && s.hi == 0 {
			break
		}
		// s may fill the hole unless its home lies cyclically after the
		// hole, up to i: then a probe from there never passes the hole.
		if h := x.home(s.id()); (i-h)&mask >= (i-hole)&mask {
			x.slots[hole] = *s
			hole = i
		}
	}
	x.slots[hole] = islot{}
	x.n--
}

func (x *index) grow() {
	old := x.slots
	x.slots = make([]islot, max(16, 2*len(old)))
	x.n = 0
	for i := range old {
		if s := &old[i]; s.lo != 0 || s.hi != 0 {
			i, _ := x.find(s.id())
			x.slots[i] = *s
			x.n++
		}
	}
}

// entries yields every id in the index with where it is, in the order of
// the slots, changing nothing, so several readers may range over it at
// once.
func (x *index) entries(yield func(sim.ThreadID, where) bool) {
	for i := range x.slots {
		if s := &x.slots[i]; s.lo != 0 || s.hi != 0 {
			if !yield(s.id(), s.w) {
				return
			}
		}
	}
}

// each calls f for every id and where in the index; f returns the where
// to keep, so a compaction can move every thread in one pass.
func (x *index) each(f func(sim.ThreadID, where) where) {
	for i := range x.slots {
		if s := &x.slots[i]; s.lo != 0 || s.hi != 0 {
			s.w = f(s.id(), s.w)
		}
	}
}
