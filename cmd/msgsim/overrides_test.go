package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestSeedAndModeOverrides: --seed and --mode replace the file's seed and
// mode; in deterministic mode the same seed gives the same digest and
// report figures, another seed another digest.
func TestSeedAndModeOverrides(t *testing.T) {
	const file = "testdata/small-population.yaml" // seed 3, parallel
	runWith := func(seed string) (digest string, ops int) {
		t.Helper()
		path := jsonPath(t)
		inv := invoke(t.Context(), "run", "--json", path, "--mode", "deterministic", "--seed", seed, file)
		inv.mustExit(t, exitOK)
		mustContain(t, "summary", inv.stdout, "msgsim · small-population · policy linkedin · seed "+seed+" · mode deterministic\n")
		rep := readJSONReport(t, path)
		if rep.Mode != "deterministic" || strconv.FormatUint(rep.Seed, 10) != seed {
			t.Errorf("report says seed %d, mode %s", rep.Seed, rep.Mode)
		}
		return rep.Digest, rep.OpsTotal
	}
	d1, ops1 := runWith("11")
	d2, ops2 := runWith("11")
	if d1 != d2 || ops1 != ops2 {
		t.Errorf("seed 11 twice: digests %s and %s, %d and %d operations", d1, d2, ops1, ops2)
	}
	d3, _ := runWith("12")
	if d3 == d1 {
		t.Errorf("seeds 11 and 12 both give digest %s", d1)
	}
	d0, _ := runWith("0")
	if d0 == d1 || d0 == d3 {
		t.Errorf("seed 0 gives digest %s, as another seed does", d0)
	}
}

// TestNoOverrides: without flags the file's seed and mode stand.
func TestNoOverrides(t *testing.T) {
	inv := invoke(t.Context(), "run", "testdata/small-population.yaml")
	inv.mustExit(t, exitOK)
	if first, _, _ := strings.Cut(inv.stdout, "\n"); first != "msgsim · small-population · policy linkedin · seed 3 · mode parallel" {
		t.Errorf("first line %q", first)
	}
}
