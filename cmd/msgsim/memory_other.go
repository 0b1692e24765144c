//go:build !linux && !darwin && !windows

package main

// physicalMemory is unknown on this system: only GOMEMLIMIT bounds a run.
func physicalMemory() (int64, string) { return 0, "" }
