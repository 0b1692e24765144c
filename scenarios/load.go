package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

// topKeys are the keys of a scenario file, in documentation order.
var topKeys = []string{"name", "policy", "cohorts", "users", "connections", "steps",
	"population", "workload", "pace", "mode", "seed", "thresholds"}

// MaxSize is the largest scenario file Load reads, in bytes: 10 MiB, a
// hundred times the largest example and enough for a script of about
// 100,000 steps. Past it a YAML document takes seconds and gigabytes to
// parse before a single problem could be reported.
const MaxSize = 10 << 20

// Load parses and validates the scenario in data. file names the data in
// positions and is the default name. On any problem Load returns a nil
// Scenario and an ErrorList of every problem it found, sorted by position;
// it never panics. Data longer than MaxSize is refused unread.
func Load(file string, data []byte) (*Scenario, error) {
	l := &loader{file: file}
	if len(data) > MaxSize {
		return nil, ErrorList{TooBig(file, int64(len(data)))}
	}
	root := l.parse(data)
	var s *Scenario
	if root != nil {
		s = l.scenario(root)
	}
	if len(l.errs) > 0 {
		l.errs.sort()
		return nil, l.errs
	}
	return s, nil
}

// TooBig is the problem of a file of size bytes, more than MaxSize.
func TooBig(file string, size int64) *Error {
	return &Error{Pos: Pos{file, 1, 1}, Msg: fmt.Sprintf("the file is %s bytes; a scenario file may be at most %s bytes (10 MiB)",
		thousands(float64(size)), thousands(MaxSize))}
}

// parse decodes the one YAML document of data into a node tree.
func (l *loader) parse(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	switch err := decode(dec, &doc); {
	case errors.Is(err, io.EOF):
		l.errs = append(l.errs, &Error{Pos: Pos{l.file, 1, 1}, Msg: "the file is empty; a scenario is a mapping with steps (a script) or a population"})
		return nil
	case err != nil:
		l.syntaxError(err)
		return nil
	}
	var next yaml.Node
	switch err := decode(dec, &next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		l.syntaxError(err)
		return nil
	default:
		l.errorf(&next, "", "a second YAML document; a scenario file holds exactly one")
	}
	if len(doc.Content) == 0 {
		l.errorf(&doc, "", "the file is empty")
		return nil
	}
	return doc.Content[0]
}

// decode runs the YAML decoder, turning a panic inside it into an error so
// that Load keeps its promise on any input.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError records a YAML syntax error. The parser reports a line but
// no column, so the column is 1.
func (l *loader) syntaxError(err error) {
	e := &Error{Pos: Pos{l.file, 1, 1}, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		if line, convErr := strconv.Atoi(m[1]); convErr == nil && line > 0 {
			if parserMessage(m[2]) {
				line++ // yaml.v3's parser, unlike its scanner, counts lines from 0
			}
			e.Pos.Line, e.Msg = line, "invalid YAML: "+m[2]
		}
	}
	l.errs = append(l.errs, e)
}

// parserMessages start the errors of yaml.v3's parser, whose line numbers
// are 0-based; its scanner's errors count from 1.
var parserMessages = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
}

func parserMessage(msg string) bool {
	for _, p := range parserMessages {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// scenario reads the top-level mapping. Sections are read in dependency
// order: users before connections and steps, population before workload.
func (l *loader) scenario(root *yaml.Node) *Scenario {
	s := &Scenario{
		File:   l.file,
		Name:   defaultName(l.file),
		Policy: sim.Linkedin(),
		Pace:   Pace{Max: true},
		Seed:   1,
	}
	root = l.resolve(root)
	if root.Kind != yaml.MappingNode {
		l.errorf(root, "", "want a mapping with keys %s, got %s", strings.Join(topKeys, ", "), describe(root))
		return nil
	}
	top, _ := l.mapping(root, "", topKeys)
	if n := top.val["name"]; n != nil {
		if name, ok := l.name(n, "name"); ok {
			s.Name = name
		}
	}
	if n := top.val["policy"]; n != nil {
		s.PolicyKnobs = l.policy(n, "policy", &s.Policy, nil)
	}
	l.script(top, s)
	if n := top.val["cohorts"]; n != nil {
		s.Cohorts = l.cohorts(n, s)
	}
	if n := top.val["population"]; n != nil {
		s.Population = l.population(n, len(s.Users), len(s.Groups))
		s.degreeGiven = l.degreeGiven
	}
	if n := top.val["workload"]; n != nil {
		if top.missing("population") {
			l.errorf(top.key["workload"], "workload", "a workload drives generated users; add a population")
		}
		s.Workload = l.workload(n, s.Population)
	}
	l.options(top, s)
	if top.missing("steps") && top.missing("population") && !top.has("workload") {
		l.errorf(root, "", "nothing to run: a scenario needs steps (a script) or a population")
	}
	return s
}

// defaultName is a file's base name without its extension.
func defaultName(file string) string {
	base := filepath.Base(file)
	if name := strings.TrimSuffix(base, filepath.Ext(base)); name != "" && name != "." && name != "/" {
		return name
	}
	return "scenario"
}
