package simtest_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestScriptOp reads a short story and checks the operations its commands
// stand for, by the names it gave.
func TestScriptOp(t *testing.T) {
	s := simtest.NewScript(t)
	set := s.World(simtest.ParseCommand("world policy=linkedin users=alice,bob,carol connections=alice-bob notify_on_delete=true"))
	if set.Users != 3 || len(set.ConnsOf(0)) != 1 || len(set.Knobs) != 1 || set.Knobs[0] != (simtest.Knob{Name: "notify_on_delete", Value: "true"}) {
		t.Fatalf("world: %+v %v", set, set.Conns)
	}
	alice, bob := s.User("alice"), s.User("bob")
	s.Advance(simtest.ParseCommand("advance 1m"))
	direct := sim.Direct(alice, bob)
	for _, tc := range []struct {
		cmd  string
		want sim.Op
	}{
		{"send alice bob text=hi_there as=m1", sim.Op{Action: sim.Send, User: alice, Target: bob, Thread: direct, Msg: 1, Text: "hi there"}},
		{"delete alice m1 for=everyone", sim.Op{Action: sim.Delete, User: alice, Thread: direct, Msg: 1, Everyone: true}},
		{"report-message bob m1 block=true", sim.Op{Action: sim.Report, User: bob, Target: alice, Thread: direct, Msg: 1, AndBlock: true}},
		{"mute bob with alice", sim.Op{Action: sim.Mute, User: bob, Thread: direct}},
		{"create_group carol team alice", sim.Op{Action: sim.CreateGroup, User: 2, Thread: sim.Group(0), Members: []sim.UserID{alice}}},
		{"send alice group team", sim.Op{Action: sim.Send, User: alice, Thread: sim.Group(0), Msg: 2}},
	} {
		got := s.Op(simtest.ParseCommand(tc.cmd))
		tc.want.At = sim.Time(0).Add(time.Minute)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.cmd, got, tc.want)
		}
	}
	if n, ok := s.Group(sim.Group(0)); !ok || n != "team" {
		t.Errorf("group 0 is %q, %v", n, ok)
	}
}
