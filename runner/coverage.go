package runner

import "github.com/msgsim/msgsim/sim"

// Coverage is how much of the rules a run exercised: of the actions, and
// of the action and outcome pairs the rules can give (sim.Action.Possible),
// how many the run reached. A behaviour the workload never reaches is one
// no checker can judge, so a policy experiment should read this first.
type Coverage struct {
	Actions        int `json:"actions"`
	ActionsReached int `json:"actions_reached"`
	Pairs          int `json:"pairs"`
	PairsReached   int `json:"pairs_reached"`
	// NotReached names the pairs the run did not reach, "action/outcome",
	// in the actions' and outcomes' order.
	NotReached []string `json:"not_reached"`
}

// coverage reads a run's coverage from its table of operations.
func coverage(ops OpTable) Coverage {
	c := Coverage{Actions: int(sim.NumActions), NotReached: []string{}}
	for _, a := range sim.Actions() {
		byOutcome := ops[a.String()]
		if len(byOutcome) > 0 {
			c.ActionsReached++
		}
		for _, o := range a.Possible() {
			c.Pairs++
			if byOutcome[o.String()] > 0 {
				c.PairsReached++
			} else {
				c.NotReached = append(c.NotReached, a.String()+"/"+o.String())
			}
		}
	}
	return c
}
