package main

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestHugePopulationRefused: a population too big for the memory a run
// has is refused at once, before anything is built (exit 2, no stack
// trace), with the memory it would need and how many users would fit;
// validate says ok and what the run would refuse. GOMEMLIMIT sets the
// budget, so that the test does not depend on the machine.
func TestHugePopulationRefused(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "8GiB")
	for _, tc := range []struct {
		users, need string
	}{
		{"1000000000", "needs about 570 GiB of memory (1,000,000,000 users, 25,000,000,000 connections, 583,333,333 messages at most)"},
		{"100000000", "needs about 57.1 GiB of memory"},
		{"2147483647", "needs about 1.20 TiB of memory"},
	} {
		file := writeScenario(t, "name: huge\npopulation: {users: "+tc.users+"}\nworkload: {duration: 1h}\n")
		start := time.Now()
		inv := invoke(t.Context(), "run", file)
		took := time.Since(start)
		inv.mustExit(t, exitInput)
		mustContain(t, "stderr", inv.stderr, "msgsim: huge "+tc.need,
			"more than the 8.00 GiB available (GOMEMLIMIT); about 13,926,185 users would fit (--users 13926185)")
		if took > time.Second {
			t.Errorf("%s users: refused after %s", tc.users, took)
		}
		if inv.stdout != "" || strings.Contains(inv.stderr, "goroutine ") {
			t.Errorf("%s users: stdout %q, stderr %q", tc.users, inv.stdout, inv.stderr)
		}
		v := invoke(t.Context(), "validate", file)
		v.mustExit(t, exitOK)
		mustContain(t, "validate", v.stdout, file+": ok (policy linkedin, population of "+tc.users+")\n  estimate: ",
			": more than the 8.00 GiB available (GOMEMLIMIT); run refuses it\n")
	}
}

// TestHugeBenchRefused: bench refuses a size too big for memory, naming
// what would fit; it says when it lowers the mean degree of a small
// population.
func TestHugeBenchRefused(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "8GiB")
	inv := invoke(t.Context(), "bench", "--users", "2147483647")
	inv.mustExit(t, exitInput)
	mustContain(t, "stderr", inv.stderr, "msgsim: --users 2147483647: a bench of 2,147,483,647 users and 1,000,000 operations needs about ",
		"more than the 8.00 GiB available (GOMEMLIMIT); about ", "users would fit (--users ")
	small := invoke(t.Context(), "bench", "--users", "10", "--ops", "100")
	small.mustExit(t, exitOK)
	mustContain(t, "bench", small.stdout, "note: 10 users have a mean degree of 9, not 50: a user has at most users-1 connections\n")
}

// TestFlagBounds: flags that would make work or memory explode are
// refused with a message that names them, before any work.
func TestFlagBounds(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--pool", "4294967296", passingScript}, "--pool: want a number of worker goroutines up to 4,096"},
		{[]string{"run", "--pool", "9223372036854775807", passingScript}, "got 9,223,372,036,854,775,807"},
		{[]string{"run", "--pool", "100000000", passingScript}, "--pool: want"},
		{[]string{"compare", "--pool", "4294967296", passingScript}, "--pool: want"},
		{[]string{"bench", "--pool", "9223372036854775807"}, "--pool: want"},
		{[]string{"bench", "--inflight", "4294967296"}, "--inflight: want at most 65,536 operations in flight"},
		{[]string{"bench", "--count", "1000000"}, "--count: want from 1 to 1,000 rounds"},
		{[]string{"bench", "--ops", "0"}, "--ops: want at least 1 operation"},
		{[]string{"run", "--linger", "1m", passingScript}, "--linger keeps serving /metrics after the run: give --metrics-addr too"},
		{[]string{"run", "--users", "10", passingScript}, "--users: the scenario has no population to resize"},
		{[]string{"run", "--users", "0", "testdata/small-population.yaml"}, "--users: want a positive value, got 0"},
		{[]string{"run", "--users", "3000000000", "testdata/small-population.yaml"}, "--users: want from 1 to 2147483645 generated users, got 3000000000"},
		{[]string{"run", "--rate", "-1", "testdata/small-population.yaml"}, "--rate: want a positive number of actions per user per day, got -1"},
		{[]string{"run", "--users", "1000000", "--rate", "100000", "testdata/small-population.yaml"}, "--users and --rate: workload: invalid workload: the workload would generate about 2.5e+10 operations; at most 1e+10"},
		{[]string{"run", "--duration", "1h", passingScript}, "--duration: the scenario has no workload to change"},
		{[]string{"run", "--policy", "linkedn", passingScript}, `--policy: unknown policy preset "linkedn" (did you mean "linkedin"?)`},
		{[]string{"run", "--push", "http://127.0.0.1:1", passingScript}, "--push: the Pushgateway at http://127.0.0.1:1 does not answer"},
		{[]string{"run", "--push", "ftp://x", passingScript}, "--push: want the Pushgateway's http:// or https:// URL"},
	} {
		inv := invoke(t.Context(), tc.args...)
		inv.mustExit(t, exitInput)
		mustContain(t, strings.Join(tc.args, " "), inv.stderr, tc.want)
		if inv.stdout != "" {
			t.Errorf("%v printed on stdout:\n%s", tc.args, inv.stdout)
		}
	}
}

// TestOverrides: --users, --duration, --policy and --rate change the
// scenario without editing its file, and the header, the summary's
// figures and the JSON report say so.
func TestOverrides(t *testing.T) {
	path := jsonPath(t)
	inv := invoke(t.Context(), "run", "--json", path, "--users", "500", "--duration", "4h", "--policy", "whatsapp", "--rate", "40",
		"--mode", "deterministic", "testdata/small-population.yaml")
	inv.mustExit(t, exitOK)
	mustContain(t, "summary", inv.stdout,
		"msgsim · small-population · policy whatsapp · seed 3 · mode deterministic\n",
		"overrides     --users 500 · --duration 4h · --policy whatsapp · --rate 40\n",
		"estimate      502 users · 2,500 connections · about 3,47",
		"\npopulation    502 users · ")
	rep := readJSONReport(t, path)
	if rep.Users != 502 || rep.Policy != "whatsapp" || rep.SimulatedSeconds > 4*3600 || rep.SimulatedSeconds < 3*3600 {
		t.Errorf("users %d, policy %s, %.0f simulated seconds", rep.Users, rep.Policy, rep.SimulatedSeconds)
	}
	// 500 users at 40 a day for 4 hours: about 3,333 arrivals, and the
	// regrets, the block storm and the groups.
	if rep.OpsTotal < 3000 || rep.OpsTotal > 4000 {
		t.Errorf("%d operations, want about 3,470", rep.OpsTotal)
	}
	if got := strings.Join(rep.Overrides, " "); got != "--users 500 --duration 4h --policy whatsapp --rate 40" {
		t.Errorf("overrides in the report: %q", got)
	}
}

// TestScenarioFromStdin: - reads the scenario from standard input, named
// stdin in positions.
func TestScenarioFromStdin(t *testing.T) {
	src, err := os.ReadFile(passingScript)
	if err != nil {
		t.Fatal(err)
	}
	invokeWithInput(t.Context(), bytes.NewReader(src), "run", "-q", "-").mustExit(t, exitOK)
	bad := invokeWithInput(t.Context(), strings.NewReader("population: {users: 0}\n"), "validate", "-")
	bad.mustExit(t, exitInput)
	mustContain(t, "stderr", bad.stderr, "stdin:1:21: population.users: must be at least 1, got 0")
}

// TestScenarioTooLarge: a file over 10 MiB is refused before it is
// parsed, from a file and from standard input.
func TestScenarioTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte("# padding\n"), 11<<20/10)
	file := writeScenario(t, string(big))
	inv := invoke(t.Context(), "validate", file)
	inv.mustExit(t, exitInput)
	mustContain(t, "stderr", inv.stderr, file+":1:1: the file is 11,534,330 bytes; a scenario file may be at most 10,485,760 bytes (10 MiB)")
	in := invokeWithInput(t.Context(), bytes.NewReader(big), "run", "-")
	in.mustExit(t, exitInput)
	mustContain(t, "stderr", in.stderr, "stdin: more than 10,485,760 bytes; a scenario file may be at most 10 MiB")
}

// TestTerminalEscapes: a scenario's name, user names and texts reach the
// terminal with their control characters escaped, so they can neither
// retitle nor clear it nor overwrite the verdict.
func TestTerminalEscapes(t *testing.T) {
	file := writeScenario(t, `name: "evil\e]0;pwned\a\e[2J"
users: ["a\e[1A", bob]
connections: [["a\e[1A", bob]]
steps:
  - send: {from: "a\e[1A", to: bob, text: "hi\r\e[2KPASS all"}
  - expect: {view: {user: bob, with: "a\e[1A"}, messages: ["other"]}
thresholds: ["ops_total >= 1"]
`)
	path := jsonPath(t)
	inv := invoke(t.Context(), "run", "--json", path, file)
	inv.mustExit(t, exitFail)
	for _, raw := range []string{"\x1b", "\a", "\r"} {
		if strings.Contains(inv.stdout+inv.stderr, raw) {
			t.Errorf("a raw %q reached the terminal:\n%q", raw, inv.stdout)
		}
	}
	mustContain(t, "summary", inv.stdout, `msgsim · evil\x1b]0;pwned\x07\x1b[2J · policy linkedin`,
		`saw      ["hi\r\x1b[2KPASS all"]`, `FAIL evil\x1b]0;pwned\x07\x1b[2J: 1 expectations failed`)
	if rep := readJSONReport(t, path); rep.Scenario != "evil\x1b]0;pwned\a\x1b[2J" {
		t.Errorf("the JSON report changed the name: %q", rep.Scenario)
	}
}

// TestInternalError: an error nobody classified and a panic are msgsim's
// own failures, exit 3, never taken for unusable input.
func TestInternalError(t *testing.T) {
	if got := codeOf(os.ErrClosed); got != exitInternal {
		t.Errorf("an unclassified error exits %d", got)
	}
	var stderr bytes.Buffer
	code := run(t.Context(), []string{"run", passingScript}, nil, panicWriter{}, &stderr)
	inv := invocation{code: code, stderr: stderr.String()}
	inv.mustExit(t, exitInternal)
	mustContain(t, "stderr", inv.stderr, "msgsim: internal error, please report it: a bug\n")
}

// panicWriter panics on every write: a bug in the middle of a command,
// wherever the command first prints.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("a bug") }

// TestVersion: --version names the module's version and, when the build
// recorded one, its commit.
func TestVersion(t *testing.T) {
	inv := invoke(t.Context(), "--version")
	inv.mustExit(t, exitOK)
	if !strings.HasPrefix(inv.stdout, "msgsim ") {
		t.Errorf("--version printed %q", inv.stdout)
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := version(info, true), "v1.2.3 (commit 0123abcd of 2026-12-01T10:00:00Z, with uncommitted changes, go1.26.8)"; got != want {
		t.Errorf("version = %q, want %q", got, want)
	}
	if got := version(&debug.BuildInfo{}, true); !strings.HasPrefix(got, "(devel) (no commit recorded") {
		t.Errorf("version without vcs = %q", got)
	}
}

// TestInterruptedBuild: an interrupt while the population is built ends
// the run at once, says so, and exits 1.
func TestInterruptedBuild(t *testing.T) {
	file := writeScenario(t, "name: big\npopulation: {users: 1000000}\nworkload: {duration: 1h}\n")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The interrupt comes as the header's estimate is printed, just
	// before the population is built.
	var cancelled time.Time
	stdout := newSignalWriter("\nestimate      ")
	stdout.then = func() {
		cancelled = time.Now()
		cancel()
	}
	var stderr bytes.Buffer
	code := run(ctx, []string{"run", file}, nil, stdout, &stderr)
	inv := invocation{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if cancelled.IsZero() {
		t.Fatalf("no estimate printed:\n%s", inv.stdout)
	}
	if took := time.Since(cancelled); took > time.Second {
		t.Errorf("the run ended %s after the interrupt", took)
	}
	inv.mustExit(t, exitFail)
	mustContain(t, "summary", inv.stdout, "INTERRUPTED: the figures below cover what ran before the stop\n",
		"invariants    not checked: interrupted while the population was built\n", "FAIL big: interrupted\n")
}

// TestBenchInterrupted: a bench stopped before it ends says interrupted,
// prints what it has and exits 1, never 2.
func TestBenchInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	path := jsonPath(t)
	inv := invoke(ctx, "bench", "--users", "1000", "--ops", "10000", "--json", path)
	inv.mustExit(t, exitFail)
	if !strings.Contains(inv.stdout, "interrupted") {
		t.Errorf("bench did not say it was interrupted:\n%s%s", inv.stdout, inv.stderr)
	}
	if strings.Contains(inv.stderr, "engine applied") {
		t.Errorf("stderr: %s", inv.stderr)
	}
}

// TestCompareInterrupted: an interrupted comparison says so, names the
// policies it did not run and exits 1.
func TestCompareInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stderr := newSignalWriter("[2/3] ")
	stderr.then = cancel // the second run stops as it starts
	path := jsonPath(t)
	var stdout bytes.Buffer
	code := run(ctx, []string{"compare", "testdata/small-population.yaml", "--policies", "linkedin,whatsapp,telegram", "--json", path}, nil, &stdout, stderr)
	inv := invocation{code: code, stdout: stdout.String(), stderr: stderr.String()}
	inv.mustExit(t, exitFail)
	mustContain(t, "stdout", inv.stdout, "whatsapp (interrupted)",
		"INTERRUPTED: whatsapp stopped part way, so its figures and differences cover less work than the others'; telegram not run\n",
		"linkedin         PASS small-population", "whatsapp         FAIL small-population: interrupted", "telegram         NOT RUN: interrupted")
	c := decodeReport(t, path)
	if c["interrupted"] != true || c["passed"] != false || len(c["not_run"].([]any)) != 1 {
		t.Errorf("the comparison's JSON: interrupted %v, passed %v, not run %v", c["interrupted"], c["passed"], c["not_run"])
	}
}
