package workload

import "unsafe"

// Measures of a Network that only the tests take.

// Edges returns the number of connections (undirected edges).
func (g *Network) Edges() int { return len(g.neighbours) / 2 }

// MaxDegree returns the largest number of connections any user has.
func (g *Network) MaxDegree() int {
	m := uint64(0)
	for u := range g.Users() {
		m = max(m, g.offsets[u+1]-g.offsets[u])
	}
	return int(m)
}

// Bytes returns the memory the Network holds, in bytes.
func (g *Network) Bytes() int {
	return int(unsafe.Sizeof(*g)) +
		cap(g.offsets)*int(unsafe.Sizeof(g.offsets[0])) +
		cap(g.neighbours)*int(unsafe.Sizeof(g.neighbours[0]))
}
