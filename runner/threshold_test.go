package runner

import (
	"testing"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
)

// TestMetricValues holds the runner's threshold metrics to the loader's:
// a metric the loader accepts and the runner cannot read would be judged
// on 0.
func TestMetricValues(t *testing.T) {
	rep := &report.Report{Throughput: 1, OpsTotal: 2, Latency: report.Latency{P50: 3, P90: 4, P99: 5, Max: 6},
		Invariants: report.Invariants{Violations: 7}, Expectations: report.Expectations{Failed: 8}}
	seen := map[float64]string{}
	for _, m := range scenarios.Metrics() {
		v, ok := metricValue(rep, m)
		if !ok {
			t.Errorf("the loader accepts %s, which the runner cannot read", m)
			continue
		}
		if other, dup := seen[v]; dup {
			t.Errorf("%s and %s read the same field", m, other)
		}
		seen[v] = m
	}
	if _, ok := metricValue(rep, "no_such_metric"); ok {
		t.Error("an unknown metric read as known")
	}
}
