package conform_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// TestMeasuresPlanted changes each measure the engine reported, one field
// of sim.Measures at a time (found by reflection, so a measure added to
// the report and not compared fails here), and requires Measures to
// report exactly that measure by its JSON name, and nothing for the
// measures as the engine computed them.
func TestMeasuresPlanted(t *testing.T) {
	w, m := both(t, "whatsapp")
	recall := sim.Op{Action: sim.Delete, At: sim.Time(0).Add(time.Minute), User: alice, Thread: ab, Msg: 4, Everyone: true}
	if got, want := w.Apply(recall), m.Apply(recall); got != sim.OK || want != sim.OK {
		t.Fatalf("recall: engine %s, spec %s", got, want)
	}
	end := sim.Time(0).Add(2 * time.Hour)
	all, _ := w.State.Measure(end, nil)
	if all.Recalled != 1 || len(all.RegretCurve) == 0 {
		t.Fatalf("the story's measures: %+v", all)
	}
	if checked, n, diffs := conform.Measures(all, nil, m, end, 10); n != 0 || checked == 0 {
		t.Fatalf("unchanged: %d comparisons, %d differences:\n%s", checked, n, lines(diffs))
	}
	typ := reflect.TypeFor[sim.Measures]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		planted := all
		planted.RegretCurve = slices.Clone(all.RegretCurve)
		v := reflect.ValueOf(&planted).Elem().Field(i)
		switch v.Kind() {
		case reflect.Int, reflect.Int64:
			v.SetInt(v.Int() + 1)
		case reflect.Float64:
			v.SetFloat(v.Float() + 0.5)
		case reflect.Slice:
			planted.RegretCurve[1].Value++
			name += " point 1"
		default:
			t.Fatalf("measure %s: a %s this test cannot change", f.Name, v.Kind())
		}
		_, n, diffs := conform.Measures(planted, nil, m, end, 10)
		if n != 1 || len(diffs) != 1 || diffs[0].What != "measure" || diffs[0].Measure != name || diffs[0].Op != -1 {
			t.Errorf("%s changed: %d differences, want one naming %q:\n%s", f.Name, n, name, lines(diffs))
		}
	}
	short := all
	short.RegretCurve = all.RegretCurve[:1]
	if _, n, diffs := conform.Measures(short, nil, m, end, 10); n != 1 || diffs[0].Measure != "regret_readable_over_time points" {
		t.Errorf("a shorter curve: %d differences:\n%s", n, lines(diffs))
	}
	if _, n, diffs := conform.Measures(all, []sim.Measures{all}, m, end, 10); n != 1 || diffs[0].Measure != "cohorts" {
		t.Errorf("a cohort the spec does not have: %d differences:\n%s", n, lines(diffs))
	}
}
