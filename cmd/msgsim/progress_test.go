package main

import (
	"testing"
	"time"

	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/sim"
)

// TestNoProgressWithoutTerminal: when stderr is not a terminal (a pipe, a
// file, a buffer) no progress line is drawn, even in a run that lasts
// longer than the second after which a terminal would get one.
func TestNoProgressWithoutTerminal(t *testing.T) {
	path := jsonPath(t)
	inv := invoke(t.Context(), "run", "--json", path, "testdata/paced-population.yaml")
	inv.mustExit(t, exitOK)
	if rep := readJSONReport(t, path); rep.WallSeconds <= 1 {
		t.Fatalf("the run lasted %.2fs; the test needs more than a second", rep.WallSeconds)
	}
	if inv.stderr != "" {
		t.Errorf("stderr is not empty:\n%q", inv.stderr)
	}
	mustContain(t, "stdout", inv.stdout, "PASS paced-population")
}

func TestProgressLine(t *testing.T) {
	tests := []struct {
		p    runner.Progress
		want string
	}{
		{runner.Progress{Phase: runner.Running, Ops: 5000, Expected: 20000, Clock: sim.Time(90 * time.Minute), Elapsed: 2 * time.Second},
			"simulated 1h30m0s · 5,000 ops · 2,500 ops/s · 25% · ETA 6s"},
		{runner.Progress{Phase: runner.Running, Ops: 30000, Expected: 20000, Clock: sim.Time(24 * time.Hour), Elapsed: 3 * time.Second},
			"simulated 24h0m0s · 30,000 ops · 10,000 ops/s"},
		{runner.Progress{Phase: runner.Running, Ops: 0, Expected: 100, Elapsed: 2 * time.Second},
			"simulated 0s · 0 ops · 0 ops/s"},
		{runner.Progress{Phase: runner.Building},
			"building the population: 10 users · 3s"},
		{runner.Progress{Phase: runner.Running, Ops: 1, Expected: 1<<31 - 1, Clock: 1, Elapsed: time.Second},
			"simulated 0s · 1 ops · 1 ops/s · 0% · ETA 2400h0m0s"},
		{runner.Progress{Phase: runner.Running, Ops: 10, Expected: 100},
			"simulated 0s · 10 ops · 0 ops/s"},
		{runner.Progress{Phase: runner.Checking, Ops: 20000, Expected: 20000, Clock: sim.Time(2 * time.Hour), Elapsed: 4 * time.Second},
			"simulated 2h0m0s · 20,000 ops · 5,000 ops/s · checking invariants"},
	}
	for _, tt := range tests {
		if got := progressLine(tt.p, "building the population: 10 users", 3*time.Second); got != tt.want {
			t.Errorf("progressLine(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
