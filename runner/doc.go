// Package runner runs a loaded scenario on the actor engine and produces
// its Report: the script step by step with every expectation checked, then
// the population's workload at the file's pace, then the invariant checker,
// the policy-outcome measures and the thresholds. Bench measures the
// engine against the sequential reference model on one stream.
//
// A Runner runs once. Its Progress may be called from any goroutine while
// Run works; everything else belongs to the goroutine that calls Run.
// Operations are counted with atomic counters and a lock-free latency
// histogram, so the engine's goroutines report outcomes without locks.
package runner
