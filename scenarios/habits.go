package scenarios

import (
	"math"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/scenarios/workload"
)

// habits reads the realistic model's keys of the workload section f over
// the defaults in h.
func (l *loader) habits(f *fields, h *workload.Habits) {
	if v := f.val["replies"]; v != nil {
		path := join(workloadPath, "replies")
		if r, ok := l.mapping(v, path, []string{"direct", "group", "delay"}); ok {
			l.setShare(r, "direct", &h.Replies.Direct)
			l.setShare(r, "group", &h.Replies.Group)
			if d := r.val["delay"]; d != nil {
				l.delay(d, join(path, "delay"), &h.Replies.Delay)
			}
		}
	}
	for _, k := range []struct {
		key string
		d   *workload.Delay
	}{{"reads", &h.Read}, {"tidy", &h.Tidy}} {
		if v := f.val[k.key]; v != nil {
			path := join(workloadPath, k.key)
			if r, ok := l.mapping(v, path, []string{"delay"}); ok && r.has("delay") {
				l.delay(r.val["delay"], join(path, "delay"), k.d)
			}
		}
	}
	if v := f.val["ties"]; v != nil {
		path := join(workloadPath, "ties")
		if t, ok := l.mapping(v, path, []string{"strong", "exponent", "new_contacts"}); ok {
			if n := t.val["strong"]; n != nil {
				if k, ok := l.count(n, join(path, "strong"), 1, workload.MaxStrongTies); ok {
					h.Ties.Strong = k
				}
			}
			l.setNumber(t, "exponent", 0, workload.MaxTieExponent, &h.Ties.Exponent)
			l.setShare(t, "new_contacts", &h.Ties.NewContacts)
		}
	}
	if v := f.val["activity"]; v != nil {
		if a, ok := l.mapping(v, join(workloadPath, "activity"), []string{"top1pct_share"}); ok {
			l.setNumber(a, "top1pct_share", workload.MinTop1pctShare, workload.MaxTop1pctShare, &h.Activity.Top1pctShare)
		}
	}
	if v := f.val["sessions"]; v != nil {
		path := join(workloadPath, "sessions")
		if s, ok := l.mapping(v, path, []string{"actions", "gap"}); ok {
			l.setNumber(s, "actions", 1, workload.MaxSessionActions, &h.Sessions.Actions)
			if g := s.val["gap"]; g != nil {
				if d, ok := l.bounded(g, join(path, "gap"), 24*time.Hour); ok {
					h.Sessions.Gap = d
				}
			}
		}
	}
	if v := f.val["diurnal"]; v != nil {
		l.diurnal(v, &h.Diurnal)
	}
	l.setShare(f, "received_deletes", &h.ReceivedDeletes)
	l.setShare(f, "stale_actions", &h.Stale)
}

// setShare sets *x to the share at key of f, when f has it.
func (l *loader) setShare(f *fields, key string, x *float64) {
	if v := f.val[key]; v != nil {
		if s, ok := l.share(v, join(f.path, key)); ok {
			*x = s
		}
	}
}

// setNumber sets *x to the number at key of f, which must be in [lo, hi].
func (l *loader) setNumber(f *fields, key string, lo, hi float64, x *float64) {
	v := f.val[key]
	if v == nil {
		return
	}
	path := join(f.path, key)
	n, ok := l.number(v, path)
	if ok && (n < lo || n > hi) {
		l.errorf(v, path, "must be between %s and %s, got %s", formatFloat(lo), formatFloat(hi), formatFloat(n))
		return
	}
	if ok {
		*x = n
	}
}

// delay reads {median, p90} over the defaults in d.
func (l *loader) delay(n *yaml.Node, path string, d *workload.Delay) {
	f, ok := l.mapping(n, path, []string{"median", "p90"})
	if !ok {
		return
	}
	got := *d
	if m := f.val["median"]; m != nil {
		if got.Median, ok = l.bounded(m, join(path, "median"), workload.MaxDuration); !ok {
			return
		}
	}
	if p := f.val["p90"]; p != nil {
		if got.P90, ok = l.bounded(p, join(path, "p90"), workload.MaxDuration); !ok {
			return
		}
		if got.P90 < got.Median {
			l.errorf(p, join(path, "p90"), "must not be below the median (%s), got %s", formatDuration(got.Median), formatDuration(got.P90))
			return
		}
	} else if got.P90 < got.Median {
		l.errorf(f.node, path, "the median %s is above the default p90 %s; set p90 too", formatDuration(got.Median), formatDuration(got.P90))
		return
	}
	*d = got
}

// diurnal reads {amplitude, peak, time_zones: [{offset, share}]}.
func (l *loader) diurnal(n *yaml.Node, d *workload.Diurnal) {
	path := join(workloadPath, "diurnal")
	f, ok := l.mapping(n, path, []string{"amplitude", "peak", "time_zones"})
	if !ok {
		return
	}
	l.setShare(f, "amplitude", &d.Amplitude)
	if v := f.val["peak"]; v != nil {
		if p, ok := l.duration(v, join(path, "peak")); ok {
			if p >= 24*time.Hour {
				l.errorf(v, join(path, "peak"), "must be a time of day, under 24h, got %s", formatDuration(p))
			} else {
				d.Peak = p
			}
		}
	}
	v := f.val["time_zones"]
	if v == nil {
		return
	}
	zp := join(path, "time_zones")
	items, ok := l.list(v, zp, "time zones {offset, share}")
	if !ok {
		return
	}
	switch {
	case len(items) == 0:
		l.errorf(l.resolve(v), zp, "want at least one time zone, or leave time_zones out for the default ones")
		return
	case len(items) > workload.MaxTimeZones:
		l.errorf(l.resolve(v), zp, "at most %d time zones, got %d", workload.MaxTimeZones, len(items))
		return
	}
	var zones []workload.TimeZone
	sum := 0.0
	for i, item := range items {
		p := index(zp, i)
		z, ok := l.mapping(item, p, []string{"offset", "share"})
		if !ok || !l.require(z, "a time zone", "offset", "share") {
			return
		}
		off, okO := l.offset(z.val["offset"], join(p, "offset"))
		share, okS := l.share(z.val["share"], join(p, "share"))
		if !okO || !okS {
			return
		}
		zones = append(zones, workload.TimeZone{Offset: off, Share: share})
		sum += share
	}
	if math.Abs(sum-1) > 1e-6 {
		l.errorf(l.resolve(v), zp, "the shares add up to %s; they must add up to 1", formatFloat(sum))
		return
	}
	d.Zones = zones
}

// offset reads a time zone's offset from UTC: a duration with an optional
// sign, such as -5h, +5h30m or 0, from -12h to +14h.
func (l *loader) offset(n *yaml.Node, path string) (time.Duration, bool) {
	const want = "an offset from UTC such as -5h, +5h30m or 0"
	s, ok := l.scalar(n, path, want)
	if !ok {
		return 0, false
	}
	text, neg := s.Value, false
	switch {
	case strings.HasPrefix(text, "-"):
		text, neg = text[1:], true
	case strings.HasPrefix(text, "+"):
		text = text[1:]
	}
	d, err := parseDuration(text)
	if err != nil || (s.ShortTag() != "!!str" && !(s.ShortTag() == "!!int" && d == 0)) {
		l.errorf(s, path, "want %s, got %s", want, describe(s))
		return 0, false
	}
	if neg {
		d = -d
	}
	if d < workload.MinTimeZone || d > workload.MaxTimeZone {
		l.errorf(s, path, "must be between -12h and +14h, got %s", s.Value)
		return 0, false
	}
	return d, true
}
