package cluster

import (
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// control is a member's actor for the coordinator's requests. Work that
// takes long (generating a population, activating the shards) runs on a
// goroutine of its own, which answers the requester when it is done, so
// pings are answered meanwhile.
type control struct{ m *Member }

// Receive implements actor.Actor.
func (c *control) Receive(ctx actor.Context) {
	m := c.m
	switch msg := ctx.Message().(type) {
	case *wire.Hello:
		r := m.current()
		var id uint64
		if r != nil {
			id = r.id
		}
		ctx.Respond(&wire.Member{Address: m.addr, Members: m.Members(), Provider: m.provider(), Run: id})
	case *wire.Ping:
		ack := &wire.Ack{}
		if r := m.current(); r != nil {
			ack.Run = r.id
		}
		ctx.Respond(ack)
	case *wire.Prepare:
		answer(ctx, func() any { return ack(m.prepare(msg)) })
	case *wire.Place:
		answer(ctx, func() any { return m.place(msg) })
	case *wire.Start:
		ctx.Respond(ack(m.start(msg)))
	case *wire.Digest:
		ctx.Respond(m.digest(msg))
	case *wire.Check:
		answer(ctx, func() any { return m.check(msg) })
	case *wire.Notes:
		r := m.runOf(msg.Run)
		if r == nil {
			ctx.Respond(&wire.Ack{Error: fmt.Sprintf("member %s has no run %d", m.addr, msg.Run)})
			return
		}
		r.received(msg)
		ctx.Respond(&wire.Ack{Run: msg.Run})
	case *wire.StatsRequest:
		if r := m.runOf(msg.Run); r != nil {
			ctx.Respond(r.stats())
			return
		}
		ctx.Respond(&wire.Stats{Address: m.addr})
	case *wire.End:
		if r := m.runOf(msg.Run); r != nil {
			m.endRun(r)
		}
		ctx.Respond(&wire.Ack{Run: msg.Run})
	}
}

// answer runs f on a goroutine of its own and sends what it returns to
// whoever asked.
func answer(ctx actor.Context, f func() any) {
	to, root := ctx.Sender(), ctx.ActorSystem().Root
	go func() { root.Send(to, f()) }()
}

func ack(err error) *wire.Ack {
	if err != nil {
		return &wire.Ack{Error: err.Error()}
	}
	return &wire.Ack{}
}

func (m *Member) provider() string {
	if m.cfg.Provider == "" {
		return Automanaged
	}
	return m.cfg.Provider
}

// runOf returns the run in progress when its id is id.
func (m *Member) runOf(id uint64) *run {
	if r := m.current(); r != nil && r.id == id {
		return r
	}
	return nil
}

// prepare sets a run up: it generates the population from the spec. A
// run still in progress (its coordinator gone) is ended first.
func (m *Member) prepare(p *wire.Prepare) error {
	if old := m.current(); old != nil {
		m.events("run %d: ended, replaced by run %d from %s", old.id, p.Run, p.Coordinator)
		m.endRun(old)
	}
	spec := Spec{File: p.File, Scenario: p.Scenario, Seed: p.Seed, Mode: p.Mode, Overrides: p.Overrides}
	pop, err := m.cfg.Prepare(spec)
	if err != nil {
		return err
	}
	if p.Shards == 0 {
		return fmt.Errorf("cluster: run %d has no shards", p.Run)
	}
	r := newRun(m, p, pop)
	m.mu.Lock()
	if m.left {
		m.mu.Unlock()
		return fmt.Errorf("cluster: member %s is leaving", m.addr)
	}
	m.run = r
	m.mu.Unlock()
	m.events("run %d: prepared %d users for coordinator %s", p.Run, pop.Users, p.Coordinator)
	return nil
}

// place activates every shard's grain through the identity lookup, which
// decides on which member each lives, and says where they are.
func (m *Member) place(p *wire.Place) *wire.Placed {
	r := m.runOf(p.Run)
	if r == nil {
		return &wire.Placed{Error: fmt.Sprintf("cluster: member %s has no run %d", m.addr, p.Run)}
	}
	placed := &wire.Placed{}
	for k := range r.lay.shards {
		var pid *actor.PID
		for try := 0; pid == nil && try < 20; try++ {
			if pid = m.cl.Get(identity(r.id, k), shardKind); pid == nil {
				time.Sleep(250 * time.Millisecond)
			}
		}
		if pid == nil {
			return &wire.Placed{Error: fmt.Sprintf("cluster: the identity lookup found no member for shard %d", k)}
		}
		placed.Placements = append(placed.Placements, &wire.Placement{Shard: uint32(k), Address: pid.Address, Id: pid.Id})
	}
	return placed
}

// start gives the run its placements: from then on steps flow.
func (m *Member) start(s *wire.Start) error {
	r := m.runOf(s.Run)
	if r == nil {
		return fmt.Errorf("cluster: member %s has no run %d", m.addr, s.Run)
	}
	if err := r.start(s.Placements); err != nil {
		return err
	}
	m.events("run %d: started, %d of %d shards (%d users) here", r.id, r.localShards(), r.lay.shards, r.localUsers())
	return nil
}

// endRun ends run r and drops its state.
func (m *Member) endRun(r *run) {
	m.mu.Lock()
	if m.run == r {
		m.run = nil
	}
	m.mu.Unlock()
	r.end()
	m.events("run %d: ended", r.id)
}
