package actors

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
)

// Config describes an engine's population and how it runs.
type Config struct {
	Policy sim.Policy
	// Cohorts, when set, puts users under policies of their own (A/B
	// experiments); Policy is then unused.
	Cohorts *sim.Cohorts
	Users   int
	// Conns gives each user's initial connections, sorted; the engine keeps
	// the slices without copying until they change.
	Conns func(sim.UserID) []sim.UserID
	Mode  sim.Mode
	// MaxInflight bounds the operations in flight in Parallel mode
	// (default 128): a full window makes Run wait, so queues cannot grow
	// without bound. 16 to 128 measured fastest at 100k users, 4096 about
	// a quarter slower: fewer operations in flight keep fewer actors'
	// state in the caches.
	MaxInflight int
	// Pool runs actors on a fixed pool of worker goroutines instead of
	// starting a goroutine each time an idle mailbox gets a message. Zero
	// means four workers per core in Parallel mode, which measured fastest
	// here, and in Deterministic mode protoactor's synchronized dispatcher,
	// which runs each step on the goroutine that sent it. It must not be
	// negative: protoactor's default dispatcher, which a negative value once
	// chose, measured two to four times slower and is not offered.
	Pool int
	// Observer receives counts as the engine works; nil counts nothing.
	Observer Observer
	// Trace, when set, is called after each step an actor handles with
	// the step and the steps it caused, before they are sent, as
	// sim.World.Trace is: for tests that compare the steps the engine
	// sends with the reference model's. It is called from the actors'
	// goroutines.
	Trace func(handled *sim.Step, caused []sim.Step)
	// Logger receives the actor system's warnings; nil discards them.
	Logger *slog.Logger
}

// Observer is told what the actors do, for metrics; operations and their
// outcomes are the caller's to count. Its methods are called from many
// goroutines at once.
type Observer interface {
	Delivered(n int)
	Notified(c sim.Cause, n int)
	Suppressed(r sim.Reason, n int)
	Restart()
	SetThreads(live, passivated int)
}

// ErrClosed is returned by an engine that has been closed.
var ErrClosed = errors.New("actors: engine closed")

// Engine runs a population as protoactor actors: each user and each thread
// is served by an actor while it is live (see the package documentation).
// It is safe for concurrent use by the goroutine that drives it and the
// actors themselves; Apply and Run must not be called concurrently with
// each other.
type Engine struct {
	cfg       Config
	env       sim.Env
	policy    sim.Policy
	sys       *actor.ActorSystem
	root      *actor.RootContext
	users     []sim.User
	initial   [][]sim.UserID // each user's initial connections, for InitialPair
	userSlots []userSlot     // each user's host while it is live
	userLocks [shards]userLock
	threads   registry
	hosts     hosts
	obs       Observer
	pool      *pool

	hostProps *actor.Props
	// spawnMu serializes spawns, so the mailbox the props make during a
	// spawn is known to belong to the actor spawned (spawned).
	spawnMu sync.Mutex
	spawned *mailbox

	pending atomic.Int64 // actor messages sent and not yet processed
	quietMu sync.Mutex
	quiet   chan struct{}

	live, passive atomic.Int64
	restarts      atomic.Int64
	panicsMu      sync.Mutex
	panics        []string

	// done receives the outcome of each operation, by ticket, or learns
	// that the step that was to decide it panicked (undecided).
	done   func(ticket uint32, o sim.Outcome, panicked bool)
	closed bool

	seeding *sim.World // the seeds' world until the first Apply or Run
	started bool
}

// ErrSeedLate is returned by Seed once the engine has applied an operation.
var ErrSeedLate = errors.New("actors: seeding after the first operation")

// Seed applies op to the population before the run: at once, on the
// calling goroutine, with the reference model's handlers over the engine's
// own state and without actors. It is for setting a population up (a
// generated population of a million users has 50,000 groups to create,
// which through the actors took a second) and gives the state Apply would.
// Threads it creates start passivated, and no actor is spawned. Seed must
// not be called after Apply or Run.
func (e *Engine) Seed(op sim.Op) (sim.Outcome, error) {
	if e.started || e.closed {
		return 0, ErrSeedLate
	}
	if e.seeding == nil {
		e.seeding = sim.WorldOn(&sim.State{Policy: e.policy, Users: e.users, Threads: make(map[sim.ThreadID]*sim.Thread), Cohorts: e.cfg.Cohorts})
	}
	return e.seeding.Apply(op), nil
}

// EndSeeding hands the threads Seed created to the registry, passivated
// and packed where small, as the first Apply or Run would; Seed fails
// afterwards. Call it to measure the population the run will start from.
func (e *Engine) EndSeeding() { e.begin() }

// begin hands the seeded threads to the registry, passivated, before the
// first operation.
func (e *Engine) begin() {
	if e.started {
		return
	}
	e.started = true
	if e.seeding == nil {
		return
	}
	for id, t := range e.seeding.Threads {
		e.threads.of(id).store(t)
	}
	e.passive.Add(int64(len(e.seeding.Threads)))
	e.seeding = nil
	e.observeThreads()
}

// New returns an engine for cfg's population. It spawns no actor: users
// and threads get theirs when a step for them is sent.
func New(cfg Config) (*Engine, error) {
	if cfg.Users < 0 || cfg.Pool < 0 {
		return nil, fmt.Errorf("actors: users and pool must not be negative, got %d and %d", cfg.Users, cfg.Pool)
	}
	if cfg.MaxInflight <= 0 {
		cfg.MaxInflight = 128
	}
	e := &Engine{cfg: cfg, policy: cfg.Policy, obs: cfg.Observer}
	e.env = sim.Env{Policy: &e.policy, Users: cfg.Users, Cohorts: cfg.Cohorts}
	e.threads.init()
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e.sys = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger }))
	e.root = e.sys.Root
	supervisor := actor.NewOneForOneStrategy(1<<30, time.Second, e.decide)
	opts := []actor.PropsOption{actor.WithGuardian(supervisor), actor.WithMailbox(func() actor.Mailbox {
		e.spawned = newMailbox()
		return e.spawned
	})}
	switch {
	case cfg.Pool == 0 && cfg.Mode == sim.Deterministic:
		// One operation at a time: every step runs on the goroutine that
		// sent it, and no worker has to be woken for each of them.
		opts = append(opts, actor.WithDispatcher(actor.NewSynchronizedDispatcher(300)))
	case cfg.Pool == 0:
		cfg.Pool = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.Pool > 0 {
		e.pool = newPool(cfg.Pool)
		opts = append(opts, actor.WithDispatcher(e.pool))
	}
	e.hostProps = actor.PropsFromProducer(func() actor.Actor { return &hostActor{e: e} }, opts...)
	e.users = make([]sim.User, cfg.Users)
	e.userSlots = make([]userSlot, cfg.Users)
	e.initial = make([][]sim.UserID, cfg.Users)
	for i := range e.users {
		if cfg.Conns != nil {
			e.initial[i] = cfg.Conns(sim.UserID(i))
		}
		e.users[i] = *sim.NewUser(sim.UserID(i), e.initial[i])
	}
	return e, nil
}

// spawn starts host number n and returns it. All hosts share one props:
// props of its own for every actor would cost about 200 bytes each.
func (e *Engine) spawn(n uint64) *host {
	name := string(strconv.AppendUint([]byte{'h'}, n, 36))
	e.spawnMu.Lock()
	defer e.spawnMu.Unlock()
	pid, err := e.root.SpawnNamed(e.hostProps, name)
	if err != nil {
		panic(fmt.Sprintf("actors: spawning %s: %v", name, err)) // names are unique by construction
	}
	return &host{pid: pid, mb: e.spawned}
}

// stopper stops actors gracefully (each finishes what its mailbox holds),
// waiting for them 4,096 at a time.
type stopper struct {
	root    *actor.RootContext
	futures []*actor.Future
}

func (s *stopper) stop(pid *actor.PID) {
	s.futures = append(s.futures, s.root.PoisonFuture(pid))
	if len(s.futures) == 4096 {
		s.wait()
	}
}

func (s *stopper) wait() {
	for _, f := range s.futures {
		_ = f.Wait()
	}
	s.futures = s.futures[:0]
}

// decide is the supervisor's decider: a panicking actor is restarted (the
// state it serves travels with each step, so nothing but the step that
// panicked is lost), and the panic is kept for the report.
func (e *Engine) decide(reason any) actor.Directive {
	e.panicsMu.Lock()
	if len(e.panics) < 100 {
		e.panics = append(e.panics, fmt.Sprint(reason))
	}
	e.panicsMu.Unlock()
	return actor.RestartDirective
}

// Restarts returns how many times actors were restarted after a panic.
func (e *Engine) Restarts() int { return int(e.restarts.Load()) }

// Panics returns the reasons of the first 100 panics.
func (e *Engine) Panics() []string {
	e.panicsMu.Lock()
	defer e.panicsMu.Unlock()
	return append([]string(nil), e.panics...)
}

// Threads returns the number of live and passivated threads.
func (e *Engine) Threads() (live, passivated int) {
	return int(e.live.Load()), int(e.passive.Load())
}

// Users returns the population size.
func (e *Engine) Users() int { return e.cfg.Users }

// send counts a step as pending and posts it to a user's mailbox.
func (e *Engine) send(mb *mailbox, m *sim.Step) {
	e.sendStep(mb, m, nil)
}

// sendStep counts a step as pending and posts it to a mailbox, for thread
// sl's host when sl is not nil.
func (e *Engine) sendStep(mb *mailbox, m *sim.Step, sl *slot) {
	e.pending.Add(1)
	s := newEnvelope(m)
	s.slot = sl
	mb.post(s)
}

// processed marks one message handled and wakes a waiter at quiescence.
func (e *Engine) processed() {
	if e.pending.Add(-1) != 0 {
		return
	}
	e.quietMu.Lock()
	if e.quiet != nil && e.pending.Load() == 0 {
		close(e.quiet)
		e.quiet = nil
	}
	e.quietMu.Unlock()
}

// Quiesce waits until no actor message is in flight.
func (e *Engine) Quiesce() {
	e.quietMu.Lock()
	if e.pending.Load() == 0 {
		e.quietMu.Unlock()
		return
	}
	ch := make(chan struct{})
	e.quiet = ch
	e.quietMu.Unlock()
	<-ch
}

// outboxes lends actors the outbox a handler writes its steps to, for the
// time of one step: an outbox of its own for every actor would keep about
// 150 bytes per step it once sent alive with each of them.
var outboxes = sync.Pool{New: func() any { return new(sim.Outbox) }}

// trace tells Config.Trace, when set, what handling m caused.
func (e *Engine) trace(m *sim.Step, out *sim.Outbox) {
	if e.cfg.Trace != nil {
		e.cfg.Trace(m, out.Steps)
	}
}

// Decides reports whether m is on its operation's deciding path (sim.Step:
// a Start, then perhaps an AtThread, ends in one Done), so that when its
// handler panics before its steps are sent, no Done will come for the
// operation.
func Decides(m *sim.Step) bool {
	return (m.Kind == sim.Start || m.Kind == sim.AtThread) && !m.Quiet
}

// undecided tells whoever waits on m's operation that its deciding step
// panicked: in Parallel mode Run frees the operation's slot, which would
// otherwise stay taken, and a full window of them would hang the run.
func (e *Engine) undecided(m *sim.Step) {
	if Decides(m) {
		e.done(m.Ticket, 0, true)
	}
}

// route sends the steps a handler produced to the actors they address and
// returns the outbox to its pool.
func (e *Engine) route(out *sim.Outbox) {
	delivered := 0
	for i := range out.Steps {
		m := &out.Steps[i]
		switch {
		case m.Kind == sim.Done:
			e.done(m.Ticket, m.Outcome, false)
		case m.ToThread():
			e.sendThread(m)
		default:
			if m.Kind == sim.Delivered {
				delivered++
			}
			e.send(e.claimUser(m.To), m)
		}
	}
	if delivered > 0 && e.obs != nil { // once per handled step, not per recipient of a group's message
		e.obs.Delivered(delivered)
	}
	out.Reset()
	outboxes.Put(out)
}

// start sends an operation's first step: to the thread that decides it
// when sim says the user step can be skipped, to the acting user
// otherwise. A direct thread that does not exist yet is created with the
// pair's initial state (sim.InitialPair). Skipping saves one actor message
// of the three or four a send costs, and most sends of a large population
// open a new thread.
func (e *Engine) start(m *sim.Step) {
	if b := *m; sim.Bypass(&b, &e.env) {
		if !b.Thread.IsGroup() && sim.Creates(&b) { // a step on its pair's users, both known
			lo, _ := b.Thread.Pair()
			b.Pair = sim.InitialPair(b.Thread, e.initial[lo])
		}
		if e.sendOrCreate(&b) {
			return
		}
	}
	e.send(e.claimUser(m.To), m)
}

// Apply applies one operation to quiescence and returns its outcome. It is
// how scripts run, in either mode.
func (e *Engine) Apply(op sim.Op) sim.Outcome {
	e.begin()
	var out sim.Outcome
	e.done = func(_ uint32, o sim.Outcome, _ bool) { out = o }
	if o, ok := e.env.Unroutable(&op); ok {
		out = o
	} else {
		e.start(&sim.Step{Kind: sim.Start, To: op.User, Op: op})
		e.Quiesce()
	}
	return out
}

// Result is what Run reports for each operation.
type Result func(op *sim.Op, o sim.Outcome, latency time.Duration)

// Run applies the operations next yields until it returns false or ctx is
// done, and reports each outcome to result, from the engine's goroutines in
// Parallel mode; there an operation whose deciding step panicked has no
// outcome and is not reported (Restarts counts it). It returns the number of operations applied once all of
// them have finished and the engine is quiet. In Deterministic mode each
// operation runs alone to quiescence; in Parallel mode up to MaxInflight
// run at once and Run waits for a free slot before taking the next.
func (e *Engine) Run(ctx context.Context, next func(*sim.Op) bool, result Result) (int, error) {
	if e.closed {
		return 0, ErrClosed
	}
	e.begin()
	n := 0
	if e.cfg.Mode == sim.Deterministic {
		var op sim.Op
		for ctx.Err() == nil && next(&op) {
			start := time.Now()
			o := e.Apply(op)
			result(&op, o, time.Since(start))
			n++
		}
		return n, nil
	}
	slots := make([]struct {
		op    sim.Op
		start time.Time
	}, e.cfg.MaxInflight)
	free := make(chan uint32, len(slots))
	for i := range slots {
		free <- uint32(i)
	}
	e.done = func(t uint32, o sim.Outcome, panicked bool) {
		if !panicked { // a panicked operation has no outcome, but its slot is free again
			s := &slots[t]
			result(&s.op, o, time.Since(s.start))
		}
		free <- t
	}
	for ctx.Err() == nil {
		var t uint32
		select {
		case t = <-free:
		case <-ctx.Done():
			continue
		}
		s := &slots[t]
		if !next(&s.op) {
			free <- t
			break
		}
		n++
		s.start = time.Now()
		if o, ok := e.env.Unroutable(&s.op); ok {
			e.done(t, o, false)
			continue
		}
		e.start(&sim.Step{Kind: sim.Start, To: s.op.User, Op: s.op, Ticket: t})
	}
	e.Quiesce()
	return n, nil
}

// State returns the population's state for the digest, the checker and
// the measures. Call it only at quiescence (after Apply or Run returned);
// it is valid until the engine applies another operation. It shares the
// users' state and reads the threads from the registry as they are
// visited, unpacking each packed one into storage it reuses, so checking
// a run of millions of threads does not hold a copy of them all.
func (e *Engine) State() *sim.State {
	st := &threadStore{r: &e.threads, n: e.threads.len()}
	return &sim.State{Policy: e.policy, Users: e.users, Store: st, Cohorts: e.cfg.Cohorts}
}

// Close stops every actor gracefully (each finishes what its mailbox holds)
// and shuts the actor system down. Nothing of the engine runs afterwards.
func (e *Engine) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	e.Quiesce()
	st := stopper{root: e.root}
	e.threads.eachShard(func(s *shard) {
		for _, sl := range s.live { // a live thread has its host under the shard's lock
			st.stop(sl.host.pid)
		}
	})
	st.wait()
	e.hosts.stop(e)
	e.sys.Shutdown()
	if e.pool != nil {
		e.pool.close()
	}
	runtime.Gosched()
	return nil
}
