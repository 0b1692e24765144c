package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Mutant is one planted behaviour bug: a small source edit that a
// plausible mistake would make. Old must occur exactly once in File.
type Mutant struct {
	ID   string // M01, M02...
	Rule string // the rule or part it breaks: R1..R11, a knob, engine
	Doc  string // what the bug is, in a line
	File string // relative to the repository's root
	Old  string
	New  string
	// Equivalent, when set, argues why no run can observe the mutant: it
	// is then listed but not required to be killed.
	Equivalent string
	Line       int // where the mutant starts in the catalogue, for errors
}

// parseCatalogue reads a catalogue of mutants. Each mutant is a header
// line "== ID RULE: doc", then "file: PATH", an optional "equivalent:
// reason", and the blocks "--- old" and "--- new", each running to the next
// "--- " line, "== " line or the end. Lines before the first header and
// lines starting with "#" outside blocks are comments.
func parseCatalogue(r io.Reader, name string) ([]Mutant, error) {
	var (
		ms    []Mutant
		cur   *Mutant
		block *string
		lines []string
		errs  []string
	)
	flush := func() {
		if block != nil {
			*block = strings.TrimRight(strings.Join(lines, "\n"), "\n")
		}
		block, lines = nil, nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "== "):
			flush()
			id, rest, _ := strings.Cut(strings.TrimPrefix(line, "== "), " ")
			rule, doc, ok := strings.Cut(rest, ": ")
			if !ok || id == "" {
				errs = append(errs, fmt.Sprintf("%s:%d:1: want \"== ID RULE: what the bug is\"", name, n))
			}
			ms = append(ms, Mutant{ID: id, Rule: rule, Doc: doc, Line: n})
			cur = &ms[len(ms)-1]
		case cur == nil:
		case strings.HasPrefix(line, "--- "):
			flush()
			switch strings.TrimSpace(strings.TrimPrefix(line, "--- ")) {
			case "old":
				block = &cur.Old
			case "new":
				block = &cur.New
			default:
				errs = append(errs, fmt.Sprintf("%s:%d:5: want --- old or --- new", name, n))
			}
		case block != nil:
			lines = append(lines, line)
		case strings.HasPrefix(line, "file: "):
			cur.File = strings.TrimSpace(strings.TrimPrefix(line, "file: "))
		case strings.HasPrefix(line, "equivalent: "):
			cur.Equivalent = strings.TrimSpace(strings.TrimPrefix(line, "equivalent: "))
		case strings.TrimSpace(line) == "", strings.HasPrefix(line, "#"):
		default:
			errs = append(errs, fmt.Sprintf("%s:%d:1: unexpected line %q", name, n, line))
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, m := range ms {
		if first, dup := seen[m.ID]; dup {
			errs = append(errs, fmt.Sprintf("%s:%d:4: mutant %s again (first at line %d)", name, m.Line, m.ID, first))
		}
		seen[m.ID] = m.Line
		if m.File == "" || m.Old == "" || m.Old == m.New {
			errs = append(errs, fmt.Sprintf("%s:%d:1: mutant %s needs a file, an old block and a different new block", name, m.Line, m.ID))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return ms, nil
}

// apply returns the content of m's file in the tree at root with the
// mutant planted, and the original, or an error when Old does not occur
// exactly once.
func (m *Mutant) apply(root string) (mutated, original []byte, err error) {
	original, err = os.ReadFile(filepath.Join(root, m.File))
	if err != nil {
		return nil, nil, fmt.Errorf("mutant %s: %w", m.ID, err)
	}
	switch n := strings.Count(string(original), m.Old); n {
	case 1:
	case 0:
		return nil, nil, fmt.Errorf("mutant %s (catalogue line %d): its old text is not in %s any more", m.ID, m.Line, m.File)
	default:
		return nil, nil, fmt.Errorf("mutant %s (catalogue line %d): its old text occurs %d times in %s", m.ID, m.Line, n, m.File)
	}
	return []byte(strings.Replace(string(original), m.Old, m.New, 1)), original, nil
}
