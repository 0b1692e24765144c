package spec

import "github.com/msgsim/msgsim/sim"

// Observers and lists only the tests use. The conformance check reads
// the same standing through Memberships, so production has no caller for
// these.

// membership returns u's membership of t, or nil.
func (m *Model) membership(u sim.UserID, t sim.ThreadID) *member {
	if th := m.threads[t]; th != nil {
		return th.member(u)
	}
	return nil
}

// Unread returns how many messages in t arrived for u since u last read
// it, sent in it or deleted it (R11, R4); 0 if u never was a member.
func (m *Model) Unread(u sim.UserID, t sim.ThreadID) int {
	if mb := m.membership(u, t); mb != nil {
		return mb.unread
	}
	return 0
}

// Archived reports whether u archived t (R5).
func (m *Model) Archived(u sim.UserID, t sim.ThreadID) bool {
	mb := m.membership(u, t)
	return mb != nil && mb.archived
}

// Muted reports whether u muted t (R6).
func (m *Model) Muted(u sim.UserID, t sim.ThreadID) bool {
	mb := m.membership(u, t)
	return mb != nil && mb.muted
}

// Current reports whether u is a member of t now.
func (m *Model) Current(u sim.UserID, t sim.ThreadID) bool {
	mb := m.membership(u, t)
	return mb != nil && mb.current
}

// PresetNames returns the preset names in the order DESIGN.md lists them.
func PresetNames() []string {
	ns := make([]string, len(presets))
	for i, p := range presets {
		ns[i] = p.policy.Name
	}
	return ns
}

// PresetSource returns where the rules of the named preset come from, or "".
func PresetSource(name string) string {
	for _, p := range presets {
		if p.policy.Name == name {
			return p.source
		}
	}
	return ""
}

// KnobNames returns the names SetKnob knows, in DESIGN.md's order.
func KnobNames() []string {
	return []string{"require_connection", "delete_for_everyone", "delete_window",
		"delete_everyone_in_groups", "delete_received", "tombstone_self",
		"tombstone_others", "edit", "edit_window", "edit_limit", "block_mutual",
		"block_removes_connection", "block_hides_history", "unblock_reconnects",
		"unarchive_on_new_message", "notify_on_delete"}
}
