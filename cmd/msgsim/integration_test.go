package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// skipped are the integration tests this test binary skipped for want
// of a server or a browser, and what was missing, for TestMain's line.
var skipped struct {
	sync.Mutex
	tests, missing []string
}

// skipIntegration skips t for want of what, or fails it when
// MSGSIM_REQUIRE_INTEGRATION=1 (as CI sets it).
func skipIntegration(t *testing.T, what, msg string) {
	t.Helper()
	if os.Getenv(requireIntegration) == "1" {
		t.Fatalf("%s, which %s=1 requires", msg, requireIntegration)
	}
	skipped.Lock()
	skipped.tests = append(skipped.tests, t.Name())
	if !slices.Contains(skipped.missing, what) {
		skipped.missing = append(skipped.missing, what)
	}
	skipped.Unlock()
	t.Skip(msg)
}

// reportSkipped prints one line naming the integration tests that were
// skipped and how to run them. go test shows a passing package's output
// only with -v or -json, so the line also goes to the terminal, when
// there is one.
func reportSkipped() {
	skipped.Lock()
	defer skipped.Unlock()
	if len(skipped.tests) == 0 {
		return
	}
	line := fmt.Sprintf("cmd/msgsim: skipped %d integration tests (%s) for want of %s; run them with: apt-get install prometheus prometheus-pushgateway chromium (%s=1 makes a skip a failure)\n",
		len(skipped.tests), strings.Join(skipped.tests, ", "), strings.Join(skipped.missing, ", "), requireIntegration)
	fmt.Print(line)
	if runtime.GOOS == "windows" {
		return
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		io.WriteString(tty, line)
		tty.Close()
	}
}

// TestRequireIntegration: without its server an integration test skips,
// and fails when MSGSIM_REQUIRE_INTEGRATION=1; this test binary runs one
// with a PATH that has no server.
func TestRequireIntegration(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	for _, require := range []string{"", "1"} {
		cmd := exec.Command(exe, "-test.run", "^TestPushgatewayReceivesRun$", "-test.v")
		cmd.Env = append(slices.DeleteFunc(os.Environ(), func(e string) bool {
			return strings.HasPrefix(e, "PATH=") || strings.HasPrefix(e, requireIntegration+"=")
		}), "PATH="+t.TempDir(), requireIntegration+"="+require)
		out, err := cmd.CombinedOutput()
		switch {
		case require == "" && (err != nil || !strings.Contains(string(out), "--- SKIP: TestPushgatewayReceivesRun") ||
			!strings.Contains(string(out), "cmd/msgsim: skipped 1 integration tests (TestPushgatewayReceivesRun) for want of prometheus-pushgateway")):
			t.Errorf("without the gateway: %v\n%s", err, out)
		case require == "1" && (err == nil || !strings.Contains(string(out), "which MSGSIM_REQUIRE_INTEGRATION=1 requires")):
			t.Errorf("without the gateway, MSGSIM_REQUIRE_INTEGRATION=1: %v\n%s", err, out)
		}
	}
}
