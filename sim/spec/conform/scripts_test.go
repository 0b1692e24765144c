package conform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
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
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s := &script{t: t, names: map[string]sim.UserID{}, groups: map[string]sim.ThreadID{}, msgs: map[string]sim.Op{}}
			for _, c := range cases(string(data)) {
				if cmd, ok := strings.CutPrefix(c.cmd, "trace "); ok {
					// The specification has no steps: it answers the
					// traced operation's outcome, the trace's last line.
					c.cmd, c.expected = cmd, c.expected[strings.LastIndex(c.expected, "\n")+1:]
				}
				if got := s.do(c.cmd); got != c.expected {
					t.Errorf("%s:%d: %s\nexpected:\n%s\nthe spec says:\n%s", f, c.line, c.cmd, c.expected, got)
				}
			}
			s.final(f + ": end")
		})
	}
}

type scriptCase struct {
	line          int
	cmd, expected string
}

// cases splits a datadriven script into commands and expected outputs.
func cases(text string) []scriptCase {
	var cs []scriptCase
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		c := scriptCase{line: i + 1, cmd: l}
		if i+1 < len(lines) && lines[i+1] == "----" {
			var out []string
			for i += 2; i < len(lines) && lines[i] != ""; i++ {
				out = append(out, lines[i])
			}
			c.expected = strings.Join(out, "\n")
		}
		cs = append(cs, c)
	}
	return cs
}

// script drives a sim.World and a spec.Model by user names.
type script struct {
	t      *testing.T
	w      *sim.World
	m      *spec.Model
	names  map[string]sim.UserID
	users  []string
	groups map[string]sim.ThreadID
	msgs   map[string]sim.Op
	now    sim.Time
	key    sim.MsgKey
	ops    int
}

func (s *script) user(n string) sim.UserID {
	id, ok := s.names[n]
	if !ok {
		s.t.Fatalf("unknown user %q", n)
	}
	return id
}

func (s *script) thread(u sim.UserID, kind, name string) sim.ThreadID {
	if kind == "group" {
		return s.groups[name]
	}
	return sim.Direct(u, s.user(name))
}

func (s *script) final(where string) {
	if _, n, diffs := conform.Final(&s.w.State, s.m, 5); n > 0 {
		s.t.Errorf("%s: %d differences between sim and the spec:\n%s", where, n, lines(diffs))
	}
}

func (s *script) names2(ids []sim.UserID) []string {
	ns := []string{}
	for _, id := range ids {
		ns = append(ns, s.users[id])
	}
	return ns
}

// do runs one command and returns what the spec says to it.
func (s *script) do(cmd string) string {
	f := strings.Fields(cmd)
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
		sp, ok1 := sim.Preset(args["policy"])
		mp, ok2 := spec.Preset(args["policy"])
		if !ok1 || !ok2 {
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
				if err := kn.Set(&sp, v == "true"); err != nil {
					s.t.Fatal(err)
				}
				if err := mp.SetKnob(k, v); err != nil {
					s.t.Fatal(err)
				}
			}
		}
		connsOf := func(u sim.UserID) []sim.UserID { return conns[u] }
		s.w, s.m = sim.NewWorld(sp, len(s.users), connsOf), spec.New(mp, len(s.users), connsOf)
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
		for _, l := range s.m.View(u, s.thread(u, pos[1], pos[2])) {
			out = append(out, fmt.Sprintf("%s: %s", s.users[l.Author], l.Text))
		}
		return strings.Join(out, "\n")
	case "inbox":
		u := s.user(pos[0])
		unread := map[sim.ThreadID]int{}
		for _, mb := range s.m.Memberships(u) {
			unread[mb.Thread] = mb.Unread
		}
		var out []string
		for _, id := range s.m.Inbox(u) {
			var n string
			if id.IsGroup() {
				for gn, g := range s.groups {
					if g == id {
						n = gn
					}
				}
			} else {
				n = s.users[id.Other(u)]
			}
			out = append(out, fmt.Sprintf("%s unread=%d", n, unread[id]))
		}
		return strings.Join(out, "\n")
	case "user":
		u := s.user(pos[0])
		return fmt.Sprintf("connections=%v blocked=%v notified=%v suppressed=%v", s.names2(s.m.Connections(u)),
			s.names2(s.m.Blocking(u)), s.m.Notified(u), s.m.Suppressed(u))
	case "connected":
		return strconv.FormatBool(s.m.Connected(s.user(pos[0]), s.user(pos[1])))
	case "check":
		s.final(cmd)
		return "checked true"
	case "send":
		op.Action, op.User = sim.Send, s.user(pos[0])
		if pos[1] == "group" {
			op.Thread = s.groups[pos[2]]
		} else {
			op.Target = s.user(pos[1])
		}
		s.key++
		op.Msg, op.Text = s.key, args["text"]
		if n := args["as"]; n != "" {
			s.msgs[n] = op
		}
	case "delete", "edit":
		op.Action, _ = sim.ParseAction(f[0])
		op.User = s.user(pos[0])
		msg := s.msgs[pos[1]]
		op.Msg, op.Thread = msg.Msg, msg.ThreadOf()
		op.Everyone, op.Text = args["for"] == "everyone", args["text"]
	case "create_group":
		op.Action, op.User = sim.CreateGroup, s.user(pos[0])
		if _, ok := s.groups[pos[1]]; !ok {
			s.groups[pos[1]] = sim.Group(uint32(len(s.groups)))
		}
		op.Thread = s.groups[pos[1]]
		for _, n := range pos[2:] {
			op.Members = append(op.Members, s.user(n))
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
	engine, want := s.w.Apply(op), s.m.Apply(op)
	if d, ok := conform.Outcome(s.ops, op, engine, want); ok {
		s.t.Errorf("%s: %s", cmd, d)
	}
	s.ops++
	return want.String()
}
