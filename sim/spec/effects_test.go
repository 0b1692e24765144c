package spec_test

import (
	"slices"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// want fails the test when got differs from want, naming what.
func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func gsend(u sim.UserID, key sim.MsgKey, text string) sim.Op {
	return sim.Op{Action: sim.Send, User: u, Thread: g0, Msg: key, Text: text}
}

func dsend(u, v sim.UserID, key sim.MsgKey, text string) sim.Op {
	return sim.Op{Action: sim.Send, User: u, Target: v, Msg: key, Text: text}
}

func on(a sim.Action, u sim.UserID, th sim.ThreadID) sim.Op {
	return sim.Op{Action: a, User: u, Thread: th}
}

func pair(a sim.Action, u, v sim.UserID) sim.Op { return sim.Op{Action: a, User: u, Target: v} }

// TestEffects checks what each rule does beyond its outcome: views,
// inboxes, unread counts, notifications, connections.
func TestEffects(t *testing.T) {
	linkedin := func(t *testing.T) *spec.Model { return fixture(t, preset(t, "linkedin")) }

	t.Run("R1 a message shows in both views with its author and time", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, sim.Op{Action: sim.Send, User: alice, Target: bob, Msg: 3, Text: "later", At: at(time.Hour)})
		v := m.View(bob, ab)
		want(t, "bob's view", texts(m, bob, ab), "0:m1 1:m2 0:later")
		want(t, "line 3", v[2], spec.Line{Author: alice, At: at(time.Hour), Text: "later"})
		want(t, "alice's view", texts(m, alice, ab), "0:m1 1:m2 0:later")
		want(t, "a non-member's view is nil", m.View(dave, ab) == nil, true)
	})
	t.Run("R2 one notification per delivered message", func(t *testing.T) {
		m := linkedin(t)
		want(t, "bob", m.Notified(bob), [3]int{1, 0, 0})
		want(t, "alice", m.Notified(alice), [3]int{1, 0, 0})
		apply(t, m, gsend(carol, 3, "hi"))
		want(t, "bob after a group message", m.Notified(bob), [3]int{2, 0, 0})
		want(t, "carol, the sender", m.Notified(carol), [3]int{})
	})
	t.Run("R2 R6 muted, notifications off, blocked: held back, first reason counted", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, on(sim.Mute, bob, g0), sim.Op{Action: sim.Notifications, User: bob, On: false}, gsend(alice, 3, "a"))
		want(t, "muted wins over settings", m.Suppressed(bob), [3]int{1, 0, 0})
		want(t, "a muted thread still counts unread", m.Unread(bob, g0), 1)
		apply(t, m, gsend(carol, 4, "c"))
		apply(t, m, on(sim.Unmute, bob, g0), gsend(alice, 5, "a"))
		want(t, "settings", m.Suppressed(bob), [3]int{2, 1, 0})
		apply(t, m, pair(sim.Block, bob, carol), on(sim.Mute, bob, g0), gsend(carol, 6, "c"))
		want(t, "blocked wins over muted and settings", m.Suppressed(bob), [3]int{2, 1, 1})
		apply(t, m, sim.Op{Action: sim.Notifications, User: bob, On: true}, on(sim.Unmute, bob, g0), gsend(alice, 7, "a"))
		want(t, "notified again", m.Notified(bob), [3]int{2, 0, 0})
		want(t, "notifications setting", m.NotificationsOff(bob), false)
	})
	t.Run("R3 delete for me: a tombstone for the deleter alone, no notification", func(t *testing.T) {
		m := linkedin(t)
		n := m.Notified(bob)
		apply(t, m, sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1})
		want(t, "alice", texts(m, alice, ab), "0:[This message has been deleted] 1:m2")
		want(t, "bob", texts(m, bob, ab), "0:m1 1:m2")
		want(t, "bob's notifications", m.Notified(bob), n)
		v := m.View(alice, ab)
		want(t, "the tombstone keeps author and time", v[0], spec.Line{Author: alice, At: 0, Text: "This message has been deleted", Tombstone: true})
	})
	t.Run("R3 whatsapp: tombstones for everyone", func(t *testing.T) {
		m := fixture(t, preset(t, "whatsapp"))
		apply(t, m, sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true}, sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 2})
		want(t, "alice", texts(m, alice, ab), "0:[You deleted this message] 1:[You deleted this message]")
		want(t, "bob", texts(m, bob, ab), "0:[This message was deleted] 1:m2")
	})
	t.Run("R3 telegram: a recalled message leaves no trace", func(t *testing.T) {
		m := fixture(t, preset(t, "telegram"))
		apply(t, m, sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true, At: at(900 * time.Hour)})
		want(t, "alice", texts(m, alice, ab), "1:m2")
		want(t, "bob", texts(m, bob, ab), "1:m2")
	})
	t.Run("notify_on_delete notifies members who received the message", func(t *testing.T) {
		p := preset(t, "whatsapp")
		p.NotifyOnDelete = true
		m := fixture(t, p)
		apply(t, m, gsend(alice, 3, "x"), sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: dave},
			on(sim.Mute, carol, g0), sim.Op{Action: sim.Delete, User: alice, Thread: g0, Msg: 3, Everyone: true})
		want(t, "bob", m.Notified(bob)[2], 1)
		want(t, "carol, muted", m.Suppressed(carol)[0], 1)
		want(t, "dave joined after it", m.Notified(dave)[2], 0)
		want(t, "alice, the deleter", m.Notified(alice)[2], 0)
	})
	t.Run("edit: the current text in every view", func(t *testing.T) {
		m := fixture(t, preset(t, "whatsapp"))
		apply(t, m, sim.Op{Action: sim.Edit, User: alice, Thread: ab, Msg: 1, Text: "fixed"})
		want(t, "alice", texts(m, alice, ab), "0:fixed 1:m2")
		want(t, "bob", texts(m, bob, ab), "0:fixed 1:m2")
	})
	t.Run("R4 delete thread: gone from view and inbox until a later message", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, on(sim.DeleteThread, bob, ab))
		want(t, "bob's view", texts(m, bob, ab), "")
		want(t, "bob's view is empty, not nil", m.View(bob, ab) != nil, true)
		want(t, "bob's unread", m.Unread(bob, ab), 0)
		want(t, "bob's inbox", slices.Contains(m.Inbox(bob), ab), false)
		want(t, "alice keeps everything", texts(m, alice, ab), "0:m1 1:m2")
		apply(t, m, dsend(alice, bob, 3, "back"))
		want(t, "bob's view after", texts(m, bob, ab), "0:back")
		want(t, "bob's inbox after", m.Inbox(bob)[0], ab)
		want(t, "bob's unread after", m.Unread(bob, ab), 1)
	})
	t.Run("R4 the deleter's own message brings the thread back", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, on(sim.DeleteThread, bob, ab), dsend(bob, alice, 3, "again"))
		want(t, "bob's view", texts(m, bob, ab), "1:again")
		want(t, "bob's inbox", m.Inbox(bob)[0], ab)
	})
	t.Run("R5 archive; a new message unarchives for whoever sees it", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, on(sim.Archive, bob, ab), on(sim.Archive, alice, ab))
		want(t, "bob's inbox", slices.Equal(m.Inbox(bob), []sim.ThreadID{g0}), true)
		want(t, "archived", m.Archived(bob, ab), true)
		apply(t, m, dsend(alice, bob, 3, "x"))
		want(t, "bob unarchived", m.Archived(bob, ab), false)
		want(t, "alice, the sender, unarchived", m.Archived(alice, ab), false)
	})
	t.Run("R5 unarchive_on_new_message off keeps the thread archived", func(t *testing.T) {
		p := preset(t, "linkedin")
		p.UnarchiveOnNewMessage = false
		m := fixture(t, p)
		apply(t, m, on(sim.Archive, bob, ab), dsend(alice, bob, 3, "x"))
		want(t, "bob", m.Archived(bob, ab), true)
		want(t, "bob's inbox", slices.Contains(m.Inbox(bob), ab), false)
	})
	t.Run("R7 block: the connection goes both ways and stays gone after unblock", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, pair(sim.Block, bob, alice))
		want(t, "alice-bob", m.Connected(alice, bob), false)
		want(t, "bob-alice", m.Connected(bob, alice), false)
		want(t, "bob blocks alice", m.Blocks(bob, alice), true)
		want(t, "alice does not block bob", m.Blocks(alice, bob), false)
		want(t, "profile", m.ProfileVisible(alice, bob), false)
		want(t, "profile the other way", m.ProfileVisible(bob, alice), false)
		want(t, "history kept for bob", texts(m, bob, ab), "0:m1 1:m2")
		want(t, "history kept for alice", texts(m, alice, ab), "0:m1 1:m2")
		apply(t, m, pair(sim.Unblock, bob, alice))
		want(t, "after unblock", m.Connected(alice, bob), false)
		want(t, "profile after unblock", m.ProfileVisible(alice, bob), true)
	})
	t.Run("R7 unblock_reconnects restores the connection once no block is left", func(t *testing.T) {
		p := preset(t, "linkedin")
		p.UnblockReconnects = true
		m := fixture(t, p)
		apply(t, m, pair(sim.Block, bob, alice), pair(sim.Block, alice, bob), pair(sim.Unblock, bob, alice))
		want(t, "one block left", m.Connected(alice, bob), false)
		apply(t, m, pair(sim.Unblock, alice, bob))
		want(t, "none left", m.Connected(alice, bob), true)
		apply(t, m, pair(sim.Disconnect, alice, bob), pair(sim.Block, bob, alice), pair(sim.Unblock, bob, alice))
		want(t, "not connected when blocked: nothing to restore", m.Connected(alice, bob), false)
	})
	t.Run("R7 in a group, the blocked user's later messages are hidden from the blocker", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, gsend(alice, 3, "before"), pair(sim.Block, bob, alice), gsend(alice, 4, "after"), gsend(carol, 5, "carol"))
		want(t, "bob", texts(m, bob, g0), "0:before 2:carol")
		want(t, "carol", texts(m, carol, g0), "0:before 0:after 2:carol")
		want(t, "bob's unread counts only what he sees", m.Unread(bob, g0), 2)
		want(t, "bob's notification held back", m.Suppressed(bob), [3]int{0, 0, 1})
		apply(t, m, pair(sim.Unblock, bob, alice), gsend(alice, 6, "unblocked"))
		want(t, "after unblock", texts(m, bob, g0), "0:before 2:carol 0:unblocked")
	})
	t.Run("R7 a blocker who joins a group later does not see the blocked user's messages", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, pair(sim.Block, dave, bob), sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: dave}, gsend(bob, 3, "hi"))
		want(t, "dave", texts(m, dave, g0), "")
		want(t, "dave's unread", m.Unread(dave, g0), 0)
	})
	t.Run("R7 a blocker who left and unblocked sees the messages after rejoining", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, pair(sim.Block, carol, bob), on(sim.LeaveGroup, carol, g0), pair(sim.Unblock, carol, bob),
			sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: carol}, gsend(bob, 3, "hi"))
		want(t, "carol", texts(m, carol, g0), "1:hi")
	})
	t.Run("block_hides_history hides what the blocked user sent before, while the block stands", func(t *testing.T) {
		p := preset(t, "linkedin")
		p.BlockHidesHistory = true
		m := fixture(t, p)
		apply(t, m, gsend(alice, 3, "group"), pair(sim.Block, bob, alice))
		want(t, "bob's direct thread", texts(m, bob, ab), "1:m2")
		want(t, "bob's group", texts(m, bob, g0), "")
		want(t, "alice sees all", texts(m, alice, ab), "0:m1 1:m2")
		apply(t, m, pair(sim.Unblock, bob, alice))
		want(t, "after unblock", texts(m, bob, ab), "0:m1 1:m2")
		want(t, "group after unblock", texts(m, bob, g0), "0:group")
	})
	t.Run("block_mutual off: only the blocked user's messages are refused", func(t *testing.T) {
		p := preset(t, "linkedin")
		p.BlockMutual, p.BlockRemovesConnection = false, false
		m := fixture(t, p)
		apply(t, m, pair(sim.Block, bob, alice))
		want(t, "bob to alice", m.Apply(dsend(bob, alice, 3, "x")), sim.OK)
		want(t, "alice to bob", m.Apply(dsend(alice, bob, 4, "x")), sim.Blocked)
		want(t, "still connected", m.Connected(alice, bob), true)
	})
	t.Run("R9 a post notifies connections, not across blocks", func(t *testing.T) {
		p := preset(t, "linkedin")
		p.BlockRemovesConnection = false
		m := fixture(t, p)
		apply(t, m, pair(sim.Block, carol, bob), sim.Op{Action: sim.Post, User: bob, Text: "news"})
		want(t, "alice", m.Notified(alice)[1], 1)
		want(t, "carol blocks bob", m.Suppressed(carol)[2], 1)
		want(t, "dave is no connection", m.Notified(dave)[1], 0)
		apply(t, m, sim.Op{Action: sim.Post, User: carol, Text: "news"})
		want(t, "bob, blocked by carol", m.Notified(bob)[1], 0)
		want(t, "bob's held back", m.Suppressed(bob)[2], 1)
		apply(t, m, on(sim.Mute, alice, ab), sim.Op{Action: sim.Notifications, User: alice}, sim.Op{Action: sim.Post, User: bob})
		want(t, "alice with notifications off", m.Suppressed(alice), [3]int{0, 1, 0})
	})
	t.Run("R10 report with block blocks; reported content stays", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, sim.Op{Action: sim.Report, User: bob, Target: alice, Thread: ab, Msg: 1, AndBlock: true})
		want(t, "reports", m.Reports(ab), 1)
		want(t, "bob blocks alice", m.Blocks(bob, alice), true)
		want(t, "bob's view", texts(m, bob, ab), "0:m1 1:m2")
	})
	t.Run("R11 inbox: most recent first; reading and sending clear unread", func(t *testing.T) {
		m := linkedin(t)
		want(t, "bob's inbox", slices.Equal(m.Inbox(bob), []sim.ThreadID{g0, ab}), true)
		apply(t, m, dsend(alice, bob, 3, "x"))
		want(t, "bob's inbox after a message", slices.Equal(m.Inbox(bob), []sim.ThreadID{ab, g0}), true)
		want(t, "bob's unread", m.Unread(bob, ab), 1)
		apply(t, m, on(sim.Read, bob, ab))
		want(t, "after read", m.Unread(bob, ab), 0)
		apply(t, m, gsend(carol, 4, "y"), gsend(carol, 5, "z"))
		want(t, "group unread", m.Unread(bob, g0), 2)
		apply(t, m, gsend(bob, 6, "me"))
		want(t, "the sender's unread clears", m.Unread(bob, g0), 0)
		apply(t, m, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(2), Members: []sim.UserID{dave, carol}})
		want(t, "a group shows when joined", m.Inbox(dave)[0], sim.Group(2))
	})
	t.Run("R1g a member sees from joining; a leaver keeps what they saw; a rejoiner starts again", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, gsend(alice, 3, "one"), sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: dave}, gsend(bob, 4, "two"))
		want(t, "dave", texts(m, dave, g0), "1:two")
		apply(t, m, on(sim.LeaveGroup, dave, g0), gsend(alice, 5, "three"))
		want(t, "dave after leaving", texts(m, dave, g0), "1:two")
		want(t, "dave still has the group in his inbox", m.Inbox(dave)[0], g0)
		want(t, "members", slices.Equal(m.Members(g0), []sim.UserID{alice, bob, carol, dave}), true)
		apply(t, m, sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: dave}, gsend(alice, 6, "four"))
		want(t, "dave after rejoining", texts(m, dave, g0), "0:four")
	})
	t.Run("threads exist once a message is exchanged", func(t *testing.T) {
		m := linkedin(t)
		apply(t, m, pair(sim.Connect, bob, dave))
		want(t, "threads", slices.Equal(m.Threads(), []sim.ThreadID{ab, g0}), true)
		want(t, "refused sends make no thread", m.Apply(dsend(carol, dave, 7, "x")), sim.NotConnected)
		want(t, "threads after", len(m.Threads()), 2)
	})
}
