package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
)

// benchSeries runs cfg for every size in every round, each run a msgsim
// bench process of its own so that no run inherits another's heap, its
// collector's settings or its peak resident memory; prints each run as it
// ends and then the medians; and writes the series to path when set.
func benchSeries(ctx context.Context, stdout io.Writer, cfg runner.BenchConfig, sizes []int, rounds int, path string) error {
	exe, err := os.Executable()
	if err != nil {
		return runError(fmt.Errorf("bench: cannot find msgsim's own executable to run each round: %w", err))
	}
	dir, err := os.MkdirTemp("", "msgsim-bench-")
	if err != nil {
		return runError(err)
	}
	defer os.RemoveAll(dir)

	fmt.Fprintf(stdout, "msgsim bench · %s · %s · %s ops · %s mode · %s model · one process per run, sizes alternating within a round\n\n",
		sizesText(sizes), roundsText(rounds), report.Thousands(cfg.Ops), cfg.Mode, cfg.Model)
	for _, n := range sizes {
		c := cfg
		c.Users = n
		benchAdjustments(stdout, c)
	}
	runs := make([][]runner.BenchReport, len(sizes))
	interrupted := false
outer:
	for r := range rounds {
		for i, n := range sizes {
			rep, err := benchProcess(ctx, exe, dir, cfg, n)
			if ctx.Err() != nil {
				interrupted = true
				break outer
			}
			if err != nil {
				err = fmt.Errorf("round %d, %s users: %w", r+1, report.Thousands(n), err)
				if codeOf(err) == exitInput {
					return err
				}
				return &exitError{code: exitFail, err: err} // it crashed, was killed, or wrote no figures
			}
			runs[i] = append(runs[i], *rep)
			fmt.Fprintf(stdout, "round %d/%d  %9s users  engine %s ops/s · reference %s ops/s · ratio %.2f · %s B per stored message · %d violations\n",
				r+1, rounds, report.Thousands(n), report.Thousands(int(rep.EngineOpsPerSec)), report.Thousands(int(rep.ReferenceOpsPerSec)), rep.Ratio, report.Thousands(int(rep.BytesPerMessage)), rep.Violations)
		}
	}
	series := runner.Summarize(runs)
	if len(series.Sizes) == 0 { // interrupted before a run finished: what was asked
		series.Ops, series.Mode = cfg.Ops, cfg.Mode.String()
	}
	printSeries(stdout, series)
	if path != "" {
		if err := writeJSON(path, series); err != nil {
			return err
		}
	}
	if interrupted {
		if len(series.Sizes) == 0 {
			fmt.Fprintln(stdout, "interrupted before a run finished")
		} else {
			fmt.Fprintln(stdout, "interrupted: the figures are those of the runs that finished")
		}
		return failed
	}
	for _, size := range series.Sizes {
		if benchFailed(&size.Median) {
			return failed
		}
	}
	return nil
}

// benchProcess runs one msgsim bench of users in a process of its own and
// returns its figures. A run that ends with violations still has them; a
// run that finds its command line unusable returns an input error.
func benchProcess(ctx context.Context, exe, dir string, cfg runner.BenchConfig, users int) (*runner.BenchReport, error) {
	path := filepath.Join(dir, "run.json")
	os.Remove(path)
	args := []string{"bench",
		"--users", strconv.Itoa(users), "--ops", strconv.Itoa(cfg.Ops),
		"--mode", cfg.Mode.String(), "--seed", strconv.FormatUint(cfg.Seed, 10),
		"--pool", strconv.Itoa(cfg.Pool), "--inflight", strconv.Itoa(cfg.MaxInflight),
		"--live-threads", strconv.Itoa(cfg.MaxLiveThreads), "--json", path}
	if cfg.Model != "" { // empty: the run's default, as runner.Bench reads it
		args = append(args, "--model", cfg.Model)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let it stop as a bench does
	cmd.WaitDelay = 30 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == exitFail) {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, strings.TrimPrefix(msg, "msgsim: "))
		}
		if errors.As(err, &exit) && exit.ExitCode() == exitInput {
			return nil, inputError(err)
		}
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the run wrote no figures: %w", err)
	}
	var rep runner.BenchReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("the run's figures: %w", err)
	}
	return &rep, nil
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

// printSeries prints each size's medians, with the range of the speeds.
func printSeries(w io.Writer, s runner.BenchSeries) {
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
			budget := 1024*float64(m.Users) + 64*float64(m.Messages)
			peak = fmt.Sprintf("%.2f GB (%.2f)", float64(m.PeakRSSBytes)/1e9, float64(m.PeakRSSBytes)/budget)
		}
		violations := strconv.Itoa(m.Violations)
		if m.ReferenceDigestSame != nil {
			violations += map[bool]string{true: ", digest equal", false: ", DIGEST DIFFERS"}[*m.ReferenceDigestSame]
		}
		if d := m.SpecDifferences; d != nil {
			violations += fmt.Sprintf(", %d spec differences", *d)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s B\t%s B\t%s\t%.2fs\t%s\n", report.Thousands(m.Users),
			withRange(size.Runs, m.EngineOpsPerSec, func(r *runner.BenchReport) float64 { return r.EngineOpsPerSec }, rate),
			withRange(size.Runs, m.ReferenceOpsPerSec, func(r *runner.BenchReport) float64 { return r.ReferenceOpsPerSec }, rate),
			withRange(size.Runs, m.Ratio, func(r *runner.BenchReport) float64 { return r.Ratio }, func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }),
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

func rate(x float64) string { return report.Thousands(int(x)) }

// withRange formats a median with the range of get over the runs, when
// there is more than one.
func withRange(runs []runner.BenchReport, median float64, get func(*runner.BenchReport) float64, format func(float64) string) string {
	if len(runs) < 2 {
		return format(median)
	}
	lo, hi := get(&runs[0]), get(&runs[0])
	for i := range runs {
		lo, hi = min(lo, get(&runs[i])), max(hi, get(&runs[i]))
	}
	return fmt.Sprintf("%s (%s-%s)", format(median), format(lo), format(hi))
}
