package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

// Texts numbers the texts of packed threads: a packed message names its
// text by number, since bytes cannot hold a string's pointer and copying
// the text into every packed thread would undo the sharing of texts that
// workloads draw from a pool. Number 0 is the empty text. A Texts only
// grows. It is not safe for concurrent use.
type Texts struct {
	ids  map[string]uint32
	list []string
	// recent remembers texts by where their bytes are, so that the texts
	// a workload draws from its pool are numbered without hashing them.
	recent [64]recentText
}

type recentText struct {
	p  *byte
	n  int
	id uint32
}

func (x *Texts) id(s string) uint32 {
	if s == "" {
		return 0
	}
	p := unsafe.StringData(s)
	r := &x.recent[uintptr(unsafe.Pointer(p))>>3%uintptr(len(x.recent))]
	if r.p == p && r.n == len(s) {
		return r.id
	}
	if i, ok := x.ids[s]; ok {
		*r = recentText{p, len(s), i}
		return i
	}
	if x.ids == nil {
		x.ids = make(map[string]uint32)
		x.list = append(x.list, "")
	}
	i := uint32(len(x.list))
	x.ids[s] = i
	x.list = append(x.list, s)
	*r = recentText{p, len(s), i}
	return i
}

// pack flags, the low four bits of a packed thread's first byte; the high
// four are its number of messages, or 15 and a varint of the number less
// 15.
const (
	packPlainPair = 1 << iota // a direct thread whose two members never cleared it
	packRare                  // deletes for me, marks or events follow
	packReports
	packCohorts
	packFlags     = 1<<iota - 1
	packCountBits = 4
	packManyMsgs  = 1<<(8-packCountBits) - 1
)

// Pack appends t to b in a compact encoding, without its id, numbering its
// texts in x; Unpack restores it. A direct thread with one message takes
// about 15 bytes in a day-long run (its key and its time in nanoseconds
// most of them), against about 150 for the Thread, its members and its
// message in memory, so an engine keeps passivated threads packed.
//
// The encoding is a byte of flags and message count, the pair states
// (direct threads), the members unless they are a direct thread's plain
// pair, the messages, then what the flags announce. Integers are
// varints; keys and times are deltas from the previous message's or
// event's, and a message's author is named by its place among the
// members.
func (t *Thread) Pack(b []byte, x *Texts) []byte {
	direct := !t.ID.IsGroup()
	var flags byte
	if direct && t.plainPair() {
		flags |= packPlainPair
	}
	r := t.r()
	if len(r.hides)+len(r.marks)+len(r.log) > 0 {
		flags |= packRare
	}
	if t.Reports != 0 {
		flags |= packReports
	}
	if t.cohorts != 0 {
		flags |= packCohorts
	}
	n := len(t.messages)
	b = append(b, flags|byte(min(n, packManyMsgs))<<packCountBits)
	if n >= packManyMsgs {
		b = binary.AppendUvarint(b, uint64(n-packManyMsgs))
	}
	if direct {
		b = append(b, pairBits(t.Pair)|pairBits(t.Init)<<4)
	}
	if flags&packPlainPair == 0 {
		b = binary.AppendUvarint(b, uint64(len(t.members)))
		for _, m := range t.members {
			b = appendUvarints(b, uint64(m.User), uint64(m.Joined), uint64(m.Cleared), uint64(m.left))
		}
	}
	var key MsgKey
	var at Time
	for i := range t.messages {
		m := &t.messages[i]
		b = binary.AppendVarint(b, int64(m.Key-key))
		b = binary.AppendVarint(b, int64(m.At-at))
		key, at = m.Key, m.At
		b = binary.AppendUvarint(b, uint64(x.id(m.Text)))
		b = t.appendAuthor(b, m.Author)
		recalled := uint64(0)
		if m.Recalled {
			recalled = 1
		}
		b = binary.AppendUvarint(b, uint64(m.Edits)<<1|recalled)
	}
	if flags&packReports != 0 {
		b = binary.AppendUvarint(b, uint64(t.Reports))
	}
	if flags&packCohorts != 0 {
		b = append(b, t.cohorts)
	}
	if flags&packRare == 0 {
		return b
	}
	b = binary.AppendUvarint(b, uint64(len(r.hides)))
	for _, h := range r.hides {
		b = appendUvarints(b, uint64(h.Seq), uint64(h.User))
	}
	b = binary.AppendUvarint(b, uint64(len(r.marks)))
	for _, mk := range r.marks {
		b = appendUvarints(b, uint64(mk.Blocker), uint64(mk.Blocked), uint64(mk.From), uint64(mk.Until))
	}
	b = binary.AppendUvarint(b, uint64(len(r.log)))
	at = 0
	for _, e := range r.log {
		b = append(b, byte(e.Kind))
		b = appendUvarints(b, uint64(e.Pos), uint64(e.User), uint64(e.Other), uint64(e.Seq))
		b = binary.AppendVarint(b, int64(e.At-at))
		at = e.At
		b = binary.AppendUvarint(b, uint64(x.id(e.Text)))
	}
	return b
}

// plainPair reports whether a direct thread's members are its pair, in
// order, as NewThread made them, which Pack need not spell out.
func (t *Thread) plainPair() bool {
	if len(t.members) != 2 {
		return false
	}
	a, b := t.ID.Pair()
	return t.members[0] == Member{User: a} && t.members[1] == Member{User: b}
}

// appendAuthor names author by its place among the members, plus one, or
// as 0 and the user id when it is not a member.
func (t *Thread) appendAuthor(b []byte, author UserID) []byte {
	for i := range t.members {
		if t.members[i].User == author {
			return binary.AppendUvarint(b, uint64(i+1))
		}
	}
	return appendUvarints(b, 0, uint64(author))
}

func appendUvarints(b []byte, vs ...uint64) []byte {
	for _, v := range vs {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

func pairBits(p PairState) byte {
	var v byte
	for i, on := range [4]bool{p.Connected, p.BlockedBy[0], p.BlockedBy[1], p.CutByBlock} {
		if on {
			v |= 1 << i
		}
	}
	return v
}

func pairOf(v byte) PairState {
	return PairState{Connected: v&1 != 0, BlockedBy: [2]bool{v&2 != 0, v&4 != 0}, CutByBlock: v&8 != 0}
}

// ErrPacked is wrapped by Unpack's errors.
var ErrPacked = errors.New("sim: bad packed thread")

// Unpack sets t to thread id as Pack encoded it in b, with its texts
// numbered in x, reusing t's storage, so a thread just packed can take the
// next one unpacked without allocating. It reports an error wrapping
// ErrPacked, and never panics, when b is not such an encoding; after an
// error t holds nothing of use.
func (t *Thread) Unpack(id ThreadID, b []byte, x *Texts) error {
	d := unpacker{b: b, x: x}
	d.thread(t, id)
	if d.err == nil && d.off != len(b) {
		d.fail("%d bytes after the thread", len(b)-d.off)
	}
	if d.err != nil {
		return fmt.Errorf("%w %v: %v", ErrPacked, id, d.err)
	}
	return nil
}

// unpacker reads a packed thread; after the first problem it keeps its
// error and reads zeros.
type unpacker struct {
	b   []byte
	off int
	x   *Texts
	err error
}

func (d *unpacker) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: "+format, append([]any{d.off}, args...)...)
	}
}

func (d *unpacker) byte() byte {
	if d.err != nil || d.off >= len(d.b) {
		d.fail("truncated")
		return 0
	}
	v := d.b[d.off]
	d.off++
	return v
}

func (d *unpacker) uvarint(max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	if v > max {
		d.fail("%d out of range", v)
		return 0
	}
	return v
}

// varint reads a signed varint, which binary.AppendVarint writes as the
// zigzag encoding of its value in an unsigned one.
func (d *unpacker) varint() int64 {
	u := d.uvarint(1<<64 - 1)
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

// count reads how many items follow; each takes at least one byte.
func (d *unpacker) count() int {
	return int(d.uvarint(uint64(len(d.b) - d.off)))
}

func (d *unpacker) u32() uint32 { return uint32(d.uvarint(1<<32 - 1)) }

func (d *unpacker) text() string {
	i := d.uvarint(uint64(len(d.x.list)))
	if i == 0 {
		return ""
	}
	if i >= uint64(len(d.x.list)) {
		d.fail("text %d not numbered", i)
		return ""
	}
	return d.x.list[i]
}

func (d *unpacker) thread(t *Thread, id ThreadID) {
	*t = Thread{ID: id, members: t.members[:0], messages: t.messages[:0], rare: t.rare}
	first := d.byte()
	flags := first & packFlags
	n := int(first >> packCountBits)
	if n == packManyMsgs {
		n += d.count()
	}
	direct := !id.IsGroup()
	if direct {
		v := d.byte()
		t.Pair, t.Init = pairOf(v&15), pairOf(v>>4)
	}
	if flags&packPlainPair != 0 {
		if !direct {
			d.fail("a group with a plain pair")
		}
		a, b := id.Pair()
		t.members = append(t.members, Member{User: a}, Member{User: b})
	} else {
		t.members = resize(t.members, d.count())
		for i := range t.members {
			t.members[i] = Member{User: UserID(d.u32()), Joined: Seq(d.u32()), Cleared: Seq(d.u32()), left: Seq(d.u32())}
		}
	}
	t.messages = resize(t.messages, n)
	var key MsgKey
	var at Time
	for i := range t.messages {
		m := &t.messages[i]
		key += MsgKey(d.varint())
		at += Time(d.varint())
		m.Key, m.At, m.Text = key, at, d.text()
		m.Author = d.author(t.members)
		v := d.uvarint(255<<1 | 1)
		m.Edits, m.Recalled = uint8(v>>1), v&1 != 0
	}
	if flags&packReports != 0 {
		t.Reports = d.u32()
	}
	if flags&packCohorts != 0 {
		t.cohorts = d.byte()
	}
	if flags&packRare == 0 {
		t.rare = nil
		return
	}
	if t.rare == nil {
		t.rare = new(rare)
	}
	d.rare(t.rare)
}

// resize returns s with length n, reusing its array when it is large
// enough, and nil for n = 0 as a thread keeps empty parts.
func resize[T any](s []T, n int) []T {
	switch {
	case n == 0:
		return nil
	case n <= cap(s):
		return s[:n]
	}
	return make([]T, n)
}

func (d *unpacker) author(members []Member) UserID {
	i := d.uvarint(uint64(len(members)))
	if i == 0 {
		return UserID(d.u32())
	}
	return members[i-1].User
}

func (d *unpacker) rare(r *rare) {
	r.hides = resize(r.hides, d.count())
	for i := range r.hides {
		r.hides[i] = hide{Seq: Seq(d.u32()), User: UserID(d.u32())}
	}
	r.marks = resize(r.marks, d.count())
	for i := range r.marks {
		r.marks[i] = mark{Blocker: UserID(d.u32()), Blocked: UserID(d.u32()), From: Seq(d.u32()), Until: Seq(d.u32())}
	}
	r.log = resize(r.log, d.count())
	var at Time
	for i := range r.log {
		e := &r.log[i]
		if e.Kind = EventKind(d.byte()); e.Kind >= numEventKinds {
			d.fail("unknown event kind %d", e.Kind)
		}
		e.Pos, e.User, e.Other, e.Seq = Seq(d.u32()), UserID(d.u32()), UserID(d.u32()), Seq(d.u32())
		at += Time(d.varint())
		e.At, e.Text = at, d.text()
	}
	if r.hides == nil && r.marks == nil && r.log == nil {
		d.fail("an empty rare part")
	}
}
