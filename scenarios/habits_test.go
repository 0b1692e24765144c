package scenarios

import (
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// TestHabits: every knob of the realistic model can be set in the file,
// and the keys left out keep their defaults.
func TestHabits(t *testing.T) {
	s := mustLoad(t, `
population: {users: 1000}
workload:
  replies: {direct: 0.6, group: 0.2, delay: {median: 10m, p90: 3h}}
  reads: {delay: {median: 5m}}
  tidy: {delay: {p90: 1d}}
  ties: {strong: 8, exponent: 2, new_contacts: 0.05}
  activity: {top1pct_share: 0.2}
  sessions: {actions: 4.5, gap: 30s}
  diurnal: {amplitude: 0.5, peak: 14h30m, time_zones: [{offset: -8h, share: 0.5}, {offset: "+5h30m", share: 0.5}]}
  received_deletes: 0.3
  stale_actions: 0
`)
	w := s.Workload
	want := workload.DefaultHabits()
	want.Replies = workload.Replies{Direct: 0.6, Group: 0.2, Delay: workload.Delay{Median: 10 * time.Minute, P90: 3 * time.Hour}}
	want.Read.Median = 5 * time.Minute
	want.Tidy.P90 = 24 * time.Hour
	want.Ties = workload.Ties{Strong: 8, Exponent: 2, NewContacts: 0.05}
	want.Activity.Top1pctShare = 0.2
	want.Sessions = workload.Sessions{Actions: 4.5, Gap: 30 * time.Second}
	want.Diurnal = workload.Diurnal{Amplitude: 0.5, Peak: 14*time.Hour + 30*time.Minute,
		Zones: []workload.TimeZone{{Offset: -8 * time.Hour, Share: 0.5}, {Offset: 5*time.Hour + 30*time.Minute, Share: 0.5}}}
	want.ReceivedDeletes, want.Stale = 0.3, 0
	if w.Model != workload.Realistic || !reflect.DeepEqual(w.Habits, want) {
		t.Errorf("model %q habits\n%+v, want\n%+v", w.Model, w.Habits, want)
	}
	if err := w.ValidateFor(1000); err != nil {
		t.Errorf("the loaded workload does not validate: %v", err)
	}

	s = mustLoad(t, "population: {users: 10}\nworkload: {model: uniform}\n")
	if s.Workload.Model != workload.Uniform || !reflect.DeepEqual(s.Workload.Habits, workload.Habits{}) {
		t.Errorf("model uniform loaded as %q with habits %+v", s.Workload.Model, s.Workload.Habits)
	}
}

// TestHabitsErrors shows the messages of mistakes in the realistic
// model's keys, in the model's choice, and of values past the workload's
// bounds (issue 19): each at its file:line:col.
func TestHabitsErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"model", `
population: {users: 100}
workload: {model: realistc}
`, []string{`s.yaml:3:19: workload.model: unknown workload model "realistc" (did you mean "realistic"?)`}},
		{"realistic keys under uniform", `
population: {users: 100}
workload:
  model: uniform
  replies: {direct: 0.5}
  stale_actions: 0.1
`, []string{
			`s.yaml:5:3: workload.replies: applies to model realistic, but workload.model is uniform`,
			`s.yaml:6:3: workload.stale_actions: applies to model realistic, but workload.model is uniform`,
		}},
		{"habits", `
population: {users: 100}
workload:
  replies: {direct: 1.5, delay: {median: 2h, p90: 1h}}
  reads: {delay: {median: 9h}}
  ties: {strong: 100, exponent: -1, new_contacts: 2}
  activity: {top1pct_share: 0.9}
  sessions: {actions: 0.5, gap: 2d}
  diurnal: {amplitude: 2, peak: 25h}
`, []string{
			`s.yaml:4:21: workload.replies.direct: must be between 0 and 1, got 1.5`,
			`s.yaml:4:51: workload.replies.delay.p90: must not be below the median (2h), got 1h`,
			`s.yaml:5:18: workload.reads.delay: the median 9h is above the default p90 7h38m; set p90 too`,
			`s.yaml:6:18: workload.ties.strong: must be at most 64, got 100`,
			`s.yaml:6:33: workload.ties.exponent: must be between 0 and 10, got -1`,
			`s.yaml:6:51: workload.ties.new_contacts: must be between 0 and 1, got 2`,
			`s.yaml:7:29: workload.activity.top1pct_share: must be between 0.01 and 0.5, got 0.9`,
			`s.yaml:8:23: workload.sessions.actions: must be between 1 and 1000, got 0.5`,
			`s.yaml:8:33: workload.sessions.gap: must be at most 24h, got 48h`,
			`s.yaml:9:24: workload.diurnal.amplitude: must be between 0 and 1, got 2`,
			`s.yaml:9:33: workload.diurnal.peak: must be a time of day, under 24h, got 25h`,
		}},
		{"time zone shares", `
population: {users: 100}
workload:
  diurnal:
    time_zones: [{offset: -5h, share: 0.5}, {offset: 1h, share: 0.4}]
`, []string{`s.yaml:5:17: workload.diurnal.time_zones: the shares add up to 0.9; they must add up to 1`}},
		{"bounds", `
population: {users: 1000}
workload:
  duration: 400d
  actions_per_user_per_day: 1e12
`, []string{
			`s.yaml:4:13: workload.duration: must be at most 8784h, got 9600h`,
			`s.yaml:5:29: workload.actions_per_user_per_day: must be at most 100000 (more than one a second, all day), got 1e+12`,
		}},
		{"spammers", `
population: {users: 1000}
workload:
  behaviours:
    spam_wave: {at: 1h, spammers: 2000000, messages_each: 2147483647}
`, []string{
			`s.yaml:5:35: workload.behaviours.spam_wave.spammers: must be at most 1,000,000, got 2000000`,
		}},
		{"phase bounds", `
population: {users: 1000}
workload:
  phases:
    - {duration: 1h, rate: 5000}
    - {duration: 9000h, rate: 1}
`, []string{
			`s.yaml:5:28: workload.phases[0].rate: must be at most 1000, got 5000`,
			`s.yaml:6:18: workload.phases[1].duration: must be at most 8784h, got 9000h`,
		}},
		{"rate and size", `
population: {users: 100000000}
workload:
  actions_per_user_per_day: 100000
`, []string{
			`s.yaml:4:3: workload: the workload would generate about 10,000,000,000,000 operations (users × actions a day × days, and its behaviours); at most 10,000,000,000`,
			`s.yaml:4:29: workload.actions_per_user_per_day: 100,000,000 users at 100000 actions a day come to 115,740,741 operations a simulated second in the busiest phase; at most 10,000,000`,
		}},
		{"spam that never ends", `
population: {users: 1000}
workload:
  behaviours:
    spam_wave: {at: 1h, spammers: 1000, messages_each: 2147483647}
`, []string{
			`s.yaml:4:3: workload: the workload would generate about 2,147,483,667,000 operations (users × actions a day × days, and its behaviours); at most 10,000,000,000`,
		}},
		{"uniform report wave", `
population: {users: 100000}
workload:
  model: uniform
  behaviours:
    spam_wave: {at: 1h, spammers: 100000, messages_each: 200}
    report_wave: {at: 2h, share: 0.5}
`, []string{
			`s.yaml:6:5: workload.behaviours.spam_wave: under model uniform a report wave keeps every spam message sent before it (16 bytes each); at most 10,000,000 messages (spammers × messages_each), or use model realistic`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := loadErrors(t, tc.src)
			if !slices.Equal(got, tc.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", join2(got), join2(tc.want))
			}
		})
	}
}

func join2(lines []string) string {
	s := ""
	for _, l := range lines {
		s += "  " + l + "\n"
	}
	return s
}

// TestTimeZoneErrors: offsets are signed durations within -12h..+14h.
func TestTimeZoneErrors(t *testing.T) {
	got := loadErrors(t, `
population: {users: 100}
workload:
  diurnal:
    time_zones: [{offset: -13h, share: 0.5}, {offset: 5, share: 0.5}]
`)
	want := []string{
		`s.yaml:5:27: workload.diurnal.time_zones[0].offset: must be between -12h and +14h, got -13h`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", join2(got), join2(want))
	}
	got = loadErrors(t, `
population: {users: 100}
workload:
  diurnal:
    time_zones: [{offset: 5, share: 1}]
`)
	want = []string{`s.yaml:5:27: workload.diurnal.time_zones[0].offset: want an offset from UTC such as -5h, +5h30m or 0, got the number 5`}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", join2(got), join2(want))
	}
}

// TestSameFileSameStream: the same file and seed give the same operation
// stream under the realistic model, and another seed another (issue 18).
func TestSameFileSameStream(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("examples", "population-small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stream := func(seed uint64) (uint64, int) {
		s, err := Load("population-small.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		if s.Workload.Model != workload.Realistic {
			t.Fatalf("model %q", s.Workload.Model)
		}
		g, err := workload.Build(*s.Population, seed)
		if err != nil {
			t.Fatal(err)
		}
		st := workload.NewStream(g, g.Groups(s.Population.Groups, seed), *s.Workload, seed)
		h := fnv.New64a()
		var op sim.Op
		n := 0
		for st.Next(&op) {
			fmt.Fprintf(h, "%v %v %v %v %v %v %q %v %v %v\n", op.Action, op.At, op.User, op.Target, op.Thread, op.Msg, op.Text,
				op.Members, op.Everyone, op.On || op.AndBlock) // one flag before the split, as the recorded hashes hold it
			n++
		}
		return h.Sum64(), n
	}
	a, n := stream(42)
	b, m := stream(42)
	c, _ := stream(43)
	if a != b || n != m || n < 10000 {
		t.Errorf("the same file and seed gave %d and %d operations, hashes %x and %x", n, m, a, b)
	}
	if a == c {
		t.Error("another seed gave the same stream")
	}
}
