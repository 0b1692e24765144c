package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/actors/cluster"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// Cluster says where a run goes when it runs on a cluster's members
// (msgsim run --cluster) instead of in this process.
type Cluster struct {
	// Members are the members' addresses.
	Members  []string
	Provider string
	// Wait bounds the wait for the members to be up and to see each other.
	Wait time.Duration
	// Scenario is the scenario file's bytes, which every member loads as
	// this process did; File is its name.
	File     string
	Scenario []byte
	// Overrides are the command line's overrides of the file (JSON of
	// scenarios.Overrides), which every member applies as this process did.
	Overrides []byte
	// Shards is how many shards the population is split into (0: the
	// cluster package's default).
	Shards int
	// Listen is the coordinator's own address (empty: any port on the
	// address that reaches the first member).
	Listen string
}

// ErrClusterScript is returned for a scenario with script steps: a
// cluster runs populations; a script's expectations read state that
// lives on the members.
var ErrClusterScript = errors.New("runner: a cluster runs populations, not scripts")

// RunCluster runs the scenario on a cluster's members instead of in this
// process: every member generates the population from the same file and
// seed, the shards are placed by the cluster's identity lookup, and this
// process drives the same operation stream as a one-process run; at the
// end the members check the invariants and count the policy measures
// between them (cluster.Coordinator.Check) against the specification's
// expectations. The report is a one-process run's with the members'
// accounts in Nodes, without the specification model's comparison of a
// deterministic run (the model would be a copy of the whole state here)
// and without the realism figures. A cluster that changes during the run
// ends it with a *cluster.LostError, after which the report is nil.
func (r *Runner) RunCluster(ctx context.Context, cl Cluster) (*report.Report, error) {
	r.ctx = ctx
	sc := r.sc
	if len(sc.Steps) > 0 {
		return nil, fmt.Errorf("%w: %s has %d script steps; run it without --cluster", ErrClusterScript, sc.File, len(sc.Steps))
	}
	rep := &r.report
	*rep = newReport(sc)
	buildStart := time.Now()
	pop, cpop, err := r.clusterPopulation()
	if err != nil {
		return nil, err
	}
	c, err := cluster.Connect(ctx, cluster.CoordinatorConfig{Members: cl.Members, Provider: cl.Provider, Wait: cl.Wait,
		Listen: cl.Listen, Shards: cl.Shards})
	if ctx.Err() != nil {
		return r.interruptedBuild(buildStart), nil
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()
	spec := cluster.Spec{File: cl.File, Scenario: cl.Scenario, Seed: sc.Seed, Mode: sc.Mode.String(), Overrides: cl.Overrides}
	if err := c.Setup(ctx, spec, cpop); ctx.Err() != nil {
		return r.interruptedBuild(buildStart), nil
	} else if err != nil {
		return nil, err
	}
	deterministic := sc.Mode == sim.Deterministic
	eng := &clusterEngine{c: c, deterministic: deterministic, window: r.opts.MaxInflight}
	if eng.window <= 0 {
		eng.window = 128
	}
	if err := pop.setup(ctx, eng); err != nil {
		return nil, err
	}
	if m := r.opts.Metrics; m != nil {
		m.SetClock(0) // each member counts the users it hosts
	}
	rep.BuildSeconds = time.Since(buildStart).Seconds()
	rep.Users = pop.users

	r.started = time.Now()
	r.startedAt.Store(&r.started)
	r.phase.Store(int32(Running))
	stopSampling := r.startSampling()
	if pop.stream != nil {
		r.expected.Store(int64(pop.stream.Expected()))
		r.workload(eng, pop)
	}
	wall := time.Since(r.started)
	stopSampling()
	qerr := c.Quiesce()
	r.wall.Store(int64(wall))
	r.phase.Store(int32(Checking))
	if err := c.Err(); err != nil {
		return nil, err // a lost member: the state is incomplete
	}
	if err := errors.Join(eng.err, qerr); err != nil {
		return nil, err
	}
	return r.clusterFinish(c, wall)
}

// interruptedBuild is the report of a run interrupted before its
// operations began, as Run gives it.
func (r *Runner) interruptedBuild(buildStart time.Time) *report.Report {
	rep := &r.report
	rep.BuildSeconds = time.Since(buildStart).Seconds()
	rep.Interrupted, rep.CheckSkipped = true, "interrupted while the population was built"
	r.phase.Store(int32(Checking))
	return rep
}

// clusterPopulation generates the population as every member does, and
// what a member needs of it.
func (r *Runner) clusterPopulation() (*population, *cluster.Population, error) {
	sc := r.sc
	users := len(sc.Users)
	if sc.Population != nil {
		users += sc.Population.Users
	}
	cohorts, err := r.cohorts(users)
	if err != nil {
		return nil, nil, err
	}
	x, err := specExpectations(sc, cohorts)
	if err != nil {
		return nil, nil, err
	}
	pop, err := r.population()
	if err != nil {
		return nil, nil, err
	}
	return pop, &cluster.Population{Policy: sc.Policy, Cohorts: cohorts, Users: pop.users, Conns: pop.conns,
		Groups: int(pop.gbase) + len(pop.groups), Expect: x}, nil
}

// ClusterPopulation is what a member runs when a coordinator prepares a
// run (cluster.PrepareFunc): it loads the scenario from the bytes the
// coordinator sent, applies the coordinator's seed and mode, and
// generates the population.
func ClusterPopulation(spec cluster.Spec) (*cluster.Population, error) {
	sc, err := scenarios.Load(spec.File, spec.Scenario)
	if err != nil {
		return nil, err
	}
	if len(spec.Overrides) > 0 {
		var o scenarios.Overrides
		if err := json.Unmarshal(spec.Overrides, &o); err != nil {
			return nil, fmt.Errorf("runner: the coordinator's overrides: %w", err)
		}
		if err := sc.Override(o); err != nil {
			return nil, err
		}
	}
	mode, ok := sim.ParseMode(spec.Mode)
	if !ok {
		return nil, fmt.Errorf("runner: the coordinator's mode %q", spec.Mode)
	}
	sc.Seed, sc.Mode = spec.Seed, mode
	sc.Workload = nil // the coordinator alone draws the operations
	_, cpop, err := New(sc, Options{}).clusterPopulation()
	return cpop, err
}

// engine runs a workload's operations: the one-process actors.Engine, or
// a cluster through its coordinator (clusterEngine).
type engine interface {
	Run(ctx context.Context, next func(*sim.Op) bool, result actors.Result) (int, error)
}

// Seeder applies a population's set-up operations before its clock
// starts: the engine's Seed, or a cluster's.
type Seeder interface {
	Seed(op sim.Op) (sim.Outcome, error)
}

// clusterEngine runs operations on a cluster as the runner's workload and
// set-up run them on the engine.
type clusterEngine struct {
	c             *cluster.Coordinator
	deterministic bool
	window        int
	err           error
}

// Run applies the stream's operations on the cluster.
func (e *clusterEngine) Run(ctx context.Context, next func(*sim.Op) bool, result actors.Result) (int, error) {
	n, err := e.c.Run(ctx, e.deterministic, e.window, next, result)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// Seed applies one set-up operation to quiescence, as the engine's Seed
// gives the state Apply would.
func (e *clusterEngine) Seed(op sim.Op) (sim.Outcome, error) {
	o, err := e.c.Apply(op)
	if err != nil && e.err == nil {
		e.err = err
	}
	return o, err
}

// clusterFinish fills in the report from the coordinator's counts and the
// members' accounts, and judges it.
func (r *Runner) clusterFinish(c *cluster.Coordinator, wall time.Duration) (*report.Report, error) {
	rep := &r.report
	r.tallied(rep, wall)
	nodes, err := c.Stats()
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		rep.Nodes = append(rep.Nodes, report.NodeReport{Address: n.Address, Shards: n.Shards, Users: n.Users, Threads: n.Threads,
			Messages: n.Messages, OpsDecided: n.Decided, StepsHandled: n.Handled, RemoteSteps: n.RemoteSteps,
			RemoteBatches: n.RemoteBatches, RemoteBytes: n.RemoteBytes, CPUSeconds: n.CPUSeconds, PeakRSS: n.PeakRSS,
			HeapBytes: n.HeapBytes})
		rep.Threads += n.Threads
		rep.Messages += n.Messages
		rep.Restarts += n.Restarts
		rep.Panics = append(rep.Panics, n.Panics...)
	}
	if r.interrupted {
		rep.CheckSkipped = "interrupted before the operations ended"
		r.judge(rep)
		return rep, nil
	}
	d, err := c.Digest()
	if err != nil {
		return nil, err
	}
	rep.Digest = fmt.Sprintf("%016x", d)
	res, err := c.Check(r.ctx, r.end())
	if r.ctx.Err() != nil {
		rep.Interrupted, rep.CheckSkipped = true, "interrupted while the invariants were checked"
		r.judge(rep)
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	r.checked(res)
	for i, cost := range res.Members {
		if i < len(rep.Nodes) && rep.Nodes[i].Address == cost.Address {
			n := &rep.Nodes[i]
			n.CheckNotes, n.CheckBytes, n.CheckCPUSeconds = cost.NotesSent, cost.NoteBytes, cost.CPUSeconds
		}
	}
	r.measured(sim.Measured(res.Measures, r.tallies(), r.lab.cohorts))
	r.opts.Metrics.SetClock(sim.Time(r.clock.Load()))
	r.opts.Metrics.SetProgress(1)
	r.judge(rep)
	return rep, nil
}

// checked puts what the members' check found in the report, as finish
// puts what Check found of one process's state.
func (r *Runner) checked(res *cluster.CheckResult) {
	inv := &r.report.Invariants
	*inv = report.Invariants{Checked: res.Checked, Violations: res.Violations}
	for i, n := range res.ByInvariant {
		if n == 0 {
			continue
		}
		if inv.ByInvariant == nil {
			inv.ByInvariant = map[string]int{}
		}
		in := sim.Invariant(i)
		inv.ByInvariant[in.String()] = n
		for range n {
			r.opts.Metrics.Violation(in)
		}
	}
	for _, v := range res.First {
		inv.Details = append(inv.Details, v.String())
	}
}
