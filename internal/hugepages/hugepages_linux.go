package hugepages

import (
	"bufio"
	"bytes"
	"os"
	"runtime/metrics"
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
// asking. It returns at once; the work happens on a goroutine of its own,
// which looks at the process's mappings only after the runtime has mapped
// more memory: Go's heap grows by new mappings, each of which needs
// advising once, and a heap that has stopped growing costs one read of a
// runtime metric every 100 ms.
func Start() (stop func()) {
	if !wanted(KernelMode(), os.Getenv("GODEBUG"), os.Getenv("MSGSIM_HUGEPAGES")) {
		return func() {}
	}
	w := newWatcher()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		mapped := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		var seen uint64
		for {
			if metrics.Read(mapped); mapped[0].Value.Uint64() != seen {
				seen = mapped[0].Value.Uint64()
				w.advise()
			}
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
	resident  []byte
}

func newWatcher() *watcher {
	return &watcher{near: uintptr(unsafe.Pointer(heapMark)), collapsed: make(map[uintptr]bool),
		resident: make([]byte, chunk/os.Getpagesize())}
}

// advise marks the heap's mappings for huge pages and collapses the chunks
// in them that hold 4 KiB pages and were not collapsed before. It returns
// the bytes of heap mapping it advised and the chunks it collapsed.
func (w *watcher) advise() (advised uintptr, collapsed []uintptr) {
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
				collapsed = append(collapsed, c)
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
		if m, ok := anonMapping(sc.Bytes()); ok && m.hi-m.lo >= chunk && m.near(w.near) {
			ms = append(ms, m)
		}
	}
	return ms
}

// anonMapping parses a line of /proc/self/maps (address perms offset dev
// inode [path or name]) and reports whether it is a private anonymous
// read-write mapping: not a file, the stack or the C heap. Go names its
// own mappings "[anon: Go: heap]" and the like where the kernel keeps
// names, and leaves them unnamed elsewhere.
func anonMapping(line []byte) (mapping, bool) {
	fs := bytes.Fields(line)
	if len(fs) < 5 || string(fs[1]) != "rw-p" || len(fs) > 5 && !bytes.HasPrefix(fs[5], []byte("[anon:")) {
		return mapping{}, false
	}
	lo, hi, ok := bytes.Cut(fs[0], []byte("-"))
	if !ok {
		return mapping{}, false
	}
	l, err1 := strconv.ParseUint(string(lo), 16, 64)
	h, err2 := strconv.ParseUint(string(hi), 16, 64)
	if err1 != nil || err2 != nil || h < l {
		return mapping{}, false
	}
	return mapping{uintptr(l), uintptr(h)}, true
}

// near reports whether m lies within heapWindow of the heap object at p.
func (m mapping) near(p uintptr) bool {
	return uint64(m.hi)+heapWindow > uint64(p) && uint64(m.lo) < uint64(p)+heapWindow
}

func madvise(addr, n uintptr, advice int) error {
	if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, addr, n, uintptr(advice)); e != 0 {
		return e
	}
	return nil
}
