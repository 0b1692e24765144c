// Package runner runs a loaded scenario on the actor engine, in this
// process or on a cluster's members, and fills its report.Report: the
// script step by step with every expectation checked, then the
// population's workload at the file's pace, then the invariant checker,
// the specification model's comparison of a deterministic run (Oracle),
// the policy-outcome measures and the thresholds. It imports actors,
// actors/cluster, scenarios and scenarios/workload, metrics, sim,
// sim/spec and sim/spec/conform, and report, for the type it fills;
// presenting the report is report's, and the bench harness is
// runner/bench.
//
// A Runner runs once. Its Progress may be called from any goroutine while
// Run works; everything else belongs to the goroutine that calls Run.
// Operations are counted with atomic counters and a lock-free latency
// histogram, so the engine's goroutines report outcomes without locks.
package runner
