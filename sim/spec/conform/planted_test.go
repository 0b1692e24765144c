package conform_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

const alice, bob, carol, dave = sim.UserID(0), sim.UserID(1), sim.UserID(2), sim.UserID(3)

var (
	ab = sim.Direct(alice, bob)
	g0 = sim.Group(0)
)

// story is a small run: four users, alice connected to everyone and bob
// to carol; alice and bob exchange messages; alice's group has bob and
// carol; carol posts there.
var story = []sim.Op{
	{Action: sim.Send, User: alice, Target: bob, Msg: 1, Text: "hello"},
	{Action: sim.Send, User: bob, Target: alice, Msg: 2, Text: "hi"},
	{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{bob, carol}},
	{Action: sim.Send, User: carol, Thread: g0, Msg: 3, Text: "team"},
	{Action: sim.Send, User: alice, Target: bob, Msg: 4, Text: "oops"},
}

var storyConns = [][]sim.UserID{{1, 2, 3}, {0, 2}, {0, 1}, {0}}

func connsOf(u sim.UserID) []sim.UserID { return storyConns[u] }

// both returns a reference world and a spec model under the same preset
// that have applied the story.
func both(t *testing.T, preset string) (*sim.World, *spec.Model) {
	t.Helper()
	sp, _ := sim.Preset(preset)
	mp, _ := spec.Preset(preset)
	return bothUnder(t, sp, mp)
}

// TestOutcomePlanted gives the engine one extra operation the spec does
// not see and requires the next operation's different outcome to be
// reported at its index, with its users and thread.
func TestOutcomePlanted(t *testing.T) {
	w, m := both(t, "linkedin")
	w.Apply(sim.Op{Action: sim.Block, User: bob, Target: alice})
	stream := []sim.Op{
		{Action: sim.Send, User: carol, Thread: g0, Msg: 5, Text: "fine"},
		{Action: sim.Send, User: alice, Target: bob, Msg: 6, Text: "still there?"},
	}
	var diffs []conform.Difference
	for i, op := range stream {
		if d, ok := conform.Outcome(len(story)+i, op, w.Apply(op), m.Apply(op)); ok {
			diffs = append(diffs, d)
		}
	}
	want := conform.Difference{Op: 6, Action: sim.Send, What: "outcome", User: alice, Other: bob, Thread: ab, Engine: "blocked", Spec: "ok"}
	if len(diffs) != 1 || diffs[0] != want {
		t.Fatalf("got %+v, want exactly %+v", diffs, want)
	}
	s := diffs[0].String()
	for _, part := range []string{"operation 6", "send by user 0", "to 1", "direct#0-1", "engine blocked", "spec ok"} {
		if !strings.Contains(s, part) {
			t.Errorf("%q does not say %q", s, part)
		}
	}
	if _, ok := conform.Outcome(0, stream[0], sim.OK, sim.OK); ok {
		t.Error("equal outcomes reported as a difference")
	}
}

// where is what a planted difference must be reported as.
type where struct {
	what        string
	user, other sim.UserID
	thread      sim.ThreadID
}

// TestFinalPlanted gives the engine one extra operation, or edits its
// state after the run, and requires Final to report exactly the
// observables that changed, for the right users and thread, and nothing
// else.
func TestFinalPlanted(t *testing.T) {
	tests := []struct {
		name   string
		preset string
		plant  func(w *sim.World)
		want   []where
	}{
		{"an extra delete for me", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 4})
		}, []where{{"view", alice, 0, ab}}},
		{"an extra recall", "whatsapp", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 4, Everyone: true})
		}, []where{{"view", alice, 0, ab}, {"view", bob, 0, ab}}},
		{"an extra edit", "whatsapp", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Edit, User: alice, Thread: ab, Msg: 1, Text: "hullo"})
		}, []where{{"view", alice, 0, ab}, {"view", bob, 0, ab}}},
		{"an extra read", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Read, User: bob, Thread: ab})
		}, []where{{"unread", bob, 0, ab}}},
		{"an extra archive", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Archive, User: carol, Thread: g0})
		}, []where{{"inbox", carol, 0, 0}, {"archived", carol, 0, g0}}},
		{"an extra mute", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Mute, User: bob, Thread: g0})
		}, []where{{"muted", bob, 0, g0}}},
		{"an extra notifications off", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Notifications, User: dave, On: false})
		}, []where{{"notifications_off", dave, 0, 0}}},
		{"an extra post", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Post, User: dave, Text: "news"})
		}, []where{{"notified", alice, 0, 0}}},
		{"an extra report", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Report, User: bob, Target: carol, Thread: g0, Msg: 3})
		}, []where{{"reports", 0, 0, g0}}},
		{"an extra disconnect", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Disconnect, User: dave, Target: alice})
		}, []where{{"connected", alice, dave, 0}, {"connected", alice, dave, 0}, {"connected", dave, alice, 0}}},
		{"an extra block", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.Block, User: carol, Target: bob})
		}, []where{{"connected", bob, carol, 0}, {"blocks", carol, bob, 0}, {"connected", bob, carol, 0}, {"profile", bob, carol, 0},
			{"connected", carol, bob, 0}, {"blocks", carol, bob, 0}, {"profile", carol, bob, 0}}},
		{"an extra group", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.CreateGroup, User: alice, Thread: sim.Group(1), Members: []sim.UserID{carol, dave}})
		}, []where{{"threads", 0, 0, sim.Group(1)}, {"inbox", alice, 0, 0}, {"member", alice, 0, sim.Group(1)},
			{"inbox", carol, 0, 0}, {"member", carol, 0, sim.Group(1)}, {"inbox", dave, 0, 0}, {"member", dave, 0, sim.Group(1)}}},
		{"an extra leave_group, with nothing posted after it", "linkedin", func(w *sim.World) {
			w.Apply(sim.Op{Action: sim.LeaveGroup, User: carol, Thread: g0})
		}, []where{{"member", carol, 0, g0}}},
		{"a message's text changed after the run", "linkedin", func(w *sim.World) {
			w.Threads[g0].Messages()[0].Text = "tampered"
		}, []where{{"view", alice, 0, g0}, {"view", bob, 0, g0}, {"view", carol, 0, g0}}},
		{"a thread's block state changed after the run", "linkedin", func(w *sim.World) {
			w.Threads[ab].Pair.BlockedBy[1] = true
		}, []where{{"blocks", bob, alice, 0}}},
		{"a counter changed after the run", "linkedin", func(w *sim.World) {
			w.Users[carol].Counters.Suppressed[sim.ReasonMuted]++
		}, []where{{"suppressed", carol, 0, 0}}},
		{"a thread dropped after the run", "linkedin", func(w *sim.World) {
			delete(w.Threads, ab)
		}, []where{{"threads", 0, 0, ab}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, m := both(t, tc.preset)
			tc.plant(w)
			_, n, diffs := conform.Final(&w.State, m, 100)
			var got []where
			for _, d := range diffs {
				if d.Op != -1 || d.Engine == d.Spec || d.String() == "" {
					t.Errorf("malformed difference %+v", d)
				}
				got = append(got, where{d.What, d.User, d.Other, d.Thread})
			}
			if n != len(diffs) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("%d differences:\n%s\nwant %v", n, lines(diffs), tc.want)
			}
		})
	}
}

// TestFinalPlantedDeleted gives the engine an extra delete_thread that
// changes nothing a view or the inbox shows (the thread is archived and
// the member has received nothing since joining) and requires Final to
// report the deleted flag alone.
func TestFinalPlantedDeleted(t *testing.T) {
	w, m := both(t, "linkedin")
	for _, op := range []sim.Op{
		{Action: sim.AddMember, User: alice, Thread: g0, Target: dave},
		{Action: sim.Archive, User: dave, Thread: g0},
	} {
		if got, want := w.Apply(op), m.Apply(op); got != sim.OK || want != sim.OK {
			t.Fatalf("setting up, %s: engine %s, spec %s", op.Action, got, want)
		}
	}
	w.Apply(sim.Op{Action: sim.DeleteThread, User: dave, Thread: g0})
	_, n, diffs := conform.Final(&w.State, m, 10)
	want := where{"deleted", dave, 0, g0}
	if n != 1 || len(diffs) != 1 || (where{diffs[0].What, diffs[0].User, diffs[0].Other, diffs[0].Thread}) != want {
		t.Fatalf("%d differences:\n%s\nwant %v", n, lines(diffs), want)
	}
}

// TestFinalLimit: Final counts every difference but keeps at most limit.
func TestFinalLimit(t *testing.T) {
	w, m := both(t, "linkedin")
	w.Threads[g0].Messages()[0].Text = "tampered"
	_, n, diffs := conform.Final(&w.State, m, 1)
	if n != 3 || len(diffs) != 1 {
		t.Fatalf("%d differences, %d kept: %v", n, len(diffs), diffs)
	}
	if s := diffs[0].String(); !strings.Contains(s, `"tampered"`) || !strings.Contains(s, `"team"`) || !strings.Contains(s, "final state, user 0, group#0: view") {
		t.Fatalf("the difference does not say what each side shows: %s", s)
	}
}

func lines(ds []conform.Difference) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s\n", d)
	}
	return b.String()
}
