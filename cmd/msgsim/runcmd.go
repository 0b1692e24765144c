package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/metrics"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
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
	over        scenarios.Overrides
	cluster     clusterFlags
}

func runCmd(std streams) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Run a scenario (the embedded default of about 100k users without FILE; - reads standard input)",
		Long: `Run a scenario file: its script step by step with every expectation checked,
then its population's workload, then the invariant checker. Exits 0 when
every expectation, invariant and threshold holds, 1 when one fails or the
run was interrupted, 2 when the input is unusable (nothing is run), 3 when
msgsim itself failed.

Before anything is built, run estimates the memory the scenario needs and
refuses one that is more than this machine has (physical memory or
GOMEMLIMIT, whichever is lower), naming what would fit; it checks that the
--json and --html paths can be written and that the --push gateway
answers.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			sc, err := load(path, std.in)
			if err != nil {
				return err
			}
			if err := f.apply(cmd, sc); err != nil {
				return err
			}
			if err := f.check(cmd.Context()); err != nil {
				return err
			}
			f.cluster.path = path
			if err := f.cluster.fits(sc); err != nil {
				return err
			}
			return runScenario(cmd.Context(), sc, &f, std)
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&f.seed, "seed", 0, "override the scenario's seed")
	fl.StringVar(&f.mode, "mode", "", "override the mode: deterministic or parallel")
	fl.IntVar(&f.over.Users, "users", 0, "override population.users: how many users to generate")
	fl.DurationVar(&f.over.Duration, "duration", 0, "override workload.duration, simulated (the phases are scaled to it)")
	fl.StringVar(&f.over.Policy, "policy", "", "override the policy with a preset (msgsim policies lists them)")
	fl.Float64Var(&f.over.Rate, "rate", 0, "override workload.actions_per_user_per_day")
	fl.StringVar(&f.json, "json", "", "write the report as JSON to `PATH`")
	fl.StringVar(&f.html, "html", "", "write the report as a self-contained HTML page with charts to `PATH`")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the verdict line")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on `HOST:PORT` while the run lasts")
	fl.DurationVar(&f.linger, "linger", 0, "keep serving /metrics this long after the run ends (needs --metrics-addr)")
	fl.StringVar(&f.push, "push", "", "push the final metrics to the Prometheus Pushgateway at `URL`")
	fl.IntVar(&f.pool, "pool", 0, "run actors on this many worker goroutines (0: four per core)")
	f.cluster.register(fl)
	return cmd
}

// apply puts the command-line overrides into the scenario.
func (f *runFlags) apply(cmd *cobra.Command, sc *scenarios.Scenario) error {
	if cmd.Flags().Changed("seed") {
		sc.Seed = f.seed
	}
	if f.mode != "" {
		m, ok := sim.ParseMode(f.mode)
		if !ok {
			return inputError(fmt.Errorf("--mode: want deterministic or parallel, got %q", f.mode))
		}
		sc.Mode = m
	}
	for _, flag := range []string{"users", "duration", "rate"} {
		if fl := cmd.Flags().Lookup(flag); fl != nil && fl.Changed && (fl.Value.String() == "0" || fl.Value.String() == "0s") {
			return inputError(fmt.Errorf("--%s: want a positive value, got %s", flag, fl.Value))
		}
	}
	if cmd.Flags().Changed("policy") && f.over.Policy == "" {
		return inputError(errors.New("--policy: want a policy preset, got an empty name"))
	}
	if err := sc.Override(f.over); err != nil {
		return inputError(errors.New(strings.ReplaceAll(err.Error(), scenarios.ErrOverride.Error()+": ", "")))
	}
	return checkPool(f.pool)
}

// check refuses flags that cannot work together, outputs that cannot be
// written and a Pushgateway that does not answer, before the run.
func (f *runFlags) check(ctx context.Context) error {
	switch {
	case f.linger < 0:
		return inputError(fmt.Errorf("--linger: must not be negative, got %s", f.linger))
	case f.linger > 0 && f.metricsAddr == "":
		return inputError(errors.New("--linger keeps serving /metrics after the run: give --metrics-addr too"))
	}
	if err := checkOutput("--json", f.json); err != nil {
		return err
	}
	if err := checkOutput("--html", f.html); err != nil {
		return err
	}
	return checkPush(ctx, f.push)
}

// maxPool bounds --pool: each worker is a goroutine, and past a few per
// core they only take turns.
const maxPool = 4096

// checkPool rejects a --pool that is not a number of workers.
func checkPool(n int) error {
	if n < 0 || n > maxPool {
		return inputError(fmt.Errorf("--pool: want a number of worker goroutines up to %s, or 0 for four per core (%d here), got %s",
			report.Thousands(maxPool), 4*runtime.GOMAXPROCS(0), report.Thousands(n)))
	}
	return nil
}

// fits refuses a scenario whose estimate is more than this machine's
// memory, naming how many users would fit.
func fits(sc *scenarios.Scenario) error {
	budget := availableMemory()
	e := sc.Estimate()
	if budget.Bytes == 0 || e.Bytes <= float64(budget.Bytes) {
		return nil
	}
	return tooBig(report.Escape(sc.Name), e, budget, sc.FitUsers(float64(budget.Bytes)), "--users")
}

func runScenario(ctx context.Context, sc *scenarios.Scenario, f *runFlags, std streams) error {
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
			fmt.Fprintf(std.err, "serving metrics on http://%s/metrics\n", srv.Addr())
		}
	}
	overrides := f.over.Flags()
	if !f.quiet {
		header(std.out, sc, overrides)
	}
	r := runner.New(sc, opts)
	stopProgress := progress(r, sc, std.tty, f.quiet)
	rep, err := f.cluster.run(ctx, r, sc, f.over)
	stopProgress()
	if err != nil {
		return err // the scenario was validated: msgsim's own failure, unless the cluster says otherwise
	}
	rep.Overrides = overrides
	if f.quiet {
		fmt.Fprintln(std.out, report.Verdict(rep))
	} else {
		report.Summary(std.out, rep)
	}
	if f.json != "" {
		if err := writeJSON(f.json, rep); err != nil {
			return err
		}
	}
	if f.html != "" {
		if err := writeHTML(f.html, report.Page{Title: sc.Name, Runs: []*report.Report{rep}}); err != nil {
			return err
		}
	}
	if f.push != "" {
		if err := metrics.Push(context.WithoutCancel(ctx), f.push, "msgsim", reg, map[string]string{"scenario": sc.Name}); err != nil {
			return runError(err)
		}
	}
	if srv != nil && f.linger > 0 {
		if !f.quiet {
			fmt.Fprintf(std.err, "lingering %s on http://%s/metrics\n", f.linger, srv.Addr())
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
