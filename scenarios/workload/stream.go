package workload

import (
	"math"

	"github.com/msgsim/msgsim/sim"
)

// Stream generates a workload's operations over simulated time, pulled one
// at a time with Next. Operations come out in non-decreasing At order, and
// the same graph, groups, workload and seed give the identical sequence.
//
// How each action chooses its target under the uniform model (people
// says how under the realistic one):
//
//   - send: a random connection (Thread = sim.Direct), or with probability
//     groupSend, when the user belongs to groups, one of those groups; a
//     fresh MsgKey (a counter from 1) and one of 64 canned texts.
//   - read, archive, unarchive, mute, unmute, delete_thread: a thread the
//     user has, chosen the same way as a send's.
//   - delete (for me) and edit: a send drawn uniformly from a window of
//     recent sends of anyone (below), made by its sender, who replaces the
//     arrival's user: senders are uniformly random users, so the actor
//     still is one. A message is deleted at most once by this rule; with no
//     send yet the arrival is dropped.
//   - view_profile: a random connection, or with probability 0.2 any user.
//   - block: a random connection, remembered among the last recentBlocks
//     blocks; unblock: a remembered block, made by its blocker (then
//     forgotten), or when none is left a random connection.
//   - report: a random connection, without blocking.
//   - connect: a user who is not a connection; disconnect: a connection.
//   - notifications: toggles the user's setting.
//   - post: a canned text.
//   - create_group: two to four connections, as a new group numbered after
//     the initial ones; add_member and leave_group: a member of a random
//     initial group (membership changes are not tracked, so some of these
//     fail as they would for a real client); dropped when there are no groups.
//
// A user with no connections acts on a random other user instead, and the
// engine answers not_connected.
//
// Remembering sends in one global window rather than per user keeps
// per-user state to one bit (the notification setting) and keeps a send
// from touching memory of its own user, which would cost a cache miss an
// operation on a large population. The window holds four sends per user,
// between 2^12 and 2^20 of them (16 MiB): at 14 sends a user a day, the
// last seven hours of sends, or the last 1.8 hours at a million users.
// Deleted and edited messages are uniform in age over the window; regret
// deletes have their own, configured delays.
//
// A Stream is not safe for concurrent use.
type Stream struct {
	g       *Network
	specs   []GroupSpec
	members membership
	end     sim.Time

	arrivals *arrivals
	rnd      *source // choices made as arrivals become operations
	sched    schedule
	now      sim.Time
	done     bool
	expected int

	nextKey   sim.MsgKey
	nextGroup uint32
	sent      ring[sentMsg]
	blocks    ring[blockPair]
	quiet     []uint64 // bit u: u turned message notifications off

	regret regret
	storm  BlockStorm
	spam   spam

	people *people // the realistic model's state; nil under the uniform model
}

// Tunables of target choice.
const (
	groupSend        = 0.1  // share of a group member's sends and thread actions that go to a group
	strangerView     = 0.2  // share of profile views of any user rather than a connection
	recentBlocks     = 1024 // blocks remembered for unblocks
	targetTries      = 16   // draws to find a non-connection or a user with connections
	maxCreateMembers = 4
)

// groupSendCut is groupSend as a threshold for uniform 26-bit values.
var groupSendCut = fraction(groupSend) >> 6

// sentMsg is a remembered send: its key (0 once the stream deleted it),
// its sender, and its recipient or group number.
type sentMsg struct {
	key   sim.MsgKey // with groupFlag set for a group thread
	user  sim.UserID
	other uint32
}

// groupFlag marks a group send in sentMsg.key; keys never get near it.
const groupFlag = sim.MsgKey(1) << 63

func (m *sentMsg) msg() sim.MsgKey { return m.key &^ groupFlag }

func (m *sentMsg) thread() sim.ThreadID {
	if m.key&groupFlag != 0 {
		return sim.Group(m.other)
	}
	return sim.Direct(m.user, sim.UserID(m.other))
}

// recentSends returns how many sends the delete window holds.
func recentSends(users int) int {
	n := 1 << 12
	for n < 4*users && n < 1<<20 {
		n *= 2
	}
	return n
}

type blockPair struct {
	blocker, blocked sim.UserID
	live             bool
}

// ring keeps the last len(items) values pushed.
type ring[T any] struct {
	items  []T
	pushed uint64
}

func newRing[T any](size int) ring[T] { return ring[T]{items: make([]T, size)} }

func (r *ring[T]) push(v T) {
	r.items[r.pushed%uint64(len(r.items))] = v
	r.pushed++
}

// random returns a random remembered slot, or nil when nothing was pushed.
func (r *ring[T]) random(src *source) *T {
	n := min(r.pushed, uint64(len(r.items)))
	if n == 0 {
		return nil
	}
	return &r.items[src.below(n)]
}

// NewStream returns the operation stream of w over g, whose initial groups
// are specs (from g.Groups; spec i is group thread sim.Group(i)), seeded
// by seed. Values out of range in w count as zero (Workload.Validate
// reports them). Its set-up is O(1) in the size of the workload's
// behaviours, apart from drawing the uniform model's spammers, and linear
// in the population only for indexing the groups' members and sizing the
// ring of recent sends and the notification-setting bitmap.
func NewStream(g *Network, specs []GroupSpec, w Workload, seed uint64) *Stream {
	if w.Model == Realistic {
		return newPeopleStream(g, specs, w, seed)
	}
	actions := newActionTable(w.Mix)
	s := newBareStream(g, specs, w, seed)
	adviseHuge(s.sent.items)
	s.arrivals = newArrivals(g, w, actions, seed)
	s.sched.events = make([]event, 0, 1024)
	arrivals := expectedArrivals(s.arrivals.spans)
	if s.arrivals.over {
		arrivals = 0
	}
	expected := arrivals
	s.startRegretAndStorm(w, arrivals*actions.share(w.Mix, sim.Send), &expected)
	expected += s.startSpam(w.SpamWave, w.ReportWave, seed)
	s.expected = int(math.Round(expected))
	return s
}

// newBareStream returns the state both models start from: the groups'
// members, the clock's end, the choices' source and the rings of recent
// sends and blocks.
func newBareStream(g *Network, specs []GroupSpec, w Workload, seed uint64) *Stream {
	return &Stream{
		g:         g,
		specs:     specs,
		members:   newMembership(g.Users(), specs),
		end:       sim.Time(max(w.Duration, 0)),
		rnd:       newSource(seed, streamChoices),
		nextKey:   1,
		nextGroup: uint32(len(specs)),
		sent:      newRing[sentMsg](recentSends(g.Users())),
		blocks:    newRing[blockPair](recentBlocks),
		quiet:     make([]uint64, (g.Users()+63)/64),
	}
}

// startRegretAndStorm sets up the regret and block-storm behaviours of
// w, both models', adding the operations they make to expected; sends is
// how many sends the stream expects.
func (s *Stream) startRegretAndStorm(w Workload, sends float64, expected *float64) {
	if r := w.Regret; r != nil && r.Share > 0 {
		s.regret = newRegret(*r)
		regrets := sends * min(r.Share, 1)
		if s.regret.fallback {
			regrets *= 2
		}
		*expected += regrets
	}
	if b := w.BlockStorm; b != nil && b.Users > 0 && b.At >= 0 && sim.Time(b.At) < s.end {
		s.storm = *b
		s.sched.push(event{at: sim.Time(b.At), kind: stormBlock})
		*expected += float64(b.Users)
	}
}

// newPeopleStream is NewStream under the realistic model.
func newPeopleStream(g *Network, specs []GroupSpec, w Workload, seed uint64) *Stream {
	s := newBareStream(g, specs, w, seed)
	s.sched.events = make([]event, 0, 1024)
	expected := s.startPeople(w, seed)
	s.startRegretAndStorm(w, expected*s.people.actions.share(w.Mix, sim.Send), &expected)
	expected += s.startLazySpam(w.SpamWave, w.ReportWave, seed)
	s.expected = int(math.Round(expected))
	return s
}

// Expected returns about how many operations the stream yields, for
// progress reports.
func (s *Stream) Expected() int { return s.expected }

// Next fills op with the next operation and reports whether there was one.
// op.Members, when set, is a new slice, which the caller may keep.
func (s *Stream) Next(op *sim.Op) bool {
	if s.people != nil {
		return s.nextPeople(op)
	}
	for !s.done {
		a := s.arrivals.peek()
		if s.sched.len() > 0 && (a == nil || s.sched.top().at <= a.at) {
			if e := s.sched.pop(); s.fire(&e, op) {
				s.now = op.At
				return true
			}
			continue
		}
		if a == nil {
			s.done = true
			break
		}
		s.arrivals.pop()
		if s.act(a, op) {
			s.now = op.At
			return true
		}
	}
	return false
}

// act turns an arrival into an operation, or reports false to drop it.
func (s *Stream) act(a *arrival, op *sim.Op) bool {
	u := a.user
	*op = sim.Op{Action: a.action, At: a.at, User: u}
	switch a.action {
	case sim.Send:
		s.send(a, op)
	case sim.Delete, sim.Edit:
		return s.ownSend(op)
	case sim.Read, sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.DeleteThread:
		op.Thread, op.Target = s.thread(u, a.conn)
	case sim.ViewProfile:
		op.Target = a.conn
		if s.rnd.float64() < strangerView {
			op.Target = otherUser(u, s.rnd.uint64(), uint64(s.g.Users()))
		}
	case sim.Block:
		op.Target = a.conn
		s.blocks.push(blockPair{blocker: u, blocked: a.conn, live: true})
	case sim.Unblock:
		op.Target = a.conn
		if b := s.liveBlock(); b != nil {
			op.User, op.Target = b.blocker, b.blocked
			b.live = false
		}
	case sim.Report, sim.Disconnect:
		op.Target = a.conn
	case sim.Connect:
		op.Target = s.stranger(u)
	case sim.Notifications:
		s.quiet[u/64] ^= 1 << (u % 64)
		op.On = s.quiet[u/64]&(1<<(u%64)) == 0
	case sim.Post:
		op.Text = texts[s.rnd.uint64()%uint64(len(texts))]
	case sim.CreateGroup:
		op.Thread = sim.Group(s.nextGroup)
		s.nextGroup++
		op.Members = s.pickConnections(u, 2+int(s.rnd.below(maxCreateMembers-1)))
	case sim.AddMember, sim.LeaveGroup:
		if len(s.specs) == 0 {
			return false
		}
		n := s.rnd.below(uint64(len(s.specs)))
		spec := &s.specs[n]
		if i := s.rnd.below(uint64(len(spec.Members) + 1)); i < uint64(len(spec.Members)) {
			op.User = spec.Members[i]
		} else {
			op.User = spec.Owner
		}
		op.Thread = sim.Group(uint32(n))
		if a.action == sim.AddMember {
			op.Target = s.connection(op.User)
		}
	}
	return true
}

// send makes op a send by the arrival's user and remembers it. Sends are
// most operations, so one draw makes all three of its choices: the text
// (low 6 bits), a group or not (the next 26) and regret (the high 32).
func (s *Stream) send(a *arrival, op *sim.Op) {
	u := a.user
	r := s.rnd.uint64()
	m := sentMsg{key: s.nextKey, user: u, other: uint32(a.conn)}
	s.nextKey++
	op.Msg, op.Text = m.key, texts[r%uint64(len(texts))]
	if gs := s.members.of(u); len(gs) > 0 && uint32(r)>>6 < groupSendCut {
		m.other = gs[s.rnd.below(uint64(len(gs)))]
		m.key |= groupFlag
	} else {
		op.Target = a.conn
	}
	op.Thread = m.thread()
	s.sent.push(m)
	if uint32(r>>32) < s.regret.cut {
		if at := op.At + s.regret.delay(s.rnd); at < s.end && at >= op.At {
			s.sched.push(event{at: at, kind: regretDelete, msg: m})
		}
	}
}

// ownSend makes op (a delete or an edit) act on a remembered send, by its
// sender, and reports false when there is none to act on.
func (s *Stream) ownSend(op *sim.Op) bool {
	for range 4 { // a few slots may hold deleted messages
		m := s.sent.random(s.rnd)
		if m == nil {
			return false
		}
		if m.key == 0 {
			continue
		}
		op.User, op.Thread, op.Msg = m.user, m.thread(), m.msg()
		if m.key&groupFlag == 0 {
			op.Target = sim.UserID(m.other)
		}
		if op.Action == sim.Edit {
			op.Text = texts[s.rnd.uint64()%uint64(len(texts))]
		} else {
			m.key = 0
		}
		return true
	}
	return false
}

// liveBlock returns a remembered block not yet lifted, or nil.
func (s *Stream) liveBlock() *blockPair {
	for range 4 {
		if b := s.blocks.random(s.rnd); b != nil && b.live {
			return b
		}
	}
	return nil
}

// thread returns a thread u has, and the other user for a direct one.
func (s *Stream) thread(u, conn sim.UserID) (sim.ThreadID, sim.UserID) {
	if gs := s.members.of(u); len(gs) > 0 && s.rnd.float64() < groupSend {
		return sim.Group(gs[s.rnd.below(uint64(len(gs)))]), 0
	}
	return sim.Direct(u, conn), conn
}

// connection returns a random connection of u, or a random other user.
func (s *Stream) connection(u sim.UserID) sim.UserID {
	nb := s.g.Neighbours(u)
	if len(nb) == 0 {
		return otherUser(u, s.rnd.uint64(), uint64(s.g.Users()))
	}
	return nb[s.rnd.below(uint64(len(nb)))]
}

// stranger returns a random user who is not u nor a connection of u (in
// a graph too dense to find one quickly, possibly a connection).
func (s *Stream) stranger(u sim.UserID) sim.UserID {
	var v sim.UserID
	for range targetTries {
		v = otherUser(u, s.rnd.uint64(), uint64(s.g.Users()))
		if !s.g.Connected(u, v) {
			break
		}
	}
	return v
}

// pickConnections returns up to k distinct random connections of u in a
// new slice (random other users when u has none): the caller may keep it,
// as an engine running operations in parallel does while the stream goes
// on (a buffer reused by the next call let a later create_group change
// the members of one still in flight).
func (s *Stream) pickConnections(u sim.UserID, k int) []sim.UserID {
	nb := s.g.Neighbours(u)
	k = min(k, max(len(nb), 1), s.g.Users()-1)
	m := make([]sim.UserID, 0, k)
	for len(m) < k {
		v := s.connection(u)
		if !containsUser(m, v) {
			m = append(m, v)
		}
	}
	return m
}

func containsUser(s []sim.UserID, v sim.UserID) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
