package actors

import "github.com/msgsim/msgsim/sim"

// Shelf keeps threads the way an engine's registry keeps them, packed
// (sim.Thread.Pack) in arenas under an open-addressing index while they
// are idle, for whoever serves them one step at a time without an
// engine: a cluster member's shard (package actors/cluster). A thread is
// taken off the shelf to handle a step and put back afterwards; taking
// it unpacks it, putting it back packs it again.
//
// A Shelf is safe for concurrent use, each thread by one goroutine at a
// time: a thread must be put back before it is taken again. Its reads
// (Store) are for quiescence, when no thread is off the shelf.
type Shelf struct {
	r registry
}

// NewShelf returns an empty shelf.
func NewShelf() *Shelf {
	sh := &Shelf{}
	sh.r.init()
	return sh
}

// Take returns thread id off the shelf, or nil when the shelf has no such
// thread.
func (sh *Shelf) Take(id sim.ThreadID) *sim.Thread {
	s := sh.r.of(id)
	s.Lock()
	defer s.Unlock()
	t := s.load(id)
	if t != nil {
		s.activate(t)
	}
	return t
}

// Hold counts t, a thread the shelf does not have, as taken, so that Put
// shelves it.
func (sh *Shelf) Hold(t *sim.Thread) {
	s := sh.r.of(t.ID)
	s.Lock()
	s.activate(t)
	s.Unlock()
}

// Put puts t back on the shelf after Take or Hold, or drops it when it is
// empty (sim.Thread.Empty: a step refused it before it held anything).
// The caller must not use t afterwards.
func (sh *Shelf) Put(t *sim.Thread) {
	s := sh.r.of(t.ID)
	s.Lock()
	s.passivate(s.live[t.ID], !t.Empty())
	s.Unlock()
}

// Len returns the number of threads on the shelf.
func (sh *Shelf) Len() int { return sh.r.len() }

// Store returns the shelf's threads as a sim.ThreadStore, to read at
// quiescence.
func (sh *Shelf) Store() sim.ThreadStore {
	return &threadStore{r: &sh.r, n: sh.Len()}
}

// IDs returns the ids of the shelf's threads, sorted: 8 bytes each, for
// reading the threads of an id range in order with Store's Get.
func (sh *Shelf) IDs() []sim.ThreadID { return sh.r.sortedIDs(sh.Len()) }
