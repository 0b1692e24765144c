package runner

import (
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// coverage reads a run's coverage from its table of operations.
func coverage(ops report.OpTable) report.Coverage {
	c := report.Coverage{Actions: int(sim.NumActions), NotReached: []string{}}
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
