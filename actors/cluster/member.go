package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/automanaged"
	"github.com/asynkron/protoactor-go/cluster/clusterproviders/etcd"
	"github.com/asynkron/protoactor-go/cluster/identitylookup/disthash"
	"github.com/asynkron/protoactor-go/remote"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// Providers of membership.
const (
	Automanaged = "automanaged"
	Etcd        = "etcd"
)

// HealthPortOffset is how far above a member's port the automanaged
// provider serves the health endpoint through which members find each
// other: a member listening on port 7001 answers there on 8001, on every
// interface.
const HealthPortOffset = 1000

// Names of the actors every member and coordinator spawn, which remote
// peers address by name.
const (
	nodeActor  = "msgsim-node"
	stepsActor = "msgsim-steps"
	coordActor = "msgsim-coordinator"
)

// clusterName is the name members register under with the provider.
const clusterName = "msgsim"

// MemberConfig says how to start a member.
type MemberConfig struct {
	// Listen is the address the member listens on and other processes
	// reach it at: HOST:PORT, HOST not a wildcard.
	Listen string
	// Join lists the members' Listen addresses (the member's own may be
	// left out), for the automanaged provider.
	Join []string
	// Provider is Automanaged (the default) or Etcd.
	Provider string
	// Etcd lists etcd's client endpoints, for the Etcd provider.
	Etcd []string
	// Prepare builds a run's population; required.
	Prepare PrepareFunc
	// Observer, when set, returns what counts a run's deliveries and
	// notifications (metrics); it is called once per run.
	Observer func(*Population) actors.Observer
	// Logger receives protoactor's own log lines; nil discards them.
	Logger *slog.Logger
	// Events, when set, is told in a line what the member does: runs
	// prepared, started and ended, membership changes.
	Events func(string)
}

// Member is a cluster member: it hosts the shards of users and threads
// that protoactor's identity lookup places on it, for one run at a time.
type Member struct {
	cfg  MemberConfig
	addr string
	sys  *actor.ActorSystem
	cl   *cluster.Cluster

	mu   sync.Mutex
	run  *run
	left bool
}

// Errors of StartMember.
var (
	ErrNoPrepare = errors.New("cluster: a member needs a PrepareFunc")
	ErrProvider  = errors.New("cluster: unknown membership provider")
)

// startTimeout bounds the wait for a member's provider to start: an etcd
// that does not answer keeps protoactor's etcd provider waiting for ever.
const startTimeout = 30 * time.Second

// StartMember starts a member and joins the cluster. It returns once the
// member's remote endpoint listens and its provider has started; the
// other members may not have answered yet (Members says whom it sees).
// It gives up when ctx is done, or when the provider has not started
// within 30 s; the process should then exit, since protoactor's start
// cannot be undone.
func StartMember(ctx context.Context, cfg MemberConfig) (*Member, error) {
	if cfg.Prepare == nil {
		return nil, ErrNoPrepare
	}
	host, port, err := splitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("cluster: --listen: %w", err)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return nil, fmt.Errorf("cluster: --listen %s: give the address other members reach this one at, not a wildcard", cfg.Listen)
	}
	// remote.Start panics when it cannot listen: find out first.
	if err := probeListen(cfg.Listen); err != nil {
		return nil, fmt.Errorf("cluster: --listen %s: %w", cfg.Listen, err)
	}
	provider, err := newProvider(cfg, port)
	if err != nil {
		return nil, err
	}
	m := &Member{cfg: cfg, addr: net.JoinHostPort(host, strconv.Itoa(port))}
	m.sys = newSystem(cfg.Logger)
	kind := cluster.NewKind(shardKind, actor.PropsFromProducer(func() actor.Actor { return &grain{m: m} }))
	conf := cluster.Configure(clusterName, provider, disthash.New(), remoteConfig(host, port),
		cluster.WithKinds(kind))
	m.cl = cluster.New(m.sys, conf)
	m.sys.EventStream.Subscribe(m.onEvent)
	started := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil { // the provider's errors come as panics
				started <- fmt.Errorf("cluster: starting the member: %v", p)
			}
		}()
		m.cl.StartMember()
		started <- nil
	}()
	select {
	case err := <-started:
		if err != nil {
			return nil, err
		}
	case <-ctx.Done():
		return nil, fmt.Errorf("cluster: interrupted while joining the cluster: %w", ctx.Err())
	case <-time.After(startTimeout):
		return nil, fmt.Errorf("cluster: the %s provider did not start within %s%s", m.provider(), startTimeout, etcdHint(cfg))
	}
	if _, err := m.sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &control{m: m} }), nodeActor); err != nil {
		return nil, err
	}
	if _, err := m.sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &router{m: m} }), stepsActor); err != nil {
		return nil, err
	}
	return m, nil
}

func etcdHint(cfg MemberConfig) string {
	if cfg.Provider == Etcd {
		return fmt.Sprintf(" (does etcd answer at %s?)", strings.Join(cfg.Etcd, ","))
	}
	return ""
}

// remoteConfig is protoactor's remote configuration for a member or a
// coordinator. Each connection's queue of outgoing messages starts small
// and grows as needed: protoactor's default, a million slots, took 16 MB
// per connection, which with three members was most of a member's heap
// at 30,000 users.
func remoteConfig(host string, port int) *remote.Config {
	return remote.Configure(host, port, remote.WithEndpointWriterQueueSize(1024))
}

func newSystem(logger *slog.Logger) *actor.ActorSystem {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger }))
}

// newProvider returns the membership provider cfg asks for.
func newProvider(cfg MemberConfig, port int) (cluster.ClusterProvider, error) {
	switch cfg.Provider {
	case "", Automanaged:
		hosts := []string{}
		for _, a := range append([]string{cfg.Listen}, cfg.Join...) {
			h, err := healthAddress(a)
			if err != nil {
				return nil, fmt.Errorf("cluster: --join %s: %w", a, err)
			}
			if !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
		return automanaged.NewWithConfig(500*time.Millisecond, port+HealthPortOffset, hosts...), nil
	case Etcd:
		if len(cfg.Etcd) == 0 {
			return nil, errors.New("cluster: the etcd provider needs --etcd HOST:PORT")
		}
		p, err := etcd.NewWithConfig("/msgsim", clientv3.Config{Endpoints: cfg.Etcd, DialTimeout: 5 * time.Second})
		if err != nil {
			return nil, fmt.Errorf("cluster: etcd at %v: %w", cfg.Etcd, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("%w %q: want %s or %s", ErrProvider, cfg.Provider, Automanaged, Etcd)
}

// healthAddress returns where the automanaged provider of the member
// listening on addr serves its health endpoint.
func healthAddress(addr string) (string, error) {
	host, port, err := splitHostPort(addr)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(port+HealthPortOffset)), nil
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port+HealthPortOffset > 65535 {
		return "", 0, fmt.Errorf("want HOST:PORT with a port from 1 to %d, got %q", 65535-HealthPortOffset, addr)
	}
	if host == "" {
		return "", 0, fmt.Errorf("want HOST:PORT with a host, got %q", addr)
	}
	return host, port, nil
}

func probeListen(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return l.Close()
}

// Address returns the member's address, as other members know it.
func (m *Member) Address() string { return m.addr }

// Members returns the addresses of the members this member sees, sorted.
func (m *Member) Members() []string { return addresses(m.cl.MemberList.Members().Members()) }

func addresses(ms []*cluster.Member) []string {
	as := make([]string, 0, len(ms))
	for _, x := range ms {
		as = append(as, x.Address())
	}
	slices.Sort(as)
	return as
}

func (m *Member) events(format string, args ...any) {
	if m.cfg.Events != nil {
		m.cfg.Events(fmt.Sprintf(format, args...))
	}
}

// Leave leaves the cluster gracefully: a run in progress is told the
// member is leaving (its coordinator ends the run: the state the member
// hosts is lost), then the provider deregisters the member and the
// actor system stops.
func (m *Member) Leave() {
	m.mu.Lock()
	r := m.run
	m.left = true
	m.mu.Unlock()
	if r != nil {
		r.fault(&wire.Fault{Left: []string{m.addr}, Detail: "it is leaving the cluster (asked to stop)"})
		r.flushAll()
		r.end()
	}
	m.cl.Shutdown(true)
}

// current returns the run in progress, or nil.
func (m *Member) current() *run {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.run
}

// onEvent watches the cluster's topology while a run is in progress: any
// change to the run's members is a fault, reported to its coordinator.
// A run whose coordinator's connection closes is over: its state goes.
func (m *Member) onEvent(evt any) {
	switch e := evt.(type) {
	case *cluster.ClusterTopology:
		now := addresses(e.Members)
		m.events("cluster: %d members: %v", len(now), now)
		if r := m.current(); r != nil {
			r.topology(now)
		}
	case *remote.EndpointTerminatedEvent:
		if r := m.current(); r != nil && e.Address == r.coord.Address {
			m.events("run %d: its coordinator %s is gone", r.id, e.Address)
			go m.endRun(r)
		}
	}
}
