package cluster

import (
	"context"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

func (c *Coordinator) flush() {
	for _, o := range c.outs {
		o.flush()
	}
}

// begin sends op's first step, to the thread that decides it when
// sim.Bypass says the acting user can be skipped, to the user otherwise,
// and returns the operation in flight.
func (c *Coordinator) begin(op *sim.Op, slot int) *opState {
	c.mu.Lock()
	c.next++
	st := &opState{id: c.next, slot: slot, start: time.Now(), credit: opCredit}
	c.ops[st.id] = st
	c.unsettled++
	c.mu.Unlock()
	e := envelope{Step: sim.Step{Kind: sim.Start, To: op.User, Op: *op}, op: st.id, credit: opCredit}
	k := c.lay.ofUser(op.User)
	if b := e.Step; sim.Bypass(&b, &c.env) {
		e.Step, e.bypassed = b, true
		k = c.lay.ofThread(b.Thread)
	}
	var w wire.Step
	encode(&e, &w)
	c.outOf[k].add(&w)
	return st
}

// decided records an operation's outcome; a panicked one has none.
func (c *Coordinator) decided(id uint64, o sim.Outcome, panicked bool) {
	c.mu.Lock()
	st := c.ops[id]
	if st == nil || st.decided {
		c.mu.Unlock()
		return
	}
	st.decided, st.outcome = true, o
	done := c.done
	settled := st.credit == 0
	c.mu.Unlock()
	if done != nil {
		done(st, o, panicked)
	}
	if settled {
		c.settle(st)
	}
}

// credited takes back credit of an operation's handled steps.
func (c *Coordinator) credited(id uint64, n int64) {
	c.mu.Lock()
	st := c.ops[id]
	if st == nil {
		c.mu.Unlock()
		return
	}
	st.credit -= n
	settled := st.credit == 0 && st.decided
	c.mu.Unlock()
	if settled {
		c.settle(st)
	}
}

// settle forgets an operation all of whose steps have been handled, and
// wakes a waiter when none is left.
func (c *Coordinator) settle(st *opState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ops[st.id] != st {
		return
	}
	delete(c.ops, st.id)
	c.unsettled--
	if c.unsettled == 0 && c.quiet != nil {
		close(c.quiet)
		c.quiet = nil
	}
}

// Quiesce waits until every operation sent has settled on every member,
// or the run has failed.
func (c *Coordinator) Quiesce() error {
	c.flush()
	c.mu.Lock()
	if c.unsettled == 0 {
		c.mu.Unlock()
		return c.Err()
	}
	ch := make(chan struct{})
	c.quiet = ch
	c.mu.Unlock()
	select {
	case <-ch:
		return c.Err()
	case <-c.failed:
		return c.Err()
	}
}

// Apply applies one operation on the cluster to quiescence and returns
// its outcome.
func (c *Coordinator) Apply(op sim.Op) (sim.Outcome, error) {
	if err := c.Err(); err != nil {
		return 0, err
	}
	if o, ok := c.env.Unroutable(&op); ok {
		return o, nil
	}
	var out sim.Outcome
	c.mu.Lock()
	c.done = func(_ *opState, o sim.Outcome, _ bool) { out = o }
	c.mu.Unlock()
	c.begin(&op, 0)
	err := c.Quiesce()
	return out, err
}

// Run applies the operations next yields until it returns false, ctx is
// done or the run fails, and reports each outcome to result. In
// deterministic mode each operation settles everywhere before the next
// starts; otherwise up to window run at once. It returns the number of
// operations sent once all of them have settled.
func (c *Coordinator) Run(ctx context.Context, deterministic bool, window int, next func(*sim.Op) bool, result actors.Result) (int, error) {
	n := 0
	if deterministic {
		var op sim.Op
		for ctx.Err() == nil && next(&op) {
			start := time.Now()
			o, err := c.Apply(op)
			if err != nil {
				return n, err
			}
			result(&op, o, time.Since(start))
			n++
		}
		return n, c.Err()
	}
	slots := make([]sim.Op, window)
	free := make(chan int, window)
	for i := range window {
		free <- i
	}
	c.mu.Lock()
	c.done = func(st *opState, o sim.Outcome, panicked bool) {
		if !panicked {
			result(&slots[st.slot], o, time.Since(st.start))
		}
		free <- st.slot
	}
	c.mu.Unlock()
	for ctx.Err() == nil && c.Err() == nil {
		var slot int
		select {
		case slot = <-free:
		default:
			c.flush() // the window is full: send what waits before waiting
			select {
			case slot = <-free:
			case <-ctx.Done():
				continue
			case <-c.failed:
				continue
			}
		}
		op := &slots[slot]
		if !next(op) {
			break
		}
		n++
		if o, ok := c.env.Unroutable(op); ok {
			result(op, o, 0)
			free <- slot
			continue
		}
		c.begin(op, slot)
	}
	return n, c.Quiesce()
}

// receiver is the coordinator's actor for what members send it: the
// outcomes and credits of operations, and faults.
type receiver struct{ c *Coordinator }

// Receive implements actor.Actor.
func (rc *receiver) Receive(ctx actor.Context) {
	c := rc.c
	switch msg := ctx.Message().(type) {
	case *wire.Batch:
		if msg.Run != c.id {
			return
		}
		for _, s := range msg.Steps {
			c.decided(s.Op, sim.Outcome(s.Outcome), s.Flags&flagPanicked != 0)
		}
		for _, cr := range msg.Credits {
			c.credited(cr.Op, cr.Amount)
		}
	case *wire.Fault:
		if msg.Run == c.id {
			c.lost(msg)
		}
	}
}
