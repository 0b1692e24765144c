package report

import (
	"fmt"
	"strings"

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
	// like people's (see Realism).
	Realism *Realism `json:"realism,omitempty"`
	// Timeline is the run's throughput and latency over wall time.
	Timeline []Sample `json:"timeline"`
	// Nodes are the members of a cluster run (runner.RunCluster), in address
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

// format formats the threshold's value in its metric's unit: operations
// per second for throughput, latency for a latency and other for the
// rest, each renderer with its own way with durations and numbers.
func (t ThresholdResult) format(latency, other func(float64) string) string {
	switch metric := t.Metric(); {
	case metric == "throughput":
		return Thousands(int(t.Value)) + " ops/s"
	case strings.HasSuffix(metric, "_latency"):
		return latency(t.Value)
	}
	return other(t.Value)
}

// Reasons says in a few words each why the run did not pass: interrupted,
// expectations failed, invariant violations, actors restarted after a
// panic, thresholds not held. It is empty for a run that passed.
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
	if n := max(r.Restarts, len(r.Panics)); n > 0 {
		why = append(why, fmt.Sprintf("%d actors restarted after a panic", n))
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

// CohortReport is one cohort of a run with cohorts (an A/B experiment):
// its policy, its size and its share of the policy measures.
type CohortReport struct {
	Name     string       `json:"name"`
	Policy   string       `json:"policy"`
	Users    int          `json:"users"`
	Measures sim.Measures `json:"measures"`
}

// Coverage is how much of the rules a run exercised: of the actions, and
// of the action and outcome pairs the rules can give (sim.Action.Possible),
// how many the run reached. A behaviour the workload never reaches is one
// no checker can judge, so a policy experiment should read this first.
type Coverage struct {
	Actions        int `json:"actions"`
	ActionsReached int `json:"actions_reached"`
	Pairs          int `json:"pairs"`
	PairsReached   int `json:"pairs_reached"`
	// NotReached names the pairs the run did not reach, "action/outcome",
	// in the actions' and outcomes' order.
	NotReached []string `json:"not_reached"`
}

// Sample is the run's pace over one window of wall time, for charts of
// throughput and latency over the run.
type Sample struct {
	// WallSeconds is the end of the window, from the start of the run.
	WallSeconds float64 `json:"wall_seconds"`
	// SimulatedSeconds is the simulated time of the newest operation then.
	SimulatedSeconds float64 `json:"simulated_seconds"`
	// Ops is how many operations had finished by then.
	Ops int `json:"ops"`
	// Throughput is the window's operations per wall second.
	Throughput float64 `json:"throughput_ops_per_sec"`
	// P50 and P99 are the latency percentiles of the window's operations;
	// a window merged from several keeps the largest of theirs.
	P50 float64 `json:"p50_latency_seconds"`
	P99 float64 `json:"p99_latency_seconds"`
}

// NodeReport is one member's account of a cluster run, in the report's
// nodes list.
type NodeReport struct {
	Address string `json:"address"`
	Shards  int    `json:"shards"`
	Users   int    `json:"users"`
	Threads int    `json:"threads"`
	// Messages is how many messages the member's threads store.
	Messages int `json:"messages"`
	// OpsDecided counts the operations whose outcome the member decided.
	OpsDecided   int `json:"ops_decided"`
	StepsHandled int `json:"steps_handled"`
	// RemoteSteps, RemoteBatches and RemoteBytes are what the member sent
	// to other members: steps, in batches, and their bytes.
	RemoteSteps   int     `json:"remote_steps_sent"`
	RemoteBatches int     `json:"remote_batches_sent"`
	RemoteBytes   int64   `json:"remote_bytes_sent"`
	CPUSeconds    float64 `json:"cpu_seconds"`
	PeakRSS       int64   `json:"peak_rss_bytes"`
	// HeapBytes is the member's live heap at the end of the run, after a
	// collection: what it holds for its users and threads, and the
	// runtime's own.
	HeapBytes int64 `json:"heap_bytes"`
	// CheckNotes and CheckBytes are the notes the member sent other
	// members while the members checked the invariants, and their bytes;
	// CheckCPUSeconds the CPU the member spent checking.
	CheckNotes      int     `json:"check_notes_sent"`
	CheckBytes      int64   `json:"check_bytes_sent"`
	CheckCPUSeconds float64 `json:"check_cpu_seconds"`
}
