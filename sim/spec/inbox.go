package spec

import "github.com/msgsim/msgsim/sim"

// deleteThread, R4: a user deletes a whole thread from their inbox: it
// leaves their inbox, every earlier message leaves their view (no
// tombstones) and nothing is unread; the other members keep everything.
// A later message brings it back with only what came after. A thread that
// does not exist is not_found; one the user never was a member of,
// not_member.
func (m *Model) deleteThread(op sim.Op) sim.Outcome {
	t := m.threads[op.Thread]
	if t == nil {
		return sim.NotFound
	}
	mb := t.member(op.User)
	if mb == nil {
		return sim.NotMember
	}
	for i := range mb.lines {
		mb.lines[i].cleared = true
	}
	mb.unread = 0
	mb.removed = true
	return sim.OK
}

// inboxSetting applies archive and unarchive (R5: hiding a thread from the
// inbox list without touching messages), mute and unmute (R6: a muted
// thread still receives and counts unread messages but raises no
// notifications) and read (R11: reading clears the unread count) to one
// of the user's threads. A thread the user never was a member of is not
// in their inbox: not_found.
func (m *Model) inboxSetting(op sim.Op) sim.Outcome {
	t := m.threads[op.Thread]
	if t == nil {
		return sim.NotFound
	}
	mb := t.member(op.User)
	if mb == nil {
		return sim.NotFound
	}
	switch op.Action {
	case sim.Archive:
		mb.archived = true
	case sim.Unarchive:
		mb.archived = false
	case sim.Mute:
		mb.muted = true
	case sim.Unmute:
		mb.muted = false
	case sim.Read:
		mb.unread = 0
	}
	return sim.OK
}
