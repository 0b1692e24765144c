package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Threshold is a pass condition on a run's results, written as
// `"p99_latency < 5ms"`: Metric Op Value. Latency values are stored in
// seconds.
type Threshold struct {
	Pos    Pos
	Source string // the condition as written
	Metric string // one of Metrics()
	Op     string // <, <=, >, >=, == or !=
	Value  float64
}

// The metrics a threshold may name: throughput in operations per wall
// second, counts, and operation latencies (written with a unit).
var (
	countMetrics   = []string{"throughput", "violations", "expectations_failed", "ops_total"}
	latencyMetrics = []string{"p50_latency", "p90_latency", "p99_latency", "max_latency"}
	thresholdOps   = []string{"<=", ">=", "==", "!=", "<", ">"} // two-character operators first
)

// Metrics returns the metric names a threshold may use.
func Metrics() []string { return slices.Concat(countMetrics, latencyMetrics) }

// IsLatency reports whether t's metric is a latency, in seconds.
func (t Threshold) IsLatency() bool { return slices.Contains(latencyMetrics, t.Metric) }

// Holds reports whether the measured value v satisfies t.
func (t Threshold) Holds(v float64) bool {
	switch t.Op {
	case "<":
		return v < t.Value
	case "<=":
		return v <= t.Value
	case ">":
		return v > t.Value
	case ">=":
		return v >= t.Value
	case "==":
		return v == t.Value
	case "!=":
		return v != t.Value
	}
	return false
}

// parseThreshold parses `metric op value`; the error message says what is
// wrong in terms of the file.
func parseThreshold(s string) (Threshold, error) {
	t := Threshold{Source: s}
	at, op := -1, ""
	for _, o := range thresholdOps {
		if i := strings.Index(s, o); i >= 0 && (at < 0 || i < at) {
			at, op = i, o
		}
	}
	if at < 0 {
		return t, fmt.Errorf("threshold %q has no comparison; want `metric op value` with op one of %s, like \"p99_latency < 5ms\"", s, strings.Join(thresholdOps, " "))
	}
	t.Metric, t.Op = strings.TrimSpace(s[:at]), op
	value := strings.TrimSpace(s[at+len(op):])
	if !slices.Contains(Metrics(), t.Metric) {
		if t.Metric == "" {
			return t, fmt.Errorf("threshold %q names no metric; want one of %s", s, strings.Join(Metrics(), ", "))
		}
		return t, fmt.Errorf("threshold %q: %s", s, unknown("metric", t.Metric, Metrics()))
	}
	if value == "" {
		return t, fmt.Errorf("threshold %q has no value after %s", s, op)
	}
	if t.IsLatency() {
		d, err := parseDuration(value)
		if err != nil {
			return t, fmt.Errorf("threshold %q: %s needs a duration with a unit, like 5ms, 250us or 1s", s, t.Metric)
		}
		t.Value = d.Seconds()
		return t, nil
	}
	v, err := strconv.ParseFloat(value, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return t, fmt.Errorf("threshold %q: value %q is not a number", s, value)
	}
	t.Value = v
	return t, nil
}
