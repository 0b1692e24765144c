package sim

import (
	"math/rand/v2"
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
	// The same history applied to two separately built worlds.
	if once, again := digest(send("hello")), digest(send("hello")); once != again {
		t.Fatalf("one history, two digests: %#x and %#x", once, again)
	}
	forMe := Op{Action: Delete, User: 0, Thread: ab, Msg: 1}
	if digest(send("hello")) == digest(send("hello"), forMe) {
		t.Fatal("a delete for me left the digest as it was")
	}
}

// TestDigesterSeparates: inputs that differ in one number, in a text's
// bytes, in where a text ends or in their order hash differently.
func TestDigesterSeparates(t *testing.T) {
	hash := func(f func(d *digester)) uint64 {
		var d digester
		f(&d)
		return d.h
	}
	texts := func(ts ...string) uint64 {
		return hash(func(d *digester) {
			for _, s := range ts {
				d.text(s)
			}
		})
	}
	for _, pair := range [][2]uint64{
		{texts("ab", "c"), texts("a", "bc")},
		{texts("hello, world"), texts("hello, world!")},
		{texts("12345678"), texts("12345678\x00")},
		{texts(""), texts("\x00")},
		{texts("x", ""), texts("", "x")},
		{hash(func(d *digester) { d.num(1, 2) }), hash(func(d *digester) { d.num(2, 1) })},
		{hash(func(d *digester) { d.flag(false) }), hash(func(d *digester) {})},
	} {
		if pair[0] == pair[1] {
			t.Fatalf("two inputs, one hash %x", pair[0])
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	seen := map[uint64]int{}
	for i := range 100_000 { // one word changed in the middle of a run of them
		h := hash(func(d *digester) { d.num(1, 2, rng.Uint64(), 4) })
		if j, ok := seen[h]; ok {
			t.Fatalf("inputs %d and %d collide", j, i)
		}
		seen[h] = i
	}
}
