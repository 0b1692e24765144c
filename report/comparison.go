package report

import "math"

// Comparison is what compare --json writes: the runs, and the table of
// their figures side by side.
type Comparison struct {
	Scenario string   `json:"scenario"`
	Seed     uint64   `json:"seed"`
	Mode     string   `json:"mode"`
	Policies []string `json:"policies"`
	Passed   bool     `json:"passed"`
	// Interrupted is set when a run was cut short or a policy not run:
	// the differences to a partial run compare unequal amounts of work.
	Interrupted bool            `json:"interrupted"`
	NotRun      []string        `json:"not_run,omitempty"`
	Table       []ComparisonRow `json:"table"`
	Runs        []*Report       `json:"runs"`
}

// ComparisonRow is one row of the table: each policy's value.
type ComparisonRow struct {
	Key    string             `json:"key"`
	Doc    string             `json:"doc"`
	Values map[string]float64 `json:"values"`
}

// NewComparison returns the comparison of reps, the runs in policy order,
// which an interrupt may have cut short before the policies in notRun.
func NewComparison(reps []*Report, notRun []string) Comparison {
	out := Comparison{Scenario: reps[0].Scenario, Seed: reps[0].Seed, Mode: reps[0].Mode, Passed: len(notRun) == 0,
		Interrupted: len(notRun) > 0, NotRun: notRun, Runs: reps}
	for _, r := range reps {
		out.Policies = append(out.Policies, r.Policy)
		out.Passed = out.Passed && r.Passed
		out.Interrupted = out.Interrupted || r.Interrupted
	}
	for _, row := range Rows(PolicyColumns(reps)) {
		cr := ComparisonRow{Key: row.Key, Doc: row.Doc, Values: map[string]float64{}}
		for i, v := range row.Values {
			if !math.IsNaN(v) {
				cr.Values[reps[i].Policy] = v
			}
		}
		out.Table = append(out.Table, cr)
	}
	return out
}
