package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// hostActor is the actor of a user or a thread while it is live: the
// serialization point of everything the user or thread does. Actors are
// hosts, reused from one user or thread to the next: each step names
// whom it is for (a user by its To, a thread by its slot), a live user or
// thread has one host at a time, given under a lock when a step for it is
// sent, and one with no step in flight hands its host back for the next
// to activate. Reusing a host costs a pointer where stopping one actor and
// spawning another cost system messages, a process-registry entry and
// several allocations: at 100k users most sends open a new thread, and a
// run of a million users spawned up to a million user actors. The few
// hosts in use stay in the caches.
type hostActor struct {
	e *Engine
}

// Receive implements actor.Actor.
func (a *hostActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *envelope:
		if m.slot != nil {
			a.e.threadStep(m)
		} else {
			a.e.userStep(m)
		}
	case *actor.Restarting:
		a.e.restarted()
		a.e.processed() // the wait afterPanic began
	}
}

// threadStep applies a step to its thread and sends what it causes. The
// thread is released (and the step counted as processed) even if its
// handler panics, and an operation it was to decide is given up.
func (e *Engine) threadStep(m *envelope) {
	sl := m.slot
	defer e.processed()
	defer e.threadDone(sl)
	handled, returned := false, false
	defer e.afterPanic(&handled, &returned, &m.Step)
	out := outboxes.Get().(*sim.Outbox)
	sl.state.Handle(&m.Step, &e.env, out)
	e.trace(&m.Step, out)
	handled = true
	e.route(out)
	m.free()
	returned = true
}

// userStep applies a step to its user, counts its notifications and sends
// what it causes; as threadStep, it gives up an operation it was to
// decide if its handler panics.
func (e *Engine) userStep(m *envelope) {
	to := m.To
	defer e.processed()
	defer e.userDone(to)
	handled, returned := false, false
	defer e.afterPanic(&handled, &returned, &m.Step)
	u := &e.users[to]
	out := outboxes.Get().(*sim.Outbox)
	if e.obs == nil {
		u.Handle(&m.Step, &e.env, out)
	} else {
		before := u.Counters
		u.Handle(&m.Step, &e.env, out)
		CountNotifications(e.obs, &before, &u.Counters)
	}
	e.trace(&m.Step, out)
	handled = true
	e.route(out)
	m.free()
	returned = true
}

// afterPanic is deferred by a step's host and runs as a panic unwinds:
// when m's handler did not return it gives up m's operation (undecided),
// and when the step did not return it keeps the engine from being quiet
// until the supervisor has restarted the host (the host's Restarting ends
// the wait), so that a run that ends has its panics and restarts counted.
// The supervisor records both asynchronously, after the step has unwound.
func (e *Engine) afterPanic(handled, returned *bool, m *sim.Step) {
	if !*handled {
		e.undecided(m)
	}
	if !*returned {
		e.pending.Add(1)
	}
}

// host is an actor and its mailbox.
type host struct {
	pid *actor.PID
	mb  *mailbox
}

// hosts keeps the idle hosts, to hand out last in, first out.
type hosts struct {
	sync.Mutex
	idle []*host
	made int // hosts spawned, for their names
}

// take returns an idle host, spawning one when there is none.
func (h *hosts) take(e *Engine) *host {
	h.Lock()
	if n := len(h.idle); n > 0 {
		t := h.idle[n-1]
		h.idle = h.idle[:n-1]
		h.Unlock()
		return t
	}
	h.made++
	n := h.made
	h.Unlock()
	return e.spawn(uint64(n))
}

func (h *hosts) give(t *host) {
	h.Lock()
	h.idle = append(h.idle, t)
	h.Unlock()
}

// stop stops every idle host and waits until they are gone.
func (h *hosts) stop(e *Engine) {
	h.Lock()
	idle := h.idle
	h.idle = nil
	h.Unlock()
	st := stopper{root: e.root}
	for _, t := range idle {
		st.stop(t.pid)
	}
	st.wait()
}
