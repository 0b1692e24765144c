package runner

import (
	"fmt"
	"strings"
	"time"

	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// Report is the result of one run, as `msgsim run --json` writes it. Its
// top-level keys are those of DESIGN.md section 6.
type Report struct {
	Scenario    string  `json:"scenario"`
	File        string  `json:"file,omitempty"`
	Seed        uint64  `json:"seed"`
	Policy      string  `json:"policy"`
	Mode        string  `json:"mode"`
	Passed      bool    `json:"passed"`
	Interrupted bool    `json:"interrupted"`
	Digest      string  `json:"digest"`
	OpsTotal    int     `json:"ops_total"`
	Ops         OpTable `json:"ops"`
	WallSeconds float64 `json:"wall_seconds"`
	Throughput  float64 `json:"throughput_ops_per_sec"`
	Latency     Latency `json:"latency_seconds"`
	// ActionLatency is the latency of each action the run applied.
	ActionLatency map[string]Latency `json:"action_latency_seconds"`
	// CheckSkipped says why the invariants, the digest and the measures
	// were not computed (an interrupt); empty when they were.
	CheckSkipped string `json:"check_skipped,omitempty"`
	// Overrides are the command-line flags that changed the scenario
	// file's settings, such as "--users 1000".
	Overrides []string `json:"overrides,omitempty"`

	Invariants   Invariants        `json:"invariants"`
	Expectations Expectations      `json:"expectations"`
	Thresholds   []ThresholdResult `json:"thresholds"`

	Users            int      `json:"users"`
	Threads          int      `json:"threads"`
	Messages         int      `json:"messages"`
	SimulatedSeconds float64  `json:"simulated_seconds"`
	BuildSeconds     float64  `json:"build_seconds"`
	Restarts         int      `json:"actor_restarts"`
	Panics           []string `json:"panics,omitempty"`

	// Measures are the policy outcomes of the run (sim.Measure), and
	// Cohorts their split by cohort in a run with cohorts.
	Measures *sim.Measures  `json:"measures,omitempty"`
	Cohorts  []CohortReport `json:"cohorts,omitempty"`
	// Coverage is how much of the rules the run's operations reached.
	Coverage Coverage `json:"coverage"`
	// Realism is how much the traffic of a run with a workload looked
	// like people's (realism.go).
	Realism *Realism `json:"realism,omitempty"`
	// Timeline is the run's throughput and latency over wall time.
	Timeline []Sample `json:"timeline"`
	// Nodes are the members of a cluster run (RunCluster), in address
	// order; absent for a run in one process.
	Nodes []NodeReport `json:"nodes,omitempty"`
}

// OpTable counts operations by action and outcome names; JSON writes the
// keys sorted.
type OpTable map[string]map[string]int

// Latency holds operation latency percentiles in seconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Invariants is what the checker found.
type Invariants struct {
	Checked     int            `json:"checked"`
	Violations  int            `json:"violations"`
	ByInvariant map[string]int `json:"by_invariant,omitempty"`
	// Details lists the first violations in full.
	Details []string `json:"details,omitempty"`
}

// Expectations is how a script's expectations fared.
type Expectations struct {
	Passed   int       `json:"passed"`
	Failed   int       `json:"failed"`
	Failures []Failure `json:"failures"`
}

// Failure is one failed expectation, where it is written and what differed.
type Failure struct {
	Pos      string `json:"pos"`
	Step     string `json:"step"`
	Expected string `json:"expected"`
	Seen     string `json:"seen"`
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %s\n    expected %s\n    saw      %s", f.Pos, f.Step, f.Expected, f.Seen)
}

// ThresholdResult is one threshold and whether it held.
type ThresholdResult struct {
	Pos       string  `json:"pos,omitempty"`
	Threshold string  `json:"threshold"`
	Value     float64 `json:"value"`
	Held      bool    `json:"held"`
}

// Metric returns the metric the threshold judges (scenarios.Metrics), for
// formatting its value in the metric's unit; "" when none is named.
func (t ThresholdResult) Metric() string {
	metric := ""
	for _, m := range scenarios.Metrics() {
		if strings.HasPrefix(strings.TrimSpace(t.Threshold), m) && len(m) > len(metric) {
			metric = m
		}
	}
	return metric
}

// counts is a table of operation counts that many goroutines add to.
type counts [sim.NumActions][sim.NumOutcomes]counter

func (c *counts) table() (OpTable, int) {
	t := OpTable{}
	total := 0
	for a := range c {
		for o := range c[a] {
			if n := int(c[a][o].Load()); n > 0 {
				an, on := sim.Action(a).String(), sim.Outcome(o).String()
				if t[an] == nil {
					t[an] = map[string]int{}
				}
				t[an][on] = n
				total += n
			}
		}
	}
	return t, total
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// Reasons says in a few words each why the run did not pass: interrupted,
// expectations failed, invariant violations, thresholds not held. It is
// empty for a run that passed.
func (r *Report) Reasons() []string {
	var why []string
	if r.Interrupted {
		why = append(why, "interrupted")
	}
	if n := r.Expectations.Failed; n > 0 {
		why = append(why, fmt.Sprintf("%d expectations failed", n))
	}
	if n := r.Invariants.Violations; n > 0 {
		why = append(why, fmt.Sprintf("%d invariant violations", n))
	}
	if r.CheckSkipped != "" && !r.Interrupted {
		why = append(why, "invariants not checked")
	}
	for _, t := range r.Thresholds {
		if !t.Held {
			why = append(why, "threshold "+t.Threshold)
		}
	}
	return why
}
