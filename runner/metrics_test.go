package runner_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/msgsim/msgsim/metrics"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// metricsScript exercises every count the runner and the engine feed to
// metrics, under a policy with both tombstones and delete notices. The
// comments give what each step adds; TestRunMetrics checks the totals.
const metricsScript = `
name: metrics-script
policy: {preset: signal, notify_on_delete: true}
users: [alice, bob, carol, dan]
connections: [[alice, bob], [alice, carol], [alice, dan], [carol, dan]]
steps:
  - send: {from: alice, to: bob, text: "hello"}              # 2 delivered, bob notified
  - send: {from: alice, to: bob, text: "oops", as: m2}       # 2 delivered, bob notified
  - delete: {user: alice, message: m2}                        # alice's own view: no recipient's tombstone
  - delete: {user: alice, message: m2, expect: already_deleted}
  - send: {from: alice, to: bob, text: "typo", as: m3}       # 2 delivered, bob notified
  - delete: {user: alice, message: m3, for: everyone}         # 1 tombstone shown (bob's view), bob notified (delete)
  - advance: 10m
  - mute: {user: bob, with: alice}
  - send: {from: alice, to: bob, text: "muted"}              # 2 delivered, suppressed: muted
  - notifications: {user: carol, enabled: false}
  - send: {from: alice, to: carol, text: "quiet"}            # 2 delivered, suppressed: settings
  - create_group: {owner: alice, name: team, members: [bob, carol, dan]}
  - send: {from: alice, group: team, text: "team hello", as: g1}  # 4 delivered, bob and dan notified, carol: settings
  - delete: {user: carol, message: g1}                        # carol's own view: no recipient's tombstone
  - block: {user: bob, target: alice}
  - send: {from: alice, to: bob, text: "blocked?", expect: blocked}
  - send: {from: alice, group: team, text: "team again"}     # 4 delivered, dan notified, carol: settings, bob: blocked
  - advance: 50m
  - expect: {notifications: {user: bob}, count: 5}
  - expect: {notifications: {user: dan}, count: 2}
`

// TestRunMetrics checks what a script run leaves in every family the runner
// and the engine feed, apart from latencies, whose values are wall-clock.
func TestRunMetrics(t *testing.T) {
	sc, err := scenarios.Load("metrics.yaml", []byte(metricsScript))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	rep, err := runner.New(sc, runner.Options{Metrics: metrics.New(reg, "signal")}).Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed {
		t.Fatalf("the script failed: %+v", rep.Expectations.Failures)
	}

	want := map[string]string{
		"msgsim_operations_total": `
msgsim_operations_total{action="block",outcome="ok",policy="signal"} 1
msgsim_operations_total{action="create_group",outcome="ok",policy="signal"} 1
msgsim_operations_total{action="delete",outcome="already_deleted",policy="signal"} 1
msgsim_operations_total{action="delete",outcome="ok",policy="signal"} 3
msgsim_operations_total{action="mute",outcome="ok",policy="signal"} 1
msgsim_operations_total{action="notifications",outcome="ok",policy="signal"} 1
msgsim_operations_total{action="send",outcome="blocked",policy="signal"} 1
msgsim_operations_total{action="send",outcome="ok",policy="signal"} 7`,
		"msgsim_messages_delivered_total": `msgsim_messages_delivered_total{policy="signal"} 18`,
		"msgsim_notifications_total": `
msgsim_notifications_total{cause="delete",policy="signal"} 1
msgsim_notifications_total{cause="message",policy="signal"} 6`,
		"msgsim_notifications_suppressed_total": `
msgsim_notifications_suppressed_total{policy="signal",reason="blocked"} 1
msgsim_notifications_suppressed_total{policy="signal",reason="muted"} 1
msgsim_notifications_suppressed_total{policy="signal",reason="settings"} 3`,
		"msgsim_tombstones_shown_total": `msgsim_tombstones_shown_total{policy="signal"} 1`,
		"msgsim_users":                  `msgsim_users{policy="signal"} 4`,
		"msgsim_threads":                `msgsim_threads{policy="signal",state="passivated"} 3`,
		"msgsim_inflight_operations":    `msgsim_inflight_operations{policy="signal"} 0`,
		"msgsim_simulated_seconds":      `msgsim_simulated_seconds{policy="signal"} 3600`,
		"msgsim_run_progress_ratio":     `msgsim_run_progress_ratio{policy="signal"} 1`,
	}
	for name, series := range want {
		got, err := nonZero(reg, name)
		if err != nil {
			t.Fatal(err)
		}
		if w := strings.TrimSpace(series); got != w {
			t.Errorf("%s:\n got\n%s\nwant\n%s", name, got, w)
		}
	}
	if rep.SimulatedSeconds != 3600 || rep.OpsTotal != 16 {
		t.Errorf("report: %v simulated seconds, %d ops; want 3600 and 16", rep.SimulatedSeconds, rep.OpsTotal)
	}
	if rep.Measures == nil || rep.Measures.TombstonesShown != 1 {
		t.Errorf("report: measures %+v, want 1 tombstone shown, as the metric counts", rep.Measures)
	}
}

// nonZero returns the series of the family name that are not zero, one a
// line in the text format, sorted as Gather sorts them. Gauges that must be
// zero (in-flight operations) are kept.
func nonZero(g prometheus.Gatherer, name string) (string, error) {
	mfs, err := g.Gather()
	if err != nil {
		return "", err
	}
	var lines []string
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if v == 0 && name != "msgsim_inflight_operations" {
				continue
			}
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			lines = append(lines, fmt.Sprintf("%s{%s} %g", name, strings.Join(labels, ","), v))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// TestRunMetricsLint checks the families a finished run exposes.
func TestRunMetricsLint(t *testing.T) {
	sc, err := scenarios.Load("metrics.yaml", []byte(metricsScript))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	if _, err := runner.New(sc, runner.Options{Metrics: metrics.New(reg, "signal")}).Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

// benchPopulation is a small load: 2000 users, about 40,000 operations of
// the default mix over a simulated day.
const benchPopulation = `
name: bench-metrics
policy: linkedin
population:
  users: 2000
  graph: {model: barabasi-albert, mean_degree: 20}
  groups: {count: 50, size: [3, 12]}
workload:
  duration: 24h
  actions_per_user_per_day: 20
pace: max
seed: 7
`

// BenchmarkRunWithMetrics and BenchmarkRunWithoutMetrics run the same
// population with and without metrics; their ns/operation (wall time of the
// workload, population build excluded, over its operations) differ by what
// metrics cost an operation.
func BenchmarkRunWithMetrics(b *testing.B) { benchmarkRun(b, true) }

func BenchmarkRunWithoutMetrics(b *testing.B) { benchmarkRun(b, false) }

func benchmarkRun(b *testing.B, withMetrics bool) {
	for _, mode := range []sim.Mode{sim.Parallel, sim.Deterministic} {
		b.Run(mode.String(), func(b *testing.B) {
			sc, err := scenarios.Load("bench.yaml", []byte(benchPopulation))
			if err != nil {
				b.Fatal(err)
			}
			sc.Mode = mode
			var wall float64
			ops := 0
			for b.Loop() {
				var opts runner.Options
				if withMetrics {
					opts.Metrics = metrics.New(metrics.NewRegistry(), sc.Policy.Name)
				}
				rep, err := runner.New(sc, opts).Run(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				wall += rep.WallSeconds
				ops += rep.OpsTotal
			}
			b.ReportMetric(wall*1e9/float64(ops), "ns/operation")
			b.ReportMetric(float64(ops)/float64(b.N), "operations/run")
		})
	}
}
