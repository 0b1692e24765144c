package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/runner/bench"
)

// transcript is a code block of the README or of a page under docs/ that
// shows msgsim's output: its first line is "$ go run ./cmd/msgsim
// ARGS...", the rest what that command prints.
type transcript struct {
	file string // README.md or docs/NAME.md
	line int    // of the command, in file
	args []string
	want []string
}

// transcripts finds the transcripts of one file's text. Arguments are
// split on spaces: a transcript's command quotes nothing.
func transcripts(file, readme string) []transcript {
	const prompt = "$ go run ./cmd/msgsim "
	var out []transcript
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], prompt) {
			continue
		}
		tr := transcript{file: file, line: i + 2, args: strings.Fields(strings.TrimPrefix(lines[i+1], prompt))}
		for i += 2; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			tr.want = append(tr.want, lines[i])
		}
		out = append(out, tr)
	}
	return out
}

// TestDocTranscripts runs every transcript in the README and in the
// pages under docs/ and requires the output it shows, so that no page can
// quote what an older build printed (a digest, a count, a message).
// Figures that depend on the machine (throughput, latency, build time)
// are compared by their label only, spacing is not compared (a table's
// columns widen with its figures), and a line "..." stands for any
// number of lines.
func TestDocTranscripts(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var trs []transcript
	perFile := map[string]int{}
	for _, path := range append([]string{"../../README.md"}, docs...) {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		file := strings.TrimPrefix(filepath.ToSlash(path), "../../")
		found := transcripts(file, string(text))
		perFile[file] = len(found)
		trs = append(trs, found...)
	}
	// The validate and run transcripts are the README's; the failed run's
	// is in docs/usage.md, the comparison's in docs/measures.md.
	for file, atLeast := range map[string]int{"README.md": 2, "docs/usage.md": 1, "docs/measures.md": 1} {
		if perFile[file] < atLeast {
			t.Errorf("found %d transcripts in %s, want at least %d", perFile[file], file, atLeast)
		}
	}
	t.Chdir("../..") // the pages' commands run from the repository's root
	for _, tr := range trs {
		t.Run(tr.file+"@line"+strconv.Itoa(tr.line)+"/"+tr.args[0], func(t *testing.T) {
			inv := invoke(context.Background(), tr.args...)
			got := strings.Split(strings.TrimRight(inv.stdout+inv.stderr, "\n"), "\n")
			if !linesMatch(tr.want, got) {
				t.Errorf("%s:%d: %s prints\n%s\nbut the page shows\n%s",
					tr.file, tr.line, strings.Join(tr.args, " "), strings.Join(got, "\n"), strings.Join(tr.want, "\n"))
			}
		})
	}
}

// linesMatch reports whether got is what want shows, "..." in want
// standing for any lines.
func linesMatch(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "..." {
		for skip := 0; skip <= len(got); skip++ {
			if linesMatch(want[1:], got[skip:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && comparable(want[0]) == comparable(got[0]) && linesMatch(want[1:], got[1:])
}

var builtIn = regexp.MustCompile(`\(built in [^)]*\)`)

// comparable is the part of an output line that does not depend on the
// machine: the label alone of a throughput or latency line, the
// population line without its build time, spaces collapsed.
func comparable(line string) string {
	line = strings.Join(strings.Fields(line), " ")
	for _, label := range []string{"throughput (ops/s)", "p99 latency", "throughput", "latency"} {
		if strings.HasPrefix(line, label+" ") {
			return label
		}
	}
	return builtIn.ReplaceAllString(line, "(built in …)")
}

// TestUsageJSONKeys: the keys docs/usage.md (which the README links for
// them) lists for run's and bench's --json are exactly the keys their
// reports have, nested ones (listed in brackets after their parent, an
// object or a list of objects) included.
func TestUsageJSONKeys(t *testing.T) {
	readme, err := os.ReadFile("../../docs/usage.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		prefix string
		report reflect.Type
	}{
		{"`--json PATH` writes the report:", reflect.TypeFor[report.Report]()},
		{"`--json PATH` writes the figures with the keys", reflect.TypeFor[bench.Report]()},
		{"With `--count N` or several sizes, `--json PATH` writes", reflect.TypeFor[bench.Series]()},
	} {
		para := paragraph(string(readme), c.prefix)
		if para == "" {
			t.Errorf("docs/usage.md has no paragraph that starts with %s", c.prefix)
			continue
		}
		listed := listedKeys(para)
		requireKeys(t, c.prefix, "", listed[""], c.report)
		for parent, children := range listed {
			if parent == "" {
				continue
			}
			f, ok := fieldByTag(c.report, parent)
			typ := f.Type
			if ok && (typ.Kind() == reflect.Slice || typ.Kind() == reflect.Pointer) {
				typ = typ.Elem() // a list of objects, or an object that may be absent: their keys
			}
			if !ok || typ.Kind() != reflect.Struct {
				t.Errorf("docs/usage.md, paragraph %q: lists keys under %s, which is no object", c.prefix, parent)
				continue
			}
			requireKeys(t, c.prefix, parent+".", children, typ)
		}
	}
}

// paragraph returns the page's paragraph that starts with prefix.
func paragraph(readme, prefix string) string {
	for _, p := range strings.Split(readme, "\n\n") {
		if strings.HasPrefix(p, prefix) {
			return p
		}
	}
	return ""
}

var keyName = regexp.MustCompile("`([a-z0-9_]+)`")

// listedKeys returns the keys a paragraph names in backquotes: top-level
// ones under "", those in brackets after a key under that key.
func listedKeys(para string) map[string][]string {
	keys := map[string][]string{}
	parent, depth, at := "", 0, 0
	for _, m := range keyName.FindAllStringSubmatchIndex(para, -1) {
		between := para[at:m[0]]
		depth += strings.Count(between, "(") - strings.Count(between, ")")
		at = m[1]
		name := para[m[2]:m[3]]
		if depth == 0 {
			parent = name
			keys[""] = append(keys[""], name)
		} else {
			keys[parent] = append(keys[parent], name)
		}
	}
	return keys
}

// fieldByTag returns typ's field whose JSON name is name.
func fieldByTag(typ reflect.Type, name string) (reflect.StructField, bool) {
	for i := range typ.NumField() {
		f := typ.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// requireKeys fails the test unless listed are exactly typ's JSON names.
func requireKeys(t *testing.T, where, prefix string, listed []string, typ reflect.Type) {
	t.Helper()
	var have []string
	for i := range typ.NumField() {
		if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ","); tag != "" && tag != "-" {
			have = append(have, tag)
		}
	}
	for _, k := range listed {
		if !slices.Contains(have, k) {
			t.Errorf("docs/usage.md, paragraph %q: lists %s%s, which the report does not have", where, prefix, k)
		}
	}
	for _, k := range have {
		if !slices.Contains(listed, k) {
			t.Errorf("docs/usage.md, paragraph %q: does not list %s%s, which the report has", where, prefix, k)
		}
	}
}

// TestREADMEExitCodes: the README's table of exit codes lists exactly the
// codes of exit.go.
func TestREADMEExitCodes(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n| code | meaning |\n")
	if !ok {
		t.Fatal("README.md has no table of exit codes (| code | meaning |)")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var listed []int
	for _, m := range regexp.MustCompile(`(?m)^\| (\d+) \| `).FindAllStringSubmatch(table, -1) {
		n, _ := strconv.Atoi(m[1])
		listed = append(listed, n)
	}
	if want := []int{exitOK, exitFail, exitInput, exitInternal}; !slices.Equal(listed, want) {
		t.Errorf("the README's exit-code table lists %v, exit.go has %v", listed, want)
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocLinks: every relative link of the README and of the pages under
// docs/ names a file or directory that exists, so that moving a page
// cannot leave a link to where it was.
func TestDocLinks(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	fence := regexp.MustCompile("(?s)```.*?```")
	for _, path := range append([]string{"../../README.md"}, docs...) {
		text, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		prose := fence.ReplaceAllString(string(text), "")
		for _, m := range mdLink.FindAllStringSubmatch(prose, -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), target)); err != nil {
				t.Errorf("%s links %s, which does not exist", strings.TrimPrefix(path, "../../"), m[1])
			}
		}
	}
}
