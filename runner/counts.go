package runner

import (
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// counts is a table of operation counts that many goroutines add to.
type counts [sim.NumActions][sim.NumOutcomes]counter

func (c *counts) table() (report.OpTable, int) {
	t := report.OpTable{}
	total := 0
	for a := range c {
		for o := range c[a] {
			if n := int(c[a][o].Load()); n > 0 {
				an, on := sim.Action(a).String(), sim.Outcome(o).String()
				if t[an] == nil {
					t[an] = map[string]int{}
				}
				t[an][on] = n
				total += n
			}
		}
	}
	return t, total
}

func seconds(d time.Duration) float64 { return d.Seconds() }
