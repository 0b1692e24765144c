// Command mutants proves that msgsim's verdict can fail: it plants each
// behaviour bug of a catalogue (mutants.txt) into a copy of the
// repository, one at a time, builds msgsim, runs a small fixed set of
// population scenarios in deterministic mode (judged by the
// specification model, sim/spec) and in parallel mode (judged by the
// invariants), and prints which runs killed each mutant.
//
//	go run ./internal/mutants            # the whole catalogue
//	go run ./internal/mutants -only M01,M07
//	go run ./internal/mutants -short     # the subset CI runs
//
// It exits 0 when every mutant not argued equivalent was killed, 1 when
// one survived, and 2 when the catalogue or the tree is unusable.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// shortSet is the subset CI runs: one mutant from each of a few kinds of
// bug (a rule decided at a thread, one at a user, a knob, the engine).
var shortSet = []string{"M01", "M08", "M18", "M39"}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutants", flag.ContinueOnError)
	fs.SetOutput(stderr)
	catalogue := fs.String("catalogue", "internal/mutants/mutants.txt", "the mutants, as data")
	scenarioGlob := fs.String("scenarios", "internal/mutants/testdata/*.yaml", "the population scenarios every mutant is run on")
	only := fs.String("only", "", "comma-separated mutant ids to run (default: all)")
	short := fs.Bool("short", false, "run only the subset CI runs: "+strings.Join(shortSet, ","))
	timeout := fs.Duration("timeout", 2*time.Minute, "longest one run may take; a run that takes longer kills its mutant as a hang")
	verbose := fs.Bool("v", false, "say what each run found")
	jobs := fs.Int("j", 2, "mutants tried at once, each in a copy of the tree of its own (one builds while another runs)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "mutants: %v\n", err)
		return 2
	}
	root, err := os.Getwd()
	if err != nil {
		return fail(err)
	}
	f, err := os.Open(*catalogue)
	if err != nil {
		return fail(err)
	}
	ms, err := parseCatalogue(f, *catalogue)
	f.Close()
	if err != nil {
		return fail(err)
	}
	ms, err = choose(ms, *only, *short)
	if err != nil {
		return fail(err)
	}
	scenarios, err := filepath.Glob(*scenarioGlob)
	if err != nil || len(scenarios) == 0 {
		return fail(fmt.Errorf("no scenarios match %s", *scenarioGlob))
	}
	for i, s := range scenarios {
		if scenarios[i], err = filepath.Abs(s); err != nil {
			return fail(err)
		}
	}
	if *jobs < 1 || *jobs > 16 {
		return fail(fmt.Errorf("-j: want 1 to 16 mutants at once, got %d", *jobs))
	}
	labs := make([]*lab, *jobs)
	for i := range labs {
		if labs[i], err = newLab(ctx, root, scenarios, *timeout); err != nil {
			return fail(err)
		}
		defer labs[i].close()
		if *verbose {
			labs[i].log = stderr
		}
	}
	start := time.Now()
	fmt.Fprintf(stderr, "mutants: %d mutants, %d scenarios, each in deterministic and parallel mode; the unmutated code first\n", len(ms), len(scenarios))
	if err := labs[0].baseline(ctx); err != nil {
		return fail(err)
	}
	results, err := tryAll(ctx, labs, ms, stderr)
	if err != nil {
		return fail(err)
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "mutants: interrupted")
	}
	fmt.Fprintf(stderr, "mutants: %d tried in %s\n", len(results), time.Since(start).Round(time.Second))
	survived := table(stdout, results)
	broken := 0
	for _, r := range results {
		if r.broken != "" {
			fmt.Fprintln(stderr, r.broken)
			broken++
		}
	}
	switch {
	case broken > 0:
		return 2
	case ctx.Err() != nil:
		return 1
	case survived > 0:
		fmt.Fprintf(stdout, "\n%d mutants survived\n", survived)
		return 1
	}
	fmt.Fprintf(stdout, "\nevery mutant killed or argued equivalent (%d)\n", len(results))
	return 0
}

// choose returns the mutants -only or -short names, in catalogue order.
func choose(ms []Mutant, only string, short bool) ([]Mutant, error) {
	var ids []string
	switch {
	case only != "":
		ids = strings.Split(only, ",")
	case short:
		ids = shortSet
	default:
		return ms, nil
	}
	var out []Mutant
	for _, id := range ids {
		i := slices.IndexFunc(ms, func(m Mutant) bool { return m.ID == strings.TrimSpace(id) })
		if i < 0 {
			return nil, fmt.Errorf("no mutant %q in the catalogue", id)
		}
		out = append(out, ms[i])
	}
	slices.SortFunc(out, func(a, b Mutant) int { return a.Line - b.Line })
	return out, nil
}

// tryAll tries every mutant, each lab taking the next one as it is free,
// and returns the results in catalogue order (those tried before an
// interrupt).
func tryAll(ctx context.Context, labs []*lab, ms []Mutant, stderr io.Writer) ([]result, error) {
	var (
		mu       sync.Mutex
		next     int
		results  = make([]result, len(ms))
		tried    = make([]bool, len(ms))
		firstErr error
		wg       sync.WaitGroup
	)
	for _, l := range labs {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				stop := i >= len(ms) || firstErr != nil || ctx.Err() != nil
				if !stop {
					fmt.Fprintf(stderr, "[%d/%d] %s %s\n", i+1, len(ms), ms[i].ID, ms[i].Doc)
				}
				mu.Unlock()
				if stop {
					return
				}
				r, err := l.try(ctx, &ms[i])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil && ctx.Err() == nil {
					results[i], tried[i] = r, true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	var out []result
	for i := range results {
		if tried[i] {
			out = append(out, results[i])
		}
	}
	return out, nil
}
