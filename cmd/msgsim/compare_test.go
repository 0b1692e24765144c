package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/report"
)

// examplePath is the path of an example scenario from this package.
func examplePath(name string) string {
	return filepath.Join("..", "..", "scenarios", "examples", name)
}

// comparison runs compare on an example and returns its --json file and
// table. Under -short the example's population shrinks to 1000 users,
// which keeps every direction its comments state.
func comparison(t *testing.T, example, policies string) (*report.Comparison, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "compare.json")
	var stdout string
	if testing.Short() {
		sc, err := load(examplePath(example), nil)
		if err != nil {
			t.Fatal(err)
		}
		sc.Population.Users = 1000
		ps, err := parsePolicies(policies)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		f := &compareFlags{policies: policies}
		f.json, f.quiet = out, true
		if err := compare(context.Background(), sc, ps, f, streams{out: &b, err: io.Discard, tty: io.Discard}); err != nil {
			t.Fatalf("compare: %v\n%s", err, b.String())
		}
		stdout = b.String()
	} else {
		inv := invoke(context.Background(), "compare", examplePath(example), "--policies", policies, "--json", out, "-q")
		inv.mustExit(t, 0)
		stdout = inv.stdout
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var c report.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if got := strings.Join(c.Policies, ","); got != policies {
		t.Fatalf("compared %s, want %s", got, policies)
	}
	return &c, stdout
}

// figures gives each row's values by policy.
type figures map[string]map[string]float64

func figuresOf(c *report.Comparison) figures {
	f := figures{}
	for _, row := range c.Table {
		f[row.Key] = row.Values
	}
	return f
}

// requireSameStream: every run applied the same operations, action by
// action, and held every invariant under its own policy.
func requireSameStream(t *testing.T, runs []*report.Report) {
	t.Helper()
	for _, r := range runs {
		if r.OpsTotal != runs[0].OpsTotal {
			t.Errorf("%s applied %d operations, %s %d", r.Policy, r.OpsTotal, runs[0].Policy, runs[0].OpsTotal)
		}
		if r.Invariants.Violations != 0 || !r.Passed {
			t.Errorf("%s: %d violations, passed %v", r.Policy, r.Invariants.Violations, r.Passed)
		}
	}
	if why := sameStream(runs); why != "" {
		t.Errorf("the streams differ: %s", why)
	}
}

// TestCompareRegretAndRecall requires the directions that
// regret-and-recall.yaml's comments state.
func TestCompareRegretAndRecall(t *testing.T) {
	c, table := comparison(t, "regret-and-recall.yaml", "linkedin,linkedin-recall,whatsapp,telegram")
	requireSameStream(t, c.Runs)
	mustContain(t, "the table", table, "regretted, still readable", "(in parentheses: the difference to linkedin)", "linkedin-recall")
	f := figuresOf(c)
	li, rec, wa, tg := "linkedin", "linkedin-recall", "whatsapp", "telegram"
	regretted := f["regretted"][li]
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s does not hold: %v", what, f)
		}
	}
	check("some regrets", regretted > 50)
	for _, p := range []string{rec, wa, tg} {
		check("regretted equal under "+p, f["regretted"][p] == regretted)
	}
	r := f["regretted_readable"]
	check("linkedin leaves every regretted message readable", r[li] == regretted)
	check("linkedin-recall leaves far fewer readable", r[rec] > 0 && r[rec] < regretted/10)
	check("whatsapp leaves none readable", r[wa] == 0)
	check("telegram leaves few readable", r[tg] > 0 && r[tg] < regretted/10)
	m := f["regret_readable_mean_seconds"]
	check("regrets stay readable for hours under linkedin", m[li] > 3600)
	check("far shorter under every recall policy", m[rec] < m[li]/4 && m[wa] < m[li]/4 && m[tg] < m[li]/4)
	check("shortest under whatsapp", m[wa] <= m[rec] && m[wa] <= m[tg])
	rc := f["recalled"]
	check("no recall under linkedin", rc[li] == 0)
	check("most recalled under the others", rc[rec] > regretted/2 && rc[tg] > regretted/2)
	check("all recalled under whatsapp", rc[wa] == regretted)
	ts := f["tombstones_shown"]
	check("no tombstone for recipients under linkedin and telegram", ts[li] == 0 && ts[tg] == 0)
	check("tombstones for recipients under linkedin-recall and whatsapp", ts[rec] > 0 && ts[wa] > 0)
	sb := f["stored_bytes"]
	check("linkedin stores the most", sb[li] > sb[rec] && sb[li] > sb[wa] && sb[li] > sb[tg])
	check("telegram stores the least", sb[tg] < sb[rec] && sb[tg] < sb[wa])
	tk := f["tombstones_kept"]
	check("one tombstone kept per regret but under telegram", tk[li] == regretted && tk[rec] == regretted && tk[wa] == regretted && tk[tg] < regretted)
	for _, key := range []string{"messages_stopped_by_blocks", "notifications_stopped_by_blocks", "blocked_history_kept",
		"spam_to_non_connections", "reports_filed", "reports_refused", "reported_messages", "violations"} {
		for _, p := range c.Policies {
			check(key+" zero under "+p, f[key][p] == 0)
		}
	}
}

// TestCompareHarassmentAndBlocking requires the directions that
// harassment-and-blocking.yaml's comments state.
func TestCompareHarassmentAndBlocking(t *testing.T) {
	c, _ := comparison(t, "harassment-and-blocking.yaml", "linkedin,open-dm,telegram")
	requireSameStream(t, c.Runs)
	f := figuresOf(c)
	li, od, tg := "linkedin", "open-dm", "telegram"
	check := func(what string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s does not hold: %v", what, f)
		}
	}
	spam := f["spam_to_non_connections"]
	check("no spam reaches a non-connection under linkedin", spam[li] == 0)
	check("much spam, the same, under open-dm and telegram", spam[od] > 100 && spam[od] == spam[tg])
	for _, p := range c.Policies {
		check("blocks stop messages under "+p, f["messages_stopped_by_blocks"][p] > 0)
		check("blocks stop notifications under "+p, f["notifications_stopped_by_blocks"][p] > 0)
		rm := f["reported_messages"][p]
		check("every reported message still readable under "+p, f["reported_still_readable"][p] == rm)
		check("reported authors blocked under "+p, f["reported_author_blocked"][p] <= rm && (rm == 0 || f["reported_author_blocked"][p] > 0))
		for _, key := range []string{"regretted", "recalled", "tombstones_shown", "tombstones_kept", "violations"} {
			check(key+" zero under "+p, f[key][p] == 0)
		}
	}
	for _, p := range []string{od, tg} {
		check("blocked spam stays in history under "+p, f["blocked_history_kept"][p] > f["blocked_history_kept"][li])
		check("more reports filed under "+p, f["reports_filed"][p] > f["reports_filed"][li])
		check("fewer reports refused under "+p, f["reports_refused"][p] < f["reports_refused"][li])
		check("reported messages under "+p, f["reported_messages"][p] > 0)
		check("spam stored under "+p, f["stored_bytes"][p] > f["stored_bytes"][li])
	}
	check("fewer reported messages under linkedin (no spam to report)", f["reported_messages"][li] < f["reported_messages"][od])
}

// TestCompareVerdicts: compare exits 1 when a run fails under its policy,
// and names which, with the expectations that failed.
func TestCompareVerdicts(t *testing.T) {
	// Under telegram a delete for me leaves no tombstone, so the script's
	// expected view fails.
	inv := invoke(context.Background(), "compare", examplePath("delete-is-for-me-only.yaml"), "--policies", "linkedin,telegram", "--json", jsonPath(t))
	inv.mustExit(t, 1)
	mustContain(t, "stdout", inv.stdout, "linkedin         PASS", "telegram         FAIL", "expectations failed",
		"\ntelegram         FAIL delete-is-for-me-only: 1 expectations failed\n  ✗ ../../scenarios/examples/delete-is-for-me-only.yaml:15:5: expect: {view: {user: alice, with: bob}, ", "\n      saw      [\"hello\"]\n")
	mustContain(t, "stderr", inv.stderr, "[1/2] delete-is-for-me-only under linkedin", "[2/2] delete-is-for-me-only under telegram")
}

func TestCompareInputErrors(t *testing.T) {
	dir := t.TempDir()
	cohorts := filepath.Join(dir, "cohorts.yaml")
	if err := os.WriteFile(cohorts, []byte("cohorts: [{name: a, share: 1}]\nusers: [x]\nsteps: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	example := examplePath("delete-is-for-me-only.yaml")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", example, "--policies", "linkedin,whatsap"}, `unknown policy preset "whatsap"`},
		{[]string{"compare", example, "--policies", "linkedin,linkedin"}, "linkedin is named twice"},
		{[]string{"compare", example, "--policies", "linkedin,"}, "an empty name"},
		{[]string{"compare", cohorts}, "declares cohorts"},
		{[]string{"compare", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"compare"}, "accepts 1 arg"},
		{[]string{"compare", example, "--mode", "fast"}, "--mode"},
	} {
		inv := invoke(context.Background(), tt.args...)
		inv.mustExit(t, 2)
		mustContain(t, strings.Join(tt.args, " "), inv.stderr, tt.want)
	}
}

// TestRunHTML: msgsim run --html writes the page of one run, and of a run
// with cohorts with a column of measures per cohort.
func TestRunHTML(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ab.yaml")
	src := `name: ab
cohorts:
  - {name: control, share: 0.5, policy: linkedin}
  - {name: recall, share: 0.5, policy: linkedin-recall}
population: {users: 300, graph: {mean_degree: 10}}
workload:
  duration: 6h
  behaviours:
    regret: {share: 0.05, for: everyone, fallback: me}
mode: deterministic
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	page, js := filepath.Join(dir, "ab.html"), filepath.Join(dir, "ab.json")
	invoke(context.Background(), "run", file, "--html", page, "--json", js, "-q").mustExit(t, 0)
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	mustContain(t, "the page", html, `<table id="measures">`, `<table id="operations">`, "<th>whole run</th>", "<th>control (linkedin)</th>", "<th>recall (linkedin-recall)</th>", "Regretted messages still readable")
	rep := readJSONReport(t, js)
	if len(rep.Cohorts) != 2 || rep.Measures == nil || rep.Cohorts[1].Measures.Recalled == 0 || rep.Cohorts[0].Measures.Recalled != 0 {
		t.Errorf("cohort measures: %+v", rep.Cohorts)
	}
	if rep.Cohorts[0].Users+rep.Cohorts[1].Users != 300 {
		t.Errorf("cohorts of %d and %d users", rep.Cohorts[0].Users, rep.Cohorts[1].Users)
	}
	if len(rep.Timeline) == 0 {
		t.Error("no timeline")
	}
}
