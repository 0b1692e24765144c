package report

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"gonum.org/v1/plot/plotter"
)

// Page is one report: the runs of one workload under several policies (the
// first is the baseline), side by side; or a single run, on a page of its
// own (its verdict, thresholds, operations and latencies by action,
// measures, and charts over the run), whose cohorts, when it has them,
// become the measures' columns.
type Page struct {
	Title string
	Runs  []*Report
	// NotRun names the policies a comparison did not run (interrupted).
	NotRun []string
}

// ErrNoRuns is returned for a page without runs.
var ErrNoRuns = errors.New("report: no runs to report")

// Write renders p as one self-contained HTML page to w.
func Write(w io.Writer, p Page) error {
	if len(p.Runs) == 0 {
		return ErrNoRuns
	}
	if len(p.Runs) == 1 && len(p.NotRun) == 0 {
		return writeRun(w, p.Title, p.Runs[0])
	}
	v, err := build(p)
	if err != nil {
		return err
	}
	return page.Execute(w, v)
}

// view is what the template shows.
type view struct {
	Title, Subtitle string
	Columns         []string
	Rows            []tableRow
	Baseline        string
	MeasureCharts   []chart
	Legend          []legendItem
	RunCharts       []chart
	Definitions     []Row
	Verdicts        []verdict
}

type tableRow struct {
	Name, Doc string
	Cells     []cell
}

type cell struct{ Value, Delta string }

// newTableRow formats row's values, each after the first with its
// difference to the first.
func newTableRow(row Row) tableRow {
	tr := tableRow{Name: row.Name, Doc: row.Doc}
	for i, x := range row.Values {
		c := cell{Value: row.Format(x)}
		if i > 0 {
			c.Delta = row.Delta(x, row.Values[0])
		}
		tr.Cells = append(tr.Cells, c)
	}
	return tr
}

type chart struct {
	ID, Caption string
	SVG         template.HTML
}

type verdict struct {
	Label, Text string
	Passed      bool
}

func build(p Page) (*view, error) {
	first := p.Runs[0]
	cols := PolicyColumns(p.Runs)
	for i := range cols {
		if p.Runs[i].Interrupted {
			cols[i].Label += " (interrupted)"
		}
	}
	v := &view{Title: p.Title, Baseline: cols[0].Label}
	v.Subtitle = fmt.Sprintf("seed %d · mode %s · %s operations per run · %s simulated", first.Seed, first.Mode,
		Thousands(first.OpsTotal), time.Duration(first.SimulatedSeconds*float64(time.Second)).Round(time.Second))
	for _, c := range cols {
		v.Columns = append(v.Columns, c.Label)
	}
	v.Legend = legend(v.Columns)
	rows := Rows(cols)
	for _, row := range rows {
		v.Rows = append(v.Rows, newTableRow(row))
		if row.IsMeasure() {
			v.Definitions = append(v.Definitions, row)
			if !hasData(row.Values) {
				continue // no bars to draw
			}
			svg, err := measureChart(row, v.Columns)
			if err != nil {
				return nil, err
			}
			v.MeasureCharts = append(v.MeasureCharts, chart{ID: "measure-" + row.Key, Caption: row.Doc, SVG: svg})
		}
	}
	runCharts, err := overTheRun(p.Runs, cols)
	if err != nil {
		return nil, err
	}
	v.RunCharts = runCharts
	for _, r := range p.Runs {
		v.Verdicts = append(v.Verdicts, verdict{Label: r.Policy, Passed: r.Passed, Text: verdictText(r)})
	}
	for _, name := range p.NotRun {
		v.Verdicts = append(v.Verdicts, verdict{Label: name, Text: "not run: the comparison was interrupted"})
	}
	for _, r := range p.Runs {
		if r.Interrupted || len(p.NotRun) > 0 {
			v.Subtitle += " · interrupted: a run marked (interrupted) covers less work than the others, and its differences with them compare unequal runs"
			break
		}
	}
	return v, nil
}

// overTheRun draws throughput and latency over wall time, one line per
// run, and regret readability over simulated time, one line per policy.
func overTheRun(runs []*Report, cols []Column) ([]chart, error) {
	var thr, lat []series
	for _, r := range runs {
		t, l := series{label: r.Policy}, series{label: r.Policy}
		for _, s := range r.Timeline {
			t.xy = append(t.xy, plotter.XY{X: s.WallSeconds, Y: s.Throughput})
			l.xy = append(l.xy, plotter.XY{X: s.WallSeconds, Y: s.P99})
		}
		thr, lat = append(thr, t), append(lat, l)
	}
	regret := regretSeries(cols)
	rate := Row{Unit: Rate}
	secs := Row{Unit: Seconds}
	count := Row{Unit: Count}
	defs := []chartDef{
		{"throughput", "Throughput over the run", "wall-clock seconds since the start", "operations per second", "Operations applied per wall-clock second, in windows of 100 ms or more, for each run.", rate, thr},
		{"latency", "p99 latency over the run", "wall-clock seconds since the start", "p99 latency", "The 99th percentile of operation latency in each window, for each run.", secs, lat},
		{"regret", "Regretted messages still readable", "simulated hours", "messages", "How many messages their sender had deleted and a recipient could still read, over simulated time, for each of the policies.", count, regret},
	}
	return drawCharts(defs)
}

func verdictText(r *Report) string {
	if r.Passed {
		return fmt.Sprintf("passed: %s operations, %d invariant violations", Thousands(r.OpsTotal), r.Invariants.Violations)
	}
	return "failed: " + strings.Join(r.Reasons(), ", ")
}

var page = parsePage("page", `{{define "style"}}th, td { padding: 4px 10px; }
.passed { color: #2a7a2a; } .failed { color: #b22; }
{{end}}{{template "head" .}}

<h2>Side by side</h2>
<table id="comparison">
<thead><tr><th>measure</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><th title="{{.Doc}}">{{.Name}}</th>{{range .Cells}}<td>{{.Value}}{{if .Delta}}<span class="delta">({{.Delta}})</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{if gt (len .Columns) 1}}<p class="subtitle">In parentheses: the difference to {{.Baseline}}.</p>{{end}}

<h2>Outcome measures</h2>
<p class="legend">{{range .Legend}}<span class="swatch" style="background: {{.Colour}}"></span>{{.Label}} {{end}}</p>
<div class="grid">
{{range .MeasureCharts}}<figure class="chart measure" id="{{.ID}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div>

<h2>Over the run</h2>
{{range .RunCharts}}<figure class="chart run" id="{{.ID}}">{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}

<h2>Verdicts</h2>
<ul>
{{range .Verdicts}}<li><b>{{.Label}}</b>: <span class="{{if .Passed}}passed{{else}}failed{{end}}">{{.Text}}</span></li>
{{end}}</ul>

<h2>Definitions</h2>
<dl>
{{range .Definitions}}<dt>{{.Name}}</dt><dd>{{.Doc}}</dd>
{{end}}</dl>
</body>
</html>
`)

// chartDef is a line chart to draw: its element id, title, axis labels,
// caption, the unit of its values and its series.
type chartDef struct {
	id, title, x, y, caption string
	unit                     Row
	ss                       []series
}

// drawCharts draws the charts of defs that have a line to draw, leaving
// out those without data.
func drawCharts(defs []chartDef) ([]chart, error) {
	var out []chart
	for _, d := range defs {
		if !plotted(d.ss) {
			continue
		}
		svg, err := lineChart(d.title, d.x, d.y, d.unit, d.ss)
		if err != nil {
			return nil, err
		}
		out = append(out, chart{ID: d.id, Caption: d.caption, SVG: svg})
	}
	return out, nil
}

// regretSeries returns, for each column, its regretted messages still
// readable over simulated hours.
func regretSeries(cols []Column) []series {
	var regret []series
	for _, c := range cols {
		s := series{label: c.Label}
		if c.Measures != nil {
			for _, pt := range c.Measures.RegretCurve {
				s.xy = append(s.xy, plotter.XY{X: pt.Seconds / 3600, Y: float64(pt.Value)})
			}
		}
		regret = append(regret, s)
	}
	return regret
}
