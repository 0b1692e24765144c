package sim

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

func preset(t *testing.T, name string) Policy {
	t.Helper()
	p, ok := Preset(name)
	if !ok {
		t.Fatalf("no preset %s", name)
	}
	return p
}

// TestStricter: each knob merges to its protective value, in either order.
func TestStricter(t *testing.T) {
	li, rec, wa, tg := preset(t, "linkedin"), preset(t, "linkedin-recall"), preset(t, "whatsapp"), preset(t, "telegram")
	im := preset(t, "imessage")
	tests := []struct {
		name string
		a, b Policy
		want func(Policy) bool
	}{
		{"no recall unless both recall", li, rec, func(p Policy) bool { return !p.DeleteForEveryone && !p.Edit }},
		{"the shorter delete window", rec, wa, func(p Policy) bool { return p.DeleteForEveryone && p.DeleteWindow == 60*time.Minute }},
		{"a window beats no limit", tg, wa, func(p Policy) bool { return p.DeleteWindow == 60*time.Hour }},
		{"group recall only if both", tg, wa, func(p Policy) bool { return !p.DeleteEveryoneInGroups }},
		{"a connection if either needs one", tg, wa, func(p Policy) bool { return p.RequireConnection }},
		{"a tombstone beats none", tg, wa, func(p Policy) bool {
			return p.TombstoneOthers == "This message was deleted" && p.TombstoneSelf == "You deleted this message"
		}},
		{"the lower edit limit and shorter edit window", im, tg, func(p Policy) bool { return p.EditLimit == 5 && p.EditWindow == 15*time.Minute }},
		{"delete received only if both", li, wa, func(p Policy) bool { return !p.DeleteReceived }},
		{"hide history if either does", li, func() Policy { p := li; p.BlockHidesHistory = true; return p }(), func(p Policy) bool { return p.BlockHidesHistory }},
		{"notify on delete if either does", li, func() Policy { p := li; p.NotifyOnDelete = true; return p }(), func(p Policy) bool { return p.NotifyOnDelete }},
		{"mutual block if either", func() Policy { p := li; p.BlockMutual = false; return p }(), li, func(p Policy) bool { return p.BlockMutual }},
		{"reconnect on unblock only if both", func() Policy { p := li; p.UnblockReconnects = true; return p }(), li, func(p Policy) bool { return !p.UnblockReconnects }},
	}
	for _, tt := range tests {
		ab, ba := Stricter(tt.a, tt.b), Stricter(tt.b, tt.a)
		if !tt.want(ab) || !tt.want(ba) {
			t.Errorf("%s: %+v / %+v", tt.name, ab, ba)
		}
	}
	if p := Stricter(li, li); p != li {
		t.Errorf("merging a policy with itself changed it: %+v", p)
	}
	if n := Stricter(Stricter(li, rec), li).Name; n != "linkedin+linkedin-recall" {
		t.Errorf("merged name %q", n)
	}
	// Every knob is merged: two policies that differ in every knob give a
	// result equal to neither unless a rule says so.
	for _, k := range Knobs() {
		if k.Kind == KnobText {
			continue
		}
		lo, hi := Policy{}, Policy{}
		switch k.Kind {
		case KnobBool:
			_ = k.Set(&hi, true)
		case KnobDuration:
			_ = k.Set(&lo, time.Minute)
			_ = k.Set(&hi, time.Hour)
		case KnobInt:
			_ = k.Set(&lo, 1)
			_ = k.Set(&hi, 9)
		}
		if a, b := k.Get(Stricter(lo, hi)), k.Get(Stricter(hi, lo)); a != b {
			t.Errorf("knob %s merges to %s or %s depending on order", k.Name, a, b)
		}
	}
}

func TestCohortAssignment(t *testing.T) {
	li, rec := preset(t, "linkedin"), preset(t, "linkedin-recall")
	list := []Cohort{{Name: "a", Share: 0.3, Policy: li}, {Name: "b", Share: 0.7, Policy: rec, Users: []UserID{0, 1, 2}}}
	c, err := NewCohorts(list, 20000, 7)
	if err != nil {
		t.Fatal(err)
	}
	if n := c.Size(0); n < 5600 || n > 6400 {
		t.Errorf("cohort a of 30%% holds %d of 20000", n)
	}
	for u := UserID(0); u < 3; u++ {
		if c.Of(u) != 1 {
			t.Errorf("pinned user %d in cohort %d", u, c.Of(u))
		}
	}
	d, _ := NewCohorts(list, 20000, 7)
	e, _ := NewCohorts(list, 20000, 8)
	same, other := true, false
	for u := UserID(0); u < 20000; u++ {
		same = same && c.Of(u) == d.Of(u)
		other = other || c.Of(u) != e.Of(u)
	}
	if !same || !other {
		t.Errorf("assignment is not a function of the seed: same seed equal %v, other seed differs %v", same, other)
	}
	for _, bad := range [][]Cohort{
		nil,
		{{Name: "a", Share: 0.5, Policy: li}},
		{{Name: "a", Share: 0.5, Policy: li}, {Name: "b", Share: 0.6, Policy: li}},
		{{Name: "a", Share: -0.5, Policy: li}, {Name: "b", Share: 1.5, Policy: li}},
		make([]Cohort, 9),
	} {
		if _, err := NewCohorts(bad, 10, 1); !errors.Is(err, ErrCohortShares) && !errors.Is(err, ErrCohortCount) {
			t.Errorf("NewCohorts(%v) = %v", bad, err)
		}
	}
}

// cohortWorld is the fixture's population with users 0 (alice), 1 (bob)
// and 4 (erin) pinned to cohort b under policy b and everyone else in
// cohort a under policy a.
func cohortWorld(t *testing.T, a, b Policy) *World {
	t.Helper()
	conns := make([][]UserID, 60)
	for u := UserID(1); u < 60; u++ {
		conns[0] = append(conns[0], u)
		conns[u] = []UserID{0}
	}
	conns[1], conns[2] = []UserID{0, 2}, []UserID{0, 1}
	w := NewWorld(a, 60, func(u UserID) []UserID { return conns[u] })
	c, err := NewCohorts([]Cohort{{Name: "a", Share: 1, Policy: a}, {Name: "b", Share: 0, Policy: b, Users: []UserID{0, 1, 4}}}, 60, 1)
	if err != nil {
		t.Fatal(err)
	}
	for u := UserID(0); u < 60; u++ {
		if want := map[UserID]int{0: 1, 1: 1, 4: 1}[u]; c.Of(u) != want {
			t.Fatalf("user %d in cohort %d, want %d", u, c.Of(u), want)
		}
	}
	w.SetCohorts(c)
	return w
}

// TestCohortThreads: a thread follows the stricter policy of the cohorts
// it spans, a group the cohorts of everyone ever in it, and the checker
// judges each thread by its own policy.
func TestCohortThreads(t *testing.T) {
	w := cohortWorld(t, preset(t, "linkedin"), preset(t, "linkedin-recall"))
	x := cohortsExpected([]Expect{design["linkedin"], design["linkedin-recall"]})
	ab, ac, g := Direct(0, 1), Direct(0, 2), Group(0)
	apply(t, w,
		Op{Action: Send, User: 0, Target: 1, Msg: 1, Text: "to bob"},
		Op{Action: Send, User: 0, Target: 2, Msg: 2, Text: "to carol"},
		Op{Action: CreateGroup, User: 0, Thread: g, Members: []UserID{1, 4}},
		Op{Action: Send, User: 0, Thread: g, Msg: 3, Text: "b only"},
		Op{Action: Send, User: 0, Thread: g, Msg: 4, Text: "b only too"},
		Op{Action: Send, User: 0, Thread: g, Msg: 5, Text: "b only three"},
	)
	steps := []struct {
		op   Op
		want Outcome
	}{
		{Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true}, OK},         // b with b: recall
		{Op{Action: Delete, User: 0, Thread: ac, Msg: 2, Everyone: true}, NotAllowed}, // b with a: linkedin wins
		{Op{Action: Edit, User: 0, Thread: ac, Msg: 2, Text: "edited"}, NotAllowed},   // no edit either
		{Op{Action: Delete, User: 0, Thread: ac, Msg: 2}, OK},                         // delete for me still works
		{Op{Action: Delete, User: 0, Thread: g, Msg: 3, Everyone: true}, OK},          // a group of b users recalls
		{Op{Action: AddMember, User: 0, Thread: g, Target: 3}, OK},                    // dave (a) joins
		{Op{Action: Delete, User: 0, Thread: g, Msg: 4, Everyone: true}, NotAllowed},  // and recall ends
		{Op{Action: LeaveGroup, User: 3, Thread: g}, OK},                              // dave leaves, keeping what he saw
		{Op{Action: Delete, User: 0, Thread: g, Msg: 5, Everyone: true}, NotAllowed},  // so recall stays off
	}
	for i, s := range steps {
		if got := w.Apply(s.op); got != s.want {
			t.Errorf("step %d %+v: %s, want %s", i, s.op, got, s.want)
		}
		if _, vs := w.Check(x); len(vs) > 0 {
			t.Fatalf("step %d: %v", i, vs)
		}
	}
	if v := w.View(1, ab); len(v) != 1 || v[0].Text != "This message has been deleted" {
		t.Errorf("bob's view after alice's recall: %+v", v)
	}
	if v := w.View(2, ac); len(v) != 1 || v[0].Text != "to carol" {
		t.Errorf("carol's view after alice's delete for me: %+v", v)
	}
	if p := w.PolicyOf(w.Threads[ac]); p.Name != "linkedin+linkedin-recall" || p.DeleteForEveryone {
		t.Errorf("cross-cohort thread policy %+v", p)
	}
	if p := w.PolicyOf(w.Threads[ab]); p.Name != "linkedin-recall" {
		t.Errorf("cohort b's own thread policy %+v", p)
	}

	// The checker judges by the thread's policy: a recall forged into the
	// cross-cohort thread is a violation there.
	th := w.Threads[ac]
	th.messages[0].Recalled = true // message 1
	th.record(Event{Kind: EvDeleteAll, User: 0, Seq: 1})
	if _, vs := w.Check(x); len(vs) == 0 || vs[0].Invariant != I1DeleteLocality {
		t.Errorf("a recall in a linkedin+recall thread: %v", vs)
	}
}

// TestCohortUserSide: unarchive on new message follows the recipient's
// own cohort, whatever the thread's policy.
func TestCohortUserSide(t *testing.T) {
	keep := preset(t, "linkedin")
	keep.Name, keep.UnarchiveOnNewMessage = "keep-archived", false
	w := cohortWorld(t, preset(t, "linkedin"), keep)
	keepX, _ := DesignExpect("linkedin", func(e *Expect) { e.Name, e.UnarchiveOnNewMessage = "keep-archived", false })
	x := cohortsExpected([]Expect{design["linkedin"], keepX})
	ac := Direct(0, 2)
	apply(t, w,
		Op{Action: Send, User: 0, Target: 2, Msg: 1, Text: "one"},
		Op{Action: Archive, User: 0, Thread: ac},
		Op{Action: Archive, User: 2, Thread: ac},
		Op{Action: Send, User: 0, Target: 2, Msg: 2, Text: "two"},
		Op{Action: Send, User: 2, Target: 0, Msg: 3, Text: "three"},
	)
	if e, _ := w.Users[0].Entry(ac); !e.Archived {
		t.Error("alice (keep-archived) got her thread unarchived")
	}
	if e, _ := w.Users[2].Entry(ac); e.Archived {
		t.Error("carol (linkedin) kept her thread archived")
	}
	if _, vs := w.Check(x); len(vs) > 0 {
		t.Fatal(vs)
	}
}

// TestPropertyCohorts: random streams over random cohorts of random
// policies keep every invariant, each thread judged by its own policy.
func TestPropertyCohorts(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 100
	}
	names := PresetNames()
	recalls := map[Outcome]int{}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 2))
		n := 6 + rng.IntN(6)
		conns := make([][]UserID, n)
		for a := range n {
			for b := a + 1; b < n; b++ {
				if rng.Float64() < 0.4 {
					conns[a] = append(conns[a], UserID(b))
					conns[b] = append(conns[b], UserID(a))
				}
			}
		}
		k := 2 + rng.IntN(3)
		list := make([]Cohort, k)
		xs := make([]Expect, k)
		for i := range list {
			name := names[rng.IntN(len(names))]
			p := preset(t, name)
			xs[i] = design[name]
			if rng.IntN(4) == 0 {
				p.BlockHidesHistory, p.UnblockReconnects, p.NotifyOnDelete, p.BlockMutual = true, true, true, false
				xs[i].BlockHidesHistory, xs[i].UnblockReconnects, xs[i].NotifyOnDelete, xs[i].BlockMutual = true, true, true, false
			}
			list[i] = Cohort{Name: string(rune('a' + i)), Share: 1 / float64(k), Policy: p}
		}
		x := cohortsExpected(xs)
		c, err := NewCohorts(list, n, uint64(seed))
		if err != nil {
			t.Fatal(err)
		}
		w := NewWorld(list[0].Policy, n, func(u UserID) []UserID { return conns[u] })
		w.SetCohorts(c)
		for i, op := range randomOps(rng, n, 3, 60) {
			o := w.Apply(op)
			if op.Action == Delete && op.Everyone {
				recalls[o]++
			}
			if _, vs := w.Check(x); len(vs) > 0 {
				t.Fatalf("seed %d step %d %+v: %v", seed, i, op, vs)
			}
		}
	}
	if recalls[OK] == 0 || recalls[NotAllowed] == 0 {
		t.Errorf("recalls by outcome %v: the streams miss a case", recalls)
	}
}

// randomOps is a small random stream over n users and groups groups, with
// the actions whose rules policies change.
func randomOps(rng *rand.Rand, n, groups, count int) []Op {
	var ops []Op
	var sent []Op
	at := Time(0)
	for i := range count {
		at = at.Add(time.Duration(rng.IntN(90)) * time.Minute)
		u, v := UserID(rng.IntN(n)), UserID(rng.IntN(n))
		g := Group(uint32(rng.IntN(groups)))
		var op Op
		switch r := rng.IntN(12); {
		case r < 4:
			op = Op{Action: Send, User: u, Target: v, Msg: MsgKey(i + 1), Text: "t"}
			if rng.IntN(3) == 0 {
				op = Op{Action: Send, User: u, Thread: g, Msg: MsgKey(i + 1), Text: "g"}
			}
			sent = append(sent, op)
		case r < 6 && len(sent) > 0:
			s := sent[rng.IntN(len(sent))]
			op = Op{Action: Delete, User: s.User, Thread: s.ThreadOf(), Msg: s.Msg, Everyone: rng.IntN(2) == 0}
			if rng.IntN(4) == 0 {
				op.User = v
			}
		case r < 7 && len(sent) > 0:
			s := sent[rng.IntN(len(sent))]
			op = Op{Action: Edit, User: s.User, Thread: s.ThreadOf(), Msg: s.Msg, Text: "e"}
		case r < 8:
			op = Op{Action: Block, User: u, Target: v}
		case r < 9:
			op = Op{Action: Unblock, User: u, Target: v}
		case r < 10:
			op = Op{Action: CreateGroup, User: u, Thread: g, Members: []UserID{v, UserID(rng.IntN(n))}}
		case r < 11:
			op = Op{Action: AddMember, User: u, Thread: g, Target: v}
		default:
			op = Op{Action: Connect, User: u, Target: v}
		}
		op.At = at
		ops = append(ops, op)
	}
	return ops
}
