package actors

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestPassivationMemory measures what an idle thread costs once it has
// handed its actor back, which it does as soon as it is idle, and shows
// reactivated threads hold exactly their state.
func TestPassivationMemory(t *testing.T) {
	const n = 20000
	conns := make([][]sim.UserID, 2*n)
	for i := range n {
		a, b := sim.UserID(2*i), sim.UserID(2*i+1)
		conns[a], conns[b] = []sim.UserID{b}, []sim.UserID{a}
	}
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: 2 * n, Conns: func(u sim.UserID) []sim.UserID { return conns[u] }})
	send := func(round int) {
		i := 0
		_, err := e.Run(context.Background(), func(op *sim.Op) bool {
			if i == n {
				return false
			}
			*op = sim.Op{Action: sim.Send, User: sim.UserID(2 * i), Target: sim.UserID(2*i + 1), Msg: sim.MsgKey(round*n + i + 1), Text: "hello", At: sim.Time(round)}
			i++
			return true
		}, func(_ *sim.Op, o sim.Outcome, _ time.Duration) {
			if o != sim.OK {
				t.Errorf("send: %s", o)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for u := range sim.UserID(2 * n) { // spawn every user's actor first: only threads are measured
		if o := e.Apply(sim.Op{Action: sim.Notifications, User: u, On: true}); o != sim.OK {
			t.Fatal(o)
		}
	}
	base := heap()
	send(0)
	if l, p := e.Threads(); l != 0 || p != n {
		t.Fatalf("%d live, %d passivated after the run; want 0 and %d", l, p, n)
	}
	digest := e.State().Digest()
	e.Passivate()
	perIdle := float64(heap()-base) / n
	t.Logf("per passivated thread with one message: %.0f B", perIdle)
	// A thread kept with its actor cost about 915 bytes (actors/doc.go): its
	// mailbox alone is 152 bytes, its protoactor context more. A thread
	// that kept its actor would cost that much again.
	if perIdle >= 915 {
		t.Errorf("a passivated thread costs %.0f B: its actor was not freed", perIdle)
	}
	if e.hosts.Lock(); len(e.hosts.idle) != 0 {
		t.Errorf("%d idle thread actors left after Passivate", len(e.hosts.idle))
	}
	e.hosts.Unlock()
	if got := e.State().Digest(); got != digest {
		t.Fatal("passivation changed the state")
	}
	send(1) // reactivates every thread, and passivates it again
	if l, p := e.Threads(); l != 0 || p != n {
		t.Fatalf("%d live, %d passivated after reactivation; want 0 and %d", l, p, n)
	}
	if _, vs := e.State().Check(specExpect(t, e.State())); len(vs) > 0 {
		t.Fatalf("violations after reactivation: %v", vs[:1])
	}
	for th := range e.State().AllThreads() {
		if th.Last() != 2 {
			t.Fatalf("thread %s has %d messages after reactivation, want 2", th.ID, th.Last())
		}
	}
}
