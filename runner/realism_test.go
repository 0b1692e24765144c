package runner

import (
	"math"
	"testing"
	"time"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/sim"
)

// TestRealismOf: the realism figures of a small final state worked out by
// hand.
func TestRealismOf(t *testing.T) {
	const users = 200
	w := sim.NewWorld(sim.Linkedin(), users, func(u sim.UserID) []sim.UserID {
		var c []sim.UserID
		for v := range sim.UserID(users) {
			if v != u {
				c = append(c, v)
			}
		}
		return c
	})
	key := sim.MsgKey(0)
	send := func(from, to sim.UserID, at time.Duration) {
		key++
		if o := w.Apply(sim.Op{Action: sim.Send, User: from, Target: to, Msg: key, Text: "hi", At: sim.Time(at)}); o != sim.OK {
			t.Fatalf("send %d -> %d: %s", from, to, o)
		}
	}
	// Thread 0-1: 0 writes, 1 answers after a minute, writes again, 0
	// answers after three minutes: 4 messages, 2 replies.
	send(0, 1, 0)
	send(1, 0, time.Minute)
	send(1, 0, 2*time.Minute)
	send(0, 1, 5*time.Minute)
	// Thread 2-0: one message. Threads 3-4 ... 199-0: one message each
	// from users 3..199 to user 0, except that user 3 writes 50 more to 4.
	send(2, 0, 0)
	for u := sim.UserID(3); u < users; u++ {
		send(u, 0, time.Hour)
	}
	for range 50 {
		send(3, 4, 2*time.Hour)
	}
	// A group of 0, 1 and 5 with two messages.
	if o := w.Apply(sim.Op{Action: sim.CreateGroup, User: 0, Thread: sim.Group(0), Members: []sim.UserID{1, 5}}); o != sim.OK {
		t.Fatal(o)
	}
	key++
	w.Apply(sim.Op{Action: sim.Send, User: 5, Thread: sim.Group(0), Msg: key, Text: "all", At: sim.Time(3 * time.Hour)})
	key++
	w.Apply(sim.Op{Action: sim.Send, User: 1, Thread: sim.Group(0), Msg: key, Text: "ok", At: sim.Time(3 * time.Hour)})

	ops := report.OpTable{"send": {"ok": 90, "blocked": 10}, "read": {"ok": 99, "not_found": 1}, "post": {"ok": 3}}
	r := realismOf(&w.State, ops)

	if got := r.NotFoundShare; got["read"] != 0.01 || got["send"] != 0 || got["post"] != 0 || len(got) != 3 {
		t.Errorf("not_found shares %v", got)
	}
	// Direct messages: 4 + 1 + 197 + 50 = 252, of which 2 replies.
	if want := 2.0 / 252; math.Abs(r.ReplyShare-want) > 1e-12 {
		t.Errorf("reply share %v, want %v", r.ReplyShare, want)
	}
	// Delays 60 s and 180 s; percentiles to within 6%.
	if d := r.ReplyDelaySeconds; math.Abs(d.P50/60-1) > 0.06 || math.Abs(d.P90/180-1) > 0.06 {
		t.Errorf("reply delays %+v, want p50 60 and p90 180", d)
	}
	// Threads: 0-1 with 4, 2-0 with 1, 197 with 1 (3-0 to 199-0), 3-4
	// with 50, the group with 2: 201 threads, the 199th longest of 2.
	m := r.MessagesPerThread
	if m.P50 != 1 || m.P90 != 1 || *m.P99 != 2 || *m.Max != 50 {
		t.Errorf("messages per thread %v, p99 %v, max %v", m, *m.P99, *m.Max)
	}
	// Authors: all 200 users, 254 messages; the top 1% is users 3 (51)
	// and 1 (2 direct, 1 in the group).
	if want := (51.0 + 3) / 254; math.Abs(r.Top1pctSenderShare-want) > 1e-12 {
		t.Errorf("top 1%% share %v, want %v", r.Top1pctSenderShare, want)
	}
	// Active threads: user 0 has 199 and the group, users 1, 3, 4 and 5
	// two, the others one.
	if a := r.ActiveThreadsPerUser; a.P50 != 1 || a.P90 != 1 {
		t.Errorf("active threads per user %+v", a)
	}
	// Bins: lengths 1 (198), 2 (1), 4 (1), 64 (1 of 50).
	want := map[float64]int{1: 198, 2: 1, 4: 1, 64: 1}
	total := 0
	for _, b := range r.ThreadLengths {
		total += b.Count
		if b.Count != want[b.Upto] {
			t.Errorf("thread length bin up to %v: %d threads, want %d", b.Upto, b.Count, want[b.Upto])
		}
	}
	if total != 201 {
		t.Errorf("%d threads in the length bins, want 201", total)
	}
	// Delay bins: 60 s under 64, 180 s under 256.
	if n := len(r.ReplyDelays); n != 9 || r.ReplyDelays[6].Count != 1 || r.ReplyDelays[8].Count != 1 {
		t.Errorf("reply delay bins %+v", r.ReplyDelays)
	}
}
