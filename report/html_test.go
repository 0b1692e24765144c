package report

import (
	"bytes"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/msgsim/msgsim/sim"
)

func fakeRun(policy string, readable int) *Report {
	curve := make([]sim.CurvePoint, sim.CurvePoints)
	for i := range curve {
		curve[i] = sim.CurvePoint{Seconds: float64(i) * 900, Value: readable * i / (sim.CurvePoints - 1)}
	}
	return &Report{Scenario: "s", Policy: policy, Mode: "deterministic", Seed: 1, OpsTotal: 1000, Passed: true,
		Throughput: 5e4, Latency: Latency{P99: 2e-5},
		Measures: &sim.Measures{Regretted: 10, RegrettedReadable: readable, StoredBytes: 4096, RegretCurve: curve},
		Timeline: []Sample{{WallSeconds: 0.1, Ops: 500, Throughput: 5000, P99: 1e-5}, {WallSeconds: 0.2, Ops: 1000, Throughput: 5000, P99: 2e-5}}}
}

// measuresWithData is how many policy measures have a value other than
// zero in some run: each gets a chart.
func measuresWithData(runs []*Report) int {
	n := 0
	for _, r := range Rows(PolicyColumns(runs)) {
		for _, v := range r.Values {
			if r.IsMeasure() && v != 0 && !math.IsNaN(v) {
				n++
				break
			}
		}
	}
	return n
}

func TestWritePolicies(t *testing.T) {
	var b bytes.Buffer
	runs := []*Report{fakeRun("linkedin", 10), fakeRun("linkedin-recall", 1), fakeRun(`<b>"odd"</b>`, 0)}
	runs[2].Passed = false
	runs[2].Invariants.Violations = 3
	if err := Write(&b, Page{Title: "regret & recall", Runs: runs}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	if n, want := strings.Count(html, "<svg"), measuresWithData(runs)+3; n != want {
		t.Errorf("%d charts, want %d (one per measure with data and three over the run)", n, want)
	}
	if n := strings.Count(html, `<figure class="chart`); n != strings.Count(html, "<svg") {
		t.Errorf("%d figures for %d charts", n, strings.Count(html, "<svg"))
	}
	for _, want := range []string{
		`<table id="comparison">`, "<th>linkedin-recall</th>", "regretted, still readable", "(-9)",
		"In parentheses: the difference to linkedin.", "regret &amp; recall", "&lt;b&gt;&#34;odd&#34;&lt;/b&gt;",
		"3 invariant violations", `id="regret"`, `id="throughput"`, `id="latency"`, `id="measure-stored_bytes"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, `<b>"odd"`) {
		t.Error("a policy name went into the page unescaped")
	}
	if err := Write(&b, Page{}); !errors.Is(err, ErrNoRuns) {
		t.Errorf("a page without runs: %v", err)
	}
}

// TestWriteCohorts: a single run with cohorts compares its cohorts'
// measures on its own page.
func TestWriteCohorts(t *testing.T) {
	run := fakeRun("linkedin", 4)
	run.Cohorts = []CohortReport{
		{Name: "control", Policy: "linkedin", Measures: *run.Measures},
		{Name: "treatment", Policy: "linkedin-recall", Measures: sim.Measures{Regretted: 5}},
	}
	var b bytes.Buffer
	if err := Write(&b, Page{Title: "ab", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	for _, want := range []string{`<table id="measures">`, "<th>whole run</th>", "<th>control (linkedin)</th>", "<th>treatment (linkedin-recall)</th>",
		`id="measure-regretted"`, "In parentheses: the difference to the whole run."} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// TestWriteRun: the page of a single run is its own: verdict, thresholds
// in their units, operations by action with their latencies, measures,
// and the charts over the run that have data, names escaped.
func TestWriteRun(t *testing.T) {
	run := fakeRun(`<i>x</i>`, 3)
	run.Scenario, run.Users = "s", 1000
	run.Ops = OpTable{"send": {"ok": 900, "blocked": 12}, "delete": {"ok": 88}}
	run.ActionLatency = map[string]Latency{"send": {P50: 1e-5, P90: 2e-5, P99: 4e-5, Max: 1e-3}, "delete": {P50: 3e-6, P90: 5e-6, P99: 8e-6, Max: 2e-5}}
	run.Thresholds = []ThresholdResult{{Threshold: "throughput >= 20000", Value: 51234.5, Held: true},
		{Threshold: "p99_latency < 10us", Value: 2e-5, Held: false}}
	run.Passed = false
	run.Timeline[0].SimulatedSeconds, run.Timeline[1].SimulatedSeconds = 1800, 3600
	var b bytes.Buffer
	if err := Write(&b, Page{Title: "one run", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	for _, want := range []string{
		`<p id="verdict" class="verdict failed">FAIL: failed: threshold p99_latency &lt; 10us</p>`,
		`<th title="">throughput &gt;= 20000</th><td>51,234 ops/s</td><td class="held">✓ yes</td>`,
		`<td>20µs</td><td class="broken">✗ no</td>`,
		`<thead><tr><th>action</th><th>total</th><th>ok</th><th>blocked</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead>`,
		`<tr><th>send</th><td>912</td><td>900</td><td>12</td><td>10µs</td><td>20µs</td><td>40µs</td><td>1ms</td></tr>`,
		`<tr><th>delete</th><td>88</td><td>88</td><td>–</td><td>3µs</td>`,
		`<table id="measures">`, "<th>&lt;i&gt;x&lt;/i&gt;</th>", `id="throughput"`, `id="latency"`, `id="clock"`, `id="regret"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, `<table id="comparison">`) || strings.Contains(html, `id="measure-`) {
		t.Error("a single run's page is the comparison's, or draws one bar per chart")
	}
	// Charts without data are left out.
	run.Timeline, run.Measures.RegretCurve = nil, nil
	b.Reset()
	if err := Write(&b, Page{Title: "one run", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<svg"); n != 0 {
		t.Errorf("%d charts without data", n)
	}
}

// checkSelfContained fails when the page would fetch anything: no
// scripts, links, images, imports or URLs besides XML namespace names.
func checkSelfContained(t *testing.T, html string) {
	t.Helper()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)<link`), regexp.MustCompile(`(?i)<img`),
		regexp.MustCompile(`(?i)@import`), regexp.MustCompile(`(?i)url\(`), regexp.MustCompile(`(?i)\bsrc=`),
		regexp.MustCompile(`(?i)href="(https?:)?//`),
	} {
		if loc := bad.FindStringIndex(html); loc != nil {
			t.Errorf("the page is not self-contained: %q", html[max(loc[0]-40, 0):min(loc[1]+40, len(html))])
		}
	}
	urls := regexp.MustCompile(`https?://[^"' <)]+`).FindAllString(html, -1)
	for _, u := range urls {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page names a URL: %s", u)
		}
	}
}

// TestWriteRunRealism: a run's realism figures are tabled, and its
// distributions drawn on log scales, each chart left out when it has
// fewer than two bins with data.
func TestWriteRunRealism(t *testing.T) {
	p99, most := 40.0, 1500.0
	run := fakeRun("linkedin", 0)
	run.Realism = &Realism{
		NotFoundShare:        map[string]float64{"read": 0.0042, "send": 0, "archive": 0.001},
		ReplyShare:           0.5,
		ReplyDelaySeconds:    Spread{P50: 1860, P90: 27000},
		MessagesPerThread:    Spread{P50: 3, P90: 17, P99: &p99, Max: &most},
		Top1pctSenderShare:   0.092,
		ActiveThreadsPerUser: Spread{P50: 6, P90: 11},
		ThreadLengths:        []Bin{{Upto: 1, Count: 4000}, {Upto: 2, Count: 2800}, {Upto: 4, Count: 0}, {Upto: 8, Count: 30}, {Upto: 2048, Count: 1}},
		ReplyDelays:          []Bin{{Upto: 1, Count: 20}, {Upto: 2, Count: 27}, {Upto: 4096, Count: 10297}, {Upto: 1 << 21, Count: 3}},
	}
	var b bytes.Buffer
	if err := Write(&b, Page{Title: "one run", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	for _, want := range []string{
		`<table id="realism">`, `<td class="text-plain">50.0% of direct messages</td>`, `p50 31m · p90 7.5h`,
		`p50 3 · p90 17 · p99 40 · max 1,500`, `9.2% of messages`, `archive 0.10% · read 0.42%`,
		`id="thread-lengths"`, `id="reply-delays"`, `aria-label="Messages a thread"`, `aria-label="Reply delays"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(html, "send 0") {
		t.Error("an action without not_found is listed")
	}
	// One bin with data draws no line: that chart is left out.
	run.Realism.ReplyDelays = []Bin{{Upto: 1, Count: 0}, {Upto: 2, Count: 5}}
	b.Reset()
	if err := Write(&b, Page{Title: "one run", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	if html := b.String(); !strings.Contains(html, `id="thread-lengths"`) || strings.Contains(html, `id="reply-delays"`) {
		t.Error("want the thread lengths' chart alone when the delays have one bin")
	}
	run.Realism = nil
	b.Reset()
	if err := Write(&b, Page{Title: "one run", Runs: []*Report{run}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "How realistic") {
		t.Error("a run without realism figures has the section")
	}
}

// TestLogTicks: labelled ticks on a log axis fall on the units named,
// every decade or every other one, and never two labels within a
// decade of each other when the range is wide.
func TestLogTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var out []string
		for _, tk := range ts {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
			if tk.Value <= 0 {
				t.Errorf("a tick at %v on a log scale", tk.Value)
			}
		}
		return out
	}
	for _, tc := range []struct {
		ticker plot.Ticker
		lo, hi float64
		want   string
	}{
		{logTicks{format: compact}, 0.7, 20000, "1 10 100 1k 10k"},
		{logTicks{format: compact}, 0.7, 3e9, "1 100 10k 1M 100M"},
		{timeTicks{}, 0.6, 400000, "1s 10s 1m 10m 1h 1d"},
		{timeTicks{}, 0.6, 40, "1s 10s"},
		{timeTicks{}, 2, 50, "10s"},
	} {
		if got := strings.Join(labels(tc.ticker.Ticks(tc.lo, tc.hi)), " "); got != tc.want {
			t.Errorf("%T over [%v, %v]: labels %q, want %q", tc.ticker, tc.lo, tc.hi, got, tc.want)
		}
	}
}
