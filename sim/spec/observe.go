package spec

import (
	"cmp"
	"maps"
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// Line is one message as a user sees it.
type Line struct {
	Author    sim.UserID
	At        sim.Time
	Text      string
	Tombstone bool // Text is the policy's tombstone, not the message
}

// View returns what u sees of thread t, in order, or nil if u never was a
// member of t. Each received message shows at its position with its
// author and time, and its current text, unless:
//
//   - u deleted the thread after it (R4): not shown;
//   - it was posted in a group while u blocked its author (R7): not shown;
//   - block_hides_history is on and u blocks its author now: not shown;
//   - u deleted it for themself, or u is its sender and deleted it for
//     everyone (R3): the tombstone_self text;
//   - its sender deleted it for everyone: the tombstone_others text;
//
// and a tombstone whose text is "" removes the line.
func (m *Model) View(u sim.UserID, t sim.ThreadID) []Line {
	th := m.threads[t]
	if th == nil {
		return nil
	}
	mb := th.member(u)
	if mb == nil {
		return nil
	}
	p := m.threadPolicy(th)
	view := []Line{}
	for i := range mb.lines {
		if shown, ok := m.look(u, &mb.lines[i], p); ok {
			view = append(view, shown)
		}
	}
	return view
}

// look returns line l of u's view under policy p as u sees it, and false
// when u's view does not show it (see View).
func (m *Model) look(u sim.UserID, l *line, p Policy) (Line, bool) {
	if l.cleared || l.hiddenByBlock {
		return Line{}, false
	}
	if p.BlockHidesHistory && l.author != u && m.blocks(u, l.author) {
		return Line{}, false
	}
	shown := Line{Author: l.author, At: l.at, Text: l.text}
	switch {
	case l.deletedForMe, l.recalled && l.author == u:
		shown.Text, shown.Tombstone = p.TombstoneSelf, true
	case l.recalled:
		shown.Text, shown.Tombstone = p.TombstoneOthers, true
	}
	return shown, !shown.Tombstone || shown.Text != ""
}

// Inbox returns u's inbox (R11): the threads u was ever a member of that
// are neither archived (R5) nor deleted (R4), the most recent first. A
// thread becomes the most recent when a message shows in u's view (theirs
// or another member's) or when u joins it.
func (m *Model) Inbox(u sim.UserID) []sim.ThreadID {
	var in []sim.ThreadID
	for _, id := range m.people[u].threads {
		mb := m.threads[id].member(u)
		if !mb.archived && !mb.removed {
			in = append(in, id)
		}
	}
	return in
}

// Membership is one user's standing in one thread they were ever a
// member of.
type Membership struct {
	Thread   sim.ThreadID
	Current  bool // a member now
	Unread   int
	Archived bool
	Muted    bool
	Deleted  bool // deleted from the inbox (R4) until a new message
}

// Memberships returns u's standing in every thread u was ever a member
// of, by ascending thread id: Unread, Archived, Muted, Deleted and
// Current of each at once.
func (m *Model) Memberships(u sim.UserID) []Membership {
	ms := make([]Membership, 0, len(m.people[u].threads))
	for _, id := range m.people[u].threads {
		mb := m.threads[id].member(u)
		ms = append(ms, Membership{Thread: id, Current: mb.current, Unread: mb.unread,
			Archived: mb.archived, Muted: mb.muted, Deleted: mb.removed})
	}
	slices.SortFunc(ms, func(a, b Membership) int { return cmp.Compare(a.Thread, b.Thread) })
	return ms
}

// Notified returns the notifications u received, by cause: message, post,
// delete (sim.Cause's order).
func (m *Model) Notified(u sim.UserID) [3]int { return m.people[u].notified }

// Suppressed returns the notifications held back from u, by reason: muted,
// settings, blocked (sim.Reason's order).
func (m *Model) Suppressed(u sim.UserID) [3]int { return m.people[u].suppressed }

// NotificationsOff reports whether u turned notifications off (R6).
func (m *Model) NotificationsOff(u sim.UserID) bool { return m.people[u].off }

// Connected reports whether u and v are connected.
func (m *Model) Connected(u, v sim.UserID) bool { return m.connected(u, v) }

// Blocks reports whether u blocks v.
func (m *Model) Blocks(u, v sim.UserID) bool { return m.blocks(u, v) }

// ProfileVisible reports whether u may view v's profile now: "allowed
// unless a block stands between the two users" (R8).
func (m *Model) ProfileVisible(u, v sim.UserID) bool { return !m.blockBetween(u, v) }

// Connections returns u's connections, ascending. The slice is the
// model's own, valid until the next Apply: do not modify it.
func (m *Model) Connections(u sim.UserID) []sim.UserID { return m.people[u].conns }

// Blocking returns whom u blocks, ascending.
func (m *Model) Blocking(u sim.UserID) []sim.UserID {
	if len(m.people[u].blocks) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(m.people[u].blocks))
}

// Threads returns every thread that exists, ascending: each direct thread
// whose pair has exchanged a message, and each group created.
func (m *Model) Threads() []sim.ThreadID { return slices.Sorted(maps.Keys(m.threads)) }

// Members returns everyone who ever was a member of t, ascending.
func (m *Model) Members(t sim.ThreadID) []sim.UserID {
	th := m.threads[t]
	if th == nil {
		return nil
	}
	us := make([]sim.UserID, len(th.members))
	for i, mb := range th.members {
		us[i] = mb.user
	}
	slices.Sort(us)
	return us
}

// Reports returns how many messages of t were reported (R10).
func (m *Model) Reports(t sim.ThreadID) int {
	if th := m.threads[t]; th != nil {
		return len(th.reported)
	}
	return 0
}

// Messages returns how many messages t holds, deleted ones included.
func (m *Model) Messages(t sim.ThreadID) int {
	if th := m.threads[t]; th != nil {
		return len(th.messages)
	}
	return 0
}
