package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/msgsim/msgsim/sim"
)

// realismRow is one figure of how realistic a run's traffic was.
type realismRow struct{ Name, Value, Doc string }

// realismRows lists a run's realism figures for the HTML page's table,
// each with what it means (Realism documents the fields; the text
// summary prints a shorter form of its own).
func realismRows(z *Realism) []realismRow {
	pct := func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }
	secs := func(s float64) string { return durationText(s) }
	num := func(x float64) string { return Thousands(int(math.Round(x))) }
	m, d, a := z.MessagesPerThread, z.ReplyDelaySeconds, z.ActiveThreadsPerUser
	threads := "p50 " + num(m.P50) + " · p90 " + num(m.P90)
	if m.P99 != nil && m.Max != nil {
		threads += " · p99 " + num(*m.P99) + " · max " + num(*m.Max)
	}
	rows := []realismRow{
		{"replies", pct(z.ReplyShare) + " of direct messages", "Messages of direct threads that answer the other member: the thread's previous message is theirs."},
		{"reply delay", "p50 " + secs(d.P50) + " · p90 " + secs(d.P90), "Simulated time from the message answered to the answer."},
		{"messages a thread", threads, "Messages stored in a thread, over the threads with one at least."},
		{"busiest 1% of senders", pct(z.Top1pctSenderShare) + " of messages", "Share of the stored messages that the most active 1% of their authors wrote."},
		{"threads a user", "p50 " + num(a.P50) + " · p90 " + num(a.P90), "Threads with messages that a user is or was a member of."},
	}
	var nf string
	for _, act := range sim.Actions() {
		if x, ok := z.NotFoundShare[act.String()]; ok && x > 0 {
			if nf != "" {
				nf += " · "
			}
			nf += act.String() + " " + strconv.FormatFloat(100*x, 'f', 2, 64) + "%"
		}
	}
	if nf == "" {
		nf = "none"
	}
	return append(rows, realismRow{"not_found", nf, "Share of each action's operations answered not_found: a thread or message the user did not have."})
}

// durationText formats seconds as the largest unit that keeps a whole
// number: 45s, 12m, 7.6h, 3.2d.
func durationText(s float64) string {
	for _, u := range []struct {
		unit string
		secs float64
	}{{"d", 86400}, {"h", 3600}, {"m", 60}} {
		if s >= u.secs {
			return strconv.FormatFloat(s/u.secs, 'f', decimals(s/u.secs), 64) + u.unit
		}
	}
	return strconv.FormatFloat(s, 'f', decimals(s), 64) + "s"
}

// decimals is how many a figure of about x needs: one below 10.
func decimals(x float64) int {
	if x < 10 {
		return 1
	}
	return 0
}

// realismCharts draws the distributions of thread length and reply delay
// on log scales, leaving out a chart with fewer than two bins of data.
func realismCharts(z *Realism) ([]chart, error) {
	if z == nil {
		return nil, nil
	}
	defs := []struct {
		id, title, x, y, caption string
		bins                     []Bin
		ticks                    plot.Ticker
	}{
		{"thread-lengths", "Messages a thread", "messages in the thread", "threads",
			"Threads by the number of messages they store, in bins that double: a point at x counts the threads of more than x/2 and at most x messages. A straight line falling on these log scales is a power law.",
			z.ThreadLengths, logTicks{format: compact}},
		{"reply-delays", "Reply delays", "delay (simulated)", "replies",
			"Answers in direct threads by the simulated time since the message they answer, in bins that double (the first holds everything up to a second).",
			z.ReplyDelays, timeTicks{}},
	}
	var out []chart
	for _, d := range defs {
		if nonEmpty(d.bins) < 2 {
			continue
		}
		svg, err := histogramChart(d.title, d.x, d.y, d.bins, d.ticks)
		if err != nil {
			return nil, err
		}
		out = append(out, chart{ID: d.id, Caption: d.caption, SVG: svg})
	}
	return out, nil
}

func nonEmpty(bins []Bin) int {
	n := 0
	for _, b := range bins {
		if b.Count > 0 && b.Upto > 0 {
			n++
		}
	}
	return n
}

// histogramChart draws power-of-two bins as points at their upper bound,
// on log scales; an empty bin breaks the line, as a log scale has no
// zero.
func histogramChart(title, xLabel, yLabel string, bins []Bin, xTicks plot.Ticker) (template.HTML, error) {
	p := newPlot(title)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = xTicks, logTicks{format: compact}
	p.Add(plotter.NewGrid())
	var run plotter.XYs
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		l, pts, err := plotter.NewLinePoints(run)
		if err != nil {
			return err
		}
		l.Color, pts.Color = colour(0), colour(0)
		l.Width = vg.Points(1.6)
		pts.Radius = vg.Points(2.2)
		p.Add(l, pts)
		run = nil
		return nil
	}
	lo, hi, top := math.Inf(1), 0.0, 0.0
	for _, b := range bins {
		if b.Count <= 0 || b.Upto <= 0 {
			if err := flush(); err != nil {
				return "", err
			}
			continue
		}
		run = append(run, plotter.XY{X: b.Upto, Y: float64(b.Count)})
		lo, hi, top = math.Min(lo, b.Upto), math.Max(hi, b.Upto), math.Max(top, float64(b.Count))
	}
	if err := flush(); err != nil {
		return "", err
	}
	if hi == 0 {
		return "", fmt.Errorf("report: %s: no bin to draw", title)
	}
	// A margin of half a bin each side, and room above the highest count.
	p.X.Min, p.X.Max = lo/1.5, hi*1.5
	p.Y.Min, p.Y.Max = 0.7, top*2
	return render(p, 5.4*vg.Inch, 3*vg.Inch)
}

// logTicks marks the powers of ten on a log axis, labelled by format
// (every other one when there are more than seven, so that labels keep
// apart), with unlabelled minor ticks at 2 to 9 times each.
type logTicks struct{ format func(float64) string }

func (l logTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	step := 1
	if last-first > 7 {
		step = 2
	}
	var ts []plot.Tick
	for e := first; e <= last; e++ {
		decade := math.Pow(10, float64(e))
		if decade >= lo && decade <= hi {
			label := ""
			if e%step == 0 { // even powers when every other one: 1, 100, 10k
				label = l.format(decade)
			}
			ts = append(ts, plot.Tick{Value: decade, Label: label})
		}
		for k := 2.0; k < 10; k++ {
			if v := k * decade; v >= lo && v <= hi {
				ts = append(ts, plot.Tick{Value: v})
			}
		}
	}
	return ts
}

// compact formats a power of ten: 1, 10, 100, 1k, 10k, 100k, 1M, ...
func compact(x float64) string {
	for _, u := range []struct {
		suffix string
		size   float64
	}{{"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if x >= u.size {
			return strconv.FormatFloat(x/u.size, 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// timeTicks marks a log axis of seconds at the units people read
// delays in: 1s, 10s, 1m, 10m, 1h, 1d, 1w, 30d, 1y.
type timeTicks struct{}

var delayMarks = []struct {
	secs  float64
	label string
}{{1, "1s"}, {10, "10s"}, {60, "1m"}, {600, "10m"}, {3600, "1h"}, {86400, "1d"}, {7 * 86400, "1w"}, {30 * 86400, "30d"}, {365 * 86400, "1y"}}

func (timeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, m := range delayMarks {
		if m.secs >= lo && m.secs <= hi {
			ts = append(ts, plot.Tick{Value: m.secs, Label: m.label})
		}
	}
	if len(ts) < 2 { // a narrow range: powers of ten in seconds
		return logTicks{format: func(s float64) string { return compact(s) + "s" }}.Ticks(lo, hi)
	}
	return ts
}
