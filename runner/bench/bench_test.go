package bench

import (
	"reflect"
	"testing"

	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// TestBenchWorkloadModels: the bench's realistic workload is what a
// scenario file's workload without a model key loads to, at the bench's
// rate and duration; uniform keeps the first versions' stream, without
// habits.
func TestBenchWorkloadModels(t *testing.T) {
	sc, err := scenarios.Load("bench.yaml", []byte(`name: bench
population: {users: 1000}
workload: {duration: 24h, actions_per_user_per_day: 30}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, model := range []string{"", workload.Realistic} {
		_, w := Workload(Config{Users: 1000, Ops: 30_000, Model: model})
		if !reflect.DeepEqual(w, *sc.Workload) {
			t.Errorf("model %q: the bench's workload\n%+v\nis not the scenario loader's\n%+v", model, w, *sc.Workload)
		}
	}
	_, w := Workload(Config{Users: 1000, Ops: 30_000, Model: workload.Uniform})
	if w.Model != workload.Uniform || !reflect.DeepEqual(w.Habits, workload.Habits{}) || w.Mix != workload.DefaultMix() {
		t.Errorf("uniform: model %q, habits %+v, mix %v", w.Model, w.Habits, w.Mix)
	}
}

// TestBenchModels runs a small deterministic bench under each model: the
// report names the model, the engine agrees with the reference model and
// the specification, and the realistic stream is the conversational one
// (fewer threads for about as many messages).
func TestBenchModels(t *testing.T) {
	threads := map[string]int{}
	for _, model := range []string{workload.Uniform, workload.Realistic} {
		rep, err := Run(t.Context(), Config{Users: 500, Ops: 5000, Mode: sim.Deterministic, Seed: 3, Model: model})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if rep.Model != model {
			t.Errorf("report's model %q, want %q", rep.Model, model)
		}
		if rep.Violations != 0 || rep.ReferenceDigestSame == nil || !*rep.ReferenceDigestSame {
			t.Errorf("%s: %d violations, digest equal %v", model, rep.Violations, rep.ReferenceDigestSame)
		}
		if rep.SpecDifferences == nil || *rep.SpecDifferences != 0 || rep.SpecChecked < rep.Ops {
			t.Errorf("%s: spec differences %v over %d checked (%d operations): %v", model, rep.SpecDifferences, rep.SpecChecked, rep.Ops, rep.SpecDetails)
		}
		if rep.Messages == 0 {
			t.Fatalf("%s: no messages stored", model)
		}
		threads[model] = rep.Threads - 500/20 // the groups aside
		t.Logf("%s: %d messages, %d threads", model, rep.Messages, rep.Threads)
	}
	if threads[workload.Realistic]*2 > threads[workload.Uniform] {
		t.Errorf("the realistic stream opened %d threads, the uniform one %d: conversations should open fewer than half as many",
			threads[workload.Realistic], threads[workload.Uniform])
	}
	if _, err := Run(t.Context(), Config{Users: 500, Ops: 5000, Model: "poisson"}); err == nil {
		t.Error("a bench of an unknown model ran")
	}
}

// TestSummarizeSpec: a series' median has the most specification
// differences any run had, with that run's details.
func TestSummarizeSpec(t *testing.T) {
	zero, two := 0, 2
	runs := []Report{
		{Users: 10, Mode: "deterministic", SpecDifferences: &zero, SpecChecked: 100},
		{Users: 10, Mode: "deterministic", SpecDifferences: &two, SpecChecked: 120, SpecDetails: []string{"a", "b"}},
		{Users: 10, Mode: "deterministic", SpecDifferences: &zero, SpecChecked: 110},
	}
	m := Summarize([][]Report{runs}).Sizes[0].Median
	if m.SpecDifferences == nil || *m.SpecDifferences != 2 || len(m.SpecDetails) != 2 || m.SpecChecked != 110 {
		t.Errorf("median: spec differences %v, details %v, checked %d", m.SpecDifferences, m.SpecDetails, m.SpecChecked)
	}
	if m := Summarize([][]Report{{{Users: 10}}}).Sizes[0].Median; m.SpecDifferences != nil {
		t.Errorf("a parallel series has spec differences %v", *m.SpecDifferences)
	}
}
