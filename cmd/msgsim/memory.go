package main

import (
	"math"
	"os"
	"runtime/debug"
)

// memoryBudget is the memory a run may take: the lower of the machine's
// physical memory (or its container's limit) and GOMEMLIMIT, with where
// that figure comes from. Bytes is 0 where neither is known, and then no
// run is refused for its size.
type memoryBudget struct {
	Bytes  int64
	Source string
}

// availableMemory returns this process's memory budget. It reads
// GOMEMLIMIT from the environment rather than from the runtime, because
// tuneGC sets a soft limit of its own when GOMEMLIMIT is unset.
func availableMemory() memoryBudget {
	b := memoryBudget{}
	if total, source := physicalMemory(); total > 0 {
		b = memoryBudget{total, source}
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		if limit := debug.SetMemoryLimit(-1); limit > 0 && limit < math.MaxInt64 && (b.Bytes == 0 || limit < b.Bytes) {
			b = memoryBudget{limit, "GOMEMLIMIT"}
		}
	}
	return b
}
