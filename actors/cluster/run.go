package cluster

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// run is a member's part of one run: the shards it hosts, where every
// other shard lives, and the batches on their way to other processes.
type run struct {
	id      uint64
	m       *Member
	pop     *Population
	env     sim.Env
	lay     layout
	obs     actors.Observer
	coord   *actor.PID // the coordinator's actor
	members []string   // the run's members, sorted

	// threads keeps the threads of every shard hosted here, packed while
	// idle: one shelf for all, whose locks are spread over its own
	// shards, as in the one-process engine.
	threads *actors.Shelf
	ids     []sim.ThreadID // the threads' ids, sorted, once the digest asks
	check   checking       // the invariant check, at the end

	mu     sync.Mutex
	shards []*shard // by number; nil where the shard is not here
	place  []*actor.PID
	local  []bool
	outs   map[string]*outbox // by address, the coordinator's included
	faults map[string]bool    // topologies already reported
	// outOf is the outbox of each shard on another member (nil for this
	// member's), and toCoord the coordinator's: routing a step looks its
	// batch up by shard number, not by hashing an address.
	outOf   []*outbox
	toCoord *outbox

	started, ended atomic.Bool
	stop           chan struct{}
	pending        atomic.Int64 // steps posted to this member's shards and not yet handled

	decided, handled      atomic.Uint64
	remoteSteps, batches  atomic.Uint64
	remoteBytes, restarts atomic.Uint64
	panicsMu              sync.Mutex
	panics                []string
	cpuStart              time.Duration
}

func newRun(m *Member, p *wire.Prepare, pop *Population) *run {
	r := &run{id: p.Run, m: m, pop: pop, lay: newLayout(int(p.Shards), pop.Users, pop.Groups),
		coord: actor.NewPID(p.Coordinator, p.CoordinatorId), members: slices.Sorted(slices.Values(p.Members)),
		outs: map[string]*outbox{}, faults: map[string]bool{}, stop: make(chan struct{}), threads: actors.NewShelf()}
	r.env = pop.env()
	r.shards = make([]*shard, r.lay.shards)
	if m.cfg.Observer != nil {
		r.obs = m.cfg.Observer(pop)
	}
	r.cpuStart, _ = usage()
	return r
}

// shardFor returns shard k's state, making it when the shard's grain
// first activates here.
func (r *run) shardFor(k int) *shard {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shards[k] == nil {
		r.shards[k] = newShard(r, k)
	}
	return r.shards[k]
}

// start records where every shard lives and starts flushing batches.
func (r *run) start(ps []*wire.Placement) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(ps) != r.lay.shards {
		return fmt.Errorf("cluster: run %d: %d placements for %d shards", r.id, len(ps), r.lay.shards)
	}
	r.place = make([]*actor.PID, r.lay.shards)
	r.local = make([]bool, r.lay.shards)
	for _, p := range ps {
		k := int(p.Shard)
		if k >= r.lay.shards || r.place[k] != nil {
			return fmt.Errorf("cluster: run %d: a bad placement of shard %d", r.id, k)
		}
		r.place[k] = actor.NewPID(p.Address, p.Id)
		r.local[k] = p.Address == r.m.addr
		if r.local[k] && r.shards[k] == nil {
			// The identity lookup spawned the grain here; it has not
			// handled its start yet, and will find its state made.
			r.shards[k] = newShard(r, k)
		}
		if !r.local[k] && r.shards[k] != nil {
			return fmt.Errorf("cluster: run %d: shard %d is placed on %s but activated here", r.id, k, p.Address)
		}
		if !r.local[k] && r.outs[p.Address] == nil {
			r.outs[p.Address] = r.outbox(actor.NewPID(p.Address, stepsActor), true)
		}
	}
	r.outOf = make([]*outbox, r.lay.shards)
	for k, pid := range r.place {
		if !r.local[k] {
			r.outOf[k] = r.outs[pid.Address]
		}
	}
	r.toCoord = r.outbox(r.coord, false)
	r.outs[r.coord.Address] = r.toCoord
	// Every shard hosted here has copied its users' initial connections:
	// the population's graph, all of it, can go.
	r.pop.Conns = nil
	if u, ok := r.obs.(interface{ SetUsers(int) }); ok {
		u.SetUsers(r.localUsers())
	}
	r.started.Store(true)
	go r.flushEvery(2 * time.Millisecond)
	return nil
}

// outbox returns the batch to the process of to; member counts what it
// sends in the run's figures of traffic between members.
func (r *run) outbox(to *actor.PID, member bool) *outbox {
	return &outbox{run: r.id, from: r.m.addr, post: func(b *wire.Batch) {
		if member {
			r.remoteSteps.Add(uint64(len(b.Steps)))
			r.batches.Add(1)
			r.remoteBytes.Add(uint64(proto.Size(b)))
		}
		r.m.sys.Root.Send(to, b)
	}}
}

// flushEvery flushes the batches now and then, so a step bound for a
// member this one seldom writes to never waits for a busy spell to end.
// It also tells the observer, once a second, how many threads the member
// keeps.
func (r *run) flushEvery(d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	gauge := time.Now()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.flushAll()
			if r.obs != nil && now.Sub(gauge) >= time.Second {
				gauge = now
				r.obs.SetThreads(0, r.threads.Len())
			}
		}
	}
}

func (r *run) flushAll() {
	for _, o := range r.outs {
		o.flush()
	}
}

// end stops the run's grains and its flusher; the run's state goes with
// them.
func (r *run) end() {
	if r.ended.Swap(true) {
		return
	}
	close(r.stop)
	r.mu.Lock()
	var pids []*actor.PID
	for k, s := range r.shards {
		if s != nil && r.place != nil {
			pids = append(pids, r.place[k])
		}
		r.shards[k] = nil
	}
	r.mu.Unlock()
	for _, p := range pids {
		r.m.sys.Root.Stop(p)
	}
}

// topology reports a change of the cluster's members during the run.
func (r *run) topology(now []string) {
	if !r.started.Load() || r.ended.Load() || slices.Equal(now, r.members) {
		return
	}
	key := fmt.Sprint(now)
	r.mu.Lock()
	seen := r.faults[key]
	r.faults[key] = true
	r.mu.Unlock()
	if seen {
		return
	}
	f := r.diff(now)
	f.Detail = fmt.Sprintf("member %s sees members %v", r.m.addr, now)
	r.fault(f)
}

// diff returns a fault naming the members that left and joined the run's
// when the cluster's members are now.
func (r *run) diff(now []string) *wire.Fault {
	f := &wire.Fault{}
	for _, a := range r.members {
		if !slices.Contains(now, a) {
			f.Left = append(f.Left, a)
		}
	}
	for _, a := range now {
		if !slices.Contains(r.members, a) {
			f.Joined = append(f.Joined, a)
		}
	}
	return f
}

// fault tells the coordinator the cluster changed under the run.
func (r *run) fault(f *wire.Fault) {
	f.Run, f.Reporter = r.id, r.m.addr
	r.m.sys.Root.Send(r.coord, f)
}

func (r *run) panicked(reason any) {
	r.restarts.Add(1)
	if r.obs != nil {
		r.obs.Restart()
	}
	r.panicsMu.Lock()
	if len(r.panics) < 100 {
		r.panics = append(r.panics, fmt.Sprintf("%s: %v", r.m.addr, reason))
	}
	r.panicsMu.Unlock()
}

func (r *run) localShards() int {
	n := 0
	for _, l := range r.local {
		if l {
			n++
		}
	}
	return n
}

func (r *run) localUsers() int {
	n := 0
	for k, l := range r.local {
		if l {
			lo, hi := r.lay.usersOf(k)
			n += int(hi - lo)
		}
	}
	return n
}

// stats is the member's account of the run, read at quiescence.
func (r *run) stats() *wire.Stats {
	st := &wire.Stats{Address: r.m.addr, Decided: r.decided.Load(), StepsHandled: r.handled.Load(),
		RemoteSteps: r.remoteSteps.Load(), RemoteBatches: r.batches.Load(), RemoteBytes: r.remoteBytes.Load(),
		Restarts: r.restarts.Load()}
	r.mu.Lock()
	for _, s := range r.shards {
		if s != nil {
			st.Shards++
			st.Users += uint64(len(s.users))
		}
	}
	r.mu.Unlock()
	st.Threads = uint64(r.threads.Len())
	for t := range r.threads.Store().Each() {
		st.Messages += uint64(t.Last())
	}
	cpu, rss := usage()
	st.CpuSeconds, st.PeakRss = (cpu - r.cpuStart).Seconds(), rss
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	st.HeapBytes = ms.HeapAlloc
	r.panicsMu.Lock()
	st.Panics = append(st.Panics, r.panics...)
	r.panicsMu.Unlock()
	return st
}
