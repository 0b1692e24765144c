// Package hugepages backs the Go heap with transparent huge pages on Linux
// machines that give them only to memory that asks for them
// (/sys/kernel/mm/transparent_hugepage/enabled set to madvise, the default
// of many distributions and of this project's machines).
//
// A simulation of a million users reads gigabytes of users and threads at
// random, so with 4 KiB pages nearly every cold read also misses the TLB
// and walks page tables that do not fit in the caches. Go does not ask for
// huge pages for its heap, so this package does, from a goroutine that
// looks at the process's mappings whenever the runtime has mapped more
// memory (checked ten times a second): it marks the heap's mappings
// MADV_HUGEPAGE, so what is faulted in later comes in 2 MiB pages, and
// collapses (MADV_COLLAPSE) once each 2 MiB chunk that already had 4 KiB
// pages when it first saw it. The heap has to be watched because Go grows
// it by new mappings, a few MiB at a time, each touched at once; advising
// only the few arrays of hundreds of megabytes when they are made (the
// engine's users) measured no gain, while the whole heap saved about a
// tenth of a 1M-user bench's CPU (docs/performance.md, item 8).
//
// It changes no result, only speed; it does nothing where the kernel
// already backs everything with huge pages or never does, where GODEBUG
// has disablethp=1, or where MSGSIM_HUGEPAGES=off.
package hugepages

import (
	"os"
	"strings"
)

// Mode is what the kernel does with transparent huge pages.
type Mode string

// The kernel's modes (transparent_hugepage/enabled).
const (
	Always  Mode = "always"
	Madvise Mode = "madvise"
	Never   Mode = "never"
	Unknown Mode = ""
)

// KernelMode returns the machine's transparent huge page mode, read from
// a line such as "always [madvise] never".
func KernelMode() Mode {
	data, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return Unknown
	}
	return parseMode(string(data))
}

func parseMode(s string) Mode {
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "[") && strings.HasSuffix(f, "]") {
			switch m := Mode(strings.Trim(f, "[]")); m {
			case Always, Madvise, Never:
				return m
			}
		}
	}
	return Unknown
}

// wanted reports whether the process should ask for huge pages itself.
func wanted(mode Mode, godebug, setting string) bool {
	if strings.EqualFold(setting, "off") || strings.EqualFold(setting, "0") {
		return false
	}
	for _, kv := range strings.Split(godebug, ",") {
		if strings.TrimSpace(kv) == "disablethp=1" {
			return false
		}
	}
	return mode == Madvise
}
