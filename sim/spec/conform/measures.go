package conform

import (
	"fmt"
	"strconv"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// Measures compares the policy-lab measures the engine's run reported
// (all, and by cohort in order, nil without cohorts) with those the model
// computes for a run that ended at end, and returns how many comparisons
// it made, how many differences it found and the first limit of them:
// every measure and every point of the regret curve, of the whole run and
// of each cohort.
func Measures(all sim.Measures, by []sim.Measures, m *spec.Model, end sim.Time, limit int) (checked, count int, diffs []Difference) {
	j := &judge{m: m, limit: limit}
	wantAll, wantBy := m.Measure(end)
	j.measures("", all, wantAll)
	j.check(len(by) == len(wantBy), func() Difference {
		return Difference{What: "measure", Measure: "cohorts", Engine: strconv.Itoa(len(by)), Spec: strconv.Itoa(len(wantBy))}
	})
	for i := range min(len(by), len(wantBy)) {
		j.measures(fmt.Sprintf(" of cohort %d", i), by[i], wantBy[i])
	}
	return j.checked, j.count, j.diffs
}

// measures compares one set of measures; of says whose they are.
func (j *judge) measures(of string, e sim.Measures, s spec.Measures) {
	for _, f := range []struct {
		name         string
		engine, spec any
	}{
		{"regretted", e.Regretted, s.Regretted},
		{"regretted_readable", e.RegrettedReadable, s.RegrettedReadable},
		{"regret_readable_mean_seconds", e.RegretReadableSeconds, s.RegretReadableSeconds},
		{"recalled", e.Recalled, s.Recalled},
		{"tombstones_shown", e.TombstonesShown, s.TombstonesShown},
		{"messages_stopped_by_blocks", e.MessagesStoppedByBlocks, s.MessagesStoppedByBlocks},
		{"notifications_stopped_by_blocks", e.NotificationsStoppedByBlocks, s.NotificationsStoppedByBlocks},
		{"blocked_history_kept", e.BlockedHistoryKept, s.BlockedHistoryKept},
		{"spam_to_non_connections", e.SpamToNonConnections, s.SpamToNonConnections},
		{"reports_filed", e.ReportsFiled, s.ReportsFiled},
		{"reports_refused", e.ReportsRefused, s.ReportsRefused},
		{"reported_messages", e.ReportedMessages, s.ReportedMessages},
		{"reported_author_blocked", e.ReportedAuthorBlocked, s.ReportedAuthorBlocked},
		{"reported_still_readable", e.ReportedStillReadable, s.ReportedStillReadable},
		{"stored_bytes", e.StoredBytes, s.StoredBytes},
		{"tombstones_kept", e.TombstonesKept, s.TombstonesKept},
	} {
		eng, sp := fmt.Sprint(f.engine), fmt.Sprint(f.spec)
		j.check(eng == sp, func() Difference {
			return Difference{What: "measure", Measure: f.name + of, Engine: eng, Spec: sp}
		})
	}
	j.check(len(e.RegretCurve) == len(s.RegretCurve), func() Difference {
		return Difference{What: "measure", Measure: "regret_readable_over_time" + of + " points",
			Engine: strconv.Itoa(len(e.RegretCurve)), Spec: strconv.Itoa(len(s.RegretCurve))}
	})
	for k := range min(len(e.RegretCurve), len(s.RegretCurve)) {
		ep, sp := e.RegretCurve[k], s.RegretCurve[k]
		j.check(ep.Seconds == sp.Seconds && ep.Value == sp.Value, func() Difference {
			return Difference{What: "measure", Measure: fmt.Sprintf("regret_readable_over_time%s point %d", of, k),
				Engine: fmt.Sprintf("%d at %gs", ep.Value, ep.Seconds), Spec: fmt.Sprintf("%d at %gs", sp.Value, sp.Seconds)}
		})
	}
}
