package workload

import (
	"errors"
	"fmt"
	"math"

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

// Validate reports every problem of w at once, each wrapping ErrWorkload.
// NewStream accepts any workload, reading out-of-range values as zero.
func (w Workload) Validate() error {
	e := problems{kind: ErrWorkload}
	bad := e.add
	if w.Duration <= 0 {
		bad("duration must be positive, got %v", w.Duration)
	}
	if !finite(w.ActionsPerUserPerDay) || w.ActionsPerUserPerDay < 0 {
		bad("actions per user per day must not be negative, got %g", w.ActionsPerUserPerDay)
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
		if p.Duration <= 0 {
			bad("phase %d: duration must be positive, got %v", i+1, p.Duration)
		}
		if !finite(p.Rate) || p.Rate < 0 {
			bad("phase %d: rate must not be negative, got %g", i+1, p.Rate)
		}
	}
	if r := w.Regret; r != nil {
		if !(r.Share >= 0 && r.Share <= 1) {
			bad("regret share must be between 0 and 1, got %g", r.Share)
		}
		if r.Median <= 0 || r.P99 < r.Median {
			bad("regret delay must have 0 < median <= p99, got median %v, p99 %v", r.Median, r.P99)
		}
	}
	if b := w.BlockStorm; b != nil && (b.At < 0 || b.Users < 0) {
		bad("block storm time and users must not be negative, got at %v, users %d", b.At, b.Users)
	}
	if s := w.SpamWave; s != nil && (s.At < 0 || s.Spammers < 0 || s.MessagesEach < 0) {
		bad("spam wave time, spammers and messages must not be negative, got at %v, spammers %d, messages %d",
			s.At, s.Spammers, s.MessagesEach)
	}
	if r := w.ReportWave; r != nil {
		if r.At < 0 {
			bad("report wave time must not be negative, got %v", r.At)
		}
		if !(r.Share >= 0 && r.Share <= 1) {
			bad("report wave share must be between 0 and 1, got %g", r.Share)
		}
	}
	return errors.Join(e.errs...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func actionName(i int) string { return sim.Action(i).String() }
