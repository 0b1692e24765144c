package scenarios

import (
	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// actionFields lists each action's fields as DESIGN.md section 5 writes
// them; every action also takes expect.
var actionFields = [sim.NumActions][]string{
	sim.Connect:       {"user", "target"},
	sim.Disconnect:    {"user", "target"},
	sim.Block:         {"user", "target"},
	sim.Unblock:       {"user", "target"},
	sim.ViewProfile:   {"user", "target"},
	sim.Send:          {"from", "to", "group", "text", "as"},
	sim.CreateGroup:   {"owner", "name", "members"},
	sim.AddMember:     {"user", "group", "member"},
	sim.LeaveGroup:    {"user", "group"},
	sim.Delete:        {"user", "message", "for"},
	sim.Edit:          {"user", "message", "text"},
	sim.DeleteThread:  {"user", "with", "group"},
	sim.Archive:       {"user", "with", "group"},
	sim.Unarchive:     {"user", "with", "group"},
	sim.Mute:          {"user", "with", "group"},
	sim.Unmute:        {"user", "with", "group"},
	sim.Read:          {"user", "with", "group"},
	sim.Notifications: {"user", "enabled"},
	sim.Post:          {"user", "text"},
	sim.Report:        {"user", "target", "message", "block"},
}

// required lists the fields an action cannot do without; with/group and
// to/group are checked as alternatives.
var required = [sim.NumActions][]string{
	sim.Connect: {"user", "target"}, sim.Disconnect: {"user", "target"},
	sim.Block: {"user", "target"}, sim.Unblock: {"user", "target"},
	sim.ViewProfile: {"user", "target"},
	sim.Send:        {"from", "text"}, sim.CreateGroup: {"owner", "name", "members"},
	sim.AddMember: {"user", "group", "member"}, sim.LeaveGroup: {"user", "group"},
	sim.Delete: {"user", "message"}, sim.Edit: {"user", "message", "text"},
	sim.DeleteThread: {"user"}, sim.Archive: {"user"}, sim.Unarchive: {"user"},
	sim.Mute: {"user"}, sim.Unmute: {"user"}, sim.Read: {"user"},
	sim.Notifications: {"user", "enabled"}, sim.Post: {"user", "text"},
	sim.Report: {"user", "target"},
}

// action compiles the mapping n of action a into an operation and the
// outcome it expects. key is the message key a send gets.
func (c *compiler) action(a sim.Action, n *yaml.Node, path string, key sim.MsgKey) (*sim.Op, sim.Outcome) {
	f, ok := c.l.mapping(n, path, append(actionFields[a][:len(actionFields[a]):len(actionFields[a])], "expect"))
	if !ok {
		return nil, sim.OK
	}
	c.l.require(f, a.String(), required[a]...)
	op := &sim.Op{Action: a}
	switch a {
	case sim.Connect, sim.Disconnect, sim.Block, sim.Unblock, sim.ViewProfile:
		op.User, _ = c.user(f, "user")
		op.Target, _ = c.user(f, "target")
	case sim.Send:
		c.send(f, op, key)
	case sim.CreateGroup:
		c.createGroup(f, op)
	case sim.AddMember:
		op.User, _ = c.user(f, "user")
		op.Target, _ = c.user(f, "member")
		op.Thread = c.group(f)
	case sim.LeaveGroup:
		op.User, _ = c.user(f, "user")
		op.Thread = c.group(f)
	case sim.Delete, sim.Edit:
		op.User, _ = c.user(f, "user")
		c.message(f, op)
		c.deleteScope(f, op)
		op.Text = c.text(f)
	case sim.DeleteThread, sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.Read:
		u, uOK := c.user(f, "user")
		op.User = u
		op.Thread, _ = c.thread(f, a.String(), u, uOK)
	case sim.Notifications:
		op.User, _ = c.user(f, "user")
		if f.has("enabled") {
			op.On, _ = c.l.boolean(f.val["enabled"], join(path, "enabled"))
		}
	case sim.Post:
		op.User, _ = c.user(f, "user")
		op.Text = c.text(f)
	case sim.Report:
		op.User, _ = c.user(f, "user")
		op.Target, _ = c.user(f, "target")
		c.message(f, op)
		if f.has("block") {
			op.AndBlock, _ = c.l.boolean(f.val["block"], join(path, "block"))
		}
	}
	return op, c.expect(f)
}

// send fills a send: from, then to (a direct thread) or group, text, and
// binds the as: name to the new message.
func (c *compiler) send(f *fields, op *sim.Op, key sim.MsgKey) {
	from, fromOK := c.user(f, "from")
	op.User, op.Msg, op.Text = from, key, c.text(f)
	threadOK := false
	switch {
	case f.has("to") && f.has("group"):
		c.l.errorf(f.key["group"], f.path, "send takes to or group, not both")
	case f.has("to"):
		to, toOK := c.user(f, "to")
		op.Target, op.Thread = to, sim.Direct(from, to)
		threadOK = fromOK && toOK
	case f.has("group"):
		op.Thread = c.group(f)
		threadOK = op.Thread != 0
	case f.missing("to") && f.missing("group"):
		c.l.errorf(f.node, f.path, "send needs to (a user) or group")
	}
	if !f.has("as") {
		return
	}
	as := f.val["as"]
	name, ok := c.l.name(as, join(f.path, "as"))
	if !ok {
		return
	}
	if _, dup := c.messages[name]; dup {
		c.l.errorf(as, join(f.path, "as"), "message name %q is already taken (first at %s)", name, lineCol(c.laterMessages[name]))
		return
	}
	if threadOK {
		c.messages[name] = message{key: key, thread: op.Thread}
	} else {
		c.messages[name] = message{key: key} // defined, so later uses do not cascade
	}
}

// createGroup fills a create_group and defines the group's name.
func (c *compiler) createGroup(f *fields, op *sim.Op) {
	op.User, _ = c.user(f, "owner")
	if f.has("members") {
		path := join(f.path, "members")
		items, _ := c.l.list(f.val["members"], path, "user names")
		op.Members = make([]sim.UserID, 0, len(items))
		for i, item := range items {
			if v, ok := c.userName(item, index(path, i)); ok {
				op.Members = append(op.Members, v)
			}
		}
	}
	if !f.has("name") {
		return
	}
	n, path := f.val["name"], join(f.path, "name")
	name, ok := c.l.name(n, path)
	_, dup := c.groups[name]
	_, isUser := c.users[name]
	switch {
	case !ok:
		return
	case dup:
		c.l.errorf(n, path, "group %q is already created (first at %s)", name, lineCol(c.laterGroups[name]))
		return
	case isUser:
		c.l.errorf(n, path, "group name %q is also a user name; inbox checks could not tell them apart", name)
		return
	}
	op.Thread = sim.Group(uint32(len(c.s.Groups)))
	c.groups[name] = op.Thread
	c.s.Groups = append(c.s.Groups, name)
}

// group returns the thread of the group field, or 0 after reporting why not.
func (c *compiler) group(f *fields) sim.ThreadID {
	if !f.has("group") {
		return 0
	}
	t, _ := c.groupName(f.val["group"], join(f.path, "group"))
	return t
}

// message fills Msg and Thread from the optional message field.
func (c *compiler) message(f *fields, op *sim.Op) {
	if f.has("message") {
		m, _ := c.messageName(f.val["message"], join(f.path, "message"))
		op.Msg, op.Thread = m.key, m.thread
	}
}

// deleteScope reads delete's `for: me` (the default) or `for: everyone`.
func (c *compiler) deleteScope(f *fields, op *sim.Op) {
	if !f.has("for") {
		return
	}
	path := join(f.path, "for")
	scope, ok := c.l.str(f.val["for"], path, "me or everyone")
	switch {
	case !ok:
	case scope == "everyone":
		op.Everyone = true
	case scope != "me":
		c.l.errorf(f.val["for"], path, "%s", unknown("delete scope", scope, []string{"me", "everyone"}))
	}
}

// text returns the optional text field.
func (c *compiler) text(f *fields) string {
	if !f.has("text") {
		return ""
	}
	t, _ := c.l.text(f.val["text"], join(f.path, "text"))
	return t
}

// expect reads the optional outcome code an action expects.
func (c *compiler) expect(f *fields) sim.Outcome {
	n := f.val["expect"]
	if n == nil {
		return sim.OK
	}
	path := join(f.path, "expect")
	code, ok := c.l.str(n, path, "an outcome code")
	if !ok {
		return sim.OK
	}
	o, ok := sim.ParseOutcome(code)
	if !ok {
		c.l.errorf(n, path, "%s", unknown("outcome code", code, outcomeNames()))
	}
	return o
}

func outcomeNames() []string {
	var ns []string
	for _, o := range sim.Outcomes() {
		ns = append(ns, o.String())
	}
	return ns
}
