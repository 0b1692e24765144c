package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBench runs msgsim bench on a small population in both modes and
// checks what it prints and writes: the JSON keys the performance issue
// names with figures that agree with each other, and profiles pprof can
// read.
func TestBench(t *testing.T) {
	for _, mode := range []string{"parallel", "deterministic"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			js, cpu, mem := filepath.Join(dir, "bench.json"), filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "heap.prof")
			inv := invoke(t.Context(), "bench", "--users", "2000", "--ops", "20000", "--mode", mode,
				"--json", js, "--cpuprofile", cpu, "--memprofile", mem)
			inv.mustExit(t, exitOK)
			for _, want := range []string{"engine ", "reference ", "ratio ", "per stored message", "build ", "0 violations"} {
				if !strings.Contains(inv.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, inv.stdout)
				}
			}
			rep := decodeReport(t, js)
			if got := integer(t, "users", rep["users"]); got != 2000 {
				t.Errorf("users = %d", got)
			}
			ops := integer(t, "ops", rep["ops"])
			if ops < 15000 || ops > 25000 {
				t.Errorf("ops = %d, want about 20000", ops)
			}
			engine, ref := number(t, "engine_ops_per_sec", rep["engine_ops_per_sec"]), number(t, "reference_ops_per_sec", rep["reference_ops_per_sec"])
			if ratio := number(t, "ratio", rep["ratio"]); engine <= 0 || ref <= 0 || ratio < 0.999*engine/ref || ratio > 1.001*engine/ref {
				t.Errorf("engine %v, reference %v and ratio %v disagree", engine, ref, ratio)
			}
			for _, key := range []string{"bytes_per_user", "bytes_per_message", "bytes_per_thread", "build_seconds", "check_seconds"} {
				if v := number(t, key, rep[key]); v <= 0 {
					t.Errorf("%s = %v, want a positive figure", key, v)
				}
			}
			if v := integer(t, "violations", rep["violations"]); v != 0 {
				t.Errorf("violations = %d", v)
			}
			if integer(t, "invariants_checked", rep["invariants_checked"]) <= 0 {
				t.Error("nothing checked")
			}
			if same, ok := rep["reference_digest_equal"].(bool); mode == "deterministic" && (!ok || !same) {
				t.Errorf("reference_digest_equal = %#v in deterministic mode", rep["reference_digest_equal"])
			}
			for _, p := range []string{cpu, mem} {
				data, err := os.ReadFile(p)
				if err != nil || !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) { // pprof writes gzipped protobuf
					t.Errorf("%s: not a pprof profile (%d bytes, %v)", filepath.Base(p), len(data), err)
				}
			}
		})
	}
}

// TestBenchBadInput: unusable flags exit 2 with a message that names them.
func TestBenchBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "fast"}, "--mode"},
		{[]string{"--users", "1"}, "at least 2 users"},
		{[]string{"--memprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "heap.prof"), "--users", "10", "--ops", "10"}, "--memprofile"},
	} {
		inv := invoke(t.Context(), append([]string{"bench"}, tc.args...)...)
		inv.mustExit(t, exitInput)
		if !strings.Contains(inv.stderr, tc.want) {
			t.Errorf("bench %v: stderr lacks %q:\n%s", tc.args, tc.want, inv.stderr)
		}
	}
}
