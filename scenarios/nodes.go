package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// aliasBudget bounds how many aliases a file may expand, so that a small
// file of aliases to lists of aliases ("billion laughs") cannot make Load
// walk for ages.
const aliasBudget = 10000

// loader walks the yaml.Node tree of one file and collects every problem.
type loader struct {
	file    string
	errs    ErrorList
	aliases int // aliases expanded so far
	// stopped is set when the file expands too many aliases: from then on
	// aliases stand for nothing and no further problem is recorded, since
	// each would only echo the first.
	stopped bool
	// degreeGiven is set when the file gives population.graph.mean_degree.
	degreeGiven bool
}

func (l *loader) pos(n *yaml.Node) Pos {
	return Pos{File: l.file, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// errorf records a problem with the field at path, found at node n.
func (l *loader) errorf(n *yaml.Node, path, format string, args ...any) {
	if l.stopped {
		return
	}
	l.errs = append(l.errs, &Error{Pos: l.pos(n), Path: path, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows n through aliases to the node it stands for.
func (l *loader) resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n.Kind == yaml.AliasNode; depth++ {
		l.aliases++
		switch {
		case n.Alias == nil || depth > 100:
			l.errorf(n, "", "alias *%s stands for nothing usable", n.Value)
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
		case l.aliases > aliasBudget:
			l.errorf(n, "", "too many alias expansions; a scenario file may expand at most %d aliases", aliasBudget)
			l.stopped = true
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n.Line, Column: n.Column}
		}
		n = n.Alias
	}
	return n
}

// lineCol formats where n is, for "first at" notes.
func lineCol(n *yaml.Node) string { return fmt.Sprintf("%d:%d", n.Line, n.Column) }

// plural formats n things: 1 name, 3 names.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// article returns word with "a" or "an" before it.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

// join returns the path of field key inside path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index returns the path of element i of the list at path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names what n is, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		case "!!str":
			return strconv.Quote(short(n.Value))
		}
		return n.ShortTag() + " " + strconv.Quote(short(n.Value))
	}
	return "an alias"
}

// short cuts s for quoting in a message.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

// fields is a mapping whose keys were checked against the known ones.
type fields struct {
	node *yaml.Node // the mapping, for the position of missing fields
	path string
	key  map[string]*yaml.Node
	val  map[string]*yaml.Node
	// typos are the known keys that an unknown key was reported as a
	// likely misspelling of; a missing-field error for them would repeat it.
	typos map[string]bool
}

func (f *fields) has(k string) bool { return f.val[k] != nil }

// missing reports whether f lacks k without a misspelt key standing for it.
func (f *fields) missing(k string) bool { return !f.has(k) && !f.typos[k] }

// mapping checks that n is a mapping (or nothing, an empty one) whose keys
// are all among known, each once, and returns its fields. Merge keys (<<)
// are expanded; explicit keys win over merged ones.
func (l *loader) mapping(n *yaml.Node, path string, known []string) (*fields, bool) {
	n = l.resolve(n)
	f := &fields{node: n, path: path, key: map[string]*yaml.Node{}, val: map[string]*yaml.Node{}, typos: map[string]bool{}}
	if isNull(n) {
		return f, true
	}
	if n.Kind != yaml.MappingNode {
		l.errorf(n, path, "want a mapping with keys %s, got %s", strings.Join(known, ", "), describe(n))
		return f, false
	}
	var merged []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := l.resolve(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			l.errorf(k, path, "want a key name, got %s", describe(k))
			continue
		}
		if first, dup := f.key[k.Value]; dup {
			l.errorf(k, join(path, k.Value), "duplicate key (first at %s)", lineCol(first))
			continue
		}
		f.key[k.Value] = k
		if !contains(known, k.Value) {
			l.errorf(k, path, "%s", unknown("key", k.Value, known))
			if c := closest(k.Value, known); c != "" {
				f.typos[c] = true
			}
			continue
		}
		f.val[k.Value] = v
	}
	for _, m := range merged {
		l.merge(f, m, known)
	}
	return f, true
}

// merge adds the fields of the merged mapping (or list of mappings) m that
// f does not set itself.
func (l *loader) merge(f *fields, m *yaml.Node, known []string) {
	m = l.resolve(m)
	sources := []*yaml.Node{m}
	if m.Kind == yaml.SequenceNode {
		sources = m.Content
	}
	for _, src := range sources {
		src = l.resolve(src)
		if src.Kind != yaml.MappingNode {
			l.errorf(src, f.path, "a merge (<<) wants a mapping or a list of mappings, got %s", describe(src))
			continue
		}
		inner, ok := l.mapping(src, f.path, known)
		if !ok {
			continue
		}
		for k, v := range inner.val {
			if _, set := f.key[k]; !set {
				f.key[k], f.val[k] = inner.key[k], v
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// require reports each of keys that f lacks and says whether all are there.
func (l *loader) require(f *fields, what string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if f.missing(k) {
			l.errorf(f.node, f.path, "%s needs %s", what, k)
		}
		ok = ok && f.has(k)
	}
	return ok
}

// list checks that n is a list (or nothing, an empty one) and returns its
// elements.
func (l *loader) list(n *yaml.Node, path, of string) ([]*yaml.Node, bool) {
	n = l.resolve(n)
	switch {
	case isNull(n):
		return nil, true
	case n.Kind != yaml.SequenceNode:
		l.errorf(n, path, "want a list of %s, got %s", of, describe(n))
		return nil, false
	}
	return n.Content, true
}

// scalar returns n as a scalar, or reports what it wants instead.
func (l *loader) scalar(n *yaml.Node, path, want string) (*yaml.Node, bool) {
	n = l.resolve(n)
	if n.Kind != yaml.ScalarNode || isNull(n) {
		l.errorf(n, path, "want %s, got %s", want, describe(n))
		return n, false
	}
	return n, true
}

// str returns a string scalar.
func (l *loader) str(n *yaml.Node, path, want string) (string, bool) {
	s, ok := l.scalar(n, path, want)
	if !ok {
		return "", false
	}
	if s.ShortTag() != "!!str" {
		l.errorf(s, path, "want %s, got %s (quote it to make it a string)", want, describe(s))
		return "", false
	}
	return s.Value, true
}

// name returns a non-empty string naming a user, group or message.
func (l *loader) name(n *yaml.Node, path string) (string, bool) {
	s, ok := l.str(n, path, "a name")
	if ok && s == "" {
		l.errorf(n, path, "a name must not be empty")
		return "", false
	}
	return s, ok
}

// text returns any scalar as written, for message texts: `text: 42` is "42".
func (l *loader) text(n *yaml.Node, path string) (string, bool) {
	s, ok := l.scalar(n, path, "a text")
	return s.Value, ok
}

func (l *loader) boolean(n *yaml.Node, path string) (bool, bool) {
	s, ok := l.scalar(n, path, "true or false")
	if !ok {
		return false, false
	}
	var b bool
	if s.ShortTag() != "!!bool" || s.Decode(&b) != nil {
		l.errorf(s, path, "want true or false, got %s", describe(s))
		return false, false
	}
	return b, true
}

func (l *loader) integer(n *yaml.Node, path string) (int64, bool) {
	s, ok := l.scalar(n, path, "an integer")
	if !ok {
		return 0, false
	}
	var i int64
	if s.ShortTag() != "!!int" || s.Decode(&i) != nil {
		l.errorf(s, path, "want an integer, got %s", describe(s))
		return 0, false
	}
	return i, true
}

// count returns an integer in [lo, hi].
func (l *loader) count(n *yaml.Node, path string, lo, hi int64) (int, bool) {
	i, ok := l.integer(n, path)
	switch {
	case !ok:
		return 0, false
	case i < lo:
		l.errorf(n, path, "must be at least %d, got %d", lo, i)
		return 0, false
	case i > hi:
		l.errorf(n, path, "must be at most %d, got %d", hi, i)
		return 0, false
	}
	return int(i), true
}

// number returns a finite integer or float.
func (l *loader) number(n *yaml.Node, path string) (float64, bool) {
	s, ok := l.scalar(n, path, "a number")
	if !ok {
		return 0, false
	}
	var f float64
	if t := s.ShortTag(); (t != "!!int" && t != "!!float") || s.Decode(&f) != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		l.errorf(s, path, "want a number, got %s", describe(s))
		return 0, false
	}
	return f, true
}

// share returns a number in [0, 1].
func (l *loader) share(n *yaml.Node, path string) (float64, bool) {
	f, ok := l.number(n, path)
	if ok && (f < 0 || f > 1) {
		l.errorf(n, path, "must be between 0 and 1, got %s", formatFloat(f))
		return 0, false
	}
	return f, ok
}

// duration returns a non-negative duration: a Go duration, days (2d), or 0.
func (l *loader) duration(n *yaml.Node, path string) (time.Duration, bool) {
	const want = "a duration with a unit (ns, us, ms, s, m, h, d), like 90s, 2m, 1h30m or 2d"
	s, ok := l.scalar(n, path, want)
	if !ok {
		return 0, false
	}
	d, err := parseDuration(s.Value)
	if t := s.ShortTag(); err != nil || (t != "!!str" && !(t == "!!int" && d == 0)) {
		l.errorf(s, path, "want %s, got %s", want, describe(s))
		return 0, false
	}
	if d < 0 {
		l.errorf(s, path, "must not be negative, got %s", s.Value)
		return 0, false
	}
	return d, true
}

// positive returns a duration greater than zero.
func (l *loader) positive(n *yaml.Node, path string) (time.Duration, bool) {
	d, ok := l.duration(n, path)
	if ok && d == 0 {
		l.errorf(n, path, "must be positive, got 0")
		return 0, false
	}
	return d, ok
}
