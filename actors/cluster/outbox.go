package cluster

import (
	"sync"

	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// flushAt is how many steps a batch holds before it is sent: enough that
// a remote message's fixed cost is shared by many steps, few enough that
// a batch stays well inside a gRPC message (about 100 bytes a step).
const flushAt = 512

// outbox is the batch on its way from this process to another: from a
// member to another member or to the coordinator, or from the
// coordinator to a member. Steps join it in the order they were routed
// and batches leave in the order they filled, under one lock, so steps
// from one shard to another arrive in the order they were sent, as in a
// mailbox.
type outbox struct {
	run  uint64
	from string
	post func(*wire.Batch) // sends a batch, under the lock

	mu      sync.Mutex
	steps   []*wire.Step
	credits []*wire.Credit
}

func (o *outbox) add(s *wire.Step) {
	o.mu.Lock()
	o.steps = append(o.steps, s)
	if len(o.steps) >= flushAt {
		o.send()
	}
	o.mu.Unlock()
}

// credit adds credits to return to the coordinator.
func (o *outbox) credit(cs map[uint64]int64) {
	o.mu.Lock()
	for op, n := range cs {
		o.credits = append(o.credits, &wire.Credit{Op: op, Amount: n})
	}
	if len(o.credits) >= flushAt {
		o.send()
	}
	o.mu.Unlock()
}

func (o *outbox) flush() {
	o.mu.Lock()
	if len(o.steps) > 0 || len(o.credits) > 0 {
		o.send()
	}
	o.mu.Unlock()
}

// send sends the batch; the caller holds the lock.
func (o *outbox) send() {
	b := &wire.Batch{Run: o.run, From: o.from, Steps: o.steps, Credits: o.credits}
	o.steps, o.credits = nil, nil
	o.post(b)
}
