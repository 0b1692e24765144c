package sim

import (
	"slices"
	"testing"
)

// story builds a small world under p: alice, bob and carol connected,
// alice and bob exchanging messages, a group of the three.
func story(t *testing.T, p Policy) *World {
	t.Helper()
	conns := [][]UserID{{1, 2}, {0, 2}, {0, 1}}
	w := NewWorld(p, 3, func(u UserID) []UserID { return conns[u] })
	for i, op := range []Op{
		{Action: Send, User: 0, Target: 1, Msg: 1, Text: "hello"},
		{Action: Send, User: 1, Target: 0, Msg: 2, Text: "hi"},
		{Action: Send, User: 0, Target: 1, Msg: 3, Text: "oops"},
		{Action: CreateGroup, User: 0, Thread: Group(0), Members: []UserID{1, 2}},
		{Action: Send, User: 1, Thread: Group(0), Msg: 4, Text: "team"},
	} {
		if o := w.Apply(op); o != OK {
			t.Fatalf("setup step %d: %s", i, o)
		}
	}
	if _, vs := w.Check(); len(vs) > 0 {
		t.Fatalf("clean world has violations: %v", vs)
	}
	return w
}

func apply(t *testing.T, w *World, ops ...Op) {
	t.Helper()
	for _, op := range ops {
		if o := w.Apply(op); o != OK {
			t.Fatalf("%+v: %s", op, o)
		}
	}
}

// deliverForged appends a message to a thread behind the rules' back and
// keeps the recipients' counters consistent with it, so only the rule the
// append breaks is reported.
func deliverForged(w *World, id ThreadID, author UserID, text string) {
	th := w.Threads[id]
	th.messages = append(th.messages, Message{Key: 100, Author: author, Text: text})
	for _, mb := range th.members {
		if mb.User != author {
			c := &w.Users[mb.User].Counters
			c.Received++
			c.Notified[CauseMessage]++
		}
	}
}

// TestCheckerCatchesCorruption corrupts a recorded state in the way each
// invariant forbids and requires the checker to report exactly that
// invariant: a checker that cannot fail is a defect.
func TestCheckerCatchesCorruption(t *testing.T) {
	ab := Direct(0, 1)
	whatsapp, _ := Preset("whatsapp")
	keepConn := Linkedin()
	keepConn.BlockRemovesConnection = false
	tests := []struct {
		inv     Invariant
		policy  Policy
		corrupt func(t *testing.T, w *World)
	}{
		{I1DeleteLocality, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3})
			w.Threads[ab].rare.hides = append(w.Threads[ab].rare.hides, hide{Seq: 3, User: 1}) // bob's view changes too
		}},
		{I2Tombstone, whatsapp, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3, Everyone: true})
			w.Threads[ab].messages[2].Gone = false // no tombstone where one is due
		}},
		{I3SilentDelete, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3})
			c := &w.Users[1].Counters
			c.Deletes++
			c.Notified[CauseDelete]++
		}},
		{I4BlockStopsTraffic, keepConn, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			deliverForged(w, ab, 0, "after the block")
		}},
		{I5BlockKeepsHistory, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Threads[ab].members[1].Cleared = 2 // bob loses history at the block
		}},
		{I6BlockCutsConnection, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Threads[ab].Pair.Connected = true
		}},
		{I6BlockCutsConnection, Linkedin(), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{1} // carol drops alice on her side only; no thread holds the pair
		}},
		{I6BlockCutsConnection, Linkedin(), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{0, 1, 2} // carol connected to herself
		}},
		{I6BlockCutsConnection, Linkedin(), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{0, 1, 3} // a connection to nobody
		}},
		{I7Profiles, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Users[0].rare.blockedBy = nil // alice could view bob's profile
		}},
		{I8Delivery, Linkedin(), func(t *testing.T, w *World) {
			c := &w.Users[1].Counters
			c.Received-- // a delivery lost
			c.Notified[CauseMessage]--
		}},
		{I9OneOrder, Linkedin(), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Archive, User: 1, Thread: ab}, Op{Action: Delete, User: 0, Thread: ab, Msg: 1},
				Op{Action: Send, User: 0, Target: 1, Msg: 5, Text: "later"}, Op{Action: Delete, User: 0, Thread: ab, Msg: 5})
			l := w.Threads[ab].rare.log
			l[0], l[1] = l[1], l[0] // the log no longer says what came first
		}},
		{I10Notifications, Linkedin(), func(t *testing.T, w *World) {
			w.Users[1].Counters.Notified[CauseMessage]++
		}},
		{I11ConnectionRule, keepConn, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Disconnect, User: 1, Target: 0})
			deliverForged(w, ab, 0, "not connected")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.inv.String(), func(t *testing.T) {
			w := story(t, tc.policy)
			tc.corrupt(t, w)
			_, vs := w.Check()
			if len(vs) == 0 {
				t.Fatal("no violation reported")
			}
			var got []Invariant
			for _, v := range vs {
				got = append(got, v.Invariant)
			}
			slices.Sort(got)
			if got = slices.Compact(got); len(got) != 1 || got[0] != tc.inv {
				t.Fatalf("reported %v, want only %s:\n%v", got, tc.inv, vs)
			}
			t.Log(vs[0])
		})
	}
}
