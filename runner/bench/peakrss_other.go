//go:build !linux && !darwin

package bench

// peakRSS returns 0: this system's peak resident memory is not read here,
// and the bench leaves the figure out.
func peakRSS() int64 { return 0 }

// resetPeakRSS reports false: the peak is the whole process's here.
func resetPeakRSS() bool { return false }
