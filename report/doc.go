// Package report renders run reports as one self-contained HTML page: for
// a comparison, the side-by-side table of every figure and policy measure
// and charts of the measures per policy; for a single run, its verdict,
// thresholds, operations and latencies by action, measures (by cohort,
// when it has cohorts), how realistic its traffic was with the
// distributions of thread length and reply delay on log scales; and for
// both, charts of throughput and latency
// over the run and of regret readability over simulated time, each left
// out when it has nothing to draw. Charts are drawn with
// gonum.org/v1/plot and inlined as SVG, and the styles are inline too, so
// the page needs no network and no script to open. This is the only
// package that imports gonum/plot.
//
// Write is safe for concurrent use.
package report
