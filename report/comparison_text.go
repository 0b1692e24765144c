package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ComparisonTable prints the runs side by side: one row per figure, one
// column per policy, each value after the first with its difference to
// the first policy's in parentheses.
func ComparisonTable(w io.Writer, reps []*Report) {
	first := reps[0]
	fmt.Fprintf(w, "msgsim compare · %s · seed %d · mode %s · %s operations per run\n\n",
		Escape(first.Scenario), first.Seed, first.Mode, Thousands(first.OpsTotal))
	cols := PolicyColumns(reps)
	header := []string{"measure"}
	for i, c := range cols {
		if reps[i].Interrupted {
			c.Label += " (interrupted)"
		}
		header = append(header, c.Label)
	}
	cells := [][]string{header}
	for _, row := range Rows(cols) {
		line := []string{row.Name}
		for i, v := range row.Values {
			cell := row.Format(v)
			if i > 0 {
				cell += " (" + row.Delta(v, row.Values[0]) + ")"
			}
			line = append(line, cell)
		}
		cells = append(cells, line)
	}
	printCells(w, cells)
	fmt.Fprintf(w, "\n(in parentheses: the difference to %s)\n\n", first.Policy)
}

// printCells prints a table with the first column aligned left and the
// others right.
func printCells(w io.Writer, cells [][]string) {
	widths := make([]int, len(cells[0]))
	for _, line := range cells {
		for i, c := range line {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, line := range cells {
		var b strings.Builder
		for i, c := range line {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("   " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// Interrupted says, after the table, which runs an interrupt cut short
// and which policies it left unrun: their figures and differences do not
// compare like with like.
func Interrupted(w io.Writer, reps []*Report, notRun []string) {
	var cut []string
	for _, r := range reps {
		if r.Interrupted {
			cut = append(cut, r.Policy)
		}
	}
	if len(cut) == 0 && len(notRun) == 0 {
		return
	}
	fmt.Fprint(w, "INTERRUPTED: ")
	if len(cut) > 0 {
		fmt.Fprintf(w, "%s stopped part way, so its figures and differences cover less work than the others'", strings.Join(cut, ", "))
		if len(notRun) > 0 {
			fmt.Fprint(w, "; ")
		}
	}
	if len(notRun) > 0 {
		fmt.Fprintf(w, "%s not run", strings.Join(notRun, ", "))
	}
	fmt.Fprint(w, "\n\n")
}
