package runner

import (
	"math"
	"sync"
	"time"

	"github.com/msgsim/msgsim/report"
)

// Sampling cadence: a sample every sampleEvery of wall time; when a run has
// made maxSamples, neighbours merge in pairs and the cadence halves, so a
// long run's timeline stays small.
const (
	sampleEvery = 100 * time.Millisecond
	maxSamples  = 400
)

// sampler takes Samples from a goroutine of its own, reading the runner's
// atomic counters and latency histogram: the operations' hot path does
// nothing for it.
type sampler struct {
	r        *Runner
	stop     chan struct{}
	wg       sync.WaitGroup
	every    time.Duration
	samples  []report.Sample
	last     [64 * subBuckets]uint64
	lastOps  int64
	lastWall time.Duration
}

// startSampling starts sampling the run; the returned function takes a
// last sample, stops, and puts the timeline into the report.
func (r *Runner) startSampling() func() {
	s := &sampler{r: r, stop: make(chan struct{}), every: sampleEvery}
	s.wg.Add(1)
	go s.loop()
	return func() {
		close(s.stop)
		s.wg.Wait()
		r.report.Timeline = s.samples
	}
}

func (s *sampler) loop() {
	defer s.wg.Done()
	tick := time.NewTicker(s.every)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			if s.r.done.Load() > s.lastOps || len(s.samples) == 0 {
				s.take()
				s.foldShortLast()
			}
			return
		case <-tick.C:
			s.take()
			if len(s.samples) >= maxSamples {
				s.samples = mergePairs(s.samples)
				s.every *= 2
				tick.Reset(s.every)
			}
		}
	}
}

// take records the window since the last sample.
func (s *sampler) take() {
	r := s.r
	wall := time.Since(r.started)
	ops := r.done.Load()
	var window [64 * subBuckets]uint64
	var n uint64
	for b := range s.last {
		var c uint64
		for a := range r.lat {
			c += r.lat[a].counts[b].Load()
		}
		window[b] = c - s.last[b]
		s.last[b] = c
		n += window[b]
	}
	smp := report.Sample{WallSeconds: wall.Seconds(), SimulatedSeconds: time.Duration(r.clock.Load()).Seconds(), Ops: int(ops),
		P50: windowQuantile(window[:], n, 0.50).Seconds(), P99: windowQuantile(window[:], n, 0.99).Seconds()}
	if d := wall - s.lastWall; d > 0 {
		smp.Throughput = float64(ops-s.lastOps) / d.Seconds()
	}
	s.lastOps, s.lastWall = ops, wall
	s.samples = append(s.samples, smp)
}

// foldShortLast merges a last window shorter than half the cadence into
// the one before, so that a run's final moments do not read as a drop.
func (s *sampler) foldShortLast() {
	n := len(s.samples)
	if n < 2 {
		return
	}
	last, prev := s.samples[n-1], s.samples[n-2]
	if last.WallSeconds-prev.WallSeconds >= s.every.Seconds()/2 {
		return
	}
	start, startOps := 0.0, 0
	if n >= 3 {
		start, startOps = s.samples[n-3].WallSeconds, s.samples[n-3].Ops
	}
	prev.WallSeconds, prev.SimulatedSeconds, prev.Ops = last.WallSeconds, last.SimulatedSeconds, last.Ops
	prev.P50, prev.P99 = max(prev.P50, last.P50), max(prev.P99, last.P99)
	if d := prev.WallSeconds - start; d > 0 {
		prev.Throughput = float64(prev.Ops-startOps) / d
	}
	s.samples[n-2] = prev
	s.samples = s.samples[:n-1]
}

// windowQuantile returns the q-quantile of n durations counted in
// latencies' buckets, as the midpoint of its bucket.
func windowQuantile(counts []uint64, n uint64, q float64) time.Duration {
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for b, c := range counts {
		seen += c
		if seen >= rank {
			return time.Duration((lowerBound(b) + lowerBound(b+1)) / 2)
		}
	}
	return 0
}

// mergePairs merges neighbouring samples: each pair becomes one window.
func mergePairs(ss []report.Sample) []report.Sample {
	out := ss[:0]
	prevWall, prevOps := 0.0, 0
	for i := 0; i < len(ss); i += 2 {
		m := ss[i]
		if i+1 < len(ss) {
			n := ss[i+1]
			m.WallSeconds, m.SimulatedSeconds, m.Ops = n.WallSeconds, n.SimulatedSeconds, n.Ops
			m.P50, m.P99 = max(m.P50, n.P50), max(m.P99, n.P99)
		}
		if d := m.WallSeconds - prevWall; d > 0 {
			m.Throughput = float64(m.Ops-prevOps) / d
		}
		prevWall, prevOps = m.WallSeconds, m.Ops
		out = append(out, m)
	}
	return out
}
