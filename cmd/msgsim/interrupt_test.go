package main

import (
	"context"
	"testing"
	"time"

	"github.com/msgsim/msgsim/runner"
)

// TestInterrupt: cancelling the context (what Ctrl-C does through main)
// while a population runs stops it; the partial report is printed and
// written, marked as interrupted, without the final check, the verdict
// says so and the exit code is 1.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	started := make(chan *runner.Runner, 1)
	runStarting = func(r *runner.Runner) { started <- r }
	t.Cleanup(func() { runStarting = nil })

	// Cancel once the run has finished an operation of the workload,
	// which paces them at 100 a second: about 100 seconds in all.
	finished := make(chan struct{})
	seen := make(chan int, 1)
	go func() {
		defer close(seen)
		var r *runner.Runner
		select {
		case r = <-started:
		case <-finished:
			return
		}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		deadline := time.After(time.Minute)
		for {
			select {
			case <-tick.C:
			case <-deadline:
				t.Error("no operation finished within a minute")
				cancel()
				return
			case <-finished:
				return
			}
			if n := r.Progress().Ops; n > 0 {
				seen <- n
				cancel()
				return
			}
		}
	}()

	path := jsonPath(t)
	inv := invoke(ctx, "run", "--json", path, "testdata/slow-population.yaml")
	close(finished)
	opsSeen, ok := <-seen
	if !ok {
		t.Fatalf("the run ended before it was interrupted:\n%s%s", inv.stdout, inv.stderr)
	}
	inv.mustExit(t, exitFail)
	mustContain(t, "summary", inv.stdout,
		"msgsim · slow-population · policy linkedin · seed 9 · mode parallel\n",
		"INTERRUPTED: the figures below cover what ran before the stop\n",
		"\n\nFAIL slow-population: interrupted\n")
	if inv.stderr != "" {
		t.Errorf("stderr: %s", inv.stderr)
	}

	rep := readJSONReport(t, path)
	if !rep.Interrupted || rep.Passed {
		t.Errorf("report: interrupted %v, passed %v", rep.Interrupted, rep.Passed)
	}
	// The stop came after the first operation and long before the last
	// of about 10,000.
	if rep.OpsTotal < opsSeen || rep.OpsTotal > 5000 {
		t.Errorf("the partial report counts %d operations; %d had finished at the stop", rep.OpsTotal, opsSeen)
	}
	// The check, which takes seconds at a million users, is skipped, and
	// the report says so.
	if rep.Invariants.Checked != 0 || rep.Digest != "" || rep.CheckSkipped != "interrupted before the operations ended" {
		t.Errorf("invariants %+v, digest %q, check skipped %q", rep.Invariants, rep.Digest, rep.CheckSkipped)
	}
	mustContain(t, "summary", inv.stdout, "\ninvariants    not checked: interrupted before the operations ended\n", "\ndigest        not computed\n")
	if rep.WallSeconds <= 0 || rep.WallSeconds > 50 {
		t.Errorf("the run lasted %.2fs", rep.WallSeconds)
	}
}
