package scenarios

import (
	"math"
	"strconv"
	"strings"
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

// workloadKeys are the keys of the workload section; habitKeys those of
// them that only the realistic model reads.
var (
	workloadKeys = append([]string{"model", "duration", "actions_per_user_per_day", "mix", "behaviours", "phases"}, habitKeys...)
	habitKeys    = []string{"replies", "reads", "tidy", "ties", "activity", "sessions", "diurnal", "received_deletes", "stale_actions"}
)

// workload reads the workload section. pop is the population it drives,
// nil when the file has none or it is unusable.
func (l *loader) workload(n *yaml.Node, pop *workload.Population) *workload.Workload {
	f, ok := l.mapping(n, workloadPath, workloadKeys)
	if !ok {
		return nil
	}
	w := &workload.Workload{Duration: defaultDuration, ActionsPerUserPerDay: defaultActionsPerDay, Mix: workload.DefaultMix(),
		Model: workload.Realistic, Habits: workload.DefaultHabits()}
	if v := f.val["model"]; v != nil {
		if m, ok := l.str(v, "workload.model", "uniform or realistic"); ok {
			switch m {
			case workload.Uniform, workload.Realistic:
				w.Model = m
			default:
				l.errorf(v, "workload.model", "%s", unknown("workload model", m, []string{workload.Uniform, workload.Realistic}))
			}
		}
	}
	if w.Model == workload.Realistic {
		l.habits(f, &w.Habits)
	} else {
		w.Habits = workload.Habits{}
		for _, k := range habitKeys {
			if f.has(k) {
				l.errorf(f.key[k], join(workloadPath, k), "applies to model realistic, but workload.model is %s", w.Model)
			}
		}
	}
	durationOK := true
	if v := f.val["duration"]; v != nil {
		w.Duration, durationOK = l.bounded(v, "workload.duration", workload.MaxDuration)
	}
	if v := f.val["actions_per_user_per_day"]; v != nil {
		if r, ok := l.number(v, "workload.actions_per_user_per_day"); ok {
			switch {
			case r <= 0:
				l.errorf(v, "workload.actions_per_user_per_day", "must be positive, got %s", formatFloat(r))
			case r > workload.MaxActionsPerUserPerDay:
				l.errorf(v, "workload.actions_per_user_per_day", "must be at most %d (more than one a second, all day), got %s",
					workload.MaxActionsPerUserPerDay, formatFloat(r))
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
	var spamAt *yaml.Node
	if v := f.val["behaviours"]; v != nil && durationOK {
		spamAt = l.behaviours(v, w, pop)
	}
	if pop != nil && pop.Users > 0 && len(l.errs) == 0 {
		l.workloadSize(f, spamAt, w, pop.Users)
	}
	return w
}

// bounded reads a positive duration of at most most.
func (l *loader) bounded(n *yaml.Node, path string, most time.Duration) (time.Duration, bool) {
	d, ok := l.positive(n, path)
	if ok && d > most {
		l.errorf(n, path, "must be at most %s, got %s", formatDuration(most), formatDuration(d))
		return most, false
	}
	return d, ok
}

// workloadSize checks the limits that depend on the population: how fast
// operations come in simulated time, how many there are, and what the
// uniform model's report wave keeps.
func (l *loader) workloadSize(f *fields, spamAt *yaml.Node, w *workload.Workload, users int) {
	at := f.node
	if v := f.val["actions_per_user_per_day"]; v != nil {
		at = v
	}
	if r := workload.PeakRate(users, *w); r > workload.MaxRate {
		l.errorf(at, "workload.actions_per_user_per_day", "%s users at %s actions a day come to %s operations a simulated second in the busiest phase; at most %s",
			thousands(float64(users)), formatFloat(w.ActionsPerUserPerDay), thousands(r), thousands(workload.MaxRate))
	}
	if n := workload.ExpectedOperations(users, *w); n > workload.MaxOperations {
		l.errorf(f.node, workloadPath, "the workload would generate about %s operations (users × actions a day × days, and its behaviours); at most %s",
			thousands(n), thousands(workload.MaxOperations))
	}
	if s, r := w.SpamWave, w.ReportWave; w.Model == workload.Uniform && s != nil && r != nil &&
		float64(min(s.Spammers, users))*float64(s.MessagesEach) > maxUniformReportedSpam {
		l.errorf(spamAt, join(behavioursPath, "spam_wave"), "under model uniform a report wave keeps every spam message sent before it (16 bytes each); "+
			"at most %s messages (spammers × messages_each), or use model realistic", thousands(maxUniformReportedSpam))
	}
}

// maxUniformReportedSpam bounds the spam the uniform model's report wave
// remembers (160 MB) and sorts, in one step of the stream, when it starts
// (about two seconds).
const maxUniformReportedSpam = 10_000_000

// thousands formats a count with thousands separators.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
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
		d, okD := l.bounded(f.val["duration"], join(p, "duration"), workload.MaxDuration)
		r, okR := l.number(f.val["rate"], join(p, "rate"))
		switch {
		case okR && r < 0:
			l.errorf(f.val["rate"], join(p, "rate"), "must not be negative, got %s", formatFloat(r))
			okR = false
		case okR && r > workload.MaxPhaseRate:
			l.errorf(f.val["rate"], join(p, "rate"), "must be at most %d, got %s", workload.MaxPhaseRate, formatFloat(r))
			okR = false
		}
		if !okD || !okR {
			ok = false
			continue
		}
		if sum+d > workload.MaxDuration {
			l.errorf(f.val["duration"], join(p, "duration"), "the phases add up to more than %s", formatDuration(workload.MaxDuration))
			return 0, false
		}
		sum += d
		w.Phases = append(w.Phases, workload.Phase{Duration: d, Rate: r})
	}
	return sum, ok
}

// behaviours reads the scripted behaviours of a workload and returns the
// spam wave's node, if any.
func (l *loader) behaviours(n *yaml.Node, w *workload.Workload, pop *workload.Population) *yaml.Node {
	f, ok := l.mapping(n, behavioursPath, []string{"regret", "block_storm", "spam_wave", "report_wave"})
	if !ok {
		return nil
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
	return f.key["spam_wave"]
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
				r.Median, ok = l.bounded(m, join(dp, "median"), workload.MaxDuration)
			}
			if p := d.val["p99"]; p != nil && ok {
				if r.P99, ok = l.bounded(p, join(dp, "p99"), workload.MaxDuration); ok && r.P99 < r.Median {
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
	if k, ok := l.integer(f.val["spammers"], join(path, "spammers")); !ok {
		return s
	} else if k > workload.MaxSpammers {
		l.errorf(f.val["spammers"], join(path, "spammers"), "must be at most %s, got %d", thousands(workload.MaxSpammers), k)
		return s
	}
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
