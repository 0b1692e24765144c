package runner

import "sync/atomic"

// counter is an atomic counter padded to its own cache line, so counters
// that different cores bump do not share a line.
type counter struct {
	atomic.Int64
	_ [56]byte
}
