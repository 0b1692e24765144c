package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// palette colours the series: one colour per policy or cohort, in order
// (Tableau 10, readable by most colour-blind people).
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff},
	{0x59, 0xa1, 0x4f, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	{0x9c, 0x75, 0x5f, 0xff}, {0xba, 0xb0, 0xac, 0xff},
}

func colour(i int) color.Color { return palette[i%len(palette)] }

// legendItem is one column's colour and label, for the legend of the
// measure charts.
type legendItem struct {
	Label  string
	Colour template.CSS
}

// legend returns the colours of columns labelled labels.
func legend(labels []string) []legendItem {
	items := make([]legendItem, len(labels))
	for i, l := range labels {
		c := palette[i%len(palette)]
		items[i] = legendItem{Label: l, Colour: template.CSS(fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B))} // #nosec G203: built from numbers
	}
	return items
}

// sans is the charts' typeface; vgsvg names it in the SVG, and a browser
// without it falls back to its own sans-serif.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the report's look.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 11)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 10)
		a.Tick.Label.Font = font.From(sans, 9)
	}
	p.Legend.TextStyle.Font = font.From(sans, 9)
	p.Legend.Top = true
	p.BackgroundColor = color.Transparent
	return p
}

// unitTicks labels the default ticks in a row's unit.
type unitTicks struct{ row Row }

func (u unitTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		whole := ts[i].Value == math.Trunc(ts[i].Value)
		switch {
		case ts[i].Label == "":
		case !whole && (u.row.Unit == Count || u.row.Unit == Rate):
			ts[i].Label = "" // no half messages
		default:
			ts[i].Label = u.row.Format(ts[i].Value)
		}
	}
	return ts
}

// measureChart draws one bar per column for a row, in the columns'
// colours (legend).
func measureChart(row Row, labels []string) (template.HTML, error) {
	p := newPlot(row.Name)
	top := 0.0
	for i, v := range row.Values {
		if math.IsNaN(v) {
			v = 0
		}
		top = math.Max(top, v)
		b, err := plotter.NewBarChart(plotter.Values{v}, vg.Points(28))
		if err != nil {
			return "", err
		}
		b.XMin = float64(i)
		b.Color = colour(i)
		b.LineStyle.Width = 0
		p.Add(b)
	}
	// The bars are told apart by colour, in the page's legend: policy
	// and cohort names under bars this narrow ran into each other.
	p.X.Tick.Marker = plot.ConstantTicks(nil)
	p.X.Min, p.X.Max = -0.6, float64(len(labels))-0.4
	p.Y.Min, p.Y.Max = 0, top*1.1
	if top == 0 {
		p.Y.Max = 1
	}
	p.Y.Tick.Marker = unitTicks{row}
	p.Add(plotter.NewGrid())
	return render(p, 3.4*vg.Inch, 2.4*vg.Inch)
}

// series is one line of a line chart.
type series struct {
	label string
	xy    plotter.XYs
}

// lineChart draws series over a shared x axis.
func lineChart(title, xLabel, yLabel string, yFormat Row, ss []series) (template.HTML, error) {
	p := newPlot(title)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	empty := true
	for i, s := range ss {
		if len(s.xy) == 0 {
			continue
		}
		empty = false
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return "", err
		}
		l.Color = colour(i)
		l.Width = vg.Points(1.6)
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	if empty {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	}
	p.Y.Min = math.Min(p.Y.Min, 0)
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	// Room above the lines for the legend, a line of 9-point text and
	// its padding per series in a plot about 150 points high.
	lines := 0
	for _, s := range ss {
		if len(s.xy) > 0 {
			lines++
		}
	}
	p.Y.Max *= 1 + 0.1*float64(max(lines, 1))
	p.Legend.Padding = vg.Points(2)
	p.Legend.Left = growing(ss) // a rising curve leaves the top left free
	p.Y.Tick.Marker = unitTicks{yFormat}
	p.Add(plotter.NewGrid())
	return render(p, 7*vg.Inch, 3*vg.Inch)
}

// growing reports whether every series ends at least as high as it
// starts.
func growing(ss []series) bool {
	for _, s := range ss {
		if n := len(s.xy); n > 1 && s.xy[n-1].Y < s.xy[0].Y {
			return false
		}
	}
	return true
}

// render draws p as an inline SVG element.
func render(p *plot.Plot, w, h vg.Length) (template.HTML, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("report: the plot rendered no SVG element")
	}
	// The prolog and comment before <svg> do not belong inside HTML. The
	// SVG is ours, drawn from numbers, so it is safe to inline.
	return template.HTML(`<svg role="img" aria-label="` + template.HTMLEscapeString(p.Title.Text) + `"` + s[i+len("<svg"):]), nil // #nosec G203
}
