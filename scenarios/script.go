package scenarios

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// compiler turns the script part of a file (users, connections, steps)
// into run ids, keeping the names the file has defined so far.
type compiler struct {
	l        *loader
	s        *Scenario
	users    map[string]sim.UserID
	userAt   map[string]*yaml.Node // where each user is defined
	groups   map[string]sim.ThreadID
	messages map[string]message
	// later holds the first line of every group and message name the
	// steps define, to tell "used before it is defined" from "unknown".
	laterGroups, laterMessages map[string]*yaml.Node
}

// message is what an `as:` name stands for.
type message struct {
	key    sim.MsgKey
	thread sim.ThreadID
}

// script reads users, connections and steps into s.
func (l *loader) script(top *fields, s *Scenario) {
	c := &compiler{l: l, s: s,
		users: map[string]sim.UserID{}, userAt: map[string]*yaml.Node{},
		groups: map[string]sim.ThreadID{}, messages: map[string]message{},
		laterGroups: map[string]*yaml.Node{}, laterMessages: map[string]*yaml.Node{},
	}
	if n := top.val["users"]; n != nil {
		c.readUsers(n)
	}
	if n := top.val["connections"]; n != nil {
		c.readConnections(n)
	}
	if n := top.val["steps"]; n != nil {
		c.readSteps(n)
	}
}

func (c *compiler) readUsers(n *yaml.Node) {
	if r := c.l.resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!int" {
		c.l.errorf(r, "users", "want a list of user names, got %s; for a generated population write population: {users: %s}", describe(r), r.Value)
		return
	}
	items, _ := c.l.list(n, "users", "user names")
	for i, item := range items {
		name, ok := c.l.name(item, index("users", i))
		if !ok {
			continue
		}
		if first, dup := c.userAt[name]; dup {
			c.l.errorf(item, index("users", i), "duplicate user %q (first at %s)", name, lineCol(first))
			continue
		}
		c.users[name] = sim.UserID(len(c.s.Users))
		c.userAt[name] = c.l.resolve(item)
		c.s.Users = append(c.s.Users, name)
	}
}

func (c *compiler) readConnections(n *yaml.Node) {
	items, _ := c.l.list(n, "connections", "pairs of users")
	seen := map[[2]sim.UserID]*yaml.Node{}
	for i, item := range items {
		path := index("connections", i)
		pair, ok := c.l.list(item, path, "two user names")
		if !ok {
			continue
		}
		if len(pair) != 2 {
			c.l.errorf(c.l.resolve(item), path, "a connection is a pair of users, got %s", plural(len(pair), "name"))
			continue
		}
		a, okA := c.userName(pair[0], index(path, 0))
		b, okB := c.userName(pair[1], index(path, 1))
		switch {
		case !okA || !okB:
		case a == b:
			c.l.errorf(pair[1], path, "a user cannot be connected to themself (%s)", c.s.Users[a])
		default:
			key := [2]sim.UserID{min(a, b), max(a, b)}
			if first, dup := seen[key]; dup {
				c.l.errorf(c.l.resolve(item), path, "connection %s-%s listed twice (first at %s)", c.s.Users[a], c.s.Users[b], lineCol(first))
				continue
			}
			seen[key] = c.l.resolve(item)
			c.s.Connections = append(c.s.Connections, [2]sim.UserID{a, b})
		}
	}
}

// userName returns the id of the script user that n names.
func (c *compiler) userName(n *yaml.Node, path string) (sim.UserID, bool) {
	name, ok := c.l.name(n, path)
	if !ok {
		return 0, false
	}
	if id, ok := c.users[name]; ok {
		return id, true
	}
	if len(c.s.Users) == 0 {
		c.l.errorf(n, path, "unknown user %q; the file defines no users (add users: [...])", name)
	} else {
		c.l.errorf(n, path, "%s", unknown("user", name, c.s.Users))
	}
	return 0, false
}

// user returns the user named by field key of f, which must be there.
func (c *compiler) user(f *fields, key string) (sim.UserID, bool) {
	if !f.has(key) {
		return 0, false // require reports it
	}
	return c.userName(f.val[key], join(f.path, key))
}

// groupName returns the thread of the group that n names, which an earlier
// create_group step must define.
func (c *compiler) groupName(n *yaml.Node, path string) (sim.ThreadID, bool) {
	name, ok := c.l.name(n, path)
	if !ok {
		return 0, false
	}
	if t, ok := c.groups[name]; ok {
		return t, true
	}
	if def, later := c.laterGroups[name]; later {
		c.l.errorf(n, path, "group %q is used before its create_group step (line %d)", name, def.Line)
	} else if s := closest(name, c.s.Groups[:min(len(c.s.Groups), maxSearched)]); s != "" {
		c.l.errorf(n, path, "unknown group %q (did you mean %q?)", name, s)
	} else {
		c.l.errorf(n, path, "unknown group %q; no create_group step names it", name)
	}
	return 0, false
}

// messageName returns the message that n names with an earlier send's as:.
func (c *compiler) messageName(n *yaml.Node, path string) (message, bool) {
	name, ok := c.l.name(n, path)
	if !ok {
		return message{}, false
	}
	if m, ok := c.messages[name]; ok {
		return m, true
	}
	if def, later := c.laterMessages[name]; later {
		c.l.errorf(n, path, "message %q is used before the send that names it (line %d)", name, def.Line)
	} else {
		c.l.errorf(n, path, "unknown message %q; name a message with as: on its send step", name)
	}
	return message{}, false
}

// thread returns the thread that f names with `with: V` (the direct thread
// of user u and V) or `group: G`, exactly one of them.
func (c *compiler) thread(f *fields, what string, u sim.UserID, uOK bool) (sim.ThreadID, bool) {
	switch {
	case f.has("with") && f.has("group"):
		c.l.errorf(f.key["group"], f.path, "%s takes with or group, not both", what)
	case f.has("with"):
		v, ok := c.userName(f.val["with"], join(f.path, "with"))
		return sim.Direct(u, v), ok && uOK
	case f.has("group"):
		return c.groupName(f.val["group"], join(f.path, "group"))
	case f.missing("with") && f.missing("group"):
		c.l.errorf(f.node, f.path, "%s needs with (a user) or group", what)
	}
	return 0, false
}

// prescan records where each group and message name is first defined, so
// that a use before the definition can say so.
func (c *compiler) prescan(steps []*yaml.Node) {
	for _, st := range steps {
		st = c.l.resolve(st)
		if st.Kind != yaml.MappingNode || len(st.Content) < 2 {
			continue
		}
		key, val := st.Content[0], c.l.resolve(st.Content[1])
		field, into := "", map[string]*yaml.Node(nil)
		switch key.Value {
		case "create_group":
			field, into = "name", c.laterGroups
		case "send":
			field, into = "as", c.laterMessages
		default:
			continue
		}
		if val.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(val.Content); i += 2 {
			if val.Content[i].Value == field {
				if v := val.Content[i+1]; v.Kind == yaml.ScalarNode {
					if _, seen := into[v.Value]; !seen {
						into[v.Value] = v
					}
				}
			}
		}
	}
}

// stepKeys are the keys a step may have: an action, advance or expect.
var stepKeys = func() []string {
	var ks []string
	for _, a := range sim.Actions() {
		ks = append(ks, a.String())
	}
	return append(ks, "advance", "expect")
}()

func (c *compiler) readSteps(n *yaml.Node) {
	items, _ := c.l.list(n, "steps", "steps")
	c.prescan(items)
	for i, item := range items {
		if st, ok := c.step(item, index("steps", i), i); ok {
			c.s.Steps = append(c.s.Steps, st)
		}
	}
}

// step compiles one step, the i-th of the file.
func (c *compiler) step(n *yaml.Node, path string, i int) (Step, bool) {
	n = c.l.resolve(n)
	if n.Kind != yaml.MappingNode {
		c.l.errorf(n, path, "want a step: a mapping with one key (an action, advance or expect), got %s", describe(n))
		return Step{}, false
	}
	if len(n.Content) < 2 {
		c.l.errorf(n, path, "a step needs one key (an action, advance or expect), got none")
		return Step{}, false
	}
	c.extraKeys(n, path)
	key := c.l.resolve(n.Content[0])
	st := Step{Pos: c.l.pos(key), Source: render(n, true)}
	if key.Kind != yaml.ScalarNode {
		c.l.errorf(key, path, "want an action, advance or expect, got %s", describe(key))
		return st, false
	}
	val, sub := n.Content[1], join(path, key.Value)
	switch key.Value {
	case "advance":
		d, ok := c.l.positive(val, sub)
		st.Advance = d
		return st, ok
	case "expect":
		st.Check = c.check(val, sub)
		return st, st.Check != nil
	}
	a, ok := sim.ParseAction(key.Value)
	if !ok {
		c.l.errorf(key, path, "%s", unknown("action", key.Value, stepKeys))
		return st, false
	}
	st.Op, st.Expect = c.action(a, val, sub, sim.MsgKey(i+1))
	return st, st.Op != nil
}

// extraKeys reports the keys of a step after its first.
func (c *compiler) extraKeys(n *yaml.Node, path string) {
	if len(n.Content) <= 2 {
		return
	}
	var names []string
	for j := 0; j < len(n.Content); j += 2 {
		names = append(names, c.l.resolve(n.Content[j]).Value)
	}
	hint := "; write one step per list item"
	if names[1] == "expect" && names[0] != "expect" {
		hint = fmt.Sprintf("; put the outcome inside the action: %s: {..., expect: ...}", names[0])
	}
	c.l.errorf(n.Content[2], path, "a step has exactly one key, got %d (%s)%s", len(names), strings.Join(names, ", "), hint)
}
