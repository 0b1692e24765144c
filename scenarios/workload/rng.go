package workload

import (
	"math/bits"
	"math/rand/v2"
)

// Stream numbers keep every generator on its own PCG sequence, so adding
// draws to one part (a behaviour, a chunk of the graph) never shifts another.
const (
	streamErdos    = 1 << 32 // + attempt<<20 + chunk number
	streamBarabasi = 2 << 32
	streamWatts    = 3 << 32 // + chunk number
	streamGroups   = 4 << 32
	streamArrivals = 5 << 32
	streamChoices  = 6 << 32
	streamSpam     = 7 << 32
	// the realistic model's
	streamStarts      = 8 << 32
	streamActivity    = 9 << 32
	streamTies        = 10 << 32
	streamZones       = 11 << 32
	streamSpamTexts   = 12 << 32
	streamSpamTargets = 13 << 32 // + spammer number
)

// source is a seeded PCG with the few draws the generators need. The hot
// draws call the PCG directly; rand.Rand over the same state supplies the
// ziggurat exponential and normal variates.
type source struct {
	pcg  rand.PCG
	rand *rand.Rand
}

func newSource(seed, stream uint64) *source {
	s := &source{}
	s.pcg.Seed(seed, stream)
	s.rand = rand.New(&s.pcg)
	return s
}

func (s *source) uint64() uint64 { return s.pcg.Uint64() }

// below returns a value in [0, n) by the multiply-high method; its bias is
// at most n/2^64, far below anything a simulation can observe.
func (s *source) below(n uint64) uint64 {
	hi, _ := bits.Mul64(s.pcg.Uint64(), n)
	return hi
}

// float64 returns a value in [0, 1).
func (s *source) float64() float64 { return float64(s.pcg.Uint64()>>11) * 0x1p-53 }

func (s *source) exp() float64  { return s.rand.ExpFloat64() }
func (s *source) norm() float64 { return s.rand.NormFloat64() }

// scaled maps a uniform 64-bit value to [0, n) like below does.
func scaled(r, n uint64) uint64 {
	hi, _ := bits.Mul64(r, n)
	return hi
}
