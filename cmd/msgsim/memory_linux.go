package main

import (
	"os"
	"strconv"
	"strings"
)

// physicalMemory returns the machine's memory in bytes from /proc/meminfo,
// or the memory limit of the cgroup msgsim runs in when that is lower,
// with which of the two it is; 0 where neither can be read.
func physicalMemory() (int64, string) {
	total, source := memTotal(), "physical memory"
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if limit := readBytes(path); limit > 0 && (total == 0 || limit < total) {
			total, source = limit, "the container's memory limit"
		}
	}
	return total, source
}

// memTotal reads MemTotal from /proc/meminfo.
func memTotal() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// readBytes reads a cgroup file holding a number of bytes; "max" and
// anything unreadable are 0.
func readBytes(path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}
