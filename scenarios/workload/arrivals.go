package workload

import (
	"math"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// stretch is a span of simulated time with a constant arrival rate.
type stretch struct {
	end  float64 // ns
	rate float64 // arrivals per ns
	mean float64 // 1/rate: the mean gap between arrivals, in ns
}

// stretches lays w's phases out in time: phase rates multiply the base
// rate users*ActionsPerUserPerDay/24h, phases run in order, and after the
// last one (or with none) the rate is the base rate, all until Duration.
func stretches(users int, w Workload) []stretch {
	end := float64(w.Duration)
	base := float64(users) * max(w.ActionsPerUserPerDay, 0) / float64(24*time.Hour)
	var out []stretch
	t := 0.0
	for _, p := range w.Phases {
		if t >= end {
			break
		}
		if p.Duration <= 0 {
			continue
		}
		t += float64(p.Duration)
		out = append(out, stretch{end: min(t, end), rate: base * max(p.Rate, 0)})
	}
	if t < end {
		out = append(out, stretch{end: end, rate: base})
	}
	for i := range out {
		out[i].mean = 1 / out[i].rate
	}
	return out
}

// expectedArrivals returns the mean number of arrivals over the stretches.
func expectedArrivals(ss []stretch) float64 {
	total, start := 0.0, 0.0
	for _, s := range ss {
		total += (s.end - start) * s.rate
		start = s.end
	}
	return total
}

// arrival is one Poisson arrival: a time, a uniformly chosen user, an
// action from the mix and a uniformly chosen connection of the user (or
// another user, when it has none), looked up ahead of use.
type arrival struct {
	at     sim.Time
	user   sim.UserID
	conn   sim.UserID
	action sim.Action
}

// lookahead is how many arrivals are generated at a time. Users are
// random, so finding a connection costs two cache misses on a large graph;
// looking up a batch together lets those misses overlap.
const lookahead = 64

// arrivals is the global Poisson process of user actions. It has its own
// random stream, so behaviours and choices never shift it.
type arrivals struct {
	poisson
	g       *Network
	actions actionTable
	over    bool

	buf       [lookahead]arrival
	next, end int
}

func newArrivals(g *Network, w Workload, actions actionTable, seed uint64) *arrivals {
	a := &arrivals{poisson: poisson{src: newSource(seed, streamArrivals), spans: stretches(g.Users(), w)},
		g: g, actions: actions}
	a.over = len(a.spans) == 0 || actions.total == 0
	return a
}

// peek returns the next arrival, or nil after the last.
func (a *arrivals) peek() *arrival {
	if a.next == a.end {
		a.fill()
		if a.end == 0 {
			return nil
		}
	}
	return &a.buf[a.next]
}

func (a *arrivals) pop() { a.next++ }

// poisson is a Poisson process over stretches: a clock moved by
// exponential amounts of rate-weighted time. The uniform model's arrivals
// and the realistic model's session starts both run on one.
type poisson struct {
	src   *source
	spans []stretch
	span  int
	clock float64 // ns since the start
}

// advance moves the clock to the next arrival and reports whether it comes
// before the end: an exponential amount of rate-weighted time, consumed
// across stretches. A clock that no longer moves (a rate past what
// float64 time resolves, which Workload.Validate rules out) ends the
// stream rather than looping for ever.
func (a *poisson) advance() bool {
	need := a.src.exp()
	for a.span < len(a.spans) {
		s := &a.spans[a.span]
		if s.rate > 0 {
			dt := need * s.mean
			if a.clock+dt < s.end {
				if a.clock+dt == a.clock && dt > 0 {
					return false
				}
				a.clock += dt
				return true
			}
			need -= (s.end - a.clock) * s.rate
		}
		a.clock = s.end
		a.span++
	}
	return false
}

// fill generates the next batch: first times, users and actions, then the
// users' list bounds, then one connection each, every step a loop of
// independent loads.
func (a *arrivals) fill() {
	a.next, a.end = 0, 0
	k := 0
	users := uint64(a.g.Users())
	for ; k < lookahead && !a.over; k++ {
		if !a.advance() {
			a.over = true
			break
		}
		b := &a.buf[k]
		b.at = sim.Time(a.clock)
		// One draw: the high half picks the user, the low half the action.
		r := a.src.uint64()
		b.user = sim.UserID((r >> 32) * users >> 32)
		b.action = a.actions.draw(uint32(r))
	}
	// Each step below is a tight loop of independent loads, so that many
	// cache misses are in flight at once; drawing random numbers between
	// the loads would fill the CPU's window and serialise them.
	var lo, deg [lookahead]uint64
	off := a.g.offsets
	for i := range k {
		u := a.buf[i].user
		lo[i] = off[u]
		deg[i] = off[u+1] - lo[i]
	}
	slot := &lo
	for i := range k {
		r := a.src.uint64()
		if deg[i] > 0 {
			slot[i] += scaled(r, deg[i])
		} else {
			a.buf[i].conn = otherUser(a.buf[i].user, r, users)
			slot[i] = noSlot
		}
	}
	nb := a.g.neighbours
	for i := range k {
		if slot[i] != noSlot {
			a.buf[i].conn = nb[slot[i]]
		}
	}
	a.end = k
}

// noSlot marks an arrival whose user has no connections.
const noSlot = math.MaxUint64

// otherUser maps r to a uniformly chosen user other than u (u itself in a
// population of one).
func otherUser(u sim.UserID, r, users uint64) sim.UserID {
	if users < 2 {
		return u
	}
	v := sim.UserID(scaled(r, users-1))
	if v >= u {
		v++
	}
	return v
}
