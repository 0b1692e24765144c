package workload

import (
	"math"
	"math/bits"

	"github.com/msgsim/msgsim/sim"
)

// lazySpam is the realistic model's spam and report waves, generated with
// memory and set-up independent of their size: spammer j is the j-th user
// of a seeded permutation, and spammer j's i-th message goes to the first
// user in block i of spamTries candidates of a permutation of its own who
// is neither the spammer nor a connection, so any message's recipient is
// computed from its number alone, and each spammer's recipients are
// distinct while the population has room for them. Message n of the wave
// is spammer n mod spammers' message n div spammers, with the key
// spamKeys + n, at spamSpread's even spread. The report wave walks the
// messages sent before it, skipping a geometric number between reports.
// The stream is the same under every policy, as comparisons need: spam
// leads to no reads or replies, since most policies refuse it, and under
// those its reports find nothing (not_found).
type lazySpam struct {
	on        bool
	spammers  permutation
	count     uint64 // spammers
	total     uint64 // messages in the wave
	start     sim.Time
	sent      uint64 // messages sent before the end of the workload
	pos       uint64 // the next message to send
	seed      uint64
	users     uint64
	share     float64 // report wave
	block     bool
	reached   uint64 // messages sent before the report wave
	reportPos uint64 // the next message to report, past reached when done
}

// spamKeys is the first key of a lazy spam wave's messages: far above
// the keys of ordinary sends, so a message's key follows from its number.
const spamKeys = sim.MsgKey(1) << 48

// spamTries is how many candidates a spam message's recipient is chosen
// from, like targetTries.
const spamTries = targetTries

// startLazySpam schedules the lazy spam and report waves and returns the
// operations they are expected to add. It is O(1).
func (s *Stream) startLazySpam(w *SpamWave, r *ReportWave, seed uint64) float64 {
	if w == nil || w.Spammers <= 0 || w.MessagesEach <= 0 || w.At < 0 || sim.Time(w.At) >= s.end {
		return 0
	}
	users := uint64(s.g.Users())
	sp := &s.people.spam
	*sp = lazySpam{on: true, count: min(uint64(w.Spammers), users), start: sim.Time(w.At), seed: seed, users: users,
		spammers: newPermutation(users, seed, streamSpam)}
	sp.total = sp.count * uint64(w.MessagesEach)
	sp.sent = spamBefore(sp.total, s.end-sp.start, false)
	s.sched.push(event{at: sp.start, kind: spamSend})
	if r == nil || r.Share <= 0 || r.At < 0 || sim.Time(r.At) >= s.end {
		return float64(sp.sent)
	}
	sp.share, sp.block = min(r.Share, 1), r.Block
	sp.reached = min(sp.sent, spamBefore(sp.total, sim.Time(r.At)-sp.start, false))
	s.sched.push(event{at: sim.Time(r.At), kind: spamReport})
	return float64(sp.sent) + sp.share*float64(sp.reached)
}

// spamBefore returns how many of total messages spread evenly over
// spamSpread from the wave's start go out before d after it (at or before
// it when inclusive): message n goes out at floor(n*spread/total).
func spamBefore(total uint64, d sim.Time, inclusive bool) uint64 {
	if inclusive {
		d++
	}
	switch {
	case d <= 0:
		return 0
	case uint64(d) >= uint64(spamSpread):
		return total
	}
	// The least n with n*spread >= d*total.
	hi, lo := bits.Mul64(uint64(d), total)
	q, rem := bits.Div64(hi, lo, uint64(spamSpread))
	if rem > 0 {
		q++
	}
	return min(q, total)
}

// at returns when message n goes out.
func (sp *lazySpam) at(n uint64) sim.Time {
	hi, lo := bits.Mul64(n, uint64(spamSpread))
	q, _ := bits.Div64(hi, lo, sp.total)
	return sp.start + sim.Time(q)
}

// spamMessage returns the spammer and recipient of message n.
func (s *Stream) spamMessage(n uint64) (from, to sim.UserID) {
	sp := &s.people.spam
	j, i := n%sp.count, n/sp.count
	from = sim.UserID(sp.spammers.at(j))
	targets := newPermutation(sp.users, sp.seed, streamSpamTargets+j)
	for k := range uint64(spamTries) {
		to = sim.UserID(targets.at((i*spamTries + k) % sp.users))
		if to != from && !s.g.Connected(from, to) {
			break
		}
	}
	return from, to
}

// lazySpamSend makes op the wave's next message.
func (s *Stream) lazySpamSend(e *event, op *sim.Op) bool {
	sp := &s.people.spam
	n := sp.pos
	sp.pos++
	from, to := s.spamMessage(n)
	if from == to {
		return false
	}
	*op = sim.Op{Action: sim.Send, At: e.at, User: from, Target: to, Thread: sim.Direct(from, to),
		Msg: spamKeys + sim.MsgKey(n), Text: spamTexts[hash2(sp.seed, streamSpamTexts, n)%uint64(len(spamTexts))]}
	if sp.pos < sp.sent {
		s.sched.push(event{at: sp.at(sp.pos), kind: spamSend})
	}
	return true
}

// lazyReport makes op the report wave's next report: each recipient of a
// message sent before the wave reports it with probability share.
func (s *Stream) lazyReport(e *event, op *sim.Op) bool {
	sp := &s.people.spam
	if e.n == 0 {
		sp.reportPos = s.reportSkip()
	}
	for sp.reportPos < sp.reached {
		n := sp.reportPos
		sp.reportPos += 1 + s.reportSkip()
		if sp.reportPos < sp.reached {
			s.sched.push(event{at: e.at, kind: spamReport, n: 1})
		}
		from, to := s.spamMessage(n)
		if from == to {
			continue
		}
		*op = sim.Op{Action: sim.Report, At: e.at, User: to, Target: from, Thread: sim.Direct(to, from),
			Msg: spamKeys + sim.MsgKey(n), AndBlock: sp.block}
		if sp.block {
			s.people.pairs.block(to, from)
			s.blocks.push(blockPair{blocker: to, blocked: from, live: true})
		}
		return true
	}
	return false
}

// reportSkip draws how many messages the report wave passes over before
// the next one it reports: geometric with the wave's share.
func (s *Stream) reportSkip() uint64 {
	sp := &s.people.spam
	if sp.share >= 1 {
		return 0
	}
	k := math.Floor(math.Log(1-s.rnd.float64()) / math.Log1p(-sp.share))
	if !(k < float64(sp.reached)) {
		return sp.reached
	}
	return uint64(k)
}

// behave turns a due behaviour event into an operation under the
// realistic model.
func (s *Stream) behave(e *event, op *sim.Op) bool {
	switch e.kind {
	case spamSend:
		return s.lazySpamSend(e, op)
	case spamReport:
		return s.lazyReport(e, op)
	case stormBlock:
		if !s.fire(e, op) {
			return false
		}
		s.people.pairs.block(op.User, op.Target)
		return true
	}
	return s.fire(e, op)
}
