package sim

import (
	"testing"
	"time"
	"unsafe"
)

func at(d time.Duration) Time { return Time(0).Add(d) }

// regretStory: alice sends bob "oops" at 0 and regrets it at 2m, for
// everyone where the policy allows it and for herself otherwise, as the
// workload's regret with fallback does; "fine" stays.
func regretStory(t *testing.T, p Policy) *World {
	t.Helper()
	w := NewWorld(p, 3, func(u UserID) []UserID { return [][]UserID{{1, 2}, {0}, {0}}[u] })
	apply(t, w,
		Op{Action: Send, User: 0, Target: 1, Msg: 1, Text: "oops"},
		Op{Action: Send, User: 0, Target: 1, Msg: 2, Text: "fine", At: at(time.Minute)},
	)
	w.Apply(Op{Action: Delete, User: 0, Thread: Direct(0, 1), Msg: 1, Everyone: true, At: at(2 * time.Minute)})
	w.Apply(Op{Action: Delete, User: 0, Thread: Direct(0, 1), Msg: 1, At: at(2 * time.Minute)})
	return w
}

func TestMeasureRegret(t *testing.T) {
	end := at(time.Hour)
	tests := []struct {
		policy                        string
		readable, recalled, shown     int
		meanSeconds                   float64
		storedBytes                   int64
		tombstonesKept, lastCurvePint int
	}{
		// linkedin: the delete is for alice alone; bob reads "oops" to the end.
		{"linkedin", 1, 0, 0, 3600, 40 + 4 + 40 + 4 + 8, 1, 1},
		// recall: gone for bob after 2 minutes, with a tombstone in its place.
		{"linkedin-recall", 0, 1, 1, 120, 40 + 40 + 4, 1, 0},
		{"whatsapp", 0, 1, 1, 120, 40 + 40 + 4, 1, 0},
		// telegram: gone without a trace, and nothing stored of it.
		{"telegram", 0, 1, 0, 120, 40 + 4, 0, 0},
	}
	for _, tt := range tests {
		w := regretStory(t, preset(t, tt.policy))
		m, by := w.Measure(end, nil)
		if by != nil {
			t.Errorf("%s: per-cohort measures without cohorts", tt.policy)
		}
		if m.Regretted != 1 || m.RegrettedReadable != tt.readable || m.Recalled != tt.recalled ||
			m.TombstonesShown != tt.shown || m.RegretReadableSeconds != tt.meanSeconds ||
			m.StoredBytes != tt.storedBytes || m.TombstonesKept != tt.tombstonesKept {
			t.Errorf("%s: %+v", tt.policy, m)
		}
		if len(m.RegretCurve) != CurvePoints {
			t.Fatalf("%s: curve of %d points", tt.policy, len(m.RegretCurve))
		}
		first, last := m.RegretCurve[0], m.RegretCurve[CurvePoints-1]
		if first.Value != 0 || last.Value != tt.lastCurvePint || last.Seconds != 3600 {
			t.Errorf("%s: curve from %+v to %+v", tt.policy, first, last)
		}
	}
}

// TestMeasureCurve: a regretted message counts from its regret until its
// recall, or to the end while it stays readable.
func TestMeasureCurve(t *testing.T) {
	spans := []span{{at(10 * time.Minute), at(20 * time.Minute)}, {at(30 * time.Minute), at(time.Hour) + 1}, {at(5 * time.Minute), at(5 * time.Minute)}}
	c := curve(spans, at(time.Hour))
	value := func(d time.Duration) int {
		for _, p := range c {
			if p.Seconds == d.Seconds() {
				return p.Value
			}
		}
		t.Fatalf("no point at %s", d)
		return 0
	}
	for d, want := range map[time.Duration]int{0: 0, 15 * time.Minute: 1, 20 * time.Minute: 0, 30 * time.Minute: 1, time.Hour: 1} {
		if got := value(d); got != want {
			t.Errorf("at %s: %d, want %d", d, got, want)
		}
	}
	if c := curve(nil, 0); len(c) != 1 || c[0].Value != 0 {
		t.Errorf("curve of a run that ended at 0: %+v", c)
	}
}

// TestMeasureBlocksSpamReports: what blocks stop and keep, messages to
// non-connections, and reports.
func TestMeasureBlocksSpamReports(t *testing.T) {
	hide := preset(t, "linkedin")
	hide.BlockHidesHistory = true
	for _, tt := range []struct {
		policy                            Policy
		spam, history, reportedReadable   int
		stoppedMessages, stoppedNotifs    int
		reportsFiled, reportsRefused, rep int
	}{
		{preset(t, "linkedin"), 0, 2, 1, 1 + 5, 1, 2, 1, 1},
		{hide, 0, 0, 0, 1 + 5, 1, 2, 1, 1}, // the group's history is hidden from the blocker too
		{preset(t, "open-dm"), 1, 2, 1, 1 + 5, 1, 2, 1, 1},
	} {
		w := fixture(t, tt.policy) // alice and bob exchanged m1 and m2; group 0 of alice, bob, carol
		apply(t, w,
			Op{Action: Send, User: 0, Thread: grp, Msg: 3, Text: "to the group"},
			Op{Action: Report, User: 1, Target: 0, Thread: ab, Msg: 1, AndBlock: true}, // bob reports m1 and blocks alice
			Op{Action: Send, User: 0, Thread: grp, Msg: 4, Text: "hidden from bob"},
		)
		w.Apply(Op{Action: Send, User: 1, Target: 3, Msg: 5, Text: "to a stranger"}) // bob and dave are not connected
		m, _ := w.Measure(at(time.Hour), []Tally{{SendsBlocked: 5, ReportsFiled: 2, ReportsRefused: 1}})
		if m.SpamToNonConnections != tt.spam || m.BlockedHistoryKept != tt.history ||
			m.ReportedStillReadable != tt.reportedReadable || m.MessagesStoppedByBlocks != tt.stoppedMessages ||
			m.NotificationsStoppedByBlocks != tt.stoppedNotifs || m.ReportsFiled != tt.reportsFiled ||
			m.ReportsRefused != tt.reportsRefused || m.ReportedMessages != tt.rep || m.ReportedAuthorBlocked != 1 {
			t.Errorf("%s (hides history %v): %+v", tt.policy.Name, tt.policy.BlockHidesHistory, m)
		}
	}
}

// TestMeasureCohorts: each measure is counted for the cohort of the user
// it is about, and the whole run is their sum.
func TestMeasureCohorts(t *testing.T) {
	w := cohortWorld(t, preset(t, "linkedin"), preset(t, "linkedin-recall"))
	apply(t, w,
		Op{Action: Send, User: 0, Target: 1, Msg: 1, Text: "b to b"},
		Op{Action: Send, User: 2, Target: 0, Msg: 2, Text: "a to b"},
		Op{Action: Delete, User: 0, Thread: Direct(0, 1), Msg: 1, Everyone: true, At: at(time.Minute)},
		Op{Action: Delete, User: 2, Thread: Direct(0, 2), Msg: 2, At: at(time.Minute)},
	)
	all, by := w.Measure(at(time.Hour), []Tally{{ReportsFiled: 1}, {ReportsFiled: 2}})
	if len(by) != 2 {
		t.Fatalf("%d cohorts measured", len(by))
	}
	a, b := by[0], by[1]
	if a.Regretted != 1 || a.RegrettedReadable != 1 || a.Recalled != 0 || a.ReportsFiled != 1 {
		t.Errorf("cohort a (carol's regret under linkedin): %+v", a)
	}
	if b.Regretted != 1 || b.RegrettedReadable != 0 || b.Recalled != 1 || b.TombstonesShown != 1 || b.ReportsFiled != 2 {
		t.Errorf("cohort b (alice's recall, bob's tombstone): %+v", b)
	}
	if all.Regretted != 2 || all.RegrettedReadable != 1 || all.ReportsFiled != 3 || all.StoredBytes != a.StoredBytes+b.StoredBytes {
		t.Errorf("whole run: %+v", all)
	}
	if want := (3600.0 + 60) / 2; all.RegretReadableSeconds != want {
		t.Errorf("mean readable time %v, want %v", all.RegretReadableSeconds, want)
	}
}

// TestStorageModel keeps StoredBytes' sizes those of the stored structs.
func TestStorageModel(t *testing.T) {
	if unsafe.Sizeof(Message{}) != storedMessage || unsafe.Sizeof(hide{}) != storedHide || unsafe.Sizeof(mark{}) != storedMark {
		t.Error("the storage model disagrees with the structs' sizes")
	}
}
