package scenarios

import (
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// options reads how the scenario runs: pace, mode, seed and thresholds.
func (l *loader) options(top *fields, s *Scenario) {
	if v := top.val["pace"]; v != nil {
		if p, ok := l.pace(v); ok {
			s.Pace = p
		}
	}
	if v := top.val["mode"]; v != nil {
		if m, ok := l.str(v, "mode", "a mode"); ok {
			if mode, ok := sim.ParseMode(m); ok {
				s.Mode = mode
			} else {
				l.errorf(v, "mode", "%s", unknown("mode", m, modeNames()))
			}
		}
	}
	if v := top.val["seed"]; v != nil {
		if seed, ok := l.seed(v); ok {
			s.Seed = seed
		}
	}
	if v := top.val["thresholds"]; v != nil {
		items, _ := l.list(v, "thresholds", `conditions like "violations == 0"`)
		for i, item := range items {
			path := index("thresholds", i)
			src, ok := l.str(item, path, `a condition like "p99_latency < 5ms"`)
			if !ok {
				continue
			}
			t, err := parseThreshold(src)
			if err != nil {
				l.errorf(item, path, "%v", err)
				continue
			}
			t.Pos = l.pos(l.resolve(item))
			s.Thresholds = append(s.Thresholds, t)
		}
	}
}

// pace reads `max`, `60x` or `50000/s`.
func (l *loader) pace(n *yaml.Node) (Pace, bool) {
	const want = "max, a speedup like 60x or a rate like 50000/s"
	s, ok := l.scalar(n, "pace", want)
	if !ok {
		return Pace{}, false
	}
	if s.ShortTag() == "!!str" {
		v := s.Value
		switch {
		case v == "max":
			return Pace{Max: true}, true
		case strings.HasSuffix(v, "x"):
			if f, ok := positiveFloat(strings.TrimSuffix(v, "x")); ok {
				return Pace{Speedup: f}, true
			}
		case strings.HasSuffix(v, "/s"):
			if f, ok := positiveFloat(strings.TrimSuffix(v, "/s")); ok {
				return Pace{OpsPerSec: f}, true
			}
		}
	}
	l.errorf(s, "pace", "want %s, got %s", want, describe(s))
	return Pace{}, false
}

func positiveFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && f > 0 && !math.IsInf(f, 0) && s == strings.TrimSpace(s)
}

// seed reads a non-negative 64-bit integer.
func (l *loader) seed(n *yaml.Node) (uint64, bool) {
	s, ok := l.scalar(n, "seed", "an integer from 0 to 18446744073709551615")
	if !ok {
		return 0, false
	}
	var u uint64
	if s.ShortTag() != "!!int" || s.Decode(&u) != nil {
		l.errorf(s, "seed", "want an integer from 0 to 18446744073709551615, got %s", describe(s))
		return 0, false
	}
	return u, true
}

// modeNames lists the modes a scenario may name.
func modeNames() []string {
	var ns []string
	for m := range sim.NumModes {
		ns = append(ns, m.String())
	}
	return ns
}
