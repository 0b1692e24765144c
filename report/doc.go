// Package report is a run's report and everything that presents it. It
// promises the Report type that runner fills and `msgsim run --json`
// writes (its parts, its JSON field names, Reasons for a failed run);
// JSON, which renders it and msgsim's other JSON files; the text a
// terminal shows (Summary, Verdict, Failures, with what a scenario brings
// escaped by Escape and TerminalSafe); the comparison of several runs as
// a table (Rows, ComparisonTable) and as JSON (NewComparison); and one
// self-contained HTML page (Write): for a comparison, the side-by-side
// table of every figure and policy measure and charts of the measures per
// policy; for a single run, its verdict, thresholds, operations and
// latencies by action, measures (by cohort, when it has cohorts), how
// realistic its traffic was with the distributions of thread length and
// reply delay on log scales; and for both, charts of throughput and
// latency over the run and of regret readability over simulated time,
// each left out when it has nothing to draw. Charts are drawn with
// gonum.org/v1/plot and inlined as SVG, and the styles are inline too, so
// the page needs no network and no script to open.
//
// It imports sim (the measures), scenarios (the names of the metrics a
// threshold judges) and gonum/plot, of which it is the only importer; it
// never imports runner, which imports it: a report is read here, never
// made. Every function only reads the reports it is given and is safe
// for concurrent use; a TerminalSafe writer is as safe as the writer it
// wraps.
package report
