package scenarios

import (
	"time"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// Scenario is a loaded, validated scenario file: a script of named users
// and steps, a generated population with its workload, or both.
//
// Ids: script user i (Users[i]) is sim.UserID(i). Generated users come after
// the script users: population user j is sim.UserID(len(Users)+j). Script
// group i (Groups[i]) is sim.Group(uint32(i)); generated groups are numbered
// after the script groups.
type Scenario struct {
	Name string // the name key; the file's base name without extension by default
	File string // the file name given to Load, used in positions
	// Policy is the preset named by `policy: linkedin` or
	// `policy: {preset: linkedin, <knob>: <value>...}` with the knobs
	// applied; linkedin by default. Policy.Name stays the preset's name
	// when knobs are overridden.
	Policy sim.Policy
	// PolicyKnobs names the knobs the file sets on top of Policy's preset,
	// in sim.Knobs order: with Policy.Name, what an independent model
	// (sim/spec) needs to build the same policy from its own presets.
	PolicyKnobs []string
	// Cohorts, when the file declares them, put parts of the population
	// under policies of their own in one run (an A/B experiment): each
	// cohort's policy defaults to Policy, its shares add up to 1, and
	// Users pins named script users to it. A thread follows the stricter
	// policy of the cohorts it spans (sim.Cohorts).
	Cohorts []sim.Cohort
	// CohortKnobs names, for each cohort, the knobs set on top of its
	// policy's preset, as PolicyKnobs does for Policy.
	CohortKnobs [][]string
	Users       []string        // script users in file order
	Connections [][2]sim.UserID // the script's initial connections
	Groups      []string        // group names in the order of their create_group steps
	Steps       []Step
	// Population is nil when the file has no population key.
	Population *workload.Population
	// Workload is nil when the file has no workload key. Its defaults:
	// model realistic with workload.DefaultHabits(), duration 24h (or the
	// sum of the phases), actions_per_user_per_day 20, mix
	// workload.DefaultMix() (a mix in the file replaces it whole). Phases,
	// when given, add up to the duration exactly.
	Workload   *workload.Workload
	Pace       Pace     // Max by default
	Mode       sim.Mode // sim.Parallel by default
	Seed       uint64   // 1 by default
	Thresholds []Threshold

	// degreeGiven is set when the file gives population.graph.mean_degree,
	// which a change of population.users then keeps.
	degreeGiven bool
}

// Step is one step of a script: an action (Op, with the outcome it
// expects), a move of the simulated clock (Advance) or a check (Check).
// Exactly one of Op, Advance and Check is set.
type Step struct {
	Pos Pos
	// Source is the step as written, in one line of YAML flow style, e.g.
	// `send: {from: alice, to: bob, text: "oops", as: m2}`.
	Source string
	// Op is the action in run ids; nil for checks and advance. Op.At is
	// left 0: the runner stamps the simulated clock. Every send has its own
	// Op.Msg key (the step's index plus one).
	Op *sim.Op
	// Expect is the outcome the action must have: `expect:` in the action's
	// mapping, sim.OK by default.
	Expect  sim.Outcome
	Advance time.Duration // `advance: 61m`; positive
	Check   *Check
}

// CheckKind is what an `expect: {...}` step inspects.
type CheckKind uint8

// The checks of DESIGN.md section 5.
const (
	View          CheckKind = iota // the texts a user sees in a thread
	Inbox                          // a user's inbox, most recent first
	Unread                         // a user's unread count in a thread
	Notifications                  // all notifications a user has received
	Connected                      // whether two users are connected
	Profile                        // whether a user can view another's profile
	numCheckKinds
)

var checkNames = [numCheckKinds]string{"view", "inbox", "unread", "notifications", "connected", "profile"}

// String returns the check's name as scenario files write it.
func (k CheckKind) String() string {
	if k < numCheckKinds {
		return checkNames[k]
	}
	return "check?"
}

// Check is a check step. Fields a kind does not use stay zero.
type Check struct {
	Kind CheckKind
	// User is whose state is checked; Target is view's and unread's `with:`
	// user, profile's target and connected's second user.
	User, Target sim.UserID
	// Thread is the checked thread of view and unread: sim.Direct(User,
	// Target) for `with: V`, the group's thread for `group: G`.
	Thread sim.ThreadID
	// Lines are view's message texts in order, or inbox's threads most
	// recent first (a direct thread named by the other user, a group by
	// its name).
	Lines []string
	Count int  // unread and notifications
	Value bool // connected's value, profile's visible
}

// Pace is how fast a run feeds operations: as fast as it can (Max), at
// Speedup simulated seconds per wall second (`60x`), or at OpsPerSec
// operations per wall second (`50000/s`). Exactly one is set.
type Pace struct {
	Max       bool
	Speedup   float64
	OpsPerSec float64
}
