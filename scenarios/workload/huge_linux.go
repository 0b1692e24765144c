package workload

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks the kernel to back the large arrays of a graph with
// transparent huge pages (where it runs them in "madvise" mode): random
// lookups in hundreds of megabytes then mostly hit the TLB instead of
// walking page tables, which under virtualisation halves their latency.
// It must be called before the array is first written. Failure is harmless
// and ignored: the array just keeps small pages.
func adviseHuge[T any](s []T) {
	const huge = 2 << 20
	s = s[:cap(s)]
	if len(s) == 0 {
		return
	}
	size := uintptr(len(s)) * unsafe.Sizeof(s[0])
	if size < 2*huge {
		return
	}
	start := uintptr(unsafe.Pointer(&s[0]))
	first := (start + huge - 1) &^ (huge - 1)
	end := (start + size) &^ (huge - 1)
	if end <= first {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(&s[0]), first-start)), end-first)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
