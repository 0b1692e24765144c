package sim

import (
	"cmp"
	"slices"
)

// Entry is a thread in a user's inbox index, as Entries and Entry give it.
type Entry struct {
	Thread   ThreadID
	Activity uint32 // the user's activity tick of the last visible message; orders the inbox
	Unread   uint32 // at most MaxUnread
	Archived bool
	Muted    bool
	Removed  bool // delete_thread took it out of the inbox until a new message
	Member   bool // the user is a member now (false after leaving a group)
}

// entry is an Entry as a user keeps it, 12 bytes rather than 24: the
// thread as a 4-byte key, the other member of a direct thread or the
// group's number with groupKey set, and the unread count and the four
// flags in one word. Most threads in a big run are direct threads with
// two entries each, so this is 24 bytes per thread.
type entry struct {
	key      uint32
	Activity uint32
	state    uint32 // the unread count in the low bits, then the flags
}

// MaxUnread is the largest unread count an inbox entry holds: a count
// stays there once reached (a thread would need 268 million messages, 10
// GB of them, to reach it).
const MaxUnread = 1<<unreadBits - 1

const unreadBits = 28

// entry flags, above the unread count.
const (
	entArchived = 1 << (unreadBits + iota)
	entMuted
	entRemoved // delete_thread took it out of the inbox until a new message
	entMember  // the user is a member now (not after leaving a group)
)

func (e *entry) unread() uint32       { return e.state & MaxUnread }
func (e *entry) has(flag uint32) bool { return e.state&flag != 0 }

func (e *entry) set(flag uint32, on bool) {
	if on {
		e.state |= flag
	} else {
		e.state &^= flag
	}
}

func (e *entry) clearUnread() { e.state &^= MaxUnread }

func (e *entry) addUnread() {
	if e.unread() < MaxUnread {
		e.state++
	}
}

// groupKey marks an entry key as a group number; user ids and group
// numbers stay below it (MaxUsers).
const groupKey = 1 << 31

// MaxUsers is the most users a population may have: inbox entries name a
// direct thread by its other member in 31 bits.
const MaxUsers = groupKey - 1

func keyOf(u UserID, t ThreadID) uint32 {
	if t.IsGroup() {
		return groupKey | t.GroupNumber()
	}
	return uint32(t.Other(u))
}

func (u *User) threadOf(key uint32) ThreadID {
	if key&groupKey != 0 {
		return Group(key &^ groupKey)
	}
	return Direct(u.ID, UserID(key))
}

func (u *User) export(e *entry) Entry {
	return Entry{Thread: u.threadOf(e.key), Activity: e.Activity, Unread: e.unread(),
		Archived: e.has(entArchived), Muted: e.has(entMuted), Removed: e.has(entRemoved), Member: e.has(entMember)}
}

// Counters are what a user has received, kept for notification accounting
// (I10) and delivery accounting (I8).
type Counters struct {
	Received   uint32            // visible messages delivered from others
	Hidden     uint32            // messages delivered but hidden by a block mark
	Posts      uint32            // post notices received
	Deletes    uint32            // delete notices received
	Notified   [NumCauses]uint32 // notifications raised, by cause
	Suppressed [NumReasons]uint32
}

// Cause is why a notification is raised.
type Cause uint8

// Notification causes.
const (
	CauseMessage Cause = iota
	CausePost
	CauseDelete
	NumCauses
)

func (c Cause) String() string {
	if c < NumCauses {
		return [...]string{"message", "post", "delete"}[c]
	}
	return "cause?"
}

// Reason is why a notification was suppressed.
type Reason uint8

// Suppression reasons.
const (
	ReasonMuted Reason = iota
	ReasonSettings
	ReasonBlocked
	NumReasons
)

func (r Reason) String() string {
	if r < NumReasons {
		return [...]string{"muted", "settings", "blocked"}[r]
	}
	return "reason?"
}

// User is one user's state: connections, blocks, settings, inbox index and
// counters. Connection and block sets are replicas of the pair state that
// direct threads hold; the thread is the authority and updates them with
// PairChanged. A User is not safe for concurrent use.
//
// A User is 128 bytes, so in the population's array each spans exactly
// two cache lines (it was 168, three or four): at a million users nearly
// every step reads a user's state cold, a miss per line. Its history's
// header fills the last 16.
type User struct {
	ID        UserID
	tick      uint32
	entries   []entry   // sorted by key
	conns     []UserID  // sorted, as the population's graph gave them; shared, never changed
	rare      *userRare // nil until the user blocks, is blocked or changes connections
	NotifyOff bool
	Counters  Counters
	hist      history // what reached the user and what it decided, for the checker
}

// userRare is what most users never have, out of line: block sets, and
// changes to the connections the graph gave them, kept as a difference so
// that a user who connects once does not copy every connection.
type userRare struct {
	blocked   []UserID // sorted: whom this user blocks
	blockedBy []UserID // sorted: who blocks this user
	added     []UserID // sorted: connections made since, none of them in conns
	removed   []UserID // sorted: connections of conns ended since
}

// w returns u's rare part for writing, making it if u has none.
func (u *User) w() *userRare {
	if u.rare == nil {
		u.rare = new(userRare)
	}
	return u.rare
}

// NewUser returns user id with the given sorted connections. The slice is
// shared and never changed (changes are kept apart), so a population can
// hand out slices of one graph without copying.
func NewUser(id UserID, conns []UserID) *User {
	return &User{ID: id, conns: conns}
}

// Connections returns the user's connections, sorted. Do not modify.
func (u *User) Connections() []UserID {
	if !u.changed() {
		return u.conns
	}
	return slices.Collect(u.connections)
}

func (u *User) changed() bool {
	return u.rare != nil && (u.rare.added != nil || u.rare.removed != nil)
}

// connections yields u's connections in ascending order: the graph's less
// those removed, and those added, merged without allocating.
func (u *User) connections(yield func(UserID) bool) {
	if !u.changed() {
		for _, v := range u.conns {
			if !yield(v) {
				return
			}
		}
		return
	}
	base, add, rem := u.conns, u.rare.added, u.rare.removed
	for len(base) > 0 || len(add) > 0 {
		if len(add) > 0 && (len(base) == 0 || add[0] < base[0]) {
			if !yield(add[0]) {
				return
			}
			add = add[1:]
			continue
		}
		v := base[0]
		base = base[1:]
		if len(rem) > 0 && rem[0] == v { // removed is a subset of base, in the same order
			rem = rem[1:]
			continue
		}
		if !yield(v) {
			return
		}
	}
}

// Blocked returns whom the user blocks, sorted. Do not modify.
func (u *User) Blocked() []UserID {
	if u.rare == nil {
		return nil
	}
	return u.rare.blocked
}

// BlockedBy returns who blocks the user, sorted. Do not modify.
func (u *User) BlockedBy() []UserID {
	if u.rare == nil {
		return nil
	}
	return u.rare.blockedBy
}

// Entries returns the inbox index sorted by thread id, as a copy.
func (u *User) Entries() []Entry { return u.appendEntries(make([]Entry, 0, len(u.entries))) }

// appendEntries appends u's entries to es, sorted as Entries sorts them.
func (u *User) appendEntries(es []Entry) []Entry {
	n := len(es)
	for i := range u.entries {
		es = append(es, u.export(&u.entries[i]))
	}
	slices.SortFunc(es[n:], func(a, b Entry) int { return cmp.Compare(a.Thread, b.Thread) })
	return es
}

// Connected reports whether u holds v as a connection.
func (u *User) Connected(v UserID) bool {
	if u.changed() {
		if has(u.rare.added, v) {
			return true
		}
		if has(u.rare.removed, v) {
			return false
		}
	}
	return has(u.conns, v)
}

// Blocks reports whether u blocks v.
func (u *User) Blocks(v UserID) bool { return u.rare != nil && has(u.rare.blocked, v) }

// blockedBy reports whether v blocks u, as u's replica holds it.
func (u *User) blockedBy(v UserID) bool { return u.rare != nil && has(u.rare.blockedBy, v) }

// blockedEither reports whether a block stands between u and v either way.
func (u *User) blockedEither(v UserID) bool {
	return u.rare != nil && (has(u.rare.blocked, v) || has(u.rare.blockedBy, v))
}

func has(s []UserID, v UserID) bool {
	_, ok := slices.BinarySearch(s, v)
	return ok
}

func setIn(s []UserID, v UserID, in bool) []UserID {
	i, ok := slices.BinarySearch(s, v)
	switch {
	case in && !ok:
		return slices.Insert(s, i, v)
	case !in && ok:
		return slices.Delete(s, i, i+1)
	}
	return s
}

// Entry returns the user's inbox entry for t, and whether there is one.
func (u *User) Entry(t ThreadID) (Entry, bool) {
	if e := u.find(t); e != nil {
		return u.export(e), true
	}
	return Entry{}, false
}

// find returns u's entry for t, or nil. A thread whose key would name
// another (a direct thread u is not in, a group number past MaxUsers) has
// none.
func (u *User) find(t ThreadID) *entry {
	k := keyOf(u.ID, t)
	if u.threadOf(k) != t {
		return nil
	}
	i, ok := u.search(k)
	if !ok {
		return nil
	}
	return &u.entries[i]
}

// entry returns u's entry for t, adding one if u has none. Only threads
// deliver to users, and only to their members, so t is one of u's.
//
// The inbox grows by a quarter at a time (two entries at least), not by
// doubling as append would: inboxes are a user's largest state, most stop
// growing somewhere, and arrays a third empty on average cost about 7
// bytes per stored message in a 1M-user run.
func (u *User) entry(t ThreadID) *entry {
	k := keyOf(u.ID, t)
	i, ok := u.search(k)
	if !ok {
		if n := len(u.entries); n == cap(u.entries) {
			u.entries = append(make([]entry, 0, n+max(2, n/4)), u.entries...)
		}
		u.entries = slices.Insert(u.entries, i, entry{key: k, state: entMember})
	}
	return &u.entries[i]
}

func (u *User) search(k uint32) (int, bool) {
	return slices.BinarySearchFunc(u.entries, k, func(e entry, k uint32) int { return cmp.Compare(e.key, k) })
}

// pairReplica is the user's own view of its pair with v, used to create a
// direct thread that has never existed: until then no PairChanged has
// touched either user's replica, so both users agree on it.
func (u *User) pairReplica(v UserID) PairState {
	t := Direct(u.ID, v)
	var p PairState
	p.Connected = u.Connected(v)
	s := side(t, u.ID)
	p.BlockedBy[s] = u.Blocks(v)
	p.BlockedBy[1-s] = u.blockedBy(v)
	return p
}

// Handle applies m, a step addressed to u, and appends what it causes to out.
func (u *User) Handle(m *Step, env *Env, out *Outbox) {
	switch m.Kind {
	case Start:
		u.start(m, env, out)
	case Delivered:
		u.delivered(m, env)
	case Joined:
		k, g := histKey(u.ID, m.Thread)
		u.hist.append(hJoined, g, 0, k, uint64(m.Seq))
		e := u.entry(m.Thread)
		e.set(entMember, true)
		e.set(entRemoved, false)
		u.touch(e)
		u.markBlocked(m.Thread, m.Op.At, out)
	case Left:
		k, g := histKey(u.ID, m.Thread)
		u.hist.append(hLeft, g, 0, k)
		u.entry(m.Thread).set(entMember, false)
	case Cleared:
		k, g := histKey(u.ID, m.Thread)
		u.hist.append(hCleared, g, 0, k)
		e := u.entry(m.Thread)
		e.set(entRemoved, true)
		e.clearUnread()
	case PairChanged:
		u.pairChanged(m, out)
	case PostNotice:
		u.hist.append(hPostNotice, false, 0, uint64(m.Author))
		u.notify(CausePost, m.Author, nil)
		u.Counters.Posts++
	case DeleteNotice:
		k, g := histKey(u.ID, m.Thread)
		if g {
			u.hist.append(hDeleteNotice, g, 0, k, uint64(m.Seq), uint64(m.Author))
		} else {
			u.hist.append(hDeleteNotice, g, 0, k, uint64(m.Seq))
		}
		u.Counters.Deletes++
		u.notify(CauseDelete, m.Author, u.find(m.Thread))
	}
}

func (u *User) touch(e *entry) {
	u.tick++
	e.Activity = u.tick
}

// notify raises or suppresses one notification (R2, R6, R7).
func (u *User) notify(c Cause, author UserID, e *entry) {
	switch {
	case u.Blocks(author), c == CausePost && u.blockedBy(author): // R7; R9: no post across a block
		u.Counters.Suppressed[ReasonBlocked]++
	case e != nil && e.has(entMuted) && c != CausePost:
		u.Counters.Suppressed[ReasonMuted]++
	case u.NotifyOff:
		u.Counters.Suppressed[ReasonSettings]++
	default:
		u.Counters.Notified[c]++
	}
}

// delivered records a message appended to one of u's threads (R2, R5, R11).
func (u *User) delivered(m *Step, env *Env) {
	u.recordDelivery(m)
	e := u.entry(m.Thread)
	if m.Sender {
		e.clearUnread()
		u.show(e, env)
		return
	}
	if !m.Visible {
		u.Counters.Hidden++
		u.Counters.Suppressed[ReasonBlocked]++
		return
	}
	u.Counters.Received++
	e.addUnread()
	u.show(e, env)
	u.notify(CauseMessage, m.Author, e)
}

// recordDelivery adds a delivery to u's history as the thread sent it.
func (u *User) recordDelivery(m *Step) {
	var f uint8
	if m.Sender {
		f |= hSender
	}
	if m.Visible {
		f |= hVisible
	}
	k, g := histKey(u.ID, m.Thread)
	if g {
		u.hist.append(hDelivered, g, f, k, uint64(m.Seq), uint64(m.Author))
	} else {
		u.hist.append(hDelivered, g, f, k, uint64(m.Seq))
	}
}

func (u *User) show(e *entry, env *Env) {
	e.set(entRemoved, false)
	if env.userPolicy(u.ID).UnarchiveOnNewMessage {
		e.set(entArchived, false)
	}
	u.touch(e)
}

// pairChanged takes the direct thread's new pair state into u's replicas,
// and starts or ends block marks in u's groups when u's own block changed.
func (u *User) pairChanged(m *Step, out *Outbox) {
	v := m.Thread.Other(u.ID)
	s := side(m.Thread, u.ID)
	u.hist.append(hPair, false, pairFlags(m.Pair, s), uint64(v))
	u.setConnected(v, m.Pair.Connected)
	was := u.Blocks(v)
	now := m.Pair.BlockedBy[s]
	if u.rare != nil || m.Pair.Blocks() { // without either, both sets stay empty
		r := u.w()
		r.blockedBy = setIn(r.blockedBy, v, m.Pair.BlockedBy[1-s])
		r.blocked = setIn(r.blocked, v, now)
	}
	if was == now {
		return
	}
	// A block starts hiding v in every group u was ever in (and in those
	// u joins later: markBlocked), so what u kept of a group it left is
	// hidden too where the policy hides history; an unblock ends it there.
	for _, e := range u.entries {
		if e.key&groupKey != 0 {
			out.add(Step{Kind: Mark, Thread: u.threadOf(e.key), Op: Op{User: u.ID, Target: v, At: m.Op.At}, On: now})
		}
	}
}

// markBlocked starts hiding, in group g that u has just joined, everyone u
// blocks (R7: what they post after the block is not shown to u, whenever
// u joined).
func (u *User) markBlocked(g ThreadID, at Time, out *Outbox) {
	if u.rare == nil || !g.IsGroup() {
		return
	}
	for _, v := range u.rare.blocked {
		out.add(Step{Kind: Mark, Thread: g, Op: Op{User: u.ID, Target: v, At: at}, On: true})
	}
}

// pairFlags is a pair state as the user on side s holds it, for hPair.
func pairFlags(p PairState, s int) uint8 {
	var f uint8
	if p.Connected {
		f |= hConnected
	}
	if p.BlockedBy[s] {
		f |= hBlocks
	}
	if p.BlockedBy[1-s] {
		f |= hBlockedBy
	}
	return f
}

func (u *User) setConnected(v UserID, on bool) {
	if u.Connected(v) == on {
		return
	}
	r := u.w()
	if has(u.conns, v) { // one of the graph's: on undoes its removal
		r.removed = setIn(r.removed, v, !on)
	} else {
		r.added = setIn(r.added, v, on)
	}
}

// pairCheck judges adding v to a group on u's replicas (R1g).
func (u *User) pairCheck(v UserID) Outcome {
	switch {
	case u.blockedEither(v):
		return Blocked
	case !u.Connected(v):
		return NotConnected
	}
	return OK
}

// start is the first step of every operation, at its acting user.
func (u *User) start(m *Step, env *Env, out *Outbox) {
	op := &m.Op
	if o := env.targetCheck(op); o != OK {
		out.done(m, o)
		return
	}
	switch op.Action {
	case Connect, Disconnect, Block, Unblock, Send:
		if op.Action != Send || !op.Thread.IsGroup() {
			m.Thread = Direct(op.User, op.Target)
			m.Pair = u.pairReplica(op.Target)
		} else {
			m.Thread = op.Thread
		}
		u.forward(m, out)
	case ViewProfile:
		if u.blockedEither(op.Target) {
			u.hist.append(hProfile, false, hRefused, uint64(op.Target))
			out.done(m, Blocked)
			return
		}
		u.hist.append(hProfile, false, 0, uint64(op.Target))
		out.done(m, OK)
	case CreateGroup:
		m.Pre = OK
		for _, v := range op.Members {
			m.Pre = first(m.Pre, u.pairCheck(v))
		}
		m.Thread = op.Thread
		if op.Thread.IsGroup() {
			u.hist.append(hCreate, true, preBits(m.Pre), uint64(op.Thread.GroupNumber()), uint64(len(op.Members)))
			u.hist.appendIDs(op.Members)
		}
		u.forward(m, out)
	case AddMember:
		m.Pre = u.pairCheck(op.Target)
		m.Thread = op.Thread
		if op.Thread.IsGroup() {
			u.hist.append(hAdd, true, preBits(m.Pre), uint64(op.Thread.GroupNumber()), uint64(op.Target))
		}
		u.forward(m, out)
	case LeaveGroup, Delete, Edit, DeleteThread:
		m.Thread = op.Thread
		u.forward(m, out)
	case Report:
		m.Thread = op.Thread
		if op.Msg != 0 {
			u.forward(m, out)
			return
		}
		u.reported(m, out)
	case Archive, Unarchive, Mute, Unmute, Read:
		e := u.find(op.Thread)
		k, g := histKey(u.ID, op.Thread)
		if e == nil {
			if u.threadOf(keyOf(u.ID, op.Thread)) == op.Thread { // a record's key can name it
				u.hist.append(hInboxMissing, g, inboxAction(op.Action), k)
			}
			out.done(m, NotFound)
			return
		}
		u.hist.append(hInbox, g, inboxAction(op.Action), k)
		switch op.Action {
		case Archive:
			e.set(entArchived, true)
		case Unarchive:
			e.set(entArchived, false)
		case Mute:
			e.set(entMuted, true)
		case Unmute:
			e.set(entMuted, false)
		case Read:
			e.clearUnread()
		}
		out.done(m, OK)
	case Notifications:
		var f uint8
		if op.On {
			f = hOn
		}
		u.hist.append(hNotify, false, f)
		u.NotifyOff = !op.On
		out.done(m, OK)
	case Post:
		n := 0
		for v := range u.connections {
			out.add(Step{Kind: PostNotice, To: v, Author: u.ID, Op: Op{Action: Post, User: u.ID, At: op.At}})
			n++
		}
		u.hist.append(hPost, false, 0, uint64(n))
		out.done(m, OK)
	default:
		out.done(m, Invalid)
	}
}

// reported finishes a report: with block: true the reporter also blocks.
func (u *User) reported(m *Step, out *Outbox) {
	out.done(m, OK)
	if m.Op.AndBlock {
		out.add(reportBlock(m))
	}
}

// reportBlock is the block a report with block: true implies: a new,
// quiet operation that starts at the reporter like any block.
func reportBlock(m *Step) Step {
	b := Step{Kind: Start, To: m.Op.User, Op: m.Op, Quiet: true}
	b.Op.Action, b.Op.Thread, b.Op.Msg = Block, 0, 0
	return b
}

func (u *User) forward(m *Step, out *Outbox) {
	f := *m
	f.Kind = AtThread
	out.add(f)
}
