package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestInterrupt: cancelling the context (what Ctrl-C does through main)
// while a population runs stops it; the partial report is printed and
// written, marked as interrupted, without the final check, the verdict
// says so and the exit code is 1. The header is on the terminal before
// the run's first operation has finished, not after the run ends.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	metricsAddr := freeAddr(t)
	path := jsonPath(t)
	var stdout, stderr lockedBuffer
	code, finished := make(chan int, 1), make(chan struct{})
	go func() {
		defer close(finished)
		code <- run(ctx, []string{"run", "--metrics-addr", metricsAddr, "--json", path, "testdata/slow-population.yaml"}, nil, &stdout, &stderr)
	}()

	// Cancel once the run has finished an operation of the workload,
	// which paces them at 100 a second: about 100 seconds in all. The
	// metrics endpoint counts the operations as they finish.
	var opsSeen int
	var atFirstOp string
	err := poll(t, time.Minute, finished, func() (bool, error) {
		n, err := operationsServed(metricsAddr)
		if err != nil || n == 0 {
			return false, nil // not serving yet, or nothing finished yet
		}
		opsSeen, atFirstOp = n, stdout.String()
		return true, nil
	})
	cancel()
	<-finished
	if err != nil {
		t.Fatalf("no operation was seen to finish (%v):\n%s%s", err, &stdout, &stderr)
	}
	inv := invocation{code: <-code, stdout: stdout.String(), stderr: stderr.String()}
	if !strings.HasPrefix(atFirstOp, "msgsim · slow-population · policy linkedin · seed 9 · mode parallel\nestimate      500 users · ") {
		t.Errorf("printed before the first operation finished: %q", atFirstOp)
	}
	inv.mustExit(t, exitFail)
	mustContain(t, "summary", inv.stdout,
		"msgsim · slow-population · policy linkedin · seed 9 · mode parallel\n",
		"INTERRUPTED: the figures below cover what ran before the stop\n",
		"\n\nFAIL slow-population: interrupted\n")
	if want := fmt.Sprintf("serving metrics on http://%s/metrics\n", metricsAddr); inv.stderr != want {
		t.Errorf("stderr: %q, want %q", inv.stderr, want)
	}

	rep := readJSONReport(t, path)
	if !rep.Interrupted || rep.Passed {
		t.Errorf("report: interrupted %v, passed %v", rep.Interrupted, rep.Passed)
	}
	// The stop came after the first operation and long before the last
	// of about 10,000.
	if rep.OpsTotal < opsSeen || rep.OpsTotal > 5000 {
		t.Errorf("the partial report counts %d operations; %d had finished at the stop", rep.OpsTotal, opsSeen)
	}
	// The check, which takes seconds at a million users, is skipped, and
	// the report says so.
	if rep.Invariants.Checked != 0 || rep.Digest != "" || rep.CheckSkipped != "interrupted before the operations ended" {
		t.Errorf("invariants %+v, digest %q, check skipped %q", rep.Invariants, rep.Digest, rep.CheckSkipped)
	}
	mustContain(t, "summary", inv.stdout, "\ninvariants    not checked: interrupted before the operations ended\n", "\ndigest        not computed\n")
	if rep.WallSeconds <= 0 || rep.WallSeconds > 50 {
		t.Errorf("the run lasted %.2fs", rep.WallSeconds)
	}
}

// operationsServed scrapes the metrics msgsim serves at addr and returns
// how many operations have finished: the sum of msgsim_operations_total.
func operationsServed(addr string) (int, error) {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	total := 0.0
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		line := lines.Text()
		if !strings.HasPrefix(line, "msgsim_operations_total{") {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
		if err != nil {
			return 0, fmt.Errorf("%q: %w", line, err)
		}
		total += v
	}
	return int(total), lines.Err()
}
