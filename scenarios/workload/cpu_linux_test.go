package workload

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// measureCPU runs f in the benchmark loop and reports, besides ns/op, the
// CPU time of the benchmark's thread per call: on a shared machine the
// wall time per operation counts other processes' turns too.
func measureCPU(b *testing.B, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	b.ReportMetric(float64(threadCPU()-start)/float64(n), "cpu-ns/op")
}

func threadCPU() time.Duration { return cpuTime(1) } // RUSAGE_THREAD

// processCPU returns the CPU time of every thread of the process so far.
func processCPU() time.Duration { return cpuTime(syscall.RUSAGE_SELF) }

func cpuTime(who int) time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(who, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
