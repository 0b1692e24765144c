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
	// Model is Uniform or Realistic. The zero value reads as Uniform, so a
	// Workload written before the realistic model keeps its stream; the
	// scenario loader defaults to Realistic.
	Model string
	// Habits are the realistic model's knobs (DefaultHabits); Uniform
	// ignores them.
	Habits Habits
}

// The workload models.
const (
	// Uniform: Poisson arrivals of uniformly chosen users acting on
	// uniformly chosen connections, the stream of the first versions.
	Uniform = "uniform"
	// Realistic: people with uneven activity and ties, who reply, read
	// what they received, tidy old threads and keep a daily rhythm.
	Realistic = "realistic"
)

// Delay is a lognormal delay given by its median and 90th percentile.
type Delay struct {
	Median, P90 time.Duration
}

// Replies says how people answer what they receive.
type Replies struct {
	// Direct is the probability that a delivered direct message gets a
	// reply from its recipient; Group the probability that a group message
	// gets one from another member.
	Direct, Group float64
	Delay         Delay // from the delivery to the reply
}

// Ties says whom people write to: each user ranks Strong of their
// connections (a ranking fixed for the run) and picks the tie of rank r
// (from 0) with weight (r+1)^-Exponent, except for a share NewContacts of
// the conversations they start, which go to a connection chosen uniformly.
type Ties struct {
	Strong      int
	Exponent    float64
	NewContacts float64
}

// Activity says how unevenly actions are spread over users: users ranked
// by activity act with weights falling as a power of their rank, such
// that the most active 1% of users make Top1pctShare of the actions
// (0.01 is everyone alike).
type Activity struct {
	Top1pctShare float64
}

// Sessions make activity bursty: a user who starts acting does a
// geometric number of actions, Actions on average, separated by
// exponential gaps of mean Gap.
type Sessions struct {
	Actions float64
	Gap     time.Duration
}

// TimeZone is a share of the users living at an offset from UTC.
type TimeZone struct {
	Offset time.Duration
	Share  float64
}

// Diurnal is the daily rhythm: at local time of day h a user starts
// sessions at 1 + Amplitude*cos(2*pi*(h-Peak)/24h) times their mean rate.
// Simulated time 0 is midnight UTC; users are spread over Zones (UTC
// alone when empty), whose shares add up to 1.
type Diurnal struct {
	Amplitude float64
	Peak      time.Duration
	Zones     []TimeZone
}

// Habits are the knobs of the realistic model. DefaultHabits gives each
// its default; docs/scenario-format.md says where each default comes from.
type Habits struct {
	Replies Replies
	// Read is the delay from a delivery to its recipient reading the
	// thread, for the deliveries the recipient does not answer.
	Read Delay
	// Tidy is the delay from reading a thread to archiving or deleting it
	// (standing for the thread going quiet; the model does not look at
	// later messages), and from archiving or muting a thread to undoing it.
	Tidy     Delay
	Ties     Ties
	Activity Activity
	Sessions Sessions
	Diurnal  Diurnal
	// ReceivedDeletes is the share of deletes that delete a received
	// message for its recipient rather than the deleter's own.
	ReceivedDeletes float64
	// Stale is the share of actions made on a stale target, as by a
	// client showing an old list: a thread the user does not have
	// (not_found), a group they left (not_member), a user across a block
	// (blocked).
	Stale float64
}

// DefaultHabits returns the realistic model's defaults.
func DefaultHabits() Habits {
	// Kooti et al., WWW 2015: half of the replies within 47 minutes, the
	// most common reply time 2 minutes. A lognormal with that median and
	// mode has sigma sqrt(ln(47/2)) = 1.777, hence p90 = 47m * e^(1.2816 *
	// 1.777) = 7h38m.
	reply := Delay{Median: 47 * time.Minute, P90: 7*time.Hour + 38*time.Minute}
	return Habits{
		Replies:  Replies{Direct: 0.5, Group: 0.3, Delay: reply},
		Read:     reply,
		Tidy:     Delay{Median: 2 * time.Hour, P90: 12 * time.Hour},
		Ties:     Ties{Strong: 5, Exponent: 2, NewContacts: 0.1},
		Activity: Activity{Top1pctShare: 0.15},
		Sessions: Sessions{Actions: 3, Gap: time.Minute},
		Diurnal: Diurnal{Amplitude: 0.8, Peak: 13 * time.Hour, Zones: []TimeZone{
			{Offset: -5 * time.Hour, Share: 0.35}, {Offset: 1 * time.Hour, Share: 0.35}, {Offset: 7 * time.Hour, Share: 0.3}}},
		ReceivedDeletes: 0.1,
		Stale:           0.002,
	}
}

// DefaultMix is the action mix of DESIGN.md section 5's example.
func DefaultMix() [sim.NumActions]float64 {
	var m [sim.NumActions]float64
	m[sim.Send], m[sim.Read], m[sim.Delete], m[sim.Archive] = 70, 15, 3, 2
	m[sim.Mute], m[sim.ViewProfile], m[sim.Post], m[sim.Block] = 1, 5, 2, 1
	m[sim.Unblock], m[sim.Report] = 0.5, 0.5
	return m
}
