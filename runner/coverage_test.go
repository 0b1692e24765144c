package runner_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// unreachable are the pairs the rules allow but a generated workload
// never makes, by construction, each with why.
var unreachable = []struct {
	action  sim.Action
	outcome sim.Outcome
	why     string
}{
	{0, sim.UnknownUser, "generated operations name only the population's users (every action)"},
	{sim.Connect, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Disconnect, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Block, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Unblock, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.ViewProfile, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Send, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Report, sim.Invalid, "the generator never names the acting user as the target"},
	{sim.Send, sim.NotFound, "group messages go to groups that exist; direct ones create their thread"},
	{sim.AddMember, sim.NotFound, "additions name groups that exist"},
	{sim.LeaveGroup, sim.NotFound, "leaves name groups that exist"},
	{sim.CreateGroup, sim.Invalid, "groups are created under a fresh number with 2 to 5 distinct other members (5 in a stale creation); " +
		"only the uniform model, which no example population uses, gives a user of degree 1 a group of 2"},
	{sim.CreateGroup, sim.GroupFull, "created groups have at most 5 members; only additions fill a group"},
	{sim.LeaveGroup, sim.Invalid, "leaves name group threads, never direct ones"},
	{sim.Delete, sim.NotMember, "deletes act on the deleter's own sends or on messages delivered to them"},
	{sim.Edit, sim.NotMember, "edits act on the editor's own sends"},
	{sim.DeleteThread, sim.NotMember, "stale thread actions name a direct thread with a stranger, which does not exist (not_found)"},
	{sim.Report, sim.NotMember, "the report wave's reporters received the spam they report"},
}

// TestUnreachableListed: every pair listed as unreachable is one the
// rules can give (sim.Action.Possible), so that each entry's reason is
// about the workload, not a pair no rule makes.
func TestUnreachableListed(t *testing.T) {
	for _, u := range unreachable {
		if u.outcome == sim.UnknownUser {
			continue // listed once, for every action
		}
		if !slices.Contains(u.action.Possible(), u.outcome) {
			t.Errorf("%s/%s is listed as unreachable (%s) but the rules never give it", u.action, u.outcome, u.why)
		}
	}
}

// policyAllows reports whether the policy p lets a workload reach the
// pair: some outcomes need a rule the policy has, or lacks.
func policyAllows(p sim.Policy, a sim.Action, o sim.Outcome) bool {
	switch {
	case a == sim.Edit && (o == sim.OK || o == sim.AlreadyDeleted):
		return p.Edit
	case a == sim.Edit && o == sim.WindowExpired:
		return p.Edit && p.EditWindow > 0
	case a == sim.Edit && o == sim.NotAllowed:
		return !p.Edit || p.EditLimit > 0
	case a == sim.Delete && o == sim.NotAllowed:
		return !p.DeleteForEveryone || !p.DeleteEveryoneInGroups
	case a == sim.Delete && o == sim.WindowExpired:
		return p.DeleteForEveryone && p.DeleteWindow > 0
	case a == sim.Delete && o == sim.NotAuthor:
		return !p.DeleteReceived
	case a == sim.Send && o == sim.NotConnected:
		return p.RequireConnection
	}
	return true
}

// coverageOps is about how many operations each example population runs
// for TestCoverage: enough for the rare refusals of stale clients.
const coverageOps = 60000

// TestCoverage runs the example populations, small and deterministic, and
// requires that together they reach every action and outcome that their
// policies allow and that a generated workload can make (issue 17, item
// 5): a rule the workload never exercises is a rule no checker judges.
func TestCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example population")
	}
	files, err := filepath.Glob(filepath.Join("..", "scenarios", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[2]string]int{}
	want := map[[2]int]bool{}
	populations := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Load(filepath.Base(file), data)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Population == nil || sc.Workload == nil {
			continue
		}
		populations++
		scaleDown(sc, 2000, coverageOps)
		if n := workload.ExpectedOperations(sc.Population.Users, *sc.Workload); n < coverageOps {
			sc.Workload.ActionsPerUserPerDay *= coverageOps / n
		}
		sc.Mode = sim.Deterministic
		rep, err := runner.New(sc, runner.Options{}).Run(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if rep.Invariants.Violations > 0 {
			t.Errorf("%s: %d violations: %v", file, rep.Invariants.Violations, rep.Invariants.Details)
		}
		for a, outcomes := range rep.Ops {
			for o, n := range outcomes {
				seen[[2]string{a, o}] += n
			}
		}
		for _, a := range sim.Actions() {
			for _, o := range a.Possible() {
				if policyAllows(sc.Policy, a, o) {
					want[[2]int{int(a), int(o)}] = true
				}
			}
		}
	}
	if populations < 4 {
		t.Fatalf("%d example populations, want at least 4", populations)
	}
	isUnreachable := func(a sim.Action, o sim.Outcome) string {
		for _, u := range unreachable {
			if u.outcome == o && (u.action == a || o == sim.UnknownUser) {
				return u.why
			}
		}
		return ""
	}
	for _, a := range sim.Actions() {
		for _, o := range sim.Outcomes() {
			n := seen[[2]string{a.String(), o.String()}]
			possible := slices.Contains(a.Possible(), o)
			why := isUnreachable(a, o)
			switch {
			case n > 0 && !possible:
				t.Errorf("%s answered %s %d times, which the rules never give", a, o, n)
			case n > 0 && why != "":
				t.Errorf("%s answered %s %d times, listed as unreachable: %s", a, o, n, why)
			case n == 0 && why == "" && want[[2]int{int(a), int(o)}]:
				t.Errorf("no example population reached %s answered %s", a, o)
			}
		}
	}
}
