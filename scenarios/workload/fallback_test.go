package workload

import (
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// TestStreamRegretFallback: with a fallback, each regretted message's
// delete for everyone is followed at once by its delete for me, and the
// stream is otherwise the one without fallback.
func TestStreamRegretFallback(t *testing.T) {
	g := build(t, BarabasiAlbert, 2000, 10, 0, 1)
	specs := g.Groups(Groups{Count: 50, MinSize: 3, MaxSize: 6}, 1)
	w := Workload{Duration: 12 * time.Hour, ActionsPerUserPerDay: 10, Mix: onlyMix(map[sim.Action]float64{sim.Send: 9, sim.Read: 1}),
		Regret: &Regret{Share: 0.2, Median: 2 * time.Minute, P99: 2 * time.Hour, Everyone: true}}
	plain := collect(t, NewStream(g, specs, w, 3))
	fb := w
	r := *w.Regret
	r.Fallback = true
	fb.Regret = &r
	s := NewStream(g, specs, fb, 3)
	with := collect(t, s)
	var rest []sim.Op
	recalls := 0
	for i := 0; i < len(with); i++ {
		op := with[i]
		if op.Action == sim.Delete && op.Everyone {
			recalls++
			if i+1 == len(with) {
				t.Fatal("the last operation is a recall without its fallback")
			}
			next := with[i+1]
			if next.Action != sim.Delete || next.Everyone || next.Msg != op.Msg || next.User != op.User || next.At != op.At || next.Thread != op.Thread {
				t.Fatalf("recall %+v followed by %+v", op, next)
			}
			rest = append(rest, op)
			i++
			continue
		}
		rest = append(rest, op)
	}
	if recalls == 0 || len(rest) != len(plain) {
		t.Fatalf("%d recalls; %d operations besides the fallbacks, %d without fallback", recalls, len(rest), len(plain))
	}
	for i := range plain {
		if rest[i].Action != plain[i].Action || rest[i].Msg != plain[i].Msg || rest[i].At != plain[i].At {
			t.Fatalf("operation %d differs: %+v and %+v", i, rest[i], plain[i])
		}
	}
	if x := s.Expected(); x < len(with)*9/10 || x > len(with)*11/10 {
		t.Errorf("expected %d operations, got %d", x, len(with))
	}
}
