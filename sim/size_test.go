package sim

import (
	"testing"
	"unsafe"
)

// TestSizes keeps the memory figures in doc.go true.
func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Message", unsafe.Sizeof(Message{}), 40},
		{"Thread", unsafe.Sizeof(Thread{}), 80},
		{"Event", unsafe.Sizeof(Event{}), 48},
		{"User", unsafe.Sizeof(User{}), 128},
		{"entry", unsafe.Sizeof(entry{}), 12},
		{"Member", unsafe.Sizeof(Member{}), 16},
		{"hide", unsafe.Sizeof(hide{}), 8},
		{"mark", unsafe.Sizeof(mark{}), 16},
		{"history", unsafe.Sizeof(history{}), 16},
	} {
		if c.got != c.want {
			t.Errorf("%s is %d bytes; doc.go says %d", c.name, c.got, c.want)
		}
	}
}

// TestCompactFreesSlack checks a compacted thread keeps its contents in
// arrays at most a quarter larger than they are, not in the larger arrays
// they grew in, and that a thread compacted after every send copies its
// messages only once per quarter of growth.
func TestCompactFreesSlack(t *testing.T) {
	th := NewThread(Direct(1, 2), PairState{Connected: true})
	var out Outbox
	env := &Env{Policy: &Policy{}, Users: 3}
	send := func(i int) {
		out.Reset()
		th.Handle(&Step{Kind: AtThread, Thread: th.ID, Op: Op{Action: Send, User: 1, Target: 2, Msg: MsgKey(i + 1)}}, env, &out)
	}
	for i := range 20 {
		send(i)
	}
	if th.Last() != 20 || cap(th.messages) < 25 {
		t.Fatalf("setup: %d messages, capacity %d; want 20 with more than a quarter of slack", th.Last(), cap(th.messages))
	}
	before := digestOf(th)
	grown := &th.messages[0]
	th.Compact()
	if cap(th.messages) > 25 || &th.messages[0] == grown {
		t.Fatalf("capacity %d after Compact, or still the grown array", cap(th.messages))
	}
	if digestOf(th) != before {
		t.Fatal("Compact changed the thread")
	}
	copies := 0
	for i := 20; i < 2000; i++ {
		send(i)
		at := &th.messages[0]
		th.Compact()
		if &th.messages[0] != at {
			copies++
		}
	}
	if copies > 40 {
		t.Fatalf("%d copies in 1,980 sends each followed by Compact; want one per quarter of growth", copies)
	}
}

func digestOf(th *Thread) uint64 {
	s := State{Policy: Linkedin(), Users: make([]User, 3), Threads: map[ThreadID]*Thread{th.ID: th}}
	return s.Digest()
}
