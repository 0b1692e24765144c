package runner

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/metrics"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// Options are how a run differs from what its scenario file says.
type Options struct {
	// Metrics receives live counts; nil counts nothing.
	Metrics *metrics.Metrics
	// Pool runs actors on that many worker goroutines; 0 is the engine's
	// default (actors.Config.Pool: four per core in parallel mode).
	Pool int
	// MaxInflight bounds the operations in flight in parallel mode.
	MaxInflight int
}

// Runner runs one scenario on the actor engine. Progress may be called from
// another goroutine while Run works.
type Runner struct {
	sc   *scenarios.Scenario
	opts Options
	ctx  context.Context

	report   report.Report
	ops      counts
	lat      [sim.NumActions]latencies // by action; the run's are their sum
	done     atomic.Int64              // operations finished
	expected atomic.Int64              // operations the run expects, for progress
	clock    atomic.Int64              // simulated time of the newest operation
	started  time.Time
	// startedAt points to started once it is set, for Progress, which
	// other goroutines call while Run writes.
	startedAt   atomic.Pointer[time.Time]
	phase       atomic.Int32 // a Phase
	wall        atomic.Int64 // the operations' wall time once they are done
	now         sim.Time
	interrupted bool
	lab         lab // cohorts and counts for the policy measures
	// expects is what the checker expects, from the specification's own
	// preset table (sim/spec), not from the policy value the rules read.
	expects sim.Expectations
	// oracle is the specification model a deterministic run is judged
	// against; nil in parallel mode.
	oracle *Oracle
	// passes are the passes over the final state; set when an interrupt
	// left them running.
	passes *sync.WaitGroup
}

// New returns a runner for sc, which must have been loaded and validated.
func New(sc *scenarios.Scenario, opts Options) *Runner {
	return &Runner{sc: sc, opts: opts}
}

// Progress is a run's progress, for a progress line or a dashboard.
type Progress struct {
	Phase         Phase
	Ops, Expected int
	Clock         sim.Time
	// Elapsed is the operations' wall time: zero while Building, so far
	// while Running, all of it once Checking.
	Elapsed time.Duration
}

// Phase is what a run is doing.
type Phase int32

// A run's phases, in order.
const (
	// Building: generating the population and setting it up.
	Building Phase = iota
	// Running: applying the script and the workload.
	Running
	// Checking: the operations are done; checking the invariants and
	// computing the digest and the measures.
	Checking
)

// Progress returns how far the run is.
func (r *Runner) Progress() Progress {
	p := Progress{Phase: Phase(r.phase.Load()), Ops: int(r.done.Load()), Expected: int(r.expected.Load()), Clock: sim.Time(r.clock.Load())}
	switch p.Phase {
	case Running:
		p.Elapsed = time.Since(*r.startedAt.Load())
	case Checking:
		p.Elapsed = time.Duration(r.wall.Load())
	}
	return p
}

// Run runs the scenario: its script step by step, then its population's
// workload, then the invariant checker, and returns the report. When ctx is
// cancelled it stops taking operations, lets those in flight finish, and
// returns the partial report marked as interrupted, without the checker's
// and the measures' passes over the state, which take seconds at a million
// users (Report.CheckSkipped says why). An interrupt while the population
// is built is answered at once too. An error means the run could not
// start (a population that cannot be generated).
func (r *Runner) Run(ctx context.Context) (*report.Report, error) {
	r.ctx = ctx
	sc := r.sc
	rep := &r.report
	*rep = newReport(sc)
	buildStart := time.Now()
	users := len(sc.Users)
	if sc.Population != nil {
		users += sc.Population.Users
	}
	cohorts, err := r.cohorts(users)
	if err != nil {
		return nil, err
	}
	if r.expects, err = specExpectations(sc, cohorts); err != nil {
		return nil, err
	}
	pop, e, err := r.build(ctx, cohorts)
	rep.BuildSeconds = time.Since(buildStart).Seconds()
	if err != nil {
		return nil, err
	}
	if e == nil { // interrupted while building
		rep.Interrupted, rep.CheckSkipped = true, "interrupted while the population was built"
		r.phase.Store(int32(Checking))
		return rep, nil
	}
	defer func() {
		if r.passes == nil {
			e.Close()
			return
		}
		go func() { // the passes an interrupt left behind still read the state
			r.passes.Wait()
			e.Close()
		}()
	}()
	rep.Users = pop.users
	if sc.Mode == sim.Deterministic {
		if r.oracle, err = newOracle(sc, pop, cohorts); err != nil {
			return nil, err
		}
	}

	r.started = time.Now()
	r.startedAt.Store(&r.started)
	r.phase.Store(int32(Running))
	stopSampling := r.startSampling()
	r.expected.Store(int64(len(sc.Steps)))
	if pop.stream != nil {
		r.expected.Add(int64(pop.stream.Expected()))
	}
	r.script(e)
	if pop.stream != nil && !r.interrupted {
		r.workload(e, pop)
	}
	wall := time.Since(r.started)
	stopSampling()
	e.Quiesce()
	r.wall.Store(int64(wall))
	r.phase.Store(int32(Checking))
	return r.finish(e, wall), nil
}

// build generates the population and sets up the engine on a goroutine of
// its own, and returns a nil engine when ctx is done first: the graph's
// generators and the engine's set-up take seconds at millions of users
// and do not look at ctx. An abandoned build ends in the background and
// closes its engine.
func (r *Runner) build(ctx context.Context, cohorts *sim.Cohorts) (*population, *actors.Engine, error) {
	type built struct {
		pop *population
		e   *actors.Engine
		err error
	}
	done := make(chan built, 1)
	go func() {
		pop, e, err := r.buildNow(ctx, cohorts)
		done <- built{pop, e, err}
	}()
	select {
	case b := <-done:
		if b.err == nil && ctx.Err() != nil { // interrupted as it ended
			b.e.Close()
			return nil, nil, nil
		}
		return b.pop, b.e, b.err
	case <-ctx.Done():
		go func() {
			if b := <-done; b.e != nil {
				b.e.Close()
			}
		}()
		return nil, nil, nil
	}
}

// buildNow is build's work; it reads the runner's scenario and options
// and writes nothing of the runner's.
func (r *Runner) buildNow(ctx context.Context, cohorts *sim.Cohorts) (*population, *actors.Engine, error) {
	sc := r.sc
	pop, err := r.population()
	if err != nil {
		return nil, nil, err
	}
	cfg := actors.Config{Policy: sc.Policy, Users: pop.users, Conns: pop.conns, Mode: sc.Mode,
		Pool: r.opts.Pool, MaxInflight: r.opts.MaxInflight, Cohorts: cohorts}
	if m := r.opts.Metrics; m != nil {
		cfg.Observer = m
		m.SetUsers(pop.users)
		m.SetClock(0)
	}
	e, err := actors.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := pop.setup(ctx, e); err != nil {
		e.Close()
		return nil, nil, err
	}
	return pop, e, nil
}

// sent records an operation about to be sent to the engine, for the
// in-flight gauge; counted records its end.
func (r *Runner) sent() {
	r.opts.Metrics.InflightAdd(1)
}

// counted records one finished operation.
func (r *Runner) counted(op *sim.Op, o sim.Outcome, d time.Duration) {
	r.tally(op, o)
	if m := r.opts.Metrics; m != nil {
		m.Op(op.Action, o, d)
		m.InflightAdd(-1)
	}
	r.ops[op.Action][o].Add(1)
	r.lat[op.Action].record(d)
	r.done.Add(1)
}

// workload feeds the population's operation stream to the engine at the
// scenario's pace.
func (r *Runner) workload(e engine, pop *population) {
	pace := r.sc.Pace
	start, n := time.Now(), 0
	next := func(op *sim.Op) bool {
		if !pop.next(op) {
			return false
		}
		r.sent()
		r.clock.Store(int64(op.At))
		if m := r.opts.Metrics; m != nil && n%1024 == 0 {
			m.SetClock(op.At)
			if x := r.expected.Load(); x > 0 {
				m.SetProgress(float64(r.done.Load()) / float64(x))
			}
		}
		n++
		var due time.Duration
		switch {
		case pace.Speedup > 0:
			due = time.Duration(float64(op.At) / pace.Speedup)
		case pace.OpsPerSec > 0:
			due = time.Duration(float64(n) / pace.OpsPerSec * float64(time.Second))
		}
		if due == 0 { // pace max: no clock read per operation
			return true
		}
		if wait := due - time.Since(start); wait > 0 {
			select {
			case <-time.After(wait):
			case <-r.ctx.Done():
			}
		}
		return true
	}
	counted := r.counted
	if o := r.oracle; o != nil {
		// A deterministic Run reports each operation as it ends, in the
		// stream's order, before it takes the next.
		counted = func(op *sim.Op, out sim.Outcome, d time.Duration) {
			r.counted(op, out, d)
			o.Apply(op, out, "")
		}
	}
	_, _ = e.Run(r.ctx, next, counted)
	if r.ctx.Err() != nil {
		r.interrupted = true
	}
}

// newReport returns the report of a run of sc before it starts: what the
// file says, and empty lists where the JSON shows a list.
func newReport(sc *scenarios.Scenario) report.Report {
	return report.Report{Scenario: sc.Name, File: sc.File, Seed: sc.Seed, Policy: sc.Policy.Name, Mode: sc.Mode.String(),
		Ops: report.OpTable{}, Expectations: report.Expectations{Failures: []report.Failure{}}, Thresholds: []report.ThresholdResult{}}
}

// finish checks the invariants, fills in the report and judges it. An
// interrupted run skips the passes over the state; an interrupt during
// them leaves them to end in the background (Run closes the engine after
// them) and returns a copy of the report without their figures, since
// the measures' pass still writes the runner's.
func (r *Runner) finish(e *actors.Engine, wall time.Duration) *report.Report {
	rep := &r.report
	s := e.State()
	r.tallied(rep, wall)
	rep.Restarts, rep.Panics = e.Restarts(), e.Panics()
	if r.interrupted {
		rep.CheckSkipped = "interrupted before the operations ended"
		r.judge(rep)
		return rep
	}
	// The checker's, the digest's, the measures' and the count's passes
	// over the threads run side by side, each on its own (sim.ThreadStore):
	// one after the other on one core, they were about 40% of a 1M-user
	// run's wall time.
	var (
		checked           int
		vs                []sim.Violation
		digest            string
		threads, messages int
		wg                sync.WaitGroup
	)
	before := *rep
	wg.Go(func() { checked, vs = s.Check(r.expects) })
	wg.Go(func() { digest = fmt.Sprintf("%016x", s.Digest()) })
	wg.Go(func() { r.measure(s) })
	wg.Go(func() { threads, messages = s.ThreadCount(), s.MessageCount() })
	var realism *report.Realism
	if r.sc.Workload != nil {
		wg.Go(func() { realism = realismOf(s, rep.Ops) })
	}
	passed := make(chan struct{})
	go func() {
		wg.Wait()
		close(passed)
	}()
	select {
	case <-passed:
	case <-r.ctx.Done():
		r.passes = &wg
		before.Interrupted, before.CheckSkipped = true, "interrupted while the invariants were checked"
		r.judge(&before)
		return &before
	}
	rep.Digest, rep.Threads, rep.Messages, rep.Realism = digest, threads, messages, realism
	rep.Invariants = report.Invariants{Checked: checked, Violations: len(vs)}
	if len(vs) > 0 {
		rep.Invariants.ByInvariant = map[string]int{}
	}
	for i, v := range vs {
		rep.Invariants.ByInvariant[v.Invariant.String()]++
		if i < 20 {
			rep.Invariants.Details = append(rep.Invariants.Details, v.String())
		}
		r.opts.Metrics.Violation(v.Invariant)
	}
	if o := r.oracle; o != nil {
		// The model's comparison reads threads one at a time (Get), which
		// the store allows only alone: after the passes above.
		o.Final(s)
		var by []sim.Measures
		for _, c := range rep.Cohorts {
			by = append(by, c.Measures)
		}
		o.Measures(*rep.Measures, by, r.end())
		r.judged(o)
	}
	// Progress 1 tells a scraper that every other metric holds its final
	// value: set it last.
	r.opts.Metrics.SetClock(sim.Time(r.clock.Load()))
	r.opts.Metrics.SetProgress(1)
	r.judge(rep)
	return rep
}

// tallied fills in what the runner counted while the operations ran:
// outcomes, coverage, throughput, latencies and the simulated time.
func (r *Runner) tallied(rep *report.Report, wall time.Duration) {
	rep.Interrupted = r.interrupted
	rep.Ops, rep.OpsTotal = r.ops.table()
	rep.Coverage = coverage(rep.Ops)
	rep.WallSeconds = wall.Seconds()
	if wall > 0 {
		rep.Throughput = float64(rep.OpsTotal) / wall.Seconds()
	}
	all := mergeLatencies(r.lat[:])
	rep.Latency = all.summary()
	rep.ActionLatency = map[string]report.Latency{}
	for a := range r.lat {
		if r.lat[a].n.Load() > 0 {
			rep.ActionLatency[sim.Action(a).String()] = r.lat[a].summary()
		}
	}
	rep.SimulatedSeconds = time.Duration(r.clock.Load()).Seconds()
}

// judge evaluates the thresholds and the verdict of rep.
func (r *Runner) judge(rep *report.Report) {
	rep.Thresholds = r.thresholds(rep)
	// An actor that panicked may have left an operation half applied: such
	// a run does not pass, whatever the checks found.
	rep.Passed = !rep.Interrupted && rep.Expectations.Failed == 0 && rep.Invariants.Violations == 0 &&
		rep.Restarts == 0 && len(rep.Panics) == 0
	for _, t := range rep.Thresholds {
		rep.Passed = rep.Passed && t.Held
	}
}

// thresholds evaluates the scenario's thresholds on rep.
func (r *Runner) thresholds(rep *report.Report) []report.ThresholdResult {
	res := []report.ThresholdResult{}
	for _, t := range r.sc.Thresholds {
		v, _ := metricValue(rep, t.Metric)
		res = append(res, report.ThresholdResult{Pos: t.Pos.String(), Threshold: t.Source, Value: v, Held: t.Holds(v)})
	}
	return res
}

// metricValue returns the value in rep of a threshold's metric, one of
// scenarios.Metrics (the loader's list: TestMetricValues holds the two
// together), and false for a name it does not know.
func metricValue(rep *report.Report, metric string) (float64, bool) {
	switch metric {
	case "throughput":
		return rep.Throughput, true
	case "violations":
		return float64(rep.Invariants.Violations), true
	case "expectations_failed":
		return float64(rep.Expectations.Failed), true
	case "ops_total":
		return float64(rep.OpsTotal), true
	case "p50_latency":
		return rep.Latency.P50, true
	case "p90_latency":
		return rep.Latency.P90, true
	case "p99_latency":
		return rep.Latency.P99, true
	case "max_latency":
		return rep.Latency.Max, true
	}
	return 0, false
}

// population is the run's users: the script's named users first, then the
// generated ones, with their connections, groups and operation stream.
type population struct {
	users  int
	script [][]sim.UserID
	net    *workload.Network
	groups []workload.GroupSpec
	stream *workload.Stream
	offset sim.UserID // ids of generated users start here
	gbase  uint32     // numbers of generated groups start here
}

func (r *Runner) population() (*population, error) {
	sc := r.sc
	p := &population{script: scriptConns(sc), users: len(sc.Users), offset: sim.UserID(len(sc.Users)), gbase: uint32(len(sc.Groups))}
	if sc.Population == nil {
		return p, nil
	}
	net, err := workload.Build(*sc.Population, sc.Seed)
	if err != nil {
		return nil, err
	}
	p.net = net
	p.users += net.Users()
	p.groups = net.Groups(sc.Population.Groups, sc.Seed)
	if sc.Workload != nil {
		p.stream = workload.NewStream(net, p.groups, *sc.Workload, sc.Seed)
	}
	return p, nil
}

// conns gives each user's initial connections: generated users share the
// graph's memory when there is no script to shift their ids.
func (p *population) conns(u sim.UserID) []sim.UserID {
	if u < p.offset {
		return p.script[u]
	}
	ns := p.net.Neighbours(u - p.offset)
	if p.offset == 0 {
		return ns
	}
	shifted := make([]sim.UserID, len(ns))
	for i, v := range ns {
		shifted[i] = v + p.offset
	}
	return shifted
}

// setup creates the generated groups, before the clock starts; it stops
// early when ctx is done.
func (p *population) setup(ctx context.Context, e Seeder) error {
	ops := p.groupOps(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return CreateGroups(e, ops)
}

// groupOps returns the operations that create the generated groups, in
// run ids; it stops early when ctx is done.
func (p *population) groupOps(ctx context.Context) []sim.Op {
	ops := make([]sim.Op, len(p.groups))
	for i, g := range p.groups {
		op := sim.Op{Action: sim.CreateGroup, User: g.Owner + p.offset, Thread: sim.Group(p.gbase + uint32(i))}
		for _, m := range g.Members {
			op.Members = append(op.Members, m+p.offset)
		}
		ops[i] = op
		if i%4096 == 0 && ctx.Err() != nil {
			return nil
		}
	}
	return ops
}

// CreateGroups creates a population's groups before its clock starts,
// seeding the engine's state without actors.
func CreateGroups(e Seeder, ops []sim.Op) error {
	for _, op := range ops {
		o, err := e.Seed(op)
		if err != nil {
			return err
		}
		if o != sim.OK {
			return fmt.Errorf("runner: creating generated group %d: %s", op.Thread.GroupNumber(), o)
		}
	}
	return nil
}

// next takes the stream's next operation in run ids.
func (p *population) next(op *sim.Op) bool {
	if !p.stream.Next(op) {
		return false
	}
	if p.offset == 0 && p.gbase == 0 {
		return true
	}
	direct := !op.Thread.IsGroup() && op.Thread != 0
	op.User += p.offset
	op.Target += p.offset
	for i := range op.Members {
		op.Members[i] += p.offset
	}
	switch {
	case op.Thread.IsGroup():
		op.Thread = sim.Group(p.gbase + op.Thread.GroupNumber())
	case direct:
		a, b := op.Thread.Pair()
		op.Thread = sim.Direct(a+p.offset, b+p.offset)
	}
	return true
}
