package conform_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// TestSimScripts runs sim's behaviour stories (sim/testdata/*.txt, in
// etcd-io/raft's datadriven format) on the specification and on sim's
// reference model side by side: every operation's expected outcome, view,
// inbox, connection and counters written in the script must be what the
// specification says, both sides must agree on every outcome, and at
// every "check" step and at the end their final observables must agree.
func TestSimScripts(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no scripts under sim/testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s := &script{t: t, names: simtest.NewScript(t)}
			for _, c := range simtest.ReadCases(t, f) {
				if cmd, ok := strings.CutPrefix(c.Cmd, "trace "); ok {
					// The specification has no steps: it answers the
					// traced operation's outcome, the trace's last line.
					c.Cmd, c.Expected = cmd, c.Expected[strings.LastIndex(c.Expected, "\n")+1:]
				}
				if got := s.do(c.Cmd); got != c.Expected {
					t.Errorf("%s:%d: %s\nexpected:\n%s\nthe spec says:\n%s", f, c.Line, c.Cmd, c.Expected, got)
				}
			}
			s.final(f + ": end")
		})
	}
}

// script drives a sim.World and a spec.Model by the names of a story.
type script struct {
	t     *testing.T
	w     *sim.World
	m     *spec.Model
	names *simtest.Script
	ops   int
}

func (s *script) final(where string) {
	if _, n, diffs := conform.Final(&s.w.State, s.m, 5); n > 0 {
		s.t.Errorf("%s: %d differences between sim and the spec:\n%s", where, n, lines(diffs))
	}
}

// do runs one command and returns what the spec says to it.
func (s *script) do(cmd string) string {
	c := simtest.ParseCommand(cmd)
	switch c.Name {
	case "world":
		s.start(s.names.World(c))
		return "ok"
	case "advance":
		return s.names.Advance(c)
	case "view":
		u := s.names.User(c.Pos[0])
		var out []string
		for _, l := range s.m.View(u, s.names.Thread(u, c.Pos[1], c.Pos[2])) {
			out = append(out, fmt.Sprintf("%s: %s", s.names.Name(l.Author), l.Text))
		}
		return strings.Join(out, "\n")
	case "inbox":
		u := s.names.User(c.Pos[0])
		unread := map[sim.ThreadID]int{}
		for _, mb := range s.m.Memberships(u) {
			unread[mb.Thread] = mb.Unread
		}
		var out []string
		for _, id := range s.m.Inbox(u) {
			out = append(out, fmt.Sprintf("%s unread=%d", s.names.ThreadName(u, id), unread[id]))
		}
		return strings.Join(out, "\n")
	case "user":
		u := s.names.User(c.Pos[0])
		return fmt.Sprintf("connections=%v blocked=%v notified=%v suppressed=%v", s.names.Names(s.m.Connections(u)),
			s.names.Names(s.m.Blocking(u)), s.m.Notified(u), s.m.Suppressed(u))
	case "connected":
		return strconv.FormatBool(s.m.Connected(s.names.User(c.Pos[0]), s.names.User(c.Pos[1])))
	case "check":
		s.final(cmd)
		return "checked true"
	}
	op := s.names.Op(c)
	engine, want := s.w.Apply(op), s.m.Apply(op)
	if d, ok := conform.Outcome(s.ops, op, engine, want); ok {
		s.t.Errorf("%s: %s", cmd, d)
	}
	s.ops++
	return want.String()
}

// start makes the world and the model a "world" command sets up: the
// spec's preset of the same name with the same knobs.
func (s *script) start(set simtest.Setup) {
	p, ok := spec.Preset(set.Preset)
	if !ok {
		s.t.Fatalf("the spec has no preset %q", set.Preset)
	}
	for _, k := range set.Knobs {
		if err := p.SetKnob(k.Name, k.Value); err != nil {
			s.t.Fatal(err)
		}
	}
	s.w, s.m = sim.NewWorld(set.Policy, set.Users, set.ConnsOf), spec.New(p, set.Users, set.ConnsOf)
}
