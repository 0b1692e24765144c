package actors

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// envelope carries a sim.Step on its way to an actor. It holds its own
// link in the mailbox's queue, so posting a step allocates nothing, where
// protoactor's own mailboxes allocate a queue node for every message.
type envelope struct {
	link node
	sim.Step
	slot *slot // the thread a thread step is for
}

// node is a link of a mailbox's queue: the link of an envelope, or a node
// allocated for a message of another kind (protoactor's PoisonPill and
// system messages).
type node struct {
	next  atomic.Pointer[node]
	env   *envelope
	other any
}

// envelopes recycles envelopes: one is taken when a step is sent and
// returned by the actor that handled it, so the hot path allocates nothing
// per step in steady state.
var envelopes = sync.Pool{New: func() any {
	s := new(envelope)
	s.link.env = s
	return s
}}

func newEnvelope(m *sim.Step) *envelope {
	s := envelopes.Get().(*envelope)
	s.Step = *m
	return s
}

// free returns a handled step to the pool, dropping what it references.
func (s *envelope) free() {
	s.Step, s.slot = sim.Step{}, nil
	envelopes.Put(s)
}

// queue is an intrusive multi-producer, single-consumer queue (Vyukov's):
// a push is one atomic swap, a pop reads only the consumer's end.
type queue struct {
	head atomic.Pointer[node] // producers' end: the newest node
	tail *node                // consumer's end
	stub node
}

func (q *queue) init() {
	q.head.Store(&q.stub)
	q.tail = &q.stub
}

func (q *queue) push(n *node) {
	n.next.Store(nil)
	q.head.Swap(n).next.Store(n)
}

// pop returns the oldest node, or nil when the queue is empty or its
// newest push has swapped the head but not yet linked its node (the
// mailbox sees the message counted and comes back for it).
func (q *queue) pop() *node {
	tail, next := q.tail, q.tail.next.Load()
	if tail == &q.stub {
		if next == nil {
			return nil
		}
		q.tail, tail, next = next, next, next.next.Load()
	}
	if next != nil {
		q.tail = next
		return tail
	}
	if tail != q.head.Load() {
		return nil
	}
	q.push(&q.stub)
	if next = tail.next.Load(); next != nil {
		q.tail = next
		return tail
	}
	return nil
}

// mailbox is the protoactor mailbox of every engine actor. It behaves as
// protoactor's default one (system messages first, suspension while an
// actor restarts, panics escalated to the supervisor) with two
// differences: steps are linked into the queue without a node of their
// own, and the engine posts steps to it directly, keeping the mailbox with
// the PID, instead of resolving the PID for every message (PID, process,
// actor process, mailbox: four dependent loads, a tenth of the CPU at
// 100k users).
type mailbox struct {
	user       queue
	system     queue
	status     atomic.Int32 // idle or running
	users      atomic.Int32 // user messages queued
	systems    atomic.Int32 // system messages queued
	suspended  atomic.Bool
	invoker    actor.MessageInvoker
	dispatcher actor.Dispatcher
	run        func() // process, bound once rather than at every schedule
}

const (
	idle int32 = iota
	running
)

func newMailbox() *mailbox {
	m := &mailbox{}
	m.user.init()
	m.system.init()
	m.run = m.process
	return m
}

// post queues a step for the actor.
func (m *mailbox) post(s *envelope) {
	m.user.push(&s.link)
	m.users.Add(1)
	m.schedule()
}

// PostUserMessage implements actor.Mailbox.
func (m *mailbox) PostUserMessage(msg any) {
	if s, ok := msg.(*envelope); ok {
		m.post(s)
		return
	}
	m.user.push(&node{other: msg})
	m.users.Add(1)
	m.schedule()
}

// PostSystemMessage implements actor.Mailbox.
func (m *mailbox) PostSystemMessage(msg any) {
	m.system.push(&node{other: msg})
	m.systems.Add(1)
	m.schedule()
}

// RegisterHandlers implements actor.Mailbox.
func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.invoker, m.dispatcher = invoker, dispatcher
}

// Start implements actor.Mailbox.
func (m *mailbox) Start() {}

// UserMessageCount implements actor.Mailbox.
func (m *mailbox) UserMessageCount() int { return int(m.users.Load()) }

func (m *mailbox) schedule() {
	if m.status.CompareAndSwap(idle, running) {
		m.dispatcher.Schedule(m.run)
	}
}

// process runs queued messages until none is left, then goes idle unless
// a message came in meanwhile.
func (m *mailbox) process() {
	for {
		m.drain()
		m.status.Store(idle)
		sys, user := m.systems.Load(), m.users.Load()
		if sys == 0 && (user == 0 || m.suspended.Load()) {
			return
		}
		if !m.status.CompareAndSwap(idle, running) {
			return
		}
	}
}

func (m *mailbox) drain() {
	var msg any
	defer func() {
		if r := recover(); r != nil {
			m.invoker.EscalateFailure(r, msg)
		}
	}()
	for i, t := 0, m.dispatcher.Throughput(); ; i++ {
		if i == t {
			i = 0
			runtime.Gosched()
		}
		if n := m.system.pop(); n != nil {
			m.systems.Add(-1)
			switch msg = n.other; msg.(type) {
			case *actor.SuspendMailbox:
				m.suspended.Store(true)
			case *actor.ResumeMailbox:
				m.suspended.Store(false)
			default:
				m.invoker.InvokeSystemMessage(msg)
			}
			continue
		}
		if m.suspended.Load() {
			return
		}
		n := m.user.pop()
		if n == nil {
			return
		}
		m.users.Add(-1)
		if msg = n.other; n.env != nil {
			msg = n.env
		}
		m.invoker.InvokeUserMessage(msg)
	}
}
