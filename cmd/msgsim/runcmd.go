package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/metrics"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
)

// runFlags are the flags of msgsim run.
type runFlags struct {
	seed        uint64
	mode        string
	json        string
	html        string
	quiet       bool
	metricsAddr string
	linger      time.Duration
	push        string
	pool        int
}

func runCmd(stdout, stderr io.Writer) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Run a scenario (the embedded default of about 100k users without FILE)",
		Long: `Run a scenario file: its script step by step with every expectation checked,
then its population's workload, then the invariant checker. Exits 0 when
every expectation, invariant and threshold holds, 1 when one fails or the
run was interrupted, 2 when the input is unusable.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			sc, err := load(path)
			if err != nil {
				return err
			}
			if err := f.apply(cmd, sc); err != nil {
				return err
			}
			return runScenario(cmd.Context(), sc, &f, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "override the scenario's seed")
	fl.StringVar(&f.mode, "mode", "", "override the mode: deterministic or parallel")
	fl.StringVar(&f.json, "json", "", "write the report as JSON to `PATH`")
	fl.StringVar(&f.html, "html", "", "write the report as a self-contained HTML page with charts to `PATH`")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the verdict line")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on `HOST:PORT` while the run lasts")
	fl.DurationVar(&f.linger, "linger", 0, "keep serving /metrics this long after the run ends")
	fl.StringVar(&f.push, "push", "", "push the final metrics to the Prometheus Pushgateway at `URL`")
	fl.IntVar(&f.pool, "pool", 0, "run actors on this many worker goroutines (0: four per core; -1: protoactor's dispatcher)")
	return cmd
}

// apply puts the command-line overrides into the scenario.
func (f *runFlags) apply(cmd *cobra.Command, sc *scenarios.Scenario) error {
	if cmd.Flags().Changed("seed") {
		sc.Seed = f.seed
	}
	if f.mode != "" {
		if _, ok := actors.ParseMode(f.mode); !ok {
			return inputError(fmt.Errorf("--mode: want deterministic or parallel, got %q", f.mode))
		}
		sc.Mode = f.mode
	}
	if f.linger < 0 {
		return inputError(fmt.Errorf("--linger: must not be negative, got %s", f.linger))
	}
	return checkPool(f.pool)
}

// checkPool rejects a --pool that is neither a number of workers nor -1.
func checkPool(n int) error {
	if n < -1 {
		return inputError(fmt.Errorf("--pool: want a number of worker goroutines, 0 for four per core or -1 for protoactor's dispatcher, got %d", n))
	}
	return nil
}

func runScenario(ctx context.Context, sc *scenarios.Scenario, f *runFlags, stdout, stderr io.Writer) error {
	opts := runner.Options{Pool: f.pool}
	reg := metrics.NewRegistry()
	var srv *metrics.Server
	if f.metricsAddr != "" || f.push != "" {
		opts.Metrics = metrics.New(reg, sc.Policy.Name)
	}
	if f.metricsAddr != "" {
		var err error
		if srv, err = metrics.Serve(context.WithoutCancel(ctx), f.metricsAddr, reg); err != nil {
			return inputError(err)
		}
		defer srv.Close(context.Background())
		if !f.quiet {
			fmt.Fprintf(stderr, "serving metrics on http://%s/metrics\n", srv.Addr())
		}
	}
	r := runner.New(sc, opts)
	if runStarting != nil {
		runStarting(r)
	}
	stopProgress := progress(r, stderr, f.quiet)
	rep, err := r.Run(ctx)
	stopProgress()
	if err != nil {
		return inputError(err)
	}
	if f.quiet {
		fmt.Fprintln(stdout, verdict(rep))
	} else {
		summary(stdout, rep)
	}
	if f.json != "" {
		if err := writeJSON(f.json, rep); err != nil {
			return err
		}
	}
	if f.html != "" {
		if err := writeHTML(f.html, report.Page{Title: sc.Name, Runs: []*runner.Report{rep}}); err != nil {
			return err
		}
	}
	if f.push != "" {
		if err := metrics.Push(context.WithoutCancel(ctx), f.push, "msgsim", reg, map[string]string{"scenario": sc.Name}); err != nil {
			return err
		}
	}
	if srv != nil && f.linger > 0 {
		if !f.quiet {
			fmt.Fprintf(stderr, "lingering %s on http://%s/metrics\n", f.linger, srv.Addr())
		}
		select {
		case <-time.After(f.linger):
		case <-ctx.Done():
		}
	}
	if !rep.Passed {
		return failed
	}
	return nil
}

// runStarting, when set, is given each runner just before it runs, so a
// test can watch its progress and stop it. Nil outside tests.
var runStarting func(*runner.Runner)

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
