package sim

// Digest returns a stable hash of everything users can observe: each
// user's connections, blocks, settings, counters, inbox and entries, each
// thread's pair state, and every member's view of it. Two runs with equal
// digests are indistinguishable to every user. It reads the threads once,
// in id order, so a store that unpacks them (ThreadStore) unpacks each
// once.
func (s *State) Digest() uint64 {
	var h digester
	var es, inbox []Entry
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
		es = u.appendEntries(es[:0])
		inbox = appendInbox(inbox[:0], es)
		for _, e := range inbox {
			h.num(uint64(e.Thread), uint64(e.Unread))
			h.flag(e.Muted)
			h.flag(e.Member)
		}
		for _, e := range es {
			h.num(uint64(e.Thread), uint64(e.Unread))
			h.flag(e.Archived)
			h.flag(e.Removed)
			h.flag(e.Muted)
		}
	}
	var ls []Line
	for t := range s.AllThreads() {
		h.num(uint64(t.ID), uint64(t.Last()), uint64(t.Reports))
		h.flag(t.Pair.Connected)
		h.flag(t.Pair.BlockedBy[0])
		h.flag(t.Pair.BlockedBy[1])
		p := s.PolicyOf(t)
		for i := range t.members {
			mb := &t.members[i]
			ls = t.appendView(ls[:0], mb, p)
			h.num(uint64(mb.User), uint64(len(ls)))
			for _, l := range ls {
				h.num(uint64(l.Seq), uint64(l.Author), uint64(l.At))
				h.flag(l.Tombstone)
				h.text(l.Text)
			}
		}
	}
	return h.h
}

// digester hashes 64-bit words, each mixed into the hash with the
// splitmix64 finalizer (mix64): for a given hash so far each step is a
// bijection of the word, and the reverse, so two inputs that differ in
// one word always differ after it. FNV-1a, a byte at a time, was about a
// quarter of a deterministic 100k-user bench's CPU (it digests twice).
type digester struct{ h uint64 }

func (d *digester) num(vs ...uint64) {
	for _, v := range vs {
		d.h = mix64(d.h, v)
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

// text hashes the text's length, then its bytes eight at a time,
// little-endian, the last word padded with zeros.
func (d *digester) text(s string) {
	d.num(uint64(len(s)))
	for len(s) > 0 {
		var w uint64
		n := min(len(s), 8)
		for i := range n {
			w |= uint64(s[i]) << (8 * i)
		}
		d.num(w)
		s = s[n:]
	}
}
