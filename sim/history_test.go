package sim

import (
	"slices"
	"testing"
)

// TestHistoryRecords writes one record of every kind and reads them back.
func TestHistoryRecords(t *testing.T) {
	var h history
	const me = UserID(7)
	want := []hrec{
		{kind: hDelivered, flags: hVisible, key: 300000, seq: 5},
		{kind: hDelivered, group: true, flags: hSender | hVisible, key: 4, seq: 1 << 20, author: me},
		{kind: hJoined, group: true, key: 4, seq: 9},
		{kind: hLeft, group: true, key: 4},
		{kind: hCleared, key: 8},
		{kind: hPair, flags: hConnected | hBlockedBy, key: 8},
		{kind: hPostNotice, key: 1 << 30},
		{kind: hDeleteNotice, group: true, key: 4, seq: 3, author: 2},
		{kind: hInbox, flags: inboxAction(Mute), key: 8},
		{kind: hInboxMissing, group: true, flags: inboxAction(Read), key: 1},
		{kind: hNotify, flags: hOn},
		{kind: hProfile, flags: hRefused, key: 9},
		{kind: hAdd, group: true, flags: preBits(NotConnected), key: 4, author: 11},
		{kind: hCreate, group: true, flags: preBits(Blocked), key: 5, n: 3, members: []UserID{1, 2, 3}},
		{kind: hPost, n: 50},
	}
	for _, r := range want {
		switch r.kind {
		case hDelivered, hDeleteNotice:
			if r.group {
				h.append(r.kind, r.group, r.flags, uint64(r.key), uint64(r.seq), uint64(r.author))
			} else {
				h.append(r.kind, r.group, r.flags, uint64(r.key), uint64(r.seq))
			}
		case hJoined:
			h.append(r.kind, r.group, r.flags, uint64(r.key), uint64(r.seq))
		case hAdd:
			h.append(r.kind, r.group, r.flags, uint64(r.key), uint64(r.author))
		case hCreate:
			h.append(r.kind, r.group, r.flags, uint64(r.key), uint64(r.n))
			h.appendIDs(r.members)
		case hPost:
			h.append(r.kind, r.group, r.flags, uint64(r.n))
		case hNotify:
			h.append(r.kind, r.group, r.flags)
		default:
			h.append(r.kind, r.group, r.flags, uint64(r.key))
		}
	}
	d := histReader{b: h.bytes()}
	var r hrec
	for i, w := range want {
		if !d.next(&r) {
			t.Fatalf("record %d: none, bad %v", i, d.bad)
		}
		if r.kind != w.kind || r.group != w.group || r.flags != w.flags || r.key != w.key || r.seq != w.seq ||
			r.author != w.author || r.n != w.n || !slices.Equal(r.members, w.members) {
			t.Errorf("record %d: %+v, want %+v", i, r, w)
		}
	}
	if d.next(&r) || d.bad {
		t.Fatalf("after the last record: bad %v", d.bad)
	}
	if got := want[0]; (&got).authorOf(me) != 300000 || (&want[1]).authorOf(me) != me {
		t.Error("authorOf")
	}
	// A history cut inside a record says so rather than inventing one.
	d = histReader{b: h.bytes()[:len(h.bytes())-1]}
	for d.next(&r) {
	}
	if !d.bad {
		t.Error("a cut history decoded without complaint")
	}
}

// TestHistoryGrowth: a history grows by half at a time and keeps what it
// held.
func TestHistoryGrowth(t *testing.T) {
	var h history
	for i := range 10000 {
		h.append(hPostNotice, false, 0, uint64(i%100))
		if h.c > 32 && uint64(h.c) > uint64(h.n)+uint64(h.n)/2+32 {
			t.Fatalf("after %d records: %d bytes held in %d", i+1, h.n, h.c)
		}
	}
	d := histReader{b: h.bytes()}
	var r hrec
	for i := 0; d.next(&r); i++ {
		if r.kind != hPostNotice || r.key != uint32(i%100) {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
}
