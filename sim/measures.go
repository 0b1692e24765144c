package sim

import (
	"cmp"
	"slices"
	"time"
)

// Measures are the outcomes of a policy that a run leaves behind, computed
// by Measure from the run's final State. Each is counted for one user's
// cohort: the author's for what a sender did (regret, recall, spam, stored
// messages), the viewer's for what a member sees (tombstones, history),
// the recipient's for what blocks stopped, the reporter's for reports.
type Measures struct {
	// Regretted messages were deleted by their own sender, for themself or
	// for everyone.
	Regretted int `json:"regretted"`
	// RegrettedReadable of them still show their text to at least one
	// member other than the sender at the end of the run.
	RegrettedReadable int `json:"regretted_readable"`
	// RegretReadableSeconds is how long a regretted message stayed readable
	// on average, in simulated seconds: from its send until it was recalled
	// for everyone, or until the end of the run.
	RegretReadableSeconds float64 `json:"regret_readable_mean_seconds"`
	// Recalled messages were deleted for everyone.
	Recalled int `json:"recalled"`
	// TombstonesShown counts the lines where a member sees a tombstone in
	// place of a message its sender recalled.
	TombstonesShown int `json:"tombstones_shown"`
	// MessagesStoppedByBlocks counts direct messages refused as blocked
	// and group messages hidden from a blocker.
	MessagesStoppedByBlocks int `json:"messages_stopped_by_blocks"`
	// NotificationsStoppedByBlocks counts notifications suppressed because
	// the recipient blocks the author.
	NotificationsStoppedByBlocks int `json:"notifications_stopped_by_blocks"`
	// BlockedHistoryKept counts messages from users whom the viewer blocks
	// at the end that still show in the viewer's history.
	BlockedHistoryKept int `json:"blocked_history_kept"`
	// SpamToNonConnections counts messages accepted in a direct thread
	// whose two users were not connected when it was sent.
	SpamToNonConnections int `json:"spam_to_non_connections"`
	// ReportsFiled and ReportsRefused count report operations by outcome.
	ReportsFiled   int `json:"reports_filed"`
	ReportsRefused int `json:"reports_refused"`
	// ReportedMessages counts messages reported for moderation; of them,
	// ReportedAuthorBlocked are from an author the reporter blocks at the
	// end and ReportedStillReadable still show their text to the reporter.
	ReportedMessages      int `json:"reported_messages"`
	ReportedAuthorBlocked int `json:"reported_author_blocked"`
	ReportedStillReadable int `json:"reported_still_readable"`
	// StoredBytes is an estimate from a storage model, not a measurement:
	// what a store that follows the policy would keep: 40 bytes
	// a message plus its text; a message deleted for everyone keeps its 40
	// bytes as a tombstone without its text, or nothing where the policy
	// shows no tombstone; 8 bytes a delete for me; 16 a group block mark.
	StoredBytes int64 `json:"stored_bytes"`
	// TombstonesKept counts the stored tombstones: messages deleted for
	// everyone and kept to show a tombstone, and deletes for me.
	TombstonesKept int `json:"tombstones_kept"`
	// RegretCurve is how many regretted messages were readable over
	// simulated time: a message counts from its sender's first delete
	// until its recall, or to the end when it is still readable then.
	RegretCurve []CurvePoint `json:"regret_readable_over_time"`
}

// CurvePoint is one point of a curve over simulated time.
type CurvePoint struct {
	Seconds float64 `json:"t_seconds"`
	Value   int     `json:"value"`
}

// Tally is what a run counted that its final state cannot show, since
// refused operations leave no trace there.
type Tally struct {
	SendsBlocked   int // sends refused as blocked, for the would-be recipient's cohort
	ReportsFiled   int // reports accepted, for the reporter's cohort
	ReportsRefused int // reports refused
}

// TallyKind is which count of a Tally an operation's outcome adds to.
type TallyKind uint8

const (
	NoTally            TallyKind = iota // the outcome leaves a trace in the state, or none the measures need
	TallySendBlocked                    // a send refused as blocked
	TallyReportFiled                    // a report accepted
	TallyReportRefused                  // a report refused
	NumTallyKinds
)

// Tallied returns which count of a Tally op's outcome o adds one to, and
// the user whose cohort it counts for: the would-be recipient of a send,
// the reporter of a report.
func Tallied(op *Op, o Outcome) (TallyKind, UserID) {
	switch {
	case op.Action == Send && o == Blocked:
		return TallySendBlocked, op.Target
	case op.Action == Report && o == OK:
		return TallyReportFiled, op.User
	case op.Action == Report:
		return TallyReportRefused, op.User
	}
	return NoTally, 0
}

// Add adds n to the count k names.
func (t *Tally) Add(k TallyKind, n int) {
	switch k {
	case TallySendBlocked:
		t.SendsBlocked += n
	case TallyReportFiled:
		t.ReportsFiled += n
	case TallyReportRefused:
		t.ReportsRefused += n
	}
}

// CurvePoints is how many evenly spaced points of simulated time the
// regret curve has, both ends included: every 15 minutes of a day.
const CurvePoints = 97

// The storage model of StoredBytes, the sizes doc.go gives.
const (
	storedMessage = 40
	storedHide    = 8
	storedMark    = 16
)

// Measure returns the policy outcomes of s for a run that ended at
// simulated time end: of the whole run, and with cohorts of each cohort
// in order (nil without cohorts). tallies[i] is what the run counted for
// cohort i (index 0 without cohorts); missing tallies count as zero.
func (s *State) Measure(end Time, tallies []Tally) (Measures, []Measures) {
	return Measured(s.part().count(end), tallies, s.Cohorts)
}

// MeasureCount is one cohort's measures as a part of the population
// counts them (Part.Measure): every field a count or a sum, the regret
// curve's values too, so the counts of a population's parts add up
// (Add) to the whole's, and Measured turns them into Measures.
type MeasureCount struct {
	Measures
	// ReadableMillis is the sum of the regretted messages' readable
	// times, of which RegretReadableSeconds is the mean.
	ReadableMillis int64 `json:"readable_millis"`
}

// Add adds b's counts to m's.
func (m *MeasureCount) Add(b *MeasureCount) {
	x, y := &m.Measures, &b.Measures
	x.Regretted += y.Regretted
	x.RegrettedReadable += y.RegrettedReadable
	x.Recalled += y.Recalled
	x.TombstonesShown += y.TombstonesShown
	x.MessagesStoppedByBlocks += y.MessagesStoppedByBlocks
	x.NotificationsStoppedByBlocks += y.NotificationsStoppedByBlocks
	x.BlockedHistoryKept += y.BlockedHistoryKept
	x.SpamToNonConnections += y.SpamToNonConnections
	x.ReportsFiled += y.ReportsFiled
	x.ReportsRefused += y.ReportsRefused
	x.ReportedMessages += y.ReportedMessages
	x.ReportedAuthorBlocked += y.ReportedAuthorBlocked
	x.ReportedStillReadable += y.ReportedStillReadable
	x.StoredBytes += y.StoredBytes
	x.TombstonesKept += y.TombstonesKept
	m.ReadableMillis += b.ReadableMillis
	if x.RegretCurve == nil {
		x.RegretCurve = slices.Clone(y.RegretCurve)
		return
	}
	for i := range min(len(x.RegretCurve), len(y.RegretCurve)) {
		x.RegretCurve[i].Value += y.RegretCurve[i].Value
	}
}

// Measured returns the policy outcomes of a run from each cohort's counts
// (counts[i] for cohort i of cs, one count without cohorts), added over
// the population's parts: of the whole run, and with cohorts of each
// cohort (nil without). tallies are as Measure takes them.
func Measured(counts []MeasureCount, tallies []Tally, cs *Cohorts) (Measures, []Measures) {
	counts = slices.Clone(counts)
	for i, t := range tallies {
		if i < len(counts) {
			a := &counts[i].Measures
			a.MessagesStoppedByBlocks += t.SendsBlocked
			a.ReportsFiled += t.ReportsFiled
			a.ReportsRefused += t.ReportsRefused
		}
	}
	var all MeasureCount
	for i := range counts {
		all.Add(&counts[i])
	}
	total := all.result()
	if cs == nil {
		return total, nil
	}
	by := make([]Measures, len(counts))
	for i := range counts {
		by[i] = counts[i].result()
	}
	return total, by
}

// result computes the mean readable time.
func (m *MeasureCount) result() Measures {
	r := m.Measures
	if r.Regretted > 0 {
		r.RegretReadableSeconds = float64(m.ReadableMillis) / 1000 / float64(r.Regretted)
	}
	return r
}

// Measure counts the policy measures of the part's threads and users, by
// cohort (one count without cohorts), for a run that ended at simulated
// time end; Measured turns the counts of every part, added, into the
// run's measures. The threads' members that block someone are judged
// by what they block: their own state where they are held here, Blocks
// otherwise (a PartCheck's ShareBlocks and Take fill it).
func (p *Part) Measure(end Time) ([]MeasureCount, error) {
	if err := p.index(); err != nil {
		return nil, err
	}
	return p.count(end), nil
}

func (p *Part) count(end Time) []MeasureCount {
	n := 1
	if p.Cohorts != nil {
		n = p.Cohorts.Len()
	}
	m := measurer{p: p, end: end, acc: make([]accum, n)}
	if p.Threads != nil {
		for t := range p.Threads.Each() {
			m.thread(t)
		}
	}
	for u := range p.each {
		a := &m.acc[p.cohortOf(u.ID)].Measures
		a.MessagesStoppedByBlocks += int(u.Counters.Hidden)
		a.NotificationsStoppedByBlocks += int(u.Counters.Suppressed[ReasonBlocked])
	}
	counts := make([]MeasureCount, n)
	for i := range m.acc {
		counts[i] = m.acc[i].count(end)
	}
	return counts
}

// accum is one cohort's measures while a part counts them.
type accum struct {
	Measures
	readableMs int64  // sum of the regretted messages' readable times
	spans      []span // when each regretted message was readable after its regret
}

// span is [from, until) in simulated time.
type span struct{ from, until Time }

// count returns the counts, the curve sampled at the run's end.
func (a *accum) count(end Time) MeasureCount {
	m := MeasureCount{Measures: a.Measures, ReadableMillis: a.readableMs}
	m.RegretCurve = curve(a.spans, end)
	return m
}

// curve samples how many spans hold each of CurvePoints times in [0, end].
// Its values are counts: the curves of disjoint sets of spans add up to
// the curve of their union.
func curve(spans []span, end Time) []CurvePoint {
	froms := make([]Time, 0, len(spans))
	untils := make([]Time, 0, len(spans))
	for _, s := range spans {
		if s.until > s.from {
			froms, untils = append(froms, s.from), append(untils, s.until)
		}
	}
	slices.Sort(froms)
	slices.Sort(untils)
	points := CurvePoints
	if end <= 0 {
		points, end = 1, 0
	}
	out := make([]CurvePoint, points)
	for k := range out {
		t := end
		if points > 1 {
			t = Time(int64(end) / int64(points-1) * int64(k))
			if k == points-1 {
				t = end
			}
		}
		started := upTo(froms, t)
		ended := upTo(untils, t)
		out[k] = CurvePoint{Seconds: time.Duration(t).Seconds(), Value: started - ended}
	}
	return out
}

// upTo returns how many of the sorted ts are at most t.
func upTo(ts []Time, t Time) int {
	i, _ := slices.BinarySearchFunc(ts, t, func(x, t Time) int {
		if x <= t {
			return -1
		}
		return 1
	})
	return i
}

// measurer walks a part once for Measure.
type measurer struct {
	p   *Part
	end Time
	acc []accum
}

func (m *measurer) of(u UserID) *accum { return &m.acc[m.p.cohortOf(u)] }

// regret is what the log says of one message its sender deleted.
type regret struct {
	seq      Seq
	at       Time // the sender's first delete
	recalled bool
	recallAt Time
}

func (m *measurer) thread(t *Thread) {
	p := m.p.PolicyOf(t)
	m.regrets(t, p)
	m.storage(t, p)
	m.reports(t, p)
	m.history(t, p)
	if !t.ID.IsGroup() {
		m.spam(t, p)
	}
}

// readable reports whether member mb sees the text of the message at s
// (not a tombstone).
func (t *Thread) readable(mb *Member, s Seq, p *Policy) bool {
	l, ok := t.line(mb, s, p)
	return ok && !l.Tombstone
}

// readableByOthers reports whether a member other than the author sees
// the text of the message at s.
func (t *Thread) readableByOthers(s Seq, p *Policy) bool {
	author := t.messages[s-1].Author
	for i := range t.members {
		if mb := &t.members[i]; mb.User != author && t.readable(mb, s, p) {
			return true
		}
	}
	return false
}

// regrets counts regretted and recalled messages and the tombstones that
// recalls show.
func (m *measurer) regrets(t *Thread, p *Policy) {
	var rs []regret
	log := t.r().log
	for i := range log {
		e := &log[i]
		if e.Kind != EvDeleteMe && e.Kind != EvDeleteAll {
			continue
		}
		if t.messages[e.Seq-1].Author != e.User {
			continue
		}
		j := slices.IndexFunc(rs, func(r regret) bool { return r.seq == e.Seq })
		if j < 0 {
			rs = append(rs, regret{seq: e.Seq, at: e.At})
			j = len(rs) - 1
		}
		r := &rs[j]
		r.at = min(r.at, e.At)
		if e.Kind == EvDeleteAll {
			r.recalled, r.recallAt = true, e.At
		}
	}
	slices.SortFunc(rs, func(a, b regret) int { return cmp.Compare(a.seq, b.seq) })
	for _, r := range rs {
		msg := &t.messages[r.seq-1]
		a := m.of(msg.Author)
		a.Regretted++
		until := m.end
		sp := span{from: r.at, until: r.at}
		readable := t.readableByOthers(r.seq, p)
		switch {
		case r.recalled:
			a.Recalled++
			until, sp.until = r.recallAt, r.recallAt
		case readable:
			sp.until = max(m.end, r.at) + 1
		}
		if readable {
			a.RegrettedReadable++
		}
		a.readableMs += max(int64(until.Sub(msg.At)/time.Millisecond), 0)
		a.spans = append(a.spans, sp)
		if r.recalled {
			m.tombstones(t, r.seq, p)
		}
	}
}

// tombstones counts the members other than the author who see a
// tombstone for the recalled message at s.
func (m *measurer) tombstones(t *Thread, s Seq, p *Policy) {
	author := t.messages[s-1].Author
	for i := range t.members {
		mb := &t.members[i]
		if mb.User == author {
			continue
		}
		if l, ok := t.line(mb, s, p); ok && l.Tombstone {
			m.of(mb.User).TombstonesShown++
		}
	}
}

// storage counts what a store following p keeps of t.
func (m *measurer) storage(t *Thread, p *Policy) {
	tombstone := p.TombstoneSelf != "" || p.TombstoneOthers != ""
	for i := range t.messages {
		msg := &t.messages[i]
		a := m.of(msg.Author)
		switch {
		case !msg.Recalled:
			a.StoredBytes += storedMessage + int64(len(msg.Text))
		case tombstone:
			a.StoredBytes += storedMessage
			a.TombstonesKept++
		}
	}
	for _, h := range t.r().hides {
		a := m.of(h.User)
		a.StoredBytes += storedHide
		a.TombstonesKept++
	}
	for _, mk := range t.r().marks {
		m.of(mk.Blocker).StoredBytes += storedMark
	}
}

// reports counts reported messages and what became of them.
func (m *measurer) reports(t *Thread, p *Policy) {
	log := t.r().log
	for i := range log {
		e := &log[i]
		if e.Kind != EvReport {
			continue
		}
		a := m.of(e.User)
		a.ReportedMessages++
		author := t.messages[e.Seq-1].Author
		if has(m.p.blocked(e.User), author) {
			a.ReportedAuthorBlocked++
		}
		if mb := t.member(e.User); mb != nil && t.readable(mb, e.Seq, p) {
			a.ReportedStillReadable++
		}
	}
}

// history counts the messages of blocked users that their blockers still
// read in t.
func (m *measurer) history(t *Thread, p *Policy) {
	for i := range t.members {
		mb := &t.members[i]
		blocked := m.p.blocked(mb.User)
		if len(blocked) == 0 {
			continue
		}
		for j := range t.messages {
			s := Seq(j + 1)
			if a := t.messages[j].Author; a != mb.User && has(blocked, a) && t.readable(mb, s, p) {
				m.of(mb.User).BlockedHistoryKept++
			}
		}
	}
}

// spam counts the messages of a direct thread accepted while its pair was
// not connected, replaying the pair's state from the log.
func (m *measurer) spam(t *Thread, p *Policy) {
	pair := t.Init
	ev := t.r().log
	for i := range t.messages {
		for len(ev) > 0 && ev[0].Pos <= Seq(i) {
			pair.replay(&ev[0], t.ID, p)
			ev = ev[1:]
		}
		if !pair.Connected {
			m.of(t.messages[i].Author).SpamToNonConnections++
		}
	}
}

// replay applies a pair event of direct thread id's log to ps under p.
func (ps *PairState) replay(e *Event, id ThreadID, p *Policy) {
	switch e.Kind {
	case EvConnect:
		ps.Connected, ps.CutByBlock = true, false
	case EvDisconnect:
		ps.Connected, ps.CutByBlock = false, false
	case EvBlock:
		ps.BlockedBy[side(id, e.User)] = true
		if p.BlockRemovesConnection && ps.Connected {
			ps.Connected, ps.CutByBlock = false, true
		}
	case EvUnblock:
		ps.BlockedBy[side(id, e.User)] = false
		if p.UnblockReconnects && ps.CutByBlock && !ps.Blocks() {
			ps.Connected, ps.CutByBlock = true, false
		}
	}
}
