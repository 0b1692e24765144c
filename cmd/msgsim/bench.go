package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/runner"
)

func benchCmd(stdout io.Writer) *cobra.Command {
	var (
		cfg    runner.BenchConfig
		sizes  []int
		rounds int
		mode   string
		path   string
		prof   string
		mem    string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the actor engine against the sequential reference model on one stream",
		Long: `Build a Barabasi-Albert population (mean degree 50), apply the same seeded
stream of the default action mix with sim's reference model on one goroutine
and with the actor engine, and print operations per second, their ratio,
live heap per user, what the run added per stored message and per thread
opened (the same memory, counted two ways), peak
resident memory, population build time and the checker's verdict.

With --count N or several sizes (--users 10000,100000,1000000), each run is
a process of its own, the sizes alternate within each of N rounds, and the
figures are medians: single runs on a busy machine move by a quarter or
more, as much as sizes differ within a round.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, ok := actors.ParseMode(mode)
			if !ok {
				return inputError(fmt.Errorf("--mode: want deterministic or parallel, got %q", mode))
			}
			cfg.Mode = m
			if err := checkPool(cfg.Pool); err != nil {
				return err
			}
			if cfg.MaxInflight < 0 || cfg.MaxLiveThreads < 0 {
				return inputError(fmt.Errorf("--inflight and --live-threads: must not be negative, got %d and %d", cfg.MaxInflight, cfg.MaxLiveThreads))
			}
			if rounds < 1 {
				return inputError(fmt.Errorf("--count: want at least 1 round, got %d", rounds))
			}
			if len(sizes) == 0 {
				return inputError(fmt.Errorf("--users: want a population size"))
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
			rep, err := runner.Bench(cmd.Context(), cfg)
			if err != nil {
				return inputError(err)
			}
			fmt.Fprintf(stdout, "msgsim bench · %s users · %s ops · %s mode · %s graph (mean degree %.1f)\n\n",
				count(rep.Users), count(rep.Ops), rep.Mode, rep.Graph, rep.MeanDegree)
			fmt.Fprintf(stdout, "engine       %s ops/s (%.2fs)\n", count(int(rep.EngineOpsPerSec)), rep.EngineSeconds)
			fmt.Fprintf(stdout, "reference    %s ops/s (%.2fs, one goroutine)\n", count(int(rep.ReferenceOpsPerSec)), rep.ReferenceSeconds)
			fmt.Fprintf(stdout, "ratio        %.3f\n", rep.Ratio)
			if rep.BytesPerMessage > 0 {
				fmt.Fprintf(stdout, "memory       %s B per user · what the run added: %s B per stored message, %s B per thread opened (%s messages, %s threads)\n",
					count(int(rep.BytesPerUser)), count(int(rep.BytesPerMessage)), count(int(rep.BytesPerThread)), count(rep.Messages), count(rep.Threads))
			} else { // a run this short adds less than the heap moves by itself
				fmt.Fprintf(stdout, "memory       %s B per user · what the run added: too little to measure (%s messages, %s threads)\n",
					count(int(rep.BytesPerUser)), count(rep.Messages), count(rep.Threads))
			}
			switch {
			case rep.ReferencePeakRSSBytes > 0:
				budget := 1024*int64(rep.Users) + 64*int64(rep.Messages)
				fmt.Fprintf(stdout, "resident     %s MB at peak from the engine's build to its check: %.2f of 1 KiB per user + 64 B per message (the reference model's run: %s MB)\n",
					count(int(rep.PeakRSSBytes>>20)), float64(rep.PeakRSSBytes)/float64(budget), count(int(rep.ReferencePeakRSSBytes>>20)))
			case rep.PeakRSSBytes > 0:
				fmt.Fprintf(stdout, "resident     %s MB at peak (the whole process)\n", count(int(rep.PeakRSSBytes>>20)))
			}
			fmt.Fprintf(stdout, "build        %.2fs (graph %.2fs)\n", rep.BuildSeconds, rep.GraphSeconds)
			fmt.Fprintf(stdout, "invariants   %s checked · %d violations (%.2fs)\n", count(rep.InvariantsChecked), rep.Violations, rep.CheckSeconds)
			if rep.ReferenceDigestSame != nil {
				fmt.Fprintf(stdout, "digest       equal to the reference model's: %v\n", *rep.ReferenceDigestSame)
			}
			if path != "" {
				if err := writeJSON(path, rep); err != nil {
					return err
				}
			}
			if rep.Violations > 0 || (rep.ReferenceDigestSame != nil && !*rep.ReferenceDigestSame) {
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
	fl.Uint64Var(&cfg.Seed, "seed", 1, "seed of the graph and the stream")
	fl.IntVar(&cfg.Pool, "pool", 0, "actor worker goroutines (0: four per core; -1: protoactor's dispatcher)")
	fl.IntVar(&cfg.MaxInflight, "inflight", 0, "operations in flight at once in parallel mode (0: 128)")
	fl.IntVar(&cfg.MaxLiveThreads, "live-threads", 0, "threads that may keep their actor while idle (0: none, an idle thread passivates at once)")
	fl.StringVar(&path, "json", "", "write the figures as JSON to `PATH`")
	fl.StringVar(&prof, "cpuprofile", "", "write a CPU profile of the whole run to `PATH` (go tool pprof)")
	fl.StringVar(&mem, "memprofile", "", "write a heap profile to `PATH`, taken with the engine's final state live (go tool pprof)")
	return cmd
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
