package sim

import (
	"encoding/binary"
	"hash/fnv"
	"testing"
)

// TestDigestSeesViews: a message's text and a delete for one member reach
// the digest only through the members' views of the thread.
func TestDigestSeesViews(t *testing.T) {
	p, _ := Preset("linkedin")
	digest := func(ops ...Op) uint64 {
		w := fixture(t, p)
		apply(t, w, ops...)
		return w.Digest()
	}
	send := func(text string) Op { return Op{Action: Send, User: 0, Target: 1, Msg: 3, Text: text} }
	if digest(send("hello")) == digest(send("hullo")) {
		t.Fatal("two texts, one digest")
	}
	if digest(send("hello")) != digest(send("hello")) {
		t.Fatal("one history, two digests")
	}
	forMe := Op{Action: Delete, User: 0, Thread: ab, Msg: 1}
	if digest(send("hello")) == digest(send("hello"), forMe) {
		t.Fatal("a delete for me left the digest as it was")
	}
}

// TestDigesterIsFNV: the digester hashes numbers and texts as hash/fnv's
// 64-bit FNV-1a hashes their bytes.
func TestDigesterIsFNV(t *testing.T) {
	d, want := digester{h: fnvOffset}, fnv.New64a()
	for i, text := range []string{"", "a", "hello, world", "\x00\xff"} {
		n := uint64(i) * 0x0123456789abcdef
		d.num(n)
		d.text(text)
		want.Write(binary.LittleEndian.AppendUint64(nil, n))
		want.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(text))))
		want.Write([]byte(text))
		if d.h != want.Sum64() {
			t.Fatalf("after %d numbers and texts: %x, want %x", i+1, d.h, want.Sum64())
		}
	}
}
