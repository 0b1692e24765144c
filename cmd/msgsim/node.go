package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster"
	"github.com/msgsim/msgsim/metrics"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios"
)

// nodeFlags are the flags of msgsim node.
type nodeFlags struct {
	listen      string
	join        []string
	provider    string
	etcd        []string
	metricsAddr string
	verbose     bool
}

func nodeCmd(std streams) *cobra.Command {
	var f nodeFlags
	cmd := &cobra.Command{
		Use:   "node --listen HOST:PORT [--join HOST:PORT,...]",
		Short: "Run a cluster member that hosts part of a population for `msgsim run --cluster`",
		Long: `Run a member of a msgsim cluster until SIGTERM or SIGINT, then leave it
gracefully. A run started with msgsim run FILE --cluster HOST:PORT,... sends
each member the scenario; each generates the population from the file and
seed and hosts the shards of users and threads that protoactor's identity
lookup places on it.

--listen is the address the other members and the coordinator reach this
member at. With the automanaged provider (the default) --join lists the
members' --listen addresses, and each member also serves a health endpoint
on its port plus 1000, on every interface, through which the members find
each other. With --provider etcd the members find each other through the
etcd at --etcd.

A member that leaves, dies or joins while a run is in progress ends that
run: membership is fixed for a run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNode(cmd.Context(), &f, std)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "", "the `HOST:PORT` this member listens on and is reached at (required)")
	fl.StringSliceVar(&f.join, "join", nil, "the members' --listen addresses, `HOST:PORT,...` (automanaged provider)")
	fl.StringVar(&f.provider, "provider", cluster.Automanaged, "membership provider: automanaged or etcd")
	fl.StringSliceVar(&f.etcd, "etcd", nil, "etcd's client endpoints, `HOST:PORT,...` (etcd provider)")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on `HOST:PORT` while the member runs")
	fl.BoolVar(&f.verbose, "verbose", false, "print protoactor's own log lines")
	_ = cmd.MarkFlagRequired("listen")
	return cmd
}

func runNode(ctx context.Context, f *nodeFlags, std streams) error {
	switch {
	case f.provider != cluster.Automanaged && f.provider != cluster.Etcd:
		return inputError(fmt.Errorf("--provider: want %s or %s, got %q", cluster.Automanaged, cluster.Etcd, f.provider))
	case f.provider == cluster.Etcd && len(f.etcd) == 0:
		return inputError(errors.New("--provider etcd needs --etcd HOST:PORT"))
	case f.provider != cluster.Etcd && len(f.etcd) > 0:
		return inputError(errors.New("--etcd is for --provider etcd"))
	}
	var logger *slog.Logger
	if f.verbose {
		logger = slog.New(slog.NewTextHandler(std.err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	cfg := cluster.MemberConfig{Listen: f.listen, Join: f.join, Provider: f.provider, Etcd: f.etcd,
		Prepare: runner.ClusterPopulation, Logger: logger, Events: lines(std.err)}
	if f.metricsAddr != "" {
		reg := metrics.NewRegistry()
		srv, err := metrics.Serve(context.WithoutCancel(ctx), f.metricsAddr, reg)
		if err != nil {
			return inputError(err)
		}
		defer srv.Close(context.Background())
		fmt.Fprintf(std.err, "serving metrics on http://%s/metrics\n", srv.Addr())
		cfg.Observer = observers(func(policy string) *metrics.Metrics { return metrics.New(reg, policy) })
	}
	m, err := cluster.StartMember(ctx, cfg)
	if err != nil {
		return inputError(err)
	}
	fmt.Fprintf(std.err, "member %s: up (provider %s); stop it with SIGTERM or Ctrl-C\n", m.Address(), f.provider)
	<-ctx.Done()
	fmt.Fprintf(std.err, "member %s: leaving\n", m.Address())
	m.Leave()
	return nil
}

// lines returns a function that prints each line it is given, one at a
// time.
func lines(w io.Writer) func(string) {
	var mu sync.Mutex
	return func(s string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s\n", time.Now().Format("15:04:05.000"), s)
	}
}

// observers returns a member's observer factory: one Metrics per policy,
// made by newMetrics and kept from run to run, so counters keep counting
// (a registry takes one Metrics per policy).
func observers(newMetrics func(policy string) *metrics.Metrics) func(*cluster.Population) actors.Observer {
	var mu sync.Mutex
	byPolicy := map[string]*metrics.Metrics{}
	return func(p *cluster.Population) actors.Observer {
		mu.Lock()
		defer mu.Unlock()
		m := byPolicy[p.Policy.Name]
		if m == nil {
			m = newMetrics(p.Policy.Name)
			byPolicy[p.Policy.Name] = m
		}
		return m
	}
}

// clusterFlags are the flags of msgsim run that send the run to a cluster.
type clusterFlags struct {
	members  []string
	provider string
	wait     time.Duration
	listen   string
	shards   int
	path     string // the scenario's path as given, for its bytes
}

func (c *clusterFlags) register(fl *pflag.FlagSet) {
	fl.StringSliceVar(&c.members, "cluster", nil, "run on the cluster of these `HOST:PORT,...` members (msgsim node --listen), every one of them")
	fl.StringVar(&c.provider, "provider", cluster.Automanaged, "with --cluster: the membership provider the members use, automanaged or etcd")
	fl.DurationVar(&c.wait, "cluster-wait", time.Minute, "with --cluster: how long to wait for the members to be up and see each other")
	fl.IntVar(&c.shards, "shards", 64, "with --cluster: how many shards to split the population into, each placed on a member by the identity lookup")
	fl.StringVar(&c.listen, "coordinator", "", "with --cluster: the `HOST:PORT` the members reach this process at (default: any port on the address that reaches the first member)")
}

func (c *clusterFlags) on() bool { return len(c.members) > 0 }

// fits is run's memory check: a cluster run holds the graph and the
// operation stream here and the population on the members, so the
// estimate of a one-process run does not apply.
func (c *clusterFlags) fits(sc *scenarios.Scenario) error {
	if c.on() {
		return nil
	}
	return fits(sc)
}

// run runs r in this process, or on the cluster.
func (c *clusterFlags) run(ctx context.Context, r *runner.Runner, sc *scenarios.Scenario, over scenarios.Overrides) (*report.Report, error) {
	if !c.on() {
		return r.Run(ctx)
	}
	if c.shards < 1 || c.shards > 1<<16 {
		return nil, inputError(fmt.Errorf("--shards: want 1 to %d, got %d", 1<<16, c.shards))
	}
	data, err := c.scenario()
	if err != nil {
		return nil, inputError(err)
	}
	overrides, err := json.Marshal(over)
	if err != nil {
		return nil, err
	}
	rep, err := r.RunCluster(ctx, runner.Cluster{Members: c.members, Provider: c.provider, Wait: c.wait,
		File: sc.File, Scenario: data, Overrides: overrides, Listen: c.listen, Shards: c.shards})
	switch {
	case errors.Is(err, runner.ErrClusterScript):
		return nil, inputError(err)
	case err != nil:
		return nil, runError(err)
	}
	return rep, nil
}

// scenario returns the bytes of the scenario run loaded, which every
// member loads again.
func (c *clusterFlags) scenario() ([]byte, error) {
	switch c.path {
	case "":
		return scenarios.Default, nil
	case "-":
		return nil, errors.New("--cluster sends the scenario file to every member: give a FILE, not standard input")
	}
	data, err := os.ReadFile(c.path)
	if err != nil {
		return nil, err
	}
	return data, nil
}
