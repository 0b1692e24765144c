package scenarios

import (
	"math"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// Estimate is what a run of a scenario will take, worked out from the file
// alone before anything is built: sizes, operations, and the live heap at
// the run's peak. Counts are float64 because a hostile file's can overflow
// an int.
type Estimate struct {
	Users       float64 // script and generated users
	Connections float64 // the initial connections (undirected)
	Memberships float64 // members of the generated groups, owners included
	Ops         float64 // operations the run is expected to apply
	Messages    float64 // messages it may store, at most: every send stored
	// Bytes is the live heap at the run's peak: the larger of the graph's
	// build and the run's end. Resident memory runs above it by the
	// collector's headroom (half the live heap past 256 MiB; see the
	// README's "Performance").
	Bytes float64
}

// The costs an estimate adds up, measured on this project's CI machine
// with the actor engine (go1.26, linux/amd64). When they were measured,
// README.md "Performance" gave 401 bytes of heap per user for a 1M-user
// Barabási–Albert population of mean degree 50 with a group per 20 users
// (410-411 in its table today, which also gives 73-79 bytes per stored
// message), and 60-73 bytes per stored message besides its text (texts
// are shared). The same build
// without groups is 380 bytes per user, and 220 at mean degree 10: 8
// bytes per connection (two 4-byte ids, workload.Network lists each
// connection at both ends) and 180 per user. 100,000 groups of 3, 8, 20
// and 50 members on that population added 63, 45-51, 116 and 105 bytes
// per member.
const (
	bytesPerUser       = 180
	bytesPerConnection = 8
	bytesPerMember     = 120
	bytesPerMessage    = 73
	// bytesPerSpam is what a spam wave keeps per message it sends, for
	// the report wave that answers it.
	bytesPerSpam = 16
	// buildPerConnection and buildPerUser are the graph's peak while it
	// is built: the edge list and one bucketed copy of it, 8 bytes an
	// entry past 4 million users, and two arrays per user
	// (scenarios/workload's fromEdges).
	buildPerConnection = 8 + 16
	buildPerUser       = 12
	// fixedBytes is what any run holds whatever its size: the Go
	// runtime, the engine's registry shards and pools, the latency
	// histograms, the stream's window of recent sends.
	fixedBytes = 64 << 20
)

// Estimate returns what running s will take.
func (s *Scenario) Estimate() Estimate {
	return EstimateOf(s.Population, s.Workload, len(s.Users), len(s.Steps))
}

// EstimateOf returns what a run of pop driven by w will take, after a
// script of scriptUsers users and steps steps; pop and w may be nil.
func EstimateOf(pop *workload.Population, w *workload.Workload, scriptUsers, steps int) Estimate {
	e := Estimate{Users: float64(scriptUsers), Ops: float64(steps), Messages: float64(steps)}
	spam := 0.0
	if pop != nil {
		users := float64(pop.Users)
		e.Users += users
		e.Connections = users * max(pop.Graph.MeanDegree, 0) / 2
		if g := pop.Groups; g.Count > 0 {
			e.Memberships = float64(g.Count) * float64(g.MinSize+g.MaxSize) / 2
			e.Ops += float64(g.Count)
		}
		if w != nil {
			arrivals := workload.ExpectedArrivals(pop.Users, *w)
			sends := arrivals * sendShare(w.Mix)
			e.Ops += arrivals
			e.Messages += sends
			if r := w.Regret; r != nil {
				regrets := sends * r.Share
				if r.Everyone && r.Fallback {
					regrets *= 2
				}
				e.Ops += regrets
			}
			if b := w.BlockStorm; b != nil {
				e.Ops += float64(b.Users)
			}
			if sw := w.SpamWave; sw != nil {
				spam = float64(sw.Spammers) * float64(sw.MessagesEach)
				e.Ops += spam
				e.Messages += spam
				if r := w.ReportWave; r != nil {
					e.Ops += spam * r.Share
				}
			}
		}
	}
	run := e.Users*bytesPerUser + e.Connections*bytesPerConnection + e.Memberships*bytesPerMember +
		e.Messages*bytesPerMessage + spam*bytesPerSpam
	build := e.Users*buildPerUser + e.Connections*buildPerConnection
	e.Bytes = fixedBytes + max(run, build)
	return e
}

// sendShare is the share of sends in a mix.
func sendShare(mix [sim.NumActions]float64) float64 {
	total := 0.0
	for _, w := range mix {
		total += max(w, 0)
	}
	if total <= 0 {
		return 0
	}
	return mix[sim.Send] / total
}

// Fit returns the most generated users, from 1 to most, whose run estimate
// (given by estimate) fits in budget bytes, or 0 when not even one does.
// The estimate must grow with the users.
func Fit(budget float64, most int, estimate func(users int) Estimate) int {
	if most < 1 || estimate(1).Bytes > budget {
		return 0
	}
	lo, hi := 1, most // estimate(lo) fits
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if estimate(mid).Bytes <= budget {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// FitUsers returns the most generated users of s whose run fits in budget
// bytes, the rest of the file as it is (a mean degree above the users
// lowered to users-1), or 0 when s has no population or none fits.
func (s *Scenario) FitUsers(budget float64) int {
	if s.Population == nil {
		return 0
	}
	return Fit(budget, s.Population.Users, func(users int) Estimate {
		p := *s.Population
		p.Users = users
		p.Graph.MeanDegree = math.Min(p.Graph.MeanDegree, float64(users-1))
		return EstimateOf(&p, s.Workload, len(s.Users), len(s.Steps))
	})
}
