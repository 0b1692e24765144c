package spec_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// The fixture: 60 users; alice (0) is connected to everyone, bob (1) and
// carol (2) are connected, dave (3) knows only alice. Alice and bob have
// exchanged m1 (alice's) and m2 (bob's); alice's group g0 has bob and
// carol.
const alice, bob, carol, dave = sim.UserID(0), sim.UserID(1), sim.UserID(2), sim.UserID(3)

var (
	ab = sim.Direct(alice, bob)
	g0 = sim.Group(0)
)

func fixtureConns() [][]sim.UserID {
	conns := make([][]sim.UserID, 60)
	for u := sim.UserID(1); u < 60; u++ {
		conns[0] = append(conns[0], u)
		conns[u] = []sim.UserID{0}
	}
	conns[1], conns[2] = []sim.UserID{0, 2}, []sim.UserID{0, 1}
	return conns
}

func preset(t *testing.T, name string) spec.Policy {
	t.Helper()
	p, ok := spec.Preset(name)
	if !ok {
		t.Fatalf("no preset %q", name)
	}
	return p
}

func fixture(t *testing.T, p spec.Policy) *spec.Model {
	t.Helper()
	conns := fixtureConns()
	m := spec.New(p, 60, func(u sim.UserID) []sim.UserID { return conns[u] })
	apply(t, m,
		sim.Op{Action: sim.Send, User: alice, Target: bob, Msg: 1, Text: "m1"},
		sim.Op{Action: sim.Send, User: bob, Target: alice, Msg: 2, Text: "m2"},
		sim.Op{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{bob, carol}},
	)
	return m
}

// apply applies ops, each of which must succeed.
func apply(t *testing.T, m *spec.Model, ops ...sim.Op) {
	t.Helper()
	for _, op := range ops {
		if o := m.Apply(op); o != sim.OK {
			t.Fatalf("%s %+v: %s", op.Action, op, o)
		}
	}
}

// texts returns the texts u sees in t, tombstones marked with [].
func texts(m *spec.Model, u sim.UserID, t sim.ThreadID) string {
	var ts []string
	for _, l := range m.View(u, t) {
		s := fmt.Sprintf("%d:%s", l.Author, l.Text)
		if l.Tombstone {
			s = fmt.Sprintf("%d:[%s]", l.Author, l.Text)
		}
		ts = append(ts, s)
	}
	return strings.Join(ts, " ")
}

// dump renders every observable of m, to show that a refused operation
// changed nothing.
func dump(m *spec.Model) string {
	var b strings.Builder
	for _, t := range m.Threads() {
		fmt.Fprintf(&b, "%s members=%v reports=%d\n", t, m.Members(t), m.Reports(t))
		for _, u := range m.Members(t) {
			fmt.Fprintf(&b, "  %d: %q unread=%d archived=%v muted=%v current=%v\n", u, texts(m, u, t),
				m.Unread(u, t), m.Archived(u, t), m.Muted(u, t), m.Current(u, t))
		}
	}
	for u := range sim.UserID(m.Users()) {
		fmt.Fprintf(&b, "%d: inbox=%v notified=%v suppressed=%v off=%v conns=%v blocks=%v\n", u, m.Inbox(u),
			m.Notified(u), m.Suppressed(u), m.NotificationsOff(u), m.Connections(u), m.Blocking(u))
	}
	return b.String()
}
