package scenarios

import (
	"math"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// Workload defaults.
const (
	defaultDuration      = 24 * time.Hour
	defaultActionsPerDay = 20
	defaultRegretMedian  = 2 * time.Minute
	defaultRegretP99     = 2 * time.Hour
	workloadPath         = "workload"
	behavioursPath       = "workload.behaviours"
)

// workload reads the workload section. pop is the population it drives,
// nil when the file has none or it is unusable.
func (l *loader) workload(n *yaml.Node, pop *workload.Population) *workload.Workload {
	f, ok := l.mapping(n, workloadPath, []string{"duration", "actions_per_user_per_day", "mix", "behaviours", "phases"})
	if !ok {
		return nil
	}
	w := &workload.Workload{Duration: defaultDuration, ActionsPerUserPerDay: defaultActionsPerDay, Mix: workload.DefaultMix()}
	durationOK := true
	if v := f.val["duration"]; v != nil {
		w.Duration, durationOK = l.positive(v, "workload.duration")
	}
	if v := f.val["actions_per_user_per_day"]; v != nil {
		if r, ok := l.number(v, "workload.actions_per_user_per_day"); ok {
			if r <= 0 {
				l.errorf(v, "workload.actions_per_user_per_day", "must be positive, got %s", formatFloat(r))
			}
			w.ActionsPerUserPerDay = r
		}
	}
	if v := f.val["mix"]; v != nil {
		l.mix(v, &w.Mix)
	}
	if v := f.val["phases"]; v != nil {
		sum, ok := l.phases(v, w)
		switch {
		case !ok || !durationOK:
		case !f.has("duration"):
			w.Duration = sum
		case sum != w.Duration:
			l.errorf(f.key["phases"], "workload.phases", "the phases add up to %s but workload.duration is %s; they must cover it exactly", formatDuration(sum), formatDuration(w.Duration))
		}
	}
	if v := f.val["behaviours"]; v != nil && durationOK {
		l.behaviours(v, w, pop)
	}
	return w
}

// mix reads the action weights; a mix replaces the default one whole.
func (l *loader) mix(n *yaml.Node, mix *[sim.NumActions]float64) {
	const path = "workload.mix"
	f, ok := l.mapping(n, path, stepKeys[:sim.NumActions])
	if !ok {
		return
	}
	*mix = [sim.NumActions]float64{}
	total := 0.0
	for _, a := range sim.Actions() {
		v := f.val[a.String()]
		if v == nil {
			continue
		}
		w, ok := l.number(v, join(path, a.String()))
		if !ok {
			return
		}
		if w < 0 {
			l.errorf(v, join(path, a.String()), "a weight must not be negative, got %s", formatFloat(w))
			return
		}
		mix[a] = w
		total += w
	}
	if total <= 0 || math.IsInf(total, 0) {
		l.errorf(f.node, path, "the weights add up to %s; at least one must be positive", formatFloat(total))
	}
}

// phases reads the rate phases and returns their total duration.
func (l *loader) phases(n *yaml.Node, w *workload.Workload) (time.Duration, bool) {
	const path = "workload.phases"
	items, ok := l.list(n, path, "phases {duration, rate}")
	if !ok {
		return 0, false
	}
	if len(items) == 0 {
		l.errorf(l.resolve(n), path, "want at least one phase, or leave phases out for one phase at rate 1")
		return 0, false
	}
	var sum time.Duration
	for i, item := range items {
		p := index(path, i)
		f, okF := l.mapping(item, p, []string{"duration", "rate"})
		if !okF || !l.require(f, "a phase", "duration", "rate") {
			ok = false
			continue
		}
		d, okD := l.positive(f.val["duration"], join(p, "duration"))
		r, okR := l.number(f.val["rate"], join(p, "rate"))
		if okR && r < 0 {
			l.errorf(f.val["rate"], join(p, "rate"), "must not be negative, got %s", formatFloat(r))
			okR = false
		}
		if !okD || !okR {
			ok = false
			continue
		}
		if sum > math.MaxInt64-d {
			l.errorf(f.val["duration"], join(p, "duration"), "the phases are too long")
			return 0, false
		}
		sum += d
		w.Phases = append(w.Phases, workload.Phase{Duration: d, Rate: r})
	}
	return sum, ok
}

// behaviours reads the scripted behaviours of a workload.
func (l *loader) behaviours(n *yaml.Node, w *workload.Workload, pop *workload.Population) {
	f, ok := l.mapping(n, behavioursPath, []string{"regret", "block_storm", "spam_wave", "report_wave"})
	if !ok {
		return
	}
	users := math.MaxInt
	if pop != nil && pop.Users > 0 {
		users = pop.Users
	}
	if v := f.val["regret"]; v != nil {
		w.Regret = l.regret(v)
	}
	if v := f.val["block_storm"]; v != nil {
		w.BlockStorm = l.blockStorm(v, w.Duration, users)
	}
	if v := f.val["spam_wave"]; v != nil {
		w.SpamWave = l.spamWave(v, w.Duration, users)
	}
	if v := f.val["report_wave"]; v != nil {
		if !f.has("spam_wave") {
			l.errorf(f.key["report_wave"], join(behavioursPath, "report_wave"), "a report wave reports spammers; add a spam_wave")
		}
		w.ReportWave = l.reportWave(v, w.Duration)
	}
}

// regret reads {share, delay: {median, p99}, for: me|everyone, fallback: me}.
func (l *loader) regret(n *yaml.Node) *workload.Regret {
	path := join(behavioursPath, "regret")
	f, ok := l.mapping(n, path, []string{"share", "delay", "for", "fallback"})
	if !ok {
		return nil
	}
	r := &workload.Regret{Median: defaultRegretMedian, P99: defaultRegretP99}
	if l.require(f, "regret", "share") {
		r.Share, _ = l.share(f.val["share"], join(path, "share"))
	}
	if v := f.val["delay"]; v != nil {
		dp := join(path, "delay")
		d, ok := l.mapping(v, dp, []string{"median", "p99"})
		if ok {
			if m := d.val["median"]; m != nil {
				r.Median, ok = l.positive(m, join(dp, "median"))
			}
			if p := d.val["p99"]; p != nil && ok {
				if r.P99, ok = l.positive(p, join(dp, "p99")); ok && r.P99 < r.Median {
					l.errorf(p, join(dp, "p99"), "must not be below the median (%s), got %s", formatDuration(r.Median), formatDuration(r.P99))
				}
			} else if ok && r.P99 < r.Median {
				l.errorf(d.node, dp, "the median %s is above the default p99 %s; set p99 too", formatDuration(r.Median), formatDuration(r.P99))
			}
		}
	}
	if v := f.val["for"]; v != nil {
		if scope, ok := l.str(v, join(path, "for"), "me or everyone"); ok {
			switch scope {
			case "everyone":
				r.Everyone = true
			case "me":
			default:
				l.errorf(v, join(path, "for"), "%s", unknown("delete scope", scope, []string{"me", "everyone"}))
			}
		}
	}
	if v := f.val["fallback"]; v != nil {
		if scope, ok := l.str(v, join(path, "fallback"), "me"); ok {
			switch {
			case scope != "me":
				l.errorf(v, join(path, "fallback"), "%s", unknown("fallback", scope, []string{"me"}))
			case !r.Everyone:
				l.errorf(f.key["fallback"], join(path, "fallback"), "a fallback follows a delete for everyone; add for: everyone")
			default:
				r.Fallback = true
			}
		}
	}
	return r
}

// at reads a behaviour's start time, which must fall inside the workload.
func (l *loader) at(f *fields, end time.Duration) time.Duration {
	v := f.val["at"]
	if v == nil {
		return 0
	}
	path := join(f.path, "at")
	d, ok := l.duration(v, path)
	if ok && d >= end {
		l.errorf(v, path, "%s is not before the end of the workload (%s)", formatDuration(d), formatDuration(end))
	}
	return d
}

func (l *loader) blockStorm(n *yaml.Node, end time.Duration, users int) *workload.BlockStorm {
	path := join(behavioursPath, "block_storm")
	f, ok := l.mapping(n, path, []string{"at", "users"})
	if !ok || !l.require(f, "block_storm", "at", "users") {
		return nil
	}
	b := &workload.BlockStorm{At: l.at(f, end)}
	b.Users = l.someUsers(f.val["users"], join(path, "users"), users)
	return b
}

func (l *loader) spamWave(n *yaml.Node, end time.Duration, users int) *workload.SpamWave {
	path := join(behavioursPath, "spam_wave")
	f, ok := l.mapping(n, path, []string{"at", "spammers", "messages_each"})
	if !ok || !l.require(f, "spam_wave", "at", "spammers", "messages_each") {
		return nil
	}
	s := &workload.SpamWave{At: l.at(f, end)}
	s.Spammers = l.someUsers(f.val["spammers"], join(path, "spammers"), users)
	s.MessagesEach, _ = l.count(f.val["messages_each"], join(path, "messages_each"), 1, math.MaxInt32)
	return s
}

// someUsers reads how many of the population's users a behaviour involves.
func (l *loader) someUsers(n *yaml.Node, path string, users int) int {
	k, ok := l.count(n, path, 1, math.MaxInt32)
	if ok && k > users {
		l.errorf(n, path, "must be at most population.users (%d), got %d", users, k)
	}
	return k
}

func (l *loader) reportWave(n *yaml.Node, end time.Duration) *workload.ReportWave {
	path := join(behavioursPath, "report_wave")
	f, ok := l.mapping(n, path, []string{"at", "share", "block"})
	if !ok || !l.require(f, "report_wave", "at", "share") {
		return nil
	}
	r := &workload.ReportWave{At: l.at(f, end)}
	r.Share, _ = l.share(f.val["share"], join(path, "share"))
	if v := f.val["block"]; v != nil {
		r.Block, _ = l.boolean(v, join(path, "block"))
	}
	return r
}
