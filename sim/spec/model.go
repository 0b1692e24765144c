package spec

import (
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// MaxGroup is the most members a group holds at once (R1g).
const MaxGroup = 50

// Model is the whole population as plain data: every user's settings,
// connections, blocks and counters, and every thread with every member's
// view of it as a list of lines.
type Model struct {
	policy  Policy
	people  []person
	threads map[sim.ThreadID]*thread
	// cutByBlock holds the pairs whose connection a block removed, by the
	// id of their direct thread, for unblock_reconnects.
	cutByBlock map[sim.ThreadID]bool
	// cohorts and cohortOf are set by SetCohorts; without them everyone is
	// under policy.
	cohorts  []Policy
	cohortOf func(sim.UserID) int
	// tallies count, by cohort, what the policy-lab measures need that
	// the final state does not show (see Measure).
	tallies []tally
}

// person is one user.
type person struct {
	// conns is the set of the user's connections, kept sorted. It starts
	// as the caller's slice of initial connections, which is never changed:
	// the first change copies it (own).
	conns  []sim.UserID
	own    bool
	blocks map[sim.UserID]bool // whom this user blocks
	off    bool                // message notifications turned off (R6)
	// notified counts notifications raised by cause, suppressed those held
	// back by reason, in sim.Cause and sim.Reason order.
	notified   [3]int
	suppressed [3]int
	// threads lists every thread the user was ever a member of, the one
	// with the most recent activity first (R11): the inbox before archived
	// and deleted threads are left out.
	threads []sim.ThreadID
}

// The notification causes and suppression reasons, in sim.Cause and
// sim.Reason order.
const (
	causeMessage = 0
	causePost    = 1
	causeDelete  = 2

	reasonMuted    = 0
	reasonSettings = 1
	reasonBlocked  = 2
)

// thread is one conversation. A direct thread exists once its pair has
// exchanged a message; a group once it was created.
type thread struct {
	id       sim.ThreadID
	messages []message // every accepted message, in the order appended
	members  []member  // everyone who was ever a member, in the order they first joined
	cohorts  []int     // the cohorts of everyone who was ever a member of a group, ascending
	reported []report  // every report of one of its messages (R10), in order
	// marks are the block marks a store keeps in a group (see blockMark).
	marks []blockMark
}

// message is a message as the thread holds it.
type message struct {
	key      sim.MsgKey
	author   sim.UserID
	at       sim.Time
	text     string
	edits    int
	recalled bool // deleted for everyone
	// regretted: its sender deleted it, for themself or for everyone,
	// first at regretAt; recallAt is when they deleted it for everyone.
	regretted          bool
	regretAt, recallAt sim.Time
}

// member is one user's membership of a thread and their view of it.
type member struct {
	user    sim.UserID
	current bool // a member now; false after leaving a group
	// lines are the messages the member received since they last joined,
	// in order, whether or not their view shows them now.
	lines    []line
	unread   int
	archived bool // R5
	muted    bool // R6
	removed  bool // R4: delete_thread took the thread out of the inbox
}

// line is one received message in a member's view.
type line struct {
	pos    int // index of the message in the thread
	key    sim.MsgKey
	author sim.UserID
	at     sim.Time
	text   string // the current text: an edit changes it in every view
	// hiddenByBlock: the member blocked the author when it was posted in a
	// group, so it is not shown to them (R7).
	hiddenByBlock bool
	deletedForMe  bool // R3: the member deleted it for themself
	recalled      bool // its sender deleted it for everyone
	cleared       bool // R4: the member deleted the thread after it
}

// New returns a model of users users under policy p. conns(u) gives u's
// initial connections, sorted and symmetric; the model keeps the slices
// and never changes them. conns may be nil: nobody is connected.
func New(p Policy, users int, conns func(sim.UserID) []sim.UserID) *Model {
	m := &Model{policy: p, people: make([]person, users),
		threads: map[sim.ThreadID]*thread{}, cutByBlock: map[sim.ThreadID]bool{}, tallies: make([]tally, 1)}
	if conns != nil {
		for u := range m.people {
			m.people[u].conns = conns(sim.UserID(u))
		}
	}
	return m
}

// SetCohorts puts users under per-cohort policies: of(u) is the index in
// policies of u's cohort. A thread follows the stricter policy of the
// cohorts it spans, knob by knob (see stricter): a direct thread spans its
// two users' cohorts, a group the cohorts of everyone who was ever a
// member, since a member who left keeps what they saw. Whether a new
// message unarchives a thread follows each user's own cohort. Call it
// before the first Apply.
func (m *Model) SetCohorts(policies []Policy, of func(sim.UserID) int) {
	m.cohorts, m.cohortOf = slices.Clone(policies), of
	m.tallies = make([]tally, len(policies))
}

// Users returns the number of users.
func (m *Model) Users() int { return len(m.people) }

// known reports whether u is a user of the population.
func (m *Model) known(u sim.UserID) bool { return int(u) < len(m.people) }

// cohort returns u's cohort index, 0 without cohorts or for an unknown
// user.
func (m *Model) cohort(u sim.UserID) int {
	if m.cohorts == nil || !m.known(u) {
		return 0
	}
	return m.cohortOf(u)
}

// userPolicy returns the policy of u's own cohort.
func (m *Model) userPolicy(u sim.UserID) Policy {
	if m.cohorts == nil {
		return m.policy
	}
	return m.cohorts[m.cohortOf(u)]
}

// merged returns the stricter policy of the given cohorts, ascending.
func (m *Model) merged(cohorts []int) Policy {
	if m.cohorts == nil || len(cohorts) == 0 {
		return m.policy
	}
	p := m.cohorts[cohorts[0]]
	for _, c := range cohorts[1:] {
		p = stricter(p, m.cohorts[c])
	}
	return p
}

// pairPolicy returns the policy of the direct thread between a and b,
// whether or not it exists yet.
func (m *Model) pairPolicy(a, b sim.UserID) Policy {
	if m.cohorts == nil {
		return m.policy
	}
	ca, cb := m.cohort(a), m.cohort(b)
	if ca > cb {
		ca, cb = cb, ca
	}
	if ca == cb {
		return m.merged([]int{ca})
	}
	return m.merged([]int{ca, cb})
}

// threadPolicy returns the policy in force in t.
func (m *Model) threadPolicy(t *thread) Policy {
	if !t.id.IsGroup() {
		a, b := t.id.Pair()
		return m.pairPolicy(a, b)
	}
	return m.merged(t.cohorts)
}

// member returns u's membership of t, or nil if u never was a member.
func (t *thread) member(u sim.UserID) *member {
	for i := range t.members {
		if t.members[i].user == u {
			return &t.members[i]
		}
	}
	return nil
}

// isCurrent reports whether u is a member of t now.
func (t *thread) isCurrent(u sim.UserID) bool {
	mb := t.member(u)
	return mb != nil && mb.current
}

// currentCount returns how many members t has now.
func (t *thread) currentCount() int {
	n := 0
	for _, mb := range t.members {
		if mb.current {
			n++
		}
	}
	return n
}

// find returns the position of the newest message with key k, or -1.
func (t *thread) find(k sim.MsgKey) int {
	for i := len(t.messages) - 1; i >= 0; i-- {
		if t.messages[i].key == k {
			return i
		}
	}
	return -1
}

// lineAt returns mb's line of the message at pos, or nil if mb did not
// receive it since they last joined.
func (mb *member) lineAt(pos int) *line {
	i, ok := slices.BinarySearchFunc(mb.lines, pos, func(l line, pos int) int { return l.pos - pos })
	if !ok {
		return nil
	}
	return &mb.lines[i]
}

// connected reports whether a holds b as a connection.
func (m *Model) connected(a, b sim.UserID) bool {
	_, ok := slices.BinarySearch(m.people[a].conns, b)
	return ok
}

// setConnected makes or ends the connection between a and b, both ways.
func (m *Model) setConnected(a, b sim.UserID, on bool) {
	for _, x := range [2][2]sim.UserID{{a, b}, {b, a}} {
		p := &m.people[x[0]]
		if !p.own {
			p.conns, p.own = slices.Clone(p.conns), true
		}
		i, ok := slices.BinarySearch(p.conns, x[1])
		switch {
		case on && !ok:
			p.conns = slices.Insert(p.conns, i, x[1])
		case !on && ok:
			p.conns = slices.Delete(p.conns, i, i+1)
		}
	}
}

// blocks reports whether a blocks b.
func (m *Model) blocks(a, b sim.UserID) bool { return m.people[a].blocks[b] }

// blockBetween reports whether a block stands between a and b either way.
func (m *Model) blockBetween(a, b sim.UserID) bool { return m.blocks(a, b) || m.blocks(b, a) }

// touch moves t to the top of u's threads: the most recent activity.
func (m *Model) touch(u sim.UserID, t sim.ThreadID) {
	ts := m.people[u].threads
	if i := slices.Index(ts, t); i >= 0 {
		ts = slices.Delete(ts, i, i+1)
	}
	m.people[u].threads = slices.Insert(ts, 0, t)
}

// notify raises one notification of cause c for u about something author
// did, or holds it back (R2, R6, R7, R9). The first reason that applies is
// counted: u blocks the author, the thread is muted (mb, nil for a post),
// u turned notifications off.
func (m *Model) notify(u sim.UserID, c int, author sim.UserID, mb *member) {
	p := &m.people[u]
	switch {
	case m.blocks(u, author):
		p.suppressed[reasonBlocked]++
	case mb != nil && mb.muted:
		p.suppressed[reasonMuted]++
	case p.off:
		p.suppressed[reasonSettings]++
	default:
		p.notified[c]++
	}
}
