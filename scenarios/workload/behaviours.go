package workload

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// z99 is the 99th percentile of the standard normal distribution.
const z99 = 2.3263478740408408

// regret draws the delays after which senders delete regretted messages:
// lognormal with the configured median and 99th percentile.
type regret struct {
	cut       uint32  // a send is regretted when a uniform 32-bit value is below
	mu, sigma float64 // of the delay's logarithm, in ns
	everyone  bool
	fallback  bool // a delete for me follows each delete for everyone
}

func newRegret(r Regret) regret {
	mu := math.Log(float64(max(r.Median, 1)))
	sigma := 0.0
	if r.P99 > r.Median {
		sigma = (math.Log(float64(r.P99)) - mu) / z99
	}
	return regret{cut: fraction(r.Share), mu: mu, sigma: sigma, everyone: r.Everyone, fallback: r.Everyone && r.Fallback}
}

func (r *regret) delay(src *source) sim.Time {
	d := math.Exp(r.mu + r.sigma*src.norm())
	return sim.Time(min(d, math.MaxInt64/4))
}

// spam is the state of a spam wave and of the report wave that answers it,
// under the uniform model (the realistic model's is lazySpam).
type spam struct {
	spammers []sim.UserID
	total    int      // messages in the wave
	start    sim.Time // the wave spreads its messages evenly over a minute from here
	next     uint64   // the next message to send
	// report wave
	reportShare float64
	block       bool
	hits        []spamHit // spam sent before the report wave, while it waits
	reported    []spamHit // hits sorted, one per recipient and spammer
	waiting     bool      // the report wave has not started: keep hits
}

// spamHit remembers that spammer from sent message key to user to.
type spamHit struct {
	to, from sim.UserID
	key      sim.MsgKey
}

// spamSpread is how long a spam wave lasts.
const spamSpread = time.Minute

// startSpam schedules the spam and report waves and returns the number of
// operations they are expected to add. Only a report wave needs to know
// whom the spam reached, so only with one are the recipients kept, and
// only of the messages sent before it starts, until it ends.
func (s *Stream) startSpam(w *SpamWave, r *ReportWave, seed uint64) float64 {
	if w == nil || w.Spammers <= 0 || w.MessagesEach <= 0 || w.At < 0 || sim.Time(w.At) >= s.end {
		return 0
	}
	src := newSource(seed, streamSpam)
	s.spam.spammers = distinctUsers(min(w.Spammers, s.g.Users()), s.g.Users(), src)
	s.spam.total = len(s.spam.spammers) * w.MessagesEach
	s.spam.start = sim.Time(w.At)
	sent := spamBefore(uint64(s.spam.total), s.end-s.spam.start, false)
	s.sched.push(event{at: s.spam.start, kind: spamSend})
	if r == nil || r.Share <= 0 || r.At < 0 || sim.Time(r.At) >= s.end {
		return float64(sent)
	}
	s.spam.reportShare, s.spam.block, s.spam.waiting = min(r.Share, 1), r.Block, true
	s.sched.push(event{at: sim.Time(r.At), kind: spamReport})
	reached := min(sent, spamBefore(uint64(s.spam.total), sim.Time(r.At)-s.spam.start, true))
	s.spam.hits = make([]spamHit, 0, min(reached, 1<<20))
	return float64(sent) + s.spam.reportShare*float64(reached)
}

// spamAt returns when the n-th spam message goes out, n <= total.
func (s *Stream) spamAt(n uint64) sim.Time {
	hi, lo := bits.Mul64(n, uint64(spamSpread))
	q, _ := bits.Div64(hi, lo, uint64(s.spam.total))
	return s.spam.start + sim.Time(q)
}

// distinctUsers returns k distinct users of n chosen uniformly (Floyd).
func distinctUsers(k, n int, src *source) []sim.UserID {
	seen := make(map[sim.UserID]bool, k)
	out := make([]sim.UserID, 0, k)
	for j := n - k; j < n; j++ {
		t := sim.UserID(src.below(uint64(j + 1)))
		if seen[t] {
			t = sim.UserID(j)
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// fire turns a due event into an operation, or reports false when it
// yields none.
func (s *Stream) fire(e *event, op *sim.Op) bool {
	switch e.kind {
	case regretDelete, regretFallback:
		m := &e.msg
		*op = sim.Op{Action: sim.Delete, At: e.at, User: m.user, Thread: m.thread(), Msg: m.msg(),
			Everyone: s.regret.everyone && e.kind == regretDelete}
		if m.key&groupFlag == 0 {
			op.Target = sim.UserID(m.other)
		}
		if e.kind == regretDelete && s.regret.fallback {
			s.sched.push(event{at: e.at, kind: regretFallback, msg: e.msg})
		}
	case stormBlock:
		u := s.userWithConnections()
		*op = sim.Op{Action: sim.Block, At: e.at, User: u, Target: s.connection(u)}
		s.blocks.push(blockPair{blocker: u, blocked: op.Target, live: true})
		if int(e.n)+1 < s.storm.Users {
			s.sched.push(event{at: e.at, kind: stormBlock, n: e.n + 1})
		}
	case spamSend:
		n := s.spam.next
		s.spam.next++
		from := s.spam.spammers[n%uint64(len(s.spam.spammers))]
		to := s.stranger(from)
		*op = sim.Op{Action: sim.Send, At: e.at, User: from, Target: to, Thread: sim.Direct(from, to),
			Msg: s.nextKey, Text: spamTexts[s.rnd.uint64()%uint64(len(spamTexts))]}
		s.nextKey++
		if s.spam.waiting {
			s.spam.hits = append(s.spam.hits, spamHit{to: to, from: from, key: op.Msg})
		}
		if next := s.spamAt(n + 1); n+1 < uint64(s.spam.total) && next < s.end {
			s.sched.push(event{at: next, kind: spamSend})
		}
	case spamReport:
		return s.report(e, op)
	}
	return true
}

// userWithConnections returns a random user, preferring one with
// connections.
func (s *Stream) userWithConnections() sim.UserID {
	var u sim.UserID
	for range targetTries {
		u = sim.UserID(s.rnd.below(uint64(s.g.Users())))
		if s.g.Degree(u) > 0 {
			break
		}
	}
	return u
}

// report makes op the next report of the report wave: each user who
// received spam from a spammer before the wave reports that spammer's
// first message to them with probability reportShare.
func (s *Stream) report(e *event, op *sim.Op) bool {
	if e.n == 0 {
		s.spam.reported, s.spam.hits, s.spam.waiting = s.spam.hits, nil, false
		slices.SortFunc(s.spam.reported, func(a, b spamHit) int {
			return cmp.Or(cmp.Compare(a.to, b.to), cmp.Compare(a.from, b.from), cmp.Compare(a.key, b.key))
		})
		s.spam.reported = slices.CompactFunc(s.spam.reported, func(a, b spamHit) bool {
			return a.to == b.to && a.from == b.from
		})
	}
	for i := int(e.n); i < len(s.spam.reported); i++ {
		if s.rnd.float64() >= s.spam.reportShare {
			continue
		}
		h := s.spam.reported[i]
		*op = sim.Op{Action: sim.Report, At: e.at, User: h.to, Target: h.from, Thread: sim.Direct(h.to, h.from),
			Msg: h.key, AndBlock: s.spam.block}
		if s.spam.block {
			s.blocks.push(blockPair{blocker: h.to, blocked: h.from, live: true})
		}
		if i+1 < len(s.spam.reported) {
			s.sched.push(event{at: e.at, kind: spamReport, n: uint32(i + 1)})
		} else {
			s.spam.reported = nil
		}
		return true
	}
	s.spam.reported = nil
	return false
}
