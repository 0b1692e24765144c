package sim

import (
	"fmt"
	"strings"
)

// Invariant numbers a rule of DESIGN.md section 3 (I1 to I11) or one the
// checker adds (I12 to I15, described in doc.go).
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
	I12Inbox
	I13GroupAdditions
	I14PostFanOut
	I15Edits
	NumInvariants = 15
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

// Check verifies every invariant on a state at quiescence against x, what
// the caller expects of each policy in force, and returns the number of
// checks made and every violation found.
//
// It trusts neither the threads' derived state nor the users': it replays
// each thread's messages and log, judging every append, delete, edit and
// membership change by x at the point where the thread applied it, and
// recomputes every member's view and what the thread must have sent each
// user. It then replays each user's own history (what reached the user
// and what the user decided, in the order the user applied it) and
// recomputes from it the notifications raised and suppressed, the inbox,
// and the outcome of every decision the user made on its own state; and
// it ties the two sides together: what the threads sent is what the
// users received, the block marks in groups are those the blockers'
// histories call for, and every group member was added by a decision
// that allowed it. Everything compared holds for any interleaving of
// operations, because each thread's log is the order in which that
// thread applied its steps and each user's history the order in which
// that user applied its own.
func (s *State) Check(x Expectations) (checked int, vs []Violation) {
	pc := &PartCheck{}
	pc.c.init(s.part(), x)
	pc.Threads()
	pc.Users()
	if pc.ConnSum() != 0 {
		pc.OneSided()
	}
	pc.Tie()
	checked, vs, _ = pc.Result()
	return checked, vs
}

// checker is the state of a check of one Part (PartCheck): the whole
// population's in Check.
type checker struct {
	p       *Part
	x       expects
	e       *Expect // the expectations of the thread being replayed
	checked int
	vs      []Violation
	ranks   []Rank // of each violation in vs
	rank    Rank   // of the violations found now
	connSum uint64 // zero when connections are symmetric; see replicas
	initSum uint64 // zero when direct threads started from the graph's pair states; see initial

	// What the threads sent each user held here, by slot (Part.slot):
	// a sum of hashes of the deliveries and membership changes (fact),
	// from which each user's history subtracts what it received, and
	// counts for the texts; away holds what they sent users held
	// elsewhere, for notes.
	facts []UserFacts
	away  map[UserID]*UserFacts
	// Posts: notices each author held here sent and received from it;
	// postsAway, notices received from authors held elsewhere.
	posts     []postCount
	postsAway map[UserID]uint32
	// pairs holds each direct thread's sequence of pair states, as a
	// hash, for the users' histories to match.
	pairs map[ThreadID]*pairTrack
	// marks as the groups applied them and as the blockers' histories
	// call for them; joins as the groups applied them and the additions
	// users decided.
	marksDone, marksDue []markFact
	joins               []joinFact
	groups              []groupJoins // each group's joins in joins
	creates             []createFact
	adds                []addFact
	notes               []Note // for other parts

	r     replay // reused from thread to thread
	keys  map[MsgKey]Seq
	lines []Line // a view, reused from member to member
	u     userReplay
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

func (c *checker) fail(v Violation) {
	c.vs = append(c.vs, v)
	c.ranks = append(c.ranks, c.rank)
}

// fact hashes one thing a thread sent a user (a delivery, a join, a
// leave, a delete_thread's effect): the thread pass adds it to the user's
// sum, the user's history subtracts it, and the sums end at zero when
// both sides saw the same multiset. Two different multisets have the same
// sum with probability about 2^-64.
func fact(t ThreadID, k hkind, flags uint8, s Seq, author UserID) uint64 {
	h := mix64(0x666163740a, uint64(t))
	h = mix64(h, uint64(k)<<40|uint64(flags)<<32|uint64(s))
	return mix64(h, uint64(author))
}

// sent adds a fact to what the threads sent u.
func (c *checker) sent(u UserID, h uint64) {
	if f := c.to(u); f != nil {
		f.Sum += h
		f.Steps++
	}
}

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
	edits   map[Seq]uint8
	marks   []mark
	inBlock map[UserID]bool // users party to a block in this thread: their history is at stake
	cohorts uint8           // a group's cohorts so far
	pairs   int             // pair states sent so far
	pairSum uint64
	created bool // a group's first join seen
}

func (c *checker) thread(t *Thread) {
	r := &c.r
	r.reset(t)
	c.rank = Rank{Pass: passThreads, ID: uint64(t.ID)}
	if t.ID.IsGroup() {
		c.e = c.x.get(0) // the cohorts of its members so far: joined widens it
	} else {
		c.e = c.x.get(c.setOf(t))
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
	c.edited(r)
	c.checked++
	if !t.ID.IsGroup() {
		if r.pair != t.Pair {
			inv := I6BlockCutsConnection
			if r.pair.BlockedBy != t.Pair.BlockedBy {
				inv = I4BlockStopsTraffic
			}
			a, b := t.ID.Pair()
			c.fail(Violation{Invariant: inv, Thread: t.ID, User: a, Other: b,
				Expected: fmt.Sprintf("pair %+v", r.pair), Seen: fmt.Sprintf("pair %+v", t.Pair)})
		}
		c.initial(t)
		if r.pairs > 0 {
			c.track(t.ID, r.pairSum, r.pairs)
		}
	} else {
		c.openMarks(r)
	}
	for _, u := range r.order {
		c.view(r, u)
	}
}

// setOf returns the cohort set t spans, 0 without cohorts.
func (c *checker) setOf(t *Thread) uint8 {
	if c.p.Cohorts == nil {
		return 0
	}
	return c.p.Cohorts.set(t)
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
	r.t, r.pair, r.cohorts, r.pairs, r.pairSum, r.created = t, t.Init, 0, 0, 0, false
	r.members, r.mem, r.order, r.marks = reuse(r.members), r.mem[:0], r.order[:0], r.marks[:0]
	r.hides, r.gone, r.deleted, r.inBlock = reuse(r.hides), reuse(r.gone), reuse(r.deleted), reuse(r.inBlock)
	r.edits = reuse(r.edits)
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
	t := r.t
	c.checked++
	switch e.Kind {
	case EvConnect, EvDisconnect, EvBlock, EvUnblock:
		c.pairEvent(r, e)
	case EvJoin:
		c.joined(r, e)
	case EvLeave:
		if m := r.member(e.User); m != nil {
			m.leave(e.Pos)
		}
		c.sent(e.User, fact(t.ID, hLeft, 0, 0, 0))
	case EvClear:
		if m := r.member(e.User); m != nil {
			m.Cleared = e.Pos
		}
		c.sent(e.User, fact(t.ID, hCleared, 0, 0, 0))
	case EvDeleteMe:
		c.deleteMe(r, e)
	case EvDeleteAll:
		c.deleteAll(r, e)
	case EvEdit:
		c.edit(r, e)
	case EvMark, EvUnmark:
		c.markEvent(r, e)
	}
}

// pairEvent applies a connect, disconnect, block or unblock, and records
// the pair state the thread then sent both users (PairChanged) when it
// changed.
func (c *checker) pairEvent(r *replay, e *Event) {
	t, x := r.t, c.e
	old := r.pair
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
		if x.BlockRemovesConnection && r.pair.Connected {
			r.pair.Connected, r.pair.CutByBlock = false, true
		}
		r.inBlock[e.User], r.inBlock[e.Other] = true, true
	case EvUnblock:
		r.pair.BlockedBy[side(t.ID, e.User)] = false
		if x.UnblockReconnects && r.pair.CutByBlock && !r.pair.Blocks() {
			r.pair.Connected, r.pair.CutByBlock = true, false
		}
	}
	if r.pair != old {
		r.pairs++
		r.pairSum += pairFact(r.pair, r.pairs)
	}
}

// pairFact hashes the n-th pair state a direct thread sent, as its lower
// user holds it.
func pairFact(p PairState, n int) uint64 {
	return mix64(0x70616972, uint64(n)<<8|uint64(pairFlags(p, 0)))
}

// pairTrack is a direct thread's sequence of pair states and which of its
// users' histories matched it.
type pairTrack struct {
	sum  uint64
	n    int
	seen [2]bool
}

// joined applies a join: at a group's creation the owner joins first (by
// themself), then the members the owner named; later joins are
// additions. Each is something the thread sent the user (Joined).
func (c *checker) joined(r *replay, e *Event) {
	t := r.t
	r.join(e.User, e.Pos)
	c.sent(e.User, fact(t.ID, hJoined, 0, e.Pos, 0))
	if cs := c.p.Cohorts; cs != nil {
		r.cohorts |= cs.bit(e.User)
		c.e = c.x.get(r.cohorts)
	}
	if !t.ID.IsGroup() {
		return
	}
	if !r.created {
		r.created = true
		c.groups = append(c.groups, groupJoins{group: t.ID, from: len(c.joins)})
	}
	c.joins = append(c.joins, joinFact{user: e.User, by: e.Other})
	c.groups[len(c.groups)-1].to = len(c.joins)
}

// deleteMe applies a delete for me, checking it was allowed (I1).
func (c *checker) deleteMe(r *replay, e *Event) {
	t, x := r.t, c.e
	msg := &t.messages[e.Seq-1]
	switch {
	case !r.saw(e.User, e.Seq):
		c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Other: msg.Author, Seq: e.Seq,
			Expected: "no delete by one who never received the message", Seen: "delete for me applied"})
	case msg.Author != e.User && !x.DeleteReceived:
		c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Other: msg.Author, Seq: e.Seq,
			Expected: "no delete of someone else's message under " + x.Name, Seen: "delete for me applied"})
	case r.hides[hide{Seq: e.Seq, User: e.User}] || r.goneBy(e.Seq):
		c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Other: msg.Author, Seq: e.Seq,
			Expected: "already_deleted", Seen: "a second delete applied"})
	}
	r.hides[hide{Seq: e.Seq, User: e.User}] = true
	r.deleted[e.Seq] = true
}

// saw reports whether u received the message at s as a member.
func (r *replay) saw(u UserID, s Seq) bool {
	m := r.member(u)
	return m != nil && m.seen(s)
}

// goneBy reports whether the message at s was deleted for everyone, by
// user 0 (the map's zero value says nothing about that user).
func (r *replay) goneBy(s Seq) bool {
	_, ok := r.gone[s]
	return ok
}

// deleteAll applies a delete for everyone, checking it against x: the
// policy has it (in groups too), the deleter is the author, within the
// window (I1); and counts the delete notices it calls for (I3).
func (c *checker) deleteAll(r *replay, e *Event) {
	t, x := r.t, c.e
	msg := &t.messages[e.Seq-1]
	var why string
	switch {
	case !x.DeleteForEveryone || (t.ID.IsGroup() && !x.DeleteEveryoneInGroups):
		why = "no delete for everyone under " + x.Name
	case msg.Author != e.User:
		why = "no delete for everyone of someone else's message"
	case !r.saw(e.User, e.Seq):
		why = "no delete by one who never received the message"
	case r.goneBy(e.Seq):
		why = "already_deleted"
	case x.DeleteWindow > 0 && e.At.Sub(msg.At) > x.DeleteWindow:
		why = fmt.Sprintf("no delete for everyone after %s (%s after the send)", x.DeleteWindow, e.At.Sub(msg.At))
	}
	if why != "" {
		c.fail(Violation{Invariant: I1DeleteLocality, Thread: t.ID, User: e.User, Other: msg.Author, Seq: e.Seq,
			Expected: why, Seen: "delete for everyone applied"})
	}
	r.gone[e.Seq] = e.User
	r.deleted[e.Seq] = true
	if !x.NotifyOnDelete {
		return
	}
	for _, u := range r.order {
		if m := r.member(u); u != e.User && m.seen(e.Seq) && !m.HasLeft() {
			if f := c.to(u); f != nil {
				f.Deletes++
			}
		}
	}
}

// edit applies an edit, checking it against x (I15): the policy has
// edits, the editor is the author, the message is not deleted in the
// editor's view, within the window and under the limit.
func (c *checker) edit(r *replay, e *Event) {
	t, x := r.t, c.e
	msg := &t.messages[e.Seq-1]
	n := r.edits[e.Seq]
	var why string
	switch {
	case !x.Edit:
		why = "no edit under " + x.Name
	case x.EditLimit > 0 && int(n) >= x.EditLimit:
		why = fmt.Sprintf("at most %d edits", x.EditLimit)
	case n == 255:
		why = "at most 255 edits"
	case msg.Author != e.User:
		why = "no edit of someone else's message"
	case !r.saw(e.User, e.Seq):
		why = "no edit by one who never received the message"
	case r.goneBy(e.Seq) || r.hides[hide{Seq: e.Seq, User: e.User}]:
		why = "no edit of a deleted message"
	case x.EditWindow > 0 && e.At.Sub(msg.At) > x.EditWindow:
		why = fmt.Sprintf("no edit after %s (%s after the send)", x.EditWindow, e.At.Sub(msg.At))
	}
	if why != "" {
		c.fail(Violation{Invariant: I15Edits, Thread: t.ID, User: e.User, Other: msg.Author, Seq: e.Seq,
			Expected: why, Seen: "edit applied"})
	}
	r.edits[e.Seq] = n + 1
}

// edited checks that each message counts the edits the log holds (I15).
func (c *checker) edited(r *replay) {
	t := r.t
	for i := range t.messages {
		n := uint8(0)
		if len(r.edits) > 0 {
			n = r.edits[Seq(i+1)]
		}
		if t.messages[i].Edits != n {
			c.fail(Violation{Invariant: I15Edits, Thread: t.ID, User: t.messages[i].Author, Other: t.messages[i].Author, Seq: Seq(i + 1),
				Expected: fmt.Sprintf("%d edits as the log holds", n), Seen: fmt.Sprintf("%d", t.messages[i].Edits)})
		}
	}
}

// append checks that the message at s was allowed when the thread took it
// (I4, I8, I11) and adds the deliveries it implies to the members' facts.
func (c *checker) append(r *replay, s Seq) {
	t, x := r.t, c.e
	msg := &t.messages[s-1]
	c.checked++
	if t.ID.IsGroup() {
		if m := r.member(msg.Author); m == nil || m.HasLeft() {
			c.fail(Violation{Invariant: I8Delivery, Thread: t.ID, User: msg.Author, Seq: s,
				Expected: "only members post", Seen: "a message from a non-member"})
		}
	} else {
		other := t.ID.Other(msg.Author)
		sa := side(t.ID, msg.Author)
		if r.pair.BlockedBy[1-sa] || (x.BlockMutual && r.pair.BlockedBy[sa]) {
			c.fail(Violation{Invariant: I4BlockStopsTraffic, Thread: t.ID, User: other, Other: msg.Author, Seq: s,
				Expected: "no message across a block", Seen: "message accepted"})
		}
		if x.RequireConnection && !r.pair.Connected {
			c.fail(Violation{Invariant: I11ConnectionRule, Thread: t.ID, User: other, Other: msg.Author, Seq: s,
				Expected: "connected users only", Seen: "message between non-connections"})
		}
	}
	for _, u := range r.order {
		m := r.member(u)
		if m.HasLeft() || s <= m.Joined {
			continue
		}
		to := c.to(u)
		if to == nil {
			continue
		}
		var f uint8
		switch {
		case u == msg.Author:
			f = hSender | hVisible
		case r.marked(u, msg.Author, s):
			to.Hidden++
		default:
			f = hVisible
			to.Received++
		}
		to.Sum += fact(t.ID, hDelivered, f, s, msg.Author)
		to.Steps++
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

// blocking reports whether viewer blocks author at the end of the replay:
// in a direct thread by the pair's state, in a group by an open mark
// (tieMarks holds the marks to the blocker's own block history).
func (r *replay) blocking(viewer, author UserID) bool {
	if !r.t.ID.IsGroup() {
		return r.pair.BlockedBy[side(r.t.ID, viewer)]
	}
	for _, mk := range r.marks {
		if mk.Blocker == viewer && mk.Blocked == author && mk.Until == 0 {
			return true
		}
	}
	return false
}

// expect returns the line u should see at s, and why a line is absent.
func (r *replay) expect(u UserID, s Seq, x *Expect) (Line, bool) {
	m := r.member(u)
	msg := &r.t.messages[s-1]
	if s <= m.Joined || (m.HasLeft() && s > m.Left()) || s <= m.Cleared {
		return Line{}, false
	}
	if msg.Author != u {
		if r.marked(u, msg.Author, s) {
			return Line{}, false
		}
		if x.BlockHidesHistory && r.blocking(u, msg.Author) {
			return Line{}, false
		}
	}
	l := Line{Seq: s, Author: msg.Author, At: msg.At, Text: msg.Text}
	deleter, gone := r.gone[s]
	switch {
	case (gone && deleter == u) || r.hides[hide{Seq: s, User: u}]:
		l.Text, l.Tombstone = x.TombstoneSelf, true
	case gone:
		l.Text, l.Tombstone = x.TombstoneOthers, true
	}
	return l, !(l.Tombstone && l.Text == "")
}

// view compares u's view of the thread with the replay's (I1, I2, I5, I8, I9).
func (c *checker) view(r *replay, u UserID) {
	t := r.t
	c.lines = c.lines[:0]
	if mb := t.member(u); mb != nil { // one the thread lost sees nothing: compared below
		c.lines = t.appendView(c.lines, mb, c.p.PolicyOf(t))
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
		want, ok := r.expect(u, s, c.e)
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
