package scenarios

import (
	"reflect"
	"testing"
	"time"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

func mustLoad(t *testing.T, src string) *Scenario {
	t.Helper()
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Load:\n%v", err)
	}
	return s
}

func TestPopulationAndWorkload(t *testing.T) {
	s := mustLoad(t, `
population:
  users: 100000
  graph: {model: watts-strogatz, mean_degree: 50, rewire: 0.2}
  groups: {count: 5000, size: [3, 12]}
workload:
  duration: 24h
  actions_per_user_per_day: 20
  mix: {send: 70, read: 15, delete: 3, archive: 2, mute: 1, view_profile: 5, post: 2, block: 1, unblock: 0.5, report: 0.5}
  behaviours:
    regret: {share: 0.03, delay: {median: 2m, p99: 2h}, for: everyone}
    block_storm: {at: 12h, users: 1000}
    spam_wave: {at: 6h, spammers: 100, messages_each: 50}
    report_wave: {at: 7h, share: 0.25, block: true}
  phases:
    - {duration: 1h, rate: 0.2}
    - {duration: 22h, rate: 1}
    - {duration: 1h, rate: 5}
pace: 50000/s
mode: deterministic
seed: 18446744073709551615
thresholds: ["throughput >= 200000", "violations == 0", "p99_latency < 5ms"]
`)
	wantPop := &workload.Population{
		Users:  100000,
		Graph:  workload.Graph{Model: "watts-strogatz", MeanDegree: 50, Rewire: 0.2},
		Groups: workload.Groups{Count: 5000, MinSize: 3, MaxSize: 12},
	}
	if !reflect.DeepEqual(s.Population, wantPop) {
		t.Errorf("Population = %+v, want %+v", s.Population, wantPop)
	}
	wantW := &workload.Workload{
		Duration: 24 * time.Hour, ActionsPerUserPerDay: 20, Mix: workload.DefaultMix(),
		Phases:     []workload.Phase{{Duration: time.Hour, Rate: 0.2}, {Duration: 22 * time.Hour, Rate: 1}, {Duration: time.Hour, Rate: 5}},
		Regret:     &workload.Regret{Share: 0.03, Median: 2 * time.Minute, P99: 2 * time.Hour, Everyone: true},
		BlockStorm: &workload.BlockStorm{At: 12 * time.Hour, Users: 1000},
		SpamWave:   &workload.SpamWave{At: 6 * time.Hour, Spammers: 100, MessagesEach: 50},
		ReportWave: &workload.ReportWave{At: 7 * time.Hour, Share: 0.25, Block: true},
		Model:      workload.Realistic, Habits: workload.DefaultHabits(),
	}
	if !reflect.DeepEqual(s.Workload, wantW) {
		t.Errorf("Workload = %+v, want %+v", s.Workload, wantW)
	}
	if s.Pace != (Pace{OpsPerSec: 50000}) || s.Mode != sim.Deterministic || s.Seed != 1<<64-1 {
		t.Errorf("pace %+v mode %q seed %d", s.Pace, s.Mode, s.Seed)
	}
	if len(s.Users) != 0 || len(s.Steps) != 0 {
		t.Errorf("a population-only file has users %v and %d steps", s.Users, len(s.Steps))
	}
	wantT := []Threshold{
		{Pos{"s.yaml", 22, 14}, "throughput >= 200000", "throughput", ">=", 200000},
		{Pos{"s.yaml", 22, 38}, "violations == 0", "violations", "==", 0},
		{Pos{"s.yaml", 22, 57}, "p99_latency < 5ms", "p99_latency", "<", 0.005},
	}
	if !reflect.DeepEqual(s.Thresholds, wantT) {
		t.Errorf("Thresholds = %#v, want %#v", s.Thresholds, wantT)
	}
}

func TestDefaults(t *testing.T) {
	s := mustLoad(t, "population: {users: 20}\nworkload: {}\n")
	if s.Name != "s" || s.Policy.Name != "linkedin" || !s.Pace.Max || s.Mode != sim.Parallel || s.Seed != 1 {
		t.Errorf("name %q policy %q pace %+v mode %q seed %d", s.Name, s.Policy.Name, s.Pace, s.Mode, s.Seed)
	}
	if !reflect.DeepEqual(s.Policy, sim.Linkedin()) {
		t.Errorf("default policy %+v", s.Policy)
	}
	wantPop := &workload.Population{
		Users:  20,
		Graph:  workload.Graph{Model: "barabasi-albert", MeanDegree: 19},
		Groups: workload.Groups{MinSize: 3, MaxSize: 12},
	}
	if !reflect.DeepEqual(s.Population, wantPop) {
		t.Errorf("Population = %+v, want %+v", s.Population, wantPop)
	}
	wantW := &workload.Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 20, Mix: workload.DefaultMix(),
		Model: workload.Realistic, Habits: workload.DefaultHabits()}
	if !reflect.DeepEqual(s.Workload, wantW) {
		t.Errorf("Workload = %+v, want %+v", s.Workload, wantW)
	}

	s = mustLoad(t, "population: {users: 1000, graph: {model: watts-strogatz}, groups: {count: 3, size: 5}}\n")
	if s.Workload != nil {
		t.Errorf("no workload key, Workload = %+v", s.Workload)
	}
	if g := s.Population.Graph; g.MeanDegree != 50 || g.Rewire != 0.1 {
		t.Errorf("watts-strogatz defaults %+v", g)
	}
	if g := s.Population.Groups; g.MinSize != 5 || g.MaxSize != 5 {
		t.Errorf("size: 5 gave %+v", g)
	}
}

func TestWorkloadDetails(t *testing.T) {
	// Without a duration, the phases set it; a mix replaces the default
	// whole; regret's delay defaults to 2m/2h and its scope to me.
	s := mustLoad(t, `
population: {users: 1000}
workload:
  mix: {send: 1}
  phases: [{duration: 2d, rate: 1}, {duration: 30m, rate: 0}]
  behaviours:
    regret: {share: 0}
`)
	w := s.Workload
	if w.Duration != 48*time.Hour+30*time.Minute {
		t.Errorf("Duration = %v, want the phases' 48h30m", w.Duration)
	}
	var mix [sim.NumActions]float64
	mix[sim.Send] = 1
	if w.Mix != mix {
		t.Errorf("Mix = %v, want only send", w.Mix)
	}
	if r := w.Regret; *r != (workload.Regret{Median: 2 * time.Minute, P99: 2 * time.Hour}) {
		t.Errorf("Regret = %+v", r)
	}
}

func TestScriptAndPopulation(t *testing.T) {
	s := mustLoad(t, `
users: [alice, bob]
connections: [[alice, bob]]
population: {users: 10}
workload: {duration: 1h}
steps:
  - send: {from: alice, to: bob, text: hi}
`)
	if len(s.Users) != 2 || s.Population.Users != 10 || len(s.Steps) != 1 {
		t.Errorf("users %v population %+v steps %d", s.Users, s.Population, len(s.Steps))
	}
}

func TestPolicy(t *testing.T) {
	s := mustLoad(t, `
policy: {preset: whatsapp, delete_window: 2d, edit_window: 0, edit_limit: 3, edit: false, tombstone_self: "", tombstone_others: gone}
users: [a]
steps: []
`)
	want, _ := sim.Preset("whatsapp")
	want.DeleteWindow, want.EditWindow, want.EditLimit, want.Edit = 48*time.Hour, 0, 3, false
	want.TombstoneSelf, want.TombstoneOthers = "", "gone"
	if !reflect.DeepEqual(s.Policy, want) {
		t.Errorf("Policy = %+v\nwant %+v", s.Policy, want)
	}
	for _, name := range sim.PresetNames() {
		s := mustLoad(t, "policy: "+name+"\nsteps: []\n")
		if p, _ := sim.Preset(name); !reflect.DeepEqual(s.Policy, p) {
			t.Errorf("policy %s loaded as %+v", name, s.Policy)
		}
	}
	// Every knob of sim can be set from a file.
	for _, k := range sim.Knobs() {
		value := map[sim.KnobKind]string{sim.KnobBool: "true", sim.KnobDuration: "2h", sim.KnobInt: "7", sim.KnobText: `"x"`}[k.Kind]
		s := mustLoad(t, "policy: {preset: telegram, "+k.Name+": "+value+"}\nsteps: []\n")
		if got := k.Get(s.Policy); got != value {
			t.Errorf("knob %s = %s after setting %s", k.Name, got, value)
		}
	}
}

func TestPace(t *testing.T) {
	for src, want := range map[string]Pace{
		"max": {Max: true}, "60x": {Speedup: 60}, "0.5x": {Speedup: 0.5},
		"50000/s": {OpsPerSec: 50000}, "1.5/s": {OpsPerSec: 1.5},
	} {
		s := mustLoad(t, "pace: "+src+"\nsteps: []\n")
		if s.Pace != want || s.Pace.String() != src {
			t.Errorf("pace %s = %+v (%s), want %+v", src, s.Pace, s.Pace, want)
		}
	}
	for _, bad := range []string{"0x", "-5x", "x", "fast", "60", "50000/m", "NaNx", "Infx", "1e400/s", "' 5x'"} {
		if _, err := Load("s.yaml", []byte("pace: "+bad+"\nsteps: []\n")); err == nil {
			t.Errorf("pace %s loaded", bad)
		}
	}
}
