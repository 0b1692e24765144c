package workload

import (
	"slices"

	"github.com/msgsim/msgsim/sim"
)

// Network is an undirected social graph of connections between users
// 0..Users()-1, in compressed sparse row form: user u's connections are
// neighbours[offsets[u]:offsets[u+1]], sorted ascending, without u itself
// and without repeats. Every connection is listed at both ends.
//
// A Network is immutable once built and safe for concurrent readers.
type Network struct {
	offsets    []uint64
	neighbours []sim.UserID
}

// Users returns the number of users.
func (g *Network) Users() int { return len(g.offsets) - 1 }

// Neighbours returns u's connections in ascending order. The slice shares
// the Network's storage: callers must not modify it.
func (g *Network) Neighbours(u sim.UserID) []sim.UserID {
	lo, hi := g.offsets[u], g.offsets[u+1]
	return g.neighbours[lo:hi:hi]
}

// Degree returns u's number of connections.
func (g *Network) Degree(u sim.UserID) int { return int(g.offsets[u+1] - g.offsets[u]) }

// Connected reports whether a and b are connections of each other.
func (g *Network) Connected(a, b sim.UserID) bool {
	// Search the shorter list: hubs in a preferential-attachment graph have
	// tens of thousands of connections.
	if g.Degree(a) > g.Degree(b) {
		a, b = b, a
	}
	_, found := slices.BinarySearch(g.Neighbours(a), b)
	return found
}

// MeanDegree returns the mean number of connections per user.
func (g *Network) MeanDegree() float64 {
	return float64(len(g.neighbours)) / float64(g.Users())
}
