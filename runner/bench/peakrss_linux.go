package bench

import (
	"os"
	"syscall"
)

// peakRSS returns the process's peak resident memory in bytes, or 0 where
// the system does not say.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024 // kilobytes on Linux
}

// resetPeakRSS starts the peak over from the resident memory now, so the
// bench can give the engine's peak apart from the reference model's; it
// reports whether the system allowed it.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}
