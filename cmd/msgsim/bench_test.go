package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/runner/bench"
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
			if rep["model"] != "realistic" || !strings.Contains(inv.stdout, " · realistic model · ") {
				t.Errorf("model = %#v, want the realistic model by default:\n%s", rep["model"], inv.stdout)
			}
			if _, ok := rep["spec_differences"]; ok != (mode == "deterministic") {
				t.Errorf("spec_differences present: %v in %s mode", ok, mode)
			}
			if mode == "deterministic" {
				if d := integer(t, "spec_differences", rep["spec_differences"]); d != 0 || integer(t, "spec_checked", rep["spec_checked"]) < ops {
					t.Errorf("spec_differences = %d over %v checked", d, rep["spec_checked"])
				}
				mustContain(t, "output", inv.stdout, "compared with the specification model · 0 differences")
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
		{[]string{"--model", "poisson"}, "--model: want realistic or uniform"},
		{[]string{"--users", "10", "--ops", "2000000"}, "more than 100,000 a user"},
		{[]string{"--users", "1"}, "at least 2 users"},
		{[]string{"--users", "1000,1"}, "--users"},
		{[]string{"--users", "ten"}, "--users"},
		{[]string{"--count", "0"}, "--count"},
		{[]string{"--pool", "-1"}, "--pool"},
		{[]string{"--inflight", "-1"}, "--inflight"},
		{[]string{"--count", "2", "--cpuprofile", "cpu.prof"}, "--cpuprofile"},
		{[]string{"--memprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "heap.prof"), "--users", "10", "--ops", "10"}, "--memprofile"},
	} {
		inv := invoke(t.Context(), append([]string{"bench"}, tc.args...)...)
		inv.mustExit(t, exitInput)
		if !strings.Contains(inv.stderr, tc.want) {
			t.Errorf("bench %v: stderr lacks %q:\n%s", tc.args, tc.want, inv.stderr)
		}
	}
}

// TestBenchSeries runs two sizes in two rounds, each run a process of its
// own (this test binary standing in for msgsim), and checks the rounds
// printed as they end, the medians and the series' JSON.
func TestBenchSeries(t *testing.T) {
	t.Setenv("MSGSIM_TEST_AS_MSGSIM", "1")
	js := filepath.Join(t.TempDir(), "series.json")
	inv := invoke(t.Context(), "bench", "--users", "500,1000", "--ops", "5000", "--count", "2", "--mode", "deterministic", "--model", "uniform", "--json", js)
	inv.mustExit(t, exitOK)
	mustContain(t, "output", inv.stdout, "500, 1,000 users · 2 rounds", "deterministic mode · uniform model", "round 1/2        500 users", "round 2/2      1,000 users",
		"medians of 2 rounds", "engine's spread between sizes:", "digest equal, 0 spec differences")
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var s bench.Series
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v\n%s", js, err, data)
	}
	if s.Rounds != 2 || s.Mode != "deterministic" || len(s.Sizes) != 2 || len(s.RoundSpreads) != 2 {
		t.Fatalf("rounds %d, mode %q, %d sizes, %d round spreads", s.Rounds, s.Mode, len(s.Sizes), len(s.RoundSpreads))
	}
	for i, users := range []int{500, 1000} {
		size := s.Sizes[i]
		if size.Median.Users != users || len(size.Runs) != 2 {
			t.Errorf("size %d: %d users, %d runs", i, size.Median.Users, len(size.Runs))
			continue
		}
		lo, hi := min(size.Runs[0].EngineOpsPerSec, size.Runs[1].EngineOpsPerSec), max(size.Runs[0].EngineOpsPerSec, size.Runs[1].EngineOpsPerSec)
		if m := size.Median.EngineOpsPerSec; m < lo || m > hi || lo <= 0 {
			t.Errorf("%d users: median %v outside the runs' %v-%v", users, m, lo, hi)
		}
		for _, r := range size.Runs {
			if r.Users != users || r.Violations != 0 || r.ReferenceDigestSame == nil || !*r.ReferenceDigestSame {
				t.Errorf("%d users: a run of %d users, %d violations, digest equal %v", users, r.Users, r.Violations, r.ReferenceDigestSame)
			}
			if r.Model != "uniform" || r.SpecDifferences == nil || *r.SpecDifferences != 0 {
				t.Errorf("%d users: a run of model %q (want the series' uniform), spec differences %v", users, r.Model, r.SpecDifferences)
			}
		}
	}
}

// TestBenchSeriesInterrupted: a series stopped before its runs end exits
// 1 and says so.
func TestBenchSeriesInterrupted(t *testing.T) {
	t.Setenv("MSGSIM_TEST_AS_MSGSIM", "1")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	js := filepath.Join(t.TempDir(), "series.json")
	inv := invoke(ctx, "bench", "--users", "500", "--ops", "5000", "--count", "2", "--json", js)
	inv.mustExit(t, exitFail)
	mustContain(t, "output", inv.stdout, "interrupted before a run finished")
	rep := decodeReport(t, js)
	if sizes, ok := rep["sizes"].([]any); !ok || len(sizes) != 0 || integer(t, "ops", rep["ops"]) != 5000 || rep["mode"] != "parallel" {
		t.Errorf("an interrupted series wrote %v, want no sizes, 5000 ops, parallel mode", rep)
	}
}

// TestBenchProcessInputError: a run whose command line its process
// refuses is an input error (exit 2) that says why.
func TestBenchProcessInputError(t *testing.T) {
	t.Setenv("MSGSIM_TEST_AS_MSGSIM", "1")
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	_, err = benchProcess(t.Context(), exe, t.TempDir(), bench.Config{Ops: 10, Pool: -7}, 100)
	if codeOf(err) != exitInput || !strings.Contains(fmt.Sprint(err), "--pool") {
		t.Errorf("got %v (exit %d), want an input error naming --pool", err, codeOf(err))
	}
}
