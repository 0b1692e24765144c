package spec

import "github.com/msgsim/msgsim/sim"

// Apply applies op at op.At, all of it or nothing, and returns its
// outcome. Where several outcomes apply, the first in DESIGN.md section 5's
// order wins: unknown_user, invalid, not_found, not_member, not_allowed,
// blocked, not_connected, not_author, already_deleted, window_expired,
// group_full (the order of sim.Outcome's constants). Every refusal leaves
// the model as it was, but for the tallies of refused sends and reports
// that Measure reports.
func (m *Model) Apply(op sim.Op) sim.Outcome {
	o := m.apply(op)
	m.tally(op, o)
	return o
}

func (m *Model) apply(op sim.Op) sim.Outcome {
	if !m.known(op.User) {
		return sim.UnknownUser
	}
	switch op.Action {
	case sim.Connect:
		return m.connect(op)
	case sim.Disconnect:
		return m.disconnect(op)
	case sim.Block:
		return m.block(op)
	case sim.Unblock:
		return m.unblock(op)
	case sim.ViewProfile:
		return m.viewProfile(op)
	case sim.Send:
		if op.Thread.IsGroup() {
			return m.sendToGroup(op)
		}
		return m.sendDirect(op)
	case sim.CreateGroup:
		return m.createGroup(op)
	case sim.AddMember:
		return m.addMember(op)
	case sim.LeaveGroup:
		return m.leaveGroup(op)
	case sim.Delete:
		if op.Everyone {
			return m.deleteForEveryone(op)
		}
		return m.deleteForMe(op)
	case sim.Edit:
		return m.edit(op)
	case sim.DeleteThread:
		return m.deleteThread(op)
	case sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.Read:
		return m.inboxSetting(op)
	case sim.Notifications:
		return m.notifications(op)
	case sim.Post:
		return m.post(op)
	case sim.Report:
		return m.report(op)
	}
	return sim.Invalid
}

// pairTarget judges the other user of a pair action: unknown_user, then
// invalid for oneself.
func (m *Model) pairTarget(op sim.Op) sim.Outcome {
	switch {
	case !m.known(op.Target):
		return sim.UnknownUser
	case op.Target == op.User:
		return sim.Invalid
	}
	return sim.OK
}
