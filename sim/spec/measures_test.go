package spec_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// regretOps: in the fixture, alice posts m3 to g0 at 50 minutes, deletes it
// for herself at 59 and for everyone at 61; bob deletes his m2 for
// himself at two hours.
func regretOps() []sim.Op {
	return []sim.Op{
		{Action: sim.Send, User: alice, Thread: g0, Msg: 3, Text: "hello", At: at(50 * time.Minute)},
		{Action: sim.Delete, User: alice, Thread: g0, Msg: 3, At: at(59 * time.Minute)},
		{Action: sim.Delete, User: alice, Thread: g0, Msg: 3, Everyone: true, At: at(61 * time.Minute)},
		{Action: sim.Delete, User: bob, Thread: ab, Msg: 2, At: at(2 * time.Hour)},
	}
}

// TestMeasureRegret works the regret measures, the tombstones and the
// storage model out by hand for regretOps under whatsapp, in a run that
// ends at four hours.
func TestMeasureRegret(t *testing.T) {
	m := fixture(t, preset(t, "whatsapp"))
	apply(t, m, regretOps()...)
	got, by := m.Measure(at(4 * time.Hour))
	want(t, "by cohort without cohorts", by == nil, true)
	want(t, "regretted: m3 and m2", got.Regretted, 2)
	want(t, "recalled: m3", got.Recalled, 1)
	want(t, "still readable: alice reads bob's m2", got.RegrettedReadable, 1)
	// m3 was readable 11 minutes, m2 four hours: 15,060 s over two.
	want(t, "mean readable seconds", got.RegretReadableSeconds, 7530.0)
	want(t, "tombstones shown: bob's and carol's line of m3", got.TombstonesShown, 2)
	// m1 and m2 at 40+2, m3 recalled behind a tombstone at 40, two
	// deletes for me at 8.
	want(t, "stored bytes", got.StoredBytes, int64(42+42+40+8+8))
	want(t, "tombstones kept: m3 and two deletes for me", got.TombstonesKept, 3)
	want(t, "nothing else", got.SpamToNonConnections+got.MessagesStoppedByBlocks+got.ReportsFiled+got.BlockedHistoryKept, 0)
	// Every 150 s: m3 counts from 3,540 s to 3,660 s (the point at
	// 3,600), m2 from 7,200 s (the 48th point) to the end.
	c := got.RegretCurve
	want(t, "curve points", len(c), spec.CurvePoints)
	for k, v := range map[int]int{0: 0, 23: 0, 24: 1, 25: 0, 47: 0, 48: 1, 96: 1} {
		want(t, "curve value at point "+strconv.Itoa(k), c[k].Value, v)
	}
	want(t, "the curve's last point is the end", c[96].Seconds, 14400.0)
	want(t, "the curve's 25th point", c[24].Seconds, 3600.0)
}

// TestMeasureCohorts: with cohorts each measure counts for the cohort its
// definition names, and the whole run's are the same as without.
func TestMeasureCohorts(t *testing.T) {
	p := preset(t, "whatsapp")
	conns := fixtureConns()
	m := spec.New(p, 60, func(u sim.UserID) []sim.UserID { return conns[u] })
	m.SetCohorts([]spec.Policy{p, p}, func(u sim.UserID) int { return int(u) % 2 })
	apply(t, m,
		sim.Op{Action: sim.Send, User: alice, Target: bob, Msg: 1, Text: "m1"},
		sim.Op{Action: sim.Send, User: bob, Target: alice, Msg: 2, Text: "m2"},
		sim.Op{Action: sim.CreateGroup, User: alice, Thread: g0, Members: []sim.UserID{bob, carol}})
	apply(t, m, regretOps()...)
	end := at(4 * time.Hour)
	all, by := m.Measure(end)
	alone := fixture(t, p)
	apply(t, alone, regretOps()...)
	whole, _ := alone.Measure(end)
	want(t, "stored bytes of the whole run", all.StoredBytes, whole.StoredBytes)
	want(t, "mean readable seconds of the whole run", all.RegretReadableSeconds, whole.RegretReadableSeconds)
	want(t, "cohorts", len(by), 2)
	// Alice (0) and carol (2) are cohort 0, bob (1) cohort 1.
	want(t, "alice's regret", by[0].Regretted, 1)
	want(t, "bob's regret", by[1].Regretted, 1)
	want(t, "alice's recall", by[0].Recalled, 1)
	want(t, "carol's tombstone", by[0].TombstonesShown, 1)
	want(t, "bob's tombstone", by[1].TombstonesShown, 1)
	want(t, "alice's m1, m3 and delete for me", by[0].StoredBytes, int64(42+40+8))
	want(t, "bob's m2 and delete for me", by[1].StoredBytes, int64(42+8))
	want(t, "alice's mean: m3's 11 minutes", by[0].RegretReadableSeconds, 660.0)
	want(t, "bob's curve at the end", by[1].RegretCurve[96].Value, 1)
}

// TestMeasureBlocks works the block, report and mark measures out by hand
// under linkedin.
func TestMeasureBlocks(t *testing.T) {
	m := fixture(t, preset(t, "linkedin"))
	apply(t, m,
		sim.Op{Action: sim.Send, User: carol, Thread: g0, Msg: 3, Text: "c0"},
		pair(sim.Block, bob, carol),                              // a mark of bob's on carol in g0
		pair(sim.Block, bob, dave), pair(sim.Unblock, bob, dave), // nothing posted: no mark
		pair(sim.Block, dave, carol),                                          // dave is in no group: no mark
		sim.Op{Action: sim.AddMember, User: alice, Thread: g0, Target: dave},  // dave's mark on carol
		sim.Op{Action: sim.Send, User: carol, Thread: g0, Msg: 4, Text: "c1"}, // hidden from bob and dave
		sim.Op{Action: sim.Report, User: bob, Target: carol, Thread: g0, Msg: 3},
	)
	want(t, "carol's send to bob", m.Apply(dsend(carol, bob, 5, "x")), sim.Blocked)
	want(t, "a report of a message that does not exist", m.Apply(sim.Op{Action: sim.Report, User: bob, Target: carol, Thread: g0, Msg: 99}), sim.NotFound)
	got, _ := m.Measure(at(time.Hour))
	want(t, "stopped by blocks: one send, c1 twice", got.MessagesStoppedByBlocks, 3)
	want(t, "notifications stopped: c1 for bob and dave", got.NotificationsStoppedByBlocks, 2)
	want(t, "blocked history kept: bob still reads c0", got.BlockedHistoryKept, 1)
	want(t, "reports filed", got.ReportsFiled, 1)
	want(t, "reports refused", got.ReportsRefused, 1)
	want(t, "reported messages", got.ReportedMessages, 1)
	want(t, "reported, author blocked", got.ReportedAuthorBlocked, 1)
	want(t, "reported, still readable", got.ReportedStillReadable, 1)
	want(t, "stored: four messages at 42, two open marks at 16", got.StoredBytes, int64(4*42+2*16))
	want(t, "no spam under linkedin", got.SpamToNonConnections, 0)

	apply(t, m, pair(sim.Unblock, bob, carol))
	got, _ = m.Measure(at(time.Hour))
	want(t, "a mark with a message in it stays after the unblock", got.StoredBytes, int64(4*42+2*16))
	want(t, "unblocked: c0 is no longer a blocked user's", got.BlockedHistoryKept, 0)
	want(t, "unblocked: the report's author is not blocked", got.ReportedAuthorBlocked, 0)
}

// TestMeasureSpam: a message between users who were not connected when it
// was sent counts for its sender, whatever they are later.
func TestMeasureSpam(t *testing.T) {
	m := fixture(t, preset(t, "open-dm"))
	apply(t, m, dsend(dave, bob, 3, "hi"), dsend(bob, dave, 4, "who?"), pair(sim.Connect, bob, dave), dsend(dave, bob, 5, "me"))
	got, _ := m.Measure(at(time.Hour))
	want(t, "two messages before the connection", got.SpamToNonConnections, 2)
}

// TestMeasureNoTime: a run that ends at its start has one curve point.
func TestMeasureNoTime(t *testing.T) {
	m := fixture(t, preset(t, "linkedin"))
	got, _ := m.Measure(0)
	want(t, "points", len(got.RegretCurve), 1)
	want(t, "no regret, no mean", got.RegretReadableSeconds, 0.0)
}
