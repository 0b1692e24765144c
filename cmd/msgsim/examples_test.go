package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/msgsim/msgsim/scenarios"
)

// TestExampleScripts runs each example that is a script alone through the
// command, as a reader of the README would, and requires exit 0 and the
// PASS verdict. (runner's TestExamples runs every example, populations
// scaled down, against its promise.)
func TestExampleScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	scripts := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenarios.Load(file, data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if sc.Population != nil {
			continue
		}
		scripts++
		t.Run(filepath.Base(file), func(t *testing.T) {
			inv := invoke(t.Context(), "run", file)
			inv.mustExit(t, exitOK)
			mustContain(t, "summary", inv.stdout, "\nPASS "+sc.Name+" (", "· 0 failed\n")
		})
	}
	if scripts < 5 {
		t.Errorf("%d script examples, want at least 5", scripts)
	}
}
