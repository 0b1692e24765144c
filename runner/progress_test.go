package runner_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/msgsim/msgsim/runner"
)

// TestProgressPhases watches a paced run from another goroutine: its
// phases come in order, building then running then checking, its
// operations never go back, and once it is done it reports the checking
// phase with every operation and the operations' wall time, however long
// the checking took.
func TestProgressPhases(t *testing.T) {
	sc := load(t, `
name: phases
policy: linkedin
population:
  users: 200
  graph: {model: barabasi-albert, mean_degree: 6}
workload:
  duration: 1h
  actions_per_user_per_day: 200
pace: 4000/s
seed: 3
`)
	r := runner.New(sc, runner.Options{})
	if p := r.Progress(); p.Phase != runner.Building || p.Ops != 0 || p.Elapsed != 0 {
		t.Fatalf("before the run: %+v", p)
	}
	var (
		seen []runner.Progress
		wg   sync.WaitGroup
	)
	done := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
				seen = append(seen, r.Progress())
			}
		}
	})
	rep, err := r.Run(context.Background())
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	running := 0
	for i, p := range seen {
		if i > 0 && (p.Phase < seen[i-1].Phase || p.Ops < seen[i-1].Ops) {
			t.Fatalf("progress went back: %+v after %+v", p, seen[i-1])
		}
		if p.Phase == runner.Running {
			running++
		}
	}
	if running == 0 {
		t.Fatalf("no running phase seen in %d looks at a %.2fs run", len(seen), rep.WallSeconds)
	}
	p := r.Progress()
	if p.Phase != runner.Checking || p.Ops != rep.OpsTotal || p.Elapsed.Seconds() != rep.WallSeconds {
		t.Fatalf("after the run: %+v, report: %d ops in %.3fs", p, rep.OpsTotal, rep.WallSeconds)
	}
}
