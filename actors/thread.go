package actors

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// threadActor is the shell around one sim.Thread, the serialization point
// of everything in the thread.
type threadActor struct {
	e   *Engine
	id  sim.ThreadID
	sl  *slot
	out sim.Outbox
}

// Receive implements actor.Actor.
func (a *threadActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *step:
		a.find(ctx)
		a.out.Reset()
		a.sl.state.Handle(&m.Msg, &a.e.env, &a.out)
		a.e.route(a.out.Msgs)
		m.free()
		a.e.threadDone(ctx, a.id, a.sl)
		a.e.processed()
	case crash:
		a.find(ctx)
		a.e.threadDone(ctx, a.id, a.sl)
		a.e.processed()
		panic(m)
	case *actor.Restarting:
		a.e.restarted()
	}
}

// find resolves the thread the actor wraps from its name, on its first
// message (not on Started, which may run while the spawner holds the
// registry's lock).
func (a *threadActor) find(ctx actor.Context) {
	if a.sl == nil {
		a.id = sim.ThreadID(stateID(ctx))
		a.sl = a.e.threads.get(a.id)
	}
}

// slot is a thread's place in the registry: its state, kept while the
// thread is passivated, and its actor while it is live.
type slot struct {
	state *sim.Thread
	pid   *actor.PID // nil while passivated
	mb    *mailbox   // pid's mailbox
	inbox int        // messages sent to pid and not yet processed
}

const shards = 256

// registry maps thread ids to slots. Each shard's lock orders a thread's
// activation, sends and passivation, so no message is ever sent to an
// actor that is stopping.
type registry struct {
	shard [shards]struct {
		sync.Mutex
		m map[sim.ThreadID]*slot
	}
}

func (r *registry) init() {
	for i := range r.shard {
		r.shard[i].m = make(map[sim.ThreadID]*slot)
	}
}

func shardOf(id sim.ThreadID) int { return int((uint64(id) * 0x9E3779B97F4A7C15) >> 56) }

// get returns thread id's slot, which must exist.
func (r *registry) get(id sim.ThreadID) *slot {
	s := &r.shard[shardOf(id)]
	s.Lock()
	defer s.Unlock()
	return s.m[id]
}

func (r *registry) each(f func(sim.ThreadID, *slot)) {
	for i := range r.shard {
		s := &r.shard[i]
		s.Lock()
		for id, sl := range s.m {
			f(id, sl)
		}
		s.Unlock()
	}
}

// sendThread delivers m to its thread, creating the thread or reactivating
// its passivated actor as needed.
func (e *Engine) sendThread(m *sim.Msg) {
	if !e.sendOrCreate(m) {
		var out sim.Outbox
		sim.Missing(m, &out)
		e.route(out.Msgs)
	}
}

// sendOrCreate sends m to its thread, creating the thread when m may, and
// reports whether the thread exists.
func (e *Engine) sendOrCreate(m *sim.Msg) bool {
	s := &e.threads.shard[shardOf(m.Thread)]
	s.Lock()
	sl := s.m[m.Thread]
	if sl == nil {
		if !sim.Creates(m) {
			s.Unlock()
			return false
		}
		sl = &slot{state: sim.NewThread(m.Thread, m.Pair)}
		s.m[m.Thread] = sl
	}
	mb := e.claim(sl, m.Thread)
	s.Unlock()
	e.send(mb, m)
	return true
}

// claim returns the actor of thread id's slot sl for one more message,
// spawning an actor when the thread has none. The caller holds the slot's
// shard lock and sends the message after releasing it: the claimed message
// keeps the actor from passivating until it has handled it, and no lock is
// held while an actor runs (with the synchronized dispatcher of
// deterministic mode the send runs the actor on the caller's goroutine).
func (e *Engine) claim(sl *slot, id sim.ThreadID) *mailbox {
	if sl.pid == nil {
		sl.pid, sl.mb = e.spawn(e.threadProps, threadPrefix, uint64(id), e.incarnations.Add(1))
		if e.live.Add(1); sl.state.Last() > 0 || len(sl.state.Log()) > 0 {
			e.passive.Add(-1)
		}
		e.observeThreads()
	}
	sl.inbox++
	return sl.mb
}

// sendExisting sends m to its thread if the thread exists, reactivating it
// if it is passivated, and reports whether it did.
func (e *Engine) sendExisting(m *sim.Msg) bool {
	s := &e.threads.shard[shardOf(m.Thread)]
	s.Lock()
	sl := s.m[m.Thread]
	if sl == nil {
		s.Unlock()
		return false
	}
	mb := e.claim(sl, m.Thread)
	s.Unlock()
	e.send(mb, m)
	return true
}

// threadDone is called by a thread actor after each message: an empty
// thread (made by a refused step) is dropped, and an idle one passivates
// when too many thread actors are live. Both happen under the shard lock,
// only when no message for the actor is in flight.
func (e *Engine) threadDone(ctx actor.Context, id sim.ThreadID, sl *slot) {
	s := &e.threads.shard[shardOf(id)]
	s.Lock()
	defer s.Unlock()
	sl.inbox--
	if sl.inbox > 0 || sl.pid != ctx.Self() {
		return
	}
	empty := sl.state.Empty()
	if !empty && e.cfg.MaxLiveThreads >= 0 && e.live.Load() <= int64(e.cfg.MaxLiveThreads) {
		return
	}
	sl.pid, sl.mb = nil, nil
	e.live.Add(-1)
	if empty {
		delete(s.m, id)
	} else {
		sl.state.Compact()
		e.passive.Add(1)
	}
	ctx.Stop(ctx.Self())
	e.observeThreads()
}

func (e *Engine) observeThreads() {
	if e.obs != nil {
		e.obs.SetThreads(int(e.live.Load()), int(e.passive.Load()))
	}
}

// Passivate stops every idle thread actor now, keeping each thread's state
// in the registry. Call it at quiescence; it returns once the actors are
// gone.
func (e *Engine) Passivate() {
	var futures []*actor.Future
	e.threads.each(func(_ sim.ThreadID, sl *slot) {
		if sl.pid == nil || sl.inbox > 0 {
			return
		}
		futures = append(futures, e.root.StopFuture(sl.pid))
		sl.pid, sl.mb = nil, nil
		sl.state.Compact()
		e.live.Add(-1)
		e.passive.Add(1)
	})
	for _, f := range futures {
		_ = f.Wait()
	}
	e.observeThreads()
}
