package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// transcript is a code block of the README that shows msgsim's output:
// its first line is "$ go run ./cmd/msgsim ARGS...", the rest what that
// command prints.
type transcript struct {
	line int // of the command, in README.md
	args []string
	want []string
}

// transcripts finds the README's transcripts. Arguments are split on
// spaces: a transcript's command quotes nothing.
func transcripts(readme string) []transcript {
	const prompt = "$ go run ./cmd/msgsim "
	var out []transcript
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") || i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], prompt) {
			continue
		}
		tr := transcript{line: i + 2, args: strings.Fields(strings.TrimPrefix(lines[i+1], prompt))}
		for i += 2; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			tr.want = append(tr.want, lines[i])
		}
		out = append(out, tr)
	}
	return out
}

// TestREADMETranscripts runs every transcript in the README and requires
// the output it shows, so that the README cannot quote what an older
// build printed (a digest, a count, a message). Figures that depend on
// the machine (throughput, latency, build time) are compared by their
// label only, spacing is not compared (a table's columns widen with its
// figures), and a line "..." stands for any number of lines.
func TestREADMETranscripts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	trs := transcripts(string(readme))
	if len(trs) < 4 {
		t.Fatalf("found %d transcripts in README.md, want the validate, run, failed-run and compare ones", len(trs))
	}
	t.Chdir("../..") // the README's commands run from the repository's root
	for _, tr := range trs {
		t.Run(tr.args[0]+"@line"+strconv.Itoa(tr.line), func(t *testing.T) {
			inv := invoke(context.Background(), tr.args...)
			got := strings.Split(strings.TrimRight(inv.stdout+inv.stderr, "\n"), "\n")
			if !linesMatch(tr.want, got) {
				t.Errorf("README.md:%d: %s prints\n%s\nbut the README shows\n%s",
					tr.line, strings.Join(tr.args, " "), strings.Join(got, "\n"), strings.Join(tr.want, "\n"))
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
