package main

import (
	"syscall"
	"unsafe"
)

// memoryStatusEx is Windows' MEMORYSTATUSEX.
type memoryStatusEx struct {
	length, memoryLoad                        uint32
	totalPhys, availPhys                      uint64
	totalPageFile, availPageFile              uint64
	totalVirtual, availVirtual, availExtended uint64
}

var globalMemoryStatusEx = syscall.NewLazyDLL("kernel32.dll").NewProc("GlobalMemoryStatusEx")

// physicalMemory returns the machine's memory in bytes
// (GlobalMemoryStatusEx), or 0 where it cannot be read.
func physicalMemory() (int64, string) {
	if globalMemoryStatusEx.Find() != nil {
		return 0, ""
	}
	s := memoryStatusEx{}
	s.length = uint32(unsafe.Sizeof(s))
	if ok, _, _ := globalMemoryStatusEx.Call(uintptr(unsafe.Pointer(&s))); ok == 0 || s.totalPhys > 1<<62 {
		return 0, ""
	}
	return int64(s.totalPhys), "physical memory"
}
