package actors

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

// TestShelf: threads handled one step at a time off a shelf (taken,
// changed by their handlers, put back) end as the reference model's, an
// emptied one is dropped, and the shelf reads back every thread in id
// order.
func TestShelf(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	pw := simtest.NewSparse(rng, 80, 8, 6)
	ops := pw.Ops(rng, 6000)
	w := sim.NewWorld(sim.Linkedin(), pw.Users, pw.ConnsOf)
	for _, op := range ops {
		w.Apply(op)
	}
	// The same operations with every thread kept on a shelf between steps.
	sh := NewShelf()
	users := make([]sim.User, pw.Users)
	for i := range users {
		users[i] = *sim.NewUser(sim.UserID(i), pw.ConnsOf(sim.UserID(i)))
	}
	env := &sim.Env{Policy: new(sim.Policy), Users: pw.Users}
	*env.Policy = sim.Linkedin()
	var out sim.Outbox
	for _, op := range ops {
		if !env.Known(op.User) {
			continue // answered without a step, as World.Apply answers it
		}
		queue := []sim.Step{{Kind: sim.Start, To: op.User, Op: op}}
		for i := 0; i < len(queue); i++ {
			m := &queue[i]
			out.Reset()
			switch {
			case m.Kind == sim.Done:
				continue
			case m.ToThread():
				th := sh.Take(m.Thread)
				if th == nil {
					if !sim.Creates(m) {
						sim.Missing(m, &out)
						break
					}
					th = sim.NewThread(m.Thread, m.Pair)
					sh.Hold(th)
				}
				th.Handle(m, env, &out)
				sh.Put(th)
			default:
				users[m.To].Handle(m, env, &out)
			}
			queue = append(queue, out.Steps...)
		}
	}
	if sh.Len() != len(w.Threads) {
		t.Fatalf("%d threads on the shelf, the reference model has %d", sh.Len(), len(w.Threads))
	}
	ids := sh.IDs()
	if !slices.IsSorted(ids) || len(ids) != len(w.Threads) {
		t.Fatalf("IDs gave %d ids, sorted %v", len(ids), slices.IsSorted(ids))
	}
	store := sh.Store()
	for _, id := range ids {
		want := w.Threads[id]
		want.Compact()
		got := store.Get(id)
		got.Compact()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("thread %v is\n%+v\nwant\n%+v", id, got, want)
		}
	}
	got := sim.State{Policy: sim.Linkedin(), Users: users, Store: store}
	if got.Digest() != w.Digest() {
		t.Fatalf("digest %016x, the reference model's %016x", got.Digest(), w.Digest())
	}
}
