package sim

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
)

// userReplay is a user rebuilt from the user's own history: the checker's
// model of the inbox, the settings, the replicas of the user's pairs and
// the notifications, recomputed record by record in the order the user
// applied them.
type userReplay struct {
	u         *User
	slot      int     // u's in the part
	x         *Expect // the user's own cohort's: unarchive on new message
	idx       map[uint64]int32
	ts        []uthread
	pidx      map[UserID]int32
	ps        []upair
	conns     int // connections now
	notifyOff bool
	tick      uint32
	open      map[markKey]int32 // marks this user opened and did not close, by group and blocked user
	shown     []shown           // inbox: the entries shown, by tick

	notified                         [NumCauses]uint32
	suppressed                       [NumReasons]uint32
	received, hidden, posts, deletes uint32
	facts                            uint64 // what the user received of the threads, as checker.facts sums it
	steps                            uint32
}

// got takes a fact of what the threads sent into the user's sum.
func (ur *userReplay) got(h uint64) {
	ur.facts += h
	ur.steps++
}

// uthread is the model of one inbox entry.
type uthread struct {
	key                                uint64 // histKey with the group flag at bit 32
	unread, tick                       uint32
	last                               Seq // the last message delivered, or the join position
	archived, muted, removed, isMember bool
}

// upair is the model of the user's replica of one pair, with the sequence
// of states received as a hash.
// thread returns the thread the entry is for, of user u.
func (e *uthread) thread(u UserID) ThreadID {
	if e.key>>32 != 0 {
		return Group(uint32(e.key))
	}
	return Direct(u, UserID(e.key))
}

type upair struct {
	v                            UserID
	connected, blocks, blockedBy bool
	n                            int
	sum                          uint64
}

type markKey struct {
	group   ThreadID
	blocked UserID
}

func threadKey(r *hrec) uint64 {
	k := uint64(r.key)
	if r.group {
		k |= 1 << 32
	}
	return k
}

func (ur *userReplay) reset(u *User, slot int, x *Expect) {
	ur.u, ur.slot, ur.x = u, slot, x
	ur.idx, ur.ts = reuse(ur.idx), ur.ts[:0]
	ur.pidx, ur.ps = reuse(ur.pidx), ur.ps[:0]
	ur.open = reuse(ur.open)
	ur.conns, ur.notifyOff, ur.tick = len(u.conns), false, 0
	ur.notified, ur.suppressed = [NumCauses]uint32{}, [NumReasons]uint32{}
	ur.received, ur.hidden, ur.posts, ur.deletes = 0, 0, 0, 0
	ur.facts, ur.steps = 0, 0
}

// find returns the model's entry for the record's thread, or nil.
func (ur *userReplay) find(r *hrec) *uthread {
	if i, ok := ur.idx[threadKey(r)]; ok {
		return &ur.ts[i]
	}
	return nil
}

// entry returns the model's entry for the record's thread, making one as
// a thread's first step to a user makes one: a member's.
func (ur *userReplay) entry(r *hrec) *uthread {
	if e := ur.find(r); e != nil {
		return e
	}
	ur.idx[threadKey(r)] = int32(len(ur.ts))
	ur.ts = append(ur.ts, uthread{key: threadKey(r), isMember: true})
	return &ur.ts[len(ur.ts)-1]
}

// pair returns the model of u's replica of its pair with v, as the graph
// gave it until the first pair state received.
func (ur *userReplay) pair(v UserID) upair {
	if i, ok := ur.pidx[v]; ok {
		return ur.ps[i]
	}
	return upair{v: v, connected: has(ur.u.conns, v)}
}

func (ur *userReplay) touch(e *uthread) {
	ur.tick++
	e.tick = ur.tick
}

// show is what a message the user sees does to its entry (R4, R5, R11).
func (ur *userReplay) show(e *uthread) {
	e.removed = false
	if ur.x.UnarchiveOnNewMessage {
		e.archived = false
	}
	ur.touch(e)
}

// notify recomputes one notification (R2, R6, R7, R9): suppressed when
// the user blocks its author, then when the thread is muted (messages and
// delete notices only), then when notifications are off.
func (ur *userReplay) notify(c Cause, author UserID, e *uthread) {
	switch p := ur.pair(author); {
	case p.blocks, c == CausePost && p.blockedBy: // R7; R9: no post across a block either way
		ur.suppressed[ReasonBlocked]++
	case e != nil && e.muted && c != CausePost:
		ur.suppressed[ReasonMuted]++
	case ur.notifyOff:
		ur.suppressed[ReasonSettings]++
	default:
		ur.notified[c]++
	}
}

// user replays the history of u, in slot i, and compares what it implies
// with u's state.
func (c *checker) user(u *User, i int) {
	ur := &c.u
	set := uint8(0)
	if cs := c.p.Cohorts; cs != nil {
		set = cs.bit(u.ID)
	}
	ur.reset(u, i, c.x.get(set))
	c.rank = Rank{Pass: passUsers, ID: uint64(u.ID)}
	c.checked++
	if u.hist.full() {
		c.replicas(u) // a user past maxHistory is judged on its replicas alone
		return
	}
	d := histReader{b: u.hist.bytes()}
	var r hrec
	for d.next(&r) {
		c.checked++
		c.record(ur, &r)
	}
	if d.bad {
		c.fail(Violation{Invariant: I8Delivery, User: u.ID, Other: u.ID,
			Expected: "a history of whole records", Seen: fmt.Sprintf("bytes that do not decode at %d of %d", d.off, len(d.b))})
	}
	c.deliveries(ur)
	c.notifications(ur)
	c.inbox(ur)
	c.userPairs(ur)
	c.replicas(u)
}

// record applies one history record to the model, judging the decisions
// the user made on its own state at that point.
func (c *checker) record(ur *userReplay, r *hrec) {
	id := ur.u.ID
	switch r.kind {
	case hDelivered:
		c.delivered(ur, r)
	case hJoined:
		ur.got(fact(r.thread(id), hJoined, 0, r.seq, 0))
		e := ur.entry(r)
		c.inOrder(ur, r, e, r.seq < e.last)
		e.last = r.seq
		e.isMember, e.removed = true, false
		ur.touch(e)
		if g := r.thread(id); g.IsGroup() {
			c.joinedBlocking(ur, g, r.seq)
		}
	case hLeft:
		ur.got(fact(r.thread(id), hLeft, 0, 0, 0))
		ur.entry(r).isMember = false
	case hCleared:
		ur.got(fact(r.thread(id), hCleared, 0, 0, 0))
		e := ur.entry(r)
		e.removed, e.unread = true, 0
	case hPair:
		c.pairChanged(ur, r)
	case hPostNotice:
		c.postGot(UserID(r.key))
		ur.posts++
		ur.notify(CausePost, UserID(r.key), nil)
	case hDeleteNotice:
		ur.deletes++
		ur.notify(CauseDelete, r.authorOf(id), ur.find(r))
	case hInbox, hInboxMissing:
		c.inboxAction(ur, r)
	case hNotify:
		ur.notifyOff = r.flags&hOn == 0
	case hProfile:
		p := ur.pair(UserID(r.key))
		if refused := r.flags&hRefused != 0; refused != (p.blocks || p.blockedBy) {
			c.fail(Violation{Invariant: I7Profiles, User: id, Other: UserID(r.key),
				Expected: fmt.Sprintf("view_profile %s on the user's replica then", outcomeOn(p.blocks || p.blockedBy, Blocked)),
				Seen:     outcomeOn(refused, Blocked).String()})
		}
	case hAdd:
		c.decided(ur, r, []UserID{r.author})
	case hCreate:
		c.decided(ur, r, r.members)
	case hPost:
		if int(r.n) != ur.conns {
			c.fail(Violation{Invariant: I14PostFanOut, User: id, Other: id,
				Expected: fmt.Sprintf("a notice to each of the %d connections the user had then", ur.conns), Seen: fmt.Sprintf("%d notices", r.n)})
		}
		c.posts[ur.slot].sent += r.n
	}
}

func outcomeOn(refused bool, o Outcome) Outcome {
	if refused {
		return o
	}
	return OK
}

// inOrder reports a thread's step that reached the user out of the
// thread's order (I9): a thread sends its steps to a member in the order
// it applied them.
func (c *checker) inOrder(ur *userReplay, r *hrec, e *uthread, late bool) {
	if late {
		c.fail(Violation{Invariant: I9OneOrder, Thread: r.thread(ur.u.ID), User: ur.u.ID, Other: ur.u.ID, Seq: r.seq,
			Expected: fmt.Sprintf("after message %d", e.last), Seen: "a step of the thread out of order"})
	}
}

// delivered applies a delivery (R2, R5, R7, R11).
func (c *checker) delivered(ur *userReplay, r *hrec) {
	id := ur.u.ID
	author := r.authorOf(id)
	ur.got(fact(r.thread(id), hDelivered, r.flags&(hSender|hVisible), r.seq, author))
	e := ur.entry(r)
	c.inOrder(ur, r, e, r.seq <= e.last)
	e.last = r.seq
	switch {
	case r.flags&hSender != 0:
		e.unread = 0
		ur.show(e)
	case r.flags&hVisible == 0:
		ur.hidden++
		ur.suppressed[ReasonBlocked]++
	default:
		ur.received++
		if e.unread < MaxUnread {
			e.unread++
		}
		ur.show(e)
		ur.notify(CauseMessage, author, e)
	}
}

// inboxAction judges archive, unarchive, mute, unmute and read: not_found
// exactly when no step of the thread ever reached the user (R5, R6, R11).
func (c *checker) inboxAction(ur *userReplay, r *hrec) {
	e := ur.find(r)
	a := inboxActions[min(int(r.flags), len(inboxActions)-1)]
	if found := r.kind == hInbox; found != (e != nil) {
		c.fail(Violation{Invariant: I12Inbox, Thread: r.thread(ur.u.ID), User: ur.u.ID, Other: ur.u.ID,
			Expected: fmt.Sprintf("%s %s: the thread is in the user's index %v", a, outcomeOn(e == nil, NotFound), e != nil),
			Seen:     outcomeOn(!found, NotFound).String()})
	}
	if e == nil || r.kind != hInbox {
		return
	}
	switch a {
	case Archive:
		e.archived = true
	case Unarchive:
		e.archived = false
	case Mute:
		e.muted = true
	case Unmute:
		e.muted = false
	case Read:
		e.unread = 0
	}
}

// pairChanged takes a pair state the direct thread sent into the model,
// and, when the user's own block changed, calls for a block mark (or its
// end) in every group the user is a member of: messages the blocked user
// posts there after the block are not shown to the blocker (R7).
func (c *checker) pairChanged(ur *userReplay, r *hrec) {
	v := UserID(r.key)
	i, ok := ur.pidx[v]
	if !ok {
		i = int32(len(ur.ps))
		ur.ps = append(ur.ps, ur.pair(v))
		ur.pidx[v] = i
	}
	p := &ur.ps[i]
	was := *p
	p.connected, p.blocks, p.blockedBy = r.flags&hConnected != 0, r.flags&hBlocks != 0, r.flags&hBlockedBy != 0
	p.n++
	canon := PairState{Connected: p.connected}
	s := side(Direct(ur.u.ID, v), ur.u.ID)
	canon.BlockedBy[s], canon.BlockedBy[1-s] = p.blocks, p.blockedBy
	p.sum += pairFact(canon, p.n)
	switch {
	case p.connected && !was.connected:
		ur.conns++
	case !p.connected && was.connected:
		ur.conns--
	}
	if p.blocks == was.blocks {
		return
	}
	for i := range ur.ts {
		e := &ur.ts[i]
		if e.key&(1<<32) == 0 {
			continue
		}
		switch k := (markKey{group: Group(uint32(e.key)), blocked: v}); {
		case p.blocks && ur.open[k] == 0: // in a group the user left too: its history may be hidden
			c.markDue(ur, k, true, e.last)
		case !p.blocks && ur.open[k] != 0:
			c.markDue(ur, k, false, e.last)
		}
	}
}

// markDue calls for a block mark's start or end in a group, which cannot
// take effect before message pos, the last the user had received there.
// A group holds at most one open mark of a blocker's on a blocked user.
func (c *checker) markDue(ur *userReplay, k markKey, on bool, pos Seq) {
	if on {
		ur.open[k] = 1
	} else {
		ur.open[k] = 0
	}
	if !c.p.holds(k.group) {
		c.note(Note{Kind: NoteMark, Thread: k.group, User: ur.u.ID, Other: k.blocked, On: on, Seq: pos})
		return
	}
	c.marksDue = append(c.marksDue, markFact{group: k.group, blocker: ur.u.ID, blocked: k.blocked, on: on, pos: pos})
}

// joinedBlocking calls for a mark in group g, just joined at message pos,
// on everyone the user blocks then: what they post there from then on is
// not shown to the user (R7), whenever the user joined.
func (c *checker) joinedBlocking(ur *userReplay, g ThreadID, pos Seq) {
	for v, i := range ur.pidx {
		if k := (markKey{group: g, blocked: v}); ur.ps[i].blocks && ur.open[k] == 0 {
			c.markDue(ur, k, true, pos)
		}
	}
}

// decided judges a group creation's or addition's own check on the user's
// replica then (R1g): blocked when a block stands with any user added,
// else not_connected when one is not a connection. Allowed ones are kept
// to account for the joins the groups applied.
func (c *checker) decided(ur *userReplay, r *hrec, added []UserID) {
	want := OK
	for _, v := range added {
		p := ur.pair(v)
		switch {
		case p.blocks || p.blockedBy:
			want = first(want, Blocked)
		case !p.connected:
			want = first(want, NotConnected)
		}
	}
	got := preOutcomes[r.flags&3]
	if got != want {
		other := ur.u.ID
		if len(added) > 0 {
			other = added[0]
		}
		c.fail(Violation{Invariant: I13GroupAdditions, Thread: Group(r.key), User: ur.u.ID, Other: other,
			Expected: fmt.Sprintf("the user's own check %s on its replica then", want), Seen: got.String()})
	}
	if got != OK {
		return
	}
	g := Group(r.key)
	switch {
	case r.kind == hAdd && c.p.holds(g):
		c.adds = append(c.adds, addFact{group: g, by: ur.u.ID, user: r.author})
	case r.kind == hAdd:
		c.note(Note{Kind: NoteAdd, Thread: g, User: ur.u.ID, Other: r.author})
	case c.p.holds(g):
		c.creates = append(c.creates, createFact{group: g, owner: ur.u.ID, members: slices.Clone(r.members)})
	default:
		c.note(Note{Kind: NoteCreate, Thread: g, User: ur.u.ID, Users: slices.Clone(r.members)})
	}
}

// deliveries compares what the threads sent the user with what its
// history received (I8; I4 when a message a mark hides was shown) and
// the user's delivery counters with its history (I8, I3, I14).
func (c *checker) deliveries(ur *userReplay) {
	id, k, f := ur.u.ID, &ur.u.Counters, &c.facts[ur.slot]
	if f.Sum != ur.facts || ur.received != f.Received || ur.hidden != f.Hidden {
		inv := I8Delivery
		if ur.hidden < f.Hidden && ur.received > f.Received {
			inv = I4BlockStopsTraffic
		}
		c.fail(Violation{Invariant: inv, User: id, Other: id,
			Expected: fmt.Sprintf("the %d deliveries and membership steps the threads sent (%d visible and %d hidden from others)", f.Steps, f.Received, f.Hidden),
			Seen:     fmt.Sprintf("%d different ones in the user's history (%d and %d)", ur.steps, ur.received, ur.hidden)})
	}
	if k.Received != ur.received || k.Hidden != ur.hidden {
		c.fail(Violation{Invariant: I8Delivery, User: id, Other: id,
			Expected: fmt.Sprintf("%d visible and %d hidden deliveries as the history holds", ur.received, ur.hidden),
			Seen:     fmt.Sprintf("%d and %d counted", k.Received, k.Hidden)})
	}
	if ur.deletes != f.Deletes || k.Deletes != ur.deletes {
		c.fail(Violation{Invariant: I3SilentDelete, User: id, Other: id,
			Expected: fmt.Sprintf("%d delete notices (%d received)", f.Deletes, ur.deletes), Seen: fmt.Sprintf("%d counted", k.Deletes)})
	}
	if k.Posts != ur.posts {
		c.fail(Violation{Invariant: I14PostFanOut, User: id, Other: id,
			Expected: fmt.Sprintf("%d post notices as the history holds", ur.posts), Seen: fmt.Sprintf("%d counted", k.Posts)})
	}
}

// notifications compares the notifications raised and suppressed, by
// cause and by reason, with those the history implies (I10; I3 for
// delete notifications).
func (c *checker) notifications(ur *userReplay) {
	id, k := ur.u.ID, &ur.u.Counters
	for cause := range NumCauses {
		if k.Notified[cause] != ur.notified[cause] {
			inv := I10Notifications
			if cause == CauseDelete {
				inv = I3SilentDelete
			}
			c.fail(Violation{Invariant: inv, User: id, Other: id,
				Expected: fmt.Sprintf("%d %s notifications raised", ur.notified[cause], cause), Seen: fmt.Sprintf("%d", k.Notified[cause])})
		}
	}
	for r := range NumReasons {
		if k.Suppressed[r] != ur.suppressed[r] {
			c.fail(Violation{Invariant: I10Notifications, User: id, Other: id,
				Expected: fmt.Sprintf("%d notifications suppressed as %s", ur.suppressed[r], r), Seen: fmt.Sprintf("%d", k.Suppressed[r])})
		}
	}
}

// inbox compares the user's index with the model (I12): the same
// threads, each with its unread count and its archived, muted, removed
// and member flags, in the same order of activity (the inbox's order),
// and the notification setting.
func (c *checker) inbox(ur *userReplay) {
	u := ur.u
	if u.NotifyOff != ur.notifyOff {
		c.fail(Violation{Invariant: I12Inbox, User: u.ID, Other: u.ID,
			Expected: fmt.Sprintf("notifications off %v as last set", ur.notifyOff), Seen: fmt.Sprintf("%v", u.NotifyOff)})
	}
	if len(u.entries) != len(ur.ts) {
		c.fail(Violation{Invariant: I12Inbox, User: u.ID, Other: u.ID,
			Expected: fmt.Sprintf("%d threads in the index", len(ur.ts)), Seen: fmt.Sprintf("%d", len(u.entries))})
	}
	// The model's entries in the index's order, by key, walked alongside
	// the index; then their order of activity.
	slices.SortFunc(ur.ts, func(a, b uthread) int { return cmp.Compare(a.entryKey(), b.entryKey()) })
	ur.shown = ur.shown[:0]
	es := u.entries
	for i := range ur.ts {
		m := &ur.ts[i]
		k := m.entryKey()
		for len(es) > 0 && es[0].key < k {
			es = es[1:]
		}
		t := m.thread(u.ID)
		want := Entry{Thread: t, Unread: m.unread, Archived: m.archived, Muted: m.muted, Removed: m.removed, Member: m.isMember}
		if len(es) == 0 || es[0].key != k {
			c.fail(Violation{Invariant: I12Inbox, Thread: t, User: u.ID, Other: u.ID, Expected: entryText(want, true), Seen: entryText(Entry{}, false)})
			continue
		}
		have := u.export(&es[0])
		es = es[1:]
		activity := have.Activity
		have.Activity = 0
		switch {
		case have != want:
			c.fail(Violation{Invariant: I12Inbox, Thread: t, User: u.ID, Other: u.ID, Expected: entryText(want, true), Seen: entryText(have, true)})
		case (m.tick == 0) != (activity == 0):
			c.fail(Violation{Invariant: I12Inbox, Thread: t, User: u.ID, Other: u.ID,
				Expected: fmt.Sprintf("a message shown %v", m.tick != 0), Seen: fmt.Sprintf("%v", activity != 0)})
		case m.tick != 0:
			ur.shown = append(ur.shown, shown{tick: m.tick, activity: activity, t: t})
		}
	}
	slices.SortFunc(ur.shown, func(a, b shown) int { return cmp.Compare(a.tick, b.tick) })
	for i := 1; i < len(ur.shown); i++ {
		if ur.shown[i].activity <= ur.shown[i-1].activity {
			c.fail(Violation{Invariant: I12Inbox, Thread: ur.shown[i].t, User: u.ID, Other: u.ID,
				Expected: fmt.Sprintf("the inbox's order of the last messages shown: after %s", ur.shown[i-1].t), Seen: "before it"})
			return
		}
	}
}

// shown is an entry's last activity in the model (tick) and in the index.
type shown struct {
	tick, activity uint32
	t              ThreadID
}

// entryKey returns the key the user's index files the entry under.
func (e *uthread) entryKey() uint32 {
	if e.key>>32 != 0 {
		return uint32(e.key) | groupKey
	}
	return uint32(e.key)
}

func entryText(e Entry, ok bool) string {
	if !ok {
		return "no entry"
	}
	return fmt.Sprintf("unread %d archived %v muted %v removed %v member %v", e.Unread, e.Archived, e.Muted, e.Removed, e.Member)
}

// userPairs compares the user's replicas with the pair states its
// history received (I6, I7), and those with the sequence each direct
// thread sent (I6). A pair the history never touched holds the graph's
// state: no added or removed connection and no block.
func (c *checker) userPairs(ur *userReplay) {
	u := ur.u
	for i := range ur.ps {
		p := &ur.ps[i]
		if u.Connected(p.v) != p.connected {
			c.fail(Violation{Invariant: I6BlockCutsConnection, User: u.ID, Other: p.v, Thread: Direct(u.ID, p.v),
				Expected: fmt.Sprintf("connected %v as last received", p.connected), Seen: fmt.Sprintf("%v in the user's replica", u.Connected(p.v))})
		}
		if u.Blocks(p.v) != p.blocks || u.blockedBy(p.v) != p.blockedBy {
			c.fail(Violation{Invariant: I7Profiles, User: u.ID, Other: p.v, Thread: Direct(u.ID, p.v),
				Expected: fmt.Sprintf("blocks %v, blocked by %v as last received", p.blocks, p.blockedBy),
				Seen:     fmt.Sprintf("%v and %v in the user's replica", u.Blocks(p.v), u.blockedBy(p.v))})
		}
		id := Direct(u.ID, p.v)
		pt := c.pairs[id]
		if pt == nil || pt.n != p.n || pt.sum != p.sum {
			n := 0
			if pt != nil {
				n = pt.n
			}
			c.fail(Violation{Invariant: I6BlockCutsConnection, User: u.ID, Other: p.v, Thread: id,
				Expected: fmt.Sprintf("the %d pair states the thread went through", n), Seen: fmt.Sprintf("%d others received", p.n)})
			continue
		}
		pt.seen[side(id, u.ID)] = true
	}
	if u.rare == nil {
		return
	}
	for _, set := range [][]UserID{u.rare.added, u.rare.removed, u.rare.blocked, u.rare.blockedBy} {
		for _, v := range set {
			if _, ok := ur.pidx[v]; !ok {
				inv := I6BlockCutsConnection
				if has(u.rare.blocked, v) || has(u.rare.blockedBy, v) {
					inv = I7Profiles
				}
				c.fail(Violation{Invariant: inv, User: u.ID, Other: v, Thread: Direct(u.ID, v),
					Expected: "the graph's pair: no pair state was ever received", Seen: "a changed replica"})
			}
		}
	}
}

// replicas adds u's connections to connSum, and the graph's state of the
// pairs whose direct threads are in u's index to initSum (initials).
//
// Where no direct thread holds a pair, neither side was ever changed, so
// the two users' replicas must agree; where one does, userPairs holds both
// replicas to the states it went through. Either way the connection
// relation is symmetric, and
// then the sum over every connection (u, v) of ±pairHash(min, max), plus
// for u < v and minus for u > v, is zero. One sequential pass computes it;
// asking each pair's other side and the threads map instead costs two cold
// reads per connection, which at a million users was most of the check. A
// sum that is not zero sends the check through oneSided, which finds the
// pairs.
func (c *checker) replicas(u *User) {
	c.initials(u)
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
}

// pairHash is a 64-bit hash of the pair a < b. Two different multisets of
// pairs have the same sum with probability about 2^-64.
func pairHash(a, b UserID) uint64 { return mix64(0x6d736773696d, uint64(a)<<32|uint64(b)) }

// oneSided finds u's connections that the other side does not hold, where
// no direct thread holds the pair. A direct thread is held with its lower
// user: where that is v, and v is held elsewhere, v's part looks (a
// NoteOneSided, taken by oneSidedThere).
func (c *checker) oneSided(u *User) {
	for v := range u.connections {
		if c.hasThread(Direct(u.ID, v)) {
			continue
		}
		switch w := c.p.user(v); {
		case int(v) >= c.p.Population || v == u.ID:
			c.oneSidedFound(u.ID, v)
		case w != nil:
			if !w.Connected(u.ID) {
				c.oneSidedFound(u.ID, v)
			}
		default:
			c.note(Note{Kind: NoteOneSided, User: u.ID, Other: v})
		}
	}
}

// oneSidedThere judges a connection of u's, held elsewhere, to v, held
// here, where u's part holds no direct thread of theirs.
func (c *checker) oneSidedThere(u UserID, v *User) {
	if !c.hasThread(Direct(u, v.ID)) && !v.Connected(u) {
		c.oneSidedFound(u, v.ID)
	}
}

func (c *checker) hasThread(id ThreadID) bool { return c.p.Threads != nil && c.p.Threads.Has(id) }

// threadsHere yields the threads held here, in the store's order.
func (c *checker) threadsHere() iter.Seq[*Thread] {
	if c.p.Threads == nil {
		return func(func(*Thread) bool) {}
	}
	return c.p.Threads.Each()
}

func (c *checker) oneSidedFound(u, v UserID) {
	c.rank = Rank{Pass: passOneSided, ID: uint64(u), Sub: uint64(v)}
	c.fail(Violation{Invariant: I6BlockCutsConnection, User: u, Other: v, Thread: Direct(u, v),
		Expected: "connection held on both sides", Seen: "held by one side only"})
}

// initial holds the pair state a direct thread started from against the
// population's graph (I6): a pair without a thread keeps its initial
// state, so a thread is created connected exactly when the graph connects
// its two users, with no block. A thread that holds messages is in its
// lower user's index, and that user's pass subtracts the graph's state of
// the pair (initials) from what this adds: the sum ends at zero, and no
// thread costs a cold read of its user's connections. A thread without
// messages (a block between strangers) is looked up.
func (c *checker) initial(t *Thread) {
	a, b := t.ID.Pair()
	if int(a) < c.p.Population && c.p.user(a) == nil {
		return // held away from its lower user: not where a Part holds it
	}
	c.checked++
	if len(t.messages) > 0 && !t.Init.Blocks() && !t.Init.CutByBlock {
		c.initSum += initFact(a, b, t.Init.Connected)
		return
	}
	c.initialLookup(t)
}

// initialLookup checks t's initial pair state against the graph directly.
func (c *checker) initialLookup(t *Thread) bool {
	a, b := t.ID.Pair()
	want := PairState{Connected: int(b) < c.p.Population && has(c.p.user(a).conns, b)}
	if t.Init == want {
		return true
	}
	c.fail(Violation{Invariant: I6BlockCutsConnection, Thread: t.ID, User: a, Other: b,
		Expected: fmt.Sprintf("the graph's pair %+v to start from", want), Seen: fmt.Sprintf("%+v", t.Init)})
	return false
}

// initFact hashes a pair a < b and whether it starts connected.
func initFact(a, b UserID, connected bool) uint64 {
	h := mix64(0x696e6974, uint64(a)<<32|uint64(b))
	if connected {
		h = mix64(h, 1)
	}
	return h
}

// initials subtracts from initial's sum the graph's state of each pair
// whose direct thread is in u's index with u as its lower user: a walk of
// the index beside u's connections, both sorted.
func (c *checker) initials(u *User) {
	conns := u.conns
	for i := range u.entries {
		k := u.entries[i].key
		if k&groupKey != 0 {
			break // groups sort after direct threads
		}
		v := UserID(k)
		if v <= u.ID {
			continue
		}
		for len(conns) > 0 && conns[0] < v {
			conns = conns[1:]
		}
		c.initSum -= initFact(u.ID, v, len(conns) > 0 && conns[0] == v)
	}
}

// initialsAgain finds the threads whose initial states made initial's sum
// miss zero, looking each up; when none does, an index holds a direct
// thread that has no message, and that is reported.
func (c *checker) initialsAgain() {
	found := false
	for t := range c.threadsHere() {
		c.rank = Rank{Pass: passInitials, ID: uint64(t.ID)}
		if a, _ := t.ID.Pair(); !t.ID.IsGroup() && len(t.messages) > 0 && (int(a) >= c.p.Population || c.p.user(a) != nil) && !c.initialLookup(t) {
			found = true
		}
	}
	if !found {
		c.rank = Rank{Pass: passInitials, ID: ^uint64(0)}
		c.fail(Violation{Invariant: I6BlockCutsConnection,
			Expected: "each direct thread in an index, with the graph's pair state", Seen: "the sums of the threads and the indexes differ"})
	}
}
