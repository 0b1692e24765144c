package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const passingScript = "../../scenarios/examples/delete-is-for-me-only.yaml"

// TestExitCodes: 0 when everything holds, 1 when a finished run fails, 2
// when the input or the command line is unusable, with a message on stderr
// that says where.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"passing script", []string{"run", passingScript}, exitOK,
			[]string{"PASS delete-is-for-me-only (5 ops, 0 violations)"}, nil},
		{"quiet passing script", []string{"run", "-q", passingScript}, exitOK,
			[]string{"PASS delete-is-for-me-only"}, nil},
		{"wrong expectations", []string{"run", "testdata/wrong-expectations.yaml"}, exitFail,
			[]string{"FAIL wrong-expectations: 4 expectations failed"}, nil},
		{"missing file", []string{"run", "testdata/no-such-file.yaml"}, exitInput,
			nil, []string{"msgsim: open testdata/no-such-file.yaml: no such file or directory"}},
		{"yaml syntax error", []string{"run", "testdata/syntax-error.yaml"}, exitInput,
			nil, []string{"testdata/syntax-error.yaml:7:1: invalid YAML: mapping values are not allowed in this context"}},
		{"invalid scenario", []string{"run", "testdata/problems.yaml"}, exitInput,
			nil, []string{"3 problem(s)", "testdata/problems.yaml:6:29: ", "testdata/problems.yaml:7:5: ", "testdata/problems.yaml:8:21: "}},
		{"bad --mode", []string{"run", "--mode", "fast", passingScript}, exitInput,
			nil, []string{`msgsim: --mode: want deterministic or parallel, got "fast"`}},
		{"bad --seed", []string{"run", "--seed", "-1", passingScript}, exitInput,
			nil, []string{`invalid argument "-1" for "--seed"`}},
		{"negative --linger", []string{"run", "--linger", "-1s", passingScript}, exitInput,
			nil, []string{"msgsim: --linger: must not be negative, got -1s"}},
		{"bad --pool", []string{"run", "--pool", "-1", passingScript}, exitInput,
			nil, []string{"msgsim: --pool: want a number of worker goroutines"}},
		{"bad --pool in compare", []string{"compare", "--policies", "linkedin", "--pool", "-5", passingScript}, exitInput,
			nil, []string{"msgsim: --pool: want a number of worker goroutines"}},
		{"unknown flag", []string{"run", "--fast", passingScript}, exitInput,
			nil, []string{"unknown flag: --fast"}},
		{"unknown subcommand", []string{"frobnicate"}, exitInput,
			nil, []string{`msgsim: unknown command "frobnicate" for "msgsim"`}},
		{"two files", []string{"run", passingScript, passingScript}, exitInput,
			nil, []string{"accepts at most 1 arg(s), received 2"}},
		{"validate without files", []string{"validate"}, exitInput,
			nil, []string{"requires at least 1 arg(s), only received 0"}},
		{"help", []string{"--help"}, exitOK, []string{"Usage:", "run", "validate", "policies"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := invoke(t.Context(), tt.args...)
			inv.mustExit(t, tt.code)
			mustContain(t, "stdout", inv.stdout, tt.stdout...)
			mustContain(t, "stderr", inv.stderr, tt.stderr...)
			if tt.code != exitInput && inv.stderr != "" {
				t.Errorf("stderr not empty:\n%s", inv.stderr)
			}
			if tt.code == exitInput && inv.stdout != "" {
				t.Errorf("an unusable input printed on stdout:\n%s", inv.stdout)
			}
		})
	}
}

// TestFailedExpectationsNamed: every wrong expectation of a script is
// reported with its file:line:col, the step as written, what it expected
// and what the run saw; the right ones are counted as passed.
func TestFailedExpectationsNamed(t *testing.T) {
	const file = "testdata/wrong-expectations.yaml"
	path := jsonPath(t)
	inv := invoke(t.Context(), "run", "--json", path, file)
	inv.mustExit(t, exitFail)
	wrong := []struct {
		pos, step, expected, seen string
	}{
		{file + ":10:5", `send: {from: alice, to: carol, text: "hi", expect: ok}`, "ok", "not_connected"},
		{file + ":12:5", `expect: {view: {user: bob, with: alice}, messages: ["This message has been deleted"]}`,
			`["This message has been deleted"]`, `["hello"]`},
		{file + ":14:5", `expect: {notifications: {user: bob}, count: 2}`, "2", "1"},
		{file + ":16:5", `expect: {connected: [alice, bob], value: true}`, "true", "false"},
	}
	for _, w := range wrong {
		mustContain(t, "summary", inv.stdout, fmt.Sprintf("✗ %s: %s\n      expected %s\n      saw      %s\n", w.pos, w.step, w.expected, w.seen))
	}
	mustContain(t, "summary", inv.stdout, "expectations  5 passed · 4 failed\n", "FAIL wrong-expectations: 4 expectations failed")
	if n := strings.Count(inv.stdout, "✗"); n != len(wrong) {
		t.Errorf("%d failures reported, want %d:\n%s", n, len(wrong), inv.stdout)
	}

	rep := decodeReport(t, path)
	exp := rep["expectations"].(map[string]any)
	failures := exp["failures"].([]any)
	if len(failures) != len(wrong) || exp["passed"].(json.Number).String() != "5" || exp["failed"].(json.Number).String() != "4" {
		t.Fatalf("expectations in the report: %v", exp)
	}
	for i, w := range wrong {
		f := failures[i].(map[string]any)
		if f["pos"] != w.pos || f["step"] != w.step || f["expected"] != w.expected || f["seen"] != w.seen {
			t.Errorf("failure %d = %v, want %+v", i, f, w)
		}
	}
	if rep["passed"] != false {
		t.Errorf("passed = %v", rep["passed"])
	}
}
