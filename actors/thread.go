package actors

import (
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

type shard struct {
	sync.Mutex
	m    map[sim.ThreadID]*sim.Thread // every thread, live or passivated
	live map[sim.ThreadID]*slot       // the threads that have a host
	free []*slot                      // slots of passivated threads, to reuse
}

func (r *registry) init() {
	for i := range r.shard {
		r.shard[i].m = make(map[sim.ThreadID]*sim.Thread)
		r.shard[i].live = make(map[sim.ThreadID]*slot)
	}
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

// passivate takes sl, idle and without a host, out of the live threads.
func (s *shard) passivate(sl *slot) {
	delete(s.live, sl.state.ID)
	*sl = slot{}
	s.free = append(s.free, sl)
}

func shardOf(id sim.ThreadID) int { return int((uint64(id) * 0x9E3779B97F4A7C15) >> 56) }

// eachShard calls f for every shard, under the shard's lock.
func (r *registry) eachShard(f func(*shard)) {
	for i := range r.shard {
		s := &r.shard[i]
		s.Lock()
		f(s)
		s.Unlock()
	}
}

// sendThread delivers m to its thread, creating the thread or reactivating
// its passivated actor as needed.
func (e *Engine) sendThread(m *sim.Msg) {
	if !e.sendOrCreate(m) {
		out := outboxes.Get().(*sim.Outbox)
		sim.Missing(m, out)
		e.route(out)
	}
}

// sendOrCreate sends m to its thread, creating the thread when m may
// (sim.Creates) and reactivating it when it is passivated, and reports
// whether the thread exists.
func (e *Engine) sendOrCreate(m *sim.Msg) bool {
	s := &e.threads.shard[shardOf(m.Thread)]
	s.Lock()
	sl := s.live[m.Thread]
	if sl == nil {
		t := s.m[m.Thread]
		if t == nil {
			if !sim.Creates(m) {
				s.Unlock()
				return false
			}
			t = sim.NewThread(m.Thread, m.Pair)
			s.m[m.Thread] = t
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
		if e.live.Add(1); sl.state.Last() > 0 || len(sl.state.Log()) > 0 {
			e.passive.Add(-1)
		}
		e.observeThreads()
	}
	sl.inbox++
	return sl.host.mb
}

// threadDone is called by a host after each step of thread sl: an empty
// thread (made by a refused step) is dropped, and an idle one passivates
// unless Config.MaxLiveThreads lets it keep its host. Both happen under the shard lock, only
// when no step for the thread is in flight, and hand the host back.
func (e *Engine) threadDone(sl *slot) {
	id := sl.state.ID
	s := &e.threads.shard[shardOf(id)]
	s.Lock()
	defer s.Unlock()
	sl.inbox--
	if sl.inbox > 0 {
		return
	}
	empty := sl.state.Empty()
	if !empty && e.live.Load() <= int64(e.cfg.MaxLiveThreads) {
		return
	}
	e.hosts.give(sl.host)
	e.live.Add(-1)
	if empty {
		delete(s.m, id)
	} else {
		sl.state.Compact()
		e.passive.Add(1)
	}
	s.passivate(sl)
	e.observeThreads()
}

func (e *Engine) observeThreads() {
	if e.obs != nil {
		e.obs.SetThreads(int(e.live.Load()), int(e.passive.Load()))
	}
}

// Passivate passivates every idle thread now, keeping its state in the
// registry, and stops every idle host (every host, at quiescence, unless
// Config.MaxLiveThreads keeps threads live). Call it at quiescence; it returns
// once the actors are gone.
func (e *Engine) Passivate() {
	e.threads.eachShard(func(s *shard) {
		for _, sl := range s.live {
			if sl.inbox > 0 {
				continue
			}
			e.hosts.give(sl.host)
			sl.state.Compact()
			e.live.Add(-1)
			e.passive.Add(1)
			s.passivate(sl) // deleting from the map being ranged over is allowed
		}
	})
	e.hosts.stop(e)
	e.observeThreads()
}
