package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/report"
)

// invocation is what one in-process run of msgsim left behind.
type invocation struct {
	code           int
	stdout, stderr string
}

// invoke runs msgsim in-process with args, as main would, with nothing
// on its standard input.
func invoke(ctx context.Context, args ...string) invocation {
	return invokeWithInput(ctx, strings.NewReader(""), args...)
}

// invokeWithInput runs msgsim in-process with args, reading stdin.
func invokeWithInput(ctx context.Context, stdin io.Reader, args ...string) invocation {
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, stdin, &stdout, &stderr)
	return invocation{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustExit fails the test unless the run exited with code.
func (inv invocation) mustExit(t *testing.T, code int) {
	t.Helper()
	if inv.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", inv.code, code, inv.stdout, inv.stderr)
	}
}

// jsonPath returns a path for a --json report in a fresh directory.
func jsonPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "report.json")
}

// decodeReport reads a --json report as generic JSON, so the tests see
// the keys and types that a user's tools see.
func decodeReport(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("%s is not a JSON object: %v\n%s", path, err, data)
	}
	return rep
}

// readJSONReport reads a --json report into the runner's type.
func readJSONReport(t *testing.T, path string) *report.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &rep
}

// mustContain fails the test for each want that text lacks.
func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}
