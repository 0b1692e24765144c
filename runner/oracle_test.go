package runner_test

import (
	"context"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
)

// planted is a script whose engine runs under a policy that differs from
// what the file names (the sim policy value is changed behind the file's
// back, as a wrong preset in sim would be), so the specification model,
// built from its own presets, must disagree at the right steps.
const planted = `name: planted
mode: deterministic
users: [alice, bob, carol]
connections: [[alice, bob]]
steps:
  - send: {from: alice, to: bob, text: "hello", as: m1}
  - send: {from: alice, to: carol, text: "psst", expect: ok}
  - delete: {user: alice, message: m1}
`

func TestOraclePlantedDifference(t *testing.T) {
	sc, err := scenarios.Load("planted.yaml", []byte(planted))
	if err != nil {
		t.Fatal(err)
	}
	// Under linkedin (the file's policy) alice cannot message carol, a
	// non-connection, and her own view of a deleted message shows
	// linkedin's tombstone. The engine is given a policy that lets her and
	// that shows another text.
	sc.Policy.RequireConnection = false
	sc.Policy.TombstoneSelf = "gone"
	rep, err := runner.New(sc, runner.Options{}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed {
		t.Fatal("a run that differs from the specification passed")
	}
	if n := rep.Invariants.ByInvariant[runner.SpecInvariant]; n < 2 {
		t.Fatalf("%d spec violations, want the outcome and the view: %v", n, rep.Invariants.Details)
	}
	want := []string{
		"spec: planted.yaml:7:5: operation 1 (send by user 0, to 2, direct#0-2)",
		"engine ok, spec not_connected",
		`spec: final state, user 0, direct#0-1: view`,
		`"gone"`,
		`"This message has been deleted"`,
		// The engine's extra message is spam and takes storage.
		"spec: final state, measure spam_to_non_connections: engine 1, spec 0",
		"spec: final state, measure stored_bytes: engine ",
	}
	all := strings.Join(rep.Invariants.Details, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the details do not say %q:\n%s", w, all)
		}
	}
}

// TestOracleAgrees: the same script under the policy its file names has
// no spec violation, and the comparisons made are counted as checks.
func TestOracleAgrees(t *testing.T) {
	sc, err := scenarios.Load("planted.yaml", []byte(strings.Replace(planted, `expect: ok`, `expect: not_connected`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runner.New(sc, runner.Options{}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed || rep.Invariants.Violations != 0 {
		t.Fatalf("passed %v, violations %v", rep.Passed, rep.Invariants.Details)
	}
}
