//go:build linux || darwin

package cluster

import (
	"runtime"
	"syscall"
	"time"
)

// usage returns the CPU time the process has used and its peak resident
// memory in bytes.
func usage() (cpu time.Duration, peakRSS int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	peakRSS = int64(ru.Maxrss)
	if runtime.GOOS == "linux" {
		peakRSS *= 1024 // kilobytes there, bytes on Darwin
	}
	return cpu, peakRSS
}
