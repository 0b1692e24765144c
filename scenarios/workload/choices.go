package workload

import "github.com/msgsim/msgsim/sim"

// sessionAction turns an action a of u's session at time at into an operation, or
// reports false when it yields none now (an owed thread action, a send
// that a reply already stood for, nothing to act on).
func (s *Stream) sessionAction(u sim.UserID, a sim.Action, at sim.Time, op *sim.Op) bool {
	p := s.people
	*op = sim.Op{Action: a, At: at, User: u}
	switch a {
	case sim.Send:
		if p.replies > 0 {
			p.replies--
			return false
		}
		return s.initiate(u, at, op)
	case sim.Read:
		return s.owe(owedRead, op)
	case sim.Archive:
		return s.owe(owedArchive, op)
	case sim.Unarchive:
		return s.owe(owedUnarchive, op)
	case sim.Mute:
		return s.owe(owedMute, op)
	case sim.Unmute:
		return s.owe(owedUnmute, op)
	case sim.DeleteThread:
		return s.owe(owedClear, op)
	case sim.Delete:
		if p.received > 0 && uint32(s.rnd.uint64()) < p.received && p.owed[owedDelete] < owedCap {
			p.owed[owedDelete]++
			p.anyOwed++
			return false
		}
		if !s.ownSend(op) {
			return false
		}
		if s.isStale() { // the client sends the delete again a moment later
			s.retryLater(op, retryDelete, 1)
		}
		return true
	case sim.Edit:
		if s.someoneElses(op) {
			return true
		}
		if !s.ownSend(op) {
			return false
		}
		if s.isStale() { // fixing a typo, and again: past an edit limit
			s.retryLater(op, editAgain, 6)
		}
		return true
	case sim.ViewProfile:
		if x, y, ok := s.staleBlock(); ok {
			op.User, op.Target = y, x
			return true
		}
		v, ok := s.connectionOf(u)
		if !ok || s.rnd.float64() < strangerView {
			v = otherUser(u, s.rnd.uint64(), uint64(s.g.Users()))
		}
		op.Target = v
	case sim.Block:
		v, ok := s.connectionOf(u)
		if !ok {
			return false
		}
		op.Target = v
		p.pairs.block(u, v)
		s.blocks.push(blockPair{blocker: u, blocked: v, live: true})
	case sim.Unblock:
		b := s.liveBlock()
		if b == nil {
			return false
		}
		op.User, op.Target = b.blocker, b.blocked
		b.live = false
		p.pairs.unblock(b.blocker, b.blocked)
	case sim.Report, sim.Disconnect:
		if a == sim.Report && s.reportMessage(op) {
			return true
		}
		v, ok := s.connectionOf(u)
		if !ok {
			return false
		}
		op.Target = v
		op.AndBlock = a == sim.Report && s.rnd.float64() < reportBlocks
		if op.AndBlock {
			p.pairs.block(u, v)
			s.blocks.push(blockPair{blocker: u, blocked: v, live: true})
		}
		if a == sim.Disconnect {
			p.pairs.disconnect(u, v)
			p.cutoffs.push([2]sim.UserID{u, v})
		}
	case sim.Connect:
		if x, y, ok := s.staleBlock(); ok {
			op.User, op.Target = y, x
			return true
		}
		v := s.stranger(u)
		if v == u {
			return false
		}
		op.Target = v
		p.pairs.connect(u, v)
	case sim.Notifications:
		s.quiet[u/64] ^= 1 << (u % 64)
		op.On = s.quiet[u/64]&(1<<(u%64)) == 0
	case sim.Post:
		op.Text = texts[s.rnd.uint64()%uint64(len(texts))]
	case sim.CreateGroup:
		return s.createGroup(u, at, op)
	case sim.AddMember:
		return s.addMember(op)
	case sim.LeaveGroup:
		return s.leaveGroup(op)
	}
	return true
}

// isStale draws whether an action goes to a stale target.
func (s *Stream) isStale() bool {
	return s.people.stale > 0 && uint32(s.rnd.uint64()) < s.people.stale
}

// staleBlock returns, for a stale action, a remembered block: blocker x
// of y, for y to act on x across it (view x's profile, connect to x).
func (s *Stream) staleBlock() (x, y sim.UserID, ok bool) {
	if !s.isStale() {
		return 0, 0, false
	}
	b := s.blockPair()
	if b == nil {
		return 0, 0, false
	}
	return b.blocker, b.blocked, true
}

// connectionOf returns a random connection of u that u's client offers.
func (s *Stream) connectionOf(u sim.UserID) (sim.UserID, bool) {
	nb := s.g.Neighbours(u)
	if len(nb) == 0 {
		return 0, false
	}
	for range 4 {
		v := nb[s.rnd.below(uint64(len(nb)))]
		if !s.people.pairs.shunned(u, v) {
			return v, true
		}
	}
	return 0, false
}

// tie returns the connection u writes to, by u's ties.
func (s *Stream) tie(u sim.UserID) (sim.UserID, bool) {
	p := s.people
	nb := s.g.Neighbours(u)
	for range 4 {
		v, ok := p.ties.pick(u, nb, s.rnd.uint64(), s.rnd.uint64())
		if !ok {
			return 0, false
		}
		if !p.pairs.shunned(u, v) {
			return v, true
		}
	}
	return 0, false
}

// initiate makes op a send that starts or resumes a conversation: to one
// of u's groups with probability groupSend when u is in groups, to a tie
// otherwise. A stale send goes to someone who blocked its sender, to
// someone its sender blocked (a block stops both ways where the policy
// says so), or to a group its sender left.
func (s *Stream) initiate(u sim.UserID, at sim.Time, op *sim.Op) bool {
	p := s.people
	if k := s.staleOf(3); k >= 0 {
		for i := range 3 {
			switch kind := (k + i) % 3; kind {
			case 0, 1:
				b := s.blockPair()
				if b == nil {
					continue
				}
				from, to := b.blocked, b.blocker
				if kind == 1 {
					from, to = b.blocker, b.blocked
				}
				s.emitSend(from, uint32(to), at, op)
				return true
			default:
				if l := s.leftGroup(); l != nil {
					s.emitSend(l.user, groupMark|l.group, at, op)
					return true
				}
			}
		}
	}
	if s.rnd.float64() < groupSend {
		if gs := s.members.of(u); len(gs) > 0 {
			n := gs[s.rnd.below(uint64(len(gs)))]
			if p.groups[n].has(u) {
				s.emitSend(u, groupMark|n, at, op)
				return true
			}
		}
	}
	v, ok := s.tie(u)
	if !ok {
		return false
	}
	s.emitSend(u, uint32(v), at, op)
	return true
}

// staleOf draws whether an action goes to a stale target and, when it
// does, which of n kinds of stale target; -1 when it does not.
func (s *Stream) staleOf(n int) int {
	if !s.isStale() {
		return -1
	}
	return int(s.rnd.below(uint64(n)))
}

// blockPair returns a remembered block that stands, or nil.
func (s *Stream) blockPair() *blockPair {
	for range 4 {
		if b := s.blocks.random(s.rnd); b != nil && b.live {
			return b
		}
	}
	return nil
}

// leftGroup returns a remembered leave of a group whose user has not
// come back, or nil.
func (s *Stream) leftGroup() *leave {
	if l := s.people.leaves.random(s.rnd); l != nil && !s.people.groups[l.group].has(l.user) {
		return l
	}
	return nil
}

// emitSend makes op a send by u in the thread u names by other, remembers
// it for deletes and edits, schedules its regret, and hands out what its
// delivery causes when the model expects it accepted.
func (s *Stream) emitSend(u sim.UserID, other uint32, at sim.Time, op *sim.Op) {
	p := s.people
	r := s.rnd.uint64()
	key := s.nextKey
	s.nextKey++
	*op = sim.Op{Action: sim.Send, At: at, User: u, Msg: key, Text: texts[r%uint64(len(texts))]}
	m := sentMsg{key: key, user: u, other: other &^ groupMark}
	group := other&groupMark != 0
	if group {
		m.key |= groupFlag
	} else {
		op.Target = sim.UserID(other)
	}
	op.Thread = m.thread()
	s.sent.push(m)
	if uint32(r>>32) < s.regret.cut {
		if d := at + s.regret.delay(s.rnd); d < s.end && d >= at {
			s.sched.push(event{at: d, kind: regretDelete, msg: m})
		}
	}
	switch {
	case group && p.groups[other&^groupMark].has(u):
		s.deliveredGroup(u, other, at, key)
	case !group && !p.pairs.refused(u, sim.UserID(other)):
		s.deliveredDirect(u, sim.UserID(other), at, key)
	}
}

// deliveredDirect is what a direct message from from to to at time at
// causes: a reply, or the next owed thread actions of its recipient.
func (s *Stream) deliveredDirect(from, to sim.UserID, at sim.Time, key sim.MsgKey) {
	p := s.people
	if p.replyDirect > 0 && uint32(s.rnd.uint64()) < p.replyDirect {
		p.later(s, habit{at: at + max(p.reply.draw(s.rnd), reactFloor), ref: uint64(at), user: to, other: uint32(from), kind: reply})
		return
	}
	s.handOut(to, uint32(from), at, key)
}

// deliveredGroup is what a group message causes: perhaps a reply from
// another member, and the owed thread actions of the members who do not
// reply.
func (s *Stream) deliveredGroup(from sim.UserID, other uint32, at sim.Time, key sim.MsgKey) {
	p := s.people
	g := &p.groups[other&^groupMark]
	replier := from
	if len(g.members) > 1 && p.replyGroup > 0 && uint32(s.rnd.uint64()) < p.replyGroup {
		for range 4 {
			if m := g.members[s.rnd.below(uint64(len(g.members)))]; m != from {
				replier = m
				break
			}
		}
		if replier != from {
			p.later(s, habit{at: at + max(p.reply.draw(s.rnd), reactFloor), ref: uint64(at), user: replier, other: other, kind: reply})
		}
	}
	if p.anyOwed == 0 {
		return
	}
	for i := 0; i < len(g.members) && p.anyOwed > 0; i++ {
		if m := g.members[i]; m != from && m != replier {
			s.handOut(m, other, at, key)
		}
	}
}

// handOut gives user the owed thread actions on the thread they name by
// other, after the delivery at time at of message key: a read after the
// read delay, a delete of the message then, a mute then, an archive and a
// thread deletion a tidy delay after the read (whether the thread went
// quiet meanwhile is not looked at). Near the end of the
// workload the delays are drawn cut at its end (lognormal.within), so that
// what arrivals owe is made and the mix holds whatever the duration.
func (s *Stream) handOut(user sim.UserID, other uint32, at sim.Time, key sim.MsgKey) {
	p := s.people
	if p.anyOwed == 0 {
		return
	}
	seen, ok := p.read.within(s.rnd, at, s.end)
	if !ok {
		return
	}
	give := func(k int, kind habitKind, when sim.Time) {
		ref := uint64(at)
		if kind == deleteReceived {
			ref = uint64(key)
		}
		if p.owed[k] > 0 && p.later(s, habit{at: when, ref: ref, user: user, other: other, kind: kind}) {
			p.owed[k]--
			p.anyOwed--
		}
	}
	give(owedRead, readThread, seen)
	give(owedDelete, deleteReceived, seen)
	give(owedMute, muteThread, seen)
	for _, tidy := range [...]struct {
		k    int
		kind habitKind
	}{{owedArchive, archiveThread}, {owedClear, clearThread}} {
		if p.owed[tidy.k] > 0 {
			if when, ok := p.tidy.within(s.rnd, seen, s.end); ok {
				give(tidy.k, tidy.kind, when)
			}
		}
	}
}

// owe records that an arrival owes thread action k, to be handed out to
// a delivery, and reports false; once owedCap are owed, the arrival acts
// at once on one of its user's groups (op holds the arrival), or on
// nothing.
func (s *Stream) owe(k int, op *sim.Op) bool {
	p := s.people
	if p.owed[k] < owedCap {
		p.owed[k]++
		p.anyOwed++
		return false
	}
	gs := s.members.of(op.User)
	if len(gs) == 0 {
		return false
	}
	op.Thread = sim.Group(gs[s.rnd.below(uint64(len(gs)))])
	return true
}

// habit turns a due habit into an operation, or reports false when it
// yields none, with why it came.
func (s *Stream) habit(h *habit, op *sim.Op) (bool, cause) {
	p := s.people
	why := cause{kind: habitual, since: sim.Time(h.ref)}
	switch h.kind {
	case goOn:
		return s.session(h.user, h.at, op), cause{kind: arrived}
	case reply:
		return s.answer(h, op), cause{kind: answered, since: sim.Time(h.ref)}
	case greetGroup:
		if !p.groups[h.other&^groupMark].has(h.user) {
			return false, why
		}
		s.emitSend(h.user, h.other, h.at, op)
		return true, cause{kind: arrived}
	case deleteReceived, retryDelete:
		why.since = 0
		*op = sim.Op{Action: sim.Delete, At: h.at, User: h.user, Thread: h.thread(), Msg: sim.MsgKey(h.ref)}
	case editAgain:
		why.since = 0
		*op = sim.Op{Action: sim.Edit, At: h.at, User: h.user, Thread: h.thread(), Msg: sim.MsgKey(h.ref),
			Text: texts[s.rnd.uint64()%uint64(len(texts))]}
	default:
		*op = sim.Op{Action: habitActions[h.kind], At: h.at, User: h.user, Thread: h.thread()}
		if s.isStale() {
			v := s.stranger(h.user)
			op.Thread, op.Target = sim.Direct(h.user, v), v
			return true, why
		}
		switch h.kind {
		case archiveThread:
			s.undoLater(owedUnarchive, unarchiveThread, h)
		case muteThread:
			s.undoLater(owedUnmute, unmuteThread, h)
		}
	}
	if h.other&groupMark == 0 {
		op.Target = sim.UserID(h.other)
	}
	return true, why
}

// habitActions are the actions of the habits that are thread actions.
var habitActions = [...]sim.Action{
	readThread: sim.Read, archiveThread: sim.Archive, unarchiveThread: sim.Unarchive,
	muteThread: sim.Mute, unmuteThread: sim.Unmute, clearThread: sim.DeleteThread,
}

// undoLater schedules the owed undoing (kind) of habit h a tidy delay
// after it.
func (s *Stream) undoLater(k int, kind habitKind, h *habit) {
	p := s.people
	if p.owed[k] == 0 {
		return
	}
	when, ok := p.tidy.within(s.rnd, h.at, s.end)
	if ok && p.later(s, habit{at: when, ref: h.ref, user: h.user, other: h.other, kind: kind}) {
		p.owed[k]--
		p.anyOwed--
	}
}

// answer makes op the reply of habit h, unless its user left the group
// or blocked the other user meanwhile.
func (s *Stream) answer(h *habit, op *sim.Op) bool {
	p := s.people
	if h.other&groupMark != 0 {
		if !p.groups[h.other&^groupMark].has(h.user) {
			return false
		}
	} else if p.pairs.blocks(h.user, sim.UserID(h.other)) {
		return false
	}
	p.replies++
	s.emitSend(h.user, h.other, h.at, op)
	return true
}

// randomGroup returns a group with at least min members, or false.
func (s *Stream) randomGroup(least int) (uint32, bool) {
	p := s.people
	if len(p.groups) == 0 {
		return 0, false
	}
	for range 8 {
		n := uint32(s.rnd.below(uint64(len(p.groups))))
		if len(p.groups[n].members) >= least {
			return n, true
		}
	}
	return 0, false
}

// createGroup makes op a new group of u with two to four of u's ties, and
// has u greet it soon when the model expects the creation accepted. A
// stale creation includes, besides ties, a user across a block or a
// former connection.
func (s *Stream) createGroup(u sim.UserID, at sim.Time, op *sim.Op) bool {
	p := s.people
	m := make([]sim.UserID, 0, maxCreateMembers+1) // the caller keeps it: in parallel mode the operation is in flight after the next
	if k := s.staleOf(2); k >= 0 {
		b, c := s.blockPair(), p.cutoffs.random(s.rnd)
		switch {
		case b != nil && (k == 0 || c == nil):
			u, m = b.blocked, append(m, b.blocker)
		case c != nil:
			u, m = c[0], append(m, c[1])
		}
	}
	if s.g.Degree(u) < 2 {
		return false
	}
	want := len(m) + 2 + int(s.rnd.below(maxCreateMembers-1))
	for tries := 0; len(m) < want && tries < 4*want; tries++ {
		if v, ok := s.tie(u); ok && !containsUser(m, v) {
			m = append(m, v)
		}
	}
	if len(m) < 2 {
		return false
	}
	n := s.nextGroup
	s.nextGroup++
	op.User, op.Thread, op.Members = u, sim.Group(n), m
	g := groupState{}
	accepted := true
	for _, v := range m {
		accepted = accepted && !p.pairs.refused(u, v) && (s.g.Connected(u, v) || p.pairs.connected(u, v))
	}
	if accepted {
		g.members = append(append(make([]sim.UserID, 0, len(m)+1), u), m...)
		p.later(s, habit{at: at + max(sim.Time(s.rnd.exp()*p.gap), 1), user: u, other: groupMark | n, kind: greetGroup})
	}
	p.groups = append(p.groups, g)
	return true
}

// addMember makes op an addition of a connection to a group by one of
// its members. A stale one adds across a block, a former connection, a
// member already there, or is made by a member who left: the first of
// those, from a random one on, that the stream has at hand.
func (s *Stream) addMember(op *sim.Op) bool {
	p := s.people
	if k := s.staleOf(4); k >= 0 {
		for i := range 4 {
			if s.staleAdd((k+i)%4, op) {
				return true
			}
		}
	}
	n, ok := s.randomGroup(1)
	if !ok {
		return false
	}
	g := &p.groups[n]
	adder := g.members[s.rnd.below(uint64(len(g.members)))]
	for range 4 {
		v, ok := s.connectionOf(adder)
		if !ok || g.has(v) {
			continue
		}
		op.User, op.Target, op.Thread = adder, v, sim.Group(n)
		if len(g.members) < sim.MaxGroup && !p.pairs.refused(adder, v) {
			g.members = append(g.members, v)
		}
		return true
	}
	return false
}

// staleAdd makes op a stale addition of kind k, and reports whether the
// stream had one at hand.
func (s *Stream) staleAdd(k int, op *sim.Op) bool {
	p := s.people
	switch k {
	case 0: // across a block: blocked
		b := s.blockPair()
		return b != nil && (s.addTo(op, b.blocker, b.blocked) || s.addTo(op, b.blocked, b.blocker))
	case 1: // a former connection: not_connected
		c := p.cutoffs.random(s.rnd)
		return c != nil && s.addTo(op, c[0], c[1])
	case 2: // a member already there: invalid
		n, ok := s.randomGroup(2)
		if ok {
			g := &p.groups[n]
			i := s.rnd.below(uint64(len(g.members)))
			op.User, op.Target, op.Thread = g.members[i], g.members[(i+1)%uint64(len(g.members))], sim.Group(n)
		}
		return ok
	default: // by a member who left: not_member
		if l := s.leftGroup(); l != nil {
			if v, ok := s.connectionOf(l.user); ok && !p.groups[l.group].has(v) {
				op.User, op.Target, op.Thread = l.user, v, sim.Group(l.group)
				return true
			}
		}
		return false
	}
}

// addTo makes op an addition of v, by u, to one of u's groups that v is
// not in, and reports whether u has one.
func (s *Stream) addTo(op *sim.Op, u, v sim.UserID) bool {
	for _, n := range s.members.of(u) {
		if g := &s.people.groups[n]; g.has(u) && !g.has(v) {
			op.User, op.Target, op.Thread = u, v, sim.Group(n)
			return true
		}
	}
	return false
}

// leaveGroup makes op a member leaving a group; a stale one leaves a
// group its user already left.
func (s *Stream) leaveGroup(op *sim.Op) bool {
	p := s.people
	if s.isStale() {
		if l := s.leftGroup(); l != nil {
			op.User, op.Thread = l.user, sim.Group(l.group)
			return true
		}
	}
	n, ok := s.randomGroup(2)
	if !ok {
		return false
	}
	g := &p.groups[n]
	u := g.members[s.rnd.below(uint64(len(g.members)))]
	g.remove(u)
	p.leaves.push(leave{user: u, group: n})
	op.User, op.Thread = u, sim.Group(n)
	return true
}

// Shares of the realistic model's reports (assumptions, see docs/scenario-format.md).
const (
	reportBlocks   = 0.25 // reports that also block the reported user
	reportsMessage = 0.5  // reports of a message received rather than of a user
)

// retryLater schedules, a few seconds apart after op, n more of op's
// delete or edit by the same user (habit kind k): what a client that
// retries on a stale state sends.
func (s *Stream) retryLater(op *sim.Op, k habitKind, n int) {
	other := uint32(op.Target)
	if op.Thread.IsGroup() {
		other = groupMark | op.Thread.GroupNumber()
	}
	at := op.At
	for range n {
		at += sim.Time(1+s.rnd.below(30)) * sim.Time(1e9)
		s.people.later(s, habit{at: at, ref: uint64(op.Msg), user: op.User, other: other, kind: k})
	}
}

// someoneElses makes op, for a stale client, an edit of a message
// someone else sent to the user (refused: only the author edits), and
// reports whether it did.
func (s *Stream) someoneElses(op *sim.Op) bool {
	if !s.isStale() {
		return false
	}
	m := s.sent.random(s.rnd)
	if m == nil || m.key == 0 || m.key&groupFlag != 0 {
		return false
	}
	op.User, op.Target, op.Thread, op.Msg = sim.UserID(m.other), m.user, m.thread(), m.msg()
	op.Text = texts[s.rnd.uint64()%uint64(len(texts))]
	return true
}

// reportMessage makes op, for some reports, a report of a direct message
// its recipient received, with a block at the reportBlocks share, and
// reports whether it did.
func (s *Stream) reportMessage(op *sim.Op) bool {
	if s.rnd.float64() >= reportsMessage {
		return false
	}
	m := s.sent.random(s.rnd)
	if m == nil || m.key == 0 || m.key&groupFlag != 0 {
		return false
	}
	op.User, op.Target, op.Thread, op.Msg = sim.UserID(m.other), m.user, m.thread(), m.msg()
	op.AndBlock = s.rnd.float64() < reportBlocks
	if op.AndBlock {
		s.people.pairs.block(op.User, op.Target)
		s.blocks.push(blockPair{blocker: op.User, blocked: op.Target, live: true})
	}
	return true
}
