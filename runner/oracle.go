package runner

import (
	"context"
	"fmt"

	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// SpecInvariant is the name under which a deterministic run reports where
// the engine and the specification model (sim/spec) disagree.
const SpecInvariant = "spec"

// maxSpecDetails is how many differences a report quotes in full.
const maxSpecDetails = 20

// Oracle is the specification model a deterministic run is judged
// against: every operation the engine applies is applied to it too, each
// outcome compared as it comes, and every observable and the policy-lab
// measures compared at the end.
// It is built from the scenario as the file names it: the
// specification's own preset of the file's preset name, and the knobs
// the file sets at the values it gave them. Those values are read back
// from the policy the rules read, through sim's knob table (SpecPolicy);
// nothing else of that policy, so the preset's values are never copied.
type Oracle struct {
	m     *spec.Model
	ops   int // operations applied, the index of the next
	count int // differences found
	// checked counts the comparisons made.
	checked int
	details []string
}

// NewOracle returns the specification model of users under p, whose
// connections conns gives, for a stream that is not a scenario's (the
// bench's).
func NewOracle(p spec.Policy, users int, conns func(sim.UserID) []sim.UserID) *Oracle {
	return &Oracle{m: spec.New(p, users, conns)}
}

// Findings returns how many differences the oracle found, how many
// comparisons it made, and the first differences in full.
func (o *Oracle) Findings() (differences, checked int, details []string) {
	return o.count, o.checked, o.details
}

// newOracle returns the model for pop under sc's policy (and cohorts, as
// cs assigns users to them), with pop's generated groups created as the
// engine created them before the run.
func newOracle(sc *scenarios.Scenario, pop *population, cs *sim.Cohorts) (*Oracle, error) {
	p, err := SpecPolicy(sc.Policy, sc.PolicyKnobs)
	if err != nil {
		return nil, err
	}
	o := NewOracle(p, pop.users, pop.conns)
	if cs != nil {
		ps, err := cohortPolicies(sc)
		if err != nil {
			return nil, err
		}
		o.m.SetCohorts(ps, cs.Of)
	}
	for _, op := range pop.groupOps(context.Background()) {
		o.Seed(&op, sim.OK) // the engine created every group, or the build failed
	}
	return o, nil
}

// cohortPolicies returns the model's policy of each of sc's cohorts.
func cohortPolicies(sc *scenarios.Scenario) ([]spec.Policy, error) {
	ps := make([]spec.Policy, len(sc.Cohorts))
	for i, co := range sc.Cohorts {
		var knobs []string
		if i < len(sc.CohortKnobs) {
			knobs = sc.CohortKnobs[i]
		}
		var err error
		if ps[i], err = SpecPolicy(co.Policy, knobs); err != nil {
			return nil, fmt.Errorf("cohort %s: %w", co.Name, err)
		}
	}
	return ps, nil
}

// specExpectations returns what the checker expects of a run of sc: the
// specification's policies, built from its own presets (sim/spec), merged
// for threads that span cohorts by the specification's own rule.
func specExpectations(sc *scenarios.Scenario, cs *sim.Cohorts) (sim.Expectations, error) {
	if cs == nil {
		p, err := SpecPolicy(sc.Policy, sc.PolicyKnobs)
		if err != nil {
			return nil, err
		}
		return sim.Uniform(SpecExpect(p)), nil
	}
	ps, err := cohortPolicies(sc)
	if err != nil {
		return nil, err
	}
	return func(set uint8) sim.Expect {
		var in []spec.Policy
		for i, p := range ps {
			if set&(1<<i) != 0 {
				in = append(in, p)
			}
		}
		return SpecExpect(spec.Stricter(in...))
	}, nil
}

// SpecExpect is the checker's expectation of a specification policy. The
// two types have the same fields by design; the conversion stops
// compiling when one gains a knob the other lacks.
func SpecExpect(p spec.Policy) sim.Expect { return sim.Expect(p) }

// SpecPolicy builds the model's policy from its own preset of p's name and
// the knobs the file set, with the values the file gave them.
func SpecPolicy(p sim.Policy, knobs []string) (spec.Policy, error) {
	sp, ok := spec.Preset(p.Name)
	if !ok {
		return spec.Policy{}, fmt.Errorf("runner: the specification has no preset %q", p.Name)
	}
	for _, name := range knobs {
		k, ok := sim.LookupKnob(name)
		if !ok {
			return spec.Policy{}, fmt.Errorf("runner: unknown knob %q", name)
		}
		// Get writes the value as a scenario file would (a text quoted),
		// which is what SetKnob reads.
		if err := sp.SetKnob(name, k.Get(p)); err != nil {
			return spec.Policy{}, fmt.Errorf("runner: knob %s: %w", name, err)
		}
	}
	return sp, nil
}

// Apply applies the run's next operation to the model and compares its
// outcome with the engine's; where names where the operation comes from
// (a script step's file:line), "" for a generated one.
func (o *Oracle) Apply(op *sim.Op, engine sim.Outcome, where string) {
	o.compare(o.ops, op, engine, where)
	o.ops++
}

// Seed applies an operation that sets the population up before the run
// (a generated group), outside the run's operation count.
func (o *Oracle) Seed(op *sim.Op, engine sim.Outcome) {
	o.compare(-1, op, engine, "population set-up")
}

func (o *Oracle) compare(i int, op *sim.Op, engine sim.Outcome, where string) {
	o.checked++
	want := o.m.Apply(*op)
	if d, ok := conform.Outcome(i, *op, engine, want); ok {
		o.differ(d.String(), where)
	}
}

func (o *Oracle) differ(s, where string) {
	o.count++
	if len(o.details) < maxSpecDetails {
		if where != "" {
			s = where + ": " + s
		}
		o.details = append(o.details, s)
	}
}

// Final compares the engine's Final state with the model's.
func (o *Oracle) Final(s *sim.State) {
	checked, count, diffs := conform.Final(s, o.m, maxSpecDetails)
	o.checked += checked
	for _, d := range diffs {
		o.differ(d.String(), "")
	}
	o.count += count - len(diffs)
}

// Measures compares the run's policy-lab measures, of the whole run and by
// cohort (nil without cohorts), with the model's for a run that ended at
// end.
func (o *Oracle) Measures(all sim.Measures, by []sim.Measures, end sim.Time) {
	checked, count, diffs := conform.Measures(all, by, o.m, end, maxSpecDetails)
	o.checked += checked
	for _, d := range diffs {
		o.differ(d.String(), "")
	}
	o.count += count - len(diffs)
}

// judged adds the oracle's findings to the report's invariants, as
// violations named SpecInvariant.
func (r *Runner) judged(o *Oracle) {
	inv := &r.report.Invariants
	inv.Checked += o.checked
	if o.count == 0 {
		return
	}
	inv.Violations += o.count
	if inv.ByInvariant == nil {
		inv.ByInvariant = map[string]int{}
	}
	inv.ByInvariant[SpecInvariant] += o.count
	for _, d := range o.details {
		inv.Details = append(inv.Details, SpecInvariant+": "+d)
	}
	r.opts.Metrics.SpecDifferences(o.count)
}
