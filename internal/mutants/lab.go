package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// lab is a copy of the repository where mutants are planted one at a
// time, and the scenarios they are run on.
type lab struct {
	dir       string // the copy
	bin       string // msgsim built from the copy
	scenarios []string
	timeout   time.Duration
	log       io.Writer // what each run found, or nil
	tag       string    // the mutant being tried, for the log
}

// modes are the two ways each scenario runs, with what judges each.
var modes = []string{"deterministic", "parallel"}

// newLab copies the tree at root (sources only: no .git) to a temporary
// directory.
func newLab(ctx context.Context, root string, scenarios []string, timeout time.Duration) (*lab, error) {
	dir, err := os.MkdirTemp("", "msgsim-mutants-")
	if err != nil {
		return nil, err
	}
	l := &lab{dir: dir, bin: filepath.Join(dir, ".bin", "msgsim"), scenarios: scenarios, timeout: timeout}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == ".git" || strings.HasPrefix(d.Name(), ".tmp") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		l.close()
		return nil, fmt.Errorf("copying the tree: %w", err)
	}
	return l, nil
}

func (l *lab) close() { os.RemoveAll(l.dir) }

// result is what the runs made of one mutant.
type result struct {
	m *Mutant
	// killed by mode: the first scenario and what found it, "" when no
	// run of that mode noticed the mutant.
	det, par string
	// broken says why the mutant could not be tried: an entry of the
	// catalogue to mend, not a verdict.
	broken string
}

// baseline builds and runs the unmutated copy: every run must pass, or a
// killed mutant would prove nothing.
func (l *lab) baseline(ctx context.Context) error {
	if err := l.build(ctx); err != nil {
		return fmt.Errorf("the unmutated tree does not build: %w", err)
	}
	for _, mode := range modes {
		for _, sc := range l.scenarios {
			if why := l.runOne(ctx, sc, mode); why != "" {
				return fmt.Errorf("the unmutated code fails %s in %s mode: %s", filepath.Base(sc), mode, why)
			}
		}
	}
	return nil
}

// try plants m, builds and runs every scenario in both modes, and puts
// the file back.
func (l *lab) try(ctx context.Context, m *Mutant) (result, error) {
	res := result{m: m}
	l.tag = m.ID
	defer func() { l.tag = "" }()
	mutated, original, err := m.apply(l.dir)
	if err != nil {
		return res, err
	}
	path := filepath.Join(l.dir, m.File)
	if err := os.WriteFile(path, mutated, 0o644); err != nil {
		return res, err
	}
	defer os.WriteFile(path, original, 0o644)
	if err := l.build(ctx); err != nil {
		res.broken = fmt.Sprintf("mutant %s (catalogue line %d) does not build: %v", m.ID, m.Line, err)
		return res, nil
	}
	for _, mode := range modes {
		for _, sc := range l.scenarios {
			why := l.runOne(ctx, sc, mode)
			if why == "" {
				continue
			}
			found := filepath.Base(sc) + ": " + why
			if mode == "deterministic" {
				res.det = found
			} else {
				res.par = found
			}
			break
		}
	}
	return res, nil
}

func (l *lab) build(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", l.bin, "./cmd/msgsim")
	cmd.Dir = l.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}

// report is the part of msgsim's JSON report that says whether a run
// noticed something wrong.
type report struct {
	Passed     bool `json:"passed"`
	Invariants struct {
		Violations  int            `json:"violations"`
		ByInvariant map[string]int `json:"by_invariant"`
	} `json:"invariants"`
	Expectations struct {
		Failed int `json:"failed"`
	} `json:"expectations"`
	Restarts int      `json:"actor_restarts"`
	Panics   []string `json:"panics"`
}

// runOne runs scenario sc in mode and returns what noticed the mutant,
// or "" when the run saw nothing wrong. Thresholds on speed are not a
// verdict on behaviour and are ignored.
func (l *lab) runOne(ctx context.Context, sc, mode string) string {
	out := filepath.Join(l.dir, ".bin", "report.json")
	os.Remove(out)
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.bin, "run", sc, "--mode", mode, "--json", out, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	why := ""
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		why = fmt.Sprintf("hang (no end within %s)", l.timeout)
	default:
		why = judge(out, err, stderr.String())
	}
	if l.log != nil {
		fmt.Fprintf(l.log, "  %-4s %-13s %-28s %s\n", or(l.tag, "base"), mode, filepath.Base(sc), or(why, "passed"))
	}
	return why
}

// judge reads a finished run's report.
func judge(path string, runErr error, stderr string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("crash (%v: %s)", runErr, firstLine(stderr))
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return "unreadable report: " + err.Error()
	}
	var why []string
	if n := r.Invariants.Violations; n > 0 {
		names := make([]string, 0, len(r.Invariants.ByInvariant))
		for name, k := range r.Invariants.ByInvariant {
			names = append(names, fmt.Sprintf("%s×%d", name, k))
		}
		sort.Strings(names)
		why = append(why, strings.Join(names, " "))
	}
	if n := r.Expectations.Failed; n > 0 {
		why = append(why, fmt.Sprintf("%d expectations", n))
	}
	if len(r.Panics) > 0 || r.Restarts > 0 {
		why = append(why, fmt.Sprintf("%d panics", max(len(r.Panics), r.Restarts)))
	}
	return strings.Join(why, ", ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// table prints one row per mutant and returns how many survived.
func table(w io.Writer, rs []result) int {
	survived := 0
	fmt.Fprintf(w, "| mutant | rule | bug | deterministic: spec | parallel: invariants | verdict |\n")
	fmt.Fprintf(w, "| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range rs {
		verdict := "killed"
		switch {
		case r.broken != "":
			verdict = "DOES NOT BUILD"
		case r.det == "" && r.par == "" && r.m.Equivalent != "":
			verdict = "equivalent: " + r.m.Equivalent
		case r.det == "" && r.par == "":
			verdict = "SURVIVED"
			survived++
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.m.ID, r.m.Rule, r.m.Doc, or(r.det, "-"), or(r.par, "-"), verdict)
	}
	return survived
}
