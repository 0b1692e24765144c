package cluster

import (
	"sync"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// flushAt is how many steps a batch holds before it is sent: enough that
// a remote message's fixed cost is shared by many steps, few enough that
// a batch stays well inside a gRPC message (about 100 bytes a step).
const flushAt = 512

// outbox is the batch on its way from this member to another process.
// Steps join it in the order they were routed and batches leave in the
// order they filled, under one lock, so steps from one shard to another
// arrive in the order they were sent, as in a mailbox.
type outbox struct {
	r           *run
	to          *actor.PID
	coordinator bool

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
	b := &wire.Batch{Run: o.r.id, From: o.r.m.addr, Steps: o.steps, Credits: o.credits}
	o.steps, o.credits = nil, nil
	if !o.coordinator {
		o.r.remoteSteps.Add(uint64(len(b.Steps)))
		o.r.batches.Add(1)
		o.r.remoteBytes.Add(uint64(proto.Size(b)))
	}
	o.r.m.sys.Root.Send(o.to, b)
}
