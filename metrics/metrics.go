package metrics

import (
	"runtime"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/msgsim/msgsim/sim"
)

// Metrics records one policy's run. Its methods are the only way to change
// the families New registers; each is safe for concurrent use and does nothing
// on a nil *Metrics.
type Metrics struct {
	ops        [sim.NumActions][sim.NumOutcomes]prometheus.Counter
	latency    [sim.NumActions]prometheus.Observer
	delivered  prometheus.Counter
	notified   [sim.NumCauses]prometheus.Counter
	suppressed [sim.NumReasons]prometheus.Counter
	tombstones prometheus.Counter
	violations [sim.NumInvariants]prometheus.Counter // index: invariant - 1
	// specDiffs counts where a deterministic run differs from the
	// specification model, under the invariant label "spec".
	specDiffs  prometheus.Counter
	users      prometheus.Gauge
	live       prometheus.Gauge
	passivated prometheus.Gauge
	inflight   prometheus.Gauge
	restarts   prometheus.Counter
	clock      prometheus.Gauge
	progress   prometheus.Gauge
}

// LatencyBuckets are the upper bounds, in seconds, of
// msgsim_operation_duration_seconds: powers of two from 1µs to about 1s, since
// an operation is in-memory work that takes microseconds.
var LatencyBuckets = prometheus.ExponentialBuckets(1e-6, 2, 21)

// NewRegistry returns an empty registry holding only the Go runtime and
// process collectors, for a caller that wants to serve msgsim's metrics
// without importing client_golang itself.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// New registers msgsim's metric families on reg, every series labelled
// policy=policy, and returns the Metrics that records into them. Every series
// exists from the start, at zero, so that rates and alerts see it before its
// first event.
//
// A nil reg is valid: the Metrics then counts into families nobody gathers.
// New panics if reg refuses a family, as it does when two Metrics of the same
// policy share a registry; that is a programming error, like a duplicate flag.
func New(reg prometheus.Registerer, policy string) *Metrics {
	r := prometheus.WrapRegistererWith(prometheus.Labels{"policy": policy}, reg)
	m := &Metrics{}
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
		r.MustRegister(c)
		return c
	}
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		r.MustRegister(g)
		return g
	}
	counters := func(name, help, label string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
		r.MustRegister(v)
		return v
	}

	ops := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "msgsim_operations_total",
		Help: "Operations completed, by action and outcome.",
	}, []string{"action", "outcome"})
	latency := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "msgsim_operation_duration_seconds",
		Help:    "Wall-clock time to carry out an operation, by action.",
		Buckets: LatencyBuckets,
	}, []string{"action"})
	r.MustRegister(ops, latency)
	for _, a := range sim.Actions() {
		for _, o := range sim.Outcomes() {
			m.ops[a][o] = ops.WithLabelValues(a.String(), o.String())
		}
		m.latency[a] = latency.WithLabelValues(a.String())
	}

	m.delivered = counter("msgsim_messages_delivered_total", "Messages delivered into members' views of a thread: one per member who receives a message, the sender included.")
	notified := counters("msgsim_notifications_total", "Notifications raised, by cause.", "cause")
	for c := range sim.NumCauses {
		m.notified[c] = notified.WithLabelValues(c.String())
	}
	suppressed := counters("msgsim_notifications_suppressed_total", "Notifications not raised, by reason.", "reason")
	for s := range sim.NumReasons {
		m.suppressed[s] = suppressed.WithLabelValues(s.String())
	}
	m.tombstones = counter("msgsim_tombstones_shown_total", "Lines in recipients' views that show a tombstone in place of a message its sender recalled (deleted for everyone), counted in the final views when the run ends, as the report's tombstones_shown measure; 0 until then.")
	violations := counters("msgsim_invariant_violations_total", "Broken invariants of DESIGN.md section 3 found by the checker, by invariant; invariant=\"spec\" counts where a deterministic run differs from the specification model.", "invariant")
	m.specDiffs = violations.WithLabelValues("spec")
	for i := range m.violations {
		m.violations[i] = violations.WithLabelValues(sim.Invariant(i + 1).String())
	}

	m.users = gauge("msgsim_users", "Users in the simulated population.")
	threads := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "msgsim_threads",
		Help: "Threads, by whether their actor is live in memory or passivated.",
	}, []string{"state"})
	r.MustRegister(threads)
	m.live = threads.WithLabelValues("live")
	m.passivated = threads.WithLabelValues("passivated")
	m.inflight = gauge("msgsim_inflight_operations", "Operations sent to an actor and not yet answered.")
	m.restarts = counter("msgsim_actor_restarts_total", "Actors restarted by their supervisor after a failure.")
	m.clock = gauge("msgsim_simulated_seconds", "The simulated clock: seconds since the start of the run.")
	m.progress = gauge("msgsim_run_progress_ratio", "How much of the run is done, from 0 to 1.")

	version, goversion := buildVersion()
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "msgsim_build_info",
		Help: "Always 1, labelled with the msgsim version and the Go version that built it.",
	}, []string{"version", "goversion"})
	r.MustRegister(info)
	info.WithLabelValues(version, goversion).Set(1)
	return m
}

// buildVersion returns the main module's version, or "devel" for a build
// outside a released module, and the Go version that built the binary.
func buildVersion() (version, goversion string) {
	version, goversion = "devel", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			version = v
		}
		if bi.GoVersion != "" {
			goversion = bi.GoVersion
		}
	}
	return version, goversion
}
