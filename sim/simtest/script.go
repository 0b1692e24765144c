package simtest

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Case is one command of a behaviour story (sim/testdata/*.txt, in
// etcd-io/raft's datadriven format) and the output written for it.
type Case struct {
	Comments []string // the "#" lines before the command
	Line     int      // the command's line, from 1
	Cmd      string
	Expected string
}

// ReadCases reads the story at path: each case is a command, a line "----"
// and its expected output, ended by a blank line.
func ReadCases(t testing.TB, path string) []Case {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cs []Case
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
		c := Case{Comments: comments, Line: i + 1, Cmd: l}
		comments = nil
		if i+1 < len(lines) && lines[i+1] == "----" {
			var out []string
			for i += 2; i < len(lines) && lines[i] != ""; i++ {
				out = append(out, lines[i])
			}
			c.Expected = strings.Join(out, "\n")
		}
		cs = append(cs, c)
	}
	return cs
}

// Command is a story's command split into its words: its name, its
// positional arguments and its key=value arguments, where an underscore
// in a value stands for a space (text=hi_there).
type Command struct {
	Name string
	Pos  []string
	Args map[string]string
}

// ParseCommand splits a command line into its words.
func ParseCommand(line string) Command {
	f := strings.Fields(line)
	c := Command{Name: f[0], Args: map[string]string{}}
	for _, a := range f[1:] {
		if k, v, ok := strings.Cut(a, "="); ok {
			c.Args[k] = strings.ReplaceAll(v, "_", " ")
		} else {
			c.Pos = append(c.Pos, a)
		}
	}
	return c
}

// Setup is the world a "world" command describes: a preset policy with
// some bool knobs set over it, and users by name with their connections.
type Setup struct {
	Preset string
	Knobs  []Knob     // in name order
	Policy sim.Policy // sim's preset with the knobs set
	*World            // the users and their initial connections
}

// Knob is a knob the world command sets over its preset, as
// notify_on_delete=true.
type Knob struct{ Name, Value string }

// Script reads a story's commands by the names it gives users, groups
// and messages, turning each command that acts into the sim.Op it stands
// for at the story's simulated time. It holds the names seen so far;
// what the commands that look (view, inbox, user...) print is the
// driving test's to say, with the names Script resolves.
type Script struct {
	t      testing.TB
	users  []string
	ids    map[string]sim.UserID
	groups map[string]sim.ThreadID
	msgs   map[string]sim.Op // by their send's as=
	now    sim.Time
	key    sim.MsgKey
}

// NewScript returns a Script that fails t on a name or command it does not
// know.
func NewScript(t testing.TB) *Script {
	return &Script{t: t, ids: map[string]sim.UserID{}, groups: map[string]sim.ThreadID{}, msgs: map[string]sim.Op{}}
}

// World reads "world policy=P users=a,b,c connections=a-b,b-c KNOB=true..."
// and names its users.
func (s *Script) World(c Command) Setup {
	p, ok := sim.Preset(c.Args["policy"])
	if !ok {
		s.t.Fatalf("unknown preset %q", c.Args["policy"])
	}
	s.users = strings.Split(c.Args["users"], ",")
	for i, n := range s.users {
		s.ids[n] = sim.UserID(i)
	}
	w := &World{Users: len(s.users), Conns: make([][]sim.UserID, len(s.users))}
	if conns := c.Args["connections"]; conns != "" {
		for _, pair := range strings.Split(conns, ",") {
			a, b, _ := strings.Cut(pair, "-")
			x, y := s.User(a), s.User(b)
			w.Conns[x] = append(w.Conns[x], y)
			w.Conns[y] = append(w.Conns[y], x)
		}
	}
	for _, cs := range w.Conns {
		slices.Sort(cs)
	}
	set := Setup{Preset: c.Args["policy"], Policy: p, World: w}
	for _, k := range slices.Sorted(maps.Keys(c.Args)) {
		kn, ok := sim.LookupKnob(k)
		if !ok {
			continue
		}
		if err := kn.Set(&set.Policy, c.Args[k] == "true"); err != nil {
			s.t.Fatal(err)
		}
		set.Knobs = append(set.Knobs, Knob{Name: k, Value: c.Args[k]})
	}
	return set
}

// Advance reads "advance DURATION", moves the story's time on and says
// where it now is.
func (s *Script) Advance(c Command) string {
	d, err := time.ParseDuration(c.Pos[0])
	if err != nil {
		s.t.Fatal(err)
	}
	s.now = s.now.Add(d)
	return "now " + s.now.String()
}

// User returns the id of the user named n.
func (s *Script) User(n string) sim.UserID {
	id, ok := s.ids[n]
	if !ok {
		s.t.Fatalf("unknown user %q", n)
	}
	return id
}

// Name returns the name of user id.
func (s *Script) Name(id sim.UserID) string { return s.users[id] }

// Names returns the names of users ids.
func (s *Script) Names(ids []sim.UserID) []string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, s.Name(id))
	}
	return ns
}

// Thread resolves the thread u addresses by "with V" (direct with V) or
// "group G".
func (s *Script) Thread(u sim.UserID, kind, name string) sim.ThreadID {
	if kind == "group" {
		return s.groups[name]
	}
	return sim.Direct(u, s.User(name))
}

// Group returns the name of group thread t.
func (s *Script) Group(t sim.ThreadID) (string, bool) {
	for n, id := range s.groups {
		if id == t {
			return n, true
		}
	}
	return "", false
}

// ThreadName names thread t as u sees it in the inbox: a group by its
// name, a direct thread by the other user's.
func (s *Script) ThreadName(u sim.UserID, t sim.ThreadID) string {
	if t.IsGroup() {
		n, _ := s.Group(t)
		return n
	}
	return s.Name(t.Other(u))
}

// Op returns the operation a command that acts stands for, at the
// story's time, and fails the test on a command it does not know.
func (s *Script) Op(c Command) sim.Op {
	op := sim.Op{At: s.now}
	pos := c.Pos
	switch c.Name {
	case "send":
		op.Action, op.User = sim.Send, s.User(pos[0])
		if pos[1] == "group" {
			op.Thread = s.groups[pos[2]]
		} else {
			op.Target = s.User(pos[1])
			op.Thread = sim.Direct(op.User, op.Target)
		}
		s.key++
		op.Msg, op.Text = s.key, c.Args["text"]
		if n := c.Args["as"]; n != "" {
			s.msgs[n] = op
		}
	case "delete", "edit", "report-message":
		op.Action, _ = sim.ParseAction(c.Name)
		op.User = s.User(pos[0])
		m := s.msgs[pos[1]]
		op.Msg, op.Thread = m.Msg, m.ThreadOf()
		op.Everyone, op.Text = c.Args["for"] == "everyone", c.Args["text"]
		if c.Name == "report-message" {
			op.Action, op.Target, op.AndBlock = sim.Report, m.User, c.Args["block"] == "true"
		}
	case "create_group":
		op.Action, op.User = sim.CreateGroup, s.User(pos[0])
		if _, ok := s.groups[pos[1]]; !ok {
			s.groups[pos[1]] = sim.Group(uint32(len(s.groups)))
		}
		op.Thread = s.groups[pos[1]]
		for _, m := range pos[2:] {
			op.Members = append(op.Members, s.User(m))
		}
	case "add_member":
		op.Action, op.User, op.Thread, op.Target = sim.AddMember, s.User(pos[0]), s.groups[pos[1]], s.User(pos[2])
	case "leave_group":
		op.Action, op.User, op.Thread = sim.LeaveGroup, s.User(pos[0]), s.groups[pos[1]]
	case "delete_thread", "archive", "unarchive", "mute", "unmute", "read":
		op.Action, _ = sim.ParseAction(c.Name)
		op.User = s.User(pos[0])
		op.Thread = s.Thread(op.User, pos[1], pos[2])
	case "notifications":
		op.Action, op.User, op.On = sim.Notifications, s.User(pos[0]), pos[1] == "on"
	case "post":
		op.Action, op.User, op.Text = sim.Post, s.User(pos[0]), c.Args["text"]
	case "connect", "disconnect", "block", "unblock", "view_profile", "report":
		op.Action, _ = sim.ParseAction(c.Name)
		op.User, op.Target = s.User(pos[0]), s.User(pos[1])
		op.AndBlock = c.Args["block"] == "true"
	default:
		s.t.Fatalf("unknown command %q", c.Name)
	}
	return op
}
