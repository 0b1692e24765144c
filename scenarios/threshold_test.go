package scenarios

import (
	"testing"
	"time"
)

func TestParseThreshold(t *testing.T) {
	tests := []struct {
		src            string
		metric, op     string
		value          float64
		holds, refuses float64
	}{
		{"throughput >= 200000", "throughput", ">=", 200000, 200000, 199999},
		{"violations == 0", "violations", "==", 0, 0, 1},
		{"expectations_failed<1", "expectations_failed", "<", 1, 0, 1},
		{"ops_total > 1e6", "ops_total", ">", 1e6, 1e6 + 1, 1e6},
		{"ops_total != 5", "ops_total", "!=", 5, 4, 5},
		{"p50_latency <= 250us", "p50_latency", "<=", 250e-6, 250e-6, 251e-6},
		{"p90_latency < 1ms", "p90_latency", "<", 1e-3, 0.5e-3, 1e-3},
		{"p99_latency < 5ms", "p99_latency", "<", 5e-3, 4e-3, 6e-3},
		{"  max_latency   <   1s  ", "max_latency", "<", 1, 0.9, 1},
	}
	for _, tt := range tests {
		th, err := parseThreshold(tt.src)
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if th.Metric != tt.metric || th.Op != tt.op || th.Value != tt.value || th.Source != tt.src {
			t.Errorf("%q = %+v", tt.src, th)
		}
		if !th.Holds(tt.holds) || th.Holds(tt.refuses) {
			t.Errorf("%q: Holds(%v) = %v, Holds(%v) = %v", tt.src, tt.holds, th.Holds(tt.holds), tt.refuses, th.Holds(tt.refuses))
		}
		if th.IsLatency() != (tt.metric[len(tt.metric)-7:] == "latency") {
			t.Errorf("%q: IsLatency = %v", tt.src, th.IsLatency())
		}
	}
	for _, bad := range []string{"", "violations", "== 0", "violations ==", "throughput >= NaN", "throughput >= inf",
		"p99_latency < 5", "p99_latency < fast", "latency < 5ms", "violations => 0"} {
		if th, err := parseThreshold(bad); err == nil {
			t.Errorf("%q parsed as %+v", bad, th)
		}
	}
}

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"0": 0, "90s": 90 * time.Second, "2m": 2 * time.Minute, "1h30m": 90 * time.Minute,
		"2d": 48 * time.Hour, "1d12h": 36 * time.Hour, "1.5d": 36 * time.Hour, ".5h": 30 * time.Minute,
		"250us": 250 * time.Microsecond, "250µs": 250 * time.Microsecond, "5ms": 5 * time.Millisecond,
		"-1h": -time.Hour, "100ns": 100,
	}
	for s, want := range good {
		if got, err := parseDuration(s); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "90", "5 minutes", "2 d", "d", "1w", "1e3s", "1h-5m", "+1h", "99999999999d", "3000000h"} {
		if got, err := parseDuration(s); err == nil {
			t.Errorf("parseDuration(%q) = %v, want an error", s, got)
		}
	}
	for d, want := range map[time.Duration]string{0: "0", 90 * time.Minute: "1h30m", 24 * time.Hour: "24h", 2 * time.Minute: "2m", 1500 * time.Millisecond: "1.5s"} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestClosest(t *testing.T) {
	for s, want := range map[string]string{
		"sned": "send", "step": "steps", "p99": "p99_latency", "colour": "", "x": "",
		"linkdin": "linkedin", "DELETE": "delete",
	} {
		if got := closest(s, append(Metrics(), "send", "steps", "linkedin", "delete", "read")); got != want {
			t.Errorf("closest(%q) = %q, want %q", s, got, want)
		}
	}
}
