package scenarios

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// compileSchema compiles the embedded Schema.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatalf("schema.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("schema.json does not compile: %v", err)
	}
	return sch
}

// yamlToJSON converts a YAML document to the JSON value a schema validates.
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// examples returns the scenario files under examples/, if any.
func examples(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestExamples: every example loads and satisfies the schema.
func TestExamples(t *testing.T) {
	sch := compileSchema(t)
	for _, file := range examples(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(yamlToJSON(t, data)); err != nil {
				t.Errorf("schema rejects %s:\n%v", file, err)
			}
			if _, err := Load(file, data); err != nil {
				t.Errorf("Load rejects %s:\n%v", file, err)
			}
		})
	}
}

// TestExampleFromDesign: the example of DESIGN.md section 5 is among the
// examples, and loads as that section describes.
func TestExampleFromDesign(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("examples", "delete-is-for-me-only.yaml"))
	if err != nil {
		t.Skip("no examples directory")
	}
	s, err := Load("delete-is-for-me-only.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "delete-is-for-me-only" || len(s.Users) != 3 || len(s.Steps) != 9 || s.Policy.Name != "linkedin" {
		t.Errorf("loaded %q with %d users and %d steps under %s", s.Name, len(s.Users), len(s.Steps), s.Policy.Name)
	}
	if st := s.Steps[7]; st.Expect != sim.Blocked || st.Op.Action != sim.Send {
		t.Errorf("step 8 = %s expecting %v", st.Source, st.Expect)
	}
}

// TestSchemaRejects: the schema catches the mistakes an editor should flag.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	bad := map[string]string{
		"unknown key":           "users: [a]\nsteps: []\ncolour: blue\n",
		"unknown action":        "users: [a, b]\nsteps:\n  - sned: {from: a, to: b, text: hi}\n",
		"two keys in a step":    "users: [a, b]\nsteps:\n  - send: {from: a, to: b, text: hi}\n    expect: blocked\n",
		"unknown field":         "users: [a, b]\nsteps:\n  - send: {from: a, to: b, txt: hi}\n",
		"to and group":          "users: [a, b]\nsteps:\n  - send: {from: a, to: b, group: g, text: hi}\n",
		"outcome code":          "users: [a, b]\nsteps:\n  - block: {user: a, target: b, expect: blokced}\n",
		"check":                 "users: [a, b]\nsteps:\n  - expect: {view: {user: a, with: b}, count: 1}\n",
		"duration":              "users: [a]\nsteps:\n  - advance: 90\n",
		"preset":                "policy: linkdin\nsteps: []\n",
		"knob type":             "policy: {preset: linkedin, edit: \"yes\"}\nsteps: []\n",
		"users zero":            "population: {users: 0}\n",
		"users past the limit":  "population: {users: 3000000000}\n",
		"group size":            "population: {users: 100, groups: {count: 1, size: [2, 60]}}\n",
		"mode":                  "steps: []\nmode: paralel\n",
		"pace":                  "steps: []\npace: fast\n",
		"threshold":             "steps: []\nthresholds: [\"p99 < 5ms\"]\n",
		"nothing to run":        "name: idle\n",
		"workload model":        "population: {users: 10}\nworkload: {model: realistc}\n",
		"habits under uniform":  "population: {users: 10}\nworkload: {model: uniform, replies: {direct: 0.5}}\n",
		"actions past bound":    "population: {users: 10}\nworkload: {actions_per_user_per_day: 1e12}\n",
		"phase rate past bound": "population: {users: 10}\nworkload: {phases: [{duration: 1h, rate: 5000}]}\n",
		"spammers past bound":   "population: {users: 10}\nworkload: {behaviours: {spam_wave: {at: 1h, spammers: 2000000, messages_each: 1}}}\n",
		"strong ties":           "population: {users: 10}\nworkload: {ties: {strong: 100}}\n",
		"activity share":        "population: {users: 10}\nworkload: {activity: {top1pct_share: 0.9}}\n",
		"reply probability":     "population: {users: 10}\nworkload: {replies: {direct: 2}}\n",
		"time zone offset":      "population: {users: 10}\nworkload: {diurnal: {time_zones: [{offset: 5, share: 1}]}}\n",
	}
	for name, src := range bad {
		if err := sch.Validate(yamlToJSON(t, []byte(src))); err == nil {
			t.Errorf("%s: schema accepts\n%s", name, src)
		}
		if _, err := Load("s.yaml", []byte(src)); err == nil {
			t.Errorf("%s: Load accepts\n%s", name, src)
		}
	}
}

// TestSchemaMatchesSim: the schema names exactly the actions, outcomes,
// presets and knobs that sim defines.
func TestSchemaMatchesSim(t *testing.T) {
	var s struct {
		Properties struct {
			Policy struct {
				OneOf []struct {
					Enum       []string                   `json:"enum"`
					Ref        string                     `json:"$ref"`
					Properties map[string]json.RawMessage `json:"properties"`
				} `json:"oneOf"`
			} `json:"policy"`
			Workload struct {
				Properties struct {
					Mix struct {
						Properties map[string]any `json:"properties"`
					} `json:"mix"`
				} `json:"properties"`
			} `json:"workload"`
		} `json:"properties"`
		Defs struct {
			Preset  struct{ Enum []string } `json:"preset"`
			Outcome struct{ Enum []string } `json:"outcome"`
			Step    struct {
				Properties map[string]any `json:"properties"`
			} `json:"step"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema, &s); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range sim.Actions() {
		actions = append(actions, a.String())
	}
	sortedKeys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	if got, want := sortedKeys(s.Defs.Step.Properties), sorted(append(slices.Clone(actions), "advance", "expect")); !slices.Equal(got, want) {
		t.Errorf("step keys %v, want %v", got, want)
	}
	if got := sortedKeys(s.Properties.Workload.Properties.Mix.Properties); !slices.Equal(got, sorted(actions)) {
		t.Errorf("mix keys %v, want %v", got, sorted(actions))
	}
	if !slices.Equal(s.Defs.Outcome.Enum, outcomeNames()) {
		t.Errorf("outcome enum %v, want %v", s.Defs.Outcome.Enum, outcomeNames())
	}
	if !slices.Equal(s.Defs.Preset.Enum, sim.PresetNames()) {
		t.Errorf("preset enum %v, want %v", s.Defs.Preset.Enum, sim.PresetNames())
	}
	knobs := s.Properties.Policy.OneOf[1].Properties
	want := map[sim.KnobKind]string{sim.KnobBool: `"boolean"`, sim.KnobInt: `"integer"`, sim.KnobText: `"string"`, sim.KnobDuration: ``}
	for _, k := range sim.Knobs() {
		raw, ok := knobs[k.Name]
		if !ok {
			t.Errorf("schema lacks knob %s", k.Name)
			continue
		}
		var p struct {
			Type json.RawMessage `json:"type"`
			Ref  string          `json:"$ref"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		if string(p.Type) != want[k.Kind] || (k.Kind == sim.KnobDuration) != (p.Ref == "#/$defs/duration") {
			t.Errorf("knob %s (%s) has schema %s", k.Name, k.Kind, raw)
		}
	}
	if len(knobs) != len(sim.Knobs())+1 {
		t.Errorf("schema has %d policy properties, want preset and %d knobs", len(knobs), len(sim.Knobs()))
	}
}

// TestSchemaAcceptsHabits: the schema accepts every knob of the realistic
// model as the loader reads it.
func TestSchemaAcceptsHabits(t *testing.T) {
	src := `
population: {users: 1000}
workload:
  model: realistic
  replies: {direct: 0.6, group: 0.2, delay: {median: 10m, p90: 3h}}
  reads: {delay: {median: 5m}}
  tidy: {delay: {p90: 1d}}
  ties: {strong: 8, exponent: 2, new_contacts: 0.05}
  activity: {top1pct_share: 0.2}
  sessions: {actions: 4.5, gap: 30s}
  diurnal: {amplitude: 0.5, peak: 14h30m, time_zones: [{offset: -8h, share: 0.5}, {offset: "+5h30m", share: 0.5}]}
  received_deletes: 0.3
  stale_actions: 0
`
	if err := compileSchema(t).Validate(yamlToJSON(t, []byte(src))); err != nil {
		t.Errorf("schema rejects the realistic model's knobs:\n%v", err)
	}
	if _, err := Load("s.yaml", []byte(src)); err != nil {
		t.Errorf("Load rejects the realistic model's knobs:\n%v", err)
	}
}
