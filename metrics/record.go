package metrics

import (
	"math"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// The recording methods below run on the simulator's hot path. Each checks
// for a nil receiver and an out-of-range label, then touches a child resolved
// in New: no lock, no map lookup, no allocation. A value out of range records
// nothing rather than crash a run over its metrics.

// Op records an operation of action a that ended with outcome o after d of
// wall-clock time.
func (m *Metrics) Op(a sim.Action, o sim.Outcome, d time.Duration) {
	if m == nil || a >= sim.NumActions || o >= sim.NumOutcomes {
		return
	}
	m.ops[a][o].Inc()
	m.latency[a].Observe(d.Seconds())
}

// Delivered records n messages delivered into members' views; n <= 0
// records nothing.
func (m *Metrics) Delivered(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.delivered.Add(float64(n))
}

// Notified records n notifications raised for cause c.
func (m *Metrics) Notified(c sim.Cause, n int) {
	if m == nil || c >= sim.NumCauses || n <= 0 {
		return
	}
	m.notified[c].Add(float64(n))
}

// Suppressed records n notifications not raised, for reason r.
func (m *Metrics) Suppressed(r sim.Reason, n int) {
	if m == nil || r >= sim.NumReasons || n <= 0 {
		return
	}
	m.suppressed[r].Add(float64(n))
}

// TombstonesShown records n tombstones shown: lines in recipients' views
// that show a tombstone in place of a message its sender recalled, the
// report's tombstones_shown measure. The runner calls it once, with the
// measure, when it measures the run's final views; n <= 0 records nothing.
func (m *Metrics) TombstonesShown(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.tombstones.Add(float64(n))
}

// Violation records a breach of invariant i, from sim.I1DeleteLocality to
// sim.NumInvariants (sim.I15Edits).
func (m *Metrics) Violation(i sim.Invariant) {
	if m == nil || i < 1 || i > sim.NumInvariants {
		return
	}
	m.violations[i-1].Inc()
}

// SpecDifferences records n differences between a deterministic run and
// the specification model (sim/spec); n <= 0 records nothing.
func (m *Metrics) SpecDifferences(n int) {
	if m == nil || n <= 0 {
		return
	}
	m.specDiffs.Add(float64(n))
}

// SetUsers sets the size of the simulated population.
func (m *Metrics) SetUsers(n int) {
	if m == nil {
		return
	}
	m.users.Set(float64(n))
}

// SetThreads sets the number of threads whose actor is live and passivated.
func (m *Metrics) SetThreads(live, passivated int) {
	if m == nil {
		return
	}
	m.live.Set(float64(live))
	m.passivated.Set(float64(passivated))
}

// InflightAdd moves the number of operations in flight by delta: +1 when an
// operation is sent to an actor, -1 when its answer comes back.
func (m *Metrics) InflightAdd(delta int) {
	if m == nil {
		return
	}
	m.inflight.Add(float64(delta))
}

// Restart records an actor restarted by its supervisor.
func (m *Metrics) Restart() {
	if m == nil {
		return
	}
	m.restarts.Inc()
}

// SetClock sets the simulated clock to t.
func (m *Metrics) SetClock(t sim.Time) {
	if m == nil {
		return
	}
	m.clock.Set(time.Duration(t).Seconds())
}

// SetProgress sets the fraction f of the run that is done, clamped to [0, 1];
// NaN records nothing.
func (m *Metrics) SetProgress(f float64) {
	if m == nil || math.IsNaN(f) {
		return
	}
	m.progress.Set(max(0, min(1, f)))
}
