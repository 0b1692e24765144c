package scenarios

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// checkValue is the key that carries each check's expected value.
var checkValue = [numCheckKinds]string{
	View: "messages", Inbox: "threads", Unread: "count",
	Notifications: "count", Connected: "value", Profile: "visible",
}

// checkKeys are the keys of an expect mapping: one check and its value.
var checkKeys = append(checkNames[:len(checkNames):len(checkNames)], "messages", "threads", "count", "value", "visible")

// check compiles the mapping of an `expect:` step.
func (c *compiler) check(n *yaml.Node, path string) *Check {
	if r := c.l.resolve(n); r.Kind == yaml.ScalarNode {
		if _, isOutcome := sim.ParseOutcome(r.Value); isOutcome {
			c.l.errorf(r, path, "an expected outcome goes inside its action, like send: {..., expect: %s}; an expect step is a check such as {view: {...}, messages: [...]}", r.Value)
			return nil
		}
	}
	f, ok := c.l.mapping(n, path, checkKeys)
	if !ok {
		return nil
	}
	ch := &Check{Kind: numCheckKinds}
	for k := range numCheckKinds {
		name := checkNames[k]
		if !f.has(name) {
			continue
		}
		if ch.Kind != numCheckKinds {
			c.l.errorf(f.key[name], path, "one check per expect step; this one has %s and %s", ch.Kind, name)
			continue
		}
		ch.Kind = k
	}
	if ch.Kind == numCheckKinds {
		typo := false
		for _, k := range checkNames {
			typo = typo || f.typos[k]
		}
		if !typo {
			c.l.errorf(f.node, path, "expect needs a check: one of %s", strings.Join(checkNames[:], ", "))
		}
		return nil
	}
	value := checkValue[ch.Kind]
	for _, v := range []string{"messages", "threads", "count", "value", "visible"} {
		if f.has(v) && v != value {
			c.l.errorf(f.key[v], path, "%s does not belong to %s check; it takes %s", v, article(ch.Kind.String()), value)
			f.typos[value] = true // said already: no "needs" as well
		}
	}
	okSubject := c.checkSubject(ch, f)
	okValue := c.l.require(f, article(ch.Kind.String())+" check", value)
	if okValue {
		okValue = c.checkValue(ch, f.val[value], join(path, value))
	}
	if !okSubject || !okValue {
		return nil
	}
	return ch
}

// checkSubject reads what a check looks at: view: {user, with|group} and
// the like.
func (c *compiler) checkSubject(ch *Check, f *fields) bool {
	name, path := ch.Kind.String(), join(f.path, ch.Kind.String())
	n := f.val[name]
	if ch.Kind == Connected {
		pair, ok := c.l.list(n, path, "two user names")
		if ok && len(pair) != 2 {
			c.l.errorf(c.l.resolve(n), path, "connected takes two users, got %s", plural(len(pair), "name"))
			return false
		}
		if !ok {
			return false
		}
		var okU, okT bool
		ch.User, okU = c.userName(pair[0], index(path, 0))
		ch.Target, okT = c.userName(pair[1], index(path, 1))
		return okU && okT
	}
	keys := map[CheckKind][]string{
		View: {"user", "with", "group"}, Unread: {"user", "with", "group"},
		Inbox: {"user"}, Notifications: {"user"}, Profile: {"user", "target"},
	}[ch.Kind]
	sub, ok := c.l.mapping(n, path, keys)
	if !ok {
		return false
	}
	ok = c.l.require(sub, name, "user")
	var okU bool
	ch.User, okU = c.user(sub, "user")
	switch ch.Kind {
	case View, Unread:
		var okT bool
		ch.Thread, okT = c.thread(sub, name, ch.User, okU)
		if sub.has("with") {
			ch.Target = ch.Thread.Other(ch.User)
		}
		return ok && okU && okT
	case Profile:
		if !c.l.require(sub, name, "target") {
			return false
		}
		var okT bool
		ch.Target, okT = c.user(sub, "target")
		return ok && okU && okT
	}
	return ok && okU
}

// checkValue reads the expected value of a check.
func (c *compiler) checkValue(ch *Check, n *yaml.Node, path string) bool {
	switch ch.Kind {
	case View:
		items, ok := c.l.list(n, path, "message texts")
		ch.Lines = make([]string, 0, len(items))
		for i, item := range items {
			t, okT := c.l.text(item, index(path, i))
			ch.Lines = append(ch.Lines, t)
			ok = ok && okT
		}
		return ok
	case Inbox:
		items, ok := c.l.list(n, path, "thread names (a user for a direct thread, a group name)")
		ch.Lines = make([]string, 0, len(items))
		for i, item := range items {
			name, okT := c.threadName(item, index(path, i))
			ch.Lines = append(ch.Lines, name)
			ok = ok && okT
		}
		return ok
	case Unread, Notifications:
		var ok bool
		ch.Count, ok = c.l.count(n, path, 0, 1<<31-1)
		return ok
	}
	var ok bool
	ch.Value, ok = c.l.boolean(n, path)
	return ok
}

// threadName checks an inbox line: a user or a group defined so far.
func (c *compiler) threadName(n *yaml.Node, path string) (string, bool) {
	name, ok := c.l.name(n, path)
	if !ok {
		return "", false
	}
	if _, isUser := c.users[name]; isUser {
		return name, true
	}
	if _, isGroup := c.groups[name]; isGroup {
		return name, true
	}
	if def, later := c.laterGroups[name]; later {
		c.l.errorf(n, path, "group %q is used before its create_group step (line %d)", name, def.Line)
		return "", false
	}
	c.l.errorf(n, path, "%s", unknown("thread", name, append(c.s.Users[:len(c.s.Users):len(c.s.Users)], c.s.Groups...)))
	return "", false
}
