package cluster

import (
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// The parts of a shard the digest visits, in the order sim.State.Digest
// hashes a population: every user, then every direct thread, then every
// group, each in id order; shard by shard within each part, since shards
// are ranges of ids.
const (
	partUsers = iota
	partDirect
	partGroups
	parts
)

// digest continues the state digest over one part of a shard hosted here.
func (m *Member) digest(d *wire.Digest) *wire.Hash {
	r := m.runOf(d.Run)
	if r == nil {
		return &wire.Hash{Error: fmt.Sprintf("member %s has no run %d", m.addr, d.Run)}
	}
	k := int(d.Shard)
	var s *shard
	if k < r.lay.shards {
		r.mu.Lock() // the run's end may be dropping its shards
		s = r.shards[k]
		r.mu.Unlock()
	}
	if s == nil {
		return &wire.Hash{Error: fmt.Sprintf("member %s does not host shard %d", m.addr, k)}
	}
	st := sim.State{Policy: r.pop.Policy, Cohorts: r.pop.Cohorts}
	switch d.Part {
	case partUsers:
		return &wire.Hash{Hash: sim.DigestUsers(d.Hash, s.users)}
	case partDirect, partGroups:
		from, to := r.lay.threadsOf(k, d.Part == partGroups)
		return &wire.Hash{Hash: st.DigestThreads(d.Hash, r.threadRange(from, to))}
	}
	return &wire.Hash{Error: fmt.Sprintf("no digest part %d", d.Part)}
}

// threadRange yields the threads hosted here whose ids are in [from, to),
// in id order. It reads the shelf at quiescence, and keeps the sorted
// ids for the next range, since the digest asks for every shard's.
func (r *run) threadRange(from, to sim.ThreadID) iter.Seq[*sim.Thread] {
	r.mu.Lock()
	if r.ids == nil {
		r.ids = r.threads.IDs()
	}
	ids := r.ids
	r.mu.Unlock()
	i, _ := slices.BinarySearch(ids, from)
	store := r.threads.Store()
	return func(yield func(*sim.Thread) bool) {
		for ; i < len(ids) && ids[i] < to; i++ {
			if !yield(store.Get(ids[i])) {
				return
			}
		}
	}
}

// Digest returns the state digest of the run at quiescence, equal to
// sim.State.Digest of the same state held in one process: the hash goes
// from shard to shard, each member continuing it over the shards it
// hosts, so no state leaves its member.
func (c *Coordinator) Digest() (uint64, error) {
	var h uint64
	for part := range parts {
		for k, a := range c.place {
			res, err := c.ask(a, &wire.Digest{Run: c.id, Shard: uint32(k), Part: uint32(part), Hash: h}, time.Minute)
			if err != nil {
				return 0, fmt.Errorf("cluster: digest: %w", err)
			}
			hs, ok := res.(*wire.Hash)
			if !ok || hs.Error != "" {
				return 0, fmt.Errorf("cluster: digest of shard %d on %s: %v", k, a, hs.GetError())
			}
			h = hs.Hash
		}
	}
	return h, nil
}

// NodeStats is one member's account of a run.
type NodeStats struct {
	Address  string
	Shards   int
	Users    int
	Threads  int
	Messages int
	// Decided counts the operations whose outcome this member's shards
	// decided.
	Decided int
	Handled int // steps handled
	// RemoteSteps, RemoteBatches and RemoteBytes count the steps this
	// member sent to other members, in how many batches and bytes.
	RemoteSteps   int
	RemoteBatches int
	RemoteBytes   int64
	CPUSeconds    float64
	PeakRSS       int64
	// HeapBytes is the member's live heap at the end of the run.
	HeapBytes int64
	Restarts  int
	Panics    []string
}

// Stats asks every member for its account of the run, in the members'
// order.
func (c *Coordinator) Stats() ([]NodeStats, error) {
	res, err := c.askAll(func(string) any { return &wire.StatsRequest{Run: c.id} }, time.Minute)
	if err != nil {
		return nil, fmt.Errorf("cluster: stats: %w", err)
	}
	out := make([]NodeStats, len(res))
	for i, x := range res {
		s, ok := x.(*wire.Stats)
		if !ok {
			return nil, fmt.Errorf("cluster: stats: member %s answered %T", c.members[i], x)
		}
		out[i] = NodeStats{Address: c.members[i], Shards: int(s.Shards), Users: int(s.Users), Threads: int(s.Threads),
			Messages: int(s.Messages), Decided: int(s.Decided), Handled: int(s.StepsHandled),
			RemoteSteps: int(s.RemoteSteps), RemoteBatches: int(s.RemoteBatches), RemoteBytes: int64(s.RemoteBytes),
			CPUSeconds: s.CpuSeconds, PeakRSS: s.PeakRss, HeapBytes: int64(s.HeapBytes), Restarts: int(s.Restarts), Panics: s.Panics}
	}
	return out, nil
}
