package workload

import (
	"math"
	"math/bits"

	"github.com/msgsim/msgsim/sim"
)

// barabasiAlbert grows a preferential-attachment graph: it starts from a
// clique of k+1 users and every later user attaches to k distinct earlier
// users chosen with probability proportional to their degree, where
// k = mean/2. A fractional k is spread evenly: user j after the clique
// attaches to floor((j+1)k) - floor(jk) users, so the mean is met exactly.
//
// The edge list doubles as the repeated-nodes array: every user appears in
// it once per connection, so a uniform draw of a position is a
// degree-weighted draw of a user. Because attachments follow a fixed
// schedule, the user at an even position (the one who made the edge) is a
// computation rather than a memory access; only odd positions are loaded.
//
// Growth is sequential, but the draws depend only on the schedule and the
// random stream, so a second goroutine prepares them a few batches ahead
// (prepare) while this one loads, deduplicates and writes (attach). A user
// whose draws repeat one redraws from a second stream. Each user's own
// edges come out in draw order; fromEdges sorts them.
func barabasiAlbert(n int, mean float64, seed uint64) []sim.UserID {
	s := newAttachment(n, mean)
	if s.perUser == 0 || n < 2 {
		return nil
	}
	edges := make([]sim.UserID, 2*s.edges(n))
	adviseHuge(edges)
	e := 0
	for v := 1; v < s.cliqueSize; v++ {
		for u := range v {
			edges[2*e], edges[2*e+1] = sim.UserID(v), sim.UserID(u)
			e++
		}
	}
	const buffers = 4
	ready, free := make(chan *draws, buffers), make(chan *draws, buffers)
	for range buffers {
		free <- newDraws(attachBatch * s.most)
	}
	go s.prepare(n, newSource(seed, streamBarabasi), ready, free)
	redraw := newSource(seed, streamBarabasi+1)
	seen := newSmallSet(s.most)
	for d := range ready {
		s.attach(d, edges, seen, redraw)
		free <- d
	}
	return edges
}

// attachBatch is how many users' draws are prepared and loaded together,
// so that hundreds of independent cache misses overlap.
const attachBatch = 64

// draws are the prepared draws of users [first, last).
type draws struct {
	first, last int
	at          []uint64     // the drawn positions, in user order
	load        []uint64     // where to load each from: itself, or a cached stand-in
	made        []sim.UserID // the user at an even position, computed
	keep        []sim.UserID // all ones where made applies, else zero
	picks       []sim.UserID // the loaded users
}

func newDraws(size int) *draws {
	return &draws{at: make([]uint64, size), load: make([]uint64, size), made: make([]sim.UserID, size),
		keep: make([]sim.UserID, size), picks: make([]sim.UserID, size)}
}

// prepare draws the positions of every batch of users after the clique.
// A position on an edge that the batch itself makes (late) is left for
// attach to load once that edge is written.
func (s attachment) prepare(n int, src *source, ready chan<- *draws, free <-chan *draws) {
	defer close(ready)
	for first := s.cliqueSize; first < n; first += attachBatch {
		d := <-free
		d.first, d.last = first, min(first+attachBatch, n)
		written := uint64(2 * s.edges(first))
		k := 0
		for v := d.first; v < d.last; v++ {
			positions := uint64(2 * s.edges(v))
			for range s.edges(v+1) - s.edges(v) {
				pos := src.below(positions)
				d.at[k], d.load[k], d.keep[k] = pos, pos, 0
				if pos&1 == 0 && pos/2 >= uint64(s.cliqueEdges) {
					d.made[k], d.keep[k] = sim.UserID(s.maker(pos/2)), ^sim.UserID(0)
					d.load[k] = written // a cached stand-in
				} else if pos >= written {
					d.load[k] = written
				}
				k++
			}
		}
		ready <- d
	}
}

// attach makes the edges of d's users: it loads their draws, then lets
// each user in turn resolve late draws, replace repeats and write.
func (s attachment) attach(d *draws, edges []sim.UserID, seen *smallSet, redraw *source) {
	k := s.edges(d.last) - s.edges(d.first)
	for i, pos := range d.load[:k] {
		d.picks[i] = edges[pos]
	}
	for i := range k {
		d.picks[i] = d.made[i]&d.keep[i] | d.picks[i]&^d.keep[i]
	}
	written := uint64(2 * s.edges(d.first))
	e, i := s.edges(d.first), 0
	for v := d.first; v < d.last; v++ {
		positions := uint64(2 * s.edges(v))
		seen.clear()
		for range s.edges(v+1) - s.edges(v) {
			x := d.picks[i]
			if pos := d.at[i]; pos >= written && pos&1 == 1 {
				x = edges[pos]
			}
			for !seen.add(x) {
				x = s.draw(edges, redraw.below(positions))
			}
			edges[2*e], edges[2*e+1] = sim.UserID(v), x
			e++
			i++
		}
	}
}

// attachment is the schedule of a preferential-attachment graph: a clique
// of cliqueSize users, then perUser/2^16 edges per user on average.
type attachment struct {
	perUser     uint64 // edges per user after the clique, in 1/65536ths
	most        int    // the most edges one user makes
	cliqueSize  int
	cliqueEdges int
}

func newAttachment(n int, mean float64) attachment {
	a := attachment{perUser: uint64(math.Round(mean / 2 * 65536))}
	a.most = int((a.perUser + 65535) >> 16)
	a.cliqueSize = min(a.most+1, n)
	a.cliqueEdges = a.cliqueSize * (a.cliqueSize - 1) / 2
	return a
}

// edges returns how many edges users 0..v-1 make.
func (a attachment) edges(v int) int {
	if v <= a.cliqueSize {
		return v * (v - 1) / 2
	}
	return a.cliqueEdges + int(uint64(v-a.cliqueSize)*a.perUser>>16)
}

// maker returns the user who made edge e, for e past the clique: the
// largest j with floor(j*perUser/2^16) <= e-cliqueEdges, after the clique.
// Edge numbers stay far below 2^47, so the shifted numerator cannot
// overflow; for e inside the clique the result is meaningless.
func (a attachment) maker(e uint64) int {
	i := e - uint64(a.cliqueEdges)
	return a.cliqueSize + int(((i+1)<<16+a.perUser-1)/a.perUser) - 1
}

// draw returns the user at position pos of the repeated-nodes array.
func (a attachment) draw(edges []sim.UserID, pos uint64) sim.UserID {
	if pos&1 == 0 && int(pos/2) >= a.cliqueEdges {
		return sim.UserID(a.maker(pos / 2))
	}
	return edges[pos]
}

// smallSet is an open-addressing set of a few user ids, cleared per user.
type smallSet struct {
	slots []sim.UserID // id+1; 0 is empty
	shift uint
}

func newSmallSet(most int) *smallSet {
	size := 64
	for size < 4*most {
		size *= 2
	}
	return &smallSet{slots: make([]sim.UserID, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (s *smallSet) clear() { clear(s.slots) }

// add inserts x and reports whether it was absent.
func (s *smallSet) add(x sim.UserID) bool {
	mask := uint64(len(s.slots) - 1)
	for i := (uint64(x) * 0x9e3779b97f4a7c15) >> s.shift; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case 0:
			s.slots[i] = x + 1
			return true
		case x + 1:
			return false
		}
	}
}
