//go:build !linux

package workload

import "testing"

// measureCPU runs f in the benchmark loop; CPU time per call is measured on
// Linux only.
func measureCPU(b *testing.B, f func()) {
	for b.Loop() {
		f()
	}
}
