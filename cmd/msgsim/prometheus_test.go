package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// scrapedPopulation is a run short enough for a test and long enough to
// exercise every action of the default mix in parallel mode.
const scrapedPopulation = `
name: scraped
policy: linkedin
population:
  users: 2000
  graph: {model: barabasi-albert, mean_degree: 20}
  groups: {count: 40, size: [3, 12]}
workload:
  duration: 24h
  actions_per_user_per_day: 10
pace: max
mode: parallel
seed: 11
`

// pushedScript is a script whose notification, delivery and tombstone
// counts are known: see the comments.
const pushedScript = `
name: pushed
policy: {preset: signal, notify_on_delete: true}
users: [alice, bob, carol]
connections: [[alice, bob], [alice, carol]]
steps:
  - send: {from: alice, to: bob, text: "hello"}                 # 2 delivered, bob notified
  - send: {from: alice, to: bob, text: "oops", as: m2}          # 2 delivered, bob notified
  - delete: {user: alice, message: m2}                           # 1 tombstone
  - send: {from: alice, to: bob, text: "typo", as: m3}          # 2 delivered, bob notified
  - delete: {user: alice, message: m3, for: everyone}            # 2 tombstones, bob notified
  - mute: {user: bob, with: alice}
  - send: {from: alice, to: bob, text: "shh"}                   # 2 delivered, muted
  - send: {from: bob, to: carol, text: "hi", expect: not_connected}
  - advance: 2h
`

// writeScenario writes a scenario file into a temporary directory.
func writeScenario(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scenario.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPrometheusScrapesRun runs a population with --metrics-addr and
// --linger while a real Prometheus scrapes it every second, waits until
// Prometheus has stored a scrape of the finished run, and checks that what
// it stored equals the run's JSON report: operations by action and outcome,
// latency observations by action, users, threads, restarts, violations by
// invariant, the simulated clock and progress, with nothing in flight.
func TestPrometheusScrapesRun(t *testing.T) {
	metricsAddr := freeAddr(t)
	prom := startPrometheus(t, metricsAddr)
	scenario := writeScenario(t, scrapedPopulation)
	jsonPath := filepath.Join(t.TempDir(), "report.json")

	ctx, cancel := context.WithTimeout(t.Context(), 45*time.Second)
	stderr := newSignalWriter("lingering")
	var stdout bytes.Buffer
	code, finished := make(chan int, 1), make(chan struct{})
	go func() {
		defer close(finished)
		code <- run(ctx, []string{"run", "--metrics-addr", metricsAddr, "--linger", "40s",
			"--json", jsonPath, scenario}, nil, &stdout, stderr)
	}()
	defer func() { // a test that failed early stops the run, and waits for it
		cancel()
		<-finished
	}()
	select {
	case <-stderr.seen:
	case c := <-code:
		t.Fatalf("msgsim run exited %d before lingering\nstdout:\n%s\nstderr:\n%s", c, &stdout, stderr)
	}
	rep := readJSONReport(t, jsonPath)
	if !rep.Passed || rep.OpsTotal == 0 {
		t.Fatalf("the run did not pass or did nothing: passed %v, %d ops", rep.Passed, rep.OpsTotal)
	}
	if _, body := httpGet(t, "http://"+metricsAddr+"/"); !strings.Contains(body, `href="/metrics"`) {
		t.Errorf("GET / while lingering: %q, want a link to /metrics", body)
	}

	// Progress reaches 1 only after every other metric holds its final
	// value, and only just before msgsim lingers: a scrape that shows it
	// was taken while msgsim lingered.
	err := poll(t, 20*time.Second, nil, func() (bool, error) {
		s := prom.query(t, `msgsim_run_progress_ratio{job="msgsim"} == 1`)
		return len(s) == 1, nil
	})
	if err != nil {
		t.Fatalf("Prometheus never stored progress 1: %v", err)
	}
	cancel() // ends the linger
	if c := <-code; c != exitOK {
		t.Errorf("msgsim run exited %d, want %d\nstderr:\n%s", c, exitOK, stderr)
	}
	if _, err := net.Dial("tcp", metricsAddr); err == nil {
		t.Errorf("%s still listens after the run", metricsAddr)
	}

	// Every series Prometheus stored is labelled with the run's policy and
	// the scrape's job.
	for _, s := range prom.query(t, `{job="msgsim", __name__=~"msgsim_.*"}`) {
		if s.labels["policy"] != rep.Policy {
			t.Errorf("series %v: policy %q, want %q", s.labels, s.labels["policy"], rep.Policy)
		}
	}

	// Operations by action and outcome, and their latency observations.
	ops := prom.query(t, `msgsim_operations_total{job="msgsim"}`)
	if want := int(sim.NumActions) * int(sim.NumOutcomes); len(ops) != want {
		t.Errorf("msgsim_operations_total: %d series, want %d (every action × outcome)", len(ops), want)
	}
	total := 0.0
	seen := map[[2]string]bool{}
	for _, s := range ops {
		a, o := s.labels["action"], s.labels["outcome"]
		seen[[2]string{a, o}] = true
		total += s.value
		if want := rep.Ops[a][o]; s.value != float64(want) {
			t.Errorf("msgsim_operations_total{action=%q,outcome=%q} = %v, report.ops %d", a, o, s.value, want)
		}
	}
	for a, byOutcome := range rep.Ops {
		for o := range byOutcome {
			if !seen[[2]string{a, o}] {
				t.Errorf("report.ops[%s][%s] has no series in Prometheus", a, o)
			}
		}
	}
	if total != float64(rep.OpsTotal) {
		t.Errorf("msgsim_operations_total sums to %v, report.ops_total %d", total, rep.OpsTotal)
	}
	for _, s := range prom.query(t, `msgsim_operation_duration_seconds_count{job="msgsim"}`) {
		want := 0
		for _, n := range rep.Ops[s.labels["action"]] {
			want += n
		}
		if s.value != float64(want) {
			t.Errorf("latency observations of %s: %v, report.ops %d", s.labels["action"], s.value, want)
		}
	}

	// Violations by invariant.
	for _, s := range prom.query(t, `msgsim_invariant_violations_total{job="msgsim"}`) {
		if want := rep.Invariants.ByInvariant[s.labels["invariant"]]; s.value != float64(want) {
			t.Errorf("violations of %s: %v, report %d", s.labels["invariant"], s.value, want)
		}
	}

	// Single values.
	for _, tc := range []struct {
		expr string
		want float64
	}{
		{`sum(msgsim_invariant_violations_total{job="msgsim"})`, float64(rep.Invariants.Violations)},
		{`msgsim_users{job="msgsim"}`, float64(rep.Users)},
		{`sum(msgsim_threads{job="msgsim"})`, float64(rep.Threads)},
		{`msgsim_actor_restarts_total{job="msgsim"}`, float64(rep.Restarts)},
		{`msgsim_simulated_seconds{job="msgsim"}`, rep.SimulatedSeconds},
		{`msgsim_inflight_operations{job="msgsim"}`, 0},
		{`count(msgsim_build_info{job="msgsim", version!="", goversion=~"go.+"} == 1)`, 1},
		{`msgsim_messages_delivered_total{job="msgsim"} >= bool ` + fmt.Sprint(rep.Ops["send"]["ok"]), 1},
	} {
		s := prom.query(t, tc.expr)
		if len(s) != 1 || s[0].value != tc.want {
			t.Errorf("%s = %v, want one series of %v", tc.expr, s, tc.want)
		}
	}
}

// TestPushgatewayReceivesRun runs a script with --push to a real
// Pushgateway and checks that the run arrived under job msgsim and its
// scenario, with its operations equal to the report and the deliveries,
// notifications and tombstones the script causes.
func TestPushgatewayReceivesRun(t *testing.T) {
	gw := startPushgateway(t)
	scenario := writeScenario(t, pushedScript)
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	if c := run(t.Context(), []string{"run", "-q", "--push", gw.base, "--json", jsonPath, scenario}, nil, &stdout, &stderr); c != exitOK {
		t.Fatalf("msgsim run exited %d\nstdout:\n%s\nstderr:\n%s", c, &stdout, &stderr)
	}
	rep := readJSONReport(t, jsonPath)

	var group *pushedGroup
	groups := gw.pushed(t)
	for i, g := range groups {
		if g.Labels["job"] == "msgsim" && g.Labels["scenario"] == "pushed" {
			group = &groups[i]
		}
	}
	if group == nil {
		t.Fatalf("no group job=msgsim scenario=pushed among %d pushed", len(groups))
	}
	if !group.LastPushSuccessful {
		t.Error("the Pushgateway marks the push as failed")
	}
	value := func(name string, match map[string]string) (float64, bool) {
	series:
		for _, s := range group.Families[name] {
			for k, v := range match {
				if s.labels[k] != v {
					continue series
				}
			}
			return s.value, true
		}
		return 0, false
	}

	total := 0.0
	for _, s := range group.Families["msgsim_operations_total"] {
		a, o := s.labels["action"], s.labels["outcome"]
		total += s.value
		if want := rep.Ops[a][o]; s.value != float64(want) {
			t.Errorf("pushed msgsim_operations_total{action=%q,outcome=%q} = %v, report.ops %d", a, o, s.value, want)
		}
	}
	if rep.Measures == nil || rep.Measures.TombstonesShown != 1 {
		t.Errorf("the run's measures %+v, want one tombstone shown to a recipient", rep.Measures)
	}
	if total != float64(rep.OpsTotal) || total != 8 {
		t.Errorf("pushed operations sum to %v, report %d, want 8", total, rep.OpsTotal)
	}
	for _, tc := range []struct {
		name  string
		match map[string]string
		want  float64
	}{
		{"msgsim_messages_delivered_total", nil, 8},
		{"msgsim_notifications_total", map[string]string{"cause": "message"}, 3},
		{"msgsim_notifications_total", map[string]string{"cause": "delete"}, 1},
		{"msgsim_notifications_suppressed_total", map[string]string{"reason": "muted"}, 1},
		// the report's measure, one definition: lines in recipients' final views
		{"msgsim_tombstones_shown_total", nil, float64(rep.Measures.TombstonesShown)},
		{"msgsim_users", nil, 3},
		{"msgsim_simulated_seconds", nil, rep.SimulatedSeconds},
		{"msgsim_run_progress_ratio", nil, 1},
	} {
		match := map[string]string{"policy": "signal"}
		maps.Copy(match, tc.match)
		got, ok := value(tc.name, match)
		if !ok || got != tc.want {
			t.Errorf("pushed %s%v = %v (found %v), want %v", tc.name, match, got, ok, tc.want)
		}
	}
}

// TestPrometheusConfig checks dashboards/prometheus.yml, the configuration
// the README tells users to run Prometheus with, using Prometheus's own
// promtool.
func TestPrometheusConfig(t *testing.T) {
	promtool := requireBinary(t, "promtool")
	out, err := exec.Command(promtool, "check", "config", "--syntax-only", "../../dashboards/prometheus.yml").CombinedOutput()
	if err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}
}

// TestMetricsAddrInUse checks that an address someone else listens on is an
// input error, exit 2, that names the address, before anything runs.
func TestMetricsAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	scenario := writeScenario(t, pushedScript)
	var stdout, stderr bytes.Buffer
	if c := run(t.Context(), []string{"run", "--metrics-addr", addr, scenario}, nil, &stdout, &stderr); c != exitInput {
		t.Errorf("exit %d, want %d", c, exitInput)
	}
	if msg := stderr.String(); !strings.Contains(msg, "cannot listen on "+addr) {
		t.Errorf("stderr %q, want it to say it cannot listen on %s", msg, addr)
	}
	if stdout.Len() > 0 {
		t.Errorf("the run printed %q; it should not have started", &stdout)
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
