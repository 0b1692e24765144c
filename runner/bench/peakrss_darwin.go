package bench

import "syscall"

// peakRSS returns the process's peak resident memory in bytes, or 0 where
// the system does not say.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) // bytes on macOS
}

// resetPeakRSS reports false: the peak is the whole process's here.
func resetPeakRSS() bool { return false }
