package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"

	"github.com/msgsim/msgsim/internal/hugepages"
)

func main() {
	tuneGC()
	hugepages.Start()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC caps the heap softly at three quarters of physical memory unless
// GOMEMLIMIT is set, so a run too big for the machine makes the collector
// work harder before it makes the machine swap. GOGC is left at Go's
// default: msgsim once set 400, when collections took a third of the
// engine's CPU, but once steps, outboxes and threads were pooled and
// packed 400 was no faster (alternating runs at 10k, 100k and 1M users)
// and let the heap grow to five times the live data instead of two.
func tuneGC() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		if total := physicalMemory(); total > 0 {
			debug.SetMemoryLimit(total / 4 * 3)
		}
	}
}

// physicalMemory returns the machine's memory in bytes from /proc/meminfo,
// or 0 where there is none.
func physicalMemory() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
