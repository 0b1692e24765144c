package spec

import (
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// createGroup, R1g: the owner starts a group of 3 to 50 members (invalid
// below, group_full above) with members who are each a connection of the
// owner (not_connected) with no block between the two (blocked). Naming
// oneself, someone twice, or a group that exists is invalid. Everyone
// joins at once, the owner first.
func (m *Model) createGroup(op sim.Op) sim.Outcome {
	owner := op.User
	for _, v := range op.Members {
		if !m.known(v) {
			return sim.UnknownUser
		}
	}
	for i, v := range op.Members {
		if v == owner || slices.Contains(op.Members[:i], v) {
			return sim.Invalid
		}
	}
	if !op.Thread.IsGroup() || m.threads[op.Thread] != nil || len(op.Members)+1 < 3 {
		return sim.Invalid
	}
	if o := m.mayAdd(owner, op.Members...); o != sim.OK {
		return o
	}
	if len(op.Members)+1 > MaxGroup {
		return sim.GroupFull
	}
	t := &thread{id: op.Thread}
	m.threads[op.Thread] = t
	m.join(t, owner)
	for _, v := range op.Members {
		m.join(t, v)
	}
	return sim.OK
}

// mayAdd judges whether adder may add each of vs to a group (R1g, R7):
// blocked if a block stands between adder and any of them, else
// not_connected if any is not a connection of adder.
func (m *Model) mayAdd(adder sim.UserID, vs ...sim.UserID) sim.Outcome {
	for _, v := range vs {
		if m.blockBetween(adder, v) {
			return sim.Blocked
		}
	}
	for _, v := range vs {
		if !m.connected(adder, v) {
			return sim.NotConnected
		}
	}
	return sim.OK
}

// addMember, R1g: any member may add a connection of theirs with no block
// between the two, up to 50 members. Adding a current member again is
// invalid; a non-member cannot add (not_member). A former member rejoins.
func (m *Model) addMember(op sim.Op) sim.Outcome {
	if o := m.pairTarget(op); o != sim.OK {
		return o
	}
	if !op.Thread.IsGroup() {
		return sim.Invalid
	}
	t := m.threads[op.Thread]
	switch {
	case t == nil:
		return sim.NotFound
	case t.isCurrent(op.Target):
		return sim.Invalid // "adding a member twice"
	case !t.isCurrent(op.User):
		return sim.NotMember
	}
	if o := m.mayAdd(op.User, op.Target); o != sim.OK {
		return o
	}
	if t.currentCount() >= MaxGroup {
		return sim.GroupFull
	}
	m.join(t, op.Target)
	return sim.OK
}

// join makes u a member of group t. "A member added to a group sees the
// messages posted from the moment they joined, not earlier ones": a
// former member who rejoins starts again from an empty view. The group
// shows in u's inbox as their most recent thread, back if they had
// deleted it; archive, mute and unread stay as they were. The group now
// spans u's cohort too.
func (m *Model) join(t *thread, u sim.UserID) {
	mb := t.member(u)
	if mb == nil {
		t.members = append(t.members, member{user: u})
		mb = &t.members[len(t.members)-1]
	}
	mb.current = true
	mb.lines = nil
	mb.removed = false
	m.touch(u, t.id)
	for a := range m.people[u].blocks {
		t.openMark(u, a)
	}
	if c := m.cohort(u); !slices.Contains(t.cohorts, c) {
		t.cohorts = append(t.cohorts, c)
		slices.Sort(t.cohorts)
	}
}

// leaveGroup, R1g: "A member who leaves keeps what they saw but receives
// nothing new"; the group stays in their inbox.
func (m *Model) leaveGroup(op sim.Op) sim.Outcome {
	if !op.Thread.IsGroup() {
		return sim.Invalid
	}
	t := m.threads[op.Thread]
	switch {
	case t == nil:
		return sim.NotFound
	case !t.isCurrent(op.User):
		return sim.NotMember
	}
	t.member(op.User).current = false
	return sim.OK
}
