package cluster

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// router is a member's actor for the batches other processes send it: it
// decodes their steps and posts them to the grains of the shards they are
// for, a parcel per shard, keeping their order.
type router struct {
	m       *Member
	parcels map[int][]envelope
}

// Receive implements actor.Actor.
func (rt *router) Receive(ctx actor.Context) {
	b, ok := ctx.Message().(*wire.Batch)
	if !ok {
		return
	}
	r := rt.m.runOf(b.Run)
	if r == nil || !r.started.Load() || r.ended.Load() {
		return // a run that ended, or another coordinator's
	}
	if rt.parcels == nil {
		rt.parcels = map[int][]envelope{}
	}
	var order []int
	for _, s := range b.Steps {
		var e envelope
		decode(s, &e)
		k := r.lay.ofStep(&e.Step)
		if !r.local[k] {
			r.fault(&wire.Fault{Detail: fmt.Sprintf("member %s got a step for shard %d from %s, but the shard lives on %s",
				rt.m.addr, k, b.From, r.place[k].Address)})
			continue
		}
		if len(rt.parcels[k]) == 0 {
			order = append(order, k)
		}
		rt.parcels[k] = append(rt.parcels[k], e)
	}
	for _, k := range order {
		r.post(k, rt.parcels[k])
		rt.parcels[k] = nil
	}
}
