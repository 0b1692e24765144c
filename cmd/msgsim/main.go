package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"syscall"
	"time"

	"github.com/msgsim/msgsim/internal/hugepages"
)

func main() {
	tuneGC()
	hugepages.Start()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC caps the heap softly at three quarters of physical memory unless
// GOMEMLIMIT is set, so a run too big for the machine makes the collector
// work harder before it makes the machine swap; and unless GOGC is set it
// halves the collector's headroom once the live heap is big (see
// bigHeap).
func tuneGC() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		if total, _ := physicalMemory(); total > 0 {
			debug.SetMemoryLimit(total / 4 * 3)
		}
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		go shrinkHeadroom(bigHeap, 250*time.Millisecond, nil)
	}
}

// bigHeap is the live heap past which msgsim runs with GOGC=50, so the
// heap grows to one and a half times its live data between collections
// instead of twice. Past it the run is bound by memory: a 1M-user bench
// peaked at 0.86 of the budget of 1 KiB per user and 64 B per
// message at 100 and at 0.72 at 50, at the same speed (three alternating
// pairs). Below it the run is bound by CPU, and at 10k users GOGC=50 cost
// up to a tenth of the engine's speed for memory nobody was short of.
// GOGC=400, set here once when collections took a third of the engine's
// CPU, was no faster once steps, outboxes and threads were pooled and
// packed.
const bigHeap = 256 << 20

// shrinkHeadroom sets GOGC=50 the first time it sees the live heap at
// limit bytes or more, looking every period until stop is closed.
func shrinkHeadroom(limit uint64, every time.Duration, stop <-chan struct{}) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 && live[0].Value.Uint64() >= limit {
			debug.SetGCPercent(50)
			return
		}
	}
}
