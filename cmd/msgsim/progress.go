package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
)

// progress draws a live progress line on w while a run lasts, from its
// second second on, when w is a terminal: while the population is built,
// while operations run, and while they are checked. It returns a function
// that stops it and clears the line.
func progress(r *runner.Runner, sc *scenarios.Scenario, w io.Writer, quiet bool) func() {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	building := buildingText(sc)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		drawn, begun := false, time.Now()
		for {
			select {
			case <-done:
				if drawn {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
				since := time.Since(begun)
				if since < time.Second {
					continue
				}
				fmt.Fprint(w, "\r\033[K"+progressLine(r.Progress(), building, since))
				drawn = true
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

// buildingText says what a scenario's build makes.
func buildingText(sc *scenarios.Scenario) string {
	if sc.Population == nil {
		return "building the population"
	}
	e := sc.Estimate()
	return fmt.Sprintf("building the population: %s users, %s connections", countF(e.Users), countF(e.Connections))
}

// progressLine formats a run's progress: simulated time, operations, rate
// and the time left at that rate, or what the run does before and after
// its operations; since is the wall time since the run began.
func progressLine(p runner.Progress, building string, since time.Duration) string {
	if p.Phase == runner.Building {
		return fmt.Sprintf("%s · %s", building, since.Round(time.Second))
	}
	rate := 0.0
	if p.Elapsed > 0 {
		rate = float64(p.Ops) / p.Elapsed.Seconds()
	}
	s := fmt.Sprintf("simulated %s · %s ops · %s ops/s", time.Duration(p.Clock).Round(time.Second).String(), report.Thousands(p.Ops), report.Thousands(int(rate)))
	if p.Phase == runner.Checking {
		return s + " · checking invariants"
	}
	if p.Expected > p.Ops && rate > 0 {
		left := time.Duration(min(float64(p.Expected-p.Ops)/rate*float64(time.Second), float64(100*24*time.Hour)))
		s += fmt.Sprintf(" · %d%% · ETA %s", int(100*float64(p.Ops)/float64(p.Expected)), left.Round(time.Second))
	}
	return s
}
