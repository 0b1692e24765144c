package scenarios

import (
	"fmt"
	"strings"
)

// Limits on what unknown does with long candidate lists, such as the users
// of a big script: a message lists at most maxListed, and a search for a
// typo looks at most at maxSearched.
const (
	maxListed   = 20
	maxSearched = 1000
)

// unknown formats the message for a word that is not one of want: it names
// the closest candidate when one is close enough to be a typo, and lists
// the candidates otherwise.
func unknown(what, got string, want []string) string {
	if len(want) <= maxSearched {
		if s := closest(got, want); s != "" {
			return fmt.Sprintf("unknown %s %q (did you mean %q?)", what, got, s)
		}
	}
	if len(want) > maxListed {
		return fmt.Sprintf("unknown %s %q", what, got)
	}
	return fmt.Sprintf("unknown %s %q; want one of %s", what, got, strings.Join(want, ", "))
}

// closest returns the candidate nearest to s by edit distance, or "" when
// none is near enough to be a typo of s.
func closest(s string, candidates []string) string {
	if len(s) > 64 {
		return "" // no keyword is that long; spare the quadratic distance
	}
	best, bestD := "", -1
	for _, c := range candidates {
		d := distance(strings.ToLower(s), strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	limit := 1
	switch n := len([]rune(s)); {
	case n > 8:
		limit = 3
	case n > 3:
		limit = 2
	}
	if bestD <= limit {
		return best
	}
	// A prefix is a typo too: p99 for p99_latency, deterministic for det.
	if len(s) >= 3 {
		for _, c := range candidates {
			if strings.HasPrefix(c, s) || strings.HasPrefix(s, c) {
				return c
			}
		}
	}
	return ""
}

// distance is the Levenshtein distance between a and b, counted in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
