package conform_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
	"github.com/msgsim/msgsim/sim/spec"
	"github.com/msgsim/msgsim/sim/spec/conform"
)

// variants are knob settings applied on top of a preset, to reach the
// knob values no preset has. Each is set on both sides by name, the spec's
// from the text sim.Knob.Get gives, so SetKnob's parsing is exercised too.
var variants = []map[string]any{
	nil,
	{"block_hides_history": true, "unblock_reconnects": true, "notify_on_delete": true, "block_mutual": false},
	{"block_removes_connection": false, "unarchive_on_new_message": false, "require_connection": false},
	{"edit": true, "edit_limit": 2, "edit_window": 0, "delete_for_everyone": true, "delete_window": 0,
		"delete_everyone_in_groups": true, "delete_received": true, "tombstone_self": "", "tombstone_others": "gone",
		"notify_on_delete": true},
}

// policies returns preset name with variant v on both sides.
func policies(t *testing.T, name string, v map[string]any) (sim.Policy, spec.Policy) {
	t.Helper()
	sp, ok1 := sim.Preset(name)
	mp, ok2 := spec.Preset(name)
	if !ok1 || !ok2 {
		t.Fatalf("preset %s: sim %v, spec %v", name, ok1, ok2)
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		knob, ok := sim.LookupKnob(k)
		if !ok {
			t.Fatalf("no knob %s", k)
		}
		val := v[k]
		if knob.Kind == sim.KnobDuration {
			val = durationOf(val.(int))
		}
		if err := knob.Set(&sp, val); err != nil {
			t.Fatal(err)
		}
		if err := mp.SetKnob(k, knob.Get(sp)); err != nil {
			t.Fatal(err)
		}
		sp.Name, mp.Name = name+"*", name+"*"
	}
	return sp, mp
}

// tally counts the differences of many runs by kind, keeping one example
// of each.
type tally struct {
	n       map[string]int
	example map[string]string
}

func (ty *tally) add(kind, example string) {
	if ty.n == nil {
		ty.n, ty.example = map[string]int{}, map[string]string{}
	}
	if ty.n[kind] == 0 {
		ty.example[kind] = example
	}
	ty.n[kind]++
}

func (ty *tally) report(t *testing.T, runs int) {
	t.Helper()
	if len(ty.n) == 0 {
		return
	}
	kinds := make([]string, 0, len(ty.n))
	for k := range ty.n {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var b strings.Builder
	for _, k := range kinds {
		fmt.Fprintf(&b, "\n%5d of %d runs: %s\n      e.g. %s", ty.n[k], runs, k, ty.example[k])
	}
	t.Errorf("the engine's reference model and the specification disagree:%s", b.String())
}

// run applies ops to a sim.World and a spec.Model and records the first
// outcome difference (later ones follow from it), every final one, and
// the first difference of the policy-lab measures, for a run that ends an
// hour after its last operation. cs are the world's cohorts, or nil.
func run(w *sim.World, m *spec.Model, cs *sim.Cohorts, ops []sim.Op, label string, ty *tally) {
	tallies := make([]sim.Tally, 1)
	of := func(sim.UserID) int { return 0 }
	if cs != nil {
		tallies, of = make([]sim.Tally, cs.Len()), cs.Of
	}
	var end sim.Time
	for i, op := range ops {
		got := w.Apply(op)
		if d, ok := conform.Outcome(i, op, got, m.Apply(op)); ok {
			ty.add(fmt.Sprintf("outcome of %s: engine %s, spec %s", op.Action, d.Engine, d.Spec), label+": "+d.String())
			return
		}
		k, u := sim.Tallied(&op, got)
		tallies[of(u)].Add(k, 1)
		end = max(end, op.At.Add(time.Hour))
	}
	_, _, diffs := conform.Final(&w.State, m, 1)
	if len(diffs) > 0 {
		ty.add("final "+diffs[0].What, label+": "+diffs[0].String())
	}
	all, by := w.State.Measure(end, tallies)
	if _, _, diffs := conform.Measures(all, by, m, end, 1); len(diffs) > 0 {
		ty.add("measure "+diffs[0].Measure, label+": "+diffs[0].String())
	}
}

// TestDifferential drives sim's reference model and the specification with
// the same random streams under every preset, with and without knob
// variants, and requires the same outcome for every operation and the same
// final observables.
func TestDifferential(t *testing.T) {
	seeds := 1600
	if testing.Short() {
		seeds = 320
	}
	names := sim.PresetNames()
	var ty tally
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		pw := simtest.NewWorld(rng, 6+rng.IntN(6), 0.4, 3)
		name := names[seed%len(names)]
		v := variants[seed/len(names)%len(variants)]
		sp, mp := policies(t, name, v)
		w := sim.NewWorld(sp, pw.Users, pw.ConnsOf)
		m := spec.New(mp, pw.Users, pw.ConnsOf)
		run(w, m, nil, pw.Ops(rng, 80), fmt.Sprintf("seed %d %s", seed, sp.Name), &ty)
	}
	ty.report(t, seeds)
}

// TestDifferentialCohorts does the same with the population split into
// cohorts under different presets.
func TestDifferentialCohorts(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 120
	}
	names := sim.PresetNames()
	var ty tally
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 23))
		pw := simtest.NewWorld(rng, 8+rng.IntN(6), 0.4, 3)
		k := 2 + rng.IntN(2)
		var list []sim.Cohort
		var specs []spec.Policy
		var label []string
		for i := range k {
			name := names[rng.IntN(len(names))]
			sp, mp := policies(t, name, variants[rng.IntN(len(variants))])
			list = append(list, sim.Cohort{Name: fmt.Sprint(i), Share: 1 / float64(k), Policy: sp})
			specs = append(specs, mp)
			label = append(label, sp.Name)
		}
		list[k-1].Share = 1 - float64(k-1)/float64(k)
		cs, err := sim.NewCohorts(list, pw.Users, uint64(seed))
		if err != nil {
			t.Fatal(err)
		}
		w := sim.NewWorld(list[0].Policy, pw.Users, pw.ConnsOf)
		w.SetCohorts(cs)
		m := spec.New(specs[0], pw.Users, pw.ConnsOf)
		m.SetCohorts(specs, cs.Of)
		run(w, m, cs, pw.Ops(rng, 80), fmt.Sprintf("seed %d cohorts %s", seed, strings.Join(label, ",")), &ty)
	}
	ty.report(t, seeds)
}
