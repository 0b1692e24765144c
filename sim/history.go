package sim

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// history is a user's own record of what reached the user and what the
// user decided, in the order the user applied it: the facts the checker
// judges a user by (check_user.go). Each user is handled by one actor at
// a time, so this order is well defined in parallel runs too, where no
// global order of operations exists.
//
// A record holds what arrived (a delivery as the thread sent it, a pair
// state as the direct thread sent it, a setting as the operation asked
// for it) or what the user decided (a profile view's outcome, a group
// addition's checks, a post's fan-out), never what the user derived from
// it (a notification raised, an unread count): those the checker
// recomputes and compares.
//
// A record is a byte of kind and flags and up to three varints of up to
// 5 bytes each, 1 to 16 bytes (a notification setting is the byte alone,
// a group delivery or delete notice the longest), and a creation's
// member ids on top: a direct delivery about 5. The bytes live behind a
// 16-byte header, so a User stays 128 bytes (see User).
type history struct {
	p    *byte
	n, c uint32
}

// maxHistory is the longest history a user keeps; past it the user stops
// recording, and the checker judges that user on its connection replicas
// alone (replicas), skipping its history, without a violation or a note.
// A user would need about 800 million deliveries to reach it.
const maxHistory = 1<<32 - 1

func (h *history) bytes() []byte {
	if h.p == nil {
		return nil
	}
	return unsafe.Slice(h.p, h.c)[:h.n]
}

// full reports whether the history stopped recording.
func (h *history) full() bool { return h.n == maxHistory }

// record kinds, the low four bits of a record's first byte. Bit 4 says a
// thread key names a group (histGroup); bits 5 to 7 are the kind's flags.
type hkind uint8

const (
	hDelivered    hkind = iota // key, seq, author of a group message; flags: hSender, hVisible
	hJoined                    // key, seq: the join position
	hLeft                      // key
	hCleared                   // key
	hPair                      // other user; flags: the pair state (hConnected, hBlocks, hBlockedBy)
	hPostNotice                // author
	hDeleteNotice              // key, seq, author of a group message
	hInbox                     // key; flags: the action (inboxAction); the thread was in the index
	hInboxMissing              // key; flags: the action; the thread was not in the index (not_found)
	hNotify                    // flags: hOn when notifications were turned on
	hProfile                   // target; flags: hRefused when the view was refused as blocked
	hAdd                       // group, member; flags: the adder's own check (preBits)
	hCreate                    // group, member count, members; flags: the owner's own check
	hPost                      // notices sent
	numHKinds
)

const (
	histKind  = 0x0f
	histGroup = 0x10
	histShift = 5

	hSender  = 1 // the delivered message is the user's own
	hVisible = 2 // the user sees the delivered message

	hConnected = 1 // the pair is connected
	hBlocks    = 2 // the user blocks the other
	hBlockedBy = 4 // the other blocks the user

	hOn      = 1
	hRefused = 1
)

// inboxAction numbers the actions a hInbox record names.
func inboxAction(a Action) uint8 {
	switch a {
	case Archive:
		return 0
	case Unarchive:
		return 1
	case Mute:
		return 2
	case Unmute:
		return 3
	}
	return 4 // Read
}

var inboxActions = [5]Action{Archive, Unarchive, Mute, Unmute, Read}

// preBits encodes the outcome of a user's own group-addition check.
func preBits(o Outcome) uint8 {
	switch o {
	case OK:
		return 0
	case Blocked:
		return 1
	case NotConnected:
		return 2
	}
	return 3
}

var preOutcomes = [4]Outcome{OK, Blocked, NotConnected, Invalid}

// append adds one record: its kind with flags, then vs as varints,
// written in place at the history's end.
func (h *history) append(k hkind, group bool, flags uint8, vs ...uint64) {
	need := 1
	for _, v := range vs {
		need += uvarintLen(v)
	}
	if !h.reserve(need) {
		return
	}
	b := unsafe.Slice(h.p, h.c)
	i := int(h.n)
	b[i] = byte(k) | flags<<histShift
	if group {
		b[i] |= histGroup
	}
	i++
	for _, v := range vs {
		i += binary.PutUvarint(b[i:], v)
	}
	h.n = uint32(i)
}

// appendIDs adds ids to the record just appended: hCreate's members,
// after their count.
func (h *history) appendIDs(ids []UserID) {
	for _, v := range ids {
		if !h.reserve(uvarintLen(uint64(v))) {
			return
		}
		b := unsafe.Slice(h.p, h.c)
		h.n += uint32(binary.PutUvarint(b[h.n:], uint64(v)))
	}
}

// uvarintLen returns how many bytes binary.PutUvarint writes for v.
func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

// reserve makes room for n more bytes and reports whether there is: a
// history that would pass maxHistory stops recording (full). The bytes
// grow by half at a time (32 bytes at least), not by doubling: a history
// is a user's largest state after its inbox. Growing by a quarter held
// 9% less (13.6 against 15.0 MB at 100,000 users and a million
// operations) but reallocated and copied so often that growth was most
// of what recording cost (0.56 against 0.16 s of CPU).
func (h *history) reserve(n int) bool {
	if h.full() {
		return false
	}
	need := uint64(h.n) + uint64(n)
	if need >= maxHistory {
		h.n = maxHistory
		return false
	}
	if need <= uint64(h.c) {
		return true
	}
	grown := make([]byte, h.n, max(need, uint64(h.n)+max(32, uint64(h.n)/2)))
	copy(grown, h.bytes())
	h.p, h.c = unsafe.SliceData(grown), uint32(cap(grown))
	return true
}

// histKey returns a thread as user u's records name it: the other user of
// a direct thread, or the number of a group (and true).
func histKey(u UserID, t ThreadID) (uint64, bool) {
	if t.IsGroup() {
		return uint64(t.GroupNumber()), true
	}
	return uint64(t.Other(u)), false
}

// hrec is one decoded record.
type hrec struct {
	kind    hkind
	group   bool
	flags   uint8
	key     uint32 // a thread's key, or the other user, target or author
	seq     Seq
	author  UserID
	n       uint32   // hPost's notices, hCreate's member count
	members []UserID // hCreate's members, valid until the next record
}

// thread returns the thread a record names, for user u.
func (r *hrec) thread(u UserID) ThreadID {
	if r.group {
		return Group(r.key)
	}
	return Direct(u, UserID(r.key))
}

// authorOf returns the author of the message a hDelivered or hDeleteNotice
// record of user u names: a group's records say; in a direct thread it is
// u for u's own copy, the other user otherwise.
func (r *hrec) authorOf(u UserID) UserID {
	switch {
	case r.group:
		return r.author
	case r.kind == hDelivered && r.flags&hSender != 0:
		return u
	}
	return UserID(r.key)
}

// histReader decodes a history record by record.
type histReader struct {
	b   []byte
	off int
	bad bool // the bytes ended inside a record
	ids []UserID
}

func (d *histReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.bad = true
		d.off = len(d.b)
		return 0
	}
	d.off += n
	return v
}

// next decodes the next record into r and reports whether there was one.
func (d *histReader) next(r *hrec) bool {
	if d.off >= len(d.b) {
		return false
	}
	first := d.b[d.off]
	d.off++
	*r = hrec{kind: hkind(first & histKind), group: first&histGroup != 0, flags: first >> histShift}
	switch r.kind {
	case hDelivered, hDeleteNotice:
		r.key, r.seq = uint32(d.uvarint()), Seq(d.uvarint())
		if r.group {
			r.author = UserID(d.uvarint())
		}
	case hJoined:
		r.key, r.seq = uint32(d.uvarint()), Seq(d.uvarint())
	case hLeft, hCleared, hInbox, hInboxMissing, hPair, hPostNotice, hProfile:
		r.key = uint32(d.uvarint())
	case hAdd:
		r.key, r.author = uint32(d.uvarint()), UserID(d.uvarint())
	case hCreate:
		r.key, r.n = uint32(d.uvarint()), uint32(d.uvarint())
		d.ids = d.ids[:0]
		for i := uint32(0); i < r.n && !d.bad; i++ {
			d.ids = append(d.ids, UserID(d.uvarint()))
		}
		r.members = d.ids
	case hPost:
		r.n = uint32(d.uvarint())
	case hNotify:
	default:
		d.bad = true
		d.off = len(d.b)
		return false
	}
	return !d.bad
}
