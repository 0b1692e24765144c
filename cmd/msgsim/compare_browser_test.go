package main

import (
	"context"
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

// headless runs the browser on a file with the given extra flags, offline
// and with a profile of its own, and returns its stdout and stderr.
func headless(t *testing.T, browser, page string, flags ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--window-size=1400,3000", "--enable-logging=stderr", "--v=0"}, flags...)
	cmd := exec.CommandContext(ctx, browser, append(args, "file://"+page)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	return stdout.String(), stderr.String()
}

// probe is a script the test adds to a copy of the page: it records any
// error, then on load counts the table rows and the charts that drew
// something, into an attribute that --dump-dom shows.
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
  var rows = document.querySelectorAll("#comparison tbody tr").length;
  var cols = document.querySelectorAll("#comparison thead th").length;
  document.body.setAttribute("data-probe", "charts=" + charts.length + " drawn=" + drawn + " rows=" + rows + " cols=" + cols + " errors=" + window.__errors.length);
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
	if charts < 10 {
		t.Fatalf("the page has %d charts", charts)
	}

	probed := filepath.Join(dir, "probed.html")
	withProbe := strings.Replace(html, "</head>", probe+"\n</head>", 1)
	if err := os.WriteFile(probed, []byte(withProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, logs := headless(t, browser, probed, "--virtual-time-budget=10000", "--dump-dom")
	m := regexp.MustCompile(`data-probe="charts=(\d+) drawn=(\d+) rows=(\d+) cols=(\d+) errors=(\d+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the page did not finish loading in chromium; DOM:\n%.2000s\nlog:\n%s", dom, logs)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	if n(1) != charts || n(2) != charts {
		t.Errorf("chromium drew %d of %d charts (%d in the page)", n(2), n(1), charts)
	}
	if n(3) < 15 || n(4) != 1+len(strings.Split(policies, ",")) {
		t.Errorf("the table renders %d rows and %d columns", n(3), n(4))
	}
	if n(5) != 0 {
		t.Errorf("%d script errors", n(5))
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") || strings.Contains(line, "Failed to load resource") {
			t.Errorf("console: %s", line)
		}
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
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 3000 {
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
