package sim

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Invariant numbers a rule of DESIGN.md section 3, I1 to I11.
type Invariant uint8

// The invariants the checker enforces.
const (
	I1DeleteLocality Invariant = iota + 1
	I2Tombstone
	I3SilentDelete
	I4BlockStopsTraffic
	I5BlockKeepsHistory
	I6BlockCutsConnection
	I7Profiles
	I8Delivery
	I9OneOrder
	I10Notifications
	I11ConnectionRule
	NumInvariants = 11
)

func (i Invariant) String() string { return fmt.Sprintf("I%d", int(i)) }

// Violation is one broken invariant with what is needed to find it.
type Violation struct {
	Invariant Invariant
	Thread    ThreadID // 0 when the violation is about a user alone
	User      UserID   // whose view or counters are wrong
	Other     UserID   // the other user involved, when there is one
	Seq       Seq      // the message, when there is one
	Expected  string
	Seen      string
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: user %d", v.Invariant, v.User)
	if v.Thread != 0 {
		fmt.Fprintf(&b, " thread %s", v.Thread)
	}
	if v.Seq != 0 {
		fmt.Fprintf(&b, " message %d", v.Seq)
	}
	if v.Other != v.User {
		fmt.Fprintf(&b, " other user %d", v.Other)
	}
	fmt.Fprintf(&b, ": expected %s, saw %s", v.Expected, v.Seen)
	return b.String()
}

// Check verifies every invariant on a state at quiescence and returns the
// number of checks made and every violation found. It does not trust the
// threads' derived state: it replays each thread's messages and log under
// the policy, recomputes every member's view and every user's delivery
// counts from that replay, and compares. What it compares holds for any
// interleaving of operations across threads, because each thread's log is
// the order in which that thread applied its own steps. With cohorts, each
// thread is replayed under the policy of the cohorts it spanned at each
// step, and its final views under the policy it spans at the end.
func (s *State) Check() (checked int, vs []Violation) {
	c := checker{s: s, p: &s.Policy, received: make([]uint32, len(s.Users)),
		hidden: make([]uint32, len(s.Users)), deletes: make([]uint32, len(s.Users))}
	for t := range s.threads().Each() {
		c.thread(t)
	}
	// Threads were checked in the store's order; report their violations
	// in the threads' order, each thread's in the order found.
	slices.SortStableFunc(c.vs, func(a, b Violation) int { return cmp.Compare(a.Thread, b.Thread) })
	for i := range s.Users {
		c.user(&s.Users[i])
	}
	if c.connSum != 0 {
		for i := range s.Users {
			c.oneSided(&s.Users[i])
		}
	}
	return c.checked, c.vs
}

type checker struct {
	s                         *State
	p                         *Policy
	checked                   int
	vs                        []Violation
	received, hidden, deletes []uint32
	connSum                   uint64 // zero when connections are symmetric; see replicas
	r                         replay // reused from thread to thread
	keys                      map[MsgKey]Seq
	lines                     []Line // a view, reused from member to member
}

// reuse returns m emptied, or a new map when m is nil or grew large, so
// replaying millions of threads neither allocates maps for each nor clears
// one big thread's buckets for every later one.
func reuse[K comparable, V any](m map[K]V) map[K]V {
	if m == nil || len(m) > 64 {
		return make(map[K]V)
	}
	clear(m)
	return m
}

func (c *checker) fail(v Violation) { c.vs = append(c.vs, v) }

// replay is a thread rebuilt from its messages and log alone.
type replay struct {
	t       *Thread
	pair    PairState
	members map[UserID]int32 // index in mem
	mem     []Member
	order   []UserID // members in join order
	hides   map[hide]bool
	gone    map[Seq]UserID
	deleted map[Seq]bool // any delete of the message, by anyone
	marks   []mark
	inBlock map[UserID]bool // users party to a block in this thread: their history is at stake
	cohorts uint8           // a group's cohorts so far
}

func (c *checker) thread(t *Thread) {
	r := &c.r
	r.reset(t)
	c.p = c.s.PolicyOf(t)
	if t.ID.IsGroup() && c.s.Cohorts != nil {
		c.p = c.s.Cohorts.Merged(0)
	}
	if !t.ID.IsGroup() {
		a, b := t.ID.Pair()
		r.join(a, 0)
		r.join(b, 0)
	}
	ev := t.r().log
	for p := Seq(0); ; p++ {
		for len(ev) > 0 && ev[0].Pos <= p {
			c.event(r, &ev[0])
			ev = ev[1:]
		}
		if int(p) == len(t.messages) {
			break
		}
		c.append(r, p+1)
	}
	c.order(t)
	c.checked++
	if !t.ID.IsGroup() && r.pair != t.Pair {
		inv := I6BlockCutsConnection
		if r.pair.BlockedBy != t.Pair.BlockedBy {
			inv = I4BlockStopsTraffic
		}
		a, b := t.ID.Pair()
		c.fail(Violation{Invariant: inv, Thread: t.ID, User: a, Other: b,
			Expected: fmt.Sprintf("pair %+v", r.pair), Seen: fmt.Sprintf("pair %+v", t.Pair)})
	}
	if !t.ID.IsGroup() {
		c.pairReplicas(t)
	}
	for _, u := range r.order {
		c.view(r, u)
	}
}

// order checks that the thread's record has one order (I9): every
// message key appears once, so no member can see a message twice or in two
// places, and the log is in the order the thread applied it.
func (c *checker) order(t *Thread) {
	c.keys = reuse(c.keys)
	keys := c.keys
	for i, msg := range t.messages {
		c.checked++
		if msg.Key == 0 {
			continue
		}
		if s, dup := keys[msg.Key]; dup {
			c.fail(Violation{Invariant: I9OneOrder, Thread: t.ID, User: msg.Author, Other: msg.Author, Seq: Seq(i + 1),
				Expected: "each message once", Seen: fmt.Sprintf("the message of position %d again", s)})
		}
		keys[msg.Key] = Seq(i + 1)
	}
	log := t.r().log
	for i := 1; i < len(log); i++ {
		if log[i].Pos < log[i-1].Pos {
			c.fail(Violation{Invariant: I9OneOrder, Thread: t.ID, User: log[i].User, Other: log[i].User,
				Expected: fmt.Sprintf("event after position %d", log[i-1].Pos), Seen: fmt.Sprintf("%s at position %d", log[i].Kind, log[i].Pos)})
		}
	}
}

// reset readies r to replay t, keeping what it has allocated.
func (r *replay) reset(t *Thread) {
	r.t, r.pair, r.cohorts = t, t.Init, 0
	r.members, r.mem, r.order, r.marks = reuse(r.members), r.mem[:0], r.order[:0], r.marks[:0]
	r.hides, r.gone, r.deleted, r.inBlock = reuse(r.hides), reuse(r.gone), reuse(r.deleted), reuse(r.inBlock)
}

// member returns u's membership in the replay, or nil. The pointer is good
// until the next join.
func (r *replay) member(u UserID) *Member {
	i, ok := r.members[u]
	if !ok {
		return nil
	}
	return &r.mem[i]
}

func (r *replay) join(u UserID, at Seq) {
	if m := r.member(u); m != nil {
		*m = Member{User: u, Joined: at}
		return
	}
	r.members[u] = int32(len(r.mem))
	r.mem = append(r.mem, Member{User: u, Joined: at})
	r.order = append(r.order, u)
}

// event applies one log entry to the replay, checking it was allowed.
func (c *checker) event(r *replay, e *Event) {
	t, p := r.t, c.p
	c.checked++
	switch e.Kind {
	case EvConnect:
		if r.pair.Blocks() {
			c.fail(Violation{Invariant: I6BlockCutsConnection, Thread: t.ID, User: e.User, Other: t.ID.Other(e.User),
				Expected: "no connection while a block stands", Seen: "connect applied"})
		}
		r.pair.Connected, r.pair.CutByBlock = true, false
	case EvDisconnect:
		r.pair.Connected, r.pair.CutByBlock = false, false
	case EvBlock:
		r.pair.BlockedBy[side(t.ID, e.User)] = true
		if p.BlockRemovesConnection && r.pair.Connected {
			r.pair.Connected, r.pair.CutByBlock = false, true
		}
		r.inBlock[e.User], r.inBlock[e.Other] = true, true
	case EvUnblock:
		r.pair.BlockedBy[side(t.ID, e.User)] = false
		if p.UnblockReconnects && r.pair.CutByBlock && !r.pair.Blocks() {
			r.pair.Connected, r.pair.CutByBlock = true, false
		}
	case EvJoin:
		r.join(e.User, e.Pos)
		if cs := c.s.Cohorts; cs != nil {
			r.cohorts |= cs.bit(e.User)
			c.p = cs.Merged(r.cohorts)
		}
	case EvLeave:
		if m := r.member(e.User); m != nil {
			m.leave(e.Pos)
		}
	case EvClear:
		if m := r.member(e.User); m != nil {
			m.Cleared = e.Pos
		}
	case EvDeleteMe:
		if a := t.messages[e.Seq-1].Author; a != e.User && !p.DeleteReceived {
			c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Other: a, Seq: e.Seq,
				Expected: "no delete of someone else's message", Seen: "delete for me applied"})
		}
		r.hides[hide{Seq: e.Seq, User: e.User}] = true
		r.deleted[e.Seq] = true
	case EvDeleteAll:
		msg := &t.messages[e.Seq-1]
		allowed := p.DeleteForEveryone && (!t.ID.IsGroup() || p.DeleteEveryoneInGroups) && msg.Author == e.User &&
			(p.DeleteWindow == 0 || e.At.Sub(msg.At) <= p.DeleteWindow)
		if !allowed {
			c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Seq: e.Seq,
				Expected: "delete for everyone not allowed by policy " + p.Name, Seen: "delete for everyone applied"})
		}
		r.gone[e.Seq] = e.User
		r.deleted[e.Seq] = true
		if p.NotifyOnDelete {
			for _, u := range r.order {
				if m := r.member(u); u != e.User && m.seen(e.Seq) && !m.Gone() {
					c.deletes[u]++
				}
			}
		}
	case EvMark:
		r.marks = append(r.marks, mark{Blocker: e.User, Blocked: e.Other, From: e.Pos})
		r.inBlock[e.User], r.inBlock[e.Other] = true, true
	case EvUnmark:
		for i := range r.marks {
			if mk := &r.marks[i]; mk.Blocker == e.User && mk.Blocked == e.Other && mk.Until == 0 {
				mk.Until = e.Pos
				if mk.Until == mk.From { // hid nothing; Until 0 would read as open
					r.marks = append(r.marks[:i], r.marks[i+1:]...)
				}
				break
			}
		}
	}
}

// append checks that the message at s was allowed when the thread took it
// (I4, I8, I11) and counts the deliveries it implies.
func (c *checker) append(r *replay, s Seq) {
	t, p := r.t, c.p
	msg := &t.messages[s-1]
	c.checked++
	if t.ID.IsGroup() {
		if m := r.member(msg.Author); m == nil || m.Gone() {
			c.fail(Violation{Invariant: I8Delivery, Thread: t.ID, User: msg.Author, Seq: s,
				Expected: "only members post", Seen: "a message from a non-member"})
		}
	} else {
		other := t.ID.Other(msg.Author)
		sa := side(t.ID, msg.Author)
		if r.pair.BlockedBy[1-sa] || (p.BlockMutual && r.pair.BlockedBy[sa]) {
			c.fail(Violation{Invariant: I4BlockStopsTraffic, Thread: t.ID, User: other, Other: msg.Author, Seq: s,
				Expected: "no message across a block", Seen: "message accepted"})
		}
		if p.RequireConnection && !r.pair.Connected {
			c.fail(Violation{Invariant: I11ConnectionRule, Thread: t.ID, User: other, Other: msg.Author, Seq: s,
				Expected: "connected users only", Seen: "message between non-connections"})
		}
	}
	for _, u := range r.order {
		m := r.member(u)
		if u == msg.Author || m.Gone() || s <= m.Joined {
			continue
		}
		if r.marked(u, msg.Author, s) {
			c.hidden[u]++
		} else {
			c.received[u]++
		}
	}
}

func (r *replay) marked(viewer, author UserID, s Seq) bool {
	for _, mk := range r.marks {
		if mk.Blocker == viewer && mk.Blocked == author && s > mk.From && (mk.Until == 0 || s <= mk.Until) {
			return true
		}
	}
	return false
}

// expect returns the line u should see at s, and why a line is absent.
func (r *replay) expect(u UserID, s Seq, p *Policy) (Line, bool) {
	m := r.member(u)
	msg := &r.t.messages[s-1]
	if s <= m.Joined || (m.Gone() && s > m.Left()) || s <= m.Cleared {
		return Line{}, false
	}
	if msg.Author != u {
		if r.marked(u, msg.Author, s) {
			return Line{}, false
		}
		if p.BlockHidesHistory && !r.t.ID.IsGroup() && r.pair.BlockedBy[side(r.t.ID, u)] {
			return Line{}, false
		}
	}
	l := Line{Seq: s, Author: msg.Author, At: msg.At, Text: msg.Text}
	deleter, gone := r.gone[s]
	switch {
	case (gone && deleter == u) || r.hides[hide{Seq: s, User: u}]:
		l.Text, l.Tombstone = p.TombstoneSelf, true
	case gone:
		l.Text, l.Tombstone = p.TombstoneOthers, true
	}
	return l, !(l.Tombstone && l.Text == "")
}

// view compares u's view of the thread with the replay's (I1, I2, I5, I8, I9).
func (c *checker) view(r *replay, u UserID) {
	t := r.t
	c.lines = c.lines[:0]
	if mb := t.member(u); mb != nil { // one the thread lost sees nothing: compared below
		c.lines = t.appendView(c.lines, mb, c.s.PolicyOf(t))
	}
	got := c.lines
	c.checked++
	for i := 1; i < len(got); i++ {
		if got[i].Seq <= got[i-1].Seq {
			c.fail(Violation{Invariant: I9OneOrder, Thread: t.ID, User: u, Seq: got[i].Seq,
				Expected: fmt.Sprintf("after message %d", got[i-1].Seq), Seen: "out of order or repeated"})
			return
		}
	}
	next := got // the view's lines not yet compared; in order, checked above
	for s := Seq(1); int(s) <= len(t.messages); s++ {
		want, ok := r.expect(u, s, c.p)
		for len(next) > 0 && next[0].Seq < s { // a line of no message has nothing to compare with
			next = next[1:]
		}
		var have Line
		present := len(next) > 0 && next[0].Seq == s
		if present {
			have, next = next[0], next[1:]
		}
		switch {
		case ok && !present:
			c.fail(r.missing(u, s, want))
		case !ok && present:
			c.fail(Violation{Invariant: r.extraInvariant(u, s), Thread: t.ID, User: u, Other: have.Author, Seq: s,
				Expected: "no line", Seen: quote(have)})
		case ok && present && (want.Text != have.Text || want.Author != have.Author || want.At != have.At):
			inv := I8Delivery
			switch {
			case want.Tombstone:
				inv = I2Tombstone
			case have.Tombstone && r.deleted[s]:
				inv = I1DeleteLocality
			case have.Tombstone:
				inv = I2Tombstone
			}
			c.fail(Violation{Invariant: inv, Thread: t.ID, User: u, Other: want.Author, Seq: s,
				Expected: quote(want), Seen: quote(have)})
		}
	}
}

// missing classifies a line the view lacks.
func (r *replay) missing(u UserID, s Seq, want Line) Violation {
	v := Violation{Invariant: I8Delivery, Thread: r.t.ID, User: u, Other: want.Author, Seq: s,
		Expected: quote(want), Seen: "no line"}
	switch {
	case want.Tombstone:
		v.Invariant = I2Tombstone
	case r.deleted[s]:
		v.Invariant = I1DeleteLocality
	case r.inBlock[u]:
		v.Invariant = I5BlockKeepsHistory
	}
	return v
}

// extraInvariant classifies a line the view should not have.
func (r *replay) extraInvariant(u UserID, s Seq) Invariant {
	msg := &r.t.messages[s-1]
	switch {
	case r.deleted[s]:
		return I2Tombstone
	case msg.Author != u && r.marked(u, msg.Author, s):
		return I4BlockStopsTraffic
	}
	return I8Delivery
}

func quote(l Line) string {
	if l.Tombstone {
		return fmt.Sprintf("tombstone %q", l.Text)
	}
	return fmt.Sprintf("%q", l.Text)
}

// user checks a user's counters against the replayed deliveries (I3, I8,
// I10) and the user's replicas against the pairs' authority (I6, I7).
func (c *checker) user(u *User) {
	id, k := u.ID, &u.Counters
	c.checked++
	if k.Received != c.received[id] || k.Hidden != c.hidden[id] {
		inv := I8Delivery
		if k.Hidden < c.hidden[id] && k.Received > c.received[id] {
			inv = I4BlockStopsTraffic
		}
		c.fail(Violation{Invariant: inv, User: id, Other: id,
			Expected: fmt.Sprintf("%d visible and %d hidden deliveries", c.received[id], c.hidden[id]),
			Seen:     fmt.Sprintf("%d and %d", k.Received, k.Hidden)})
	}
	if !c.s.notifiesOnDelete() && (k.Notified[CauseDelete] > 0 || k.Deletes > 0) {
		c.fail(Violation{Invariant: I3SilentDelete, User: id, Other: id,
			Expected: "no delete notification", Seen: fmt.Sprintf("%d", k.Notified[CauseDelete])})
	} else if k.Deletes != c.deletes[id] {
		c.fail(Violation{Invariant: I3SilentDelete, User: id, Other: id,
			Expected: fmt.Sprintf("%d delete notices", c.deletes[id]), Seen: fmt.Sprintf("%d", k.Deletes)})
	}
	var raised uint32
	for _, n := range k.Notified {
		raised += n
	}
	for _, n := range k.Suppressed {
		raised += n
	}
	if in := k.Received + k.Hidden + k.Posts + k.Deletes; raised != in {
		c.fail(Violation{Invariant: I10Notifications, User: id, Other: id,
			Expected: fmt.Sprintf("%d notifications raised or suppressed for %d deliveries and notices", in, in),
			Seen:     fmt.Sprintf("%d", raised)})
	}
	c.replicas(u)
}

// replicas checks u's block sets where no direct thread holds the pair
// (then no block can exist), and adds u's connections to connSum.
//
// Where no direct thread holds a pair, neither side was ever changed, so
// the two users' replicas must agree; where one does, pairReplicas holds
// both replicas to it. Either way the connection relation is symmetric, and
// then the sum over every connection (u, v) of ±pairHash(min, max), plus
// for u < v and minus for u > v, is zero. One sequential pass computes it;
// asking each pair's other side and the threads map instead costs two cold
// reads per connection, which at a million users was most of the check. A
// sum that is not zero sends the check through oneSided, which finds the
// pairs.
func (c *checker) replicas(u *User) {
	for v := range u.connections {
		c.checked++
		switch {
		case v > u.ID:
			c.connSum += pairHash(u.ID, v)
		case v < u.ID:
			c.connSum -= pairHash(v, u.ID)
		default:
			c.connSum++ // connected to oneself: oneSided reports it
		}
	}
	s := c.s
	for _, set := range [2][]UserID{u.Blocked(), u.BlockedBy()} {
		for _, v := range set {
			if !s.threads().Has(Direct(u.ID, v)) {
				c.fail(Violation{Invariant: I7Profiles, User: u.ID, Other: v, Thread: Direct(u.ID, v),
					Expected: "no block", Seen: "a block in the user's replica"})
			}
		}
	}
}

// pairHash is a 64-bit hash of the pair a < b. Two different multisets of
// pairs have the same sum with probability about 2^-64.
func pairHash(a, b UserID) uint64 { return mix64(0x6d736773696d, uint64(a)<<32|uint64(b)) }

// oneSided finds u's connections that the other side does not hold, where
// no direct thread holds the pair.
func (c *checker) oneSided(u *User) {
	s := c.s
	for v := range u.connections {
		if s.threads().Has(Direct(u.ID, v)) {
			continue
		}
		if int(v) >= len(s.Users) || v == u.ID || !s.Users[v].Connected(u.ID) {
			c.fail(Violation{Invariant: I6BlockCutsConnection, User: u.ID, Other: v, Thread: Direct(u.ID, v),
				Expected: "connection held on both sides", Seen: "held by one side only"})
		}
	}
}

// pairReplicas checks both users' replicas of a direct thread's pair state:
// connections (I6) and blocks, on which profile views are judged (I7).
func (c *checker) pairReplicas(t *Thread) {
	a, b := t.ID.Pair()
	if int(b) >= len(c.s.Users) {
		return
	}
	for sd, u := range [2]UserID{a, b} {
		usr, v := &c.s.Users[u], t.ID.Other(u)
		c.checked++
		if usr.Connected(v) != t.Pair.Connected {
			c.fail(Violation{Invariant: I6BlockCutsConnection, Thread: t.ID, User: u, Other: v,
				Expected: fmt.Sprintf("connected %v", t.Pair.Connected), Seen: fmt.Sprintf("connected %v in the user's replica", usr.Connected(v))})
		}
		if usr.Blocks(v) != t.Pair.BlockedBy[sd] || usr.blockedBy(v) != t.Pair.BlockedBy[1-sd] {
			c.fail(Violation{Invariant: I7Profiles, Thread: t.ID, User: u, Other: v,
				Expected: fmt.Sprintf("blocks %v", t.Pair.BlockedBy), Seen: "a different block in the user's replica"})
		}
	}
}

// notifiesOnDelete reports whether any policy of the run notifies on a
// delete for everyone.
func (s *State) notifiesOnDelete() bool {
	if s.Cohorts == nil {
		return s.Policy.NotifyOnDelete
	}
	for _, c := range s.Cohorts.list {
		if c.Policy.NotifyOnDelete {
			return true
		}
	}
	return false
}
