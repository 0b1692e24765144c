package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/msgsim/msgsim/sim"
)

// dashboard is the part of a Grafana dashboard the test reads.
type dashboard struct {
	SchemaVersion int `json:"schemaVersion"`
	Templating    struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Query      json.RawMessage `json:"query"`
			Definition string          `json:"definition"`
			Datasource *datasource     `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
	Panels []panel `json:"panels"`
}

type panel struct {
	Title      string      `json:"title"`
	Type       string      `json:"type"`
	Datasource *datasource `json:"datasource"`
	Targets    []struct {
		Expr         string      `json:"expr"`
		LegendFormat string      `json:"legendFormat"`
		Datasource   *datasource `json:"datasource"`
	} `json:"targets"`
	Panels []panel `json:"panels"` // those of a collapsed row
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

var (
	metricName = regexp.MustCompile(`\bmsgsim_[a-zA-Z0-9_]+`)
	selector   = regexp.MustCompile(`\b(msgsim_[a-zA-Z0-9_]+)\s*\{([^}]*)\}`)
	matcher    = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)`)
	grouping   = regexp.MustCompile(`\b(?:by|without)\s*\(([^)]*)\)`)
	legendRef  = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}`)
)

// TestDashboard checks that every metric and label the Grafana dashboard
// queries is one this package exposes, so the dashboard cannot drift from the
// code, and that every panel queries the dashboard's datasource variable.
func TestDashboard(t *testing.T) {
	raw, err := os.ReadFile("../dashboards/msgsim.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if d.SchemaVersion < 36 {
		t.Errorf("schemaVersion %d, want at least 36", d.SchemaVersion)
	}
	families := exposed(t)

	vars := map[string]bool{}
	for _, v := range d.Templating.List {
		vars[v.Name] = true
		switch v.Type {
		case "datasource":
			if string(v.Query) != `"prometheus"` {
				t.Errorf("variable %s queries %s, want prometheus", v.Name, v.Query)
			}
		case "query":
			checkDatasource(t, "variable "+v.Name, v.Datasource)
			checkExpr(t, "variable "+v.Name, v.Definition, "", families)
			checkExpr(t, "variable "+v.Name, string(v.Query), "", families)
		}
	}
	if !vars["datasource"] || !vars["policy"] {
		t.Errorf("dashboard variables %v, want datasource and policy", vars)
	}

	n := 0
	for _, p := range flatten(d.Panels) {
		if p.Type == "row" {
			continue
		}
		checkDatasource(t, p.Title, p.Datasource)
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkDatasource(t, p.Title, tg.Datasource)
			checkExpr(t, p.Title, tg.Expr, tg.LegendFormat, families)
			n++
		}
	}
	if n == 0 {
		t.Fatal("the dashboard has no queries")
	}
}

func flatten(ps []panel) []panel {
	var all []panel
	for _, p := range ps {
		all = append(all, p)
		all = append(all, flatten(p.Panels)...)
	}
	return all
}

func checkDatasource(t *testing.T, where string, ds *datasource) {
	t.Helper()
	if ds == nil || ds.UID != "${datasource}" {
		t.Errorf("%s: datasource %+v, want uid ${datasource}", where, ds)
	}
}

// checkExpr checks that expr names only exposed msgsim_ metrics, and that the
// labels it matches, groups by or shows in legend are labels of those metrics.
func checkExpr(t *testing.T, where, expr, legend string, families map[string]*dto.MetricFamily) {
	t.Helper()
	names := metricName.FindAllString(expr, -1)
	if len(names) == 0 {
		t.Errorf("%s: %q queries no msgsim_ metric", where, expr)
		return
	}
	labels := map[string]bool{}
	for _, name := range names {
		mf, suffix := family(name, families)
		if mf == nil {
			t.Errorf("%s: %q queries %s, which metrics does not expose", where, expr, name)
			return
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = true
			}
		}
		if suffix == "_bucket" {
			labels["le"] = true
		}
	}
	var used []string
	for _, s := range selector.FindAllStringSubmatch(expr, -1) {
		for _, m := range matcher.FindAllStringSubmatch(s[2], -1) {
			used = append(used, m[1])
		}
	}
	for _, g := range grouping.FindAllStringSubmatch(expr, -1) {
		for l := range strings.SplitSeq(g[1], ",") {
			used = append(used, strings.TrimSpace(l))
		}
	}
	for _, m := range legendRef.FindAllStringSubmatch(legend, -1) {
		used = append(used, m[1])
	}
	for _, l := range used {
		if l != "" && !labels[l] {
			t.Errorf("%s: %q uses label %q, which %v do not carry", where, expr, l, names)
		}
	}
}

// family returns the exposed family that name, as written in a query, reads,
// and the histogram or summary suffix the query added to the family's name.
func family(name string, families map[string]*dto.MetricFamily) (*dto.MetricFamily, string) {
	if mf := families[name]; mf != nil {
		return mf, ""
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if !ok {
			continue
		}
		mf := families[base]
		switch {
		case mf == nil:
		case mf.GetType() == dto.MetricType_HISTOGRAM:
			return mf, suffix
		case mf.GetType() == dto.MetricType_SUMMARY && suffix != "_bucket":
			return mf, suffix
		}
	}
	return nil, ""
}

// exposed returns the families a registry exposes after New and one call of
// every recording method.
func exposed(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	m := New(reg, "p")
	m.Op(sim.Send, sim.OK, time.Microsecond)
	m.Delivered(1)
	m.Notified(sim.CauseMessage, 1)
	m.Suppressed(sim.ReasonMuted, 1)
	m.TombstonesShown(1)
	m.Violation(sim.I1DeleteLocality)
	m.SetUsers(1)
	m.SetThreads(1, 1)
	m.InflightAdd(1)
	m.Restart()
	m.SetClock(sim.Time(time.Second))
	m.SetProgress(0.5)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	families := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		families[mf.GetName()] = mf
	}
	return families
}
