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
