package runner_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

func load(t *testing.T, src string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func runScenario(t *testing.T, sc *scenarios.Scenario) *report.Report {
	t.Helper()
	rep, err := runner.New(sc, runner.Options{}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// cohortScript: alice and bob are in the recall cohort, carol in the
// control cohort under linkedin.
const cohortScript = `
name: cohort-script
cohorts:
  - {name: control, share: 1, policy: linkedin}
  - {name: recall, share: 0, policy: linkedin-recall, users: [alice, bob]}
users: [alice, bob, carol]
connections: [[alice, bob], [alice, carol], [bob, carol]]
steps:
  - send: {from: alice, to: bob, text: "b to b", as: m1}
  - delete: {user: alice, message: m1, for: everyone}                       # same cohort: recall
  - expect: {view: {user: bob, with: alice}, messages: ["This message has been deleted"]}
  - send: {from: alice, to: carol, text: "b to a", as: m2}
  - delete: {user: alice, message: m2, for: everyone, expect: not_allowed}  # stricter wins
  - delete: {user: alice, message: m2}
  - expect: {view: {user: carol, with: alice}, messages: ["b to a"]}
  - block: {user: carol, target: alice}
  - send: {from: alice, to: carol, text: "hi?", expect: blocked}            # stopped, for carol's cohort
  - report: {user: bob, target: carol}
  - advance: 1h
`

// TestRunCohorts: a script with cohorts runs with its cross-cohort rule,
// passes the checker, and splits the measures by cohort.
func TestRunCohorts(t *testing.T) {
	for _, mode := range []sim.Mode{sim.Deterministic, sim.Parallel} {
		sc := load(t, cohortScript)
		sc.Mode = mode
		rep := runScenario(t, sc)
		if !rep.Passed {
			t.Fatalf("%s: %+v %+v", mode, rep.Expectations, rep.Invariants)
		}
		if len(rep.Cohorts) != 2 || rep.Measures == nil {
			t.Fatalf("%s: cohorts %+v", mode, rep.Cohorts)
		}
		ctl, rec := rep.Cohorts[0], rep.Cohorts[1]
		if ctl.Users != 1 || rec.Users != 2 || rec.Policy != "linkedin-recall" {
			t.Errorf("%s: cohorts %+v", mode, rep.Cohorts)
		}
		if m := rec.Measures; m.Regretted != 2 || m.Recalled != 1 || m.RegrettedReadable != 1 || m.TombstonesShown != 1 || m.ReportsFiled != 1 {
			t.Errorf("%s: recall cohort %+v", mode, m)
		}
		if m := ctl.Measures; m.MessagesStoppedByBlocks != 1 || m.BlockedHistoryKept != 1 || m.Regretted != 0 {
			t.Errorf("%s: control cohort %+v", mode, m)
		}
		if m := rep.Measures; m.Regretted != 2 || m.MessagesStoppedByBlocks != 1 || m.ReportsFiled != 1 {
			t.Errorf("%s: whole run %+v", mode, m)
		}
		if last := rep.Timeline[len(rep.Timeline)-1]; last.Ops != rep.OpsTotal {
			t.Errorf("%s: timeline ends at %d operations of %d", mode, last.Ops, rep.OpsTotal)
		}
	}
}

// TestCohortsEngineMatchesModel: with cohorts, the actor engine in
// deterministic mode ends in the reference model's state, on random
// streams.
func TestCohortsEngineMatchesModel(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	names := sim.PresetNames()
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		pw := simtest.NewWorld(rng, 12, 0.4, 3)
		var list []sim.Cohort
		for i := range 3 {
			p, _ := sim.Preset(names[rng.IntN(len(names))])
			list = append(list, sim.Cohort{Name: string(rune('a' + i)), Share: 1.0 / 3, Policy: p})
		}
		list[2].Share = 1 - 2.0/3
		cs, err := sim.NewCohorts(list, pw.Users, uint64(seed))
		if err != nil {
			t.Fatal(err)
		}
		ref := sim.NewWorld(list[0].Policy, pw.Users, pw.ConnsOf)
		ref.SetCohorts(cs)
		e, err := actors.New(actors.Config{Policy: list[0].Policy, Cohorts: cs, Users: pw.Users, Conns: pw.ConnsOf, Mode: sim.Deterministic})
		if err != nil {
			t.Fatal(err)
		}
		for i, op := range pw.Ops(rng, 200) {
			if a, b := ref.Apply(op), e.Apply(op); a != b {
				t.Fatalf("seed %d op %d %+v: model %s, engine %s", seed, i, op, a, b)
			}
		}
		s := e.State()
		if a, b := ref.Digest(), s.Digest(); a != b {
			t.Fatalf("seed %d: digests differ", seed)
		}
		if _, vs := s.Check(s.PolicyExpectations()); len(vs) > 0 {
			t.Fatalf("seed %d: %v", seed, vs)
		}
		ma, _ := ref.Measure(1000, nil)
		mb, _ := s.Measure(1000, nil)
		if ma.Regretted != mb.Regretted || ma.StoredBytes != mb.StoredBytes || ma.TombstonesShown != mb.TombstonesShown {
			t.Fatalf("seed %d: measures differ: %+v and %+v", seed, ma, mb)
		}
		e.Close()
	}
}
