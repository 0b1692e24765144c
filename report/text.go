package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Summary prints what a person reads in ten seconds, after the header:
// what happened, whether it held.
func Summary(w io.Writer, r *Report) {
	if r.Interrupted {
		fmt.Fprintln(w, "INTERRUPTED: the figures below cover what ran before the stop")
	}
	fmt.Fprintf(w, "\npopulation    %s users · %s threads · %s messages stored (built in %.2fs)\n",
		Thousands(r.Users), Thousands(r.Threads), Thousands(r.Messages), r.BuildSeconds)
	ok := 0
	for _, byOutcome := range r.Ops {
		ok += byOutcome["ok"]
	}
	fmt.Fprintf(w, "operations    %s total · %s ok\n", Thousands(r.OpsTotal), Thousands(ok))
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
	fmt.Fprintf(w, "throughput    %s ops/s · %.2fs wall · %s simulated\n", Thousands(int(r.Throughput)), r.WallSeconds,
		(time.Duration(r.SimulatedSeconds * float64(time.Second))).Round(time.Second))
	fmt.Fprintf(w, "latency       p50 %s · p90 %s · p99 %s · max %s\n", dur(r.Latency.P50), dur(r.Latency.P90), dur(r.Latency.P99), dur(r.Latency.Max))
	if z := r.Realism; z != nil && z.MessagesPerThread.Max != nil {
		// Realism says what each figure means.
		m := z.MessagesPerThread
		fmt.Fprintf(w, "realism       %.0f%% of direct messages answer (p50 %s, p90 %s later) · messages a thread p50 %.0f, p99 %.0f, max %s\n",
			100*z.ReplyShare, secs(z.ReplyDelaySeconds.P50), secs(z.ReplyDelaySeconds.P90), m.P50, *m.P99, Thousands(int(*m.Max)))
		fmt.Fprintf(w, "              busiest 1%% of senders %.0f%% · threads a user p50 %.0f, p90 %.0f · not_found read %.2f%%, archive %.2f%%, mute %.2f%%\n",
			100*z.Top1pctSenderShare, z.ActiveThreadsPerUser.P50, z.ActiveThreadsPerUser.P90,
			100*z.NotFoundShare["read"], 100*z.NotFoundShare["archive"], 100*z.NotFoundShare["mute"])
	}
	if r.CheckSkipped != "" {
		fmt.Fprintf(w, "invariants    not checked: %s\n", r.CheckSkipped)
	} else {
		fmt.Fprintf(w, "invariants    %s checked · %d violations\n", Thousands(r.Invariants.Checked), r.Invariants.Violations)
	}
	for _, d := range r.Invariants.Details[:min(len(r.Invariants.Details), 5)] {
		fmt.Fprintf(w, "  ✗ %s\n", Escape(d))
	}
	if more := r.Invariants.Violations - 5; more > 0 {
		fmt.Fprintf(w, "  … and %d more (see --json)\n", more)
	}
	if r.Restarts > 0 {
		fmt.Fprintf(w, "restarts      %d actors restarted after a panic", r.Restarts)
		if len(r.Panics) > 0 { // a cluster grain's restart counts without a reason
			fmt.Fprintf(w, "; first: %s", Escape(r.Panics[0]))
		}
		fmt.Fprintln(w)
	}
	if e := r.Expectations; e.Passed+e.Failed > 0 {
		fmt.Fprintf(w, "expectations  %d passed · %d failed\n", e.Passed, e.Failed)
		Failures(w, e.Failures, "  ")
	}
	if len(r.Thresholds) > 0 {
		fmt.Fprintln(w, "thresholds")
		for _, t := range r.Thresholds {
			mark := "✓"
			if !t.Held {
				mark = "✗"
			}
			fmt.Fprintf(w, "  %s %s (%s)\n", mark, Escape(t.Threshold), thresholdText(t))
		}
	}
	if r.Digest == "" {
		fmt.Fprintf(w, "digest        not computed\n\n%s\n", Verdict(r))
		return
	}
	fmt.Fprintf(w, "digest        %s\n\n%s\n", r.Digest, Verdict(r))
}

// Failures prints failed expectations, each with where it is written,
// what it expected and what the run saw, on lines of their own.
func Failures(w io.Writer, fs []Failure, indent string) {
	for _, f := range fs {
		fmt.Fprintf(w, "%s✗ %s: %s\n%s    expected %s\n%s    saw      %s\n",
			indent, Escape(f.Pos), Escape(f.Step), indent, Escape(f.Expected), indent, Escape(f.Seen))
	}
}

// thresholdText formats the value a threshold was judged on in its
// metric's unit, as the rest of the summary does.
func thresholdText(t ThresholdResult) string {
	return t.format(dur, func(v float64) string {
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return Thousands(int(v))
		}
		return strconv.FormatFloat(v, 'g', 6, 64)
	})
}

// Verdict is the one line that says whether the run passed.
func Verdict(r *Report) string {
	if r.Passed {
		return fmt.Sprintf("PASS %s (%s ops, %d violations)", Escape(r.Scenario), Thousands(r.OpsTotal), r.Invariants.Violations)
	}
	return fmt.Sprintf("FAIL %s: %s", Escape(r.Scenario), Escape(strings.Join(r.Reasons(), ", ")))
}

// outcomes formats counts by outcome, ok first, then in precedence order.
func outcomes(byOutcome map[string]int) string {
	var parts []string
	for _, o := range sim.Outcomes() {
		if n := byOutcome[o.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", o, Thousands(n)))
		}
	}
	return strings.Join(parts, " · ")
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
