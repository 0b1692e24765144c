package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
)

// header prints what is about to run, before it runs: the scenario, its
// policy, seed and mode, the flags that changed the file, and for a
// population what the run will take.
func header(w io.Writer, sc *scenarios.Scenario, overrides []string) {
	fmt.Fprintf(w, "msgsim · %s · policy %s · seed %d · mode %s\n", report.Escape(sc.Name), sc.Policy.Name, sc.Seed, sc.Mode)
	if len(overrides) > 0 {
		fmt.Fprintf(w, "overrides     %s\n", strings.Join(overrides, " · "))
	}
	if sc.Population != nil {
		fmt.Fprintf(w, "estimate      %s\n", estimateText(sc.Estimate(), availableMemory()))
	}
}
