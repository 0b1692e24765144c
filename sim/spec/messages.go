package spec

import "github.com/msgsim/msgsim/sim"

// sendDirect, R1: a user may send a direct message only to a connection
// (not_connected, where require_connection says so) and never across a
// block in either direction (blocked; with block_mutual off only the
// blocked user's messages to the blocker are refused). Sending to oneself
// or to an unknown user is rejected.
func (m *Model) sendDirect(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	from, to := op.User, op.Target
	p := m.pairPolicy(from, to)
	switch {
	case m.blocks(to, from), p.BlockMutual && m.blocks(from, to):
		return sim.Blocked
	case p.RequireConnection && !m.connected(from, to):
		return sim.NotConnected
	}
	id := sim.Direct(from, to)
	t := m.threads[id]
	if t == nil { // "a direct thread exists for each pair that has exchanged a message"
		a, b := id.Pair()
		t = &thread{id: id, members: []member{{user: a, current: true}, {user: b, current: true}}}
		m.threads[id] = t
	}
	if !m.connected(from, to) {
		m.tallies[m.cohort(from)].spam++
	}
	m.deliver(t, op)
	return sim.OK
}

// sendToGroup, R1g: a member posts to a group; a non-member cannot send.
func (m *Model) sendToGroup(op sim.Op) sim.Outcome {
	t := m.threads[op.Thread]
	switch {
	case t == nil:
		return sim.NotFound
	case !t.isCurrent(op.User):
		return sim.NotMember
	}
	m.deliver(t, op)
	return sim.OK
}

// deliver appends op's message to t with the next position and op.At, and
// delivers it to every member at once (R1):
//
//   - the sender: the message shows in their view, the thread's unread
//     count clears (R11), the thread comes back if deleted (R4) and is
//     unarchived (R5) and moves to the top of the inbox;
//   - a member who blocks the sender: "messages A posts there after the
//     block are not shown to B" (R7); their notification is held back
//     (reason blocked); nothing else changes for them;
//   - every other member: the message shows, counts as unread, brings the
//     thread back, unarchives it (R5, by the member's own
//     unarchive_on_new_message) and moves it to the top, and raises a
//     new_message notification unless held back (R2).
//
// A member who left a group receives nothing (R1g).
func (m *Model) deliver(t *thread, op sim.Op) {
	pos := len(t.messages)
	t.messages = append(t.messages, message{key: op.Msg, author: op.User, at: op.At, text: op.Text})
	for i := range t.members {
		mb := &t.members[i]
		if !mb.current {
			continue
		}
		l := line{pos: pos, key: op.Msg, author: op.User, at: op.At, text: op.Text}
		if mb.user != op.User && m.blocks(mb.user, op.User) {
			l.hiddenByBlock = true
			mb.lines = append(mb.lines, l)
			m.people[mb.user].suppressed[reasonBlocked]++
			m.tallies[m.cohort(mb.user)].hidden++
			continue
		}
		mb.lines = append(mb.lines, l)
		if mb.user == op.User {
			mb.unread = 0
		} else {
			mb.unread++
		}
		m.newMessageShown(mb, t.id)
		if mb.user != op.User {
			m.notify(mb.user, causeMessage, op.User, mb)
		}
	}
}

// newMessageShown is what a new message shown to mb does to their inbox:
// "A later message brings the thread back" (R4), "a new incoming message
// unarchives it" (R5; "for every member who can see that message, the
// sender included"), and the thread becomes the most recent (R11).
func (m *Model) newMessageShown(mb *member, t sim.ThreadID) {
	mb.removed = false
	if m.userPolicy(mb.user).UnarchiveOnNewMessage {
		mb.archived = false
	}
	m.touch(mb.user, t)
}

// received finds the message op addresses (op.Thread, op.Msg) and judges
// whether op.User may act on it: not_found for a thread or message that
// does not exist, not_member when op.User did not receive it (was not a
// member when it was posted, or has left and rejoined since).
func (m *Model) received(op sim.Op) (*thread, int, sim.Outcome) {
	t := m.threads[op.Thread]
	if t == nil || op.Msg == 0 {
		return nil, 0, sim.NotFound
	}
	pos := t.find(op.Msg)
	if pos < 0 {
		return nil, 0, sim.NotFound
	}
	mb := t.member(op.User)
	if mb == nil || mb.lineAt(pos) == nil {
		return nil, 0, sim.NotMember
	}
	return t, pos, sim.OK
}

// deleteForMe, R3: a user deletes a message they sent (or, where
// delete_received allows, one they received) from their own view: there
// it becomes the tombstone_self line, or disappears where that is "".
// Every other view is unchanged and nobody is notified. Deleting twice is
// already_deleted.
func (m *Model) deleteForMe(op sim.Op) sim.Outcome {
	t, pos, o := m.received(op)
	if o != sim.OK {
		return o
	}
	p := m.threadPolicy(t)
	msg := &t.messages[pos]
	mine := t.member(op.User).lineAt(pos)
	switch {
	case msg.author != op.User && !p.DeleteReceived:
		return sim.NotAuthor
	case msg.recalled || mine.deletedForMe:
		return sim.AlreadyDeleted
	}
	mine.deletedForMe = true
	m.tallies[m.cohort(op.User)].deletesForMe++
	if msg.author == op.User {
		msg.regret(op.At)
	}
	return sim.OK
}

// deleteForEveryone: where the policy has it (delete_for_everyone, in
// groups only with delete_everyone_in_groups; not_allowed otherwise, as
// under linkedin), the sender deletes their message for every member,
// within delete_window of sending (window_expired after). The sender's
// view shows tombstone_self, every other view tombstone_others ("" removes
// the line). With notify_on_delete, every other member who received the
// message and is still a member is notified.
func (m *Model) deleteForEveryone(op sim.Op) sim.Outcome {
	t, pos, o := m.received(op)
	if o != sim.OK {
		return o
	}
	p := m.threadPolicy(t)
	msg := &t.messages[pos]
	switch {
	case !p.DeleteForEveryone || (t.id.IsGroup() && !p.DeleteEveryoneInGroups):
		return sim.NotAllowed
	case msg.author != op.User:
		return sim.NotAuthor
	case msg.recalled:
		return sim.AlreadyDeleted
	case p.DeleteWindow > 0 && op.At.Sub(msg.at) > p.DeleteWindow:
		return sim.WindowExpired
	}
	msg.recalled, msg.recallAt = true, op.At
	msg.regret(op.At)
	for i := range t.members {
		mb := &t.members[i]
		l := mb.lineAt(pos)
		if l == nil {
			continue
		}
		l.recalled = true
		if p.NotifyOnDelete && mb.user != op.User && mb.current {
			m.notify(mb.user, causeDelete, op.User, mb)
		}
	}
	return sim.OK
}

// edit: where the policy has it (edit), the sender replaces their
// message's text, within edit_window of sending (window_expired after)
// and at most edit_limit times (not_allowed after). "An edited message
// shows its current text" in every view. A deleted message cannot be
// edited (already_deleted).
func (m *Model) edit(op sim.Op) sim.Outcome {
	t, pos, o := m.received(op)
	if o != sim.OK {
		return o
	}
	p := m.threadPolicy(t)
	msg := &t.messages[pos]
	switch {
	case !p.Edit || (p.EditLimit > 0 && msg.edits >= p.EditLimit):
		return sim.NotAllowed
	case msg.author != op.User:
		return sim.NotAuthor
	case msg.recalled || t.member(op.User).lineAt(pos).deletedForMe:
		return sim.AlreadyDeleted
	case p.EditWindow > 0 && op.At.Sub(msg.at) > p.EditWindow:
		return sim.WindowExpired
	}
	msg.text = op.Text
	msg.edits++
	for i := range t.members {
		if l := t.members[i].lineAt(pos); l != nil {
			l.text = op.Text
		}
	}
	return sim.OK
}
