package metrics

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/msgsim/msgsim/sim"
)

func TestLint(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, "linkedin")
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

func TestNewRegistry(t *testing.T) {
	reg := NewRegistry()
	New(reg, "linkedin")
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
}

func TestPoliciesShareRegistry(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	a, b := New(reg, "a"), New(reg, "b")
	a.Restart()
	b.Restart()
	b.Restart()
	want := `
# HELP msgsim_actor_restarts_total Actors restarted by their supervisor after a failure.
# TYPE msgsim_actor_restarts_total counter
msgsim_actor_restarts_total{policy="a"} 1
msgsim_actor_restarts_total{policy="b"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "msgsim_actor_restarts_total"); err != nil {
		t.Error(err)
	}
}

func TestSamePolicyTwicePanics(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	New(reg, "a")
	defer func() {
		if recover() == nil {
			t.Error("New registered the same policy twice without panicking")
		}
	}()
	New(reg, "a")
}

// TestNilRegisterer: with a nil registerer New registers nothing (a second
// Metrics of the same policy is no duplicate) and still counts.
func TestNilRegisterer(t *testing.T) {
	m := New(nil, "a")
	again := New(nil, "a")
	m.Op(sim.Send, sim.OK, time.Microsecond)
	m.Op(sim.Send, sim.OK, time.Microsecond)
	m.TombstonesShown(1)
	again.Op(sim.Send, sim.OK, time.Microsecond)
	if got := testutil.ToFloat64(m.ops[sim.Send][sim.OK]); got != 2 {
		t.Errorf("send ok counted %v times, want 2", got)
	}
	if got := testutil.ToFloat64(m.tombstones); got != 1 {
		t.Errorf("tombstones counted %v, want 1", got)
	}
	if got := testutil.ToFloat64(again.ops[sim.Send][sim.OK]); got != 1 {
		t.Errorf("the second Metrics counted %v, want 1: the two share a family", got)
	}
}

// TestExposition checks the exact exposition after a known sequence of calls,
// including calls out of range that must record nothing.
func TestExposition(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := New(reg, "p")

	m.Op(sim.Send, sim.OK, 3*time.Microsecond)
	m.Op(sim.Send, sim.Blocked, 100*time.Millisecond)
	m.Op(sim.Read, sim.OK, 2*time.Second)
	m.Op(sim.NumActions, sim.OK, time.Second)
	m.Op(sim.Send, sim.NumOutcomes, time.Second)
	m.Delivered(3)
	m.Delivered(0)
	m.Delivered(-2)
	m.Notified(sim.CauseMessage, 1)
	m.Notified(sim.CauseMessage, 1)
	m.Notified(sim.CauseDelete, 1)
	m.Notified(sim.NumCauses, 1)
	m.Suppressed(sim.ReasonBlocked, 1)
	m.Suppressed(sim.NumReasons, 1)
	m.TombstonesShown(1)
	m.TombstonesShown(0)
	m.Violation(sim.I1DeleteLocality)
	m.Violation(sim.I11ConnectionRule)
	m.Violation(sim.I11ConnectionRule)
	m.SpecDifferences(3)
	m.SpecDifferences(0)
	m.SpecDifferences(-2)
	m.Violation(0)
	m.Violation(sim.NumInvariants + 1)
	m.SetUsers(1000)
	m.SetThreads(40, 2)
	m.InflightAdd(5)
	m.InflightAdd(-2)
	m.Restart()
	m.SetClock(sim.Time(90 * time.Minute))
	m.SetProgress(0.25)

	want := opsText("p", map[[2]string]int{{"send", "ok"}: 1, {"send", "blocked"}: 1, {"read", "ok"}: 1}) +
		latencyText("p", map[string][]time.Duration{"send": {3 * time.Microsecond, 100 * time.Millisecond}, "read": {2 * time.Second}}) + `
# HELP msgsim_messages_delivered_total Messages delivered into members' views of a thread: one per member who receives a message, the sender included.
# TYPE msgsim_messages_delivered_total counter
msgsim_messages_delivered_total{policy="p"} 3
# HELP msgsim_notifications_total Notifications raised, by cause.
# TYPE msgsim_notifications_total counter
msgsim_notifications_total{cause="delete",policy="p"} 1
msgsim_notifications_total{cause="message",policy="p"} 2
msgsim_notifications_total{cause="post",policy="p"} 0
# HELP msgsim_notifications_suppressed_total Notifications not raised, by reason.
# TYPE msgsim_notifications_suppressed_total counter
msgsim_notifications_suppressed_total{policy="p",reason="blocked"} 1
msgsim_notifications_suppressed_total{policy="p",reason="muted"} 0
msgsim_notifications_suppressed_total{policy="p",reason="settings"} 0
# HELP msgsim_tombstones_shown_total Lines in recipients' views that show a tombstone in place of a message its sender recalled (deleted for everyone), counted in the final views when the run ends, as the report's tombstones_shown measure; 0 until then.
# TYPE msgsim_tombstones_shown_total counter
msgsim_tombstones_shown_total{policy="p"} 1
# HELP msgsim_invariant_violations_total Broken invariants of DESIGN.md section 3 found by the checker, by invariant; invariant="spec" counts where a deterministic run differs from the specification model.
# TYPE msgsim_invariant_violations_total counter
msgsim_invariant_violations_total{invariant="I1",policy="p"} 1
msgsim_invariant_violations_total{invariant="I2",policy="p"} 0
msgsim_invariant_violations_total{invariant="I3",policy="p"} 0
msgsim_invariant_violations_total{invariant="I4",policy="p"} 0
msgsim_invariant_violations_total{invariant="I5",policy="p"} 0
msgsim_invariant_violations_total{invariant="I6",policy="p"} 0
msgsim_invariant_violations_total{invariant="I7",policy="p"} 0
msgsim_invariant_violations_total{invariant="I8",policy="p"} 0
msgsim_invariant_violations_total{invariant="I9",policy="p"} 0
msgsim_invariant_violations_total{invariant="I10",policy="p"} 0
msgsim_invariant_violations_total{invariant="I11",policy="p"} 2
msgsim_invariant_violations_total{invariant="I12",policy="p"} 0
msgsim_invariant_violations_total{invariant="I13",policy="p"} 0
msgsim_invariant_violations_total{invariant="I14",policy="p"} 0
msgsim_invariant_violations_total{invariant="I15",policy="p"} 0
msgsim_invariant_violations_total{invariant="spec",policy="p"} 3
# HELP msgsim_users Users in the simulated population.
# TYPE msgsim_users gauge
msgsim_users{policy="p"} 1000
# HELP msgsim_threads Threads, by whether their actor is live in memory or passivated.
# TYPE msgsim_threads gauge
msgsim_threads{policy="p",state="live"} 40
msgsim_threads{policy="p",state="passivated"} 2
# HELP msgsim_inflight_operations Operations sent to an actor and not yet answered.
# TYPE msgsim_inflight_operations gauge
msgsim_inflight_operations{policy="p"} 3
# HELP msgsim_actor_restarts_total Actors restarted by their supervisor after a failure.
# TYPE msgsim_actor_restarts_total counter
msgsim_actor_restarts_total{policy="p"} 1
# HELP msgsim_simulated_seconds The simulated clock: seconds since the start of the run.
# TYPE msgsim_simulated_seconds gauge
msgsim_simulated_seconds{policy="p"} 5400
# HELP msgsim_run_progress_ratio How much of the run is done, from 0 to 1.
# TYPE msgsim_run_progress_ratio gauge
msgsim_run_progress_ratio{policy="p"} 0.25
`
	version, goversion := buildVersion()
	want += fmt.Sprintf(`
# HELP msgsim_build_info Always 1, labelled with the msgsim version and the Go version that built it.
# TYPE msgsim_build_info gauge
msgsim_build_info{goversion=%q,policy="p",version=%q} 1
`, goversion, version)
	// No names: the comparison covers every family, so one New forgets to
	// expect here fails the test.
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// opsText is the exposition of msgsim_operations_total with every
// action and outcome, counted as in n and zero elsewhere.
func opsText(policy string, n map[[2]string]int) string {
	var b strings.Builder
	b.WriteString("# HELP msgsim_operations_total Operations completed, by action and outcome.\n")
	b.WriteString("# TYPE msgsim_operations_total counter\n")
	for _, a := range sim.Actions() {
		for _, o := range sim.Outcomes() {
			fmt.Fprintf(&b, "msgsim_operations_total{action=%q,outcome=%q,policy=%q} %d\n",
				a, o, policy, n[[2]string{a.String(), o.String()}])
		}
	}
	return b.String()
}

// latencyText is the exposition of msgsim_operation_duration_seconds with
// every action, having observed the durations in obs and nothing elsewhere.
// Its bucket bounds are written out, not taken from LatencyBuckets.
func latencyText(policy string, obs map[string][]time.Duration) string {
	var b strings.Builder
	b.WriteString("# HELP msgsim_operation_duration_seconds Wall-clock time to carry out an operation, by action.\n")
	b.WriteString("# TYPE msgsim_operation_duration_seconds histogram\n")
	for _, a := range sim.Actions() {
		ds := obs[a.String()]
		for i := range 21 {
			le := math.Ldexp(1e-6, i) // 1µs·2^i
			n := 0
			for _, d := range ds {
				if d.Seconds() <= le {
					n++
				}
			}
			fmt.Fprintf(&b, "msgsim_operation_duration_seconds_bucket{action=%q,policy=%q,le=%q} %d\n",
				a, policy, strconv.FormatFloat(le, 'g', -1, 64), n)
		}
		sum := 0.0
		for _, d := range ds {
			sum += d.Seconds()
		}
		fmt.Fprintf(&b, "msgsim_operation_duration_seconds_bucket{action=%q,policy=%q,le=\"+Inf\"} %d\n", a, policy, len(ds))
		fmt.Fprintf(&b, "msgsim_operation_duration_seconds_sum{action=%q,policy=%q} %s\n", a, policy, strconv.FormatFloat(sum, 'g', -1, 64))
		fmt.Fprintf(&b, "msgsim_operation_duration_seconds_count{action=%q,policy=%q} %d\n", a, policy, len(ds))
	}
	return b.String()
}

func TestProgressClamped(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{-1, 0}, {0, 0}, {0.5, 0.5}, {1, 1}, {7, 1}, {math.Inf(1), 1}, {math.NaN(), 0.5},
	} {
		reg := prometheus.NewPedanticRegistry()
		m := New(reg, "p")
		m.SetProgress(0.5)
		m.SetProgress(tc.in)
		want := fmt.Sprintf(`
# HELP msgsim_run_progress_ratio How much of the run is done, from 0 to 1.
# TYPE msgsim_run_progress_ratio gauge
msgsim_run_progress_ratio{policy="p"} %g
`, tc.want)
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "msgsim_run_progress_ratio"); err != nil {
			t.Errorf("SetProgress(%v): %v", tc.in, err)
		}
	}
}

// TestNilMetrics: every method of *Metrics accepts a nil receiver (the
// runner passes nil when no metrics were asked for). The methods are found
// by reflection, so one added later is held to it too.
func TestNilMetrics(t *testing.T) {
	var m *Metrics
	v := reflect.ValueOf(m)
	if v.NumMethod() < 13 {
		t.Fatalf("*Metrics has %d methods; the recording ones are missing", v.NumMethod())
	}
	for i := range v.NumMethod() {
		name, f := v.Type().Method(i).Name, v.Method(i)
		args := make([]reflect.Value, f.Type().NumIn())
		for k := range args {
			args[k] = reflect.New(f.Type().In(k)).Elem() // zero values: a valid action, outcome, count
			if f.Type().In(k).Kind() == reflect.Int {
				args[k] = reflect.ValueOf(1)
			}
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("(*Metrics)(nil).%s panics: %v", name, r)
				}
			}()
			f.Call(args)
		}()
	}
}

func TestOpDoesNotAllocate(t *testing.T) {
	m := New(prometheus.NewRegistry(), "p")
	allocs := testing.AllocsPerRun(1000, func() {
		m.Op(sim.Send, sim.OK, 5*time.Microsecond)
		m.Notified(sim.CauseMessage, 1)
		m.InflightAdd(1)
	})
	if allocs != 0 {
		t.Errorf("recording allocates %v times per call, want 0", allocs)
	}
}

func TestLabelNames(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{sim.CauseMessage.String(), "message"},
		{sim.CausePost.String(), "post"},
		{sim.CauseDelete.String(), "delete"},
		{sim.NumCauses.String(), "cause?"},
		{sim.ReasonMuted.String(), "muted"},
		{sim.ReasonSettings.String(), "settings"},
		{sim.ReasonBlocked.String(), "blocked"},
		{sim.NumReasons.String(), "reason?"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func BenchmarkOp(b *testing.B) {
	m := New(prometheus.NewRegistry(), "p")
	b.ReportAllocs()
	for b.Loop() {
		m.Op(sim.Send, sim.OK, 5*time.Microsecond)
	}
}

func BenchmarkOpParallel(b *testing.B) {
	m := New(prometheus.NewRegistry(), "p")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Op(sim.Action(i%int(sim.NumActions)), sim.OK, 5*time.Microsecond)
			i++
		}
	})
}

// recordSend makes the calls a direct send costs with metrics on: the
// runner's in-flight gauge and operation count, and the engine's two
// deliveries (sender and recipient) and one notification.
func recordSend(m *Metrics) {
	m.InflightAdd(1)
	m.Delivered(1)
	m.Delivered(1)
	m.Notified(sim.CauseMessage, 1)
	m.Op(sim.Send, sim.OK, 5*time.Microsecond)
	m.InflightAdd(-1)
}

// BenchmarkSend measures what metrics add to one direct send.
func BenchmarkSend(b *testing.B) {
	m := New(prometheus.NewRegistry(), "p")
	for b.Loop() {
		recordSend(m)
	}
}

// BenchmarkSendParallel measures it with every core recording at once.
func BenchmarkSendParallel(b *testing.B) {
	m := New(prometheus.NewRegistry(), "p")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			recordSend(m)
		}
	})
}
