package sim

import (
	"cmp"
	"slices"
)

// State is a whole population's users and threads at quiescence, as the
// reference model holds it or as the actor engine collects it. The digest
// and the invariant checker read it.
type State struct {
	Policy  Policy
	Users   []User
	Threads map[ThreadID]*Thread
	// Cohorts, when set, gives each thread the policy of the cohorts it
	// spans in place of Policy.
	Cohorts *Cohorts
}

// PolicyOf returns the policy in force in t.
func (s *State) PolicyOf(t *Thread) *Policy {
	if s.Cohorts == nil {
		return &s.Policy
	}
	return s.Cohorts.Merged(s.Cohorts.set(t))
}

// cohortOf returns the index of u's cohort, 0 without cohorts.
func (s *State) cohortOf(u UserID) int {
	if s.Cohorts == nil {
		return 0
	}
	return s.Cohorts.Of(u)
}

// Thread returns thread id, or nil.
func (s *State) Thread(id ThreadID) *Thread { return s.Threads[id] }

// sortedThreads returns every thread in ascending id order, for the
// checker, the digest and the measures; it is taken from one pass over the
// map rather than a lookup per id, which at millions of threads costs a
// cold read each.
func (s *State) sortedThreads() []*Thread {
	type idThread struct {
		id ThreadID
		t  *Thread
	}
	its := make([]idThread, 0, len(s.Threads))
	for id, t := range s.Threads {
		its = append(its, idThread{id, t})
	}
	slices.SortFunc(its, func(a, b idThread) int { return cmp.Compare(a.id, b.id) })
	ts := make([]*Thread, len(its))
	for i, it := range its {
		ts[i] = it.t
	}
	return ts
}

// Inbox returns u's inbox (R11): threads not archived and not deleted,
// most recent first.
func (s *State) Inbox(u UserID) []Entry {
	var es []Entry
	for _, e := range s.Users[u].Entries() {
		if !e.Archived && !e.Removed && e.Activity > 0 {
			es = append(es, e)
		}
	}
	slices.SortStableFunc(es, func(a, b Entry) int { return cmp.Compare(b.Activity, a.Activity) })
	return es
}

// View returns what u sees of thread t.
func (s *State) View(u UserID, t ThreadID) []Line {
	th := s.Threads[t]
	if th == nil {
		return nil
	}
	return th.View(u, s.PolicyOf(th))
}

// Connected reports whether a and b are connected, as the pair's authority
// holds it: the direct thread when there is one, the users' replicas
// otherwise.
func (s *State) Connected(a, b UserID) bool {
	if t := s.Threads[Direct(a, b)]; t != nil {
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
	env   Env
	queue []Msg
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
	if !w.env.Known(op.User) {
		return UnknownUser
	}
	result := OK
	w.queue = append(w.queue[:0], Msg{Kind: Start, To: op.User, Op: op})
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
		w.queue = append(w.queue, w.out.Msgs...)
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
