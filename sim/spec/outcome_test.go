package spec_test

import (
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

func at(d time.Duration) sim.Time { return sim.Time(d) }

// firstUsers returns users 1..n.
func firstUsers(n int) []sim.UserID {
	var us []sim.UserID
	for u := sim.UserID(1); int(u) <= n; u++ {
		us = append(us, u)
	}
	return us
}

// TestOutcomes is one row per rule, outcome and preset difference: the
// outcome the rule text gives, and for every refusal a model left exactly
// as it was.
func TestOutcomes(t *testing.T) {
	block := func(u, v sim.UserID) sim.Op { return sim.Op{Action: sim.Block, User: u, Target: v} }
	send := func(u, v sim.UserID, key sim.MsgKey) sim.Op {
		return sim.Op{Action: sim.Send, User: u, Target: v, Msg: key, Text: "x"}
	}
	del := func(u sim.UserID, th sim.ThreadID, key sim.MsgKey, everyone bool, when time.Duration) sim.Op {
		return sim.Op{Action: sim.Delete, User: u, Thread: th, Msg: key, Everyone: everyone, At: at(when)}
	}
	edit := func(u sim.UserID, key sim.MsgKey, when time.Duration) sim.Op {
		return sim.Op{Action: sim.Edit, User: u, Thread: ab, Msg: key, Text: "new", At: at(when)}
	}
	add := func(u, v sim.UserID) sim.Op { return sim.Op{Action: sim.AddMember, User: u, Thread: g0, Target: v} }
	tests := []struct {
		rule, policy string
		before       []sim.Op
		op           sim.Op
		want         sim.Outcome
	}{
		{"R1 send to a connection", "linkedin", nil, send(alice, dave, 9), sim.OK},
		{"R1 send to a non-connection", "linkedin", nil, send(bob, dave, 9), sim.NotConnected},
		{"R1 open-dm needs no connection", "open-dm", nil, send(bob, dave, 9), sim.OK},
		{"R1 imessage needs no connection", "imessage", nil, send(bob, dave, 9), sim.OK},
		{"R1 to oneself", "linkedin", nil, send(bob, bob, 9), sim.Invalid},
		{"R1 to an unknown user", "linkedin", nil, send(bob, 60, 9), sim.UnknownUser},
		{"R1 from an unknown user", "linkedin", nil, send(61, bob, 9), sim.UnknownUser},
		{"R1 to someone who blocks the sender", "linkedin", []sim.Op{block(bob, alice)}, send(alice, bob, 9), sim.Blocked},
		{"R1 the blocker cannot send either", "linkedin", []sim.Op{block(bob, alice)}, send(bob, alice, 9), sim.Blocked},
		{"R1 blocked beats not connected", "open-dm", []sim.Op{block(dave, bob)}, send(bob, dave, 9), sim.Blocked},
		{"R1g send by a member", "linkedin", nil, sim.Op{Action: sim.Send, User: carol, Thread: g0, Msg: 9}, sim.OK},
		{"R1g send by a non-member", "linkedin", nil, sim.Op{Action: sim.Send, User: dave, Thread: g0, Msg: 9}, sim.NotMember},
		{"R1g send to a group that does not exist", "linkedin", nil, sim.Op{Action: sim.Send, User: dave, Thread: sim.Group(7), Msg: 9}, sim.NotFound},
		{"R1g send after leaving", "linkedin", []sim.Op{{Action: sim.LeaveGroup, User: carol, Thread: g0}}, sim.Op{Action: sim.Send, User: carol, Thread: g0, Msg: 9}, sim.NotMember},
		{"R1g add a connection", "linkedin", nil, add(alice, dave), sim.OK},
		{"R1g add a non-connection", "linkedin", nil, add(bob, dave), sim.NotConnected},
		{"R1g add needs a connection under open-dm too", "open-dm", nil, add(bob, dave), sim.NotConnected},
		{"R1g add someone who blocks the adder", "linkedin", []sim.Op{block(dave, alice)}, add(alice, dave), sim.Blocked},
		{"R1g add someone the adder blocks", "linkedin", []sim.Op{block(alice, dave)}, add(alice, dave), sim.Blocked},
		{"R1g a non-member adds", "linkedin", nil, add(dave, 5), sim.NotMember},
		{"R1g add a current member", "linkedin", nil, add(alice, bob), sim.Invalid},
		{"R1g invalid before not_member", "linkedin", nil, add(dave, bob), sim.Invalid},
		{"R1g add oneself", "linkedin", nil, add(alice, alice), sim.Invalid},
		{"R1g add an unknown user", "linkedin", nil, add(alice, 70), sim.UnknownUser},
		{"R1g add to a group that does not exist", "linkedin", nil, sim.Op{Action: sim.AddMember, User: alice, Thread: sim.Group(5), Target: dave}, sim.NotFound},
		{"R1g add a former member", "linkedin", []sim.Op{{Action: sim.LeaveGroup, User: carol, Thread: g0}}, add(alice, carol), sim.OK},
		{"R1g a group of 50", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: firstUsers(49)}, sim.OK},
		{"R1g a group of 51", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: firstUsers(50)}, sim.GroupFull},
		{"R1g adding the 51st", "linkedin", []sim.Op{{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: firstUsers(49)}},
			sim.Op{Action: sim.AddMember, User: alice, Thread: sim.Group(1), Target: 55}, sim.GroupFull},
		{"R1g a group of two", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: []sim.UserID{bob}}, sim.Invalid},
		{"R1g a group naming its owner", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: []sim.UserID{alice, bob, carol}}, sim.Invalid},
		{"R1g a group naming someone twice", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: []sim.UserID{bob, bob}}, sim.Invalid},
		{"R1g a group that exists", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{bob, carol}}, sim.Invalid},
		{"R1g a group with an unknown user", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: []sim.UserID{bob, 90}}, sim.UnknownUser},
		{"R1g a group with a non-connection", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: bob, Thread: sim.Group(1), Members: []sim.UserID{carol, dave}}, sim.NotConnected},
		{"R1g blocked beats not connected in a group", "linkedin", []sim.Op{block(carol, bob)}, sim.Op{Action: sim.CreateGroup, User: bob, Thread: sim.Group(1), Members: []sim.UserID{dave, carol}}, sim.Blocked},
		{"R1g not connected beats group full", "linkedin", nil, sim.Op{Action: sim.CreateGroup, User: bob, Thread: sim.Group(1), Members: firstUsers(55)[1:]}, sim.NotConnected},
		{"R1g leave", "linkedin", nil, sim.Op{Action: sim.LeaveGroup, User: bob, Thread: g0}, sim.OK},
		{"R1g leave twice", "linkedin", []sim.Op{{Action: sim.LeaveGroup, User: bob, Thread: g0}}, sim.Op{Action: sim.LeaveGroup, User: bob, Thread: g0}, sim.NotMember},
		{"R1g leave a direct thread", "linkedin", nil, sim.Op{Action: sim.LeaveGroup, User: bob, Thread: ab}, sim.Invalid},
		{"R3 delete one's own for me", "linkedin", nil, del(alice, ab, 1, false, 0), sim.OK},
		{"R3 delete someone else's", "linkedin", nil, del(alice, ab, 2, false, 0), sim.NotAuthor},
		{"R3 whatsapp deletes a received message for me", "whatsapp", nil, del(alice, ab, 2, false, 0), sim.OK},
		{"R3 delete twice", "linkedin", []sim.Op{del(alice, ab, 1, false, 0)}, del(alice, ab, 1, false, 0), sim.AlreadyDeleted},
		{"R3 delete an unknown message", "linkedin", nil, del(alice, ab, 77, false, 0), sim.NotFound},
		{"R3 delete message zero", "linkedin", nil, del(alice, ab, 0, false, 0), sim.NotFound},
		{"R3 delete in a thread that does not exist", "linkedin", nil, del(alice, sim.Direct(0, 5), 1, false, 0), sim.NotFound},
		{"R3 delete by a non-member", "linkedin", nil, del(dave, ab, 1, false, 0), sim.NotMember},
		{"R3 no delete for everyone under linkedin", "linkedin", nil, del(alice, ab, 1, true, 0), sim.NotAllowed},
		{"R3 not_allowed beats not_author", "linkedin", nil, del(alice, ab, 2, true, 0), sim.NotAllowed},
		{"R3 no edit under linkedin", "linkedin", nil, edit(alice, 1, 0), sim.NotAllowed},
		{"recall within 60m", "linkedin-recall", []sim.Op{{Action: sim.Send, User: alice, Target: bob, Msg: 5, At: at(59 * time.Minute)}}, del(alice, ab, 5, true, 119*time.Minute), sim.OK},
		{"recall at exactly 60m", "linkedin-recall", nil, del(alice, ab, 1, true, 60*time.Minute), sim.OK},
		{"recall after 60m", "linkedin-recall", nil, del(alice, ab, 1, true, 61*time.Minute), sim.WindowExpired},
		{"recall someone else's", "linkedin-recall", nil, del(alice, ab, 2, true, 0), sim.NotAuthor},
		{"recall in a group under linkedin-recall", "linkedin-recall", []sim.Op{{Action: sim.Send, User: bob, Thread: g0, Msg: 8}}, del(bob, g0, 8, true, 0), sim.OK},
		{"no recall in a group under telegram", "telegram", []sim.Op{{Action: sim.Send, User: bob, Thread: g0, Msg: 8}}, del(bob, g0, 8, true, 0), sim.NotAllowed},
		{"whatsapp recall at 59h", "whatsapp", nil, del(alice, ab, 1, true, 59*time.Hour), sim.OK},
		{"whatsapp recall at 61h", "whatsapp", nil, del(alice, ab, 1, true, 61*time.Hour), sim.WindowExpired},
		{"telegram recall any time", "telegram", nil, del(alice, ab, 1, true, 9999*time.Hour), sim.OK},
		{"signal recall at 4h", "signal", nil, del(alice, ab, 1, true, 4*time.Hour), sim.WindowExpired},
		{"imessage unsend at 3m", "imessage", nil, del(alice, ab, 1, true, 3*time.Minute), sim.WindowExpired},
		{"messenger remove at 9m", "messenger", nil, del(alice, ab, 1, true, 9*time.Minute), sim.OK},
		{"recall twice", "whatsapp", []sim.Op{del(alice, ab, 1, true, 0)}, del(alice, ab, 1, true, 0), sim.AlreadyDeleted},
		{"delete for me after a recall", "whatsapp", []sim.Op{del(alice, ab, 1, true, 0)}, del(bob, ab, 1, false, 0), sim.AlreadyDeleted},
		{"recall after deleting for me", "whatsapp", []sim.Op{del(alice, ab, 1, false, 0)}, del(alice, ab, 1, true, 0), sim.OK},
		{"already_deleted beats window_expired", "whatsapp", []sim.Op{del(alice, ab, 1, true, 0)}, del(alice, ab, 1, true, 99*time.Hour), sim.AlreadyDeleted},
		{"edit within 15m", "imessage", nil, edit(alice, 1, 14*time.Minute), sim.OK},
		{"edit after 15m", "whatsapp", nil, edit(alice, 1, 16*time.Minute), sim.WindowExpired},
		{"edit someone else's", "whatsapp", nil, edit(alice, 2, 0), sim.NotAuthor},
		{"edit a recalled message", "whatsapp", []sim.Op{del(alice, ab, 1, true, 0)}, edit(alice, 1, 0), sim.AlreadyDeleted},
		{"edit a message deleted for me", "whatsapp", []sim.Op{del(alice, ab, 1, false, 0)}, edit(alice, 1, 0), sim.AlreadyDeleted},
		{"telegram edits any time", "telegram", nil, edit(alice, 1, 9999*time.Hour), sim.OK},
		{"signal has no edit", "signal", nil, edit(alice, 1, 0), sim.NotAllowed},
		{"imessage's sixth edit", "imessage", []sim.Op{edit(alice, 1, 0), edit(alice, 1, 0), edit(alice, 1, 0), edit(alice, 1, 0), edit(alice, 1, 0)}, edit(alice, 1, 0), sim.NotAllowed},
		{"R4 delete a thread", "linkedin", nil, sim.Op{Action: sim.DeleteThread, User: bob, Thread: ab}, sim.OK},
		{"R4 delete a thread one is not in", "linkedin", nil, sim.Op{Action: sim.DeleteThread, User: dave, Thread: ab}, sim.NotMember},
		{"R4 delete a thread that does not exist", "linkedin", nil, sim.Op{Action: sim.DeleteThread, User: bob, Thread: sim.Direct(bob, carol)}, sim.NotFound},
		{"R4 a connection alone makes no thread", "linkedin", []sim.Op{{Action: sim.Connect, User: bob, Target: dave}}, sim.Op{Action: sim.DeleteThread, User: bob, Thread: sim.Direct(bob, dave)}, sim.NotFound},
		{"R4 a group one left", "linkedin", []sim.Op{{Action: sim.LeaveGroup, User: bob, Thread: g0}}, sim.Op{Action: sim.DeleteThread, User: bob, Thread: g0}, sim.OK},
		{"R5 archive", "linkedin", nil, sim.Op{Action: sim.Archive, User: bob, Thread: ab}, sim.OK},
		{"R5 archive a thread that does not exist", "linkedin", nil, sim.Op{Action: sim.Archive, User: bob, Thread: sim.Direct(bob, carol)}, sim.NotFound},
		{"R5 archive someone else's thread", "linkedin", nil, sim.Op{Action: sim.Archive, User: dave, Thread: ab}, sim.NotFound},
		{"R5 unarchive", "linkedin", nil, sim.Op{Action: sim.Unarchive, User: bob, Thread: g0}, sim.OK},
		{"R6 mute", "linkedin", nil, sim.Op{Action: sim.Mute, User: bob, Thread: g0}, sim.OK},
		{"R6 unmute a group one left", "linkedin", []sim.Op{{Action: sim.LeaveGroup, User: bob, Thread: g0}}, sim.Op{Action: sim.Unmute, User: bob, Thread: g0}, sim.OK},
		{"R6 notifications off", "linkedin", nil, sim.Op{Action: sim.Notifications, User: bob}, sim.OK},
		{"R7 block", "linkedin", nil, block(bob, alice), sim.OK},
		{"R7 block twice", "linkedin", []sim.Op{block(bob, alice)}, block(bob, alice), sim.OK},
		{"R7 block oneself", "linkedin", nil, block(bob, bob), sim.Invalid},
		{"R7 block an unknown user", "linkedin", nil, block(bob, 70), sim.UnknownUser},
		{"R7 connect across a block", "linkedin", []sim.Op{block(bob, alice)}, sim.Op{Action: sim.Connect, User: alice, Target: bob}, sim.Blocked},
		{"R7 the blocker cannot connect either", "linkedin", []sim.Op{block(bob, alice)}, sim.Op{Action: sim.Connect, User: bob, Target: alice}, sim.Blocked},
		{"R7 unblock does not reconnect", "linkedin", []sim.Op{block(bob, alice), {Action: sim.Unblock, User: bob, Target: alice}}, send(alice, bob, 9), sim.NotConnected},
		{"R7 connect after unblock", "linkedin", []sim.Op{block(bob, alice), {Action: sim.Unblock, User: bob, Target: alice}}, sim.Op{Action: sim.Connect, User: alice, Target: bob}, sim.OK},
		{"R7 unblock without a block", "linkedin", nil, sim.Op{Action: sim.Unblock, User: bob, Target: alice}, sim.OK},
		{"R7 group sends go on across a block", "linkedin", []sim.Op{block(bob, alice)}, sim.Op{Action: sim.Send, User: alice, Thread: g0, Msg: 9}, sim.OK},
		{"R8 profile", "linkedin", nil, sim.Op{Action: sim.ViewProfile, User: dave, Target: bob}, sim.OK},
		{"R8 profile across a block", "linkedin", []sim.Op{block(bob, dave)}, sim.Op{Action: sim.ViewProfile, User: dave, Target: bob}, sim.Blocked},
		{"R8 the blocker cannot view either", "linkedin", []sim.Op{block(bob, dave)}, sim.Op{Action: sim.ViewProfile, User: bob, Target: dave}, sim.Blocked},
		{"R8 one's own profile", "linkedin", nil, sim.Op{Action: sim.ViewProfile, User: bob, Target: bob}, sim.Invalid},
		{"R9 post", "linkedin", nil, sim.Op{Action: sim.Post, User: alice, Text: "news"}, sim.OK},
		{"R10 report a user", "linkedin", nil, sim.Op{Action: sim.Report, User: bob, Target: alice}, sim.OK},
		{"R10 report a message and block", "linkedin", nil, sim.Op{Action: sim.Report, User: bob, Target: alice, Thread: ab, Msg: 1, AndBlock: true}, sim.OK},
		{"R10 report an unknown message", "linkedin", nil, sim.Op{Action: sim.Report, User: bob, Target: alice, Thread: ab, Msg: 42}, sim.NotFound},
		{"R10 report a message one did not receive", "linkedin", nil, sim.Op{Action: sim.Report, User: dave, Target: alice, Thread: ab, Msg: 1}, sim.NotMember},
		{"R10 report oneself", "linkedin", nil, sim.Op{Action: sim.Report, User: bob, Target: bob}, sim.Invalid},
		{"R11 read", "linkedin", nil, sim.Op{Action: sim.Read, User: bob, Thread: ab}, sim.OK},
		{"R11 read someone else's thread", "linkedin", nil, sim.Op{Action: sim.Read, User: dave, Thread: g0}, sim.NotFound},
		{"an action that does not exist", "linkedin", nil, sim.Op{Action: sim.NumActions, User: bob}, sim.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			m := fixture(t, preset(t, tc.policy))
			apply(t, m, tc.before...)
			before := dump(m)
			if got := m.Apply(tc.op); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
			if tc.want != sim.OK && dump(m) != before {
				t.Fatalf("a refused operation changed the model:\nbefore:\n%s\nafter:\n%s", before, dump(m))
			}
		})
	}
}
