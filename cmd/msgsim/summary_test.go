package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// TestSummary: the summary of a passing run says what ran (scenario,
// policy, seed, mode), what happened (operations by action and outcome,
// throughput, latency percentiles), whether it held (invariants,
// expectations, thresholds) and ends with the verdict; its figures are
// those of the JSON report.
func TestSummary(t *testing.T) {
	path := jsonPath(t)
	inv := invoke(t.Context(), "run", "--json", path, "testdata/small-population.yaml")
	inv.mustExit(t, exitOK)
	rep := readJSONReport(t, path)
	out := inv.stdout

	lines := []string{
		"msgsim · small-population · policy linkedin · seed 3 · mode parallel\n",
		fmt.Sprintf("\npopulation    302 users · %s threads · %s messages stored (built in ", count(rep.Threads), count(rep.Messages)),
		fmt.Sprintf("\noperations    %s total · ", count(rep.OpsTotal)),
		fmt.Sprintf("\ninvariants    %s checked · 0 violations\n", count(rep.Invariants.Checked)),
		"\nexpectations  2 passed · 0 failed\n",
		"\nthresholds\n  ✓ violations == 0 (0)\n",
		fmt.Sprintf("\n  ✓ ops_total >= 100 (%s)\n", count(rep.OpsTotal)),
		"\nestimate      302 users · 1,500 connections · about ",
		"\n  ✓ p99_latency < 10s (",
		"\ndigest        " + rep.Digest + "\n",
	}
	mustContain(t, "summary", out, lines...)
	if !strings.HasPrefix(out, lines[0]) {
		t.Errorf("the summary does not start with what ran:\n%s", out)
	}
	if want := fmt.Sprintf("\n\nPASS small-population (%s ops, 0 violations)\n", count(rep.OpsTotal)); !strings.HasSuffix(out, want) {
		t.Errorf("the summary does not end with the verdict %q:\n%s", want, out)
	}
	for _, re := range []string{
		`\nthroughput    [\d,]+ ops/s · \d+\.\d\ds wall · (\d+h)?(\d+m)?\d+s simulated\n`,
		`\nlatency       p50 \S+ · p90 \S+ · p99 \S+ · max \S+\n`,
		`\nrealism       \d+% of direct messages answer \(p50 \S+, p90 \S+ later\) · messages a thread p50 \d+, p99 \d+, max [\d,]+\n {14}busiest 1% of senders \d+% · `,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("the summary lacks a line matching %s:\n%s", re, out)
		}
	}
	// One line per action that ran, each outcome with its count.
	if len(rep.Ops) < 5 {
		t.Fatalf("only %d actions ran: %v", len(rep.Ops), rep.Ops)
	}
	for action, byOutcome := range rep.Ops {
		line := regexp.MustCompile(`\n  ` + action + ` +(.*)\n`).FindStringSubmatch(out)
		if line == nil {
			t.Errorf("no line for action %s:\n%s", action, out)
			continue
		}
		for outcome, n := range byOutcome {
			if !strings.Contains(" · "+line[1]+" · ", " · "+outcome+" "+count(n)+" · ") {
				t.Errorf("the line of %s lacks %s %d: %q", action, outcome, n, line[1])
			}
		}
	}
}

// TestSummaryFailedThreshold: a threshold that does not hold is marked,
// shows the value it saw, fails the verdict and the exit code.
func TestSummaryFailedThreshold(t *testing.T) {
	data, err := os.ReadFile(passingScript)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "threshold.yaml")
	data = append(data, "thresholds: [\"ops_total < 3\", \"violations == 0\"]\n"...)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	inv := invoke(t.Context(), "run", file)
	inv.mustExit(t, exitFail)
	mustContain(t, "summary", inv.stdout,
		"thresholds\n  ✗ ops_total < 3 (5)\n  ✓ violations == 0 (0)\n",
		"expectations  9 passed · 0 failed\n",
		"\n\nFAIL delete-is-for-me-only: threshold ops_total < 3\n")
	if inv.stderr != "" {
		t.Errorf("stderr: %s", inv.stderr)
	}
}

// TestVerdict: a failing verdict names every reason, in a fixed order.
func TestVerdict(t *testing.T) {
	r := &report.Report{Scenario: "s", Interrupted: true,
		Expectations: report.Expectations{Failed: 2},
		Invariants:   report.Invariants{Violations: 3},
		Thresholds: []report.ThresholdResult{
			{Threshold: "ops_total < 10", Held: false},
			{Threshold: "violations == 0", Held: false},
			{Threshold: "p99_latency < 5ms", Held: true},
		}}
	want := "FAIL s: interrupted, 2 expectations failed, 3 invariant violations, threshold ops_total < 10, threshold violations == 0"
	if got := verdict(r); got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
	pass := &report.Report{Scenario: "s", Passed: true, OpsTotal: 12345}
	if got, want := verdict(pass), "PASS s (12,345 ops, 0 violations)"; got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 123456: "123,456",
		1234567: "1,234,567", -1234: "-1,234", -12: "-12"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDur(t *testing.T) {
	for s, want := range map[float64]string{0: "0s", 0.0000123: "12.3µs", 0.00012345: "123.4µs",
		0.0123456: "12.35ms", 0.5: "500ms", 1.5: "1.5s", 2.0004: "2s", 75: "1m15s"} {
		if got := dur(s); got != want {
			t.Errorf("dur(%v) = %q, want %q", s, got, want)
		}
	}
}

// TestOutcomes: outcomes come in precedence order, ok first, zeros left out.
func TestOutcomes(t *testing.T) {
	got := outcomes(map[string]int{"not_connected": 2, "ok": 1500, "blocked": 3, "invalid": 0})
	if want := "ok 1,500 · blocked 3 · not_connected 2"; got != want {
		t.Errorf("outcomes = %q, want %q", got, want)
	}
	if sim.Outcomes()[0] != sim.OK {
		t.Errorf("ok is not the first outcome: %v", sim.Outcomes())
	}
}
