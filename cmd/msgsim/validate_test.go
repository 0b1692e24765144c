package main

import (
	"strings"
	"testing"
)

// TestValidate: validate checks every file it is given, says ok with a
// description for each good one, reports every problem of each bad one
// with its file:line:col, and exits 2 when any file is bad.
func TestValidate(t *testing.T) {
	inv := invoke(t.Context(), "validate",
		"../../scenarios/examples/groups.yaml",
		"testdata/problems.yaml",
		"../../scenarios/examples/population-1m.yaml",
		"testdata/syntax-error.yaml",
		"testdata/no-such-file.yaml",
		"testdata/wrong-expectations.yaml",
	)
	inv.mustExit(t, exitInput)
	wantOut := strings.Join([]string{
		"../../scenarios/examples/groups.yaml: ok (policy linkedin, 5 users, 23 steps)",
		"../../scenarios/examples/population-1m.yaml: ok (policy linkedin, population of 1000000)",
		"  estimate: 1,000,000 users · 25,000,000 connections · about 1,821,667 operations · 1,216,667 messages at most · 648 MiB of memory" + budgetText(648<<20),
		"testdata/wrong-expectations.yaml: ok (policy linkedin, 3 users, 9 steps)",
	}, "\n") + "\n"
	if inv.stdout != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", inv.stdout, wantOut)
	}
	wantErr := strings.Join([]string{
		"3 problem(s):",
		`testdata/problems.yaml:6:29: steps[0].send.to: unknown user "carl"; want one of alice, bob`,
		`testdata/problems.yaml:7:5: steps[1]: unknown action "sned" (did you mean "send"?)`,
		`testdata/problems.yaml:8:21: population.users: must be at least 1, got 0`,
		"1 problem(s):",
		"testdata/syntax-error.yaml:7:1: invalid YAML: mapping values are not allowed in this context",
		"open testdata/no-such-file.yaml: no such file or directory",
		"msgsim: 3 of 6 files invalid",
	}, "\n") + "\n"
	if inv.stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", inv.stderr, wantErr)
	}
}

// TestValidateGood: files that are all good exit 0.
func TestValidateGood(t *testing.T) {
	inv := invoke(t.Context(), "validate", passingScript, "testdata/small-population.yaml")
	inv.mustExit(t, exitOK)
	if n := strings.Count(inv.stdout, ": ok ("); n != 2 || inv.stderr != "" {
		t.Errorf("stdout:\n%s\nstderr:\n%s", inv.stdout, inv.stderr)
	}
	mustContain(t, "stdout", inv.stdout, "testdata/small-population.yaml: ok (policy linkedin, 2 users, 2 steps, population of 300)\n  estimate: 302 users · ")
}

// budgetText is what follows an estimate of b bytes on this machine.
func budgetText(b float64) string {
	budget := availableMemory()
	switch {
	case budget.Bytes == 0:
		return " (this machine's memory is unknown)"
	case b > float64(budget.Bytes):
		return ": more than the " + bytesText(float64(budget.Bytes)) + " available (" + budget.Source + "); run refuses it"
	}
	return " of " + bytesText(float64(budget.Bytes)) + " available"
}
