package report

import (
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// TestVerdict: a failing verdict names every reason, in a fixed order.
func TestVerdict(t *testing.T) {
	r := &Report{Scenario: "s", Interrupted: true,
		Expectations: Expectations{Failed: 2},
		Invariants:   Invariants{Violations: 3},
		Thresholds: []ThresholdResult{
			{Threshold: "ops_total < 10", Held: false},
			{Threshold: "violations == 0", Held: false},
			{Threshold: "p99_latency < 5ms", Held: true},
		}}
	want := "FAIL s: interrupted, 2 expectations failed, 3 invariant violations, threshold ops_total < 10, threshold violations == 0"
	if got := Verdict(r); got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
	pass := &Report{Scenario: "s", Passed: true, OpsTotal: 12345}
	if got, want := Verdict(pass), "PASS s (12,345 ops, 0 violations)"; got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 123456: "123,456",
		1234567: "1,234,567", -1234: "-1,234", -12: "-12"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
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

// TestSummaryRestartsWithoutPanics: a report can count restarts whose
// panics it does not quote (a cluster member's grain restarted by
// protoactor counts one and records no reason); the summary says how many
// and quotes the first panic only when there is one.
func TestSummaryRestartsWithoutPanics(t *testing.T) {
	var b strings.Builder
	Summary(&b, &Report{Scenario: "s", Restarts: 2})
	if want := "\nrestarts      2 actors restarted after a panic\n"; !strings.Contains(b.String(), want) {
		t.Errorf("the summary lacks %q:\n%s", want, b.String())
	}
	b.Reset()
	Summary(&b, &Report{Scenario: "s", Restarts: 2, Panics: []string{"boom"}})
	if want := "\nrestarts      2 actors restarted after a panic; first: boom\n"; !strings.Contains(b.String(), want) {
		t.Errorf("the summary lacks %q:\n%s", want, b.String())
	}
}

// TestVerdictRestarts: a run that failed only because actors panicked
// and were restarted says so, rather than give no reason.
func TestVerdictRestarts(t *testing.T) {
	r := &Report{Scenario: "s", Restarts: 3, Panics: []string{"boom"}}
	if got, want := Verdict(r), "FAIL s: 3 actors restarted after a panic"; got != want {
		t.Errorf("verdict = %q, want %q", got, want)
	}
	if got, want := verdictText(r), "failed: 3 actors restarted after a panic"; got != want {
		t.Errorf("the page's verdict = %q, want %q", got, want)
	}
}
