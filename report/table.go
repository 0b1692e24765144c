package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Unit is how a comparison row's values read.
type Unit uint8

// The units of comparison rows.
const (
	Count   Unit = iota // a number of things
	Rate                // operations per second
	Seconds             // a duration in seconds
	Bytes               // a size in bytes
)

// Column is one column of a comparison: a whole run, or one cohort of a
// run with cohorts (Run nil: the run-wide rows are left empty).
type Column struct {
	Label    string
	Run      *Report
	Measures *sim.Measures
}

// PolicyColumns returns one column per run, labelled by its policy.
func PolicyColumns(reps []*Report) []Column {
	cols := make([]Column, len(reps))
	for i, r := range reps {
		cols[i] = Column{Label: r.Policy, Run: r, Measures: r.Measures}
	}
	return cols
}

// CohortColumns returns the whole run and then each of its cohorts,
// labelled by cohort and policy.
func CohortColumns(r *Report) []Column {
	cols := []Column{{Label: "whole run", Run: r, Measures: r.Measures}}
	for i := range r.Cohorts {
		c := &r.Cohorts[i]
		cols = append(cols, Column{Label: c.Name + " (" + c.Policy + ")", Measures: &c.Measures})
	}
	return cols
}

// Row is one line of a comparison: one figure in each column, NaN where a
// column has none.
type Row struct {
	Key    string // the JSON name
	Name   string // as a table shows it
	Doc    string // what it counts, in one sentence
	Unit   Unit
	Values []float64
}

// rowDef defines a row and reads its value from a column.
type rowDef struct {
	key, name, doc string
	unit           Unit
	run            func(*Report) float64       // a run-wide figure
	measure        func(*sim.Measures) float64 // a policy measure
}

var rowDefs = []rowDef{
	{key: "throughput_ops_per_sec", name: "throughput (ops/s)", unit: Rate,
		doc: "operations applied per wall-clock second",
		run: func(r *Report) float64 { return r.Throughput }},
	{key: "p99_latency_seconds", name: "p99 latency", unit: Seconds,
		doc: "the 99th percentile of operation latency in wall-clock time",
		run: func(r *Report) float64 { return r.Latency.P99 }},
	{key: "violations", name: "invariant violations", unit: Count,
		doc: "invariants broken under the run's own policy (0 is the only good value)",
		run: func(r *Report) float64 { return float64(r.Invariants.Violations) }},
	{key: "regretted", name: "regretted messages", unit: Count,
		doc:     "messages that their own sender deleted, for themself or for everyone",
		measure: func(m *sim.Measures) float64 { return float64(m.Regretted) }},
	{key: "regretted_readable", name: "regretted, still readable", unit: Count,
		doc:     "regretted messages whose text at least one recipient can still read at the end of the run",
		measure: func(m *sim.Measures) float64 { return float64(m.RegrettedReadable) }},
	{key: "regret_readable_mean_seconds", name: "regret readable for (mean)", unit: Seconds,
		doc:     "how long a regretted message stayed readable on average, in simulated time: from its send until it was recalled for everyone, or until the end of the run",
		measure: func(m *sim.Measures) float64 { return m.RegretReadableSeconds }},
	{key: "recalled", name: "recalled for everyone", unit: Count,
		doc:     "messages that their sender deleted for everyone",
		measure: func(m *sim.Measures) float64 { return float64(m.Recalled) }},
	{key: "tombstones_shown", name: "tombstones shown to recipients", unit: Count,
		doc:     "lines in recipients' views that show a tombstone in place of a message its sender recalled",
		measure: func(m *sim.Measures) float64 { return float64(m.TombstonesShown) }},
	{key: "messages_stopped_by_blocks", name: "messages stopped by blocks", unit: Count,
		doc:     "direct messages refused because of a block, plus group messages hidden from a member who blocks their author",
		measure: func(m *sim.Measures) float64 { return float64(m.MessagesStoppedByBlocks) }},
	{key: "notifications_stopped_by_blocks", name: "notifications stopped by blocks", unit: Count,
		doc:     "notifications suppressed because the recipient blocks the author",
		measure: func(m *sim.Measures) float64 { return float64(m.NotificationsStoppedByBlocks) }},
	{key: "blocked_history_kept", name: "blocked users' messages kept", unit: Count,
		doc:     "messages from users whom the viewer blocks at the end of the run that still show in the viewer's history",
		measure: func(m *sim.Measures) float64 { return float64(m.BlockedHistoryKept) }},
	{key: "spam_to_non_connections", name: "spam reaching non-connections", unit: Count,
		doc:     "messages accepted in a direct thread whose two users were not connected when it was sent",
		measure: func(m *sim.Measures) float64 { return float64(m.SpamToNonConnections) }},
	{key: "reports_filed", name: "reports filed", unit: Count,
		doc:     "report operations accepted for moderation",
		measure: func(m *sim.Measures) float64 { return float64(m.ReportsFiled) }},
	{key: "reports_refused", name: "reports refused", unit: Count,
		doc:     "report operations refused, such as reports of a message that was never delivered",
		measure: func(m *sim.Measures) float64 { return float64(m.ReportsRefused) }},
	{key: "reported_messages", name: "reported messages", unit: Count,
		doc:     "messages recorded as reported for moderation",
		measure: func(m *sim.Measures) float64 { return float64(m.ReportedMessages) }},
	{key: "reported_author_blocked", name: "reported, author blocked", unit: Count,
		doc:     "reported messages whose author the reporter blocks at the end of the run",
		measure: func(m *sim.Measures) float64 { return float64(m.ReportedAuthorBlocked) }},
	{key: "reported_still_readable", name: "reported, still readable", unit: Count,
		doc:     "reported messages whose text the reporter still sees at the end of the run",
		measure: func(m *sim.Measures) float64 { return float64(m.ReportedStillReadable) }},
	{key: "stored_bytes", name: "stored bytes (model)", unit: Bytes,
		doc:     "an estimate from a storage model, not a measurement of msgsim's memory: what a store that follows the policy would keep, 40 bytes a message plus its text, 40 bytes without the text for a message recalled behind a tombstone, nothing for one recalled without a trace, 8 bytes a delete for me and 16 a group block mark",
		measure: func(m *sim.Measures) float64 { return float64(m.StoredBytes) }},
	{key: "tombstones_kept", name: "tombstones kept", unit: Count,
		doc:     "stored tombstones: recalled messages kept to show a tombstone, and deletes for me",
		measure: func(m *sim.Measures) float64 { return float64(m.TombstonesKept) }},
}

// Rows returns the comparison of cols: throughput, p99 latency and
// violations of each run, then every policy measure.
func Rows(cols []Column) []Row {
	rows := make([]Row, 0, len(rowDefs))
	for _, d := range rowDefs {
		row := Row{Key: d.key, Name: d.name, Doc: d.doc, Unit: d.unit, Values: make([]float64, len(cols))}
		for i, c := range cols {
			v := math.NaN()
			switch {
			case d.run != nil && c.Run != nil:
				v = d.run(c.Run)
			case d.measure != nil && c.Measures != nil:
				v = d.measure(c.Measures)
			}
			row.Values[i] = v
		}
		rows = append(rows, row)
	}
	return rows
}

// IsMeasure reports whether r is a policy measure rather than a run-wide
// figure.
func (r Row) IsMeasure() bool {
	for _, d := range rowDefs {
		if d.key == r.Key {
			return d.measure != nil
		}
	}
	return false
}

// Format formats v in the row's unit; NaN is "–".
func (r Row) Format(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch r.Unit {
	case Rate:
		return Thousands(int64(math.Round(v)))
	case Seconds:
		return duration(v)
	case Bytes:
		return size(v)
	}
	return Thousands(int64(math.Round(v)))
}

// Delta formats v's difference to base with its sign, "0" when equal and
// "" when either is missing.
func (r Row) Delta(v, base float64) string {
	if math.IsNaN(v) || math.IsNaN(base) {
		return ""
	}
	d := v - base
	if d == 0 || (r.Unit == Count && math.Round(d) == 0) {
		return "0"
	}
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return sign + r.Format(d)
}

// Thousands formats n with thousands separators: 1,234,567.
func Thousands[N int | int64](n N) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := strconv.FormatInt(int64(n), 10)
	var b strings.Builder
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// duration formats seconds as a short duration: 14h32m, 3m05s, 4.2ms.
func duration(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d == 0:
		return "0s"
	case d >= time.Hour:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	case d >= time.Minute:
		return d.Round(time.Second).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(100 * time.Nanosecond).String()
}

// size formats bytes in binary units: 812 B, 3.4 KiB, 12.0 MiB.
func size(b float64) string {
	switch {
	case b < 1024:
		return fmt.Sprintf("%.0f B", b)
	case b < 1<<20:
		return fmt.Sprintf("%.1f KiB", b/1024)
	case b < 1<<30:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", b/(1<<30))
}
