package bench

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	yes, no := true, false
	run := func(users int, engine, ref float64, peak int64, violations int, same *bool) Report {
		return Report{Users: users, Ops: 1000, Mode: "parallel", EngineOpsPerSec: engine, ReferenceOpsPerSec: ref,
			Ratio: engine / ref, PeakRSSBytes: peak, Violations: violations, ReferenceDigestSame: same}
	}
	s := Summarize([][]Report{
		{run(10, 100, 200, 5, 0, &yes), run(10, 300, 200, 9, 2, &yes), run(10, 200, 400, 7, 0, &yes)},
		{run(20, 80, 100, 10, 0, &yes), run(20, 150, 300, 30, 0, &no), run(20, 120, 200, 20, 0, &yes)},
		{run(30, 90, 100, 1, 0, nil), run(30, 95, 100, 3, 0, nil)}, // interrupted before its third round
	})
	if s.Rounds != 3 || s.Ops != 1000 || s.Mode != "parallel" || len(s.Sizes) != 3 {
		t.Fatalf("rounds %d, ops %d, mode %q, %d sizes", s.Rounds, s.Ops, s.Mode, len(s.Sizes))
	}
	m := s.Sizes[0].Median
	if m.Users != 10 || m.EngineOpsPerSec != 200 || m.ReferenceOpsPerSec != 200 || m.Ratio != 0.5 || m.PeakRSSBytes != 7 {
		t.Errorf("first size's medians: %+v", m)
	}
	if m.Violations != 2 || m.ReferenceDigestSame == nil || !*m.ReferenceDigestSame {
		t.Errorf("first size: violations %d (want the most, 2), digest equal %v", m.Violations, m.ReferenceDigestSame)
	}
	if d := s.Sizes[1].Median.ReferenceDigestSame; d == nil || *d {
		t.Errorf("second size: one run's digest differed, the median says %v", d)
	}
	if m := s.Sizes[2].Median; m.EngineOpsPerSec != 92.5 || m.PeakRSSBytes != 2 || m.ReferenceDigestSame != nil {
		t.Errorf("two runs' medians are the means of both: engine %v, peak %d, digest %v", m.EngineOpsPerSec, m.PeakRSSBytes, m.ReferenceDigestSame)
	}
	// Rounds: engines 100/80/90, 300/150/95, and a third round without
	// the last size, which does not count.
	want := []float64{0.2, (300 - 95) / 300.0}
	if len(s.RoundSpreads) != len(want) {
		t.Fatalf("round spreads %v, want %v", s.RoundSpreads, want)
	}
	for i := range want {
		if math.Abs(s.RoundSpreads[i]-want[i]) > 1e-9 {
			t.Errorf("round %d spread %v, want %v", i+1, s.RoundSpreads[i], want[i])
		}
	}
	if got, want := s.MedianSpread, (200-92.5)/200; math.Abs(got-want) > 1e-9 {
		t.Errorf("median spread %v, want %v", got, want)
	}

	if none, _ := json.Marshal(Summarize(nil)); !strings.Contains(string(none), `"sizes":[]`) || !strings.Contains(string(none), `"round_spreads":[]`) {
		t.Errorf("a series without runs writes %s, want empty lists", none)
	}
	one := Summarize([][]Report{{run(10, 100, 200, 5, 0, nil)}})
	if one.Rounds != 1 || len(one.RoundSpreads) != 0 || one.MedianSpread != 0 || one.Sizes[0].Median.EngineOpsPerSec != 100 {
		t.Errorf("one run: %+v", one)
	}
}

// TestSummaryResident: a single bench's resident line gives the peaks in
// the unit it names and the ratio to the budget of 1 KiB per user plus 64
// bytes per stored message.
func TestSummaryResident(t *testing.T) {
	rep := &Report{Users: 1000, Messages: 16_000, Ops: 10, PeakRSSBytes: 3 << 20, ReferencePeakRSSBytes: 5 << 20}
	var b strings.Builder
	Summary(&b, rep, Config{Ops: 10})
	// 3 MiB over 1,000 KiB + 1,000 KiB = 2,048,000 bytes.
	want := "resident     3 MiB at peak from the engine's build to its check: 1.54 of 1 KiB per user + 64 B per message (the reference model's run: 5 MiB)\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the summary lacks\n%s\nin\n%s", want, b.String())
	}
}
