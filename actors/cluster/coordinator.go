package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/remote"

	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// CoordinatorConfig says which members a coordinator drives.
type CoordinatorConfig struct {
	// Members are the members' addresses, as each was started with
	// --listen; a run needs every one of them and no other member.
	Members []string
	// Provider is the membership provider the members must use:
	// Automanaged (the default) or Etcd.
	Provider string
	// Wait is how long to wait for the members to be up and to see each
	// other (default a minute).
	Wait time.Duration
	// Listen is where the coordinator listens for the members' replies:
	// HOST:PORT, port 0 for any. Empty: the address this machine reaches
	// the first member from, any port.
	Listen string
	// Shards is how many shards the population is split into (default
	// 64): each is a grain, placed on a member by the identity lookup,
	// and handles its steps one at a time. At 30,000 users on one member,
	// 256 shards took twice the CPU of 64 (fewer steps per message
	// between grains). protoactor's rendezvous hashing places them
	// unevenly: three loopback members got 15, 14 and 35 of 64, and 64,
	// 61 and 131 of 256.
	Shards int
	// Logger receives protoactor's own log lines; nil discards them.
	Logger *slog.Logger
}

// Coordinator drives runs on a cluster's members from outside the
// cluster: it is not a member, so it hosts nothing and its coming and
// going changes no placement. It sends each operation's first step to the
// shard that hosts it, learns each outcome and when every step of an
// operation has been handled, and watches the members: any change to them
// during a run ends the run with a LostError.
//
// A Coordinator is driven by one goroutine; the result callbacks of Run
// are called from others.
type Coordinator struct {
	cfg     CoordinatorConfig
	sys     *actor.ActorSystem
	self    *actor.PID
	members []string

	// the run
	id    uint64
	lay   layout
	env   sim.Env
	place []string // each shard's member
	outs  map[string]*outbox
	outOf []*outbox // each shard's member's, resolved once for begin

	mu        sync.Mutex
	ops       map[uint64]*opState
	next      uint64
	unsettled int
	quiet     chan struct{}
	done      func(op *opState, o sim.Outcome, panicked bool)

	failMu sync.Mutex
	err    error
	failed chan struct{}
	stop   chan struct{}
	wg     sync.WaitGroup
}

// opCredit is the credit an operation starts with: its steps split it
// among the steps they cause, and the operation has settled when all of
// it is back. 2^40 splits into more than a million shares at each of
// three levels of a post's or a group message's fan-out.
const opCredit = 1 << 40

// opState is an operation in flight.
type opState struct {
	id      uint64
	slot    int
	start   time.Time
	credit  int64 // outstanding
	decided bool
	outcome sim.Outcome
}

// ErrMembers is wrapped by the errors of members that are not all up, or
// do not see each other.
var ErrMembers = errors.New("cluster: the members are not ready")

// Connect starts a coordinator and waits until every listed member
// answers and sees exactly the listed members.
func Connect(ctx context.Context, cfg CoordinatorConfig) (*Coordinator, error) {
	if len(cfg.Members) == 0 {
		return nil, fmt.Errorf("%w: no member listed", ErrMembers)
	}
	if cfg.Wait <= 0 {
		cfg.Wait = time.Minute
	}
	if cfg.Shards <= 0 {
		cfg.Shards = 64
	}
	if cfg.Provider == "" {
		cfg.Provider = Automanaged
	}
	members := slices.Sorted(slices.Values(cfg.Members))
	members = slices.Compact(members)
	for _, a := range members {
		if _, _, err := splitHostPort(a); err != nil {
			return nil, fmt.Errorf("cluster: --cluster %s: %w", a, err)
		}
	}
	listen := cfg.Listen
	if listen == "" {
		ip, err := localIP(members[0])
		if err != nil {
			return nil, fmt.Errorf("cluster: finding this machine's address towards %s: %w", members[0], err)
		}
		listen = net.JoinHostPort(ip, "0")
	}
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("cluster: coordinator address %s: %w", listen, err)
	}
	port := 0
	fmt.Sscan(p, &port)
	if err := probeListen(listen); err != nil {
		return nil, fmt.Errorf("cluster: coordinator address %s: %w", listen, err)
	}
	c := &Coordinator{cfg: cfg, members: members, failed: make(chan struct{}), stop: make(chan struct{}),
		ops: map[uint64]*opState{}}
	c.sys = newSystem(cfg.Logger)
	rem := remote.NewRemote(c.sys, remoteConfig(host, port))
	rem.Start()
	c.self, err = c.sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &receiver{c: c} }), coordActor)
	if err != nil {
		c.Close()
		return nil, err
	}
	if err := c.wait(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// localIP returns the address this machine reaches addr from.
func localIP(addr string) (string, error) {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).IP.String(), nil
}

func (c *Coordinator) node(addr string) *actor.PID { return actor.NewPID(addr, nodeActor) }

// ask sends req to member addr's control actor and waits for its reply.
func (c *Coordinator) ask(addr string, req any, timeout time.Duration) (any, error) {
	res, err := c.sys.Root.RequestFuture(c.node(addr), req, timeout).Result()
	if err != nil {
		return nil, fmt.Errorf("member %s: %w", addr, err)
	}
	return res, nil
}

// askAll asks every member at once and returns their replies in the
// members' order, or the first error.
func (c *Coordinator) askAll(req func(addr string) any, timeout time.Duration) ([]any, error) {
	res := make([]any, len(c.members))
	errs := make([]error, len(c.members))
	var wg sync.WaitGroup
	for i, a := range c.members {
		wg.Go(func() { res[i], errs[i] = c.ask(a, req(a), timeout) })
	}
	wg.Wait()
	return res, errors.Join(errs...)
}

// askAllCtx is askAll, given up when ctx is done.
func (c *Coordinator) askAllCtx(ctx context.Context, req func(addr string) any, timeout time.Duration) ([]any, error) {
	type replies struct {
		res []any
		err error
	}
	done := make(chan replies, 1)
	go func() {
		res, err := c.askAll(req, timeout)
		done <- replies{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// wait waits until every member answers and each sees exactly the listed
// members.
func (c *Coordinator) wait(ctx context.Context) error {
	deadline := time.Now().Add(c.cfg.Wait)
	for {
		problems := c.readiness()
		if len(problems) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w after %s:\n  %s", ErrMembers, c.cfg.Wait, strings.Join(problems, "\n  "))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// readiness returns what keeps the members from being ready, one line
// each.
func (c *Coordinator) readiness() []string {
	var problems []string
	for i, res := range c.helloAll() {
		a := c.members[i]
		switch m := res.(type) {
		case error:
			problems = append(problems, fmt.Sprintf("%s does not answer (is `msgsim node --listen %s` running?)", a, a))
		case *wire.Member:
			switch {
			case m.Provider != c.cfg.Provider:
				problems = append(problems, fmt.Sprintf("%s uses the %s provider, not %s", a, m.Provider, c.cfg.Provider))
			case !slices.Equal(m.Members, c.members):
				problems = append(problems, fmt.Sprintf("%s sees members %v, want %v", a, m.Members, c.members))
			}
		}
	}
	return problems
}

func (c *Coordinator) helloAll() []any {
	out := make([]any, len(c.members))
	var wg sync.WaitGroup
	for i, a := range c.members {
		wg.Go(func() {
			res, err := c.ask(a, &wire.Hello{}, time.Second)
			if err != nil {
				out[i] = err
				return
			}
			out[i] = res
		})
	}
	wg.Wait()
	return out
}

// Setup prepares a run on every member: each generates the population
// from spec, then the identity lookup places the shards, and every
// member learns where each lives. pop is the coordinator's own copy of
// the population, generated from the same spec.
func (c *Coordinator) Setup(ctx context.Context, spec Spec, pop *Population) error {
	c.id = uint64(time.Now().UnixNano())
	c.lay = newLayout(c.cfg.Shards, pop.Users, pop.Groups)
	c.env = pop.env()
	res, err := c.askAllCtx(ctx, func(string) any {
		return &wire.Prepare{Run: c.id, File: spec.File, Scenario: spec.Scenario, Seed: spec.Seed, Mode: spec.Mode, Overrides: spec.Overrides,
			Shards: uint32(c.cfg.Shards), Coordinator: c.self.Address, CoordinatorId: c.self.Id, Members: c.members}
	}, 30*time.Minute)
	if err == nil {
		err = c.acked(res)
	}
	if err != nil {
		return fmt.Errorf("cluster: preparing the run: %w", err)
	}
	pl, err := c.ask(c.members[0], &wire.Place{Run: c.id}, 2*time.Minute)
	if err != nil {
		return fmt.Errorf("cluster: placing the shards: %w", err)
	}
	placed, ok := pl.(*wire.Placed)
	if !ok {
		return fmt.Errorf("cluster: placing the shards: member %s answered %T", c.members[0], pl)
	}
	if placed.Error != "" {
		return errors.New(placed.Error)
	}
	c.place = make([]string, c.lay.shards)
	for _, p := range placed.Placements {
		if !slices.Contains(c.members, p.Address) {
			return fmt.Errorf("cluster: shard %d was placed on %s, which is not a listed member", p.Shard, p.Address)
		}
		c.place[p.Shard] = p.Address
	}
	c.outs = map[string]*outbox{}
	for _, a := range c.members {
		to := actor.NewPID(a, stepsActor)
		c.outs[a] = &outbox{run: c.id, from: c.self.Address, post: func(b *wire.Batch) { c.sys.Root.Send(to, b) }}
	}
	c.outOf = make([]*outbox, c.lay.shards)
	for k, a := range c.place {
		c.outOf[k] = c.outs[a]
	}
	c.sys.EventStream.Subscribe(c.onEvent)
	res, err = c.askAll(func(string) any { return &wire.Start{Run: c.id, Placements: placed.Placements} }, time.Minute)
	if err == nil {
		err = c.acked(res)
	}
	if err != nil {
		return fmt.Errorf("cluster: starting the run: %w", err)
	}
	c.wg.Go(c.watch)
	return nil
}

// acked returns the errors of replies that are not a clean Ack.
func (c *Coordinator) acked(res []any) error {
	var errs []error
	for i, r := range res {
		switch a := r.(type) {
		case *wire.Ack:
			if a.Error != "" {
				errs = append(errs, fmt.Errorf("member %s: %s", c.members[i], a.Error))
			}
		default:
			errs = append(errs, fmt.Errorf("member %s answered %T", c.members[i], r))
		}
	}
	return errors.Join(errs...)
}

// Close ends the run on every member and stops the coordinator.
func (c *Coordinator) Close() {
	select {
	case <-c.stop:
		return
	default:
	}
	close(c.stop)
	c.wg.Wait()
	if c.id != 0 { // the run's state goes with it; members that left have none
		var lost *LostError
		errors.As(c.Err(), &lost)
		var wg sync.WaitGroup
		for _, a := range c.members {
			if lost == nil || !slices.Contains(lost.Left, a) {
				wg.Go(func() { _, _ = c.ask(a, &wire.End{Run: c.id}, 5*time.Second) })
			}
		}
		wg.Wait()
	}
	if r := remote.GetRemote(c.sys); r != nil {
		r.Shutdown(false)
	}
	c.sys.Shutdown()
}
