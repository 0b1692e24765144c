// Command msgsim runs messaging scenarios on the actor simulator: behaviour
// scripts with expectations, generated load, and policy comparisons.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC collects garbage less often than Go's default unless GOGC says
// otherwise: a population's heap is millions of small pointer-rich actor
// structures, and at the default GOGC=100 collections took a third of the
// engine's CPU; at 400 the per-operation cost of a send halved
// (BenchmarkHotSend) for a heap up to five times the live data instead of
// two. GOMEMLIMIT still caps it where set.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
}
