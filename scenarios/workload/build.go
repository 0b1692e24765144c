package workload

import "github.com/msgsim/msgsim/sim"

// The graph models Build knows.
const (
	ErdosRenyi     = "erdos-renyi"
	BarabasiAlbert = "barabasi-albert"
	WattsStrogatz  = "watts-strogatz"
)

// Build generates p's social graph. The same population and seed give the
// same graph, whatever the number of CPUs: the work is split into chunks
// that depend on the population alone, each with its own random stream.
func Build(p Population, seed uint64) (*Network, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n, mean := p.Users, p.Graph.MeanDegree
	var edges []sim.UserID
	switch p.Graph.Model {
	case ErdosRenyi:
		edges = erdosRenyi(n, mean, seed)
	case BarabasiAlbert:
		edges = barabasiAlbert(n, mean, seed)
	case WattsStrogatz:
		edges = wattsStrogatz(n, mean, p.Graph.Rewire, seed)
	}
	return fromEdges(n, edges), nil
}
