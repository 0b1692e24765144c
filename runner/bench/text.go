package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/msgsim/msgsim/report"
)

// SeriesHeader prints what a series runs, before its first run.
func SeriesHeader(w io.Writer, cfg Config, sizes []int, rounds int) {
	fmt.Fprintf(w, "msgsim bench · %s · %s · %s ops · %s mode · %s model · one process per run, sizes alternating within a round\n\n",
		sizesText(sizes), roundsText(rounds), report.Thousands(cfg.Ops), cfg.Mode, cfg.Model)
}

// RoundLine prints the figures of the run of round r (from 0) of rounds,
// as it ends.
func RoundLine(w io.Writer, r, rounds int, rep *Report) {
	fmt.Fprintf(w, "round %d/%d  %9s users  engine %s ops/s · reference %s ops/s · ratio %.2f · %s B per stored message · %d violations\n",
		r+1, rounds, report.Thousands(rep.Users), report.Thousands(int(rep.EngineOpsPerSec)), report.Thousands(int(rep.ReferenceOpsPerSec)), rep.Ratio, report.Thousands(int(rep.BytesPerMessage)), rep.Violations)
}

// Summary prints one bench's figures, and says when the stream ended
// before the operations asked.
func Summary(stdout io.Writer, rep *Report, cfg Config) {
	fmt.Fprintf(stdout, "msgsim bench · %s users · %s ops · %s mode · %s model · %s graph (mean degree %.1f)\n\n",
		report.Thousands(rep.Users), report.Thousands(rep.Ops), rep.Mode, rep.Model, rep.Graph, rep.MeanDegree)
	if rep.Ops < cfg.Ops && !rep.Interrupted {
		fmt.Fprintf(stdout, "note: the stream ended after %s of the %s operations asked (its arrivals are random, %s a day on average)\n\n",
			report.Thousands(rep.Ops), report.Thousands(cfg.Ops), report.Thousands(cfg.Ops))
	}
	fmt.Fprintf(stdout, "engine       %s ops/s (%.2fs)\n", report.Thousands(int(rep.EngineOpsPerSec)), rep.EngineSeconds)
	fmt.Fprintf(stdout, "reference    %s ops/s (%.2fs, one goroutine)\n", report.Thousands(int(rep.ReferenceOpsPerSec)), rep.ReferenceSeconds)
	if rep.Interrupted {
		return
	}
	fmt.Fprintf(stdout, "ratio        %.3f\n", rep.Ratio)
	if rep.BytesPerMessage > 0 {
		fmt.Fprintf(stdout, "memory       %s B per user · what the run added: %s B per stored message, %s B per thread opened (%s messages, %s threads)\n",
			report.Thousands(int(rep.BytesPerUser)), report.Thousands(int(rep.BytesPerMessage)), report.Thousands(int(rep.BytesPerThread)), report.Thousands(rep.Messages), report.Thousands(rep.Threads))
	} else { // a run this short adds less than the heap moves by itself
		fmt.Fprintf(stdout, "memory       %s B per user · what the run added: too little to measure (%s messages, %s threads)\n",
			report.Thousands(int(rep.BytesPerUser)), report.Thousands(rep.Messages), report.Thousands(rep.Threads))
	}
	switch {
	case rep.ReferencePeakRSSBytes > 0:
		fmt.Fprintf(stdout, "resident     %s MiB at peak from the engine's build to its check: %.2f of 1 KiB per user + 64 B per message (the reference model's run: %s MiB)\n",
			report.Thousands(int(rep.PeakRSSBytes>>20)), float64(rep.PeakRSSBytes)/residentBudget(rep), report.Thousands(int(rep.ReferencePeakRSSBytes>>20)))
	case rep.PeakRSSBytes > 0:
		fmt.Fprintf(stdout, "resident     %s MiB at peak (the whole process)\n", report.Thousands(int(rep.PeakRSSBytes>>20)))
	}
	fmt.Fprintf(stdout, "build        %.2fs (graph %.2fs)\n", rep.BuildSeconds, rep.GraphSeconds)
	fmt.Fprintf(stdout, "invariants   %s checked · %d violations (%.2fs)\n", report.Thousands(rep.InvariantsChecked), rep.Violations, rep.CheckSeconds)
	if rep.ReferenceDigestSame != nil {
		fmt.Fprintf(stdout, "digest       equal to the reference model's: %v\n", *rep.ReferenceDigestSame)
	}
	if d := rep.SpecDifferences; d != nil {
		fmt.Fprintf(stdout, "spec         %s outcomes, observables and measures compared with the specification model · %s differences (%.2fs)\n",
			report.Thousands(rep.SpecChecked), report.Thousands(*d), rep.SpecSeconds)
		for _, detail := range rep.SpecDetails {
			fmt.Fprintf(stdout, "             %s\n", detail)
		}
	}
}

func roundsText(n int) string {
	if n == 1 {
		return "1 round"
	}
	return strconv.Itoa(n) + " rounds"
}

func sizesText(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = report.Thousands(n)
	}
	return strings.Join(s, ", ") + " users"
}

// SeriesSummary prints each size's medians, with the range of the speeds.
func SeriesSummary(w io.Writer, s Series) {
	if len(s.Sizes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nmedians of %s, the runs' range in brackets\n", roundsText(s.Rounds))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "users\tengine ops/s\treference ops/s\tratio\tper user\tper stored message\tpeak resident (÷ budget)\tbuild\tviolations")
	for _, size := range s.Sizes {
		m := size.Median
		peak := "-"
		if m.PeakRSSBytes > 0 {
			peak = fmt.Sprintf("%.2f GB (%.2f)", float64(m.PeakRSSBytes)/1e9, float64(m.PeakRSSBytes)/residentBudget(&m))
		}
		violations := strconv.Itoa(m.Violations)
		if m.ReferenceDigestSame != nil {
			violations += map[bool]string{true: ", digest equal", false: ", DIGEST DIFFERS"}[*m.ReferenceDigestSame]
		}
		if d := m.SpecDifferences; d != nil {
			violations += fmt.Sprintf(", %d spec differences", *d)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s B\t%s B\t%s\t%.2fs\t%s\n", report.Thousands(m.Users),
			withRange(size.Runs, m.EngineOpsPerSec, func(r *Report) float64 { return r.EngineOpsPerSec }, rate),
			withRange(size.Runs, m.ReferenceOpsPerSec, func(r *Report) float64 { return r.ReferenceOpsPerSec }, rate),
			withRange(size.Runs, m.Ratio, func(r *Report) float64 { return r.Ratio }, func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }),
			report.Thousands(int(m.BytesPerUser)), report.Thousands(int(m.BytesPerMessage)), peak, m.BuildSeconds, violations)
	}
	tw.Flush()
	if len(s.Sizes) > 1 {
		rs := make([]string, len(s.RoundSpreads))
		for i, x := range s.RoundSpreads {
			rs[i] = fmt.Sprintf("%.0f%%", 100*x)
		}
		fmt.Fprintf(w, "\nengine's spread between sizes: %.0f%% between the medians; %s within each round\n", 100*s.MedianSpread, strings.Join(rs, ", "))
	}
}

// residentBudget is the peak resident memory the engine is held to for
// r's population and stored messages: 1 KiB per user plus 64 bytes per
// message (the README's "Performance").
func residentBudget(r *Report) float64 {
	return 1024*float64(r.Users) + 64*float64(r.Messages)
}

func rate(x float64) string { return report.Thousands(int(x)) }

// withRange formats a median with the range of get over the runs, when
// there is more than one.
func withRange(runs []Report, median float64, get func(*Report) float64, format func(float64) string) string {
	if len(runs) < 2 {
		return format(median)
	}
	lo, hi := get(&runs[0]), get(&runs[0])
	for i := range runs {
		lo, hi = min(lo, get(&runs[i])), max(hi, get(&runs[i]))
	}
	return fmt.Sprintf("%s (%s-%s)", format(median), format(lo), format(hi))
}
