package actors

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// tagged is a queue node carrying a number in its other field.
func tagged(v int) *node { return &node{other: v} }

// popped pops q and returns the node's number, or -1 when pop returned nil.
func popped(q *queue) int {
	n := q.pop()
	if n == nil {
		return -1
	}
	return n.other.(int)
}

// TestQueueOrder pushes and pops in every pattern that moves the stub:
// pops from an empty queue, a queue emptied and refilled, pops between
// pushes. Nodes come out in the order they went in, each once.
func TestQueueOrder(t *testing.T) {
	var q queue
	q.init()
	var model []int // what a FIFO holds
	for i, op := range []int{-1, 1, -1, -1, 2, 3, -1, 4, -1, -1, -1, -1, 5, 6, 7, -1, -1, 8, -1, -1, -1, -1} {
		if op > 0 {
			q.push(tagged(op))
			model = append(model, op)
			continue
		}
		want := -1
		if len(model) > 0 {
			want, model = model[0], model[1:]
		}
		if got := popped(&q); got != want {
			t.Fatalf("step %d: pop gave %d, want %d", i, got, want)
		}
	}
}

// TestQueueHalfPush: a push is a swap of the head and then a link from the
// previous node. Between the two, pop returns the nodes before the
// previous one and then nil (the newest nodes are not reachable yet),
// losing nothing: once linked, the rest come out in order.
func TestQueueHalfPush(t *testing.T) {
	for before := range 4 { // nodes queued ahead of the half push
		var q queue
		q.init()
		for i := range before {
			q.push(tagged(i))
		}
		half := tagged(99)
		half.next.Store(nil)
		prev := q.head.Swap(half) // the push's first half
		var got []int
		for n := popped(&q); n >= 0; n = popped(&q) {
			got = append(got, n)
		}
		prev.next.Store(half) // its second half
		for n := popped(&q); n >= 0; n = popped(&q) {
			got = append(got, -n) // negative: popped after the link
		}
		var want []int
		for i := range before {
			if i < before-1 {
				want = append(want, i)
			} else {
				want = append(want, -i)
			}
		}
		want = append(want, -99)
		if !slices.Equal(got, want) {
			t.Fatalf("%d queued: pops gave %v, want %v (negative: after the link)", before, got, want)
		}
	}
}

// TestQueueStress: many producers push at once while one consumer pops;
// every node comes out exactly once and each producer's nodes in the order
// it pushed them.
func TestQueueStress(t *testing.T) {
	producers, each := 8, 20000
	if testing.Short() {
		each = 2000
	}
	var q queue
	q.init()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				q.push(tagged(p*each + i))
			}
		})
	}
	next := make([]int, producers) // each producer's next number expected
	for got := 0; got < producers*each; {
		n := q.pop()
		if n == nil {
			runtime.Gosched() // a push is in flight, or none has started
			continue
		}
		v := n.other.(int)
		p, i := v/each, v%each
		if i != next[p] {
			t.Fatalf("producer %d: got its node %d, want %d", p, i, next[p])
		}
		next[p]++
		got++
	}
	wg.Wait()
	if n := q.pop(); n != nil {
		t.Fatalf("queue not empty after every node: %v", n.other)
	}
}

// recorder is the actor side of a mailbox under test: it records what the
// mailbox invokes, panics on the message "boom", and notes any two
// invocations that overlap. Its slices are written without a lock, so
// the race detector also sees it if the mailbox runs two at once.
type recorder struct {
	busy      atomic.Bool
	overlaps  atomic.Int64
	user      []any
	system    []any
	escalated []string
	expect    int64 // invocations after which done is closed
	count     atomic.Int64
	done      chan struct{}
}

func (r *recorder) enter() {
	if !r.busy.CompareAndSwap(false, true) {
		r.overlaps.Add(1)
	}
}

func (r *recorder) leave() { r.busy.Store(false) }

func (r *recorder) InvokeSystemMessage(m any) {
	r.enter()
	defer r.leave()
	r.system = append(r.system, m)
	r.counted()
}

// counted counts an invocation and closes done at the expected count.
func (r *recorder) counted() {
	if r.count.Add(1) == r.expect && r.done != nil {
		close(r.done)
	}
}

func (r *recorder) InvokeUserMessage(m any) {
	r.enter()
	if s, ok := m.(*envelope); ok {
		m = fmt.Sprint("step ", s.Ticket)
		s.free()
	}
	r.user = append(r.user, m)
	r.leave()
	r.counted()
	if m == "boom" {
		panic("boom")
	}
}

func (r *recorder) EscalateFailure(reason, msg any) {
	r.escalated = append(r.escalated, fmt.Sprint(reason, " on ", msg))
}

// manual is a dispatcher that runs what it was given only when told.
type manual struct {
	scheduled  []func()
	throughput int
}

func (d *manual) Schedule(f func()) { d.scheduled = append(d.scheduled, f) }
func (d *manual) Throughput() int   { return d.throughput }

// run runs everything scheduled, including what that schedules.
func (d *manual) run() {
	for len(d.scheduled) > 0 {
		f := d.scheduled[0]
		d.scheduled = d.scheduled[1:]
		f()
	}
}

func newTestMailbox(r *recorder, d actor.Dispatcher) *mailbox {
	m := newMailbox()
	m.RegisterHandlers(r, d)
	return m
}

func postStep(m *mailbox, ticket uint32) {
	m.post(newEnvelope(&sim.Step{Kind: sim.Start, Ticket: ticket}))
}

// TestMailboxOrder: a mailbox is scheduled once however many messages
// arrive before it runs, runs system messages before user messages, user
// messages (steps or other values) in the order posted, and yields every
// Throughput messages without stopping.
func TestMailboxOrder(t *testing.T) {
	r := &recorder{}
	d := &manual{throughput: 2}
	m := newTestMailbox(r, d)
	postStep(m, 1)
	m.PostUserMessage("two")
	m.PostSystemMessage("sys")
	m.PostUserMessage(newEnvelope(&sim.Step{Ticket: 3}))
	postStep(m, 4)
	postStep(m, 5)
	if len(d.scheduled) != 1 {
		t.Fatalf("scheduled %d times before running, want once", len(d.scheduled))
	}
	if got := m.UserMessageCount(); got != 5 {
		t.Fatalf("UserMessageCount %d, want 5", got)
	}
	d.run()
	want := []any{"step 1", "two", "step 3", "step 4", "step 5"}
	if !slices.Equal(r.user, want) || !slices.Equal(r.system, []any{"sys"}) {
		t.Fatalf("invoked user %v and system %v, want %v and [sys]", r.user, r.system, want)
	}
	if got := m.UserMessageCount(); got != 0 || m.status.Load() != idle {
		t.Fatalf("after running: %d user messages counted, status %d; want 0, idle", got, m.status.Load())
	}
	postStep(m, 6)
	if len(d.scheduled) != 1 {
		t.Fatal("an idle mailbox was not scheduled by a new message")
	}
	d.run()
	if got := r.user[len(r.user)-1]; got != "step 6" {
		t.Fatalf("last invoked %v, want step 6", got)
	}
}

// TestMailboxSuspend: a suspended mailbox keeps its user messages (still
// taking system ones) until it is resumed, as protoactor's does while an
// actor restarts.
func TestMailboxSuspend(t *testing.T) {
	r := &recorder{}
	d := &manual{throughput: 300}
	m := newTestMailbox(r, d)
	m.PostSystemMessage(&actor.SuspendMailbox{})
	postStep(m, 1)
	m.PostSystemMessage("sys")
	d.run()
	if len(r.user) != 0 || !slices.Equal(r.system, []any{"sys"}) || m.UserMessageCount() != 1 {
		t.Fatalf("suspended: invoked user %v, system %v, %d kept; want none, [sys], 1", r.user, r.system, m.UserMessageCount())
	}
	postStep(m, 2)
	d.run()
	if len(r.user) != 0 {
		t.Fatalf("suspended: invoked %v", r.user)
	}
	m.PostSystemMessage(&actor.ResumeMailbox{})
	d.run()
	if want := []any{"step 1", "step 2"}; !slices.Equal(r.user, want) {
		t.Fatalf("resumed: invoked %v, want %v", r.user, want)
	}
}

// TestMailboxEscalates: a message whose handling panics is escalated with
// the panic's reason and the message, and the messages after it still run.
func TestMailboxEscalates(t *testing.T) {
	r := &recorder{}
	d := &manual{throughput: 300}
	m := newTestMailbox(r, d)
	postStep(m, 1)
	m.PostUserMessage("boom")
	postStep(m, 3)
	d.run()
	if want := []string{"boom on boom"}; !slices.Equal(r.escalated, want) {
		t.Fatalf("escalated %v, want %v", r.escalated, want)
	}
	if want := []any{"step 1", "boom", "step 3"}; !slices.Equal(r.user, want) {
		t.Fatalf("invoked %v, want %v", r.user, want)
	}
}

// goDispatcher starts a goroutine for every schedule, as protoactor's
// default dispatcher does, and yields often.
type goDispatcher struct{}

func (goDispatcher) Schedule(f func()) { go f() }
func (goDispatcher) Throughput() int   { return 3 }

// TestMailboxStress: many producers post steps and other messages to one
// mailbox at once, on the engine's worker pool and on a goroutine per
// schedule. Every message is invoked exactly once, never two at a time,
// and each producer's in the order it posted them.
func TestMailboxStress(t *testing.T) {
	producers, each := 8, 5000
	if testing.Short() {
		each = 500
	}
	p := newPool(4)
	defer p.close()
	for _, d := range []actor.Dispatcher{p, goDispatcher{}} {
		t.Run(fmt.Sprintf("%T", d), func(t *testing.T) {
			systems := producers * ((each + 499) / 500)
			r := &recorder{expect: int64(producers*each + systems), done: make(chan struct{})}
			m := newTestMailbox(r, d)
			var wg sync.WaitGroup
			for pr := range producers {
				wg.Go(func() {
					for i := range each {
						v := uint32(pr*each + i)
						if i%7 == 0 {
							m.PostUserMessage(v) // a value of another kind: a node of its own
						} else {
							postStep(m, v)
						}
						if i%500 == 0 {
							m.PostSystemMessage(v)
						}
					}
				})
			}
			wg.Wait()
			select {
			case <-r.done:
			case <-time.After(time.Minute): // a message left in the queue with no run scheduled
				t.Fatalf("%d of %d invocations after a minute", r.count.Load(), r.expect)
			}
			if n := r.overlaps.Load(); n > 0 {
				t.Fatalf("%d invocations overlapped another", n)
			}
			next := make([]int, producers)
			for _, msg := range r.user {
				var v uint32
				if s, ok := msg.(string); ok {
					_, _ = fmt.Sscanf(s, "step %d", &v)
				} else {
					v = msg.(uint32)
				}
				pr, i := int(v)/each, int(v)%each
				if i != next[pr] {
					t.Fatalf("producer %d: its message %d invoked when %d was due", pr, i, next[pr])
				}
				next[pr]++
			}
			if got, want := len(r.user), producers*each; got != want {
				t.Fatalf("invoked %d user messages, want %d", got, want)
			}
			if got, want := len(r.system), systems; got != want {
				t.Fatalf("invoked %d system messages, want %d", got, want)
			}
			if m.UserMessageCount() != 0 {
				t.Fatalf("%d user messages still counted", m.UserMessageCount())
			}
		})
	}
}
