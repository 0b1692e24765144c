package scenarios

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// everyAction uses each action, advance and each check once.
const everyAction = `name: every-action
users: [alice, bob, carol, dan]
connections: [[alice, bob], [alice, carol], [bob, carol]]
steps:
  - connect: {user: alice, target: dan}
  - disconnect: {user: alice, target: dan, expect: not_connected}
  - view_profile: {user: bob, target: alice}
  - send: {from: alice, to: bob, text: "hello"}
  - send: {from: bob, to: alice, text: 'it''s me', as: reply}
  - create_group: {owner: alice, name: team, members: [bob, carol]}
  - send: {from: carol, group: team, text: 42, as: g1}
  - add_member: {user: alice, group: team, member: dan, expect: not_connected}
  - delete: {user: carol, message: g1, for: everyone, expect: not_allowed}
  - edit: {user: bob, message: reply, text: "it is me", expect: not_allowed}
  - delete: {user: bob, message: reply}
  - advance: 1h30m
  - delete_thread: {user: alice, with: bob}
  - archive: {user: bob, with: alice}
  - unarchive: {user: bob, with: alice}
  - mute: {user: carol, group: team}
  - unmute: {user: carol, group: team}
  - read: {user: bob, group: team}
  - notifications: {user: dan, enabled: false}
  - post: {user: alice, text: "new job"}
  - report: {user: alice, target: bob, message: reply, block: true}
  - report: {user: carol, target: dan}
  - leave_group: {user: bob, group: team}
  - block: {user: carol, target: bob}
  - unblock: {user: carol, target: bob}
  - advance: 2d
  - expect: {view: {user: alice, with: bob}, messages: ["hello", "it's me"]}
  - expect: {view: {user: carol, group: team}, messages: ["42"]}
  - expect: {inbox: {user: carol}, threads: [team, alice]}
  - expect: {unread: {user: bob, with: alice}, count: 1}
  - expect: {unread: {user: alice, group: team}, count: 0}
  - expect: {notifications: {user: dan}, count: 3}
  - expect: {connected: [bob, carol], value: true}
  - expect: {profile: {user: alice, target: bob}, visible: false}
`

func TestScriptCompiles(t *testing.T) {
	s, err := Load("every.yaml", []byte(everyAction))
	if err != nil {
		t.Fatal(err)
	}
	const alice, bob, carol, dan = sim.UserID(0), sim.UserID(1), sim.UserID(2), sim.UserID(3)
	team := sim.Group(0)
	ab := sim.Direct(alice, bob)
	if want := []string{"alice", "bob", "carol", "dan"}; !reflect.DeepEqual(s.Users, want) {
		t.Errorf("Users = %v, want %v", s.Users, want)
	}
	if want := [][2]sim.UserID{{alice, bob}, {alice, carol}, {bob, carol}}; !reflect.DeepEqual(s.Connections, want) {
		t.Errorf("Connections = %v, want %v", s.Connections, want)
	}
	if want := []string{"team"}; !reflect.DeepEqual(s.Groups, want) {
		t.Errorf("Groups = %v, want %v", s.Groups, want)
	}
	op := func(o sim.Op) *sim.Op { return &o }
	want := []Step{
		{Op: op(sim.Op{Action: sim.Connect, User: alice, Target: dan})},
		{Op: op(sim.Op{Action: sim.Disconnect, User: alice, Target: dan}), Expect: sim.NotConnected},
		{Op: op(sim.Op{Action: sim.ViewProfile, User: bob, Target: alice})},
		{Op: op(sim.Op{Action: sim.Send, User: alice, Target: bob, Thread: ab, Msg: 4, Text: "hello"})},
		{Op: op(sim.Op{Action: sim.Send, User: bob, Target: alice, Thread: ab, Msg: 5, Text: "it's me"})},
		{Op: op(sim.Op{Action: sim.CreateGroup, User: alice, Thread: team, Members: []sim.UserID{bob, carol}})},
		{Op: op(sim.Op{Action: sim.Send, User: carol, Thread: team, Msg: 7, Text: "42"})},
		{Op: op(sim.Op{Action: sim.AddMember, User: alice, Thread: team, Target: dan}), Expect: sim.NotConnected},
		{Op: op(sim.Op{Action: sim.Delete, User: carol, Thread: team, Msg: 7, Everyone: true}), Expect: sim.NotAllowed},
		{Op: op(sim.Op{Action: sim.Edit, User: bob, Thread: ab, Msg: 5, Text: "it is me"}), Expect: sim.NotAllowed},
		{Op: op(sim.Op{Action: sim.Delete, User: bob, Thread: ab, Msg: 5})},
		{Advance: 90 * time.Minute},
		{Op: op(sim.Op{Action: sim.DeleteThread, User: alice, Thread: ab})},
		{Op: op(sim.Op{Action: sim.Archive, User: bob, Thread: ab})},
		{Op: op(sim.Op{Action: sim.Unarchive, User: bob, Thread: ab})},
		{Op: op(sim.Op{Action: sim.Mute, User: carol, Thread: team})},
		{Op: op(sim.Op{Action: sim.Unmute, User: carol, Thread: team})},
		{Op: op(sim.Op{Action: sim.Read, User: bob, Thread: team})},
		{Op: op(sim.Op{Action: sim.Notifications, User: dan, On: false})},
		{Op: op(sim.Op{Action: sim.Post, User: alice, Text: "new job"})},
		{Op: op(sim.Op{Action: sim.Report, User: alice, Target: bob, Thread: ab, Msg: 5, AndBlock: true})},
		{Op: op(sim.Op{Action: sim.Report, User: carol, Target: dan})},
		{Op: op(sim.Op{Action: sim.LeaveGroup, User: bob, Thread: team})},
		{Op: op(sim.Op{Action: sim.Block, User: carol, Target: bob})},
		{Op: op(sim.Op{Action: sim.Unblock, User: carol, Target: bob})},
		{Advance: 48 * time.Hour},
		{Check: &Check{Kind: View, User: alice, Target: bob, Thread: ab, Lines: []string{"hello", "it's me"}}},
		{Check: &Check{Kind: View, User: carol, Thread: team, Lines: []string{"42"}}},
		{Check: &Check{Kind: Inbox, User: carol, Lines: []string{"team", "alice"}}},
		{Check: &Check{Kind: Unread, User: bob, Target: alice, Thread: ab, Count: 1}},
		{Check: &Check{Kind: Unread, User: alice, Thread: team}},
		{Check: &Check{Kind: Notifications, User: dan, Count: 3}},
		{Check: &Check{Kind: Connected, User: bob, Target: carol, Value: true}},
		{Check: &Check{Kind: Profile, User: alice, Target: bob, Value: false}},
	}
	if len(s.Steps) != len(want) {
		t.Fatalf("got %d steps, want %d", len(s.Steps), len(want))
	}
	for i, w := range want {
		got := s.Steps[i]
		w.Pos, w.Source = got.Pos, got.Source // checked below
		if !reflect.DeepEqual(got, w) {
			t.Errorf("step %d (%s):\n got %+v %+v %+v\nwant %+v %+v %+v", i, got.Source, got.Op, got.Check, got, w.Op, w.Check, w)
		}
		if wantPos := (Pos{"every.yaml", 5 + i, 5}); got.Pos != wantPos {
			t.Errorf("step %d at %v, want %v", i, got.Pos, wantPos)
		}
	}
}

func TestStepSource(t *testing.T) {
	src := `users: [alice, bob]
steps:
  - send: {from: alice, to: bob, text: "oops", as: m2}
  - send:
      from: alice
      to: bob
      text: |
        two
        lines
  - send: {from: alice, to: bob, text: 'single, quoted'}
  - send: {from: alice, to: bob, text: "tab\there"}
  - expect: {view: {user: alice, with: bob}, messages: [oops, "two\nlines\n", "single, quoted", "tab\there"]}
  - advance: 61m
`
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`send: {from: alice, to: bob, text: "oops", as: m2}`,
		`send: {from: alice, to: bob, text: "two\nlines\n"}`,
		`send: {from: alice, to: bob, text: 'single, quoted'}`,
		`send: {from: alice, to: bob, text: "tab\there"}`,
		`expect: {view: {user: alice, with: bob}, messages: [oops, "two\nlines\n", "single, quoted", "tab\there"]}`,
		`advance: 61m`,
	}
	for i, w := range want {
		if got := s.Steps[i].Source; got != w {
			t.Errorf("step %d Source = %s, want %s", i, got, w)
		}
	}
	if got := s.Steps[1].Op.Text; got != "two\nlines\n" {
		t.Errorf("block scalar text = %q", got)
	}
}

func TestSendKeysAreUnique(t *testing.T) {
	src := `users: [a, b, c]
connections: [[a, b], [a, c]]
steps:
  - send: {from: a, to: b, text: x, as: m1}
  - send: {from: a, to: c, text: x, as: m2}
  - send: {from: b, to: a, text: x}
  - delete: {user: a, message: m2}
  - delete: {user: a, message: m1}
`
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[sim.MsgKey]bool{}
	for _, st := range s.Steps[:3] {
		if keys[st.Op.Msg] || st.Op.Msg == 0 {
			t.Errorf("send key %d is zero or reused", st.Op.Msg)
		}
		keys[st.Op.Msg] = true
	}
	if d := s.Steps[3].Op; d.Msg != s.Steps[1].Op.Msg || d.Thread != sim.Direct(0, 2) {
		t.Errorf("delete m2 = key %d thread %v, want %d %v", d.Msg, d.Thread, s.Steps[1].Op.Msg, sim.Direct(0, 2))
	}
	if d := s.Steps[4].Op; d.Msg != s.Steps[0].Op.Msg || d.Thread != sim.Direct(0, 1) {
		t.Errorf("delete m1 = key %d thread %v", d.Msg, d.Thread)
	}
}

// TestOutcomesAreNotLoadErrors: a file may expect any outcome, and what the
// run would reject (sending to oneself, the owner listed as a member) loads.
func TestOutcomesAreNotLoadErrors(t *testing.T) {
	src := `users: [a, b, c]
steps:
  - send: {from: a, to: a, text: me, expect: invalid}
  - create_group: {owner: a, name: g, members: [a, b, c], expect: invalid}
  - send: {from: b, group: g, text: hi, expect: not_found}
`
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []sim.Outcome{sim.Invalid, sim.Invalid, sim.NotFound} {
		if got := s.Steps[i].Expect; got != want {
			t.Errorf("step %d expects %v, want %v", i, got, want)
		}
	}
	for _, o := range sim.Outcomes() {
		src := "users: [a, b]\nsteps:\n  - connect: {user: a, target: b, expect: " + o.String() + "}\n"
		s, err := Load("s.yaml", []byte(src))
		if err != nil {
			t.Fatalf("expect %v: %v", o, err)
		}
		if s.Steps[0].Expect != o {
			t.Errorf("expect: %v loaded as %v", o, s.Steps[0].Expect)
		}
	}
}

// TestAnchors: aliases and merge keys work like anywhere else in YAML.
func TestAnchors(t *testing.T) {
	src := `users: &people [alice, bob]
connections: [[alice, bob]]
steps:
  - send: &hello {from: alice, to: bob, text: hello}
  - send: {<<: *hello, text: again}
  - send: *hello
  - create_group: {owner: alice, name: g, members: *people}
`
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Steps[1].Op; got.Text != "again" || got.User != 0 || got.Target != 1 {
		t.Errorf("merged send = %+v", got)
	}
	if got := s.Steps[2].Op; got.Text != "hello" || got.Msg != 3 {
		t.Errorf("aliased send = %+v", got)
	}
	if got := s.Steps[3].Op.Members; !reflect.DeepEqual(got, []sim.UserID{0, 1}) {
		t.Errorf("aliased members = %v", got)
	}
}

// TestAliasBomb: a file of aliases to lists of aliases cannot make Load
// walk for ages; it stops at the first alias past the budget.
func TestAliasBomb(t *testing.T) {
	src := "name: &t hello\nusers: [u, v]\nsteps: [&s {expect: {view: {user: u, with: v}, messages: [" +
		strings.Repeat("*t, ", 99) + "*t]}}, " + strings.Repeat("*s, ", 199) + "*s]\n"
	got := loadErrors(t, src)
	want := "too many alias expansions; a scenario file may expand at most 10000 aliases"
	if len(got) != 1 || !strings.HasSuffix(got[0], want) {
		t.Errorf("errors:\n%s\nwant one ending %q", strings.Join(got, "\n"), want)
	}
}
