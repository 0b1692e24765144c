package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// defaultComparison is what compare runs without --policies.
const defaultComparison = "linkedin,linkedin-recall,whatsapp,telegram"

// compareFlags are the flags of msgsim compare.
type compareFlags struct {
	runFlags
	policies string
}

func compareCmd(std streams) *cobra.Command {
	var f compareFlags
	cmd := &cobra.Command{
		Use:   "compare FILE",
		Short: "Run one workload under several policies and compare their outcomes side by side",
		Long: `Run the scenario once per policy, one run after the other, with the same seed
and so the same operation stream: the policy changes the outcomes, not what
the users try to do. Each run's invariants are checked under its own policy.
Prints throughput, violations and every policy measure side by side, with the
difference to the first policy; --json writes every run, --html a
self-contained page with the table and charts. Exits 0 when every run
passes, 1 when one fails or the comparison was interrupted (it prints the
runs it has, and says which were cut short or not run), 2 when the input
is unusable.`,
		Example: `  msgsim compare scenarios/examples/regret-and-recall.yaml --policies linkedin,linkedin-recall,whatsapp,telegram --html regret.html`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			policies, err := parsePolicies(f.policies)
			if err != nil {
				return err
			}
			sc, err := load(args[0], std.in)
			if err != nil {
				return err
			}
			if len(sc.Cohorts) > 0 {
				return inputError(fmt.Errorf("%s declares cohorts; compare runs everyone under each policy in turn, so run a cohort experiment with msgsim run", args[0]))
			}
			if err := f.apply(cmd, sc); err != nil {
				return err
			}
			if err := f.check(cmd.Context()); err != nil {
				return err
			}
			if err := fits(sc); err != nil {
				return err
			}
			return compare(cmd.Context(), sc, policies, &f, std)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.policies, "policies", defaultComparison, "the policy presets to compare, `LIST` separated by commas; the first is the baseline")
	fl.Uint64Var(&f.seed, "seed", 0, "override the scenario's seed")
	fl.StringVar(&f.mode, "mode", "", "override the mode: deterministic or parallel")
	fl.StringVar(&f.json, "json", "", "write every run's report as JSON to `PATH`")
	fl.StringVar(&f.html, "html", "", "write the comparison as a self-contained HTML page to `PATH`")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the table and the verdicts")
	fl.IntVar(&f.pool, "pool", 0, "run actors on this many worker goroutines (0: four per core)")
	return cmd
}

// parsePolicies reads --policies: preset names, each once.
func parsePolicies(list string) ([]sim.Policy, error) {
	var ps []sim.Policy
	var names []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		p, ok := sim.Preset(name)
		switch {
		case name == "":
			return nil, inputError(fmt.Errorf("--policies: an empty name in %q", list))
		case !ok:
			return nil, inputError(fmt.Errorf("--policies: unknown policy preset %q; want some of %s", name, strings.Join(sim.PresetNames(), ", ")))
		case slices.Contains(names, name):
			return nil, inputError(fmt.Errorf("--policies: %s is named twice", name))
		}
		names = append(names, name)
		ps = append(ps, p)
	}
	return ps, nil
}

// compare runs sc under each policy in turn and reports side by side. An
// interrupt ends the comparison with the runs it has, the one it cut
// short marked, and says which policies did not run.
func compare(ctx context.Context, sc *scenarios.Scenario, policies []sim.Policy, f *compareFlags, std streams) error {
	stdout, stderr := std.out, std.err
	var reps []*report.Report
	for i, p := range policies {
		if ctx.Err() != nil {
			break
		}
		run := *sc
		run.Policy, run.PolicyKnobs = p, nil
		if !f.quiet {
			fmt.Fprintf(stderr, "[%d/%d] %s under %s\n", i+1, len(policies), report.Escape(sc.Name), p.Name)
		}
		r := runner.New(&run, runner.Options{Pool: f.pool})
		stopProgress := progress(r, sc, std.tty, f.quiet)
		rep, err := r.Run(ctx)
		stopProgress()
		if err != nil {
			return err // the scenario was validated: msgsim's own failure
		}
		reps = append(reps, rep)
	}
	var notRun []string
	for _, p := range policies[len(reps):] {
		notRun = append(notRun, p.Name)
	}
	if len(reps) == 0 {
		fmt.Fprintf(stdout, "interrupted before a run finished: %s not run\n", strings.Join(notRun, ", "))
		return failed
	}
	report.ComparisonTable(stdout, reps)
	report.Interrupted(stdout, reps, notRun)
	if why := sameStream(reps); why != "" {
		fmt.Fprintf(stderr, "warning: the runs did not apply the same operations (%s)\n", why)
	}
	cmp := report.NewComparison(reps, notRun)
	for _, rep := range reps {
		fmt.Fprintf(stdout, "%-16s %s\n", rep.Policy, report.Verdict(rep))
		report.Failures(stdout, rep.Expectations.Failures, "  ")
	}
	for _, p := range notRun {
		fmt.Fprintf(stdout, "%-16s NOT RUN: interrupted\n", p)
	}
	if f.json != "" {
		if err := writeJSON(f.json, cmp); err != nil {
			return err
		}
	}
	if f.html != "" {
		if err := writeHTML(f.html, report.Page{Title: sc.Name, Runs: reps, NotRun: notRun}); err != nil {
			return err
		}
	}
	if !cmp.Passed { // every policy ran, and passed
		return failed
	}
	return nil
}

// sameStream says how the runs' operations differ by action, or "" when
// every run applied as many of each action: the same seeded stream.
func sameStream(reps []*report.Report) string {
	count := func(r *report.Report, a string) int {
		n := 0
		for _, c := range r.Ops[a] {
			n += c
		}
		return n
	}
	for _, r := range reps[1:] {
		if r.Interrupted || reps[0].Interrupted {
			return ""
		}
		for _, a := range sim.Actions() {
			if x, y := count(reps[0], a.String()), count(r, a.String()); x != y {
				return fmt.Sprintf("%s: %d %s under %s, %d under %s", a, x, a, reps[0].Policy, y, r.Policy)
			}
		}
	}
	return ""
}
