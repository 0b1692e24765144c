// Package workload generates the population and the load of a load test:
// a social graph of connections, group threads, and a deterministic stream
// of operations over simulated time (DESIGN.md sections 4 and 5).
//
// Build turns a Population into a Network, an undirected graph in
// compressed sparse row form (8 bytes a user plus 4 bytes a list entry,
// 208 bytes a user at mean degree 50; each list sorted, without self
// loops or repeats), with one of three models: erdos-renyi (exactly
// G(n, m)), barabasi-albert (preferential attachment) and watts-strogatz
// (a rewired ring lattice). The graph type is Network because Graph names
// the model's configuration. Network.Groups picks group threads whose
// members are connections of their owner.
// NewStream turns a Workload into a Stream: a Poisson process of user
// actions shaped by phases and a mix, merged in time order with the
// scheduled behaviours (regretted deletes, block storms, spam and report
// waves). Next fills a caller's sim.Op without allocating.
//
// Everything is seeded: the same population, workload and seed give the
// same graph, groups and stream, whatever the number of CPUs. Nothing
// reads the wall clock or the global random source.
//
// A Network is immutable once built and safe for concurrent readers;
// slices it returns must not be modified. A Stream is not safe for
// concurrent use: one goroutine pulls it.
package workload
