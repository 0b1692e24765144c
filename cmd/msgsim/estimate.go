package main

import (
	"fmt"
	"math"
	"strconv"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
)

// estimateText says in one line what a run will take, and how that
// compares with the memory this machine gives it.
func estimateText(e scenarios.Estimate, budget memoryBudget) string {
	s := fmt.Sprintf("%s users · %s connections · about %s operations · %s messages at most · %s of memory",
		countF(e.Users), countF(e.Connections), countF(e.Ops), countF(e.Messages), bytesText(e.Bytes))
	switch {
	case budget.Bytes == 0:
		s += " (this machine's memory is unknown)"
	case e.Bytes > float64(budget.Bytes):
		s += fmt.Sprintf(": more than the %s available (%s); run refuses it", bytesText(float64(budget.Bytes)), budget.Source)
	default:
		s += fmt.Sprintf(" of %s available", bytesText(float64(budget.Bytes)))
	}
	return s
}

// tooBig is the input error of a run whose estimate does not fit the
// memory budget, or nil when it fits. fit is the most users that would
// fit (0 when none would, or when users are not the knob) and flag the
// option that sets them.
func tooBig(what string, e scenarios.Estimate, budget memoryBudget, fit int, flag string) error {
	if budget.Bytes == 0 || e.Bytes <= float64(budget.Bytes) {
		return nil
	}
	msg := fmt.Sprintf("%s needs about %s of memory (%s users, %s connections, %s messages at most), more than the %s available (%s)",
		what, bytesText(e.Bytes), countF(e.Users), countF(e.Connections), countF(e.Messages), bytesText(float64(budget.Bytes)), budget.Source)
	switch {
	case fit > 0 && float64(fit) < e.Users:
		msg += fmt.Sprintf("; about %s users would fit (%s %d)", report.Thousands(fit), flag, fit)
	case e.Messages > 0:
		msg += "; a shorter workload or a lower rate stores fewer messages"
	}
	return inputError(fmt.Errorf("%s", msg))
}

// countF formats a count that may be beyond an int with thousands
// separators, and a huge one in scientific notation.
func countF(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case math.Abs(x) < 1e15:
		return report.Thousands(int(math.Round(x)))
	}
	return strconv.FormatFloat(x, 'e', 2, 64)
}

// bytesText formats a number of bytes in binary units.
func bytesText(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	switch {
	case i == 0 || b >= 100:
		return fmt.Sprintf("%.0f %s", b, units[i])
	case b >= 10:
		return fmt.Sprintf("%.1f %s", b, units[i])
	}
	return fmt.Sprintf("%.2f %s", b, units[i])
}
