package hugepages

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseCollapsesTheHeap touches 64 MiB of heap in 4 KiB pages and
// requires one pass of the watcher to turn most of it into huge pages.
func TestAdviseCollapsesTheHeap(t *testing.T) {
	if m := KernelMode(); m != Madvise {
		t.Skipf("transparent huge pages are %q here; the watcher acts only in madvise mode", m)
	}
	buf := make([]byte, 64<<20)
	for i := 0; i < len(buf); i += os.Getpagesize() {
		buf[i] = 1
	}
	lo := uintptr(unsafe.Pointer(&buf[0]))
	before := hugeIn(t, lo, lo+uintptr(len(buf)))
	w := newWatcher()
	advised, collapsed := w.advise()
	after := hugeIn(t, lo, lo+uintptr(len(buf)))
	t.Logf("advised %d MiB, collapsed %d chunks; huge pages under the buffer %d -> %d MiB", advised>>20, collapsed, before>>20, after>>20)
	if advised < uintptr(len(buf)) || after < 48<<20 {
		t.Fatalf("huge pages under a 64 MiB buffer: %d MiB after advise, want at least 48", after>>20)
	}
	if _, again := w.advise(); again != 0 {
		t.Errorf("a second pass collapsed %d chunks again", again)
	}
	buf[0] = 2 // keep buf alive to here
}

// hugeIn returns the AnonHugePages of the mappings overlapping [lo, hi).
func hugeIn(t *testing.T, lo, hi uintptr) uintptr {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var total uintptr
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		if a, b, ok := strings.Cut(fs[0], "-"); ok { // a mapping's header: lo-hi perms ...
			l, err1 := strconv.ParseUint(a, 16, 64)
			h, err2 := strconv.ParseUint(b, 16, 64)
			if err1 == nil && err2 == nil {
				in = uintptr(l) < hi && uintptr(h) > lo
				continue
			}
		}
		if rest, ok := strings.CutPrefix(line, "AnonHugePages:"); ok && in {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			total += uintptr(kb) << 10
		}
	}
	return total
}
