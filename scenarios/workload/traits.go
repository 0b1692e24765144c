package workload

import (
	"math"
	"math/bits"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// Traits of the realistic model that each user keeps for the whole run
// (how active they are, whom they write to, where they live) are
// functions of the seed and the user's id, computed where they are
// needed: they cost no memory and no set-up, whatever the population.

// mix64 is splitmix64's finaliser: a bijective hash of 64 bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hash2 hashes two values under a seed.
func hash2(seed, a, b uint64) uint64 {
	return mix64(mix64(seed^0x9e3779b97f4a7c15+a) + b*0xd6e8feb86659fd93)
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) * 0x1p-53 }

// permutation is a seeded bijection of [0, n): a four-round Feistel
// network on the smallest even power of two at least n, walked in cycles
// until it lands in range (at most four steps on average).
type permutation struct {
	n    uint64
	half uint
	mask uint64
	keys [4]uint64
}

func newPermutation(n, seed, stream uint64) permutation {
	b := uint(bits.Len64(max(n, 2) - 1))
	b = max(b+b%2, 2)
	p := permutation{n: n, half: b / 2, mask: 1<<(b/2) - 1}
	for i := range p.keys {
		p.keys[i] = hash2(seed, stream, uint64(i))
	}
	return p
}

// at returns the image of i < n.
func (p *permutation) at(i uint64) uint64 {
	for {
		l, r := i>>p.half, i&p.mask
		for _, k := range p.keys {
			l, r = r, l^(mix64(r^k)&p.mask)
		}
		i = l<<p.half | r
		if i < p.n {
			return i
		}
	}
}

// activity draws the user of a session start: users are ranked by a
// seeded permutation and rank k (from 0) of n is drawn with the density
// of a power law, k = n*U^(1/(1-a)), so that the top 1% of ranks make
// 0.01^(1-a) of the draws.
type activity struct {
	rank  permutation
	n     float64
	power float64 // 1/(1-a); 1 is uniform
}

func newActivity(users int, a Activity, seed uint64) activity {
	share := min(max(a.Top1pctShare, MinTop1pctShare), MaxTop1pctShare)
	return activity{rank: newPermutation(uint64(users), seed, streamActivity), n: float64(users),
		power: math.Log(0.01) / math.Log(share)}
}

// draw maps a uniform 64-bit value to a user.
func (a *activity) draw(r uint64) sim.UserID {
	x := unit(r)
	if a.power != 1 {
		x = math.Pow(x, a.power)
	}
	k := min(uint64(x*a.n), uint64(a.n)-1)
	return sim.UserID(a.rank.at(k))
}

// ties chooses whom a user writes to: one of their Strong first-ranked
// connections with weights (r+1)^-Exponent, or with probability
// NewContacts any connection. A user's ranking is a fixed walk through
// their sorted connections, from a seeded offset with a stride coprime
// with their degree, so no ranking is stored.
type ties struct {
	strong int
	cum    [][]float64 // cum[k-1]: cumulative weights of ranks 0..k-1, the last 1
	fresh  float64     // NewContacts
	seed   uint64
}

// tieStride is a prime larger than any degree short of a million: the
// stride of every user whose degree it does not divide.
const tieStride = 1_000_003

func newTies(t Ties, seed uint64) ties {
	k := min(max(t.Strong, 1), MaxStrongTies)
	ts := ties{strong: k, fresh: min(max(t.NewContacts, 0), 1), seed: seed}
	for n := 1; n <= k; n++ {
		c := make([]float64, n)
		sum := 0.0
		for r := range n {
			sum += math.Pow(float64(r+1), -t.Exponent)
			c[r] = sum
		}
		for r := range c {
			c[r] /= sum
		}
		c[n-1] = 1
		ts.cum = append(ts.cum, c)
	}
	return ts
}

// position returns where the tie of rank r of u, who has degree d,
// stands in u's sorted connections.
func (t *ties) position(u sim.UserID, d, r uint64) uint64 {
	off := hash2(t.seed, streamTies, uint64(u)) % d
	stride := uint64(tieStride) % d
	if stride == 0 {
		stride = 1
	}
	return (off + r*stride) % d
}

// pick returns a connection of u (whose connections are nb) from two
// uniform values: a strong tie, or with probability fresh any connection.
func (t *ties) pick(u sim.UserID, nb []sim.UserID, r1, r2 uint64) (sim.UserID, bool) {
	d := uint64(len(nb))
	if d == 0 {
		return 0, false
	}
	if unit(r1) < t.fresh {
		return nb[scaled(r2, d)], true
	}
	c := t.cum[min(uint64(t.strong), d)-1]
	x := unit(r2)
	r := 0
	for r < len(c)-1 && c[r] <= x {
		r++
	}
	return nb[t.position(u, d, uint64(r))], true
}

// zones places users in time zones and gives the daily rhythm.
type zones struct {
	cum       []float64 // cumulative shares
	offsets   []float64 // ns
	amplitude float64
	peak      float64 // ns after local midnight
	seed      uint64
}

const dayNs = float64(24 * time.Hour)

func newZones(d Diurnal, seed uint64) zones {
	z := zones{amplitude: min(max(d.Amplitude, 0), 1), peak: float64(d.Peak), seed: seed}
	sum := 0.0
	for _, tz := range d.Zones {
		sum += max(tz.Share, 0)
		z.cum = append(z.cum, sum)
		z.offsets = append(z.offsets, float64(tz.Offset))
	}
	if sum == 0 {
		z.cum, z.offsets = []float64{1}, []float64{0}
		sum = 1
	}
	for i := range z.cum {
		z.cum[i] /= sum
	}
	z.cum[len(z.cum)-1] = 1
	return z
}

// zone returns the index of u's time zone.
func (z *zones) zone(u sim.UserID) int {
	x := unit(hash2(z.seed, streamZones, uint64(u)))
	i := 0
	for i < len(z.cum)-1 && z.cum[i] <= x {
		i++
	}
	return i
}

// rhythm returns the rate factor, between 1-amplitude and 1+amplitude,
// of a user of zone i at simulated time t (0 is midnight UTC).
func (z *zones) rhythm(i int, t float64) float64 {
	if z.amplitude == 0 {
		return 1
	}
	return 1 + z.amplitude*math.Cos(2*math.Pi*(t+z.offsets[i]-z.peak)/dayNs)
}

// mean returns the mean rate factor of the population over [t0, t1).
func (z *zones) mean(t0, t1 float64) float64 {
	if t1 <= t0 || z.amplitude == 0 {
		return 1
	}
	w := 2 * math.Pi / dayNs
	sum, prev := 0.0, 0.0
	for i, c := range z.cum {
		share := c - prev
		prev = c
		phase := z.offsets[i] - z.peak
		sum += share * (math.Sin(w*(t1+phase)) - math.Sin(w*(t0+phase))) / w
	}
	return 1 + z.amplitude*sum/(t1-t0)
}

// lognormal draws delays with a median and a 90th percentile.
type lognormal struct {
	mu, sigma float64
}

// z90 is the 90th percentile of the standard normal distribution.
const z90 = 1.2815515655446004

func newLognormal(d Delay) lognormal {
	mu := math.Log(float64(max(d.Median, 1)))
	sigma := 0.0
	if d.P90 > d.Median {
		sigma = (math.Log(float64(d.P90)) - mu) / z90
	}
	return lognormal{mu: mu, sigma: sigma}
}

func (l *lognormal) draw(src *source) sim.Time {
	return sim.Time(min(math.Exp(l.mu+l.sigma*src.norm()), math.MaxInt64/4))
}

// within returns from plus a delay of l at least reactFloor, before end:
// drawn from l, or when that falls at or after end, from l cut at the
// room left (by inverting its distribution function on the part below
// it). It reports false when less than reactFloor is left.
func (l *lognormal) within(src *source, from, end sim.Time) (sim.Time, bool) {
	if d := max(l.draw(src), reactFloor); from+d < end && from+d >= from {
		return from + d, true
	}
	room := end - 1 - from
	if room < reactFloor || l.sigma == 0 {
		return 0, false
	}
	z := (math.Log(float64(room)) - l.mu) / l.sigma
	below := 0.5 * math.Erfc(-z/math.Sqrt2) // the share of delays under room
	u := src.float64() * below
	d := math.Exp(l.mu + l.sigma*math.Sqrt2*math.Erfinv(2*u-1))
	return from + min(max(sim.Time(d), reactFloor), room), true
}
