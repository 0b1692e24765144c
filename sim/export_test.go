package sim

import (
	"testing"
	"unsafe"
)

// Helpers only the tests use; the external tests (package sim_test) see
// them too.

// Unpack returns thread id as Pack encoded it in b, with its texts numbered
// in x, in a new Thread.
func Unpack(id ThreadID, b []byte, x *Texts) (*Thread, error) {
	t := new(Thread)
	if err := t.Unpack(id, b, x); err != nil {
		return nil, err
	}
	return t, nil
}

// write appends b as it is, for tests that build a history by hand.
func (h *history) write(b []byte) {
	if h.reserve(len(b)) {
		h.n += uint32(copy(unsafe.Slice(h.p, h.c)[h.n:], b))
	}
}

// Designed returns the expectations of a run under the named preset, for
// the behaviour scripts.
func Designed(t testing.TB, name string) Expectations { return designed(t, name) }
