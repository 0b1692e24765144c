package workload

import (
	"math"

	"github.com/msgsim/msgsim/sim"
)

// people is the state of the realistic model (Workload.Model Realistic).
//
// Who acts and when: sessions start as a Poisson process at the phase's
// rate divided by the mean session length; each start picks a user by
// activity (a power law over a seeded ranking of the users) and is kept
// with the probability that user's daily rhythm gives at that time, in
// their time zone (the rhythm shapes when a phase's actions come, not how
// many). A session goes on with a geometric number of actions separated
// by exponential gaps, each drawn from the mix.
//
// What they do: a send starts a conversation with a strong tie (ties), or
// a group; a delivered message gets a reply from its recipient with the
// configured probability after a lognormal delay, and replies get replies
// in turn. Replies take the place of send arrivals (replies counts them),
// so the mix's share of sends holds. Reads, archives, mutes, unarchives,
// unmutes, thread deletions and deletes of received messages are owed by
// their arrivals (owed) and handed out to the next deliveries that are
// not answered: the recipient reads the thread after a delay, archives or
// deletes it a tidy delay after that (standing for the thread going
// quiet, which the model does not look at), mutes it (noisy threads
// receive more and are muted more), deletes the received message;
// unarchives and unmutes undo an archive or a mute some time later. Each
// such action is thus made by a user on a thread they have, about a
// message they received, and the mix's shares hold. With no delivery to
// hand them to (a mix without sends) they act on one of the user's
// groups.
//
// What it remembers: the habits waiting in the calendar, the pairs its
// own operations changed (pairs), the groups' current members, and the
// ring buffers the uniform model keeps (recent sends, blocks). Nothing
// per user: traits are functions of the seed.
type people struct {
	starts  starts
	cal     calendar
	actions actionTable
	ties    ties
	reply   lognormal
	read    lognormal
	tidy    lognormal
	gap     float64 // mean gap within a session, ns
	// cuts for uniform 32-bit values
	replyDirect, replyGroup, stale, received, goOnCut uint32

	owed    [numOwed]int
	anyOwed int   // sum of owed
	replies int   // replies sent that no send arrival has made room for yet
	pairs   pairs // pairs whose state the stream changed
	groups  []groupState
	leaves  ring[leave]         // recent leave_group operations, for stale ones
	cutoffs ring[[2]sim.UserID] // recent disconnects, for stale group creations
	spam    lazySpam

	// observe, when set (by tests), sees every operation with why it came.
	observe func(op *sim.Op, why cause)
}

// cause is why the realistic model made an operation, for tests.
type cause struct {
	kind  causeKind
	since sim.Time // a reply's or habit's delivery time
}

type causeKind uint8

const (
	arrived  causeKind = iota // a session's action
	answered                  // a reply to a delivery at since
	habitual                  // a read, archive... of a delivery at since
	behaved                   // a behaviour: regret, storm, spam, reports
)

// The actions owed by arrivals and handed out to deliveries.
const (
	owedRead = iota
	owedArchive
	owedUnarchive
	owedMute
	owedUnmute
	owedClear
	owedDelete // delete a received message for me
	numOwed
)

// owedCap bounds what arrivals may owe: past it an arrival of a thread
// action acts on one of its user's groups at once.
const owedCap = 1 << 12

// reactFloor is the least delay of a habit: nobody reacts within five
// seconds of a delivery, and in parallel mode the delivery has arrived.
const reactFloor = sim.Time(5e9)

// groupState is a group thread's current members, owner included, as the
// stream's own operations left them. Absent groups (a creation the model
// expects to be refused) have none.
type groupState struct {
	members []sim.UserID
}

func (g *groupState) has(u sim.UserID) bool {
	for _, m := range g.members {
		if m == u {
			return true
		}
	}
	return false
}

func (g *groupState) remove(u sim.UserID) {
	for i, m := range g.members {
		if m == u {
			g.members[i] = g.members[len(g.members)-1]
			g.members = g.members[:len(g.members)-1]
			return
		}
	}
}

type leave struct {
	user  sim.UserID
	group uint32
}

// recentLeaves and recentCuts size the rings of stale targets.
const (
	recentLeaves = 1024
	recentCuts   = 1024
)

// startPeople sets up the realistic model and returns the number of
// operations it expects from its sessions. Set-up is O(1) in the number
// of users, apart from copying the groups' members.
func (s *Stream) startPeople(w Workload, seed uint64) float64 {
	h := w.Habits
	users := s.g.Users()
	act := newActivity(users, h.Activity, seed)
	z := newZones(h.Diurnal, seed)
	p := &people{
		actions:     newActionTable(w.Mix),
		ties:        newTies(h.Ties, seed),
		reply:       newLognormal(h.Replies.Delay),
		read:        newLognormal(h.Read),
		tidy:        newLognormal(h.Tidy),
		gap:         float64(max(h.Sessions.Gap, 1)),
		replyDirect: fraction(min(h.Replies.Direct, 1)),
		replyGroup:  fraction(min(h.Replies.Group, 1)),
		stale:       fraction(min(h.Stale, 1)),
		received:    fraction(min(h.ReceivedDeletes, 1)),
		pairs:       newPairs(),
		cal:         newCalendar(s.end),
		leaves:      newRing[leave](recentLeaves),
		cutoffs:     newRing[[2]sim.UserID](recentCuts),
	}
	mean := min(max(h.Sessions.Actions, 1), MaxSessionActions)
	p.goOnCut = fraction(1 - 1/mean)
	p.groups = make([]groupState, len(s.specs))
	for i, g := range s.specs {
		p.groups[i].members = append(append(make([]sim.UserID, 0, len(g.Members)+1), g.Owner), g.Members...)
	}
	spans := stretches(users, w)
	p.starts = newStarts(spans, mean, act, z, seed, p.actions.total == 0)
	s.people = p
	return expectedArrivals(spans)
}

// nextPeople is Next under the realistic model: the earliest of the
// behaviours, the habits and the session starts, in that order at equal
// times.
func (s *Stream) nextPeople(op *sim.Op) bool {
	p := s.people
	const never = sim.Time(math.MaxInt64)
	for !s.done {
		tStart, tSched := never, never
		st := p.starts.peek()
		if st != nil {
			tStart = st.at
		}
		if s.sched.len() > 0 {
			tSched = s.sched.top().at
		}
		tHabit := never
		h := p.cal.peek(min(tStart, tSched))
		if h != nil {
			tHabit = h.at
		}
		var ok bool
		why := cause{kind: behaved}
		switch {
		case tSched != never && tSched <= tHabit && tSched <= tStart:
			e := s.sched.pop()
			ok = s.behave(&e, op)
		case tHabit != never && tHabit <= tStart:
			hb := p.cal.pop()
			ok, why = s.habit(&hb, op)
		case st != nil:
			at, u := st.at, st.user
			p.starts.pop()
			ok = s.session(u, at, op)
			why = cause{kind: arrived}
		default:
			s.done = true
			continue
		}
		if ok {
			s.now = op.At
			if p.observe != nil {
				p.observe(op, why)
			}
			return true
		}
	}
	return false
}

// later schedules h unless it falls at or after the end of the workload.
func (p *people) later(s *Stream, h habit) bool {
	if h.at >= s.end || h.at < 0 {
		return false
	}
	p.cal.push(h)
	return true
}

// session makes one action of a session of u at time at, and schedules
// the next one with the probability that the session goes on.
func (s *Stream) session(u sim.UserID, at sim.Time, op *sim.Op) bool {
	p := s.people
	r := s.rnd.uint64()
	if uint32(r>>32) < p.goOnCut {
		gap := sim.Time(s.rnd.exp() * p.gap)
		p.later(s, habit{at: at + max(gap, 1), user: u, kind: goOn})
	}
	return s.sessionAction(u, p.actions.draw(uint32(r)), at, op)
}

// starts are the session starts: a Poisson process at the phase's rate
// divided by the mean session length and multiplied by the highest daily
// rhythm, each start kept with the probability its user's rhythm gives.
type starts struct {
	poisson
	over  bool
	act   activity
	zones zones
	top   float64 // 1 + amplitude
	next  start
	ready bool
}

type start struct {
	at   sim.Time
	user sim.UserID
}

// newStarts returns the session starts over spans. The rhythm shapes
// when a stretch's actions come, not how many: each stretch's rate is
// divided by the population's mean rhythm over it, so that a phase (or a
// run) shorter than a day has the actions its rate gives, at whatever
// time of day it falls.
func newStarts(spans []stretch, meanSession float64, act activity, z zones, seed uint64, empty bool) starts {
	st := starts{poisson: poisson{src: newSource(seed, streamStarts)}, act: act, zones: z, top: 1 + z.amplitude}
	begin := 0.0
	for _, sp := range spans {
		// A stretch within the deep trough of a full-amplitude rhythm would
		// need ever more candidates for its actions: past 20 a kept one,
		// it keeps fewer actions than its rate gives.
		rate := sp.rate * st.top / meanSession / max(z.mean(begin, sp.end), 0.05)
		st.spans = append(st.spans, stretch{end: sp.end, rate: rate, mean: 1 / rate})
		begin = sp.end
	}
	st.over = empty || len(st.spans) == 0
	return st
}

// peek returns the next session start, or nil after the last.
func (st *starts) peek() *start {
	for !st.ready {
		if st.over || !st.advance() {
			st.over = true
			return nil
		}
		u := st.act.draw(st.src.uint64())
		if st.top == 1 || st.src.float64()*st.top < st.zones.rhythm(st.zones.zone(u), st.clock) {
			st.next = start{at: sim.Time(st.clock), user: u}
			st.ready = true
		}
	}
	return &st.next
}

func (st *starts) pop() { st.ready = false }
