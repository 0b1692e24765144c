package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogueApplies keeps the catalogue in step with the code: every
// mutant's old text occurs exactly once in its file, so a change that
// moves the code a mutant plants its bug in fails here, not in the
// suite's run.
func TestCatalogueApplies(t *testing.T) {
	f, err := os.Open("mutants.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := parseCatalogue(f, "mutants.txt")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("../..")
	rules := map[string]bool{}
	for i := range ms {
		m := &ms[i]
		if _, _, err := m.apply(root); err != nil {
			t.Error(err)
		}
		rules[strings.Fields(m.Rule)[0]] = true
	}
	if len(ms) < 30 {
		t.Errorf("%d mutants; the suite promises at least 30", len(ms))
	}
	for _, r := range []string{"R1", "R1g", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "knob", "engine"} {
		if !rules[r] {
			t.Errorf("no mutant breaks %s", r)
		}
	}
	for _, id := range shortSet {
		if _, err := choose(ms, id, false); err != nil {
			t.Errorf("CI's subset: %v", err)
		}
	}
}

func TestParseCatalogue(t *testing.T) {
	good := "# comment\n== M01 R1: a bug\nfile: sim/x.go\n--- old\n\ta\n\tb\n--- new\n\tc\n\n== M02 R3: another\nfile: y.go\nequivalent: why\n--- old\nx\n--- new\ny\n"
	ms, err := parseCatalogue(strings.NewReader(good), "c.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Old != "\ta\n\tb" || ms[0].New != "\tc" || ms[1].Equivalent != "why" || ms[1].Line != 10 {
		t.Fatalf("parsed %+v", ms)
	}
	for _, bad := range []string{
		"== M01 R1: x\nfile: a.go\n--- old\na\n--- new\na\n",                                             // no change
		"== M01 R1: x\n--- old\na\n--- new\nb\n",                                                         // no file
		"== M01 R1: x\nfile: a\n--- old\na\n--- new\nb\n== M01 R2: y\nfile: a\n--- old\nc\n--- new\nd\n", // twice
		"== M01 R1: x\nfile: a\nstray\n",
		"== M01 R1: x\nfile: a\n--- older\na\n",
	} {
		if _, err := parseCatalogue(strings.NewReader(bad), "c.txt"); err == nil || !strings.Contains(err.Error(), "c.txt:") {
			t.Errorf("%q: err %v, want a positioned error", bad, err)
		}
	}
}
