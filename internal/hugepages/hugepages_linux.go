package hugepages

import (
	"bufio"
	"bytes"
	"os"
	"slices"
	"strconv"
	"syscall"
	"time"
	"unsafe"
)

const (
	chunk         = 2 << 20         // a huge page
	madvHugepage  = 14              // MADV_HUGEPAGE
	madvCollapse  = 25              // MADV_COLLAPSE, Linux 6.1
	heapWindow    = uint64(1) << 38 // how far from a heap object the heap's mappings may lie: 256 GiB
	watchInterval = 100 * time.Millisecond
)

// Start asks for huge pages for the heap from now on, unless the machine
// or the environment says not to, and returns a function that stops
// asking. It returns at once; the work happens on a goroutine of its own.
func Start() (stop func()) {
	if !wanted(KernelMode(), os.Getenv("GODEBUG"), os.Getenv("MSGSIM_HUGEPAGES")) {
		return func() {}
	}
	w := newWatcher()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		for {
			w.advise()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done) }
}

// heapMark is an object on the heap: the heap's mappings lie near it.
var heapMark = new([64]byte)

// watcher remembers which chunks it has collapsed, so each is copied at
// most once and a chunk the runtime later returns to the kernel is not
// brought back.
type watcher struct {
	near      uintptr
	collapsed map[uintptr]bool
	maps      []byte
	resident  []byte
}

func newWatcher() *watcher {
	return &watcher{near: uintptr(unsafe.Pointer(heapMark)), collapsed: make(map[uintptr]bool),
		resident: make([]byte, chunk/os.Getpagesize())}
}

// advise marks the heap's mappings for huge pages and collapses the chunks
// in them that hold 4 KiB pages and were not collapsed before. It returns
// the bytes of heap mapping it advised and the chunks it collapsed.
func (w *watcher) advise() (advised uintptr, collapsed int) {
	for _, r := range w.heapMappings() {
		if madvise(r.lo, r.hi-r.lo, madvHugepage) != nil {
			continue
		}
		advised += r.hi - r.lo
		for c := (r.lo + chunk - 1) &^ (chunk - 1); c+chunk <= r.hi; c += chunk {
			if w.collapsed[c] || !w.touched(c) {
				continue // an untouched chunk will fault in as a huge page
			}
			w.collapsed[c] = true
			if madvise(c, chunk, madvCollapse) == nil {
				collapsed++
			}
		}
	}
	return advised, collapsed
}

// touched reports whether any page of the chunk at c is resident.
func (w *watcher) touched(c uintptr) bool {
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, c, chunk, uintptr(unsafe.Pointer(&w.resident[0]))); e != 0 {
		return false
	}
	return slices.ContainsFunc(w.resident, func(b byte) bool { return b&1 != 0 })
}

type mapping struct{ lo, hi uintptr }

// heapMappings returns the process's private anonymous read-write
// mappings of at least a huge page that lie near the heap.
func (w *watcher) heapMappings() []mapping {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil
	}
	defer f.Close()
	var ms []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// address perms offset dev inode [path]
		fs := bytes.Fields(sc.Bytes())
		if len(fs) != 5 || string(fs[1]) != "rw-p" {
			continue // a file, the stack, or not writable
		}
		lo, hi, ok := bytes.Cut(fs[0], []byte("-"))
		if !ok {
			continue
		}
		l, err1 := strconv.ParseUint(string(lo), 16, 64)
		h, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || h-l < chunk {
			continue
		}
		if near := uint64(w.near); h+heapWindow > near && l < near+heapWindow {
			ms = append(ms, mapping{uintptr(l), uintptr(h)})
		}
	}
	return ms
}

func madvise(addr, n uintptr, advice int) error {
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, addr, n, uintptr(advice)); e != 0 {
		return e
	}
	return nil
}
