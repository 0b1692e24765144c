package workload

import (
	"cmp"
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// habitKind says what a habit event does when its time comes.
type habitKind uint8

const (
	goOn            habitKind = iota // the user goes on with a session
	reply                            // the user replies in a thread
	readThread                       // the user reads a thread
	archiveThread                    // ... archives it, a tidy delay after reading it
	unarchiveThread                  // ... takes it back out of the archive
	muteThread                       // ... mutes it, being noisy
	unmuteThread                     // ... unmutes it
	clearThread                      // ... deletes it from their inbox (delete_thread)
	deleteReceived                   // ... deletes a received message for themself
	greetGroup                       // a group's creator writes its first message
	retryDelete                      // a stale client sends a delete for me again
	editAgain                        // a stale client edits the same message again
)

// habit is an action of the realistic model due at a fixed simulated
// time: 32 bytes.
type habit struct {
	at sim.Time
	// ref is the message key of deleteReceived, retryDelete and
	// editAgain, and for the other habits
	// that a delivery caused, the delivery's time (for tests).
	ref   uint64
	user  sim.UserID
	other uint32 // the other user of a direct thread, or groupMark|group number
	kind  habitKind
}

// groupMark marks habit.other as a group number; user ids stay below it
// (sim.MaxUsers).
const groupMark = 1 << 31

func (h *habit) thread() sim.ThreadID { return threadOf(h.user, h.other) }

// threadOf returns the thread a user names by the other user of a direct
// thread or groupMark|group number.
func threadOf(u sim.UserID, other uint32) sim.ThreadID {
	if other&groupMark != 0 {
		return sim.Group(other &^ groupMark)
	}
	return sim.Direct(u, sim.UserID(other))
}

// calendar holds habits until they are due: a bucket of habits per span
// of simulated time. When the clock reaches a bucket, its habits are
// sorted by time into due, which is then consumed in order; habits pushed
// for the open bucket (a reply within seconds) go to a small heap, merged
// with due as they are popped. Pushing is thus an append to one of few
// buckets' tails (cached) and popping a read of a sorted array, while
// millions of replies and reads wait hours for their turn. Buckets are
// lists of fixed-size chunks taken from a free list, so a run in its
// stride allocates nothing and copies nothing. Memory follows the habits
// waiting, which delays past the end of the workload never add.
type calendar struct {
	width      sim.Time // of a bucket
	cur        int      // buckets before and at cur have been opened
	head, tail []int32  // each bucket's first and last chunk, -1 for none
	chunks     []*chunk
	free       []int32
	due        []habit // the open bucket's habits sorted by time, from next
	next       int
	heap       []habit // habits pushed for the open bucket after it opened
	waiting    int
}

// chunk is a piece of a bucket's list.
type chunk struct {
	n    int32
	next int32
	h    [chunkLen]habit
}

const chunkLen = 127 // a chunk is 4 KiB

// calendarBuckets is the most buckets a workload's duration is split
// into; a bucket is at least bucketWidth wide, which holds a few thousand
// habits at a million users.
const (
	calendarBuckets = 1 << 16
	bucketWidth     = 16 * sim.Time(1e9)
)

func newCalendar(end sim.Time) calendar {
	w := max(end/calendarBuckets+1, bucketWidth)
	n := end/w + 2
	c := calendar{width: w, head: make([]int32, n), tail: make([]int32, n)}
	for i := range c.head {
		c.head[i], c.tail[i] = -1, -1
	}
	return c
}

func (c *calendar) bucket(t sim.Time) int { return min(int(t/c.width), len(c.head)-1) }

func (c *calendar) push(h habit) {
	c.waiting++
	b := c.bucket(h.at)
	if b <= c.cur {
		c.heapPush(h)
		return
	}
	t := c.tail[b]
	if t < 0 || c.chunks[t].n == chunkLen {
		k := c.chunk()
		if t < 0 {
			c.head[b] = k
		} else {
			c.chunks[t].next = k
		}
		c.tail[b], t = k, k
	}
	ch := c.chunks[t]
	ch.h[ch.n] = h
	ch.n++
}

// chunk returns an empty chunk from the free list, or a new one.
func (c *calendar) chunk() int32 {
	if n := len(c.free); n > 0 {
		k := c.free[n-1]
		c.free = c.free[:n-1]
		return k
	}
	c.chunks = append(c.chunks, &chunk{next: -1})
	return int32(len(c.chunks) - 1)
}

// peek returns the next habit, or nil when none is due by limit: buckets
// starting after limit stay unopened, so that habits pushed meanwhile for
// earlier times still go to their bucket.
func (c *calendar) peek(limit sim.Time) *habit {
	for c.next == len(c.due) && len(c.heap) == 0 {
		if c.waiting == 0 || c.cur+1 >= len(c.head) || sim.Time(c.cur+1)*c.width > limit {
			return nil
		}
		c.open()
	}
	switch {
	case c.next == len(c.due):
		return &c.heap[0]
	case len(c.heap) > 0 && c.heap[0].at < c.due[c.next].at:
		return &c.heap[0]
	}
	return &c.due[c.next]
}

// open moves the next bucket's habits to due, sorted by time.
func (c *calendar) open() {
	c.cur++
	c.due, c.next = c.due[:0], 0
	for k := c.head[c.cur]; k >= 0; {
		ch := c.chunks[k]
		c.due = append(c.due, ch.h[:ch.n]...)
		next := ch.next
		ch.n, ch.next = 0, -1
		c.free = append(c.free, k)
		k = next
	}
	c.head[c.cur], c.tail[c.cur] = -1, -1
	slices.SortFunc(c.due, func(a, b habit) int { return cmp.Compare(a.at, b.at) })
}

// pop removes and returns the habit peek returned.
func (c *calendar) pop() habit {
	c.waiting--
	if c.next < len(c.due) && (len(c.heap) == 0 || c.due[c.next].at <= c.heap[0].at) {
		c.next++
		return c.due[c.next-1]
	}
	return c.heapPop()
}

func (c *calendar) heapPop() habit {
	h := c.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].at < h[l].at {
			m = r
		}
		if h[m].at >= h[i].at {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	c.heap = h
	return top
}

func (c *calendar) heapPush(e habit) {
	c.heap = append(c.heap, e)
	h := c.heap
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[i].at >= h[p].at {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}
