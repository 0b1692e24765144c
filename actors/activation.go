package actors

import "github.com/msgsim/msgsim/sim"

// A thread's actor comes and goes: a step for a new or passivated thread
// activates it in the registry and claims a host for it, and the host is
// handed back when the thread's last step in flight has been handled.

// sendThread delivers m to its thread, creating the thread or reactivating
// its passivated actor as needed.
func (e *Engine) sendThread(m *sim.Step) {
	if !e.sendOrCreate(m) {
		out := outboxes.Get().(*sim.Outbox)
		sim.Missing(m, out)
		e.trace(m, out)
		e.route(out)
	}
}

// sendOrCreate sends m to its thread, creating the thread when m may
// (sim.Creates) and reactivating it when it is passivated, and reports
// whether the thread exists.
func (e *Engine) sendOrCreate(m *sim.Step) bool {
	s := e.threads.of(m.Thread)
	s.Lock()
	sl := s.live[m.Thread]
	if sl == nil {
		t := s.load(m.Thread)
		if t == nil {
			if !sim.Creates(m) {
				s.Unlock()
				return false
			}
			t = sim.NewThread(m.Thread, m.Pair)
		}
		sl = s.activate(t)
	}
	mb := e.claim(sl)
	s.Unlock()
	e.sendStep(mb, m, sl)
	return true
}

// claim returns the host of slot sl for one more step, giving the thread
// an idle host, or a new one, when it has none. The caller holds the
// slot's shard lock and sends the step after releasing it: the claimed
// step keeps the thread from passivating until it has been handled, and
// no lock is held while an actor runs (with the synchronized dispatcher of
// deterministic mode the send runs the actor on the caller's goroutine).
func (e *Engine) claim(sl *slot) *mailbox {
	if sl.host == nil {
		sl.host = e.hosts.take(e)
		if e.live.Add(1); !sl.state.Empty() { // stored when it passivated (threadDone), or seeded
			e.passive.Add(-1)
		}
		e.observeThreads()
	}
	sl.inbox++
	return sl.host.mb
}

// threadDone is called by a host after each step of thread sl: an empty
// thread (made by a refused step) is dropped, and an idle one passivates.
// Both happen under the shard lock, only when no step for the thread is in
// flight, and hand the host back.
func (e *Engine) threadDone(sl *slot) {
	id := sl.state.ID
	s := e.threads.of(id)
	s.Lock()
	defer s.Unlock()
	sl.inbox--
	if sl.inbox > 0 {
		return
	}
	empty := sl.state.Empty()
	e.hosts.give(sl.host)
	e.live.Add(-1)
	if !empty {
		e.passive.Add(1)
	}
	s.passivate(sl, !empty)
	e.observeThreads()
}

func (e *Engine) observeThreads() {
	if e.obs != nil {
		e.obs.SetThreads(int(e.live.Load()), int(e.passive.Load()))
	}
}

// Passivate stops every idle host: at quiescence every one, since users
// and threads hand theirs back as soon as they are idle. Call it at
// quiescence, before measuring memory; it returns once the actors are
// gone.
func (e *Engine) Passivate() {
	e.hosts.stop(e)
}
