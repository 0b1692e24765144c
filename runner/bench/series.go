package bench

import "slices"

// Series is a benchmark repeated: several population sizes, each run
// in several rounds, as `msgsim bench --count N` with one or more sizes
// writes it. Single runs on a busy machine move by a quarter or more, as
// much as sizes differ within a round, so a series reads medians.
type Series struct {
	Ops    int    `json:"ops"`
	Mode   string `json:"mode"`
	Rounds int    `json:"rounds"`
	Sizes  []Size `json:"sizes"`
	// RoundSpreads gives, for each round with every size run, how far
	// apart the sizes' engine rates were: (fastest - slowest) / fastest.
	// Empty with one size.
	RoundSpreads []float64 `json:"round_spreads"`
	// MedianSpread is that spread between the sizes' median engine rates.
	MedianSpread float64 `json:"median_spread"`
}

// Size is one population size's runs and their medians.
type Size struct {
	Median Report   `json:"median"`
	Runs   []Report `json:"runs"`
}

// Summarize makes a series of runs: runs[i] are the i-th size's runs, in
// round order. Each figure of a size's median is the median of that
// figure over its runs (the mean of the middle two for an even count),
// its violations the most any run had, and its digest equal only when
// every run's was. Sizes whose runs are fewer than the others' (a series
// interrupted) count in the medians but not in the round spreads.
func Summarize(runs [][]Report) Series {
	s := Series{Sizes: []Size{}, RoundSpreads: []float64{}} // lists in JSON even when empty
	for _, rs := range runs {
		if len(rs) == 0 {
			continue
		}
		s.Sizes = append(s.Sizes, Size{Median: medianReport(rs), Runs: rs})
		s.Rounds = max(s.Rounds, len(rs))
	}
	if len(s.Sizes) == 0 {
		return s
	}
	s.Ops, s.Mode = s.Sizes[0].Median.Ops, s.Sizes[0].Median.Mode
	if len(s.Sizes) < 2 {
		return s
	}
	rounds := s.Rounds
	for _, size := range s.Sizes {
		rounds = min(rounds, len(size.Runs))
	}
	rates := make([]float64, len(s.Sizes))
	for r := range rounds {
		for i, size := range s.Sizes {
			rates[i] = size.Runs[r].EngineOpsPerSec
		}
		s.RoundSpreads = append(s.RoundSpreads, spread(rates))
	}
	for i, size := range s.Sizes {
		rates[i] = size.Median.EngineOpsPerSec
	}
	s.MedianSpread = spread(rates)
	return s
}

// spread is (largest - smallest) / largest.
func spread(xs []float64) float64 {
	hi := slices.Max(xs)
	if hi <= 0 {
		return 0
	}
	return (hi - slices.Min(xs)) / hi
}

func medianReport(rs []Report) Report {
	m := rs[0]
	m.ReferenceDigestSame = nil
	setMedians(&m, rs,
		func(r *Report) *float64 { return &r.MeanDegree },
		func(r *Report) *float64 { return &r.EngineOpsPerSec },
		func(r *Report) *float64 { return &r.ReferenceOpsPerSec },
		func(r *Report) *float64 { return &r.Ratio },
		func(r *Report) *float64 { return &r.BytesPerUser },
		func(r *Report) *float64 { return &r.BytesPerMessage },
		func(r *Report) *float64 { return &r.BytesPerThread },
		func(r *Report) *float64 { return &r.BuildSeconds },
		func(r *Report) *float64 { return &r.GraphSeconds },
		func(r *Report) *float64 { return &r.EngineSeconds },
		func(r *Report) *float64 { return &r.ReferenceSeconds },
		func(r *Report) *float64 { return &r.CheckSeconds },
		func(r *Report) *float64 { return &r.SpecSeconds })
	setMedians(&m, rs,
		func(r *Report) *int { return &r.Ops },
		func(r *Report) *int { return &r.Messages },
		func(r *Report) *int { return &r.Threads },
		func(r *Report) *int { return &r.InvariantsChecked },
		func(r *Report) *int { return &r.SpecChecked })
	setMedians(&m, rs,
		func(r *Report) *int64 { return &r.PeakRSSBytes },
		func(r *Report) *int64 { return &r.ReferencePeakRSSBytes })
	m.SpecDifferences, m.SpecDetails = nil, nil
	for _, r := range rs {
		if d := r.SpecDifferences; d != nil && (m.SpecDifferences == nil || *d > *m.SpecDifferences) {
			m.SpecDifferences, m.SpecDetails = d, r.SpecDetails // the most any run had, and what they were
		}
		m.Violations = max(m.Violations, r.Violations)
		if r.ReferenceDigestSame != nil {
			same := *r.ReferenceDigestSame && (m.ReferenceDigestSame == nil || *m.ReferenceDigestSame)
			m.ReferenceDigestSame = &same
		}
	}
	return m
}

// setMedians sets each field of m to the median of that field over rs.
func setMedians[T int | int64 | float64](m *Report, rs []Report, fields ...func(*Report) *T) {
	for _, field := range fields {
		xs := make([]float64, len(rs))
		for i := range rs {
			xs[i] = float64(*field(&rs[i]))
		}
		*field(m) = T(median(xs))
	}
}

// median returns the median of xs, the mean of the middle two for an
// even count; it sorts xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}
