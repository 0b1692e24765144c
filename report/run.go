package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"

	"github.com/msgsim/msgsim/sim"
)

// runView is what the page of a single run shows: its verdict and what
// it was judged on, its operations by action with their latencies, its
// measures, and its charts over the run.
type runView struct {
	Title, Subtitle string
	Passed          bool
	Verdict         string
	Notes           []string
	Thresholds      []thresholdRow
	Expectations    Expectations
	Invariants      Invariants
	Checked         string
	CheckSkipped    string
	Actions         []actionRow
	Outcomes        []string // the outcomes' headers, which wrap at their spaces
	Total           actionRow
	Columns         []string
	Measures        []tableRow
	Definitions     []Row
	MeasureCharts   []chart
	Legend          []legendItem
	RunCharts       []chart
	Realism         []realismRow
	RealismCharts   []chart
}

type thresholdRow struct {
	Pos, Threshold, Value string
	Held                  bool
}

// actionRow is one action's count by outcome and its latencies.
type actionRow struct {
	Action             string
	Total              string
	ByOutcome          []string // in the order of runView.Outcomes
	P50, P90, P99, Max string
}

// writeRun renders the page of one run.
func writeRun(w io.Writer, title string, r *Report) error {
	v, err := buildRun(title, r)
	if err != nil {
		return err
	}
	return runPage.Execute(w, v)
}

func buildRun(title string, r *Report) (*runView, error) {
	v := &runView{Title: title, Passed: r.Passed, Verdict: verdictText(r), Expectations: r.Expectations,
		Invariants: r.Invariants, Checked: Thousands(r.Invariants.Checked), CheckSkipped: r.CheckSkipped}
	v.Subtitle = fmt.Sprintf("policy %s · seed %d · mode %s · %s users · %s operations · %s simulated · %s wall",
		r.Policy, r.Seed, r.Mode, Thousands(r.Users), Thousands(r.OpsTotal),
		time.Duration(r.SimulatedSeconds*float64(time.Second)).Round(time.Second), secondsText(r.WallSeconds))
	if r.Interrupted {
		v.Notes = append(v.Notes, "Interrupted: the figures cover what ran before the stop.")
	}
	if len(r.Overrides) > 0 {
		v.Notes = append(v.Notes, "Changed from the scenario file by "+strings.Join(r.Overrides, " ")+".")
	}
	for _, t := range r.Thresholds {
		v.Thresholds = append(v.Thresholds, thresholdRow{Pos: t.Pos, Threshold: t.Threshold, Value: thresholdValue(t), Held: t.Held})
	}
	v.actions(r)

	cols := []Column{{Label: r.Policy, Run: r, Measures: r.Measures}}
	if len(r.Cohorts) > 0 {
		cols = CohortColumns(r)
	}
	for _, c := range cols {
		v.Columns = append(v.Columns, c.Label)
	}
	v.Legend = legend(v.Columns)
	for _, row := range Rows(cols) {
		if !row.IsMeasure() || allMissing(row.Values) {
			continue
		}
		v.Measures = append(v.Measures, newTableRow(row))
		v.Definitions = append(v.Definitions, row)
		if len(cols) > 1 && hasData(row.Values) { // one bar alone compares nothing: the table says it
			svg, err := measureChart(row, v.Columns)
			if err != nil {
				return nil, err
			}
			v.MeasureCharts = append(v.MeasureCharts, chart{ID: "measure-" + row.Key, Caption: row.Doc, SVG: svg})
		}
	}
	charts, err := runCharts(r, cols)
	if err != nil {
		return nil, err
	}
	v.RunCharts = charts
	if r.Realism != nil {
		v.Realism = realismRows(r.Realism)
		if v.RealismCharts, err = realismCharts(r.Realism); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// actions fills the operations table: a row per action that ran, with
// its outcomes in precedence order and its latencies.
func (v *runView) actions(r *Report) {
	used := map[string]bool{}
	var outcomes []string
	for _, byOutcome := range r.Ops {
		for o := range byOutcome {
			used[o] = true
		}
	}
	for _, o := range sim.Outcomes() {
		if used[o.String()] {
			outcomes = append(outcomes, o.String())
			v.Outcomes = append(v.Outcomes, strings.ReplaceAll(o.String(), "_", " "))
		}
	}
	totals := make([]int, len(outcomes))
	for _, a := range sim.Actions() {
		byOutcome := r.Ops[a.String()]
		if len(byOutcome) == 0 {
			continue
		}
		row := actionRow{Action: a.String()}
		n := 0
		for i, o := range outcomes {
			row.ByOutcome = append(row.ByOutcome, countOrDash(byOutcome[o]))
			n += byOutcome[o]
			totals[i] += byOutcome[o]
		}
		row.Total = Thousands(n)
		if l, ok := r.ActionLatency[a.String()]; ok {
			row.P50, row.P90, row.P99, row.Max = latencyText(l.P50), latencyText(l.P90), latencyText(l.P99), latencyText(l.Max)
		}
		v.Actions = append(v.Actions, row)
	}
	v.Total = actionRow{Action: "all", Total: Thousands(r.OpsTotal), P50: latencyText(r.Latency.P50),
		P90: latencyText(r.Latency.P90), P99: latencyText(r.Latency.P99), Max: latencyText(r.Latency.Max)}
	for _, n := range totals {
		v.Total.ByOutcome = append(v.Total.ByOutcome, countOrDash(n))
	}
}

// runCharts draws the run's pace over wall time (throughput, latency,
// simulated time) and regret readability over simulated time, leaving
// out any chart without data.
func runCharts(r *Report, cols []Column) ([]chart, error) {
	thr := series{label: "operations per second"}
	p50, p99 := series{label: "p50"}, series{label: "p99"}
	clock := series{label: "simulated hours"}
	for _, s := range r.Timeline {
		thr.xy = append(thr.xy, plotter.XY{X: s.WallSeconds, Y: s.Throughput})
		p50.xy = append(p50.xy, plotter.XY{X: s.WallSeconds, Y: s.P50})
		p99.xy = append(p99.xy, plotter.XY{X: s.WallSeconds, Y: s.P99})
		clock.xy = append(clock.xy, plotter.XY{X: s.WallSeconds, Y: s.SimulatedSeconds / 3600})
	}
	regret := regretSeries(cols)
	const wall = "wall-clock seconds since the start"
	defs := []chartDef{
		{"throughput", "Throughput over the run", wall, "operations per second", "Operations applied per wall-clock second, in windows of 100 ms or more.", Row{Unit: Rate}, []series{thr}},
		{"latency", "Latency over the run", wall, "latency", "The 50th and 99th percentiles of operation latency in each window.", Row{Unit: Seconds}, []series{p50, p99}},
		{"clock", "Simulated time over the run", wall, "simulated hours", "How far the simulated clock had gone: its slope is the run's speed-up over real time.", Row{Unit: Count}, []series{clock}},
		{"regret", "Regretted messages still readable", "simulated hours", "messages", "How many messages their sender had deleted and a recipient could still read, over simulated time.", Row{Unit: Count}, regret},
	}
	return drawCharts(defs)
}

// plotted reports whether some series has a line to draw: two points or
// more, and a value other than zero.
func plotted(ss []series) bool {
	for _, s := range ss {
		if len(s.xy) < 2 {
			continue
		}
		for _, p := range s.xy {
			if p.Y != 0 {
				return true
			}
		}
	}
	return false
}

// hasData reports whether some value is neither missing nor zero.
func hasData(xs []float64) bool {
	for _, x := range xs {
		if !math.IsNaN(x) && x != 0 {
			return true
		}
	}
	return false
}

func allMissing(xs []float64) bool {
	for _, x := range xs {
		if !math.IsNaN(x) {
			return false
		}
	}
	return true
}

func countOrDash(n int) string {
	if n == 0 {
		return "–"
	}
	return Thousands(n)
}

func latencyText(s float64) string { return Row{Unit: Seconds}.Format(s) }

func secondsText(s float64) string { return fmt.Sprintf("%.2fs", s) }

// thresholdValue formats the value a threshold was judged on in its
// metric's unit, as the page's tables do.
func thresholdValue(t ThresholdResult) string {
	return t.format(latencyText, Row{Unit: Count}.Format)
}

var runPage = parsePage("run", `{{define "style"}}th, td { padding: 4px 8px; }
thead th { vertical-align: bottom; }
.verdict { font-size: 20px; font-weight: bold; padding: 0.4em 0.7em; border-radius: 4px; display: inline-block; }
.verdict.passed { background: #e6f4e6; color: #2a7a2a; } .verdict.failed { background: #fbe9e9; color: #b22; }
#operations thead th { max-width: 5em; }
td.text { text-align: left; white-space: normal; font-family: "Liberation Mono", monospace; font-size: 13px; }
td.text-plain { text-align: left; }
tfoot th, tfoot td { border-top: 2px solid #888; font-weight: bold; }
.held { color: #2a7a2a; } .broken { color: #b22; }
figure.realism { width: 560px; }
{{end}}{{template "head" .}}
<p id="verdict" class="verdict {{if .Passed}}passed{{else}}failed{{end}}">{{if .Passed}}PASS{{else}}FAIL{{end}}: {{.Verdict}}</p>
{{range .Notes}}<p class="note">{{.}}</p>
{{end}}
<h2>What it was judged on</h2>
{{if .Thresholds}}<table id="thresholds">
<thead><tr><th>threshold</th><th>value</th><th>held</th></tr></thead>
<tbody>
{{range .Thresholds}}<tr><th title="{{.Pos}}">{{.Threshold}}</th><td>{{.Value}}</td><td class="{{if .Held}}held{{else}}broken{{end}}">{{if .Held}}✓ yes{{else}}✗ no{{end}}</td></tr>
{{end}}</tbody>
</table>
{{else}}<p class="note">The scenario sets no thresholds.</p>
{{end}}
<p id="invariants">{{if .CheckSkipped}}Invariants not checked: {{.CheckSkipped}}.{{else}}Invariants: {{.Checked}} checked, <span class="{{if .Invariants.Violations}}broken{{else}}held{{end}}">{{.Invariants.Violations}} violations</span>.{{end}}</p>
{{if .Invariants.Details}}<ul>{{range .Invariants.Details}}<li class="broken">{{.}}</li>{{end}}</ul>{{end}}
{{with .Expectations}}{{if or .Passed .Failed}}<p id="expectations">Expectations: {{.Passed}} passed, <span class="{{if .Failed}}broken{{else}}held{{end}}">{{.Failed}} failed</span>.</p>
{{if .Failures}}<table id="failures">
<thead><tr><th>where</th><th>step</th><th>expected</th><th>saw</th></tr></thead>
<tbody>
{{range .Failures}}<tr><th>{{.Pos}}</th><td class="text">{{.Step}}</td><td class="text">{{.Expected}}</td><td class="text">{{.Seen}}</td></tr>
{{end}}</tbody>
</table>
{{end}}{{end}}{{end}}
<h2>Operations</h2>
<table id="operations">
<thead><tr><th>action</th><th>total</th>{{range .Outcomes}}<th>{{.}}</th>{{end}}<th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead>
<tbody>
{{range .Actions}}<tr><th>{{.Action}}</th><td>{{.Total}}</td>{{range .ByOutcome}}<td>{{.}}</td>{{end}}<td>{{.P50}}</td><td>{{.P90}}</td><td>{{.P99}}</td><td>{{.Max}}</td></tr>
{{end}}</tbody>
<tfoot>{{with .Total}}<tr><th>{{.Action}}</th><td>{{.Total}}</td>{{range .ByOutcome}}<td>{{.}}</td>{{end}}<td>{{.P50}}</td><td>{{.P90}}</td><td>{{.P99}}</td><td>{{.Max}}</td></tr>{{end}}</tfoot>
</table>
{{if .Measures}}
<h2>Measures</h2>
<table id="measures">
<thead><tr><th>measure</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Measures}}<tr><th title="{{.Doc}}">{{.Name}}</th>{{range .Cells}}<td>{{.Value}}{{if .Delta}}<span class="delta">({{.Delta}})</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{if gt (len .Columns) 1}}<p class="note">In parentheses: the difference to the whole run.</p>{{end}}
{{if .MeasureCharts}}<p class="legend">{{range .Legend}}<span class="swatch" style="background: {{.Colour}}"></span>{{.Label}} {{end}}</p>
<div class="grid">
{{range .MeasureCharts}}<figure class="chart measure" id="{{.ID}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>{{end}}
{{end}}
{{if .Realism}}<h2>How realistic</h2>
<table id="realism">
<tbody>
{{range .Realism}}<tr><th title="{{.Doc}}">{{.Name}}</th><td class="text-plain">{{.Value}}</td></tr>
{{end}}</tbody>
</table>
{{if .RealismCharts}}<div class="grid">
{{range .RealismCharts}}<figure class="chart realism" id="{{.ID}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>{{end}}
{{end}}
{{if .RunCharts}}<h2>Over the run</h2>
{{range .RunCharts}}<figure class="chart run" id="{{.ID}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{end}}
{{if .Definitions}}<h2>Definitions</h2>
<dl>
{{range .Definitions}}<dt>{{.Name}}</dt><dd>{{.Doc}}</dd>
{{end}}</dl>{{end}}
</body>
</html>
`)
