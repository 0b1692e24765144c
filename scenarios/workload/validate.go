package workload

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Errors that Validate wraps, with the offending field and value.
var (
	ErrPopulation = errors.New("workload: invalid population")
	ErrWorkload   = errors.New("workload: invalid workload")
)

// Group sizes count the owner (R1g: a group thread has 3..50 members).
const (
	minGroupSize = 3
	maxGroupSize = 50
)

// problems collects validation errors that wrap one sentinel.
type problems struct {
	kind error
	errs []error
}

func (p *problems) add(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%w: "+format, append([]any{p.kind}, args...)...))
}

// Validate reports every problem of p at once, each wrapping ErrPopulation.
func (p Population) Validate() error {
	e := problems{kind: ErrPopulation}
	bad := e.add
	if p.Users < 1 || p.Users > sim.MaxUsers {
		bad("users must be between 1 and %d, got %d", sim.MaxUsers, p.Users)
	}
	switch p.Graph.Model {
	case ErdosRenyi, BarabasiAlbert, WattsStrogatz:
	default:
		bad("graph model must be %s, %s or %s, got %q", ErdosRenyi, BarabasiAlbert, WattsStrogatz, p.Graph.Model)
	}
	if d := p.Graph.MeanDegree; !(d >= 0) || d > float64(max(p.Users-1, 0)) {
		bad("mean degree must be between 0 and users-1 (%d), got %g", max(p.Users-1, 0), d)
	}
	if r := p.Graph.Rewire; !(r >= 0 && r <= 1) {
		bad("rewire must be between 0 and 1, got %g", r)
	}
	if g := p.Groups; g.Count < 0 {
		bad("group count must not be negative, got %d", g.Count)
	} else if g.Count > 0 && (g.MinSize < minGroupSize || g.MaxSize > maxGroupSize || g.MinSize > g.MaxSize) {
		bad("group sizes must satisfy %d <= min <= max <= %d, got [%d, %d]", minGroupSize, maxGroupSize, g.MinSize, g.MaxSize)
	}
	return errors.Join(e.errs...)
}

// Limits of a workload's values, so that no value makes the stream's work
// or memory explode or stops its clock: a run within them generates at
// most MaxOperations operations, at most MaxRate a simulated second.
const (
	MaxDuration             = 366 * 24 * time.Hour // a workload, a phase, a delay
	MaxActionsPerUserPerDay = 100_000              // more than one a second, all day
	MaxPhaseRate            = 1000
	MaxSpammers             = 1_000_000
	MaxRate                 = 10_000_000     // arrivals a simulated second in the busiest phase
	MaxOperations           = 10_000_000_000 // about 14 hours at 200,000 a second
	MaxStrongTies           = 64
	MaxSessionActions       = 1000
	MaxTimeZones            = 48
	MinTimeZone             = -12 * time.Hour
	MaxTimeZone             = 14 * time.Hour
	// MinTop1pctShare is everyone alike; MaxTop1pctShare leaves the most
	// active user about a tenth of everything at a million users.
	MinTop1pctShare = 0.01
	MaxTop1pctShare = 0.5
	MaxTieExponent  = 10
)

// PeakRate returns the arrivals a simulated second of w over users users
// in its busiest phase.
func PeakRate(users int, w Workload) float64 {
	peak := 1.0
	if len(w.Phases) > 0 {
		peak = 0
		end := time.Duration(0)
		for _, p := range w.Phases {
			peak = max(peak, p.Rate)
			end += p.Duration
		}
		if end < w.Duration {
			peak = max(peak, 1)
		}
	}
	return float64(users) * w.ActionsPerUserPerDay / 86400 * peak
}

// ExpectedArrivals returns the mean number of arrivals (session actions
// under the realistic model) of w over users users: the base rate
// users*ActionsPerUserPerDay/24h times each phase's rate over its
// duration, and the base rate after the last phase, until Duration.
func ExpectedArrivals(users int, w Workload) float64 {
	return expectedArrivals(stretches(users, w))
}

// ExpectedOperations returns about how many operations w generates over
// users users: its arrivals over the phases and its behaviours' bursts.
// Under the realistic model replies take the place of sends and reads
// and other thread actions that of their arrivals, so the count is the
// same.
func ExpectedOperations(users int, w Workload) float64 {
	if !(w.ActionsPerUserPerDay > 0) || w.Duration <= 0 {
		return 0
	}
	n := ExpectedArrivals(users, w)
	if b := w.BlockStorm; b != nil && b.Users > 0 && b.At < w.Duration {
		n += float64(b.Users)
	}
	if s := w.SpamWave; s != nil && s.Spammers > 0 && s.MessagesEach > 0 && s.At < w.Duration {
		spam := float64(min(s.Spammers, users)) * float64(s.MessagesEach)
		n += spam
		if r := w.ReportWave; r != nil && r.Share > 0 {
			n += spam * min(r.Share, 1)
		}
	}
	return n
}

// Validate reports every problem of w at once, each wrapping ErrWorkload.
// NewStream accepts any workload, reading out-of-range values as zero.
func (w Workload) Validate() error {
	e := problems{kind: ErrWorkload}
	bad := e.add
	if w.Duration <= 0 || w.Duration > MaxDuration {
		bad("duration must be positive and at most %v, got %v", MaxDuration, w.Duration)
	}
	if !finite(w.ActionsPerUserPerDay) || w.ActionsPerUserPerDay < 0 || w.ActionsPerUserPerDay > MaxActionsPerUserPerDay {
		bad("actions per user per day must be between 0 and %d, got %g", MaxActionsPerUserPerDay, w.ActionsPerUserPerDay)
	}
	total := 0.0
	for a, x := range w.Mix {
		if !finite(x) || x < 0 {
			bad("mix weight of %s must not be negative, got %g", actionName(a), x)
		} else {
			total += x
		}
	}
	if total == 0 {
		bad("mix must give some action a positive weight")
	}
	for i, p := range w.Phases {
		if p.Duration <= 0 || p.Duration > MaxDuration {
			bad("phase %d: duration must be positive and at most %v, got %v", i+1, MaxDuration, p.Duration)
		}
		if !finite(p.Rate) || p.Rate < 0 || p.Rate > MaxPhaseRate {
			bad("phase %d: rate must be between 0 and %d, got %g", i+1, MaxPhaseRate, p.Rate)
		}
	}
	if r := w.Regret; r != nil {
		if !(r.Share >= 0 && r.Share <= 1) {
			bad("regret share must be between 0 and 1, got %g", r.Share)
		}
		if r.Median <= 0 || r.P99 < r.Median || r.P99 > MaxDuration {
			bad("regret delay must have 0 < median <= p99 <= %v, got median %v, p99 %v", MaxDuration, r.Median, r.P99)
		}
	}
	if b := w.BlockStorm; b != nil && (b.At < 0 || b.Users < 0) {
		bad("block storm time and users must not be negative, got at %v, users %d", b.At, b.Users)
	}
	if s := w.SpamWave; s != nil && (s.At < 0 || s.Spammers < 0 || s.MessagesEach < 0 || s.Spammers > MaxSpammers) {
		bad("spam wave time, spammers and messages must not be negative, and spammers at most %d, got at %v, spammers %d, messages %d",
			MaxSpammers, s.At, s.Spammers, s.MessagesEach)
	}
	if r := w.ReportWave; r != nil {
		if r.At < 0 {
			bad("report wave time must not be negative, got %v", r.At)
		}
		if !(r.Share >= 0 && r.Share <= 1) {
			bad("report wave share must be between 0 and 1, got %g", r.Share)
		}
	}
	switch w.Model {
	case "", Uniform:
	case Realistic:
		w.Habits.validate(bad)
	default:
		bad("model must be %s or %s, got %q", Uniform, Realistic, w.Model)
	}
	return errors.Join(e.errs...)
}

// ValidateFor is Validate with the limits that depend on the number of
// users: the busiest phase's rate and the expected number of operations.
func (w Workload) ValidateFor(users int) error {
	e := problems{kind: ErrWorkload}
	if r := PeakRate(users, w); r > MaxRate {
		e.add("%d users at %g actions a day come to %.0f operations a simulated second in the busiest phase; at most %d",
			users, w.ActionsPerUserPerDay, r, MaxRate)
	}
	if n := ExpectedOperations(users, w); n > MaxOperations {
		e.add("the workload would generate about %.3g operations; at most %.0e", n, float64(MaxOperations))
	}
	return errors.Join(append([]error{w.Validate()}, e.errs...)...)
}

// validate reports the problems of the realistic model's knobs.
func (h Habits) validate(bad func(string, ...any)) {
	between := func(name string, x, lo, hi float64) {
		if !(x >= lo && x <= hi) {
			bad("%s must be between %g and %g, got %g", name, lo, hi, x)
		}
	}
	delay := func(name string, d Delay) {
		if d.Median <= 0 || d.P90 < d.Median || d.P90 > MaxDuration {
			bad("%s must have 0 < median <= p90 <= %v, got median %v, p90 %v", name, MaxDuration, d.Median, d.P90)
		}
	}
	between("reply probability of direct messages", h.Replies.Direct, 0, 1)
	between("reply probability of group messages", h.Replies.Group, 0, 1)
	delay("reply delay", h.Replies.Delay)
	delay("read delay", h.Read)
	delay("tidy delay", h.Tidy)
	if h.Ties.Strong < 1 || h.Ties.Strong > MaxStrongTies {
		bad("strong ties must be between 1 and %d, got %d", MaxStrongTies, h.Ties.Strong)
	}
	between("tie exponent", h.Ties.Exponent, 0, MaxTieExponent)
	between("new contacts share", h.Ties.NewContacts, 0, 1)
	between("activity's top 1% share", h.Activity.Top1pctShare, MinTop1pctShare, MaxTop1pctShare)
	between("actions per session", h.Sessions.Actions, 1, MaxSessionActions)
	if h.Sessions.Gap <= 0 || h.Sessions.Gap > 24*time.Hour {
		bad("session gap must be positive and at most 24h, got %v", h.Sessions.Gap)
	}
	between("diurnal amplitude", h.Diurnal.Amplitude, 0, 1)
	if h.Diurnal.Peak < 0 || h.Diurnal.Peak >= 24*time.Hour {
		bad("diurnal peak must be a time of day, from 0 to under 24h, got %v", h.Diurnal.Peak)
	}
	if len(h.Diurnal.Zones) > MaxTimeZones {
		bad("at most %d time zones, got %d", MaxTimeZones, len(h.Diurnal.Zones))
	}
	sum := 0.0
	for i, z := range h.Diurnal.Zones {
		if z.Offset < MinTimeZone || z.Offset > MaxTimeZone {
			bad("time zone %d: offset must be between %v and %v, got %v", i+1, MinTimeZone, MaxTimeZone, z.Offset)
		}
		between(fmt.Sprintf("time zone %d: share", i+1), z.Share, 0, 1)
		sum += z.Share
	}
	if len(h.Diurnal.Zones) > 0 && math.Abs(sum-1) > 1e-6 {
		bad("time zone shares must add up to 1, got %g", sum)
	}
	between("received deletes share", h.ReceivedDeletes, 0, 1)
	between("stale actions share", h.Stale, 0, 1)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func actionName(i int) string { return sim.Action(i).String() }
