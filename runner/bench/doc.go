// Package bench measures the actor engine against the sequential
// reference model on one generated stream, as `msgsim bench` does. Run
// builds a population once, applies the same stream with sim's reference
// model on one goroutine and with the engine, and reports both speeds,
// the live heap per user, per stored message and per thread, the peak
// resident memory (read from the system, and restarted between the two
// where Linux allows it), and whether the engine held: the checker's
// invariants and, in deterministic mode, the reference model's digest and
// the specification model's outcomes, final state and policy-lab
// measures (runner.Oracle).
// Summarize takes the medians of a series of runs; Summary,
// SeriesSummary, SeriesHeader and RoundLine print them.
//
// It imports actors, scenarios/workload, sim, sim/spec, runner (the
// oracle and the group set-up that judge and prepare a run as a
// scenario's are) and report (number formatting); os only to restart the
// peak resident memory. Run measures the whole process's heap and
// resident memory, so no other work should share the process while it
// runs; the printing functions are safe for concurrent use.
package bench
