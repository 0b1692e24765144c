package main

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium returns the path of a Chromium or Chrome binary. Without one
// the test is skipped, or fails when MSGSIM_REQUIRE_INTEGRATION=1.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	skipIntegration(t, "chromium", "no chromium to open the HTML report in; install it with: apt-get install chromium")
	return ""
}

// The browser window the pages are opened in: a laptop's width.
const windowWidth, windowHeight = 1280, 3000

// headless runs the browser on a file with the given extra flags, offline
// and with a profile of its own, in a window of windowWidth by
// windowHeight, and returns its stdout and stderr.
func headless(t *testing.T, browser, page string, flags ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), fmt.Sprintf("--window-size=%d,%d", windowWidth, windowHeight), "--enable-logging=stderr", "--v=0"}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, "file://"+page)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// probe is a script the test adds to a copy of the page: it records any
// error, then on load counts the table rows, the charts that drew
// something, and the pairs of texts in one chart (tick labels, axis
// labels, titles, legends) whose boxes overlap by more than a pixel,
// into an attribute that --dump-dom shows.
const probe = `<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
window.addEventListener("load", function () {
  var charts = document.querySelectorAll("figure.chart");
  var drawn = 0;
  charts.forEach(function (f) {
    var svg = f.querySelector("svg");
    if (!svg) return;
    var r = svg.getBoundingClientRect();
    if (r.width > 100 && r.height > 100 && svg.querySelectorAll("path").length > 3 && svg.querySelectorAll("text").length > 2) drawn++;
  });
  var overlaps = [];
  document.querySelectorAll("svg").forEach(function (svg) {
    var texts = Array.prototype.filter.call(svg.querySelectorAll("text"), function (t) { return t.textContent.trim() !== ""; });
    var boxes = texts.map(function (t) { return t.getBoundingClientRect(); });
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          overlaps.push(texts[i].textContent + "|" + texts[j].textContent);
        }
      }
    }
  });
  var table = document.querySelector("#comparison") ? "#comparison" : "#operations";
  var rows = document.querySelectorAll(table + " tbody tr").length;
  var cols = document.querySelectorAll(table + " thead th").length;
  document.body.setAttribute("data-probe", "charts=" + charts.length + " drawn=" + drawn + " rows=" + rows + " cols=" + cols + " errors=" + window.__errors.length + " overlaps=" + overlaps.length);
  document.body.setAttribute("data-overlaps", overlaps.join(";"));
});
</script>`

// TestCompareHTMLInChromium opens compare's HTML report in headless
// Chromium: the page must render the table and every chart without
// errors. A screenshot is left for a person to look at.
func TestCompareHTMLInChromium(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "regret.html")
	policies := "linkedin,linkedin-recall,whatsapp,telegram"
	if testing.Short() {
		policies = "linkedin,telegram"
	}
	invoke(context.Background(), "compare", examplePath("regret-and-recall.yaml"), "--policies", policies, "--html", page, "-q").mustExit(t, 0)
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	charts := strings.Count(html, `<figure class="chart`)
	if least := map[bool]int{false: 10, true: 6}[testing.Short()]; charts < least {
		t.Fatalf("the page has %d charts", charts)
	}

	p := probePage(t, browser, dir, html)
	if p.charts != charts || p.drawn != charts {
		t.Errorf("chromium drew %d of %d charts (%d in the page)", p.drawn, p.charts, charts)
	}
	if p.rows < 15 || p.cols != 1+len(strings.Split(policies, ",")) {
		t.Errorf("the table renders %d rows and %d columns", p.rows, p.cols)
	}

	shots := filepath.Join(os.TempDir(), "msgsim-report-test")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(shots, "compare-regret-and-recall.png")
	headless(t, browser, page, "--screenshot="+shot)
	checkScreenshot(t, shot)
	t.Logf("screenshot of the report: %s", shot)
}

// probed is what the probe counted on a page.
type probed struct{ charts, drawn, rows, cols int }

// probePage opens a copy of html with the probe in chromium and returns
// what it counted; it fails the test on a script error, a console
// message or overlapping texts in a chart.
func probePage(t *testing.T, browser, dir, html string) probed {
	t.Helper()
	path := filepath.Join(dir, "probed.html")
	withProbe := strings.Replace(html, "</head>", probe+"\n</head>", 1)
	if err := os.WriteFile(path, []byte(withProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, logs := headless(t, browser, path, "--virtual-time-budget=10000", "--dump-dom")
	m := regexp.MustCompile(`data-probe="charts=(\d+) drawn=(\d+) rows=(\d+) cols=(\d+) errors=(\d+) overlaps=(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page did not finish loading in chromium; DOM:\n%.2000s\nlog:\n%s", dom, logs)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	if n(5) != 0 {
		t.Errorf("%d script errors", n(5))
	}
	if n(6) != 0 {
		o := regexp.MustCompile(`data-overlaps="([^"]*)"`).FindStringSubmatch(dom)
		t.Errorf("%d pairs of chart texts overlap at %d px: %v", n(6), windowWidth, o)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") || strings.Contains(line, "Failed to load resource") {
			t.Errorf("console: %s", line)
		}
	}
	return probed{charts: n(1), drawn: n(2), rows: n(3), cols: n(4)}
}

// TestRunHTMLInChromium opens the page of a single run, and of a run with
// cohorts, in headless Chromium at 1280 pixels: every chart must draw,
// with no text over another, the operations table one row per action. A
// screenshot of each is left for a person to look at.
func TestRunHTMLInChromium(t *testing.T) {
	browser := chromium(t)
	dir := t.TempDir()
	cohorts := filepath.Join(dir, "ab.yaml")
	if err := os.WriteFile(cohorts, []byte(`name: ab
cohorts:
  - {name: control, share: 0.5, policy: linkedin}
  - {name: recall, share: 0.5, policy: linkedin-recall}
population: {users: 2000, graph: {mean_degree: 10}}
workload:
  duration: 6h
  behaviours:
    regret: {share: 0.05, for: everyone, fallback: me}
mode: deterministic
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file      string
		charts, measure int
	}{
		// Over a second: a timeline to draw; both populations realistic,
		// so with the distributions of thread length and reply delay.
		{"paced-population", "testdata/paced-population.yaml", 5, 0},
		{"cohorts", cohorts, 3, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, js := filepath.Join(dir, tc.name+".html"), filepath.Join(dir, tc.name+".json")
			invoke(context.Background(), "run", "-q", "--html", page, "--json", js, tc.file).mustExit(t, exitOK)
			data, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			html := string(data)
			mustContain(t, "the page", html, `<p id="verdict" class="verdict passed">PASS: passed: `, `<table id="operations">`, `<table id="measures">`,
				`<table id="realism">`, `<figure class="chart realism" id="thread-lengths">`, `<figure class="chart realism" id="reply-delays">`)
			if strings.Contains(html, `<table id="comparison">`) {
				t.Error("a single run's page is the comparison page")
			}
			charts := strings.Count(html, `<figure class="chart`)
			if measures := strings.Count(html, `<figure class="chart measure`); charts-measures < tc.charts || (measures == 0) != (tc.measure == 0) {
				t.Errorf("%d charts over the run and %d measure charts", charts-measures, measures)
			}
			p := probePage(t, browser, t.TempDir(), html)
			rep := readJSONReport(t, js)
			if p.charts != charts || p.drawn != charts || p.rows != len(rep.Ops) {
				t.Errorf("chromium drew %d of %d charts (%d in the page) and %d rows for %d actions", p.drawn, p.charts, charts, p.rows, len(rep.Ops))
			}
			shots := filepath.Join(os.TempDir(), "msgsim-report-test")
			if err := os.MkdirAll(shots, 0o755); err != nil {
				t.Fatal(err)
			}
			shot := filepath.Join(shots, "run-"+tc.name+".png")
			headless(t, browser, page, "--screenshot="+shot)
			checkScreenshot(t, shot)
			t.Logf("screenshot of the page: %s", shot)
		})
	}
}

// checkScreenshot requires a PNG of the window's size with something drawn
// on it: many pixels that are neither white nor one flat colour.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != windowWidth || b.Dy() != windowHeight {
		t.Errorf("screenshot of %v", b)
	}
	if n := inked(img); n < 10000 {
		t.Errorf("the screenshot is nearly blank: %d inked pixels", n)
	}
}

func inked(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				n++
			}
		}
	}
	return n
}
