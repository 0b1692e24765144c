package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// TestJSONReport: --json writes a report whose top level has the keys of
// DESIGN.md section 6 with the types a user's tools expect, and whose
// figures agree with each other.
func TestJSONReport(t *testing.T) {
	path := jsonPath(t)
	invoke(t.Context(), "run", "--json", path, "testdata/small-population.yaml").mustExit(t, exitOK)
	rep := decodeReport(t, path)

	str := func(key string) string {
		t.Helper()
		s, ok := rep[key].(string)
		if !ok {
			t.Errorf("%s = %#v, want a string", key, rep[key])
		}
		return s
	}
	boolean := func(key string) bool {
		t.Helper()
		b, ok := rep[key].(bool)
		if !ok {
			t.Errorf("%s = %#v, want true or false", key, rep[key])
		}
		return b
	}
	if got := str("scenario"); got != "small-population" {
		t.Errorf("scenario = %q", got)
	}
	if got := str("policy"); got != "linkedin" {
		t.Errorf("policy = %q", got)
	}
	if got := str("mode"); got != "parallel" {
		t.Errorf("mode = %q", got)
	}
	if got := str("digest"); !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) {
		t.Errorf("digest = %q, want 16 hex digits", got)
	}
	if !boolean("passed") || boolean("interrupted") {
		t.Errorf("passed = %v, interrupted = %v", rep["passed"], rep["interrupted"])
	}
	if seed := integer(t, "seed", rep["seed"]); seed != 3 {
		t.Errorf("seed = %d, want 3", seed)
	}
	total := integer(t, "ops_total", rep["ops_total"])
	wall := number(t, "wall_seconds", rep["wall_seconds"])
	throughput := number(t, "throughput_ops_per_sec", rep["throughput_ops_per_sec"])
	if total < 100 || wall <= 0 || math.Abs(throughput-float64(total)/wall) > 1e-6*throughput {
		t.Errorf("ops_total %d, wall_seconds %v, throughput_ops_per_sec %v disagree", total, wall, throughput)
	}

	// ops: action → outcome → count, with names that sim knows, adding up.
	actions, outcomes := map[string]bool{}, map[string]bool{}
	for _, a := range sim.Actions() {
		actions[a.String()] = true
	}
	for _, o := range sim.Outcomes() {
		outcomes[o.String()] = true
	}
	sum := 0
	for action, byOutcome := range object(t, "ops", rep["ops"]) {
		if !actions[action] {
			t.Errorf("ops has unknown action %q", action)
		}
		for outcome, n := range object(t, "ops."+action, byOutcome) {
			if !outcomes[outcome] {
				t.Errorf("ops.%s has unknown outcome %q", action, outcome)
			}
			sum += integer(t, "ops."+action+"."+outcome, n)
		}
	}
	if sum != total {
		t.Errorf("ops add up to %d, ops_total is %d", sum, total)
	}

	lat := object(t, "latency_seconds", rep["latency_seconds"])
	p := []float64{}
	for _, q := range []string{"p50", "p90", "p99", "max"} {
		p = append(p, number(t, "latency_seconds."+q, lat[q]))
	}
	if !(0 < p[0] && p[0] <= p[1] && p[1] <= p[2] && p[2] <= p[3]) {
		t.Errorf("latency_seconds out of order: %v", lat)
	}

	inv := object(t, "invariants", rep["invariants"])
	if integer(t, "invariants.checked", inv["checked"]) <= 0 || integer(t, "invariants.violations", inv["violations"]) != 0 {
		t.Errorf("invariants = %v", inv)
	}

	exp := object(t, "expectations", rep["expectations"])
	if integer(t, "expectations.passed", exp["passed"]) != 2 || integer(t, "expectations.failed", exp["failed"]) != 0 {
		t.Errorf("expectations = %v", exp)
	}
	if f, ok := exp["failures"].([]any); !ok || len(f) != 0 {
		t.Errorf("expectations.failures = %#v, want an empty list", exp["failures"])
	}

	ths, ok := rep["thresholds"].([]any)
	if !ok || len(ths) != 3 {
		t.Fatalf("thresholds = %#v, want a list of 3", rep["thresholds"])
	}
	for i, want := range []string{"violations == 0", "ops_total >= 100", "p99_latency < 10s"} {
		th := object(t, "thresholds[i]", ths[i])
		if th["threshold"] != want || th["held"] != true {
			t.Errorf("thresholds[%d] = %v, want %q held", i, th, want)
		}
		number(t, "thresholds[i].value", th["value"])
	}
	if v := number(t, "thresholds[1].value", object(t, "thresholds[1]", ths[1])["value"]); v != float64(total) {
		t.Errorf("ops_total threshold saw %v, ops_total is %d", v, total)
	}
}

// TestJSONUnwritable: a report that cannot be written is an unusable
// input found before the run (exit 2, nothing run), with the reason; so
// is an HTML page's, and a directory given as a path.
func TestJSONUnwritable(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json", dir + "/no/such/dir/r.json"}, "--json: cannot write " + dir + "/no/such/dir/r.json: no such file or directory"},
		{[]string{"--html", "/nonexistent/dir/x.html"}, "--html: cannot write /nonexistent/dir/x.html: no such file or directory"},
		{[]string{"--json", dir}, "--json: " + dir + " is a directory"},
	} {
		inv := invoke(t.Context(), append(append([]string{"run"}, tc.args...), "testdata/slow-population.yaml")...)
		inv.mustExit(t, exitInput)
		if inv.stdout != "" {
			t.Errorf("%v ran something:\n%s", tc.args, inv.stdout)
		}
		mustContain(t, "stderr", inv.stderr, tc.want)
	}
}

// TestReportWrittenAtomically: a report replaces the previous one whole,
// through a temporary file in the same directory that does not stay.
func TestReportWrittenAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	if err := os.WriteFile(path, []byte("the previous report"), 0o644); err != nil {
		t.Fatal(err)
	}
	invoke(t.Context(), "run", "-q", "--json", path, passingScript).mustExit(t, exitOK)
	if rep := readJSONReport(t, path); rep.Scenario != "delete-is-for-me-only" {
		t.Errorf("report of %q", rep.Scenario)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the directory holds %d files, want the report alone: %v", len(entries), entries)
	}
	// A write that fails leaves the previous file as it was.
	if err := writeAtomic(path, func(w io.Writer) error {
		fmt.Fprint(w, "half a rep")
		return errors.New("disk full")
	}); codeOf(err) != exitFail || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failed write: %v (exit %d)", err, codeOf(err))
	}
	if rep := readJSONReport(t, path); rep.Scenario != "delete-is-for-me-only" {
		t.Errorf("a failed write left %q", rep.Scenario)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed write left %d files", len(entries))
	}
}

func object(t *testing.T, key string, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s = %#v, want an object", key, v)
	}
	return m
}

func number(t *testing.T, key string, v any) float64 {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Errorf("%s = %#v, want a number", key, v)
		return math.NaN()
	}
	f, err := n.Float64()
	if err != nil {
		t.Errorf("%s = %s: %v", key, n, err)
	}
	return f
}

func integer(t *testing.T, key string, v any) int {
	t.Helper()
	n, ok := v.(json.Number)
	if !ok {
		t.Errorf("%s = %#v, want an integer", key, v)
		return -1
	}
	i, err := n.Int64()
	if err != nil {
		t.Errorf("%s = %s, want an integer", key, n)
	}
	return int(i)
}
