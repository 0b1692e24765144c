package sim

import (
	"cmp"
	"iter"
	"maps"
	"slices"
)

// State is a whole population's users and threads at quiescence, as the
// reference model holds it or as the actor engine lends it (its threads
// through Store). The digest, the invariant checker and the measures read
// it.
type State struct {
	Policy Policy
	Users  []User
	// Threads holds every thread unpacked, as the reference model keeps
	// them, unless Store is set.
	Threads map[ThreadID]*Thread
	// Store, when set, holds the threads in place of Threads: the actor
	// engine's registry, which unpacks a packed thread only while it is
	// read, so checking millions of threads does not copy them all.
	Store ThreadStore
	// Cohorts, when set, gives each thread the policy of the cohorts it
	// spans in place of Policy.
	Cohorts *Cohorts
}

// ThreadStore is a population's threads as the checker, the digest and
// the measures read them at quiescence. A thread it returns may be storage
// it reuses: it is valid until the next Get, or while the loop over All
// or Each is at it. Len, Has, All and Each may be called from several
// goroutines at once, each loop with storage of its own, so those passes
// can run side by side; Get may not.
type ThreadStore interface {
	Len() int
	Has(id ThreadID) bool
	Get(id ThreadID) *Thread // nil when there is no such thread
	All() iter.Seq[*Thread]  // every thread once, in ascending id order
	// Each yields every thread once in the order the store keeps them,
	// for passes whose result does not depend on the order: faster than
	// All where sorting means reading at random.
	Each() iter.Seq[*Thread]
}

// threadMap is the reference model's threads as a ThreadStore.
type threadMap map[ThreadID]*Thread

func (m threadMap) Len() int                { return len(m) }
func (m threadMap) Has(id ThreadID) bool    { return m[id] != nil }
func (m threadMap) Get(id ThreadID) *Thread { return m[id] }
func (m threadMap) Each() iter.Seq[*Thread] { return maps.Values(m) }

// All yields the threads in ascending id order from one pass over the map
// rather than a lookup per id, which at millions of threads costs a cold
// read each.
func (m threadMap) All() iter.Seq[*Thread] {
	return func(yield func(*Thread) bool) {
		type idThread struct {
			id ThreadID
			t  *Thread
		}
		its := make([]idThread, 0, len(m))
		for id, t := range m {
			its = append(its, idThread{id, t})
		}
		slices.SortFunc(its, func(a, b idThread) int { return cmp.Compare(a.id, b.id) })
		for _, it := range its {
			if !yield(it.t) {
				return
			}
		}
	}
}

func (s *State) threads() ThreadStore {
	if s.Store != nil {
		return s.Store
	}
	return threadMap(s.Threads)
}

// ThreadCount returns the number of threads.
func (s *State) ThreadCount() int { return s.threads().Len() }

// AllThreads yields every thread once, in ascending id order. A thread
// yielded may be valid only until the loop moves on.
func (s *State) AllThreads() iter.Seq[*Thread] { return s.threads().All() }

// MessageCount returns the number of messages stored in all threads,
// recalled ones included.
func (s *State) MessageCount() int {
	n := 0
	for t := range s.threads().Each() {
		n += int(t.Last())
	}
	return n
}

// PolicyOf returns the policy in force in t.
func (s *State) PolicyOf(t *Thread) *Policy {
	if s.Cohorts == nil {
		return &s.Policy
	}
	return s.Cohorts.Merged(s.Cohorts.set(t))
}

// Thread returns thread id, or nil. It may be valid only until the next
// call (see ThreadStore).
func (s *State) Thread(id ThreadID) *Thread { return s.threads().Get(id) }

// Inbox returns u's inbox (R11): threads not archived and not deleted,
// most recent first.
func (s *State) Inbox(u UserID) []Entry { return appendInbox(nil, s.Users[u].Entries()) }

// appendInbox appends to in the entries of es, sorted by thread, that are
// in the inbox, in the inbox's order.
func appendInbox(in, es []Entry) []Entry {
	n := len(in)
	for _, e := range es {
		if !e.Archived && !e.Removed && e.Activity > 0 {
			in = append(in, e)
		}
	}
	slices.SortStableFunc(in[n:], func(a, b Entry) int { return cmp.Compare(b.Activity, a.Activity) })
	return in
}

// View returns what u sees of thread t.
func (s *State) View(u UserID, t ThreadID) []Line {
	th := s.Thread(t)
	if th == nil {
		return nil
	}
	return th.View(u, s.PolicyOf(th))
}

// Connected reports whether a and b are connected, as the pair's authority
// holds it: the direct thread when there is one, the users' replicas
// otherwise.
func (s *State) Connected(a, b UserID) bool {
	if t := s.Thread(Direct(a, b)); t != nil {
		return t.Pair.Connected
	}
	return s.Users[a].Connected(b)
}

// World is the sequential reference model: every user and thread in one
// plain data structure, applying one operation at a time to quiescence. It
// runs the same handlers as the actor engine, with a queue in place of
// mailboxes. A World is not safe for concurrent use.
type World struct {
	State
	// Trace, when set, is called after each step the world handles with
	// the step and the steps it caused, before they are queued, so a test
	// can print what travels between users and threads.
	Trace func(handled *Step, caused []Step)
	env   Env
	queue []Step
	out   Outbox
}

// NewWorld returns a world of n users under policy p. conns(u) gives u's
// initial connections, sorted; the world keeps the slices without copying
// until they change.
func NewWorld(p Policy, n int, conns func(UserID) []UserID) *World {
	w := &World{State: State{Policy: p, Users: make([]User, n), Threads: make(map[ThreadID]*Thread)}}
	w.env = Env{Policy: &w.State.Policy, Users: n}
	for i := range w.Users {
		w.Users[i] = User{ID: UserID(i)}
		if conns != nil {
			w.Users[i].conns = conns(UserID(i))
		}
	}
	return w
}

// WorldOn returns a world that applies operations to s's own users and
// threads, as an engine seeds its population before it runs.
func WorldOn(s *State) *World {
	w := &World{State: *s}
	w.env = Env{Policy: &w.State.Policy, Users: len(s.Users), Cohorts: s.Cohorts}
	return w
}

// SetCohorts puts the world's users into cohorts under policies of their
// own. Call it before the first Apply.
func (w *World) SetCohorts(c *Cohorts) {
	w.State.Cohorts = c
	w.env.Cohorts = c
}

// Env returns the environment the world's handlers read.
func (w *World) Env() *Env { return &w.env }

// Apply applies op to quiescence and returns its outcome.
func (w *World) Apply(op Op) Outcome {
	if o, ok := w.env.Unroutable(&op); ok {
		return o
	}
	result := OK
	w.queue = append(w.queue[:0], Step{Kind: Start, To: op.User, Op: op})
	for i := 0; i < len(w.queue); i++ {
		m := &w.queue[i]
		w.out.Reset()
		switch {
		case m.Kind == Done:
			result = m.Outcome
			continue
		case m.ToThread():
			t := w.Threads[m.Thread]
			if t == nil {
				if !Creates(m) {
					Missing(m, &w.out)
					break
				}
				t = NewThread(m.Thread, m.Pair)
				w.Threads[m.Thread] = t
			}
			t.Handle(m, &w.env, &w.out)
			if t.Empty() {
				delete(w.Threads, m.Thread)
			}
		default:
			w.Users[m.To].Handle(m, &w.env, &w.out)
		}
		if w.Trace != nil {
			w.Trace(m, w.out.Steps)
		}
		w.queue = append(w.queue, w.out.Steps...)
	}
	return result
}

// ProfileVisible reports whether u may view v's profile now (R8), as u's
// own state judges it.
func (s *State) ProfileVisible(u, v UserID) bool {
	usr := &s.Users[u]
	return !usr.blockedEither(v)
}

// Unread returns u's unread count in thread t.
func (s *State) Unread(u UserID, t ThreadID) int {
	e, _ := s.Users[u].Entry(t)
	return int(e.Unread)
}

// Notifications returns every notification u has received.
func (s *State) Notifications(u UserID) int {
	n := 0
	for _, c := range s.Users[u].Counters.Notified {
		n += int(c)
	}
	return n
}
