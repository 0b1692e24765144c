package scenarios

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Overrides are changes to a loaded scenario made without editing its
// file: msgsim run's --users, --duration, --policy and --rate. A zero
// field changes nothing.
type Overrides struct {
	Users    int           // population.users
	Duration time.Duration // workload.duration; the phases are scaled to it
	Policy   string        // a preset that replaces policy (and its knobs)
	Rate     float64       // workload.actions_per_user_per_day
}

// ErrOverride is wrapped by every problem Override reports.
var ErrOverride = errors.New("scenarios: unusable override")

// Override applies o to s and checks the result as Load checks a file,
// returning every problem at once, each naming its flag. On a problem s
// may be partly changed: discard it.
func (s *Scenario) Override(o Overrides) error {
	var errs []error
	bad := func(flag, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrOverride, flag, fmt.Sprintf(format, args...)))
	}
	if o.Policy != "" {
		p, ok := sim.Preset(o.Policy)
		switch {
		case !ok:
			bad("--policy", "%s", unknown("policy preset", o.Policy, sim.PresetNames()))
		case len(s.Cohorts) > 0:
			bad("--policy", "the scenario declares cohorts, each with a policy of its own; edit their policies in the file")
		default:
			s.Policy, s.PolicyKnobs = p, nil
		}
	}
	if o.Users != 0 {
		s.overrideUsers(o.Users, func(format string, args ...any) { bad("--users", format, args...) })
	}
	if o.Duration != 0 || o.Rate != 0 {
		if s.Workload == nil {
			flag := "--duration"
			if o.Duration == 0 {
				flag = "--rate"
			}
			bad(flag, "the scenario has no workload to change")
			return errors.Join(errs...)
		}
	}
	if o.Rate != 0 {
		if !(o.Rate > 0) || math.IsInf(o.Rate, 0) {
			bad("--rate", "want a positive number of actions per user per day, got %s", formatFloat(o.Rate))
		} else {
			s.Workload.ActionsPerUserPerDay = o.Rate
		}
	}
	if o.Duration != 0 {
		s.overrideDuration(o.Duration, func(format string, args ...any) { bad("--duration", format, args...) })
	}
	if len(errs) == 0 && s.Population != nil {
		if err := s.Population.Validate(); err != nil {
			bad("--users", "%v", err)
		}
	}
	// As the loader does, the workload is checked against the users too:
	// the busiest phase's rate and the total operations have limits.
	if len(errs) == 0 && s.Workload != nil {
		users := 0
		if s.Population != nil {
			users = s.Population.Users
		}
		if err := s.Workload.ValidateFor(users); err != nil {
			bad(o.sizeFlags(), "%v", err)
		}
	}
	return errors.Join(errs...)
}

// sizeFlags names the flags of o that change how much work the workload
// makes, which is where a workload that grew too big comes from.
func (o Overrides) sizeFlags() string {
	var given []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"--users", o.Users != 0}, {"--duration", o.Duration != 0}, {"--rate", o.Rate != 0}} {
		if f.set {
			given = append(given, f.name)
		}
	}
	switch len(given) {
	case 0:
		return "the workload"
	case 1:
		return given[0]
	}
	return strings.Join(given[:len(given)-1], ", ") + " and " + given[len(given)-1]
}

// overrideUsers sets population.users to n, lowering a default mean
// degree with it; everything else that counts users must still fit.
func (s *Scenario) overrideUsers(n int, bad func(string, ...any)) {
	p := s.Population
	if p == nil {
		bad("the scenario has no population to resize")
		return
	}
	if most := sim.MaxUsers - len(s.Users); n < 1 || n > most {
		bad("want from 1 to %d generated users, got %d", most, n)
		return
	}
	p.Users = n
	switch g := &p.Graph; {
	case !s.degreeGiven:
		g.MeanDegree = min(defaultMeanDegree, float64(n-1))
	case g.MeanDegree >= float64(n):
		bad("population.graph.mean_degree (%s) must be less than the users, got %d users", formatFloat(g.MeanDegree), n)
	}
	if g := p.Groups; g.Count > 0 && g.MinSize > n {
		bad("groups of at least %d members (population.groups.size) need at least %d users, got %d", g.MinSize, g.MinSize, n)
	}
	if w := s.Workload; w != nil {
		if b := w.BlockStorm; b != nil && b.Users > n {
			bad("workload.behaviours.block_storm.users (%d) must be at most the users, got %d", b.Users, n)
		}
		if sw := w.SpamWave; sw != nil && sw.Spammers > n {
			bad("workload.behaviours.spam_wave.spammers (%d) must be at most the users, got %d", sw.Spammers, n)
		}
	}
}

// overrideDuration sets workload.duration to d and scales the phases to
// it, keeping their shares of the whole; behaviours must still start
// before the end.
func (s *Scenario) overrideDuration(d time.Duration, bad func(string, ...any)) {
	w := s.Workload
	if d <= 0 {
		bad("want a positive duration, got %s", formatDuration(d))
		return
	}
	if len(w.Phases) > 0 {
		scale := float64(d) / float64(w.Duration)
		left := d
		for i := range w.Phases {
			p := &w.Phases[i]
			p.Duration = time.Duration(math.Round(float64(p.Duration) * scale))
			if i == len(w.Phases)-1 || p.Duration > left {
				p.Duration = left
			}
			left -= p.Duration
		}
	}
	w.Duration = d
	var late []string
	check := func(name string, at time.Duration) {
		if at >= d {
			late = append(late, fmt.Sprintf("workload.behaviours.%s.at (%s)", name, formatDuration(at)))
		}
	}
	if b := w.BlockStorm; b != nil {
		check("block_storm", b.At)
	}
	if sw := w.SpamWave; sw != nil {
		check("spam_wave", sw.At)
	}
	if r := w.ReportWave; r != nil {
		check("report_wave", r.At)
	}
	if len(late) > 0 {
		bad("the workload would end at %s, before %s", formatDuration(d), strings.Join(late, " and "))
	}
}

// String lists the overrides set as flags, in a fixed order; "" when
// none is.
func (o Overrides) String() string { return strings.Join(o.Flags(), " ") }

// Flags lists the overrides set, each as a flag and its value, in a
// fixed order.
func (o Overrides) Flags() []string {
	var parts []string
	if o.Users != 0 {
		parts = append(parts, fmt.Sprintf("--users %d", o.Users))
	}
	if o.Duration != 0 {
		parts = append(parts, "--duration "+formatDuration(o.Duration))
	}
	if o.Policy != "" {
		parts = append(parts, "--policy "+o.Policy)
	}
	if o.Rate != 0 {
		parts = append(parts, "--rate "+formatFloat(o.Rate))
	}
	return parts
}
