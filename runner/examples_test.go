package runner_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
)

// Examples run in tests with at most exampleUsers generated users and
// about exampleOps operations of their workload: larger populations are
// scaled down, groups and behaviours alike, and busier workloads do fewer
// actions per user per day, over the same simulated time.
const (
	exampleUsers = 2000
	exampleOps   = 10000
)

// TestExamples runs every scenario under scenarios/examples/ and requires
// the result its opening comment promises on its `Promises:` line:
// "passes" (every expectation, invariant and threshold holds, the run was
// not interrupted) and "violations == 0" (no invariant violation). Scripts
// run as written; populations run scaled down (see exampleUsers).
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "scenarios", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("%d examples, want at least 8: %v", len(files), files)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			promise := promiseOf(t, data)
			sc, err := scenarios.Load(filepath.Base(file), data)
			if err != nil {
				t.Fatal(err)
			}
			scaleDown(sc, exampleUsers, exampleOps)
			rep, err := runner.New(sc, runner.Options{}).Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Expectations.Failures {
				t.Errorf("expectation failed: %s", f)
			}
			for _, d := range rep.Invariants.Details {
				t.Errorf("invariant violated: %s", d)
			}
			for _, th := range rep.Thresholds {
				if !th.Held {
					t.Errorf("threshold %s does not hold: %v", th.Threshold, th.Value)
				}
			}
			if strings.Contains(promise, "passes") && (!rep.Passed || rep.Interrupted) {
				t.Errorf("promises %q but did not pass", promise)
			}
			if strings.Contains(promise, "violations == 0") && rep.Invariants.Violations != 0 {
				t.Errorf("promises %q, saw %d violations", promise, rep.Invariants.Violations)
			}
			if rep.OpsTotal == 0 || rep.Invariants.Checked == 0 {
				t.Errorf("nothing ran: %d operations, %d checks", rep.OpsTotal, rep.Invariants.Checked)
			}
			if len(sc.Steps) > 0 && rep.Expectations.Passed == 0 {
				t.Errorf("a script without a passed expectation")
			}
		})
	}
}

// promiseOf returns what an example's opening comment promises: the text
// after `Promises:`, which must name a result the test can check.
func promiseOf(t *testing.T, data []byte) string {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	opening := true
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			opening = false
			break
		}
		if p, ok := strings.CutPrefix(line, "# Promises:"); ok {
			p = strings.TrimSpace(p)
			if !strings.Contains(p, "passes") && !strings.Contains(p, "violations == 0") {
				t.Fatalf("promise %q names no result the test checks (passes, violations == 0)", p)
			}
			return p
		}
	}
	if opening {
		t.Fatal("the example is nothing but comments")
	}
	t.Fatal("the example does not begin with a comment whose `# Promises:` line says what result it promises")
	return ""
}

// scaleDown shrinks a population of more than users generated users to
// users, scaling its groups and behaviours by the same factor and keeping
// the graph's mean degree where the smaller population allows it; then it
// lowers the actions per user per day until the workload expects about
// ops operations, keeping its duration, phases and behaviours' times.
func scaleDown(sc *scenarios.Scenario, users, ops int) {
	p := sc.Population
	if p == nil {
		return
	}
	if p.Users > users {
		f := float64(users) / float64(p.Users)
		scale := func(n int) int {
			if n == 0 {
				return 0
			}
			return max(1, int(float64(n)*f))
		}
		p.Users = users
		p.Graph.MeanDegree = min(p.Graph.MeanDegree, float64(users-1))
		p.Groups.Count = scale(p.Groups.Count)
		if w := sc.Workload; w != nil {
			if b := w.BlockStorm; b != nil {
				b.Users = scale(b.Users)
			}
			if s := w.SpamWave; s != nil {
				s.Spammers = scale(s.Spammers)
			}
		}
	}
	w := sc.Workload
	if w == nil {
		return
	}
	days := w.Duration.Hours() / 24 // at rate 1
	if len(w.Phases) > 0 {
		days = 0
		for _, ph := range w.Phases {
			days += ph.Duration.Hours() / 24 * ph.Rate
		}
	}
	if expected := float64(p.Users) * w.ActionsPerUserPerDay * days; expected > float64(ops) {
		w.ActionsPerUserPerDay *= float64(ops) / expected
	}
}
