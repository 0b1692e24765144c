package report_test

import (
	"math"
	"testing"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

func TestRowsFormat(t *testing.T) {
	rep := &report.Report{Policy: "linkedin", Throughput: 12345.6, Measures: &sim.Measures{StoredBytes: 3 << 20, RegretReadableSeconds: 3660}}
	other := &report.Report{Policy: "telegram", Throughput: 12000, Measures: &sim.Measures{StoredBytes: 1 << 20, Regretted: 2}}
	rows := report.Rows(report.PolicyColumns([]*report.Report{rep, other}))
	got := map[string][2]string{}
	for _, r := range rows {
		got[r.Key] = [2]string{r.Format(r.Values[0]), r.Delta(r.Values[1], r.Values[0])}
	}
	for key, want := range map[string][2]string{
		"throughput_ops_per_sec":       {"12,346", "-346"},
		"stored_bytes":                 {"3.0 MiB", "-2.0 MiB"},
		"regret_readable_mean_seconds": {"1h1m", "-1h1m"},
		"regretted":                    {"0", "+2"},
		"violations":                   {"0", "0"},
	} {
		if got[key] != want {
			t.Errorf("%s: %q, want %q", key, got[key], want)
		}
	}
	cohortRows := report.Rows(report.CohortColumns(&report.Report{Measures: &sim.Measures{}, Cohorts: []report.CohortReport{{Name: "a", Policy: "linkedin"}}}))
	if v := cohortRows[0].Values[1]; !math.IsNaN(v) || cohortRows[0].Format(v) != "–" {
		t.Errorf("a cohort's throughput: %v", v)
	}
}
