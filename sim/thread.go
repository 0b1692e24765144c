package sim

// MinGroup and MaxGroup bound a group thread's members (R1g: 3..50); the
// scenario loader's group sizes read them too.
const (
	MinGroup = 3
	MaxGroup = 50
)

// Message is one stored message. Its sequence number is its index in the
// thread plus one. 40 bytes on 64-bit machines besides the text, which
// workloads share from a pool.
type Message struct {
	Key      MsgKey
	At       Time
	Text     string // the current text; edits replace it
	Author   UserID
	Edits    uint8
	Recalled bool // deleted for everyone
}

// Member is a user's membership of a thread, in sequence numbers: the user
// sees messages after Joined, up to Left when Left is set, and after Cleared.
type Member struct {
	User    UserID
	Joined  Seq
	Cleared Seq // delete_thread cut-off: messages up to it are hidden
	left    Seq // 0 while a member; after leaving a group, 1 + the last message received
}

// HasLeft reports whether the user left the group.
func (m *Member) HasLeft() bool { return m.left != 0 }

// Left returns the last message a user who left the group received.
func (m *Member) Left() Seq { return m.left - 1 }

// leave records that the user left after message last. Keeping "has left" in
// left, not in a flag of its own, makes a Member 16 bytes, so a direct
// thread's two fit a 32-byte allocation instead of 48; a thread would need
// 2^32 messages, 160 GiB of them, to overflow it.
func (m *Member) leave(last Seq) { m.left = last + 1 }

// hide is one delete-for-me: the message at Seq is hidden in User's view.
type hide struct {
	Seq  Seq
	User UserID
}

// mark hides the messages of Blocked from Blocker's view in a group after
// From and up to Until (0 while the block stands).
type mark struct {
	Blocker, Blocked UserID
	From, Until      Seq
}

// Thread is one conversation: the serialization point for its appends,
// deletes, edits, membership and, for a direct thread, the pair's
// connection and block state. A Thread is not safe for concurrent use.
type Thread struct {
	ID       ThreadID
	Pair     PairState // direct threads only
	Init     PairState // the pair state the thread was created with
	members  []Member
	messages []Message
	rare     *rare  // nil until the thread has a delete for me, a mark or an event
	Reports  uint32 // messages of this thread reported for moderation
	// cohorts is the set of cohorts of everyone who was ever a member of a
	// group thread (bit i: cohort i); a direct thread's comes from its pair.
	cohorts uint8
}

// rare holds what most threads never get: deletes for me, block marks and
// the event log. Out of line, it keeps a Thread at 80 bytes instead of 144.
type rare struct {
	hides []hide
	marks []mark
	log   []Event
}

// none is the empty rare part that threads without one read.
var none rare

// r returns t's rare part for reading; it must not be written through.
func (t *Thread) r() *rare {
	if t.rare == nil {
		return &none
	}
	return t.rare
}

// w returns t's rare part for writing, making it if t has none.
func (t *Thread) w() *rare {
	if t.rare == nil {
		t.rare = new(rare)
	}
	return t.rare
}

// NewThread returns an empty thread. A direct thread starts with both users
// as members and the given pair state; a group starts with no member.
func NewThread(id ThreadID, pair PairState) *Thread {
	t := &Thread{ID: id}
	if !id.IsGroup() {
		a, b := id.Pair()
		t.Pair, t.Init = pair, pair
		t.members = []Member{{User: a}, {User: b}}
	}
	return t
}

// Creates reports whether m may bring its thread into existence. Other steps
// addressed to a thread that does not exist are answered by Missing.
func Creates(m *Step) bool {
	if m.Kind != AtThread {
		return false
	}
	if m.Thread.IsGroup() {
		return m.Op.Action == CreateGroup
	}
	switch m.Op.Action {
	case Send, Connect, Disconnect, Block, Unblock:
		return true
	}
	return false
}

// Empty reports whether t holds nothing that a new thread would not: a
// thread created by a refused step is dropped again, so refusals leave no
// trace and memory follows what users did.
func (t *Thread) Empty() bool {
	if t.ID.IsGroup() {
		return len(t.members) == 0
	}
	return len(t.messages) == 0 && len(t.r().log) == 0 && t.Pair == t.Init
}

// Missing answers a step addressed to a thread that does not exist.
func Missing(m *Step, out *Outbox) {
	if m.Kind == AtThread {
		out.done(m, NotFound)
	}
}

// Messages returns the stored messages in sequence order. Do not modify.
func (t *Thread) Messages() []Message { return t.messages }

// Members returns the thread's members, past and present. Do not modify.
func (t *Thread) Members() []Member { return t.members }

// Log returns the thread's event log. Do not modify.
func (t *Thread) Log() []Event { return t.r().log }

// Last returns the sequence number of the newest message.
func (t *Thread) Last() Seq { return Seq(len(t.messages)) }

func (t *Thread) member(u UserID) *Member {
	for i := range t.members {
		if t.members[i].User == u {
			return &t.members[i]
		}
	}
	return nil
}

// current reports whether u is a member now.
func (t *Thread) current(u UserID) bool {
	m := t.member(u)
	return m != nil && !m.HasLeft()
}

func (t *Thread) record(e Event) {
	e.Pos = t.Last()
	r := t.w()
	r.log = append(r.log, e)
}

// Handle applies m, a step addressed to t, and appends what it causes to out.
func (t *Thread) Handle(m *Step, env *Env, out *Outbox) {
	if m.Kind == Mark {
		t.mark(m)
		return
	}
	p := env.threadPolicy(t)
	switch m.Op.Action {
	case Send:
		t.send(m, p, out)
	case Connect, Disconnect, Block, Unblock:
		t.pair(m, p, out)
	case CreateGroup:
		t.create(m, env, out)
	case AddMember:
		t.add(m, env, out)
	case LeaveGroup:
		t.leave(m, out)
	case Delete:
		t.delete(m, p, out)
	case Edit:
		t.edit(m, p, out)
	case DeleteThread:
		t.clear(m, out)
	case Report:
		t.report(m, out)
	default:
		out.done(m, Invalid)
	}
}

// send appends a message (R1, R1g) and delivers it to every member.
func (t *Thread) send(m *Step, p *Policy, out *Outbox) {
	op := &m.Op
	if t.ID.IsGroup() {
		if !t.current(op.User) {
			out.done(m, NotMember)
			return
		}
	} else if o := t.pairSend(op.User, p); o != OK {
		out.done(m, o)
		return
	}
	t.messages = append(t.messages, Message{Key: op.Msg, At: op.At, Text: op.Text, Author: op.User})
	s := t.Last()
	out.done(m, OK)
	for i := range t.members {
		mb := &t.members[i]
		if mb.HasLeft() {
			continue
		}
		d := Step{Kind: Delivered, To: mb.User, Thread: t.ID, Author: op.User, Seq: s, At: op.At}
		d.Sender = mb.User == op.User
		d.Visible = d.Sender || !t.markedAt(mb.User, op.User, s)
		out.add(d)
	}
}

// pairSend judges a direct message on the pair's state (R1, R7).
func (t *Thread) pairSend(from UserID, p *Policy) Outcome {
	s := side(t.ID, from)
	switch {
	case t.Pair.BlockedBy[1-s], p.BlockMutual && t.Pair.BlockedBy[s]:
		return Blocked
	case p.RequireConnection && !t.Pair.Connected:
		return NotConnected
	}
	return OK
}

// pair applies connect, disconnect, block and unblock to a direct thread
// (R7, I6) and tells both users the new state.
func (t *Thread) pair(m *Step, p *Policy, out *Outbox) {
	op := &m.Op
	s := side(t.ID, op.User)
	old := t.Pair
	ps := &t.Pair
	switch op.Action {
	case Connect:
		if ps.Blocks() {
			out.done(m, Blocked)
			return
		}
		ps.Connected, ps.CutByBlock = true, false
		t.record(Event{Kind: EvConnect, User: op.User, At: op.At})
	case Disconnect:
		ps.Connected, ps.CutByBlock = false, false
		t.record(Event{Kind: EvDisconnect, User: op.User, At: op.At})
	case Block:
		if !ps.BlockedBy[s] {
			ps.BlockedBy[s] = true
			if p.BlockRemovesConnection && ps.Connected {
				ps.Connected, ps.CutByBlock = false, true
			}
			t.record(Event{Kind: EvBlock, User: op.User, Other: op.Target, At: op.At})
		}
	case Unblock:
		if ps.BlockedBy[s] {
			ps.BlockedBy[s] = false
			if p.UnblockReconnects && ps.CutByBlock && !ps.Blocks() {
				ps.Connected, ps.CutByBlock = true, false
			}
			t.record(Event{Kind: EvUnblock, User: op.User, Other: op.Target, At: op.At})
		}
	}
	out.done(m, OK)
	if *ps == old {
		return
	}
	a, b := t.ID.Pair()
	for _, u := range [2]UserID{a, b} {
		out.add(Step{Kind: PairChanged, To: u, Thread: t.ID, Pair: *ps, Op: Op{At: op.At}})
	}
}

// create starts a group with its owner and members (R1g).
func (t *Thread) create(m *Step, env *Env, out *Outbox) {
	op := &m.Op
	full := OK
	if len(op.Members)+1 > MaxGroup {
		full = GroupFull
	}
	inv := OK
	if len(t.members) > 0 || len(op.Members)+1 < MinGroup {
		inv = Invalid
	}
	if o := first(inv, m.Pre, full); o != OK {
		out.done(m, o)
		return
	}
	out.done(m, OK)
	t.join(op.User, op.User, op.At, env, out)
	for _, v := range op.Members {
		t.join(v, op.User, op.At, env, out)
	}
}

func (t *Thread) join(u, by UserID, at Time, env *Env, out *Outbox) {
	s := t.Last()
	t.cohorts |= env.cohortBit(u)
	if mb := t.member(u); mb != nil {
		*mb = Member{User: u, Joined: s}
	} else {
		t.members = append(t.members, Member{User: u, Joined: s})
	}
	t.record(Event{Kind: EvJoin, User: u, Other: by, At: at})
	out.add(Step{Kind: Joined, To: u, Thread: t.ID, Seq: s, Op: Op{At: at}})
}

// add makes op.Target a member (R1g). A former member rejoins and sees
// messages from the moment they rejoined.
func (t *Thread) add(m *Step, env *Env, out *Outbox) {
	op := &m.Op
	inv, nm, full := OK, OK, OK
	if !t.current(op.User) {
		nm = NotMember
	}
	if t.current(op.Target) {
		inv = Invalid // already a member: invalid comes first (DESIGN.md section 5)
	}
	if t.count() >= MaxGroup {
		full = GroupFull
	}
	if o := first(inv, nm, m.Pre, full); o != OK {
		out.done(m, o)
		return
	}
	out.done(m, OK)
	t.join(op.Target, op.User, op.At, env, out)
}

func (t *Thread) count() int {
	n := 0
	for _, mb := range t.members {
		if !mb.HasLeft() {
			n++
		}
	}
	return n
}

func (t *Thread) leave(m *Step, out *Outbox) {
	op := &m.Op
	if !t.ID.IsGroup() {
		out.done(m, Invalid)
		return
	}
	mb := t.member(op.User)
	if mb == nil || mb.HasLeft() {
		out.done(m, NotMember)
		return
	}
	mb.leave(t.Last())
	t.record(Event{Kind: EvLeave, User: op.User, At: op.At})
	out.done(m, OK)
	out.add(Step{Kind: Left, To: op.User, Thread: t.ID, Op: Op{At: op.At}})
}

// find returns the sequence number of the message with key k, or 0. It
// scans from the newest message: deletes and edits mostly follow their
// send closely, and an index would cost more memory per message than the
// scan costs time.
func (t *Thread) find(k MsgKey) Seq {
	for i := len(t.messages) - 1; i >= 0; i-- {
		if t.messages[i].Key == k {
			return Seq(i + 1)
		}
	}
	return 0
}

// seen reports whether member mb ever received the message at s.
func (mb *Member) seen(s Seq) bool {
	return s > mb.Joined && (!mb.HasLeft() || s <= mb.Left())
}

// lookup finds the message with key k and judges whether u may act on it:
// not_found, then not_member.
func (t *Thread) lookup(k MsgKey, u UserID) (Seq, *Message, Outcome) {
	s := t.find(k)
	if s == 0 || k == 0 {
		return 0, nil, NotFound
	}
	mb := t.member(u)
	if mb == nil || !mb.seen(s) {
		return s, nil, NotMember
	}
	return s, &t.messages[s-1], OK
}

// hidden reports whether u deleted the message at s for themself.
func (t *Thread) hidden(s Seq, u UserID) bool {
	for _, h := range t.r().hides {
		if h.Seq == s && h.User == u {
			return true
		}
	}
	return false
}

// delete applies delete for me (R3) or for everyone where the policy has it.
func (t *Thread) delete(m *Step, p *Policy, out *Outbox) {
	op := &m.Op
	s, msg, o := t.lookup(op.Msg, op.User)
	if o != OK {
		out.done(m, o)
		return
	}
	author := msg.Author == op.User
	// Each check fills the slot of the outcome it fails with; the first in
	// precedence order decides.
	var notAllowed, notAuthor, alreadyDeleted, windowExpired Outcome
	if op.Everyone {
		if !p.DeleteForEveryone || (t.ID.IsGroup() && !p.DeleteEveryoneInGroups) {
			notAllowed = NotAllowed
		}
		if !author {
			notAuthor = NotAuthor
		}
		if msg.Recalled {
			alreadyDeleted = AlreadyDeleted
		}
		if p.DeleteWindow > 0 && op.At.Sub(msg.At) > p.DeleteWindow {
			windowExpired = WindowExpired
		}
	} else {
		if !author && !p.DeleteReceived {
			notAuthor = NotAuthor
		}
		if msg.Recalled || t.hidden(s, op.User) {
			alreadyDeleted = AlreadyDeleted
		}
	}
	if o := first(notAllowed, notAuthor, alreadyDeleted, windowExpired); o != OK {
		out.done(m, o)
		return
	}
	if op.Everyone {
		msg.Recalled = true
		t.record(Event{Kind: EvDeleteAll, User: op.User, Seq: s, At: op.At})
	} else {
		r := t.w()
		r.hides = append(r.hides, hide{Seq: s, User: op.User})
		t.record(Event{Kind: EvDeleteMe, User: op.User, Seq: s, At: op.At})
	}
	out.done(m, OK)
	if op.Everyone && p.NotifyOnDelete {
		for _, mb := range t.members {
			if mb.User != op.User && mb.seen(s) && !mb.HasLeft() {
				out.add(Step{Kind: DeleteNotice, To: mb.User, Thread: t.ID, Author: op.User, Seq: s, Op: Op{At: op.At}})
			}
		}
	}
}

// edit replaces a message's text where the policy allows editing.
func (t *Thread) edit(m *Step, p *Policy, out *Outbox) {
	op := &m.Op
	s, msg, o := t.lookup(op.Msg, op.User)
	if o != OK {
		out.done(m, o)
		return
	}
	// Each check fills the slot of the outcome it fails with; the first in
	// precedence order decides.
	var notAllowed, notAuthor, alreadyDeleted, windowExpired Outcome
	if !p.Edit || (p.EditLimit > 0 && int(msg.Edits) >= p.EditLimit) || msg.Edits == 255 {
		notAllowed = NotAllowed
	}
	if msg.Author != op.User {
		notAuthor = NotAuthor
	}
	if msg.Recalled || t.hidden(s, op.User) {
		alreadyDeleted = AlreadyDeleted
	}
	if p.EditWindow > 0 && op.At.Sub(msg.At) > p.EditWindow {
		windowExpired = WindowExpired
	}
	if o := first(notAllowed, notAuthor, alreadyDeleted, windowExpired); o != OK {
		out.done(m, o)
		return
	}
	t.record(Event{Kind: EvEdit, User: op.User, Seq: s, Text: msg.Text, At: op.At})
	msg.Text = op.Text
	msg.Edits++
	out.done(m, OK)
}

// clear applies delete_thread to the caller's view (R4).
func (t *Thread) clear(m *Step, out *Outbox) {
	op := &m.Op
	if !t.ID.IsGroup() && len(t.messages) == 0 {
		// A direct thread exists once its pair exchanged a message
		// (DESIGN.md section 1); before that only its pair state does.
		out.done(m, NotFound)
		return
	}
	mb := t.member(op.User)
	if mb == nil {
		out.done(m, NotMember)
		return
	}
	mb.Cleared = t.Last()
	t.record(Event{Kind: EvClear, User: op.User, At: op.At})
	out.done(m, OK)
	out.add(Step{Kind: Cleared, To: op.User, Thread: t.ID, Op: Op{At: op.At}})
}

// report records a reported message for moderation (R10).
func (t *Thread) report(m *Step, out *Outbox) {
	s, _, o := t.lookup(m.Op.Msg, m.Op.User)
	if o != OK {
		out.done(m, o)
		return
	}
	t.Reports++
	t.record(Event{Kind: EvReport, User: m.Op.User, Seq: s, At: m.Op.At})
	out.done(m, OK)
	if m.Op.AndBlock {
		out.add(reportBlock(m))
	}
}

// mark starts or ends hiding a blocked user's messages from the blocker in
// a group (R7).
func (t *Thread) mark(m *Step) {
	blocker, blocked := m.Op.User, m.Op.Target
	if m.On {
		if t.openMark(blocker, blocked) != nil {
			return // the block already hides them here (a rejoin after it)
		}
		r := t.w()
		r.marks = append(r.marks, mark{Blocker: blocker, Blocked: blocked, From: t.Last()})
		t.record(Event{Kind: EvMark, User: blocker, Other: blocked, At: m.Op.At})
		return
	}
	r := t.r()
	for i := range r.marks {
		mk := &r.marks[i]
		if mk.Blocker == blocker && mk.Blocked == blocked && mk.Until == 0 {
			mk.Until = t.Last()
			if mk.Until == mk.From {
				r.marks = append(r.marks[:i], r.marks[i+1:]...)
			}
			t.record(Event{Kind: EvUnmark, User: blocker, Other: blocked, At: m.Op.At})
			return
		}
	}
}

// openMark returns the mark blocker keeps open on blocked, or nil.
func (t *Thread) openMark(blocker, blocked UserID) *mark {
	r := t.r()
	for i := range r.marks {
		if mk := &r.marks[i]; mk.Blocker == blocker && mk.Blocked == blocked && mk.Until == 0 {
			return mk
		}
	}
	return nil
}

// markedAt reports whether a mark hides author's message at s from viewer.
func (t *Thread) markedAt(viewer, author UserID, s Seq) bool {
	for _, mk := range t.r().marks {
		if mk.Blocker == viewer && mk.Blocked == author && s > mk.From && (mk.Until == 0 || s <= mk.Until) {
			return true
		}
	}
	return false
}

// Compact moves the thread's storage into arrays at most a quarter larger
// than its contents, for a passivated thread. The quarter of headroom keeps
// a thread that passivates after every step from copying its messages at
// every step: a copy happens once per quarter of growth. (Clipping a slice
// would not do: the array behind it stays as large as it grew.)
func (t *Thread) Compact() {
	t.messages = shrink(t.messages)
	t.members = shrink(t.members)
	if r := t.rare; r != nil {
		r.log, r.hides, r.marks = shrink(r.log), shrink(r.hides), shrink(r.marks)
		if r.log == nil && r.hides == nil && r.marks == nil {
			t.rare = nil
		}
	}
}

// shrink returns s in an array with room for at most a quarter more.
func shrink[T any](s []T) []T {
	n := len(s)
	switch {
	case n == 0:
		return nil
	case cap(s)-n <= n/4:
		return s
	}
	return append(make([]T, 0, n+n/4), s...)
}
