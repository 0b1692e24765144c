package report

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/sim"
)

func fakeRun(policy string, readable int) *runner.Report {
	curve := make([]sim.CurvePoint, sim.CurvePoints)
	for i := range curve {
		curve[i] = sim.CurvePoint{Seconds: float64(i) * 900, Value: readable * i / (sim.CurvePoints - 1)}
	}
	return &runner.Report{Scenario: "s", Policy: policy, Mode: "deterministic", Seed: 1, OpsTotal: 1000, Passed: true,
		Throughput: 5e4, Latency: runner.Latency{P99: 2e-5},
		Measures: &sim.Measures{Regretted: 10, RegrettedReadable: readable, StoredBytes: 4096, RegretCurve: curve},
		Timeline: []runner.Sample{{WallSeconds: 0.1, Ops: 500, Throughput: 5000, P99: 1e-5}, {WallSeconds: 0.2, Ops: 1000, Throughput: 5000, P99: 2e-5}}}
}

// measureCount is how many policy measures the table shows.
func measureCount() int {
	n := 0
	for _, r := range runner.Rows(nil) {
		if r.IsMeasure() {
			n++
		}
	}
	return n
}

func TestWritePolicies(t *testing.T) {
	var b bytes.Buffer
	runs := []*runner.Report{fakeRun("linkedin", 10), fakeRun("linkedin-recall", 1), fakeRun(`<b>"odd"</b>`, 0)}
	runs[2].Passed = false
	runs[2].Invariants.Violations = 3
	if err := Write(&b, Page{Title: "regret & recall", Runs: runs}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	if n, want := strings.Count(html, "<svg"), measureCount()+3; n != want {
		t.Errorf("%d charts, want %d (one per measure and three over the run)", n, want)
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

// TestWriteCohorts: a single run with cohorts compares its cohorts.
func TestWriteCohorts(t *testing.T) {
	run := fakeRun("linkedin", 4)
	run.Cohorts = []runner.CohortReport{
		{Name: "control", Policy: "linkedin", Measures: *run.Measures},
		{Name: "treatment", Policy: "linkedin-recall", Measures: sim.Measures{Regretted: 5}},
	}
	var b bytes.Buffer
	if err := Write(&b, Page{Title: "ab", Runs: []*runner.Report{run}}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	checkSelfContained(t, html)
	for _, want := range []string{"<th>whole run</th>", "<th>control (linkedin)</th>", "<th>treatment (linkedin-recall)</th>", "for each of the cohorts"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
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
