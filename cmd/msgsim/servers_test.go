package main

// Helpers that start the real Prometheus and Pushgateway of Debian's
// prometheus and prometheus-pushgateway packages for the integration tests
// of prometheus_test.go, each on a free loopback port with its own
// configuration and data under t.TempDir(), stopped when the test ends.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// requireIntegration is the environment variable that turns a missing
// server binary from a skip into a failure; CI sets it to 1.
const requireIntegration = "MSGSIM_REQUIRE_INTEGRATION"

// installHint says how to get the binaries the integration tests run.
const installHint = "apt-get install prometheus prometheus-pushgateway"

// requireBinary returns the path of the named Debian server binary. Without
// it the test is skipped, or fails when MSGSIM_REQUIRE_INTEGRATION=1.
func requireBinary(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	skipIntegration(t, name, fmt.Sprintf("%s not found (%v); install it with: %s", name, err, installHint))
	return ""
}

// freeAddr returns a loopback address for a server the test starts or
// configures, with a port handed out by testPorts.
func freeAddr(t *testing.T) string {
	t.Helper()
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(testPorts.take(t, 0)[0]))
}

// lockedBuffer collects a process's output, which its goroutines write
// while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is a started server process.
type server struct {
	base   string        // http://host:port
	exited chan struct{} // closed when the process has exited
	output *lockedBuffer
}

// startServer runs bin with args, serving HTTP on addr, and waits until its
// /-/ready answers 200. The process is stopped (SIGTERM, then SIGKILL) and
// its output logged when the test ends.
func startServer(t *testing.T, bin, addr string, args ...string) *server {
	t.Helper()
	s := &server{base: "http://" + addr, exited: make(chan struct{}), output: &lockedBuffer{}}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = s.output, s.output
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", bin, s.output)
		}
	})
	err := poll(t, 15*time.Second, s.exited, func() (bool, error) {
		resp, err := http.Get(s.base + "/-/ready")
		if err != nil {
			return false, nil // not listening yet
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	if errors.Is(err, errExited) {
		t.Fatalf("%s on %s exited before it was ready: %v\n%s", bin, addr, waitErr, s.output)
	}
	if err != nil {
		t.Fatalf("%s on %s did not become ready: %v\n%s", bin, addr, err, s.output)
	}
	return s
}

// errExited is returned by poll when the process it waits on has exited.
var errExited = errors.New("the process exited")

// poll calls cond every 100ms until it returns true or an error, the
// process behind exited stops, or timeout passes. It waits on servers in
// other processes, which have no future to wait on.
func poll(t *testing.T, timeout time.Duration, exited <-chan struct{}, cond func() (bool, error)) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		select {
		case <-tick.C:
		case <-exited:
			return errExited
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// startPrometheus starts a Prometheus that scrapes target's /metrics every
// second as job msgsim, with its data in a temporary directory.
func startPrometheus(t *testing.T, target string) *server {
	t.Helper()
	bin := requireBinary(t, "prometheus")
	dir := t.TempDir()
	config := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: msgsim
    static_configs:
      - targets: [%q]
`, target)
	path := dir + "/prometheus.yml"
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	return startServer(t, bin, addr,
		"--config.file="+path,
		"--storage.tsdb.path="+dir+"/data",
		"--web.listen-address="+addr,
		"--log.level=warn",
	)
}

// startPushgateway starts a Pushgateway that keeps what it is pushed in
// memory only.
func startPushgateway(t *testing.T) *server {
	t.Helper()
	bin := requireBinary(t, "prometheus-pushgateway")
	addr := freeAddr(t)
	return startServer(t, bin, addr, "--web.listen-address="+addr, "--log.level=warn")
}

// sample is one series of an instant query's answer.
type sample struct {
	labels map[string]string
	value  float64
}

// query runs an instant PromQL query against the Prometheus at s.
func (s *server) query(t *testing.T, expr string) []sample {
	t.Helper()
	resp, err := http.Get(s.base + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"` // [unix time, "value"]
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("query %s: %v", expr, err)
	}
	if body.Status != "success" || body.Data.ResultType != "vector" {
		t.Fatalf("query %s: status %s, type %s: %s", expr, body.Status, body.Data.ResultType, body.Error)
	}
	var out []sample
	for _, r := range body.Data.Result {
		text, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatalf("query %s: value %v: %v", expr, r.Value, err)
		}
		out = append(out, sample{labels: r.Metric, value: v})
	}
	return out
}

// pushedGroup is one group of metrics a Pushgateway holds, as its
// /api/v1/metrics lists it.
type pushedGroup struct {
	Labels             map[string]string
	LastPushSuccessful bool
	Families           map[string][]sample // by metric name, as pushed
}

// pushed returns the groups the Pushgateway at s holds.
func (s *server) pushed(t *testing.T) []pushedGroup {
	t.Helper()
	resp, err := http.Get(s.base + "/api/v1/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string                       `json:"status"`
		Data   []map[string]json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("pushgateway /api/v1/metrics: %v", err)
	}
	if body.Status != "success" {
		t.Fatalf("pushgateway /api/v1/metrics: status %s", body.Status)
	}
	var groups []pushedGroup
	for _, raw := range body.Data {
		g := pushedGroup{Families: map[string][]sample{}}
		for key, val := range raw {
			switch key {
			case "labels":
				if err := json.Unmarshal(val, &g.Labels); err != nil {
					t.Fatal(err)
				}
			case "last_push_successful":
				if err := json.Unmarshal(val, &g.LastPushSuccessful); err != nil {
					t.Fatal(err)
				}
			default:
				g.Families[key] = pushedFamily(t, key, val)
			}
		}
		groups = append(groups, g)
	}
	return groups
}

// pushedFamily decodes one family of a pushed group; histograms and
// summaries, whose series hold buckets instead of a value, come back
// without values.
func pushedFamily(t *testing.T, name string, raw json.RawMessage) []sample {
	t.Helper()
	var f struct {
		Metrics []struct {
			Labels map[string]string `json:"labels"`
			Value  string            `json:"value"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("pushed family %s: %v", name, err)
	}
	var out []sample
	for _, m := range f.Metrics {
		v := 0.0
		if m.Value != "" {
			var err error
			if v, err = strconv.ParseFloat(m.Value, 64); err != nil {
				t.Fatalf("pushed family %s: value %q: %v", name, m.Value, err)
			}
		}
		out = append(out, sample{labels: m.Labels, value: v})
	}
	return out
}

// signalWriter collects what a run writes and closes seen the first time
// the output contains want.
type signalWriter struct {
	lockedBuffer
	want string
	seen chan struct{}
	once sync.Once
	// then, when set, is called inside the Write that first shows want,
	// before the command writing goes on: to interrupt it at that point.
	then func()
}

func newSignalWriter(want string) *signalWriter {
	return &signalWriter{want: want, seen: make(chan struct{})}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	n, err := w.lockedBuffer.Write(p)
	if strings.Contains(w.String(), w.want) {
		w.once.Do(func() {
			close(w.seen)
			if w.then != nil {
				w.then()
			}
		})
	}
	return n, err
}
