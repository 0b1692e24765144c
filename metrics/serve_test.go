package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgsim/msgsim/sim"
)

func TestServe(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := New(reg, "p")
	m.Op(sim.Send, sim.OK, 0)
	s, err := Serve(t.Context(), "127.0.0.1:0", reg)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + s.Addr()

	for _, tc := range []struct {
		path, want string
		code       int
	}{
		{"/metrics", `msgsim_operations_total{action="send",outcome="ok",policy="p"} 1`, http.StatusOK},
		{"/", `<a href="/metrics">`, http.StatusOK},
		{"/nothing", "", http.StatusNotFound},
	} {
		code, body := get(t, base+tc.path)
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d, %q; want %d containing %q", tc.path, code, body, tc.code, tc.want)
		}
	}

	if err := s.Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(base + "/metrics"); err == nil {
		t.Error("GET /metrics after Close succeeded")
	}
}

func TestServeStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s, err := Serve(ctx, "127.0.0.1:0", prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := s.Close(t.Context()); err != nil { // waits for the server to stop
		t.Fatalf("Close: %v", err)
	}
	if _, err := http.Get("http://" + s.Addr() + "/"); err == nil {
		t.Error("GET / after the context was cancelled succeeded")
	}
}

func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	s, err := Serve(t.Context(), addr, prometheus.NewRegistry())
	if err == nil {
		s.Close(t.Context())
		t.Fatalf("Serve on %s, in use, succeeded", addr)
	}
	if !errors.Is(err, ErrListen) || !strings.Contains(err.Error(), addr) {
		t.Errorf("Serve on %s, in use: %v; want ErrListen naming the address", addr, err)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
