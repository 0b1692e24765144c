package sim

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// fixture: 60 users; user 0 (alice) is connected to everyone, 1 (bob) and
// 2 (carol) are connected, 3 (dave) knows only alice. Alice and bob have
// exchanged m1 (alice) and m2 (bob); alice's group 0 has bob and carol.
func fixture(t *testing.T, p Policy) *World {
	t.Helper()
	conns := make([][]UserID, 60)
	for u := UserID(1); u < 60; u++ {
		conns[0] = append(conns[0], u)
		conns[u] = []UserID{0}
	}
	conns[1], conns[2] = []UserID{0, 2}, []UserID{0, 1}
	w := NewWorld(p, 60, func(u UserID) []UserID { return conns[u] })
	apply(t, w,
		Op{Action: Send, User: 0, Target: 1, Msg: 1, Text: "m1"},
		Op{Action: Send, User: 1, Target: 0, Msg: 2, Text: "m2"},
		Op{Action: CreateGroup, User: 0, Thread: Group(0), Members: []UserID{1, 2}},
	)
	return w
}

var (
	ab   = Direct(0, 1)
	grp  = Group(0)
	many = func() []UserID {
		var ms []UserID
		for u := UserID(1); u < 51; u++ {
			ms = append(ms, u)
		}
		return ms
	}()
)

// TestRules is one row per rule and preset difference: the outcome, and for
// every refused operation, a state left exactly as it was.
func TestRules(t *testing.T) {
	tests := []struct {
		rule, policy string
		before       []Op // applied first, each must be ok
		op           Op
		want         Outcome
	}{
		{"R1 send to a connection", "linkedin", nil, Op{Action: Send, User: 0, Target: 3, Msg: 9, Text: "x"}, OK},
		{"R1 not connected", "linkedin", nil, Op{Action: Send, User: 1, Target: 3, Msg: 9, Text: "x"}, NotConnected},
		{"R1 open-dm needs no connection", "open-dm", nil, Op{Action: Send, User: 1, Target: 3, Msg: 9, Text: "x"}, OK},
		{"R1 telegram needs no connection", "telegram", nil, Op{Action: Send, User: 1, Target: 3, Msg: 9, Text: "x"}, OK},
		{"R1 to oneself", "linkedin", nil, Op{Action: Send, User: 1, Target: 1, Msg: 9, Text: "x"}, Invalid},
		{"R1 to an unknown user", "linkedin", nil, Op{Action: Send, User: 1, Target: 99, Msg: 9, Text: "x"}, UnknownUser},
		{"R1 from an unknown user", "linkedin", nil, Op{Action: Send, User: 99, Target: 1, Msg: 9, Text: "x"}, UnknownUser},
		{"R1 blocked by recipient", "linkedin", []Op{{Action: Block, User: 1, Target: 0}}, Op{Action: Send, User: 0, Target: 1, Msg: 9}, Blocked},
		{"R1 blocker cannot send either", "linkedin", []Op{{Action: Block, User: 1, Target: 0}}, Op{Action: Send, User: 1, Target: 0, Msg: 9}, Blocked},
		{"R1g group send by member", "linkedin", nil, Op{Action: Send, User: 2, Thread: grp, Msg: 9}, OK},
		{"R1g group send by non-member", "linkedin", nil, Op{Action: Send, User: 3, Thread: grp, Msg: 9}, NotMember},
		{"R1g send to a missing group", "linkedin", nil, Op{Action: Send, User: 3, Thread: Group(7), Msg: 9}, NotFound},
		{"R1g add a connection", "linkedin", nil, Op{Action: AddMember, User: 0, Thread: grp, Target: 3}, OK},
		{"R1g add a non-connection", "linkedin", nil, Op{Action: AddMember, User: 1, Thread: grp, Target: 3}, NotConnected},
		{"R1g add across a block", "linkedin", []Op{{Action: Block, User: 3, Target: 0}}, Op{Action: AddMember, User: 0, Thread: grp, Target: 3}, Blocked},
		{"R1g non-member adds", "linkedin", []Op{{Action: LeaveGroup, User: 2, Thread: grp}}, Op{Action: AddMember, User: 3, Thread: grp, Target: 2}, NotMember},
		{"R1g non-member adds a member: invalid first", "linkedin", nil, Op{Action: AddMember, User: 3, Thread: grp, Target: 0}, Invalid},
		{"R1g group of 51", "linkedin", nil, Op{Action: CreateGroup, User: 0, Thread: Group(1), Members: append(many, 51)}, GroupFull},
		{"R1g group of 50", "linkedin", nil, Op{Action: CreateGroup, User: 0, Thread: Group(1), Members: many[:49]}, OK},
		{"R1g adding the 51st", "linkedin", []Op{{Action: CreateGroup, User: 0, Thread: Group(1), Members: many[:49]}}, Op{Action: AddMember, User: 0, Thread: Group(1), Target: 55}, GroupFull},
		{"R1g group of two", "linkedin", nil, Op{Action: CreateGroup, User: 0, Thread: Group(1), Members: []UserID{1}}, Invalid},
		{"R1g group with oneself", "linkedin", nil, Op{Action: CreateGroup, User: 0, Thread: Group(1), Members: []UserID{0, 1, 2}}, Invalid},
		{"R1g leave then send", "linkedin", []Op{{Action: LeaveGroup, User: 2, Thread: grp}}, Op{Action: Send, User: 2, Thread: grp, Msg: 9}, NotMember},
		{"R3 delete own for me", "linkedin", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1}, OK},
		{"R3 delete someone else's", "linkedin", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 2}, NotAuthor},
		{"R3 whatsapp deletes received for me", "whatsapp", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 2}, OK},
		{"R3 delete twice", "linkedin", []Op{{Action: Delete, User: 0, Thread: ab, Msg: 1}}, Op{Action: Delete, User: 0, Thread: ab, Msg: 1}, AlreadyDeleted},
		{"R3 delete unknown message", "linkedin", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 77}, NotFound},
		{"R3 delete in a missing thread", "linkedin", nil, Op{Action: Delete, User: 0, Thread: Direct(0, 5), Msg: 1}, NotFound},
		{"R3 delete by a non-member", "linkedin", nil, Op{Action: Delete, User: 3, Thread: ab, Msg: 1}, NotMember},
		{"R3 no delete for everyone", "linkedin", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true}, NotAllowed},
		{"R3 no edit", "linkedin", nil, Op{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "y"}, NotAllowed},
		{"recall within 60m", "linkedin-recall", []Op{{Action: Send, User: 0, Target: 1, Msg: 5, At: Time(59 * time.Minute)}}, Op{Action: Delete, User: 0, Thread: ab, Msg: 5, Everyone: true, At: Time(118 * time.Minute)}, OK},
		{"recall after 60m", "linkedin-recall", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(61 * time.Minute)}, WindowExpired},
		{"recall someone else's", "linkedin-recall", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 2, Everyone: true}, NotAuthor},
		{"whatsapp recall at 59h", "whatsapp", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(59 * time.Hour)}, OK},
		{"whatsapp recall at 61h", "whatsapp", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(61 * time.Hour)}, WindowExpired},
		{"telegram recall any time", "telegram", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(9999 * time.Hour)}, OK},
		{"signal recall at 4h", "signal", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(4 * time.Hour)}, WindowExpired},
		{"imessage unsend at 3m", "imessage", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(3 * time.Minute)}, WindowExpired},
		{"messenger remove at 9m", "messenger", nil, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true, At: Time(9 * time.Minute)}, OK},
		{"recall twice", "whatsapp", []Op{{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true}}, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true}, AlreadyDeleted},
		{"edit within 15m", "imessage", nil, Op{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "y", At: Time(14 * time.Minute)}, OK},
		{"edit after 15m", "whatsapp", nil, Op{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "y", At: Time(16 * time.Minute)}, WindowExpired},
		{"edit someone else's", "whatsapp", nil, Op{Action: Edit, User: 0, Thread: ab, Msg: 2, Text: "y"}, NotAuthor},
		{"imessage sixth edit", "imessage", []Op{
			{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "1"}, {Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "2"},
			{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "3"}, {Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "4"},
			{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "5"}}, Op{Action: Edit, User: 0, Thread: ab, Msg: 1, Text: "6"}, NotAllowed},
		{"R4 delete thread", "linkedin", nil, Op{Action: DeleteThread, User: 1, Thread: ab}, OK},
		{"R4 delete a thread one is not in", "linkedin", nil, Op{Action: DeleteThread, User: 3, Thread: ab}, NotMember},
		{"R5 archive", "linkedin", nil, Op{Action: Archive, User: 1, Thread: ab}, OK},
		{"R5 archive a missing thread", "linkedin", nil, Op{Action: Archive, User: 1, Thread: Direct(1, 2)}, NotFound},
		{"R5 archive someone else's thread", "linkedin", nil, Op{Action: Archive, User: 1, Thread: Direct(0, 5)}, NotFound},
		{"R5 archive a group past the last number", "linkedin", nil, Op{Action: Archive, User: 1, Thread: Group(1 << 31)}, NotFound},
		{"R6 mute", "linkedin", nil, Op{Action: Mute, User: 1, Thread: grp}, OK},
		{"R6 notifications off", "linkedin", nil, Op{Action: Notifications, User: 1, On: false}, OK},
		{"R7 block", "linkedin", nil, Op{Action: Block, User: 1, Target: 0}, OK},
		{"R7 block oneself", "linkedin", nil, Op{Action: Block, User: 1, Target: 1}, Invalid},
		{"R7 block an unknown user", "linkedin", nil, Op{Action: Block, User: 1, Target: 70}, UnknownUser},
		{"R7 connect across a block", "linkedin", []Op{{Action: Block, User: 1, Target: 0}}, Op{Action: Connect, User: 0, Target: 1}, Blocked},
		{"R7 unblock does not reconnect", "linkedin", []Op{{Action: Block, User: 1, Target: 0}, {Action: Unblock, User: 1, Target: 0}}, Op{Action: Send, User: 0, Target: 1, Msg: 9}, NotConnected},
		{"R7 unblock_reconnects knob", "linkedin+reconnect", []Op{{Action: Block, User: 1, Target: 0}, {Action: Unblock, User: 1, Target: 0}}, Op{Action: Send, User: 0, Target: 1, Msg: 9}, OK},
		{"R8 profile", "linkedin", nil, Op{Action: ViewProfile, User: 3, Target: 1}, OK},
		{"R8 profile across a block", "linkedin", []Op{{Action: Block, User: 1, Target: 3}}, Op{Action: ViewProfile, User: 3, Target: 1}, Blocked},
		{"R8 blocker cannot view either", "linkedin", []Op{{Action: Block, User: 1, Target: 3}}, Op{Action: ViewProfile, User: 1, Target: 3}, Blocked},
		{"R9 post", "linkedin", nil, Op{Action: Post, User: 0, Text: "news"}, OK},
		{"R10 report a user", "linkedin", nil, Op{Action: Report, User: 1, Target: 0}, OK},
		{"R10 report a message", "linkedin", nil, Op{Action: Report, User: 1, Target: 0, Thread: ab, Msg: 1, AndBlock: true}, OK},
		{"R10 report an unknown message", "linkedin", nil, Op{Action: Report, User: 1, Target: 0, Thread: ab, Msg: 42}, NotFound},
		{"R11 read", "linkedin", nil, Op{Action: Read, User: 1, Thread: ab}, OK},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			name, knob, _ := strings.Cut(tc.policy, "+")
			p, ok := Preset(name)
			if !ok {
				t.Fatalf("no preset %q", name)
			}
			p.UnblockReconnects = knob == "reconnect"
			x := designed(t, name, func(e *Expect) { e.UnblockReconnects = knob == "reconnect" })
			w := fixture(t, p)
			apply(t, w, tc.before...)
			before := w.Digest()
			if got := w.Apply(tc.op); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
			if tc.want != OK && w.Digest() != before {
				t.Fatalf("refused operation changed the state")
			}
			if _, vs := w.Check(x); len(vs) > 0 {
				t.Fatalf("violations: %v", vs)
			}
		})
	}
}

// TestEffects checks what rules imply beyond the outcome: notifications,
// views and connections.
func TestEffects(t *testing.T) {
	t.Run("R2 one notification per delivered message", func(t *testing.T) {
		w := fixture(t, Linkedin())
		if n := w.Users[1].Counters.Notified[CauseMessage]; n != 1 {
			t.Fatalf("bob has %d notifications, want 1", n)
		}
	})
	t.Run("R3 delete is silent and local", func(t *testing.T) {
		w := fixture(t, Linkedin())
		before := w.Users[1].Counters
		apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 1})
		if w.Users[1].Counters != before {
			t.Fatal("delete changed bob's counters")
		}
		if v := w.View(1, ab); v[0].Text != "m1" {
			t.Fatalf("bob sees %q", v[0].Text)
		}
		if v := w.View(0, ab); v[0].Text != "This message has been deleted" || v[0].Author != 0 || !v[0].Tombstone {
			t.Fatalf("alice sees %+v", v[0])
		}
	})
	t.Run("R7 block cuts both ways and silences", func(t *testing.T) {
		w := fixture(t, Linkedin())
		apply(t, w, Op{Action: Block, User: 1, Target: 0}, Op{Action: Send, User: 0, Thread: grp, Msg: 9})
		if w.Users[0].Connected(1) || w.Users[1].Connected(0) || w.Connected(0, 1) {
			t.Fatal("still connected")
		}
		// The group message reaches bob's actor, hidden: without the
		// block it would notify him.
		if c := w.Users[1].Counters; c.Hidden != 1 || c.Notified[CauseMessage] != 1 || c.Suppressed[ReasonBlocked] != 1 {
			t.Fatalf("bob: %d hidden, notified %v, suppressed %v; want the group message hidden and silenced", c.Hidden, c.Notified, c.Suppressed)
		}
		if v := w.View(1, grp); len(v) != 0 {
			t.Fatalf("bob sees alice's group message after the block: %v", v)
		}
		if v := w.View(2, grp); len(v) != 1 {
			t.Fatalf("carol misses the group message: %v", v)
		}
		if len(w.View(1, ab)) != 2 || len(w.View(0, ab)) != 2 {
			t.Fatal("history lost")
		}
	})
	t.Run("R7 block silences posts where the connection stays", func(t *testing.T) {
		p := Linkedin()
		p.BlockRemovesConnection = false // so alice's post does reach bob
		w := fixture(t, p)
		apply(t, w, Op{Action: Block, User: 1, Target: 0}, Op{Action: Post, User: 0, Text: "p"})
		if !w.Connected(0, 1) {
			t.Fatal("the block removed the connection under block_removes_connection: false")
		}
		if c := w.Users[1].Counters; c.Posts != 1 || c.Notified[CausePost] != 0 || c.Suppressed[ReasonBlocked] != 1 {
			t.Fatalf("bob: %d post notices, notified %v, suppressed %v; want one notice, suppressed as blocked", c.Posts, c.Notified, c.Suppressed)
		}
		if c := w.Users[3].Counters; c.Notified[CausePost] != 1 {
			t.Fatalf("dave, alice's connection, notified %v", c.Notified)
		}
	})
	t.Run("block_hides_history knob", func(t *testing.T) {
		p := Linkedin()
		p.BlockHidesHistory = true
		w := fixture(t, p)
		apply(t, w, Op{Action: Block, User: 1, Target: 0})
		if v := w.View(1, ab); len(v) != 1 || v[0].Author != 1 {
			t.Fatalf("bob sees %v", v)
		}
	})
	t.Run("R9 post notifies connections", func(t *testing.T) {
		w := fixture(t, Linkedin())
		apply(t, w, Op{Action: Post, User: 1, Text: "news"})
		if w.Users[2].Counters.Notified[CausePost] != 1 || w.Users[3].Counters.Notified[CausePost] != 0 {
			t.Fatal("post notifications wrong")
		}
	})
	t.Run("notify_on_delete knob", func(t *testing.T) {
		p, _ := Preset("whatsapp")
		p.NotifyOnDelete = true
		w := fixture(t, p)
		apply(t, w, Op{Action: Delete, User: 0, Thread: ab, Msg: 1, Everyone: true})
		if w.Users[1].Counters.Notified[CauseDelete] != 1 {
			t.Fatal("no delete notification")
		}
	})
}

// TestPureImports keeps sim on the standard library (STYLE.md point 1).
func TestPureImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/msgsim/msgsim/sim" {
			t.Errorf("sim depends on %s", p)
		}
	}
	src, _ := exec.Command("grep", "-rlE", `time\.Now|rand\.(Int|Float|Uint|N\(|Shuffle|Perm)`, "--include=*.go", "--exclude=*_test.go", ".").Output()
	if s := strings.TrimSpace(string(src)); s != "" {
		t.Errorf("wall clock or global random source in: %s", s)
	}
}
