package sim_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of testdata scripts")

// TestScripts runs the stories under testdata/. Each case is a command,
// a line "----" and the expected output, separated by blank lines, in the
// style of etcd-io/raft's datadriven tests. Run with -rewrite to update.
func TestScripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no scripts under testdata")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runScript(t, f) })
	}
}

func runScript(t *testing.T, path string) {
	cs := simtest.ReadCases(t, path)
	sc := &script{t: t, names: simtest.NewScript(t)}
	var b strings.Builder
	for i := range cs {
		c := &cs[i]
		got := sc.do(c.Cmd)
		if *rewrite {
			for _, l := range c.Comments {
				fmt.Fprintln(&b, l)
			}
			fmt.Fprintf(&b, "%s\n----\n%s\n\n", c.Cmd, got)
			continue
		}
		if got != c.Expected {
			t.Errorf("%s:%d: %s\nexpected:\n%s\ngot:\n%s", path, c.Line, c.Cmd, c.Expected, got)
		}
	}
	if *rewrite {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// script drives a sim.World by user names, as a scenario would, and an
// actors.Engine in deterministic mode beside it: every operation runs on
// both, and they must agree on its outcome.
type script struct {
	t     *testing.T
	w     *sim.World
	e     *actors.Engine
	names *simtest.Script

	worldTrace, engineTrace tracer
	existed                 map[sim.ThreadID]bool // the threads before a traced operation
}

func (s *script) name(id sim.UserID) string { return s.names.Name(id) }

func (s *script) do(cmd string) string {
	if traced, ok := strings.CutPrefix(cmd, "trace "); ok {
		return s.trace(traced)
	}
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
		for _, l := range s.w.View(u, s.names.Thread(u, c.Pos[1], c.Pos[2])) {
			out = append(out, fmt.Sprintf("%s: %s", s.name(l.Author), l.Text))
		}
		return strings.Join(out, "\n")
	case "inbox":
		u := s.names.User(c.Pos[0])
		var out []string
		for _, e := range s.w.Inbox(u) {
			out = append(out, fmt.Sprintf("%s unread=%d", s.names.ThreadName(u, e.Thread), e.Unread))
		}
		return strings.Join(out, "\n")
	case "user":
		u := &s.w.Users[s.names.User(c.Pos[0])]
		k := u.Counters
		return fmt.Sprintf("connections=%v blocked=%v notified=%v suppressed=%v", s.names.Names(u.Connections()), s.names.Names(u.Blocked()), k.Notified, k.Suppressed)
	case "connected":
		return strconv.FormatBool(s.w.Connected(s.names.User(c.Pos[0]), s.names.User(c.Pos[1])))
	case "check":
		n, vs := s.w.Check(sim.Designed(s.t, s.w.Policy.Name))
		out := []string{fmt.Sprintf("checked %v", n > 0)}
		for _, v := range vs {
			out = append(out, v.String())
		}
		return strings.Join(out, "\n")
	}
	op := s.names.Op(c)
	o := s.w.Apply(op)
	if e := s.e.Apply(op); e != o {
		s.t.Errorf("%s: the reference model says %s, the engine %s", cmd, o, e)
	}
	return o.String()
}

// start makes the world and the engine a "world" command sets up.
func (s *script) start(set simtest.Setup) {
	s.w = sim.NewWorld(set.Policy, set.Users, set.ConnsOf)
	s.w.Trace = s.worldTrace.hook(s)
	e, err := actors.New(actors.Config{Policy: set.Policy, Users: set.Users, Conns: set.ConnsOf,
		Mode: sim.Deterministic, Trace: s.engineTrace.hook(s)})
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { e.Close() })
	s.e = e
}
