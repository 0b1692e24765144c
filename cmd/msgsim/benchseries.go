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
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner/bench"
)

// benchSeries runs cfg for every size in every round, each run a msgsim
// bench process of its own so that no run inherits another's heap, its
// collector's settings or its peak resident memory; prints each run as it
// ends and then the medians; and writes the series to path when set.
func benchSeries(ctx context.Context, stdout io.Writer, cfg bench.Config, sizes []int, rounds int, path string) error {
	exe, err := os.Executable()
	if err != nil {
		return runError(fmt.Errorf("bench: cannot find msgsim's own executable to run each round: %w", err))
	}
	dir, err := os.MkdirTemp("", "msgsim-bench-")
	if err != nil {
		return runError(err)
	}
	defer os.RemoveAll(dir)

	bench.SeriesHeader(stdout, cfg, sizes, rounds)
	for _, n := range sizes {
		c := cfg
		c.Users = n
		benchAdjustments(stdout, c)
	}
	runs := make([][]bench.Report, len(sizes))
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
			bench.RoundLine(stdout, r, rounds, rep)
		}
	}
	series := bench.Summarize(runs)
	if len(series.Sizes) == 0 { // interrupted before a run finished: what was asked
		series.Ops, series.Mode = cfg.Ops, cfg.Mode.String()
	}
	bench.SeriesSummary(stdout, series)
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
		if size.Median.Failed() {
			return failed
		}
	}
	return nil
}

// benchProcess runs one msgsim bench of users in a process of its own and
// returns its figures. A run that ends with violations still has them; a
// run that finds its command line unusable returns an input error.
func benchProcess(ctx context.Context, exe, dir string, cfg bench.Config, users int) (*bench.Report, error) {
	path := filepath.Join(dir, "run.json")
	os.Remove(path)
	args := []string{"bench",
		"--users", strconv.Itoa(users), "--ops", strconv.Itoa(cfg.Ops),
		"--mode", cfg.Mode.String(), "--seed", strconv.FormatUint(cfg.Seed, 10),
		"--pool", strconv.Itoa(cfg.Pool), "--inflight", strconv.Itoa(cfg.MaxInflight), "--json", path}
	if cfg.Model != "" { // empty: the run's default, as bench.Run reads it
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
	var rep bench.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("the run's figures: %w", err)
	}
	return &rep, nil
}
