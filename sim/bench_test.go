package sim

import (
	"testing"
)

// benchWorld is 1,000 users in a ring of connections, each pair of
// neighbours already sharing a direct thread of 16 messages.
func benchWorld(b *testing.B) *World {
	const n = 1000
	conns := make([][]UserID, n)
	for u := range UserID(n) {
		a, c := (u+n-1)%n, (u+1)%n
		conns[u] = []UserID{min(a, c), max(a, c)}
	}
	w := NewWorld(Linkedin(), n, func(u UserID) []UserID { return conns[u] })
	key := MsgKey(1)
	for u := range UserID(n) {
		for range 16 {
			w.Apply(Op{Action: Send, User: u, Target: (u + 1) % n, Msg: key, Text: "hello"})
			key++
		}
	}
	return w
}

// BenchmarkSend is a direct message with its delivery and notification.
func BenchmarkSend(b *testing.B) {
	w := benchWorld(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u := UserID(i % 1000)
		if o := w.Apply(Op{Action: Send, User: u, Target: (u + 1) % 1000, Msg: MsgKey(1e6 + i), Text: "hi"}); o != OK {
			b.Fatal(o)
		}
	}
}

// BenchmarkDelete deletes recent messages for the sender's view.
func BenchmarkDelete(b *testing.B) {
	w := benchWorld(b)
	key := MsgKey(1 << 40)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u := UserID(i % 1000)
		key++
		w.Apply(Op{Action: Send, User: u, Target: (u + 1) % 1000, Msg: key, Text: "oops"})
		if o := w.Apply(Op{Action: Delete, User: u, Thread: Direct(u, (u+1)%1000), Msg: key}); o != OK {
			b.Fatal(o)
		}
	}
}

// BenchmarkBlock blocks and unblocks a neighbour (two operations).
func BenchmarkBlock(b *testing.B) {
	w := benchWorld(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u := UserID(i % 1000)
		w.Apply(Op{Action: Block, User: u, Target: (u + 1) % 1000})
		w.Apply(Op{Action: Unblock, User: u, Target: (u + 1) % 1000})
	}
}

// BenchmarkView reads a 16-message view.
func BenchmarkView(b *testing.B) {
	w := benchWorld(b)
	p := Linkedin()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u := UserID(i % 1000)
		if len(w.Threads[Direct(u, (u+1)%1000)].View(u, &p)) != 16 {
			b.Fatal("short view")
		}
	}
}
