package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a scenario file. Line and Col count from 1.
type Pos struct {
	File      string
	Line, Col int
}

// String formats p as file:line:col, leaving out the file when it is empty.
func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Error is one problem in a scenario file: where it is, which field it is
// about (a path such as population.users or steps[3].send.to, empty for the
// top level) and what is wrong.
type Error struct {
	Pos  Pos
	Path string
	Msg  string
}

// Error formats e as file:line:col: path: message.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Pos.String() + ": " + e.Path + ": " + e.Msg
}

// ErrorList is every problem Load found in a file, sorted by position. Load
// returns a non-empty ErrorList or no error at all.
type ErrorList []*Error

// Error returns the problems one per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems as errors, for errors.As.
func (l ErrorList) Unwrap() []error {
	es := make([]error, len(l))
	for i, e := range l {
		es[i] = e
	}
	return es
}

// sort orders l by line and column, keeping the order of problems found at
// the same position.
func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
}
