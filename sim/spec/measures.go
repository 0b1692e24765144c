package spec

import (
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Measures are the policy-lab measures of a run (docs/measures.md), as
// the specification computes them from its own state and from what it
// tallied while operations were applied. Each is counted for one user's
// cohort: the author's for what a sender did (regret, recall, spam,
// stored messages), the viewer's for what a member sees (tombstones,
// history, hidden group messages), the would-be recipient's for a send a
// block refused, the reporter's for reports, the deleter's for a delete
// for me, the blocker's for a block mark.
type Measures struct {
	// Regretted: messages that their own sender deleted, for themself or
	// for everyone.
	Regretted int
	// RegrettedReadable: regretted messages whose text at least one
	// member other than the sender can still read at the end.
	RegrettedReadable int
	// RegretReadableSeconds: how long a regretted message stayed readable
	// on average, in simulated seconds counted in whole milliseconds: from
	// its send until it was recalled for everyone, or until the end.
	RegretReadableSeconds float64
	// Recalled: messages that their sender deleted for everyone.
	Recalled int
	// TombstonesShown: lines in the views of members other than the sender
	// that show a tombstone in place of a recalled message.
	TombstonesShown int
	// MessagesStoppedByBlocks: direct messages refused as blocked, and
	// group messages not shown to a member who blocked their author when
	// they were posted.
	MessagesStoppedByBlocks int
	// NotificationsStoppedByBlocks: notifications held back because the
	// recipient blocks the author.
	NotificationsStoppedByBlocks int
	// BlockedHistoryKept: messages whose author the viewer blocks at the
	// end that still show their text in the viewer's view.
	BlockedHistoryKept int
	// SpamToNonConnections: messages accepted in a direct thread whose two
	// users were not connected when it was sent.
	SpamToNonConnections int
	// ReportsFiled and ReportsRefused: report operations accepted and
	// refused.
	ReportsFiled, ReportsRefused int
	// ReportedMessages: reports of a message; ReportedAuthorBlocked of
	// them name an author the reporter blocks at the end,
	// ReportedStillReadable a message whose text the reporter's view still
	// shows at the end.
	ReportedMessages, ReportedAuthorBlocked, ReportedStillReadable int
	// StoredBytes: what a store that follows the policy keeps (see
	// storage).
	StoredBytes int64
	// TombstonesKept: recalled messages kept to show a tombstone, and
	// deletes for me.
	TombstonesKept int
	// RegretCurve: how many regretted messages were readable, at
	// CurvePoints times of the run.
	RegretCurve []CurvePoint
}

// CurvePoint is the value of a curve at a time of the run.
type CurvePoint struct {
	Seconds float64
	Value   int
}

// CurvePoints is how many evenly spaced times of the run the regret curve
// is sampled at, both ends included: every 15 minutes of a day.
const CurvePoints = 97

// The storage model of StoredBytes.
const (
	messageBytes = 40 // a message, plus its text; a kept tombstone without it
	hideBytes    = 8  // a delete for me
	markBytes    = 16 // a block mark
)

// tally is what one cohort's measures count as operations are applied,
// since the final state does not show it.
type tally struct {
	sendsBlocked   int // direct sends refused as blocked, for the recipient's cohort
	hidden         int // group messages not shown to a member who blocks their author
	spam           int // direct messages accepted between users who were not connected
	deletesForMe   int // deletes for me, which a store keeps
	reportsFiled   int
	reportsRefused int
}

// report is one report of a message: by whom, and the message's position.
type report struct {
	by  sim.UserID
	pos int
}

// blockMark is what a store keeps in a group so that a blocker stops
// seeing what the user they block posts there from then on (R7): one
// for each group the blocker was ever a member of and each period of the
// block, from the block, or from the blocker's joining the group while
// the block stands, to the unblock. from and until are the group's
// message counts at its two ends (until -1 while the block stands). A
// period that ends before anything was posted in the group leaves no
// mark.
type blockMark struct {
	blocker, blocked sim.UserID
	from, until      int
}

// tally counts op's refused direct send and its report for Measure.
func (m *Model) tally(op sim.Op, o sim.Outcome) {
	switch {
	case op.Action == sim.Send && !op.Thread.IsGroup() && o == sim.Blocked:
		m.tallies[m.cohort(op.Target)].sendsBlocked++
	case op.Action == sim.Report && o == sim.OK:
		m.tallies[m.cohort(op.User)].reportsFiled++
	case op.Action == sim.Report:
		m.tallies[m.cohort(op.User)].reportsRefused++
	}
}

// regret records that the sender deleted msg at at.
func (msg *message) regret(at sim.Time) {
	if !msg.regretted {
		msg.regretted, msg.regretAt = true, at
	}
}

// markGroups starts (on) or ends the block marks of blocker on blocked in
// every group blocker was ever a member of.
func (m *Model) markGroups(blocker, blocked sim.UserID, on bool) {
	for _, id := range m.people[blocker].threads {
		if !id.IsGroup() {
			continue
		}
		t := m.threads[id]
		if on {
			t.openMark(blocker, blocked)
		} else {
			t.closeMark(blocker, blocked)
		}
	}
}

// openMark starts a mark of blocker on blocked in t, unless one is open.
func (t *thread) openMark(blocker, blocked sim.UserID) {
	for _, mk := range t.marks {
		if mk.blocker == blocker && mk.blocked == blocked && mk.until < 0 {
			return
		}
	}
	t.marks = append(t.marks, blockMark{blocker: blocker, blocked: blocked, from: len(t.messages), until: -1})
}

// closeMark ends the open mark of blocker on blocked in t, and forgets it
// when nothing was posted while it was open.
func (t *thread) closeMark(blocker, blocked sim.UserID) {
	for i, mk := range t.marks {
		if mk.blocker == blocker && mk.blocked == blocked && mk.until < 0 {
			if len(t.messages) == mk.from {
				t.marks = append(t.marks[:i], t.marks[i+1:]...)
			} else {
				t.marks[i].until = len(t.messages)
			}
			return
		}
	}
}

// Measure returns the policy-lab measures of a run that ended at simulated
// time end: of the whole run, and with cohorts of each cohort in order
// (nil without cohorts).
func (m *Model) Measure(end sim.Time) (Measures, []Measures) {
	acc := make([]measuring, len(m.tallies))
	of := func(u sim.UserID) *measuring { return &acc[m.cohort(u)] }
	for i, t := range m.tallies {
		a := &acc[i].Measures
		a.MessagesStoppedByBlocks = t.sendsBlocked + t.hidden
		a.SpamToNonConnections = t.spam
		a.ReportsFiled, a.ReportsRefused = t.reportsFiled, t.reportsRefused
		a.StoredBytes = int64(t.deletesForMe) * hideBytes
		a.TombstonesKept = t.deletesForMe
	}
	for u := range m.people {
		of(sim.UserID(u)).NotificationsStoppedByBlocks += m.people[u].suppressed[reasonBlocked]
	}
	for _, t := range m.threads {
		p := m.threadPolicy(t)
		m.regrets(t, p, end, of)
		m.storage(t, p, of)
		m.reports(t, p, of)
		m.blockedHistory(t, p, of)
	}
	var all measuring
	for i := range acc {
		all.add(&acc[i])
	}
	if m.cohorts == nil {
		return all.result(end), nil
	}
	by := make([]Measures, len(acc))
	for i := range acc {
		by[i] = acc[i].result(end)
	}
	return all.result(end), by
}

// measuring is one cohort's measures while Measure counts them.
type measuring struct {
	Measures
	readableMillis int64        // the regretted messages' readable times, added
	regrets        []regretSpan // each regretted message, for the curve
}

// regretSpan is one regretted message as the regret curve counts it.
type regretSpan struct {
	at       sim.Time // its sender's first delete
	recalled bool
	recallAt sim.Time
	readable bool // someone other than the sender reads it at the end
}

// readableAt says whether r counts at time t: from the sender's first
// delete until the recall, or for good while it stays readable.
func (r regretSpan) readableAt(t sim.Time) bool {
	if r.at > t {
		return false
	}
	if r.recalled {
		return t < r.recallAt
	}
	return r.readable
}

func (a *measuring) add(b *measuring) {
	x, y := &a.Measures, &b.Measures
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
	a.readableMillis += b.readableMillis
	a.regrets = append(a.regrets, b.regrets...)
}

// result returns the measures with the mean readable time and the regret
// curve: CurvePoints times from 0 to end, the k-th at end/(CurvePoints-1)
// whole nanoseconds times k, the last at end; one point at 0 when end is
// not after the start.
func (a *measuring) result(end sim.Time) Measures {
	r := a.Measures
	if r.Regretted > 0 {
		r.RegretReadableSeconds = float64(a.readableMillis) / 1000 / float64(r.Regretted)
	}
	points := CurvePoints
	if end <= 0 {
		points, end = 1, 0
	}
	r.RegretCurve = make([]CurvePoint, points)
	for k := range points {
		t := end
		if k < points-1 {
			t = sim.Time(int64(end) / int64(points-1) * int64(k))
		}
		n := 0
		for _, g := range a.regrets {
			if g.readableAt(t) {
				n++
			}
		}
		r.RegretCurve[k] = CurvePoint{Seconds: time.Duration(t).Seconds(), Value: n}
	}
	return r
}

// readableBy says whether u's view of t shows the text of the message at
// pos: u received it since they last joined and it is neither hidden
// nor a tombstone.
func (m *Model) readableBy(u sim.UserID, t *thread, pos int, p Policy) bool {
	mb := t.member(u)
	if mb == nil {
		return false
	}
	l := mb.lineAt(pos)
	if l == nil {
		return false
	}
	shown, ok := m.look(u, l, p)
	return ok && !shown.Tombstone
}

// regrets counts t's regretted and recalled messages for their senders,
// and the tombstones a recall shows for the members who see them.
func (m *Model) regrets(t *thread, p Policy, end sim.Time, of func(sim.UserID) *measuring) {
	for pos := range t.messages {
		msg := &t.messages[pos]
		if !msg.regretted {
			continue
		}
		a := of(msg.author)
		r := regretSpan{at: msg.regretAt, recalled: msg.recalled, recallAt: msg.recallAt}
		for _, mb := range t.members {
			if mb.user != msg.author && m.readableBy(mb.user, t, pos, p) {
				r.readable = true
			}
		}
		a.Regretted++
		if r.readable {
			a.RegrettedReadable++
		}
		until := end
		if msg.recalled {
			a.Recalled++
			until = msg.recallAt
			m.tombstonesShown(t, pos, p, of)
		}
		a.readableMillis += max(int64(until.Sub(msg.at)/time.Millisecond), 0)
		a.regrets = append(a.regrets, r)
	}
}

// tombstonesShown counts, for each member other than the sender whose view
// shows a tombstone for the recalled message at pos, that line.
func (m *Model) tombstonesShown(t *thread, pos int, p Policy, of func(sim.UserID) *measuring) {
	author := t.messages[pos].author
	for i := range t.members {
		mb := &t.members[i]
		if mb.user == author {
			continue
		}
		if l := mb.lineAt(pos); l != nil {
			if shown, ok := m.look(mb.user, l, p); ok && shown.Tombstone {
				of(mb.user).TombstonesShown++
			}
		}
	}
}

// storage counts what a store that follows policy p keeps of t: 40 bytes
// a message plus its current text; for a recalled message 40 bytes as a
// tombstone where p shows one (tombstone_self or tombstone_others is not
// ""), nothing where it shows none; 16 bytes a block mark. The 8 bytes of
// each delete for me are tallied as they happen.
func (m *Model) storage(t *thread, p Policy, of func(sim.UserID) *measuring) {
	tombstones := p.TombstoneSelf != "" || p.TombstoneOthers != ""
	for _, msg := range t.messages {
		a := of(msg.author)
		switch {
		case !msg.recalled:
			a.StoredBytes += messageBytes + int64(len(msg.text))
		case tombstones:
			a.StoredBytes += messageBytes
			a.TombstonesKept++
		}
	}
	for _, mk := range t.marks {
		of(mk.blocker).StoredBytes += markBytes
	}
}

// reports counts t's reported messages for their reporters, and what
// became of them by the end.
func (m *Model) reports(t *thread, p Policy, of func(sim.UserID) *measuring) {
	for _, r := range t.reported {
		a := of(r.by)
		a.ReportedMessages++
		if m.blocks(r.by, t.messages[r.pos].author) {
			a.ReportedAuthorBlocked++
		}
		if m.readableBy(r.by, t, r.pos, p) {
			a.ReportedStillReadable++
		}
	}
}

// blockedHistory counts, for each member of t, the messages of users they
// block at the end whose text their view still shows.
func (m *Model) blockedHistory(t *thread, p Policy, of func(sim.UserID) *measuring) {
	for _, mb := range t.members {
		if len(m.people[mb.user].blocks) == 0 {
			continue
		}
		for _, l := range mb.lines {
			if l.author != mb.user && m.blocks(mb.user, l.author) && m.readableBy(mb.user, t, l.pos, p) {
				of(mb.user).BlockedHistoryKept++
			}
		}
	}
}
