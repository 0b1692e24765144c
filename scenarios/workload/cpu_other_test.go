//go:build !linux

package workload

import (
	"testing"
	"time"
)

// measureCPU runs f in the benchmark loop; CPU time per call is measured on
// Linux only.
func measureCPU(b *testing.B, f func()) {
	for b.Loop() {
		f()
	}
}

// processCPU is not measured outside Linux.
func processCPU() time.Duration { return 0 }
