package sim

import (
	"fmt"
	"time"
)

// UserID identifies a user. Users are numbered densely from 0, so per-user
// state lives in slices, not maps.
type UserID uint32

// ThreadID identifies a conversation thread. A direct thread's id is derived
// from its two members, so every part of a run names it the same way without
// coordination; a group thread's id has the top bit set and a group number.
type ThreadID uint64

const groupBit = ThreadID(1) << 63

// Direct returns the id of the direct thread between a and b.
func Direct(a, b UserID) ThreadID {
	if a > b {
		a, b = b, a
	}
	return ThreadID(a)<<32 | ThreadID(b)
}

// Group returns the id of group number n.
func Group(n uint32) ThreadID { return groupBit | ThreadID(n) }

// IsGroup reports whether t is a group thread.
func (t ThreadID) IsGroup() bool { return t&groupBit != 0 }

// Pair returns the two members of a direct thread, lower id first.
func (t ThreadID) Pair() (UserID, UserID) { return UserID(t >> 32), UserID(t) }

// GroupNumber returns the group number of a group thread.
func (t ThreadID) GroupNumber() uint32 { return uint32(t) }

// Other returns the member of direct thread t that is not u.
func (t ThreadID) Other(u UserID) UserID {
	a, b := t.Pair()
	if a == u {
		return b
	}
	return a
}

func (t ThreadID) String() string {
	if t.IsGroup() {
		return fmt.Sprintf("group#%d", t.GroupNumber())
	}
	a, b := t.Pair()
	return fmt.Sprintf("direct#%d-%d", a, b)
}

// MsgKey names a message independently of where it lands in its thread: the
// workload assigns it when it generates the send, so a later delete or edit
// can refer to the message before anyone knows its sequence number.
type MsgKey uint64

// Seq is a message's position in its thread, from 1.
type Seq uint32

// Time is simulated time in nanoseconds since the start of a run. Windows
// such as "delete within 60 minutes" are judged on it, never on a wall clock.
type Time int64

// Add returns t moved forward by d.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

// Sub returns the simulated duration t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

func (t Time) String() string { return time.Duration(t).String() }
