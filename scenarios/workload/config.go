package workload

import (
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Graph names a social graph model and its parameters.
type Graph struct {
	Model      string  // "erdos-renyi", "barabasi-albert" or "watts-strogatz"
	MeanDegree float64 // target mean number of connections per user
	Rewire     float64 // watts-strogatz rewiring probability, 0..1
}

// Groups asks for Count group threads with sizes drawn uniformly from
// [MinSize, MaxSize], members picked among the owner's connections first.
type Groups struct {
	Count            int
	MinSize, MaxSize int
}

// Population is the generated part of a scenario: users, graph, groups.
type Population struct {
	Users  int
	Graph  Graph
	Groups Groups
}

// Phase scales the action rate for a stretch of simulated time.
type Phase struct {
	Duration time.Duration
	Rate     float64
}

// Regret makes a share of sends be deleted by their sender after a
// lognormal delay with the given median and 99th percentile.
type Regret struct {
	Share       float64
	Median, P99 time.Duration
	Everyone    bool // delete for everyone rather than for me
	// Fallback follows each delete for everyone at once with a delete for
	// me of the same message, as a sender does whose policy refuses the
	// recall (where the recall succeeded it is refused as already_deleted).
	// The stream stays the same under every policy.
	Fallback bool
}

// BlockStorm makes Users random users each block one of their connections
// at simulated time At.
type BlockStorm struct {
	At    time.Duration
	Users int
}

// SpamWave makes Spammers random users each send MessagesEach messages to
// random non-connections starting at At.
type SpamWave struct {
	At                     time.Duration
	Spammers, MessagesEach int
}

// ReportWave makes a Share of the users who received spam report the
// spammer (and block them when Block is set) at simulated time At.
type ReportWave struct {
	At    time.Duration
	Share float64
	Block bool
}

// Workload is what the generated users do over simulated time.
type Workload struct {
	Duration             time.Duration
	ActionsPerUserPerDay float64
	Mix                  [sim.NumActions]float64 // relative weights by action
	Phases               []Phase                 // empty: one phase at rate 1
	Regret               *Regret
	BlockStorm           *BlockStorm
	SpamWave             *SpamWave
	ReportWave           *ReportWave
}

// DefaultMix is the action mix of DESIGN.md section 5's example.
func DefaultMix() [sim.NumActions]float64 {
	var m [sim.NumActions]float64
	m[sim.Send], m[sim.Read], m[sim.Delete], m[sim.Archive] = 70, 15, 3, 2
	m[sim.Mute], m[sim.ViewProfile], m[sim.Post], m[sim.Block] = 1, 5, 2, 1
	m[sim.Unblock], m[sim.Report] = 0.5, 0.5
	return m
}
