package sim

import (
	"encoding/binary"
	"hash"
	"hash/fnv"
)

// Digest returns a stable hash of everything users can observe: each
// user's connections, blocks, settings, counters, inbox and the view of
// every thread in it, and each thread's pair state. Two runs with equal
// digests are indistinguishable to every user.
func (s *State) Digest() uint64 {
	h := digester{h: fnv.New64a()}
	for i := range s.Users {
		u := &s.Users[i]
		h.num(uint64(u.ID))
		h.ids(u.Connections())
		h.ids(u.Blocked())
		h.ids(u.BlockedBy())
		h.flag(u.NotifyOff)
		c := &u.Counters
		h.num(uint64(c.Received), uint64(c.Hidden), uint64(c.Posts))
		for _, n := range c.Notified {
			h.num(uint64(n))
		}
		for _, n := range c.Suppressed {
			h.num(uint64(n))
		}
		for _, e := range s.Inbox(u.ID) {
			h.num(uint64(e.Thread), uint64(e.Unread))
			h.flag(e.Muted)
			h.flag(e.Member)
		}
		for _, e := range u.Entries() {
			h.num(uint64(e.Thread), uint64(e.Unread))
			h.flag(e.Archived)
			h.flag(e.Removed)
			h.flag(e.Muted)
			for _, l := range s.View(u.ID, e.Thread) {
				h.num(uint64(l.Seq), uint64(l.Author), uint64(l.At))
				h.flag(l.Tombstone)
				h.text(l.Text)
			}
		}
	}
	for _, t := range s.sortedThreads() {
		h.num(uint64(t.ID), uint64(t.Last()), uint64(t.Reports))
		h.flag(t.Pair.Connected)
		h.flag(t.Pair.BlockedBy[0])
		h.flag(t.Pair.BlockedBy[1])
	}
	return h.h.Sum64()
}

type digester struct {
	h   hash.Hash64
	buf [8]byte
}

func (d *digester) num(vs ...uint64) {
	for _, v := range vs {
		binary.LittleEndian.PutUint64(d.buf[:], v)
		d.h.Write(d.buf[:])
	}
}

func (d *digester) ids(vs []UserID) {
	d.num(uint64(len(vs)))
	for _, v := range vs {
		d.num(uint64(v))
	}
}

func (d *digester) flag(b bool) {
	if b {
		d.num(1)
	} else {
		d.num(0)
	}
}

func (d *digester) text(s string) {
	d.num(uint64(len(s)))
	d.h.Write([]byte(s))
}
