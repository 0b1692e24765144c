package main

import (
	"math"
	"os"
	"strconv"
	"strings"
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
// GOMEMLIMIT from the environment as the runtime does, rather than from
// the runtime, because tuneGC sets a soft limit of its own when
// GOMEMLIMIT is unset.
func availableMemory() memoryBudget {
	b := memoryBudget{}
	if total, source := physicalMemory(); total > 0 {
		b = memoryBudget{total, source}
	}
	if limit, ok := parseMemLimit(os.Getenv("GOMEMLIMIT")); ok && (b.Bytes == 0 || limit < b.Bytes) {
		b = memoryBudget{limit, "GOMEMLIMIT"}
	}
	return b
}

// parseMemLimit reads a GOMEMLIMIT value: a number of bytes with an
// optional unit B, KiB, MiB, GiB or TiB; "off", "" and anything else it
// cannot read are no limit.
func parseMemLimit(s string) (int64, bool) {
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return 0, false
	}
	return n << shift, true
}
