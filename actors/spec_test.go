package actors

import (
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// TestDifferentialSpec runs random streams through the engine in
// deterministic mode and through the specification model (sim/spec),
// which shares no rule code with the engine's handlers: every operation's
// outcome and, at the end, every observable and the policy-lab measures
// must agree. Where
// TestDifferential compares the engine with sim's reference model (the
// same handlers, so it pins the engine's routing), this one judges the
// rules themselves.
func TestDifferentialSpec(t *testing.T) {
	seeds := 120
	if testing.Short() || raceEnabled {
		seeds = 16
	}
	for seed := range uint64(seeds) {
		pw, ops := stream(seed, 120, 500)
		p := policyFor(seed)
		sp, ok := spec.Preset(p.Name)
		if !ok {
			t.Fatalf("the specification has no preset %s", p.Name)
		}
		model := spec.New(sp, pw.Users, pw.ConnsOf)
		e := newEngine(t, Config{Policy: p, Users: pw.Users, Conns: pw.ConnsOf, Mode: sim.Deterministic})
		tallies := make([]sim.Tally, 1)
		var end sim.Time
		for i, op := range ops {
			got, want := e.Apply(op), model.Apply(op)
			if d, differ := conform.Outcome(i, op, got, want); differ {
				t.Fatalf("seed %d, policy %s: %s", seed, p.Name, d)
			}
			k, _ := sim.Tallied(&op, got)
			tallies[0].Add(k, 1)
			end = max(end, op.At)
		}
		if _, n, diffs := conform.Final(e.State(), model, 5); n > 0 {
			t.Fatalf("seed %d, policy %s: %d differences in the final state, first %v", seed, p.Name, n, diffs)
		}
		all, _ := e.State().Measure(end, tallies)
		if _, n, diffs := conform.Measures(all, nil, model, end, 5); n > 0 {
			t.Fatalf("seed %d, policy %s: %d differences in the policy-lab measures, first %v", seed, p.Name, n, diffs)
		}
		_ = e.Close()
	}
}

// specExpect returns what the checker expects of s, a state under one of
// sim's presets unchanged: the specification's preset of the same name
// (sim/spec), so a wrong text or window in sim's table is a violation
// here rather than the expectation.
func specExpect(t testing.TB, s *sim.State) sim.Expectations {
	t.Helper()
	if s.Cohorts != nil {
		t.Fatal("specExpect: a state with cohorts")
	}
	sp, ok := spec.Preset(s.Policy.Name)
	if !ok {
		t.Fatalf("the specification has no preset %q", s.Policy.Name)
	}
	return sim.Uniform(sim.Expect(sp))
}
