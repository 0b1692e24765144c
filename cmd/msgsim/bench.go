package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner/bench"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

func benchCmd(std streams) *cobra.Command {
	var (
		cfg    bench.Config
		sizes  []int
		rounds int
		mode   string
		path   string
		prof   string
		mem    string
	)
	stdout := std.out
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the actor engine against the sequential reference model on one stream",
		Long: `Build a Barabasi-Albert population (mean degree 50), apply the same seeded
stream of the default action mix with sim's reference model on one goroutine
and with the actor engine, and print operations per second, their ratio,
live heap per user, what the run added per stored message and per thread
opened (the same memory, counted two ways), peak
resident memory, population build time and the checker's verdict.

The stream is the realistic workload model's with its default habits, as a
scenario file's workload without a model key (conversations, replies,
reads of the threads users have); --model uniform gives the first
versions' stream of uniformly chosen users and connections, to compare.

With --count N or several sizes (--users 10000,100000,1000000), each run is
a process of its own, the sizes alternate within each of N rounds, and the
figures are medians: single runs on a busy machine move by a quarter or
more, as much as sizes differ within a round.

A size whose estimated memory is more than the machine has is refused
before anything is built, naming what would fit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, ok := sim.ParseMode(mode)
			if !ok {
				return inputError(fmt.Errorf("--mode: want deterministic or parallel, got %q", mode))
			}
			cfg.Mode = m
			switch cfg.Model {
			case workload.Realistic, workload.Uniform:
			default:
				return inputError(fmt.Errorf("--model: want %s or %s, got %q", workload.Realistic, workload.Uniform, cfg.Model))
			}
			if err := checkBenchFlags(cfg, sizes, rounds); err != nil {
				return err
			}
			for _, p := range []struct{ flag, path string }{{"--json", path}, {"--cpuprofile", prof}, {"--memprofile", mem}} {
				if err := checkOutput(p.flag, p.path); err != nil {
					return err
				}
			}
			for _, n := range sizes {
				if err := benchFits(cfg, n); err != nil {
					return err
				}
			}
			if len(sizes) > 1 || rounds > 1 {
				if prof != "" || mem != "" {
					return inputError(fmt.Errorf("--cpuprofile and --memprofile profile one run: give one size and no --count"))
				}
				return benchSeries(cmd.Context(), stdout, cfg, sizes, rounds, path)
			}
			cfg.Users = sizes[0]
			if prof != "" {
				stop, err := startCPUProfile(prof)
				if err != nil {
					return err
				}
				defer stop()
			}
			if mem != "" {
				f, err := os.Create(mem)
				if err != nil {
					return inputError(fmt.Errorf("--memprofile: %w", err))
				}
				defer f.Close()
				cfg.HeapProfile = f
			}
			benchAdjustments(stdout, cfg)
			rep, err := benchOnce(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			if rep == nil {
				fmt.Fprintln(stdout, "interrupted while the population was built: nothing measured")
				return failed
			}
			bench.Summary(stdout, rep, cfg)
			if path != "" {
				if err := writeJSON(path, rep); err != nil {
					return err
				}
			}
			if rep.Interrupted {
				fmt.Fprintln(stdout, "\ninterrupted: the figures above cover what ran before the stop")
				return failed
			}
			if rep.Failed() {
				return failed
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntSliceVar(&sizes, "users", []int{100_000}, "population size; several, comma-separated, to compare sizes")
	fl.IntVar(&rounds, "count", 1, "rounds: run each size this many times, each in a process of its own, and report medians")
	fl.IntVar(&cfg.Ops, "ops", 1_000_000, "operations to apply")
	fl.StringVar(&mode, "mode", "parallel", "parallel or deterministic")
	fl.StringVar(&cfg.Model, "model", workload.Realistic, "workload model: realistic (people who converse, as a scenario's default) or uniform (the first versions' stream)")
	fl.Uint64Var(&cfg.Seed, "seed", 1, "seed of the graph and the stream")
	fl.IntVar(&cfg.Pool, "pool", 0, "actor worker goroutines (0: four per core)")
	fl.IntVar(&cfg.MaxInflight, "inflight", 0, "operations in flight at once in parallel mode (0: 128)")
	fl.StringVar(&path, "json", "", "write the figures as JSON to `PATH`")
	fl.StringVar(&prof, "cpuprofile", "", "write a CPU profile of the whole run to `PATH` (go tool pprof)")
	fl.StringVar(&mem, "memprofile", "", "write a heap profile to `PATH`, taken with the engine's final state live (go tool pprof)")
	return cmd
}

// Bounds of bench's flags.
const (
	maxInflight = 1 << 16 // each slot holds an operation; the default is 128
	maxRounds   = 1000
)

// checkBenchFlags refuses bench flags that are out of range.
func checkBenchFlags(cfg bench.Config, sizes []int, rounds int) error {
	if err := checkPool(cfg.Pool); err != nil {
		return err
	}
	switch {
	case cfg.MaxInflight < 0:
		return inputError(fmt.Errorf("--inflight: must not be negative, got %d", cfg.MaxInflight))
	case cfg.MaxInflight > maxInflight:
		return inputError(fmt.Errorf("--inflight: want at most %s operations in flight (the default is 128), got %s", report.Thousands(maxInflight), report.Thousands(cfg.MaxInflight)))
	case rounds < 1 || rounds > maxRounds:
		return inputError(fmt.Errorf("--count: want from 1 to %s rounds, got %s", report.Thousands(maxRounds), report.Thousands(rounds)))
	case len(sizes) == 0:
		return inputError(fmt.Errorf("--users: want a population size"))
	case cfg.Ops < 1:
		return inputError(fmt.Errorf("--ops: want at least 1 operation, got %s", report.Thousands(cfg.Ops)))
	}
	for _, n := range sizes {
		if n < 2 || n > sim.MaxUsers {
			return inputError(fmt.Errorf("--users: want sizes from 2 to %s (at least 2 users), got %s", report.Thousands(sim.MaxUsers), report.Thousands(n)))
		}
		c := cfg
		c.Users = n
		if _, w := bench.Workload(c); w.ActionsPerUserPerDay > workload.MaxActionsPerUserPerDay {
			return inputError(fmt.Errorf("--ops: %s operations over %s users in the bench's simulated day are more than %s a user; give fewer operations or more users",
				report.Thousands(cfg.Ops), report.Thousands(n), report.Thousands(workload.MaxActionsPerUserPerDay)))
		}
	}
	return nil
}

// benchFits refuses a bench of users whose estimate is more than this
// machine's memory, naming the size that would fit.
func benchFits(cfg bench.Config, users int) error {
	estimate := func(n int) scenarios.Estimate {
		c := cfg
		c.Users = n
		pop, w := bench.Workload(c)
		return scenarios.EstimateOf(&pop, &w, 0, 0)
	}
	budget := availableMemory()
	fit := 0
	if e := estimate(users); budget.Bytes > 0 && e.Bytes > float64(budget.Bytes) {
		fit = scenarios.Fit(float64(budget.Bytes), users, estimate)
	}
	return tooBig(fmt.Sprintf("--users %d: a bench of %s users and %s operations", users, report.Thousands(users), report.Thousands(cfg.Ops)),
		estimate(users), budget, fit, "--users")
}

// benchAdjustments says where the bench runs something other than what
// was asked: a mean degree below 50 in a small population.
func benchAdjustments(w io.Writer, cfg bench.Config) {
	if pop, _ := bench.Workload(cfg); pop.Graph.MeanDegree < 50 {
		fmt.Fprintf(w, "note: %s users have a mean degree of %s, not 50: a user has at most users-1 connections\n",
			report.Thousands(cfg.Users), strconv.FormatFloat(pop.Graph.MeanDegree, 'f', -1, 64))
	}
}

// benchOnce runs one bench, and returns nil without an error when ctx is
// done while the population is built (which does not look at ctx) and
// the bench does not end within a second after.
func benchOnce(ctx context.Context, cfg bench.Config) (*bench.Report, error) {
	type result struct {
		rep *bench.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := bench.Run(ctx, cfg)
		done <- result{rep, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		select {
		case r = <-done:
		case <-time.After(time.Second):
			return nil, nil
		}
	}
	if r.err != nil {
		return nil, r.err // the flags were checked: msgsim's own failure
	}
	return r.rep, nil
}

// startCPUProfile starts profiling into path and returns what stops it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, inputError(fmt.Errorf("--cpuprofile: %w", err))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
