package runner

import (
	"strings"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// lab is what a run keeps for its policy measures besides the final state:
// the cohorts, and the counts of refused operations that leave no trace in
// the state, by cohort. Only rare outcomes touch it.
type lab struct {
	cohorts *sim.Cohorts
	tally   [sim.MaxCohorts][sim.NumTallyKinds]counter
}

// cohorts builds the run's cohorts, or nil when the scenario has none.
func (r *Runner) cohorts(users int) (*sim.Cohorts, error) {
	if len(r.sc.Cohorts) == 0 {
		return nil, nil
	}
	c, err := sim.NewCohorts(r.sc.Cohorts, users, r.sc.Seed)
	r.lab.cohorts = c
	names := make([]string, len(r.sc.Cohorts))
	for i, co := range r.sc.Cohorts {
		names[i] = co.Name + "=" + co.Policy.Name
	}
	r.report.Policy = "cohorts " + strings.Join(names, ",")
	return c, err
}

func (r *Runner) cohortOf(u sim.UserID) int {
	if r.lab.cohorts == nil {
		return 0
	}
	return r.lab.cohorts.Of(u)
}

// tally counts the refused operations that the measures need.
func (r *Runner) tally(op *sim.Op, o sim.Outcome) {
	if k, u := sim.Tallied(op, o); k != sim.NoTally {
		r.lab.tally[r.cohortOf(u)][k].Add(1)
	}
}

// end is the simulated time the run ended at: the end of its workload
// when it ran to the end, the newest operation's time otherwise.
func (r *Runner) end() sim.Time {
	end := sim.Time(r.clock.Load())
	if w := r.sc.Workload; w != nil && r.sc.Population != nil && !r.interrupted {
		end = max(end, sim.Time(0).Add(w.Duration))
	}
	return end
}

// measure computes the run's policy measures from its final state.
func (r *Runner) measure(s *sim.State) { r.measured(s.Measure(r.end(), r.tallies())) }

// tallies returns what the run counted for the measures, by cohort.
func (r *Runner) tallies() []sim.Tally {
	n := 1
	if r.lab.cohorts != nil {
		n = r.lab.cohorts.Len()
	}
	tallies := make([]sim.Tally, n)
	for i := range tallies {
		for k := range r.lab.tally[i] {
			tallies[i].Add(sim.TallyKind(k), int(r.lab.tally[i][k].Load()))
		}
	}
	return tallies
}

// measured puts the run's measures, of the whole run and by cohort, in
// the report.
func (r *Runner) measured(all sim.Measures, by []sim.Measures) {
	rep := &r.report
	rep.Measures = &all
	r.opts.Metrics.TombstonesShown(all.TombstonesShown)
	for i, m := range by {
		c := r.lab.cohorts.Cohort(i)
		rep.Cohorts = append(rep.Cohorts, report.CohortReport{Name: c.Name, Policy: c.Policy.Name,
			Users: r.lab.cohorts.Size(i), Measures: m})
	}
}
