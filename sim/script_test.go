package sim_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/sim"
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

type scriptCase struct {
	comments []string
	line     int
	cmd      string
	expected string
}

func parseScript(t *testing.T, path string) []scriptCase {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cs []scriptCase
	var comments []string
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "#") {
			comments = append(comments, l)
			continue
		}
		c := scriptCase{comments: comments, line: i + 1, cmd: l}
		comments = nil
		if i+1 < len(lines) && lines[i+1] == "----" {
			i += 2
			var out []string
			for ; i < len(lines) && lines[i] != ""; i++ {
				out = append(out, lines[i])
			}
			c.expected = strings.Join(out, "\n")
		}
		cs = append(cs, c)
	}
	return cs
}

func runScript(t *testing.T, path string) {
	cs := parseScript(t, path)
	sc := &script{t: t, names: map[string]sim.UserID{}, groups: map[string]sim.ThreadID{}, msgs: map[string]sim.Op{}}
	var b strings.Builder
	for i := range cs {
		c := &cs[i]
		got := sc.do(c.cmd)
		if *rewrite {
			for _, l := range c.comments {
				fmt.Fprintln(&b, l)
			}
			fmt.Fprintf(&b, "%s\n----\n%s\n\n", c.cmd, got)
			continue
		}
		if got != c.expected {
			t.Errorf("%s:%d: %s\nexpected:\n%s\ngot:\n%s", path, c.line, c.cmd, c.expected, got)
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
	t      *testing.T
	w      *sim.World
	e      *actors.Engine
	names  map[string]sim.UserID
	users  []string
	groups map[string]sim.ThreadID
	msgs   map[string]sim.Op
	now    sim.Time
	key    sim.MsgKey

	worldTrace, engineTrace tracer
	existed                 map[sim.ThreadID]bool // the threads before a traced operation
}

func (s *script) user(n string) sim.UserID {
	id, ok := s.names[n]
	if !ok {
		s.t.Fatalf("unknown user %q", n)
	}
	return id
}

// thread resolves "with V" (direct with U) or "group G".
func (s *script) thread(u sim.UserID, kind, name string) sim.ThreadID {
	if kind == "group" {
		return s.groups[name]
	}
	return sim.Direct(u, s.user(name))
}

func (s *script) name(id sim.UserID) string { return s.users[id] }

func (s *script) do(cmd string) string {
	f := strings.Fields(cmd)
	if f[0] == "trace" {
		return s.trace(strings.TrimSpace(strings.TrimPrefix(cmd, "trace")))
	}
	args := map[string]string{}
	var pos []string
	for _, a := range f[1:] {
		if k, v, ok := strings.Cut(a, "="); ok {
			args[k] = strings.ReplaceAll(v, "_", " ")
		} else {
			pos = append(pos, a)
		}
	}
	op := sim.Op{At: s.now}
	switch f[0] {
	case "world":
		p, ok := sim.Preset(args["policy"])
		if !ok {
			s.t.Fatalf("unknown preset %q", args["policy"])
		}
		s.users = strings.Split(args["users"], ",")
		for i, n := range s.users {
			s.names[n] = sim.UserID(i)
		}
		conns := make([][]sim.UserID, len(s.users))
		if c := args["connections"]; c != "" {
			for _, pair := range strings.Split(c, ",") {
				a, b, _ := strings.Cut(pair, "-")
				x, y := s.user(a), s.user(b)
				conns[x] = append(conns[x], y)
				conns[y] = append(conns[y], x)
			}
		}
		for _, c := range conns {
			slices.Sort(c)
		}
		for k, v := range args { // a bool knob over the preset, as notify_on_delete=true
			if kn, ok := sim.LookupKnob(k); ok {
				if err := kn.Set(&p, v == "true"); err != nil {
					s.t.Fatal(err)
				}
			}
		}
		s.w = sim.NewWorld(p, len(s.users), func(u sim.UserID) []sim.UserID { return conns[u] })
		s.w.Trace = s.worldTrace.hook(s)
		e, err := actors.New(actors.Config{Policy: p, Users: len(s.users), Conns: func(u sim.UserID) []sim.UserID { return conns[u] },
			Mode: sim.Deterministic, Trace: s.engineTrace.hook(s)})
		if err != nil {
			s.t.Fatal(err)
		}
		s.t.Cleanup(func() { e.Close() })
		s.e = e
		return "ok"
	case "advance":
		d, err := time.ParseDuration(pos[0])
		if err != nil {
			s.t.Fatal(err)
		}
		s.now = s.now.Add(d)
		return "now " + s.now.String()
	case "view":
		u := s.user(pos[0])
		var out []string
		for _, l := range s.w.View(u, s.thread(u, pos[1], pos[2])) {
			out = append(out, fmt.Sprintf("%s: %s", s.name(l.Author), l.Text))
		}
		return strings.Join(out, "\n")
	case "inbox":
		u := s.user(pos[0])
		var out []string
		for _, e := range s.w.Inbox(u) {
			n := ""
			if e.Thread.IsGroup() {
				for gn, id := range s.groups {
					if id == e.Thread {
						n = gn
					}
				}
			} else {
				n = s.name(e.Thread.Other(u))
			}
			out = append(out, fmt.Sprintf("%s unread=%d", n, e.Unread))
		}
		return strings.Join(out, "\n")
	case "user":
		u := &s.w.Users[s.user(pos[0])]
		k := u.Counters
		return fmt.Sprintf("connections=%v blocked=%v notified=%v suppressed=%v", s.names2(u.Connections()), s.names2(u.Blocked()), k.Notified, k.Suppressed)
	case "connected":
		return strconv.FormatBool(s.w.Connected(s.user(pos[0]), s.user(pos[1])))
	case "check":
		n, vs := s.w.Check(sim.Designed(s.t, s.w.Policy.Name))
		out := []string{fmt.Sprintf("checked %v", n > 0)}
		for _, v := range vs {
			out = append(out, v.String())
		}
		return strings.Join(out, "\n")
	case "send":
		op.Action, op.User = sim.Send, s.user(pos[0])
		if pos[1] == "group" {
			op.Thread = s.groups[pos[2]]
		} else {
			op.Target = s.user(pos[1])
			op.Thread = sim.Direct(op.User, op.Target)
		}
		s.key++
		op.Msg, op.Text = s.key, args["text"]
		if n := args["as"]; n != "" {
			s.msgs[n] = op
		}
	case "delete", "edit", "report-message":
		op.User = s.user(pos[0])
		m := s.msgs[pos[1]]
		op.Msg, op.Thread = m.Msg, m.ThreadOf()
		op.Everyone = args["for"] == "everyone"
		op.Text = args["text"]
		op.Action, _ = sim.ParseAction(f[0])
		if f[0] == "report-message" {
			op.Action, op.Target, op.AndBlock = sim.Report, m.User, args["block"] == "true"
		}
	case "create_group":
		op.Action, op.User = sim.CreateGroup, s.user(pos[0])
		if _, ok := s.groups[pos[1]]; !ok {
			s.groups[pos[1]] = sim.Group(uint32(len(s.groups)))
		}
		op.Thread = s.groups[pos[1]]
		for _, m := range pos[2:] {
			op.Members = append(op.Members, s.user(m))
		}
	case "add_member":
		op.Action, op.User, op.Thread, op.Target = sim.AddMember, s.user(pos[0]), s.groups[pos[1]], s.user(pos[2])
	case "leave_group":
		op.Action, op.User, op.Thread = sim.LeaveGroup, s.user(pos[0]), s.groups[pos[1]]
	case "delete_thread", "archive", "unarchive", "mute", "unmute", "read":
		op.Action, _ = sim.ParseAction(f[0])
		op.User = s.user(pos[0])
		op.Thread = s.thread(op.User, pos[1], pos[2])
	case "notifications":
		op.Action, op.User, op.On = sim.Notifications, s.user(pos[0]), pos[1] == "on"
	case "post":
		op.Action, op.User, op.Text = sim.Post, s.user(pos[0]), args["text"]
	case "connect", "disconnect", "block", "unblock", "view_profile", "report":
		op.Action, _ = sim.ParseAction(f[0])
		op.User, op.Target = s.user(pos[0]), s.user(pos[1])
		op.AndBlock = args["block"] == "true"
	default:
		s.t.Fatalf("unknown command %q", f[0])
	}
	o := s.w.Apply(op)
	if e := s.e.Apply(op); e != o {
		s.t.Errorf("%s: the reference model says %s, the engine %s", cmd, o, e)
	}
	return o.String()
}

func (s *script) names2(ids []sim.UserID) []string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, s.name(id))
	}
	return ns
}
