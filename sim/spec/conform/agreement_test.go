package conform_test

import (
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// TestAgreement runs small stories on which the engine's reference model
// and the specification once disagreed, each with the DESIGN.md or docs
// text that decides it, and requires them to agree on every outcome and
// every final observable. Each row fails on its own, naming the rule, so
// a disagreement reads as the rule it breaks.
func TestAgreement(t *testing.T) {
	tests := []struct {
		name   string
		rule   string // the text that decides it
		preset string
		knobs  map[string]any
		ops    []sim.Op
	}{
		{"delete_thread of a pair without messages",
			`DESIGN.md section 1: "a direct thread exists for each pair that has exchanged a message"; R4 deletes a thread ` +
				`from the inbox: delete_thread of a pair that never exchanged one is not_found, whatever connections the pair made`,
			"linkedin", nil, []sim.Op{
				{Action: sim.Connect, User: alice, Target: dave},
				{Action: sim.DeleteThread, User: alice, Thread: sim.Direct(alice, dave)},
				{Action: sim.Mute, User: alice, Thread: sim.Direct(alice, dave)},
			}},
		{"add_member precedence",
			`DESIGN.md section 5: "Where several apply, the first in this order wins: unknown_user, invalid, not_found, not_member, ..."; ` +
				`docs/scenario-format.md: invalid is "adding a member twice": a non-member adding a current member is invalid`,
			"linkedin", nil, []sim.Op{
				{Action: sim.AddMember, User: dave, Thread: g0, Target: bob},
			}},
		{"post across a block",
			`R9: "A post notifies the author's connections (not across blocks)": a connection the author blocks gets no post notification`,
			"linkedin", map[string]any{"block_removes_connection": false}, []sim.Op{
				{Action: sim.Block, User: alice, Target: dave},
				{Action: sim.Post, User: alice, Text: "news"},
			}},
		{"block_hides_history in groups",
			`block_hides_history (README: "the blocker stops seeing what the blocked user sent before"): in groups too`,
			"linkedin", map[string]any{"block_hides_history": true}, []sim.Op{
				{Action: sim.Block, User: bob, Target: carol},
			}},
		{"block before joining a group",
			`R7: "messages A posts there after the block are not shown to B": also in a group B joins after blocking A`,
			"linkedin", nil, []sim.Op{
				{Action: sim.Block, User: dave, Target: carol},
				{Action: sim.AddMember, User: alice, Thread: g0, Target: dave},
				{Action: sim.Send, User: carol, Thread: g0, Msg: 10, Text: "hello dave"},
			}},
		{"unblock while out of a group",
			`R7: "Unblocking lifts these rules": a blocker who left a group, unblocked and rejoined sees the other's new messages`,
			"linkedin", nil, []sim.Op{
				{Action: sim.Block, User: bob, Target: carol},
				{Action: sim.LeaveGroup, User: bob, Thread: g0},
				{Action: sim.Unblock, User: bob, Target: carol},
				{Action: sim.AddMember, User: alice, Thread: g0, Target: bob},
				{Action: sim.Send, User: carol, Thread: g0, Msg: 10, Text: "welcome back"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp, mp := policies(t, tc.preset, tc.knobs)
			w, m := bothUnder(t, sp, mp)
			for i, op := range tc.ops {
				if d, ok := conform.Outcome(len(story)+i, op, w.Apply(op), m.Apply(op)); ok {
					t.Errorf("%s\n%s", tc.rule, d)
				}
			}
			if _, n, diffs := conform.Final(&w.State, m, 10); n > 0 {
				t.Errorf("%s\n%d differences:\n%s", tc.rule, n, lines(diffs))
			}
		})
	}
}

// bothUnder returns a reference world and a spec model under the given
// policies that have applied the story, and fails if they disagree so far.
func bothUnder(t *testing.T, sp sim.Policy, mp spec.Policy) (*sim.World, *spec.Model) {
	t.Helper()
	w := sim.NewWorld(sp, 4, connsOf)
	m := spec.New(mp, 4, connsOf)
	for i, op := range story {
		if d, ok := conform.Outcome(i, op, w.Apply(op), m.Apply(op)); ok {
			t.Fatalf("story: %v", d)
		}
	}
	if checked, n, diffs := conform.Final(&w.State, m, 10); n != 0 || checked == 0 {
		t.Fatalf("story: %d comparisons, %d differences:\n%s", checked, n, lines(diffs))
	}
	return w, m
}

// TestAgreementGroupFull compares group_full on both sides, which the
// random streams never reach (their worlds are too small to fill a group
// of 50): R1g "a group holds at most 50", at creation and by addition,
// after a member left and with a 51st connection waiting.
func TestAgreementGroupFull(t *testing.T) {
	const users = 60
	conns := make([][]sim.UserID, users)
	for u := sim.UserID(1); u < users; u++ {
		conns[0] = append(conns[0], u)
		conns[u] = []sim.UserID{0}
	}
	connsOf := func(u sim.UserID) []sim.UserID { return conns[u] }
	first := func(n int) []sim.UserID {
		var us []sim.UserID
		for u := sim.UserID(1); int(u) <= n; u++ {
			us = append(us, u)
		}
		return us
	}
	g1, g2 := sim.Group(1), sim.Group(2)
	ops := []struct {
		op   sim.Op
		want sim.Outcome
	}{
		{sim.Op{Action: sim.CreateGroup, User: 0, Thread: g1, Members: first(50)}, sim.GroupFull},
		{sim.Op{Action: sim.CreateGroup, User: 0, Thread: g1, Members: first(49)}, sim.OK},
		{sim.Op{Action: sim.AddMember, User: 0, Thread: g1, Target: 55}, sim.GroupFull},
		{sim.Op{Action: sim.AddMember, User: 0, Thread: g1, Target: 70}, sim.UnknownUser},
		{sim.Op{Action: sim.AddMember, User: 0, Thread: g1, Target: 7}, sim.Invalid},
		{sim.Op{Action: sim.LeaveGroup, User: 7, Thread: g1}, sim.OK},
		{sim.Op{Action: sim.AddMember, User: 0, Thread: g1, Target: 55}, sim.OK},
		{sim.Op{Action: sim.AddMember, User: 0, Thread: g1, Target: 7}, sim.GroupFull},
		{sim.Op{Action: sim.Send, User: 55, Thread: g1, Msg: 1, Text: "full house"}, sim.OK},
		{sim.Op{Action: sim.CreateGroup, User: 0, Thread: g2, Members: first(55)}, sim.GroupFull},
	}
	for _, name := range sim.PresetNames() {
		t.Run(name, func(t *testing.T) {
			sp, mp := policies(t, name, nil)
			w, m := sim.NewWorld(sp, users, connsOf), spec.New(mp, users, connsOf)
			for i, o := range ops {
				got, want := w.Apply(o.op), m.Apply(o.op)
				if d, ok := conform.Outcome(i, o.op, got, want); ok {
					t.Errorf("%v", d)
				} else if want != o.want {
					t.Errorf("operation %d (%s): both say %s, R1g says %s", i, o.op.Action, want, o.want)
				}
			}
			if _, n, diffs := conform.Final(&w.State, m, 10); n > 0 {
				t.Errorf("%d differences:\n%s", n, lines(diffs))
			}
		})
	}
}
