package sim

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// story builds a small world under p: alice, bob and carol connected,
// alice and bob exchanging messages, a group of the three. x is what the
// checker expects of it.
func story(t *testing.T, p Policy, x Expectations) *World {
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
	if _, vs := w.Check(x); len(vs) > 0 {
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

// forge appends a message to a thread behind the rules' back and delivers
// it as the thread would, to the members in to, through their own
// handlers: their histories, counters and inboxes then agree with the
// thread, and only the rule the append itself breaks is reported.
func forge(w *World, id ThreadID, author UserID, text string, to ...UserID) {
	th := w.Threads[id]
	th.messages = append(th.messages, Message{Key: 100, Author: author, Text: text})
	var out Outbox
	for _, u := range to {
		d := Step{Kind: Delivered, To: u, Thread: id, Author: author, Seq: th.Last(), Visible: true, Sender: u == author}
		w.Users[u].Handle(&d, &w.env, &out)
	}
}

// withoutBlocks runs ops while user u's replica wrongly holds no block with
// anyone, then restores it: the decisions u makes meanwhile are the only
// thing wrong in the state.
func withoutBlocks(t *testing.T, w *World, u UserID, ops ...Op) {
	t.Helper()
	saved := *w.Users[u].rare
	w.Users[u].rare.blocked, w.Users[u].rare.blockedBy = nil, nil
	apply(t, w, ops...)
	*w.Users[u].rare = saved
}

// dropRecords removes every record of kind k from u's history.
func dropRecords(u *User, k hkind) {
	b := u.hist.bytes()
	var kept []byte
	d := histReader{b: b}
	var r hrec
	for start := 0; d.next(&r); start = d.off {
		if r.kind != k {
			kept = append(kept, b[start:d.off]...)
		}
	}
	u.hist = history{}
	u.hist.write(kept)
}

// corruption is a state broken the way one invariant forbids: the story
// under policy, then corrupt; x is what the checker expects.
type corruption struct {
	name    string
	inv     Invariant
	policy  Policy
	x       Expectations
	corrupt func(t *testing.T, w *World)
}

// corruptions returns a corruption for every invariant, several for most.
// Several run the rules under a policy that disagrees with the documents
// (a window, a text, a knob) and expect the documents: the checker's
// expectations come from the caller, not from the policy the rules read.
func corruptions(t *testing.T) []corruption {
	ab, grp := Direct(0, 1), Group(0)
	linkedin, _ := Preset("linkedin")
	whatsapp, _ := Preset("whatsapp")
	keepConn := linkedin
	keepConn.BlockRemovesConnection = false
	longRecall := whatsapp // a recall window of 100 h where the documents say about 60
	longRecall.DeleteWindow = 100 * time.Hour
	wrongText := whatsapp
	wrongText.TombstoneOthers = "Deleted"
	loud := whatsapp
	loud.NotifyOnDelete = true
	longEdit := whatsapp
	longEdit.EditWindow = time.Hour
	imessage, _ := Preset("imessage")
	openDM, _ := Preset("open-dm")
	sixEdits := imessage // six edits where the documents say five
	sixEdits.EditLimit = 6
	documented := func(name string, knobs ...func(*Expect)) Expectations { return designed(t, name, knobs...) }
	keepX := documented("linkedin", func(e *Expect) { e.BlockRemovesConnection = false })
	return []corruption{
		{"a delete for me changes another view", I1DeleteLocality, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3})
			w.Threads[ab].rare.hides = append(w.Threads[ab].rare.hides, hide{Seq: 3, User: 1}) // bob's view changes too
		}},
		{"a recall past the documented window", I1DeleteLocality, longRecall, documented("whatsapp"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3, Everyone: true, At: Time(80 * time.Hour)})
		}},
		{"no tombstone where one is due", I2Tombstone, whatsapp, documented("whatsapp"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3, Everyone: true})
			w.Threads[ab].messages[2].Recalled = false
		}},
		{"a tombstone text not the documented one", I2Tombstone, wrongText, documented("whatsapp"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3, Everyone: true})
		}},
		{"a recall notifies where the documents say it is silent", I3SilentDelete, loud, documented("whatsapp"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3, Everyone: true})
		}},
		{"a delete notice counted that never came", I3SilentDelete, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 3})
			c := &w.Users[1].Counters
			c.Deletes++
			c.Notified[CauseDelete]++
		}},
		{"a message accepted across a block", I4BlockStopsTraffic, keepConn, keepX, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			forge(w, ab, 0, "after the block", 0, 1)
		}},
		{"group block marks dropped", I4BlockStopsTraffic, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			g := w.Threads[grp]
			g.rare.marks = nil
			g.rare.log = slices.DeleteFunc(g.rare.log, func(e Event) bool { return e.Kind == EvMark })
			apply(t, w, Op{Action: Send, User: 0, Thread: grp, Msg: 5, Text: "shown to bob"})
		}},
		{"a block mark left standing after the unblock", I4BlockStopsTraffic, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0}, Op{Action: Unblock, User: 1, Target: 0})
			g := w.Threads[grp] // the group ignored the unblock's end of the mark
			g.rare.log = slices.DeleteFunc(g.rare.log, func(e Event) bool { return e.Kind == EvUnmark })
			g.rare.marks = []mark{{Blocker: 1, Blocked: 0, From: g.Last()}}
			apply(t, w, Op{Action: Send, User: 0, Thread: grp, Msg: 5, Text: "hidden from bob"})
		}},
		{"history lost at a block", I5BlockKeepsHistory, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Threads[ab].members[1].Cleared = 2
		}},
		{"a block keeps the connection", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Threads[ab].Pair.Connected = true
		}},
		{"a connection dropped on one side", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{1} // carol drops alice on her side only; no thread holds the pair
		}},
		{"connected to oneself", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{0, 1, 2}
		}},
		{"a connection to nobody", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[2].conns = []UserID{0, 1, 3}
		}},
		{"a thread created from a pair the graph never had", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 2, Target: 0}) // opens alice and carol's thread
			w.Threads[Direct(0, 2)].Init.Connected = false     // though the graph connects them
		}},
		{"a thread with messages created from a pair the graph never had", I6BlockCutsConnection, openDM, documented("open-dm"), func(t *testing.T, w *World) {
			w.Threads[ab].Init.Connected = false // though the graph connects alice and bob
		}},
		{"a pair state never sent to one side", I6BlockCutsConnection, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Disconnect, User: 1, Target: 0}, Op{Action: Connect, User: 1, Target: 0})
			dropRecords(&w.Users[0], hPair) // alice never hears; her replica ends right anyway
		}},
		{"a replica without the block", I7Profiles, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			w.Users[0].rare.blockedBy = nil
		}},
		{"a profile view allowed across a block", I7Profiles, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Block, User: 1, Target: 0})
			withoutBlocks(t, w, 0, Op{Action: ViewProfile, User: 0, Target: 1})
		}},
		{"a message never delivered to a member", I8Delivery, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			forge(w, ab, 0, "lost on the way", 0)
		}},
		{"a delivery counted twice", I8Delivery, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[1].Counters.Received++
		}},
		{"the log out of order", I9OneOrder, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Archive, User: 1, Thread: ab}, Op{Action: Delete, User: 0, Thread: ab, Msg: 1},
				Op{Action: Send, User: 0, Target: 1, Msg: 5, Text: "later"}, Op{Action: Delete, User: 0, Thread: ab, Msg: 5})
			l := w.Threads[ab].rare.log
			l[0], l[1] = l[1], l[0] // the log no longer says what came first
		}},
		{"a notification raised in a muted thread", I10Notifications, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Mute, User: 1, Thread: ab}, Op{Action: Send, User: 0, Target: 1, Msg: 5, Text: "muted"})
			c := &w.Users[1].Counters
			c.Suppressed[ReasonMuted]--
			c.Notified[CauseMessage]++
		}},
		{"a notification raised twice", I10Notifications, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[1].Counters.Notified[CauseMessage]++
		}},
		{"a message between non-connections", I11ConnectionRule, keepConn, keepX, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Disconnect, User: 1, Target: 0})
			forge(w, ab, 0, "not connected", 0, 1)
		}},
		{"unread off by one", I12Inbox, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			w.Users[1].find(ab).addUnread()
		}},
		{"an archived thread shown", I12Inbox, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Archive, User: 1, Thread: ab})
			w.Users[1].find(ab).set(entArchived, false)
		}},
		{"the inbox out of order", I12Inbox, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			u := &w.Users[1]
			a, g := u.find(ab), u.find(grp)
			a.Activity, g.Activity = g.Activity, a.Activity
		}},
		{"not_found for a thread in the inbox", I12Inbox, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			u := &w.Users[1] // the index loses the thread for the time of one mute
			e := *u.find(ab)
			u.entries = slices.DeleteFunc(u.entries, func(x entry) bool { return x.key == e.key })
			if o := w.Apply(Op{Action: Mute, User: 1, Thread: ab}); o != NotFound {
				t.Fatalf("mute of a lost entry: %s", o)
			}
			*u.entry(ab) = e
		}},
		{"a member added across a block", I13GroupAdditions, keepConn, keepX, func(t *testing.T, w *World) {
			apply(t, w, Op{Action: LeaveGroup, User: 2, Thread: grp}, Op{Action: Block, User: 2, Target: 0})
			withoutBlocks(t, w, 0, Op{Action: AddMember, User: 0, Thread: grp, Target: 2})
		}},
		{"a post to fewer than the connections", I14PostFanOut, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			u := &w.Users[0]
			u.conns = []UserID{1} // the post misses carol ...
			apply(t, w, Op{Action: Post, User: 0, Text: "news"})
			u.conns = []UserID{1, 2} // ... though alice is connected to her
		}},
		{"a post notice lost", I14PostFanOut, linkedin, documented("linkedin"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Post, User: 0, Text: "news"})
			dropRecords(&w.Users[2], hPostNotice) // carol never got it
			w.Users[2].Counters.Posts--
			w.Users[2].Counters.Notified[CausePost]--
		}},
		{"an edit past the documented window", I15Edits, longEdit, documented("whatsapp"), func(t *testing.T, w *World) {
			apply(t, w, Op{Action: Edit, User: 0, Thread: ab, Msg: 3, Text: "better", At: Time(30 * time.Minute)})
		}},
		{"a sixth edit where the documents allow five", I15Edits, sixEdits, documented("imessage"), func(t *testing.T, w *World) {
			for i := range 6 {
				apply(t, w, Op{Action: Edit, User: 0, Thread: ab, Msg: 3, Text: fmt.Sprint("take ", i)})
			}
		}},
		{"an edit count the log does not hold", I15Edits, whatsapp, documented("whatsapp"), func(t *testing.T, w *World) {
			w.Threads[ab].messages[2].Edits = 1
		}},
	}
}

// TestCheckerCatchesCorruption corrupts a recorded state in the way each
// invariant forbids and requires the checker to report exactly that
// invariant: a checker that cannot fail is a defect.
func TestCheckerCatchesCorruption(t *testing.T) {
	tests := corruptions(t)
	for _, tc := range tests {
		t.Run(tc.inv.String()+" "+tc.name, func(t *testing.T) {
			w := story(t, tc.policy, Uniform(ExpectOf(&tc.policy))) // clean under its own policy
			tc.corrupt(t, w)
			_, vs := w.Check(tc.x)
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
	seen := map[Invariant]bool{}
	for _, tc := range tests {
		seen[tc.inv] = true
	}
	for i := Invariant(1); i <= NumInvariants; i++ {
		if !seen[i] {
			t.Errorf("%s has no corruption test", i)
		}
	}
}
