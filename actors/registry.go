package actors

import (
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/msgsim/msgsim/sim"
)

// slot is a live thread's place in the registry: its state and its host.
// A passivated thread has no slot, only its state in the registry; slots
// are reused, so the millions of passivated threads of a big run cost no
// slot each.
type slot struct {
	state *sim.Thread
	host  *host // set by the claim that follows activation
	inbox int   // steps sent to host for this thread and not yet processed
}

const shards = 256

// registry maps thread ids to threads, and live threads' ids to their
// slots. Each shard's lock orders a thread's activation, sends and
// passivation, so no message is ever sent to an actor that is stopping.
type registry struct {
	shard [shards]shard
}

// A shard keeps its passivated threads packed (sim.Thread.Pack) in an
// arena: a direct thread with a message takes about 16 bytes there instead
// of about 150 as a sim.Thread with its members and message. Threads too
// large to unpack cheaply at every activation stay unpacked in big.
type shard struct {
	sync.Mutex
	m     index                        // every passivated thread, and live ones that were
	live  map[sim.ThreadID]*slot       // the threads that have a host
	big   map[sim.ThreadID]*sim.Thread // threads kept unpacked, live or not
	free  []*slot                      // slots of passivated threads, to reuse
	spare []*sim.Thread                // threads just packed, to unpack the next ones into
	arena arena                        // packed threads
	buf   []byte                       // where a thread is packed before it goes to the arena
	texts sim.Texts
}

// where says where a thread is kept while it is passivated: packed at an
// offset of its shard's arena, or in big. A live thread's entry is left
// as it was, its packed bytes counted as waste, until it passivates again.
// Offsets have 30 bits: a shard packs at most 1 GiB (256 GiB in all) and
// keeps threads unpacked past it.
type where uint32

const (
	packed where = iota
	inBig
	repacking // live, and its old packed bytes are gone with a compaction
	whereBits = 2
)

func (w where) kind() where { return w & (1<<whereBits - 1) }
func (w where) offset() int { return int(w >> whereBits) }
func at(off int) where      { return where(off) << whereBits }

const maxArena = 1<<(32-whereBits) - blockSize

// Packing limits: a thread with more messages, members or events than
// these stays unpacked, so unpacking it at each activation costs at most a
// few hundred nanoseconds and a busy group never costs time quadratic in
// its length. With 32 messages, deleting in a thread of a few dozen
// (BenchmarkHotDelete) took 2.8 us instead of 0.77; with 8, memory per
// stored message at 10k users, where threads hold three on average, is
// 54 bytes instead of 50.
const (
	packMessages = 8
	packMembers  = 16
	packEvents   = 64
)

func packable(t *sim.Thread) bool {
	return len(t.Messages()) <= packMessages && len(t.Members()) <= packMembers && len(t.Log()) <= packEvents
}

func (r *registry) init() {
	for i := range r.shard {
		r.shard[i].live = make(map[sim.ThreadID]*slot)
		r.shard[i].big = make(map[sim.ThreadID]*sim.Thread)
	}
}

// load returns passivated thread id, unpacking it into a spare thread, or
// nil when there is no such thread.
func (s *shard) load(id sim.ThreadID) *sim.Thread {
	w, ok := s.m.get(id)
	if !ok {
		return nil
	}
	if w.kind() == inBig {
		return s.big[id]
	}
	var t *sim.Thread
	if n := len(s.spare); n > 0 {
		t, s.spare = s.spare[n-1], s.spare[:n-1]
	} else {
		t = new(sim.Thread)
	}
	s.unpack(t, id, s.packedAt(id, w))
	s.arena.free(w.offset())
	return t
}

// packedAt returns the bytes of thread id, packed at w.
func (s *shard) packedAt(id sim.ThreadID, w where) []byte {
	if w.kind() != packed {
		panic(fmt.Sprintf("actors: thread %v is live but has no slot", id))
	}
	return s.arena.at(w.offset())
}

func (s *shard) unpack(t *sim.Thread, id sim.ThreadID, b []byte) {
	if err := t.Unpack(id, b, &s.texts); err != nil {
		// The registry packed these bytes itself; sim's round-trip and
		// fuzz tests keep this from happening.
		panic(fmt.Sprintf("actors: registry corrupted: %v", err))
	}
}

// store keeps t, passivated: packed when it is small, and then t is spare,
// otherwise in big.
func (s *shard) store(t *sim.Thread) {
	if packable(t) && s.arena.size() < maxArena {
		if s.arena.wasteful() {
			s.compact()
		}
		s.buf = t.Pack(s.buf[:0], &s.texts)
		if off, ok := s.arena.add(s.buf); ok {
			s.m.set(t.ID, at(off))
			if len(s.big) > 0 {
				delete(s.big, t.ID) // kept there once when its bytes were too many; an edit can shorten them
			}
			if len(s.spare) < maxSpare {
				s.spare = append(s.spare, t)
			}
			return
		}
	}
	t.Compact()
	s.big[t.ID] = t
	s.m.set(t.ID, inBig)
}

// maxSpare bounds a shard's spare threads: new threads are made, not taken
// from them, so in a run that opens threads faster than it reactivates
// them the spares would otherwise pile up.
const maxSpare = 8

// compact copies the packed threads into a new arena without the bytes no
// thread uses. It runs when an eighth of the arena is waste, so each
// activation pays for copying about eight packed threads and visiting
// their index slots; at a quarter the waste cost about 3 bytes more per
// thread.
func (s *shard) compact() {
	var a arena
	s.m.each(func(id sim.ThreadID, w where) where {
		switch {
		case w.kind() != packed:
			return w
		case s.live[id] != nil:
			return repacking
		}
		off, _ := a.add(s.arena.at(w.offset())) // it fitted a block before
		return at(off)
	})
	s.arena = a
}

// activate returns a slot for thread t, which has none.
func (s *shard) activate(t *sim.Thread) *slot {
	var sl *slot
	if n := len(s.free); n > 0 {
		sl, s.free = s.free[n-1], s.free[:n-1]
	} else {
		sl = new(slot)
	}
	sl.state = t
	s.live[t.ID] = sl
	return sl
}

// passivate takes sl, idle and without a host, out of the live threads;
// keep stores its thread, otherwise it is dropped.
func (s *shard) passivate(sl *slot, keep bool) {
	id := sl.state.ID
	delete(s.live, id)
	switch {
	case keep:
		s.store(sl.state)
	default:
		s.m.del(id)
		delete(s.big, id)
	}
	*sl = slot{}
	s.free = append(s.free, sl)
}

// ids appends the id of every thread of the shard, live or not.
func (s *shard) ids(to []sim.ThreadID) []sim.ThreadID {
	for id := range s.fresh {
		to = append(to, id)
	}
	for id := range s.m.entries {
		to = append(to, id)
	}
	return to
}

// len returns the number of threads of the shard, live or not.
func (s *shard) len() int {
	n := s.m.n
	for range s.fresh {
		n++
	}
	return n
}

// fresh yields the ids of the live threads that were never passivated,
// the only threads the index does not hold.
func (s *shard) fresh(yield func(sim.ThreadID) bool) {
	for id := range s.live {
		if !s.m.has(id) && !yield(id) {
			return
		}
	}
}

// peek returns thread id as it is, live or passivated, unpacking a packed
// one into t, or nil when there is no such thread. Unlike load it changes
// nothing: the packed bytes stay where they are.
func (s *shard) peek(id sim.ThreadID, t *sim.Thread) *sim.Thread {
	if sl := s.live[id]; sl != nil {
		return sl.state
	}
	w, ok := s.m.get(id)
	if !ok {
		return nil
	}
	return s.kept(id, w, t)
}

// kept returns passivated thread id, kept at w: from big, or unpacked
// into t. It changes nothing.
func (s *shard) kept(id sim.ThreadID, w where, t *sim.Thread) *sim.Thread {
	if w.kind() == inBig {
		return s.big[id]
	}
	s.unpack(t, id, s.packedAt(id, w))
	return t
}

// threadStore is the registry as a sim.ThreadStore, read at quiescence.
type threadStore struct {
	r   *registry
	n   int
	get sim.Thread // what Get unpacks a packed thread into
}

func (st *threadStore) Len() int { return st.n }

func (st *threadStore) Has(id sim.ThreadID) bool {
	s := st.r.of(id)
	return s.live[id] != nil || s.m.has(id)
}

func (st *threadStore) Get(id sim.ThreadID) *sim.Thread { return st.r.of(id).peek(id, &st.get) }

// All sorts the threads' ids, 8 bytes each, and visits the threads in
// that order, unpacking each packed one into a thread of the loop's own.
func (st *threadStore) All() iter.Seq[*sim.Thread] {
	return func(yield func(*sim.Thread) bool) {
		var each sim.Thread
		for _, id := range st.r.sortedIDs(st.n) {
			if !yield(st.r.of(id).peek(id, &each)) {
				return
			}
		}
	}
}

// Each visits the threads shard by shard, each shard's live ones and then
// its index's in slot order: a shard's index and arena, about a tenth of
// a megabyte each at 1M users, are read in place instead of at random as
// All reads them.
func (st *threadStore) Each() iter.Seq[*sim.Thread] {
	return func(yield func(*sim.Thread) bool) {
		var each sim.Thread
		for i := range st.r.shard {
			s := &st.r.shard[i]
			for _, sl := range s.live {
				if !yield(sl.state) {
					return
				}
			}
			for id, w := range s.m.entries {
				if s.live[id] == nil && !yield(s.kept(id, w, &each)) {
					return
				}
			}
		}
	}
}

func shardOf(id sim.ThreadID) int { return int((uint64(id) * 0x9E3779B97F4A7C15) >> 56) }

func (r *registry) of(id sim.ThreadID) *shard { return &r.shard[shardOf(id)] }

// len returns the number of threads, live or not.
func (r *registry) len() int {
	n := 0
	for i := range r.shard {
		n += r.shard[i].len()
	}
	return n
}

// sortedIDs returns the ids of every thread, live or not, sorted; n is
// how many there are, for the slice's capacity.
func (r *registry) sortedIDs(n int) []sim.ThreadID {
	ids := make([]sim.ThreadID, 0, n)
	for i := range r.shard {
		ids = r.shard[i].ids(ids)
	}
	slices.Sort(ids)
	return ids
}

// eachShard calls f for every shard, under the shard's lock.
func (r *registry) eachShard(f func(*shard)) {
	for i := range r.shard {
		s := &r.shard[i]
		s.Lock()
		f(s)
		s.Unlock()
	}
}
