package main

import (
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// TestPolicies: `msgsim policies` shows every preset as a column of a
// table with one row per knob holding that preset's value, then each
// knob's kind and meaning, then each preset's source.
func TestPolicies(t *testing.T) {
	inv := invoke(t.Context(), "policies")
	inv.mustExit(t, exitOK)
	table, rest, ok := strings.Cut(inv.stdout, "\n\nknobs:\n")
	if !ok {
		t.Fatalf("no knobs section:\n%s", inv.stdout)
	}
	knobDocs, sources, ok := strings.Cut(rest, "\n\nsources:\n")
	if !ok {
		t.Fatalf("no sources section:\n%s", inv.stdout)
	}

	rows := strings.Split(table, "\n")
	presets := sim.PresetNames()
	if len(presets) < 8 {
		t.Fatalf("only %d presets: %v", len(presets), presets)
	}
	if len(rows) != 1+len(sim.Knobs()) {
		t.Fatalf("table has %d rows, want a header and %d knobs:\n%s", len(rows), len(sim.Knobs()), table)
	}
	// Columns start where the header names the presets.
	header := rows[0]
	starts := make([]int, len(presets)+1)
	for i, name := range presets {
		starts[i] = strings.Index(header, "  "+name+" ") + 2
		if i == len(presets)-1 {
			starts[i] = strings.LastIndex(header, "  "+name) + 2
		}
		if starts[i] < 2 || i > 0 && starts[i] <= starts[i-1] {
			t.Fatalf("header lacks preset %s in order:\n%s", name, header)
		}
	}
	for k, knob := range sim.Knobs() {
		row := rows[1+k]
		if got := strings.TrimSpace(row[:starts[0]]); got != knob.Name {
			t.Errorf("row %d is knob %q, want %q", 1+k, got, knob.Name)
			continue
		}
		for i, name := range presets {
			end := len(row)
			if i+1 < len(presets) {
				end = starts[i+1]
			}
			p, _ := sim.Preset(name)
			if got, want := strings.TrimSpace(row[starts[i]:min(end, len(row))]), knob.Get(p); got != want {
				t.Errorf("%s under %s shows %s, want %s", knob.Name, name, got, want)
			}
		}
		mustContain(t, "knobs section", knobDocs, knob.Name, knob.Kind.String()+" ", knob.Doc)
	}
	for _, name := range presets {
		mustContain(t, "sources section", sources, "  "+name+" ", sim.PresetSource(name))
	}

	// A few values written out, so the test does not only agree with sim.
	mustContain(t, "table", table, "delete_window              0 ", " 1h ", " 60h ", " 3h ", " 2m ", " 10m ")
}

// TestPoliciesTakesNoArguments: a stray argument is a usage error.
func TestPoliciesTakesNoArguments(t *testing.T) {
	inv := invoke(t.Context(), "policies", "linkedin")
	inv.mustExit(t, exitInput)
	mustContain(t, "stderr", inv.stderr, `unknown command "linkedin" for "msgsim policies"`)
}
