package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

func TestCohorts(t *testing.T) {
	s, err := Load("s.yaml", []byte(`policy: {preset: linkedin, edit: true}
cohorts:
  - {name: control, share: 0.5}
  - {name: recall, share: 0.25, policy: linkedin-recall, users: [bob]}
  - {name: custom, share: 0.25, policy: {preset: whatsapp, delete_window: 1h}}
users: [alice, bob]
steps: []
population: {users: 100}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cohorts) != 3 {
		t.Fatalf("%d cohorts", len(s.Cohorts))
	}
	c, r, x := s.Cohorts[0], s.Cohorts[1], s.Cohorts[2]
	if c.Name != "control" || c.Share != 0.5 || c.Policy.Name != "linkedin" || !c.Policy.Edit {
		t.Errorf("control defaults to the top-level policy: %+v", c)
	}
	if r.Policy.Name != "linkedin-recall" || len(r.Users) != 1 || r.Users[0] != 1 {
		t.Errorf("recall: %+v", r)
	}
	if x.Policy.Name != "whatsapp" || x.Policy.DeleteWindow != time.Hour {
		t.Errorf("custom: %+v", x.Policy)
	}
	if _, err := sim.NewCohorts(s.Cohorts, 102, s.Seed); err != nil {
		t.Errorf("sim refuses what the loader accepted: %v", err)
	}
}

// TestCohortErrors: every mistake in cohorts is reported with its
// position, all at once.
func TestCohortErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"shares", `cohorts:
  - {name: a, share: 0.5}
  - {name: b, share: 0.4}
population: {users: 10}
`, `s.yaml:2:3: cohorts: the shares add up to 0.9; they must add up to 1`},
		{"unknown policy", `cohorts:
  - {name: a, share: 0.5, policy: linkedn}
  - {name: b, share: 0.5, policy: {preset: whatsap}}
population: {users: 10}
`, `s.yaml:2:35: cohorts[0].policy: unknown policy preset "linkedn" (did you mean "linkedin"?)
s.yaml:3:44: cohorts[1].policy.preset: unknown policy preset "whatsap" (did you mean "whatsapp"?)`},
		{"bad knob", `cohorts:
  - {name: a, share: 1, policy: {preset: linkedin, edit_window: soon}}
population: {users: 10}
`, `s.yaml:2:65: cohorts[0].policy.edit_window: want a duration with a unit (ns, us, ms, s, m, h, d), like 90s, 2m, 1h30m or 2d, got "soon"`},
		{"names and shares", `cohorts:
  - {name: a, share: 1.5}
  - {name: a, share: -0.5}
  - {share: 0}
population: {users: 10}
`, `s.yaml:2:22: cohorts[0].share: must be between 0 and 1, got 1.5
s.yaml:3:12: cohorts[1].name: duplicate cohort "a" (first at 2:12)
s.yaml:3:22: cohorts[1].share: must be between 0 and 1, got -0.5
s.yaml:4:5: cohorts[2]: a cohort needs name`},
		{"users", `users: [alice, bob]
cohorts:
  - {name: a, share: 0.5, users: [alice, alcie]}
  - {name: b, share: 0.5, users: [alice]}
steps: []
`, `s.yaml:3:42: cohorts[0].users[1]: unknown user "alcie" (did you mean "alice"?)
s.yaml:4:35: cohorts[1].users[0]: user "alice" is already in a cohort (at 3:35)`},
		{"count", `cohorts: []
population: {users: 10}
`, `s.yaml:1:10: cohorts: want 1 to 8 cohorts, got 0`},
		{"not a list", `cohorts: {name: a}
population: {users: 10}
`, `s.yaml:1:10: cohorts: want a list of cohorts {name, share, policy}, got a mapping`},
		{"unknown key", `cohorts:
  - {name: a, share: 1, polcy: linkedin}
population: {users: 10}
`, `s.yaml:2:25: cohorts[0]: unknown key "polcy" (did you mean "policy"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(loadErrors(t, tt.src), "\n")
			if got != tt.want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	many := "cohorts:\n"
	for i := range 9 {
		many += "  - {name: c" + string(rune('0'+i)) + ", share: 0}\n"
	}
	if got := loadErrors(t, many+"population: {users: 10}\n"); !strings.Contains(got[0], "want 1 to 8 cohorts, got 9") {
		t.Errorf("nine cohorts: %v", got)
	}
}

// TestCohortSchema: the schema accepts cohorts and rejects what an editor
// should flag.
func TestCohortSchema(t *testing.T) {
	sch := compileSchema(t)
	good := "cohorts:\n  - {name: a, share: 0.5}\n  - {name: b, share: 0.5, policy: {preset: linkedin, edit: true}, users: [x]}\nusers: [x]\nsteps: []\n"
	if err := sch.Validate(yamlToJSON(t, []byte(good))); err != nil {
		t.Errorf("schema rejects cohorts: %v", err)
	}
	for _, bad := range []string{
		"cohorts: [{name: a, share: 2}]\nsteps: []\n",
		"cohorts: [{name: a, share: 1, policy: linkdin}]\nsteps: []\n",
		"cohorts: [{share: 1}]\nsteps: []\n",
		"cohorts: [{name: a, share: 1, colour: red}]\nsteps: []\n",
	} {
		if err := sch.Validate(yamlToJSON(t, []byte(bad))); err == nil {
			t.Errorf("schema accepts\n%s", bad)
		}
	}
}
