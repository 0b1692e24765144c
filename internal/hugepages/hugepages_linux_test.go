package hugepages

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
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
	t.Logf("advised %d MiB, collapsed %d chunks; huge pages under the buffer %d -> %d MiB", advised>>20, len(collapsed), before>>20, after>>20)
	if advised < uintptr(len(buf)) || after < 48<<20 {
		t.Fatalf("huge pages under a 64 MiB buffer: %d MiB after advise, want at least 48", after>>20)
	}
	// A second pass collapses no chunk under the buffer again (it may
	// collapse chunks that the test's own allocations touched meanwhile).
	_, again := w.advise()
	for _, c := range again {
		if c >= lo && c < lo+uintptr(len(buf)) {
			t.Errorf("a second pass collapsed the chunk at %#x, under the buffer, again", c)
		}
	}
	buf[0] = 2 // keep buf alive to here
}

// TestAnonMapping: the watcher takes private anonymous read-write
// mappings, named by Go or not, and nothing else.
func TestAnonMapping(t *testing.T) {
	for line, want := range map[string]bool{
		"c000000000-c004000000 rw-p 00000000 00:00 0":                                   true,
		"c000000000-c004000000 rw-p 00000000 00:00 0 [anon: Go: heap]":                  true,
		"c000000000-c004000000 rw-p 00000000 00:00 0                  [anon: Go: heap]": true,
		"c000000000-c004000000 r--p 00000000 00:00 0":                                   false,
		"c000000000-c004000000 rw-s 00000000 00:05 12 /dev/zero (deleted)":              false,
		"7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]":                       false,
		"01e4c000-01e6d000 rw-p 00000000 00:00 0 [heap]":                                false,
		"7f0000000000-7f0000200000 rw-p 00001000 08:01 1234 /usr/lib/libc.so.6":         false,
		"c004000000-c000000000 rw-p 00000000 00:00 0":                                   false,
		"garbage": false,
	} {
		m, ok := anonMapping([]byte(line))
		if ok != want {
			t.Errorf("anonMapping(%q) = %v, want %v", line, ok, want)
		}
		// uint64: the addresses overflow a 32-bit uintptr, and the test
		// builds for linux/386 too.
		if ok && (uint64(m.lo) != 0xc000000000 || uint64(m.hi) != 0xc004000000) {
			t.Errorf("anonMapping(%q) = [%#x, %#x)", line, m.lo, m.hi)
		}
	}
}

// hugeIn returns the AnonHugePages of the mappings overlapping [lo, hi).
func hugeIn(t testing.TB, lo, hi uintptr) uintptr {
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

// BenchmarkColdRead measures what a simulation's state costs to read at
// random on this machine: one op is a read whose address depends on the
// read before it, each on a cache line of its own, as a step's reads of a
// user, its inbox and its thread are. 1 MiB stays in the caches; 512 MiB
// is about what a million users and a few million messages take, read in
// 4 KiB pages and in huge pages. The "huge" metric is the fraction of the
// buffer the kernel put in huge pages.
func BenchmarkColdRead(b *testing.B) {
	for _, size := range []int{1 << 20, 512 << 20} {
		for _, huge := range []bool{false, true} {
			if huge && size < chunk {
				continue // no huge page fits
			}
			pages := "4KiB"
			if huge {
				pages = "2MiB"
			}
			b.Run(fmt.Sprintf("size=%dMiB/pages=%s", size>>20, pages), func(b *testing.B) {
				if huge && KernelMode() != Madvise && KernelMode() != Always {
					b.Skipf("transparent huge pages are %q here", KernelMode())
				}
				mem, lines := chain(b, size, huge)
				b.ResetTimer()
				p := uint64(0)
				for range b.N {
					p = lines[p]
				}
				b.StopTimer()
				if p >= uint64(len(lines)) {
					b.Fatal("the chain left the buffer")
				}
				lo := uintptr(unsafe.Pointer(&lines[0]))
				b.ReportMetric(float64(hugeIn(b, lo, lo+uintptr(size)))/float64(size), "huge")
				if err := syscall.Munmap(mem); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// chain maps size bytes aligned to a huge page, in huge pages if huge,
// and links one word of every cache line into a single cycle that visits
// the lines in a pseudo-random order: line i leads to line a*i+c mod n, a
// full-period generator whose steps the hardware prefetchers cannot
// follow. It returns the mapping, to unmap, and the aligned words.
func chain(b *testing.B, size int, huge bool) (mem []byte, words []uint64) {
	mem, err := syscall.Mmap(-1, 0, size+chunk, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		b.Fatal(err)
	}
	off := (chunk - uintptr(unsafe.Pointer(&mem[0]))%chunk) % chunk
	buf := mem[off : off+uintptr(size)]
	if huge {
		if err := madvise(uintptr(unsafe.Pointer(&buf[0])), uintptr(size), madvHugepage); err != nil {
			_ = syscall.Munmap(mem)
			b.Skip(err)
		}
	}
	words = unsafe.Slice((*uint64)(unsafe.Pointer(&buf[0])), size/8)
	const perLine = 8
	n := uint64(len(words) / perLine) // a power of two
	for i := range n {
		words[i*perLine] = (i*6364136223846793005 + 1442695040888963407) % n * perLine
	}
	return mem, words
}
