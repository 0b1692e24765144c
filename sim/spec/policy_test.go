package spec_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// TestPresets holds the preset table to DESIGN.md section 2's texts and
// windows.
func TestPresets(t *testing.T) {
	want := []string{"linkedin", "linkedin-recall", "whatsapp", "telegram", "signal", "imessage", "messenger", "open-dm"}
	if got := spec.PresetNames(); !slices.Equal(got, want) {
		t.Fatalf("presets %v, want %v", got, want)
	}
	tests := []struct {
		name  string
		check func(p spec.Policy) bool
	}{
		{"linkedin", func(p spec.Policy) bool {
			return p.RequireConnection && !p.DeleteForEveryone && !p.Edit && !p.DeleteReceived &&
				p.TombstoneSelf == "This message has been deleted" && p.TombstoneOthers == "This message has been deleted" &&
				p.BlockMutual && p.BlockRemovesConnection && !p.BlockHidesHistory && !p.UnblockReconnects &&
				p.UnarchiveOnNewMessage && !p.NotifyOnDelete
		}},
		{"linkedin-recall", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 60*time.Minute && p.Edit && p.EditWindow == 60*time.Minute
		}},
		{"whatsapp", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 60*time.Hour && p.TombstoneOthers == "This message was deleted" &&
				p.TombstoneSelf == "You deleted this message" && p.Edit && p.EditWindow == 15*time.Minute
		}},
		{"telegram", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 0 && !p.DeleteEveryoneInGroups && p.TombstoneSelf == "" && p.TombstoneOthers == "" && !p.RequireConnection
		}},
		{"signal", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 3*time.Hour && p.TombstoneOthers != "" && !p.Edit
		}},
		{"imessage", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 2*time.Minute && p.Edit && p.EditWindow == 15*time.Minute && p.EditLimit == 5
		}},
		{"messenger", func(p spec.Policy) bool {
			return p.DeleteForEveryone && p.DeleteWindow == 10*time.Minute && p.TombstoneOthers != ""
		}},
		{"open-dm", func(p spec.Policy) bool {
			li, _ := spec.Preset("linkedin")
			li.Name, li.RequireConnection = "open-dm", false
			return p == li
		}},
	}
	for _, tc := range tests {
		p, ok := spec.Preset(tc.name)
		if !ok || p.Name != tc.name || !tc.check(p) || spec.PresetSource(tc.name) == "" {
			t.Errorf("preset %s: %+v", tc.name, p)
		}
	}
	if _, ok := spec.Preset("nope"); ok {
		t.Error("an unknown preset was found")
	}
}

// TestSetKnob sets every knob from the texts scenario files and
// sim.Knob.Get use, and refuses what is not a value.
func TestSetKnob(t *testing.T) {
	var p spec.Policy
	set := []struct{ name, value string }{
		{"require_connection", "true"}, {"delete_for_everyone", "true"}, {"delete_window", "2h30m"},
		{"delete_everyone_in_groups", "true"}, {"delete_received", "true"}, {"tombstone_self", `"gone \"for me\""`},
		{"tombstone_others", "gone"}, {"edit", "true"}, {"edit_window", "60m"}, {"edit_limit", "5"},
		{"block_mutual", "true"}, {"block_removes_connection", "true"}, {"block_hides_history", "true"},
		{"unblock_reconnects", "true"}, {"unarchive_on_new_message", "true"}, {"notify_on_delete", "true"},
	}
	for _, s := range set {
		if err := p.SetKnob(s.name, s.value); err != nil {
			t.Fatalf("%s=%s: %v", s.name, s.value, err)
		}
	}
	want := spec.Policy{RequireConnection: true, DeleteForEveryone: true, DeleteWindow: 150 * time.Minute,
		DeleteEveryoneInGroups: true, DeleteReceived: true, TombstoneSelf: `gone "for me"`, TombstoneOthers: "gone",
		Edit: true, EditWindow: time.Hour, EditLimit: 5, BlockMutual: true, BlockRemovesConnection: true,
		BlockHidesHistory: true, UnblockReconnects: true, UnarchiveOnNewMessage: true, NotifyOnDelete: true}
	if p != want {
		t.Fatalf("got %+v\nwant %+v", p, want)
	}
	if len(spec.KnobNames()) != len(set) {
		t.Fatalf("%d knobs named, %d set", len(spec.KnobNames()), len(set))
	}
	for i, name := range spec.KnobNames() {
		if set[i].name != name {
			t.Errorf("knob %d is named %s, set as %s", i, name, set[i].name)
		}
	}
	for _, s := range []struct{ name, value string }{{"delete_window", "0"}, {"edit_limit", "0"}, {"edit", "false"}, {"tombstone_self", `""`}} {
		if err := p.SetKnob(s.name, s.value); err != nil {
			t.Fatalf("%s=%s: %v", s.name, s.value, err)
		}
	}
	if p.DeleteWindow != 0 || p.EditLimit != 0 || p.Edit || p.TombstoneSelf != "" {
		t.Fatalf("zero values not set: %+v", p)
	}
	for _, bad := range []struct{ name, value string }{
		{"nope", "true"}, {"edit", "yes"}, {"edit", ""}, {"delete_window", "-5m"}, {"delete_window", "soon"},
		{"edit_limit", "-1"}, {"edit_limit", "2.5"},
	} {
		if err := p.SetKnob(bad.name, bad.value); !errors.Is(err, spec.ErrKnob) {
			t.Errorf("%s=%q: got %v, want ErrKnob", bad.name, bad.value, err)
		}
	}
}

// TestCohorts: a thread follows the stricter policy of the cohorts it
// spans, knob by knob; unarchiving follows each user's own cohort.
func TestCohorts(t *testing.T) {
	conns := fixtureConns()
	// Even users are in cohort 0 (whatsapp), odd users in cohort 1.
	build := func(second spec.Policy) *spec.Model {
		m := spec.New(preset(t, "whatsapp"), 60, func(u sim.UserID) []sim.UserID { return conns[u] })
		m.SetCohorts([]spec.Policy{preset(t, "whatsapp"), second}, func(u sim.UserID) int { return int(u % 2) })
		return m
	}
	t.Run("no recall unless both sides have it", func(t *testing.T) {
		m := build(preset(t, "linkedin"))
		apply(t, m, dsend(alice, bob, 1, "x"), dsend(alice, carol, 2, "y"))
		want(t, "alice to bob (linkedin)", m.Apply(sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true}), sim.NotAllowed)
		want(t, "alice to carol (both whatsapp)", m.Apply(sim.Op{Action: sim.Delete, User: alice, Thread: sim.Direct(alice, carol), Msg: 2, Everyone: true}), sim.OK)
	})
	t.Run("the shorter window, the lower limit", func(t *testing.T) {
		m := build(preset(t, "imessage"))
		apply(t, m, dsend(alice, bob, 1, "x"))
		want(t, "recall at 3m (imessage's 2m)", m.Apply(sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true, At: at(3 * time.Minute)}), sim.WindowExpired)
		tg := preset(t, "telegram")
		m = build(tg)
		apply(t, m, dsend(alice, bob, 1, "x"))
		want(t, "edit at 16m (whatsapp's 15m beats none)", m.Apply(sim.Op{Action: sim.Edit, User: alice, Thread: ab, Msg: 1, At: at(16 * time.Minute)}), sim.WindowExpired)
		want(t, "no connection needed within telegram", m.Apply(dsend(bob, dave, 2, "x")), sim.OK)
		want(t, "a connection if either needs one", m.Apply(dsend(bob, 4, 3, "x")), sim.NotConnected)
	})
	t.Run("a tombstone beats none; the first cohort's text between two", func(t *testing.T) {
		m := build(preset(t, "telegram"))
		apply(t, m, dsend(alice, bob, 1, "x"), sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true})
		want(t, "bob", texts(m, bob, ab), "0:[This message was deleted]")
		m = build(preset(t, "imessage"))
		apply(t, m, dsend(alice, bob, 1, "x"), sim.Op{Action: sim.Delete, User: alice, Thread: ab, Msg: 1, Everyone: true})
		want(t, "bob", texts(m, bob, ab), "0:[This message was deleted]")
	})
	t.Run("a group spans everyone who was ever a member", func(t *testing.T) {
		m := build(preset(t, "linkedin"))
		apply(t, m, sim.Op{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{carol, 4}},
			gsend(carol, 1, "x"))
		want(t, "all whatsapp: recall", m.Apply(sim.Op{Action: sim.Delete, User: carol, Thread: g0, Msg: 1, Everyone: true}), sim.OK)
		apply(t, m, sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: bob}, on(sim.LeaveGroup, bob, g0), gsend(carol, 2, "y"))
		want(t, "bob left but the group spans him", m.Apply(sim.Op{Action: sim.Delete, User: carol, Thread: g0, Msg: 2, Everyone: true}), sim.NotAllowed)
	})
	t.Run("unarchive follows the user's own cohort", func(t *testing.T) {
		second := preset(t, "whatsapp")
		second.UnarchiveOnNewMessage = false
		m := build(second)
		apply(t, m, sim.Op{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{bob, carol}},
			on(sim.Archive, bob, g0), on(sim.Archive, carol, g0), gsend(alice, 1, "x"))
		want(t, "bob (odd) stays archived", m.Archived(bob, g0), true)
		want(t, "carol (even) is unarchived", m.Archived(carol, g0), false)
	})
}
