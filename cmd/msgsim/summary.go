package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// header prints what is about to run, before it runs: the scenario, its
// policy, seed and mode, the flags that changed the file, and for a
// population what the run will take.
func header(w io.Writer, sc *scenarios.Scenario, overrides []string) {
	fmt.Fprintf(w, "msgsim · %s · policy %s · seed %d · mode %s\n", escape(sc.Name), sc.Policy.Name, sc.Seed, sc.Mode)
	if len(overrides) > 0 {
		fmt.Fprintf(w, "overrides     %s\n", strings.Join(overrides, " · "))
	}
	if sc.Population != nil {
		fmt.Fprintf(w, "estimate      %s\n", estimateText(sc.Estimate(), availableMemory()))
	}
}

// summary prints what a person reads in ten seconds, after the header:
// what happened, whether it held.
func summary(w io.Writer, r *report.Report) {
	if r.Interrupted {
		fmt.Fprintln(w, "INTERRUPTED: the figures below cover what ran before the stop")
	}
	fmt.Fprintf(w, "\npopulation    %s users · %s threads · %s messages stored (built in %.2fs)\n",
		count(r.Users), count(r.Threads), count(r.Messages), r.BuildSeconds)
	ok := 0
	for _, byOutcome := range r.Ops {
		ok += byOutcome["ok"]
	}
	fmt.Fprintf(w, "operations    %s total · %s ok\n", count(r.OpsTotal), count(ok))
	for _, a := range sim.Actions() {
		byOutcome := r.Ops[a.String()]
		if len(byOutcome) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-14s %s\n", a, outcomes(byOutcome))
	}
	if c := r.Coverage; r.Realism != nil { // a generated workload's: a script's steps are its own coverage
		fmt.Fprintf(w, "coverage      %d of %d actions · %d of %d action and outcome pairs the rules can give (--json lists the others)\n",
			c.ActionsReached, c.Actions, c.PairsReached, c.Pairs)
	}
	fmt.Fprintf(w, "throughput    %s ops/s · %.2fs wall · %s simulated\n", count(int(r.Throughput)), r.WallSeconds,
		(time.Duration(r.SimulatedSeconds * float64(time.Second))).Round(time.Second))
	fmt.Fprintf(w, "latency       p50 %s · p90 %s · p99 %s · max %s\n", dur(r.Latency.P50), dur(r.Latency.P90), dur(r.Latency.P99), dur(r.Latency.Max))
	if z := r.Realism; z != nil && z.MessagesPerThread.Max != nil {
		// report.Realism says what each figure means.
		m := z.MessagesPerThread
		fmt.Fprintf(w, "realism       %.0f%% of direct messages answer (p50 %s, p90 %s later) · messages a thread p50 %.0f, p99 %.0f, max %s\n",
			100*z.ReplyShare, secs(z.ReplyDelaySeconds.P50), secs(z.ReplyDelaySeconds.P90), m.P50, *m.P99, count(int(*m.Max)))
		fmt.Fprintf(w, "              busiest 1%% of senders %.0f%% · threads a user p50 %.0f, p90 %.0f · not_found read %.2f%%, archive %.2f%%, mute %.2f%%\n",
			100*z.Top1pctSenderShare, z.ActiveThreadsPerUser.P50, z.ActiveThreadsPerUser.P90,
			100*z.NotFoundShare["read"], 100*z.NotFoundShare["archive"], 100*z.NotFoundShare["mute"])
	}
	if r.CheckSkipped != "" {
		fmt.Fprintf(w, "invariants    not checked: %s\n", r.CheckSkipped)
	} else {
		fmt.Fprintf(w, "invariants    %s checked · %d violations\n", count(r.Invariants.Checked), r.Invariants.Violations)
	}
	for _, d := range r.Invariants.Details[:min(len(r.Invariants.Details), 5)] {
		fmt.Fprintf(w, "  ✗ %s\n", escape(d))
	}
	if more := r.Invariants.Violations - 5; more > 0 {
		fmt.Fprintf(w, "  … and %d more (see --json)\n", more)
	}
	if r.Restarts > 0 {
		fmt.Fprintf(w, "restarts      %d actors restarted after a panic; first: %s\n", r.Restarts, escape(r.Panics[0]))
	}
	if e := r.Expectations; e.Passed+e.Failed > 0 {
		fmt.Fprintf(w, "expectations  %d passed · %d failed\n", e.Passed, e.Failed)
		failures(w, e.Failures, "  ")
	}
	if len(r.Thresholds) > 0 {
		fmt.Fprintln(w, "thresholds")
		for _, t := range r.Thresholds {
			mark := "✓"
			if !t.Held {
				mark = "✗"
			}
			fmt.Fprintf(w, "  %s %s (%s)\n", mark, escape(t.Threshold), thresholdValue(t))
		}
	}
	if r.Digest == "" {
		fmt.Fprintf(w, "digest        not computed\n\n%s\n", verdict(r))
		return
	}
	fmt.Fprintf(w, "digest        %s\n\n%s\n", r.Digest, verdict(r))
}

// failures prints failed expectations, each with where it is written,
// what it expected and what the run saw, on lines of their own.
func failures(w io.Writer, fs []report.Failure, indent string) {
	for _, f := range fs {
		fmt.Fprintf(w, "%s✗ %s: %s\n%s    expected %s\n%s    saw      %s\n",
			indent, escape(f.Pos), escape(f.Step), indent, escape(f.Expected), indent, escape(f.Seen))
	}
}

// thresholdValue formats the value a threshold was judged on in its
// metric's unit, as the rest of the summary does.
func thresholdValue(t report.ThresholdResult) string {
	switch metric := t.Metric(); {
	case metric == "throughput":
		return count(int(t.Value)) + " ops/s"
	case strings.HasSuffix(metric, "_latency"):
		return dur(t.Value)
	case t.Value == math.Trunc(t.Value) && math.Abs(t.Value) < 1e15:
		return count(int(t.Value))
	}
	return strconv.FormatFloat(t.Value, 'g', 6, 64)
}

// verdict is the one line that says whether the run passed.
func verdict(r *report.Report) string {
	if r.Passed {
		return fmt.Sprintf("PASS %s (%s ops, %d violations)", escape(r.Scenario), count(r.OpsTotal), r.Invariants.Violations)
	}
	return fmt.Sprintf("FAIL %s: %s", escape(r.Scenario), escape(strings.Join(r.Reasons(), ", ")))
}

// outcomes formats counts by outcome, ok first, then in precedence order.
func outcomes(byOutcome map[string]int) string {
	var parts []string
	for _, o := range sim.Outcomes() {
		if n := byOutcome[o.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", o, count(n)))
		}
	}
	return strings.Join(parts, " · ")
}

// count formats n with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// secs formats seconds as a duration rounded to the second.
func secs(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

// dur formats seconds as a rounded duration.
func dur(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(100 * time.Nanosecond).String()
}
