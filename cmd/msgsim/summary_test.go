package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/report"
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
		fmt.Sprintf("\npopulation    302 users · %s threads · %s messages stored (built in ", report.Thousands(rep.Threads), report.Thousands(rep.Messages)),
		fmt.Sprintf("\noperations    %s total · ", report.Thousands(rep.OpsTotal)),
		fmt.Sprintf("\ninvariants    %s checked · 0 violations\n", report.Thousands(rep.Invariants.Checked)),
		"\nexpectations  2 passed · 0 failed\n",
		"\nthresholds\n  ✓ violations == 0 (0)\n",
		fmt.Sprintf("\n  ✓ ops_total >= 100 (%s)\n", report.Thousands(rep.OpsTotal)),
		"\nestimate      302 users · 1,500 connections · about ",
		"\n  ✓ p99_latency < 10s (",
		"\ndigest        " + rep.Digest + "\n",
	}
	mustContain(t, "summary", out, lines...)
	if !strings.HasPrefix(out, lines[0]) {
		t.Errorf("the summary does not start with what ran:\n%s", out)
	}
	if want := fmt.Sprintf("\n\nPASS small-population (%s ops, 0 violations)\n", report.Thousands(rep.OpsTotal)); !strings.HasSuffix(out, want) {
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
			if !strings.Contains(" · "+line[1]+" · ", " · "+outcome+" "+report.Thousands(n)+" · ") {
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
