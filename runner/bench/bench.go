package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// Config is a benchmark: a generated population and a number of
// operations of the default mix, applied by the reference model and by the
// actor engine.
type Config struct {
	Users int
	Ops   int
	Mode  sim.Mode
	Seed  uint64
	// Model is the workload model, workload.Realistic or workload.Uniform;
	// empty is Realistic, as in a scenario file's workload without model.
	Model  string
	Graph  workload.Graph // default barabasi-albert, mean degree 50
	Policy sim.Policy     // default linkedin
	Pool   int
	// MaxInflight bounds operations in flight in parallel mode (0: the
	// engine's default).
	MaxInflight int
	// HeapProfile, when set, receives a pprof heap profile taken where the
	// memory figures are, with the engine's final state live.
	HeapProfile io.Writer
}

// Report is what `msgsim bench --json` writes. Memory is the live
// heap after a full collection: BytesPerUser is what building the
// population added, per user; BytesPerMessage is everything the engine's
// run added (stored messages, their threads packed or not, registry
// entries, the members' inbox entries), per stored message, texts aside
// (they are shared); BytesPerThread is the same memory per thread the run
// opened. Under the uniform model nearly every send opens a thread, so
// the two differ little; under the realistic one threads grow into
// conversations, and a thread costs several messages' worth. A run of a few operations adds less than the heap moves
// by itself, and the figures can then be zero or negative.
// Where the system lets the peak resident memory start over (Linux),
// ReferencePeakRSSBytes is the peak when the reference model has run and
// PeakRSSBytes the peak from the engine's build to the end of the
// checker's pass; elsewhere ReferencePeakRSSBytes is zero and
// PeakRSSBytes the whole process's peak.
type Report struct {
	Users                 int     `json:"users"`
	Ops                   int     `json:"ops"`
	Mode                  string  `json:"mode"`
	Model                 string  `json:"model"`
	Graph                 string  `json:"graph"`
	MeanDegree            float64 `json:"mean_degree"`
	EngineOpsPerSec       float64 `json:"engine_ops_per_sec"`
	ReferenceOpsPerSec    float64 `json:"reference_ops_per_sec"`
	Ratio                 float64 `json:"ratio"`
	BytesPerUser          float64 `json:"bytes_per_user"`
	BytesPerMessage       float64 `json:"bytes_per_message"`
	BytesPerThread        float64 `json:"bytes_per_thread"`
	PeakRSSBytes          int64   `json:"peak_rss_bytes,omitempty"`
	ReferencePeakRSSBytes int64   `json:"reference_peak_rss_bytes,omitempty"`
	BuildSeconds          float64 `json:"build_seconds"`
	GraphSeconds          float64 `json:"graph_seconds"`
	EngineSeconds         float64 `json:"engine_seconds"`
	ReferenceSeconds      float64 `json:"reference_seconds"`
	Messages              int     `json:"messages"`
	Threads               int     `json:"threads"`
	Violations            int     `json:"violations"`
	InvariantsChecked     int     `json:"invariants_checked"`
	CheckSeconds          float64 `json:"check_seconds"`
	ReferenceDigestSame   *bool   `json:"reference_digest_equal,omitempty"`
	// Interrupted is set when the bench was stopped before its engine
	// had applied the stream: the figures are those it had.
	Interrupted bool `json:"interrupted,omitempty"`
	// SpecDifferences, in deterministic mode, counts where the engine's
	// outcomes, final state and policy-lab measures differ from the
	// specification model's (sim/spec) on the same stream; SpecDetails
	// quotes the first.
	SpecDifferences *int     `json:"spec_differences,omitempty"`
	SpecChecked     int      `json:"spec_checked,omitempty"`
	SpecDetails     []string `json:"spec_details,omitempty"`
	SpecSeconds     float64  `json:"spec_seconds,omitempty"`
}

// Failed reports whether the bench found the engine wrong: a violated
// invariant or, in deterministic mode, a final state unlike the
// reference model's or a difference from the specification model.
func (r *Report) Failed() bool {
	return r.Violations > 0 || (r.ReferenceDigestSame != nil && !*r.ReferenceDigestSame) ||
		(r.SpecDifferences != nil && *r.SpecDifferences > 0)
}

// Run runs cfg: it builds the population once, applies the stream with
// the reference model on one goroutine, then builds the actor engine and
// applies the same stream, and measures both in this one process.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Users > sim.MaxUsers {
		return nil, fmt.Errorf("bench: takes at most %d users, got %d", sim.MaxUsers, cfg.Users)
	}
	if cfg.Users < 2 || cfg.Ops < 1 {
		return nil, fmt.Errorf("bench: needs at least 2 users and 1 operation, got %d and %d", cfg.Users, cfg.Ops)
	}
	if cfg.Policy.Name == "" {
		cfg.Policy = sim.Linkedin()
	}
	pop, w := Workload(cfg)
	if err := w.Validate(); err != nil {
		return nil, fmt.Errorf("bench: %d users and %d operations: %w", cfg.Users, cfg.Ops, err)
	}
	cfg.Graph = pop.Graph
	rep := &Report{Users: cfg.Users, Mode: cfg.Mode.String(), Model: w.Model, Graph: cfg.Graph.Model}

	before := heapBytes()
	start := time.Now()
	net, err := workload.Build(pop, cfg.Seed)
	if err != nil {
		return nil, err
	}
	rep.GraphSeconds = time.Since(start).Seconds()
	rep.MeanDegree = net.MeanDegree()
	groups := net.Groups(pop.Groups, cfg.Seed)
	stream := func() func(*sim.Op) bool {
		s := workload.NewStream(net, groups, w, cfg.Seed)
		n := 0
		return func(op *sim.Op) bool {
			if n == cfg.Ops || ctx.Err() != nil || !s.Next(op) {
				return false
			}
			n++
			return true
		}
	}
	groupOps := make([]sim.Op, len(groups))
	for i, g := range groups {
		groupOps[i] = sim.Op{Action: sim.CreateGroup, User: g.Owner, Thread: sim.Group(uint32(i)), Members: g.Members}
	}

	ref := sim.NewWorld(cfg.Policy, net.Users(), net.Neighbours)
	for _, op := range groupOps {
		ref.Apply(op)
	}
	next := stream()
	var op sim.Op
	start = time.Now()
	for next(&op) {
		ref.Apply(op)
		rep.Ops++
	}
	rep.ReferenceSeconds = time.Since(start).Seconds()
	if ctx.Err() != nil {
		rep.Interrupted = true
		return rep, nil
	}
	refDigest := uint64(0)
	if cfg.Mode == sim.Deterministic {
		refDigest = ref.Digest()
	}
	ref = nil
	refPeak := peakRSS()
	debug.FreeOSMemory() // the reference model's memory back to the system, so the engine's peak is its own
	if resetPeakRSS() {
		rep.ReferencePeakRSSBytes = refPeak
	}
	start = time.Now()
	e, err := actors.New(actors.Config{Policy: cfg.Policy, Users: net.Users(), Conns: net.Neighbours, Mode: cfg.Mode, Pool: cfg.Pool, MaxInflight: cfg.MaxInflight})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	if err := runner.CreateGroups(e, groupOps); err != nil {
		return nil, err
	}
	e.EndSeeding() // the groups packed, so the run is not credited with packing them
	rep.BuildSeconds = rep.GraphSeconds + time.Since(start).Seconds()
	built := heapBytes()
	rep.BytesPerUser = float64(built-before) / float64(cfg.Users)

	// In deterministic mode the outcomes are kept, a byte each, for the
	// specification model to judge once everything is measured.
	var outcomes []sim.Outcome
	result := func(*sim.Op, sim.Outcome, time.Duration) {}
	if cfg.Mode == sim.Deterministic {
		outcomes = make([]sim.Outcome, 0, rep.Ops)
		result = func(_ *sim.Op, o sim.Outcome, _ time.Duration) { outcomes = append(outcomes, o) }
	}
	start = time.Now()
	n, err := e.Run(ctx, stream(), result)
	if err != nil {
		return nil, err
	}
	rep.EngineSeconds = time.Since(start).Seconds()
	if ctx.Err() != nil {
		rep.Interrupted = true
		rep.EngineOpsPerSec = float64(n) / rep.EngineSeconds
		rep.ReferenceOpsPerSec = float64(rep.Ops) / rep.ReferenceSeconds
		return rep, nil
	}
	if n != rep.Ops {
		return nil, fmt.Errorf("bench: the engine applied %d operations, reference %d", n, rep.Ops)
	}
	e.Passivate()
	heap := heapBytes()
	if cfg.HeapProfile != nil {
		if err := pprof.Lookup("heap").WriteTo(cfg.HeapProfile, 0); err != nil {
			return nil, fmt.Errorf("bench: heap profile: %w", err)
		}
	}
	s := e.State()
	rep.Messages, rep.Threads = s.MessageCount(), s.ThreadCount()
	added := float64(heap) - float64(built)
	if rep.Messages > 0 {
		rep.BytesPerMessage = added / float64(rep.Messages)
	}
	if opened := rep.Threads - len(groups); opened > 0 { // the groups' threads are the build's
		rep.BytesPerThread = added / float64(opened)
	}
	start = time.Now()
	sp, err := runner.SpecPolicy(cfg.Policy, nil)
	if err != nil {
		return nil, err
	}
	rep.InvariantsChecked, rep.Violations = checkCount(s, sim.Uniform(runner.SpecExpect(sp)))
	rep.CheckSeconds = time.Since(start).Seconds()
	rep.PeakRSSBytes = peakRSS()
	if cfg.Mode == sim.Deterministic {
		same := s.Digest() == refDigest
		rep.ReferenceDigestSame = &same
		start = time.Now()
		benchSpec(rep, sp, net, groupOps, stream(), outcomes, s)
		rep.SpecSeconds = time.Since(start).Seconds()
	}
	rep.EngineOpsPerSec = float64(rep.Ops) / rep.EngineSeconds
	rep.ReferenceOpsPerSec = float64(rep.Ops) / rep.ReferenceSeconds
	rep.Ratio = rep.EngineOpsPerSec / rep.ReferenceOpsPerSec
	return rep, nil
}

// benchDay is how much simulated time the bench's workload spans.
const benchDay = 24 * time.Hour

// Workload returns the population and the workload cfg runs: a
// Barabási–Albert graph of mean degree 50 (users-1 in a smaller
// population) unless cfg.Graph names one, a group per 20 users of 3 to 12
// members, and the default mix at cfg.Ops operations a day over one day,
// under cfg.Model. The realistic model takes workload.DefaultHabits, the
// habits a scenario file's workload has when it sets none.
func Workload(cfg Config) (workload.Population, workload.Workload) {
	g := cfg.Graph
	if g.Model == "" {
		g = workload.Graph{Model: workload.BarabasiAlbert, MeanDegree: min(50, float64(max(cfg.Users, 1)-1))}
	}
	pop := workload.Population{Users: cfg.Users, Graph: g,
		Groups: workload.Groups{Count: cfg.Users / 20, MinSize: 3, MaxSize: 12}}
	w := workload.Workload{Duration: benchDay, ActionsPerUserPerDay: float64(cfg.Ops) / float64(max(cfg.Users, 1)),
		Mix: workload.DefaultMix(), Model: cfg.Model}
	if w.Model == "" {
		w.Model = workload.Realistic
	}
	if w.Model == workload.Realistic {
		w.Habits = workload.DefaultHabits()
	}
	return pop, w
}

// benchSpec applies the bench's groups and stream to the specification
// model, comparing each outcome with the engine's, the final states, and
// the policy-lab measures of a run that ends with the workload's day (or
// its last operation, if later).
func benchSpec(rep *Report, p spec.Policy, net *workload.Network, groupOps []sim.Op, next func(*sim.Op) bool, outcomes []sim.Outcome, s *sim.State) {
	o := runner.NewOracle(p, net.Users(), net.Neighbours)
	for _, op := range groupOps {
		o.Seed(&op, sim.OK) // the engine created every group: runner.CreateGroups says so
	}
	tallies := make([]sim.Tally, 1)
	end := sim.Time(0).Add(benchDay)
	var op sim.Op
	for _, out := range outcomes {
		if !next(&op) {
			break
		}
		o.Apply(&op, out, "")
		k, _ := sim.Tallied(&op, out)
		tallies[0].Add(k, 1)
		end = max(end, op.At)
	}
	o.Final(s)
	all, _ := s.Measure(end, tallies)
	o.Measures(all, nil, end)
	differences, checked, details := o.Findings()
	rep.SpecDifferences, rep.SpecChecked, rep.SpecDetails = &differences, checked, details
}

func checkCount(s *sim.State, x sim.Expectations) (int, int) {
	n, vs := s.Check(x)
	return n, len(vs)
}

// heapBytes returns the live heap after a full collection.
func heapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
