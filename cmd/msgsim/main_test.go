package main

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for msgsim where a command runs
// msgsim itself (bench runs each run of a series in a process of its
// own): with MSGSIM_TEST_AS_MSGSIM=1 in its environment it runs its
// command line as main does.
func TestMain(m *testing.M) {
	if os.Getenv("MSGSIM_TEST_AS_MSGSIM") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	code := m.Run()
	reportSkipped()
	os.Exit(code)
}

func TestPhysicalMemory(t *testing.T) {
	if m, _ := physicalMemory(); m != 0 && m < 1<<26 {
		t.Fatalf("physical memory %d bytes: /proc/meminfo misread", m)
	}
}

// TestShrinkHeadroom: GOGC drops to 50 once the live heap reaches the
// limit, and not before.
func TestShrinkHeadroom(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		shrinkHeadroom(1<<50, time.Millisecond, stop) // a petabyte: never
		close(done)
	}()
	time.Sleep(20 * time.Millisecond)
	close(stop)
	<-done
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC %d with a small heap, want 100", got)
	}
	runtime.GC() // the live heap is measured at the end of a collection
	shrinkHeadroom(1, time.Millisecond, nil)
	if got := debug.SetGCPercent(100); got != 50 {
		t.Fatalf("GOGC %d once the heap is big, want 50", got)
	}
}
