package simtest

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// World is a small random population: users, their initial connections and
// the groups a stream may address.
type World struct {
	Users  int
	Conns  [][]sim.UserID // sorted, symmetric
	Groups int
}

// NewWorld returns a population of n users where each pair is connected
// with probability p.
func NewWorld(rng *rand.Rand, n int, p float64, groups int) *World {
	w := &World{Users: n, Conns: make([][]sim.UserID, n), Groups: groups}
	for a := range n {
		for b := a + 1; b < n; b++ {
			if rng.Float64() < p {
				w.Conns[a] = append(w.Conns[a], sim.UserID(b))
				w.Conns[b] = append(w.Conns[b], sim.UserID(a))
			}
		}
	}
	for _, c := range w.Conns {
		slices.Sort(c)
	}
	return w
}

// NewSparse returns a population of n users with about degree random
// connections each, in time linear in the connections, for large tests and
// benchmarks.
func NewSparse(rng *rand.Rand, n, degree, groups int) *World {
	w := &World{Users: n, Conns: make([][]sim.UserID, n), Groups: groups}
	for range n * degree / 2 {
		a, b := sim.UserID(rng.IntN(n)), sim.UserID(rng.IntN(n))
		if a != b {
			w.Conns[a] = append(w.Conns[a], b)
			w.Conns[b] = append(w.Conns[b], a)
		}
	}
	for i, c := range w.Conns {
		slices.Sort(c)
		w.Conns[i] = slices.Compact(c)
	}
	return w
}

// ConnsOf returns u's initial connections.
func (w *World) ConnsOf(u sim.UserID) []sim.UserID { return w.Conns[u] }

var texts = []string{"hello", "hi", "oops", "see you", "thanks", "ping", "lunch?", "ok"}

// Ops returns n random operations of every action, with simulated time
// advancing by up to 20 minutes between them. Some name unknown users,
// unknown messages or oneself, so every outcome code occurs but
// group_full: groups here have at most 6 members, far from 50.
func (w *World) Ops(rng *rand.Rand, n int) []sim.Op {
	ops := make([]sim.Op, 0, n)
	var sent []sim.Op // sends so far, for deletes, edits and reports
	var now sim.Time
	key := sim.MsgKey(0)
	user := func() sim.UserID {
		if rng.IntN(50) == 0 {
			return sim.UserID(w.Users + rng.IntN(3)) // unknown
		}
		return sim.UserID(rng.IntN(w.Users))
	}
	group := func() sim.ThreadID { return sim.Group(uint32(rng.IntN(w.Groups + 1))) }
	thread := func(u sim.UserID) sim.ThreadID {
		if rng.IntN(3) == 0 {
			return group()
		}
		return sim.Direct(u, user())
	}
	for range n {
		now += sim.Time(rng.Int64N(int64(20 * time.Minute)))
		op := sim.Op{At: now, User: user(), Action: sim.Action(rng.IntN(int(sim.NumActions)))}
		switch op.Action {
		case sim.Connect, sim.Disconnect, sim.Block, sim.Unblock, sim.ViewProfile:
			op.Target = user()
		case sim.Send:
			key++
			op.Msg, op.Text = key, texts[rng.IntN(len(texts))]
			if rng.IntN(3) == 0 {
				op.Thread = group()
			} else if c := w.conns(op.User); len(c) > 0 && rng.IntN(4) > 0 {
				op.Target = c[rng.IntN(len(c))]
			} else {
				op.Target = user()
			}
			sent = append(sent, op)
		case sim.CreateGroup:
			op.Thread = group()
			c := w.conns(op.User)
			for range 2 + rng.IntN(4) {
				if len(c) > 0 && rng.IntN(5) > 0 {
					op.Members = append(op.Members, c[rng.IntN(len(c))])
				} else {
					op.Members = append(op.Members, user())
				}
			}
		case sim.AddMember:
			op.Thread, op.Target = group(), user()
		case sim.LeaveGroup:
			op.Thread = group()
		case sim.Delete, sim.Edit, sim.Report:
			if len(sent) > 0 {
				m := sent[len(sent)-1-rng.IntN(min(len(sent), 8))]
				op.Msg, op.Thread = m.Msg, m.ThreadOf()
				if rng.IntN(3) > 0 {
					op.User = m.User
				}
				op.Target = m.User
			} else {
				op.Msg, op.Thread = 999, sim.Direct(0, 1)
			}
			op.Everyone = rng.IntN(2) == 0
			op.AndBlock = op.Action == sim.Report && rng.IntN(3) == 0
			op.Text = texts[rng.IntN(len(texts))]
			if op.Action == sim.Report && rng.IntN(4) == 0 {
				op.Msg, op.Thread, op.Target = 0, 0, user()
			}
		case sim.DeleteThread, sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.Read:
			op.Thread = thread(op.User)
		case sim.Notifications:
			op.On = rng.IntN(2) == 0
		case sim.Post:
			op.Text = texts[rng.IntN(len(texts))]
		}
		ops = append(ops, op)
	}
	return ops
}

func (w *World) conns(u sim.UserID) []sim.UserID {
	if int(u) < w.Users {
		return w.Conns[u]
	}
	return nil
}
