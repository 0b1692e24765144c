package cluster

import (
	"strconv"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// shard is the state of one shard on the member that hosts it: its users
// as sim.Users, side by side as the one-process engine keeps them, and
// their initial connections. Its threads wait packed on the member's
// shelf (run.threads) while they are idle. Its grain handles its steps
// one at a time.
type shard struct {
	k     int
	lo    sim.UserID // the shard's first user
	users []sim.User
	// initial holds the users' initial connections, copied out of the
	// population's graph so that the member can let the graph go: user
	// lo+i's are initial[at[i]:at[i+1]].
	initial []sim.UserID
	at      []uint32
}

func newShard(r *run, k int) *shard {
	lo, hi := r.lay.usersOf(k)
	s := &shard{k: k, lo: lo, users: make([]sim.User, hi-lo), at: make([]uint32, hi-lo+1)}
	for i := range s.users {
		if r.pop.Conns != nil {
			s.initial = append(s.initial, r.pop.Conns(lo+sim.UserID(i))...)
		}
		s.at[i+1] = uint32(len(s.initial))
	}
	for i := range s.users {
		s.users[i] = *sim.NewUser(lo+sim.UserID(i), s.conns(lo+sim.UserID(i)))
	}
	return s
}

// conns returns user u's initial connections, sorted; u is the shard's.
func (s *shard) conns(u sim.UserID) []sim.UserID {
	i := u - s.lo
	from, to := s.at[i], s.at[i+1]
	return s.initial[from:to:to]
}

// parcel is steps for one shard, posted to its grain on this member.
type parcel struct {
	run   uint64
	steps []envelope
}

// grain is a shard's actor: a virtual actor of the cluster, activated on
// the member the identity lookup picks when the shard is first asked
// for. Its state lives with the member's run, so a grain restarted after
// a panic carries on with it.
type grain struct {
	m *Member
	r *run
	s *shard

	out     sim.Outbox
	local   [][]envelope     // by shard: steps for this member's shards, from the parcel being handled
	touched []int            // the shards local holds steps for, in the order first routed to
	credits map[uint64]int64 // credit to return, from the parcel being handled
}

// Receive implements actor.Actor.
func (g *grain) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *cluster.ClusterInit:
		g.init(msg.Identity)
	case *actor.Restarting:
		if g.r != nil {
			g.r.restarts.Add(1)
		}
	case *parcel:
		if g.r == nil || g.r.id != msg.run {
			return // a run that ended
		}
		g.parcel(msg)
	case *actor.Stopping:
		if r := g.r; r != nil && r.started.Load() && !r.ended.Load() {
			f := r.diff(g.m.Members())
			f.Detail = "the grain of shard " + strconv.Itoa(g.s.k) + " on member " + g.m.addr + " stopped: the identity lookup moved it"
			r.fault(f)
		}
	}
}

func (g *grain) init(id *cluster.ClusterIdentity) {
	if id == nil {
		return
	}
	m := g.m
	r := m.current()
	if r == nil {
		return
	}
	run, k, err := shardOf(id.Identity, r.lay.shards)
	if err != nil || run != r.id {
		return // a grain of a run that is over
	}
	g.r, g.s = r, r.shardFor(k)
	g.local, g.credits = make([][]envelope, r.lay.shards), map[uint64]int64{}
}

// parcel handles a parcel's steps in order, then sends what they caused:
// steps for this member's shards as parcels, the rest into the batches
// for other members, credits back to the coordinator.
func (g *grain) parcel(p *parcel) {
	r := g.r
	for i := range p.steps {
		g.step(&p.steps[i])
	}
	for _, k := range g.touched { // not every shard ever routed to, for each parcel
		r.post(k, g.local[k])
		g.local[k] = nil
	}
	g.touched = g.touched[:0]
	if len(g.credits) > 0 {
		r.toCoord.credit(g.credits)
		clear(g.credits)
	}
	r.handled.Add(uint64(len(p.steps)))
	if r.pending.Add(-int64(len(p.steps))) == 0 {
		r.flushAll() // the member is idle: nothing it still handles can join the batches
	}
}

// step applies one step to its user or thread and routes what it causes.
// A panic in a handler loses the step, as in the one-process engine: the
// step's credit goes back so its operation can settle, and the panic is
// reported.
func (g *grain) step(e *envelope) {
	r, s, m := g.r, g.s, &e.Step
	var taken *sim.Thread
	defer func() {
		if p := recover(); p != nil {
			if taken != nil {
				r.threads.Put(taken)
			}
			g.out.Reset()
			g.credits[e.op] += int64(e.credit)
			r.panicked(p)
			if actors.Decides(m) {
				r.toCoord.add(&wire.Step{Kind: uint32(sim.Done), Flags: flagPanicked, Op: e.op})
			}
		}
	}()
	out := &g.out
	switch {
	case m.ToThread():
		taken = r.threads.Take(m.Thread)
		if taken == nil {
			if !sim.Creates(m) {
				sim.Missing(m, out)
				break
			}
			if e.bypassed && !m.Thread.IsGroup() {
				lo, _ := m.Thread.Pair() // the shard's by its layout
				m.Pair = sim.InitialPair(m.Thread, s.conns(lo))
			}
			taken = sim.NewThread(m.Thread, m.Pair)
			r.threads.Hold(taken)
		}
		taken.Handle(m, &r.env, out)
		t := taken
		taken = nil
		r.threads.Put(t)
	default:
		u := &s.users[m.To-s.lo]
		if r.obs == nil {
			u.Handle(m, &r.env, out)
		} else {
			before := u.Counters
			u.Handle(m, &r.env, out)
			actors.CountNotifications(r.obs, &before, &u.Counters)
		}
	}
	g.route(e)
}

// route sends the steps the handler put in the outbox, splitting e's
// credit among them and keeping the rest to return.
func (g *grain) route(e *envelope) {
	r := g.r
	msgs := g.out.Steps
	children := 0
	for i := range msgs {
		if msgs[i].Kind != sim.Done {
			children++
		}
	}
	share, left := split(e.credit, children)
	delivered := 0
	for i := range msgs {
		m := &msgs[i]
		if m.Kind == sim.Done {
			r.decided.Add(1)
			r.toCoord.add(&wire.Step{Kind: uint32(sim.Done), Outcome: uint32(m.Outcome), Op: e.op})
			continue
		}
		if m.Kind == sim.Delivered {
			delivered++
		}
		child := envelope{Step: *m, op: e.op, credit: share}
		k := r.lay.ofStep(m)
		if r.local[k] {
			if len(g.local[k]) == 0 {
				g.touched = append(g.touched, k)
			}
			g.local[k] = append(g.local[k], child)
			continue
		}
		var w wire.Step
		encode(&child, &w)
		r.outOf[k].add(&w)
	}
	if delivered > 0 && r.obs != nil { // once per handled step, not per recipient of a group's message
		r.obs.Delivered(delivered)
	}
	if left != 0 {
		g.credits[e.op] += left
	}
	g.out.Reset()
}

// split divides a step's credit among the children steps it caused:
// each gets share, and left is what goes back to the coordinator, so
// share*children + left == credit. A step with less credit than children
// (no operation's fan-out comes near it: see opCredit) overdraws: each
// child still gets 1, and left is negative, which the coordinator's sum
// balances all the same.
func split(credit uint64, children int) (share uint64, left int64) {
	if children == 0 {
		return 0, int64(credit)
	}
	share = max(credit/uint64(children), 1)
	return share, int64(credit) - int64(share)*int64(children)
}

// post sends steps to shard k, which is on this member.
func (r *run) post(k int, es []envelope) {
	r.pending.Add(int64(len(es)))
	r.m.sys.Root.Send(r.place[k], &parcel{run: r.id, steps: es})
}
