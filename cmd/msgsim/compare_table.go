package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/msgsim/msgsim/report"
)

// comparisonTable prints the runs side by side: one row per figure, one
// column per policy, each value after the first with its difference to
// the first policy's in parentheses.
func comparisonTable(w io.Writer, reps []*report.Report) {
	first := reps[0]
	fmt.Fprintf(w, "msgsim compare · %s · seed %d · mode %s · %s operations per run\n\n",
		escape(first.Scenario), first.Seed, first.Mode, count(first.OpsTotal))
	cols := report.PolicyColumns(reps)
	header := []string{"measure"}
	for i, c := range cols {
		if reps[i].Interrupted {
			c.Label += " (interrupted)"
		}
		header = append(header, c.Label)
	}
	cells := [][]string{header}
	for _, row := range report.Rows(cols) {
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
