package actors

import (
	"sync"

	"github.com/msgsim/msgsim/sim"
)

// userSlot is a user's host while the user is live, and the steps sent to
// the user and not yet processed. A shard of userLocks guards it.
type userSlot struct {
	host  *host
	inbox int32
}

// userLock is one of the locks of the user slots, padded to a cache line
// so that two shards never share one.
type userLock struct {
	sync.Mutex
	_ [64 - 8]byte
}

func (e *Engine) userLock(u sim.UserID) *userLock { return &e.userLocks[u%shards] }

// claimUser returns u's host's mailbox for one more step, giving u a host
// if it has none.
func (e *Engine) claimUser(u sim.UserID) *mailbox {
	l := e.userLock(u)
	l.Lock()
	us := &e.userSlots[u]
	if us.host == nil {
		us.host = e.hosts.take(e)
	}
	us.inbox++
	mb := us.host.mb
	l.Unlock()
	return mb
}

// userDone is called by u's host after each step: a user with no step in
// flight hands its host back.
func (e *Engine) userDone(u sim.UserID) {
	l := e.userLock(u)
	l.Lock()
	us := &e.userSlots[u]
	if us.inbox--; us.inbox == 0 {
		e.hosts.give(us.host)
		us.host = nil
	}
	l.Unlock()
}

func (e *Engine) restarted() {
	e.restarts.Add(1)
	if e.obs != nil {
		e.obs.Restart()
	}
}

// CountNotifications tells obs how a user's notification counters moved
// while it handled a step: the engine's and the cluster's shards' one way
// of counting them.
func CountNotifications(obs Observer, before, after *sim.Counters) {
	for c := range after.Notified {
		if d := after.Notified[c] - before.Notified[c]; d > 0 {
			obs.Notified(sim.Cause(c), int(d))
		}
	}
	for r := range after.Suppressed {
		if d := after.Suppressed[r] - before.Suppressed[r]; d > 0 {
			obs.Suppressed(sim.Reason(r), int(d))
		}
	}
}
