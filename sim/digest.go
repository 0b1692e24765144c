package sim

import "iter"

// Digest returns a stable hash of everything users can observe: each
// user's connections, blocks, settings, counters, inbox and entries, each
// thread's pair state, and every member's view of it. Two runs with equal
// digests are indistinguishable to every user. It reads the threads once,
// in id order, so a store that unpacks them (ThreadStore) unpacks each
// once.
func (s *State) Digest() uint64 {
	return s.DigestThreads(DigestUsers(0, s.Users), s.AllThreads())
}

// DigestUsers continues digest h over users, as Digest hashes them: a
// population hashed range by range in id order, each range from the hash
// of the one before, threads after users, hashes to Digest's value. A
// cluster digests each member's shards that way.
func DigestUsers(h uint64, users []User) uint64 {
	d := digester{h}
	var es, inbox []Entry
	for i := range users {
		u := &users[i]
		d.num(uint64(u.ID))
		d.ids(u.Connections())
		d.ids(u.Blocked())
		d.ids(u.BlockedBy())
		d.flag(u.NotifyOff)
		c := &u.Counters
		d.num(uint64(c.Received), uint64(c.Hidden), uint64(c.Posts))
		for _, n := range c.Notified {
			d.num(uint64(n))
		}
		for _, n := range c.Suppressed {
			d.num(uint64(n))
		}
		es = u.appendEntries(es[:0])
		inbox = appendInbox(inbox[:0], es)
		for _, e := range inbox {
			d.num(uint64(e.Thread), uint64(e.Unread))
			d.flag(e.Muted)
			d.flag(e.Member)
		}
		for _, e := range es {
			d.num(uint64(e.Thread), uint64(e.Unread))
			d.flag(e.Archived)
			d.flag(e.Removed)
			d.flag(e.Muted)
		}
	}
	return d.h
}

// DigestThreads continues digest h over threads, which must come in
// ascending id order, as Digest hashes them under s's policies.
func (s *State) DigestThreads(h uint64, threads iter.Seq[*Thread]) uint64 {
	d := digester{h}
	var ls []Line
	for t := range threads {
		d.num(uint64(t.ID), uint64(t.Last()), uint64(t.Reports))
		d.flag(t.Pair.Connected)
		d.flag(t.Pair.BlockedBy[0])
		d.flag(t.Pair.BlockedBy[1])
		p := s.PolicyOf(t)
		for i := range t.members {
			mb := &t.members[i]
			ls = t.appendView(ls[:0], mb, p)
			d.num(uint64(mb.User), uint64(len(ls)))
			for _, l := range ls {
				d.num(uint64(l.Seq), uint64(l.Author), uint64(l.At))
				d.flag(l.Tombstone)
				d.text(l.Text)
			}
		}
	}
	return d.h
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
