package scenarios

// Formatting that only the tests use: the runner reports a threshold by
// its Source and never prints a pace.

// String formats p as a scenario file writes it.
func (p Pace) String() string {
	switch {
	case p.Speedup > 0:
		return formatFloat(p.Speedup) + "x"
	case p.OpsPerSec > 0:
		return formatFloat(p.OpsPerSec) + "/s"
	}
	return "max"
}

// String returns the threshold as written.
func (t Threshold) String() string { return t.Source }
