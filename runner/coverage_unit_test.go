package runner

import (
	"slices"
	"testing"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

func TestCoverage(t *testing.T) {
	pairs := 0
	for _, a := range sim.Actions() {
		pairs += len(a.Possible())
	}
	c := coverage(report.OpTable{"send": {"ok": 3, "blocked": 1}, "read": {"not_found": 2}})
	if c.Actions != int(sim.NumActions) || c.ActionsReached != 2 || c.Pairs != pairs || c.PairsReached != 3 {
		t.Fatalf("%+v", c)
	}
	if len(c.NotReached) != pairs-3 || !slices.Contains(c.NotReached, "send/not_connected") || slices.Contains(c.NotReached, "send/ok") {
		t.Fatalf("not reached %v", c.NotReached)
	}
	if empty := coverage(report.OpTable{}); empty.ActionsReached != 0 || len(empty.NotReached) != pairs {
		t.Fatalf("empty run: %+v", empty)
	}
}
