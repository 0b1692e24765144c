package main

import "golang.org/x/sys/unix"

// physicalMemory returns the machine's memory in bytes (sysctl
// hw.memsize), or 0 where it cannot be read.
func physicalMemory() (int64, string) {
	n, err := unix.SysctlUint64("hw.memsize")
	if err != nil || n == 0 || n > 1<<62 {
		return 0, ""
	}
	return int64(n), "physical memory"
}
