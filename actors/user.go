package actors

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// userActor is the shell around one sim.User: it decodes a step, lets the
// user's state machine decide, counts, and sends the effects on.
type userActor struct {
	e *Engine
	u *sim.User // survives restarts: each incarnation finds it by its name
}

// Receive implements actor.Actor.
func (a *userActor) Receive(ctx actor.Context) {
	if a.u == nil {
		a.u = &a.e.users[stateID(ctx)]
	}
	switch m := ctx.Message().(type) {
	case *step:
		defer a.e.processed()
		before := a.u.Counters
		out := outboxes.Get().(*sim.Outbox)
		a.u.Handle(&m.Msg, &a.e.env, out)
		a.e.count(&before, &a.u.Counters)
		a.e.route(out)
		m.free()
	case crash:
		defer a.e.processed()
		panic(m.reason)
	case *actor.Restarting:
		a.e.restarted()
	}
}

// crash makes an actor panic, for tests of supervision; one for a thread's
// host names the thread, which has counted it in its inbox.
type crash struct {
	reason string
	slot   *slot
}

func (e *Engine) restarted() {
	e.restarts.Add(1)
	if e.obs != nil {
		e.obs.Restart()
	}
}

// count tells the observer how a user's notification counters moved.
func (e *Engine) count(before, after *sim.Counters) {
	if e.obs == nil {
		return
	}
	for c := range after.Notified {
		if d := after.Notified[c] - before.Notified[c]; d > 0 {
			e.obs.Notified(sim.Cause(c), int(d))
		}
	}
	for r := range after.Suppressed {
		if d := after.Suppressed[r] - before.Suppressed[r]; d > 0 {
			e.obs.Suppressed(sim.Reason(r), int(d))
		}
	}
}
