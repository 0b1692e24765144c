package scenarios

import (
	"errors"
	"regexp"
	"strconv"
	"time"
)

// errDuration is parseDuration's complaint; callers phrase it for the file.
var errDuration = errors.New("scenarios: invalid duration")

var (
	durationSyntax = regexp.MustCompile(`^-?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d))+$`)
	daysTerm       = regexp.MustCompile(`(\d+\.?\d*|\.\d+)d`)
)

// parseDuration parses a Go duration (90s, 2m, 1h30m) that may also count
// days (2d, 1d12h), or a bare 0.
func parseDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	if !durationSyntax.MatchString(s) {
		return 0, errDuration
	}
	var bad bool
	s = daysTerm.ReplaceAllStringFunc(s, func(term string) string {
		days, err := strconv.ParseFloat(term[:len(term)-1], 64)
		if err != nil || days*24 > float64(1<<53) {
			bad = true
			return term
		}
		return strconv.FormatFloat(days*24, 'f', -1, 64) + "h"
	})
	if bad {
		return 0, errDuration
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errDuration
	}
	return d, nil
}

// formatDuration writes d as a file would, without trailing zero units:
// 1h30m rather than 1h30m0s.
func formatDuration(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	s := d.String()
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
			s = s[:len(s)-len(suffix)+1]
		}
	}
	return s
}

// formatFloat writes f in its shortest exact form.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
