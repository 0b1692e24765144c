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
// NewStream turns a Workload into a Stream, under one of two models. The
// uniform model (Uniform, the first versions' stream, kept unchanged for
// comparisons and benchmarks) is a Poisson process of actions of
// uniformly chosen users on uniformly chosen connections, shaped by
// phases and a mix. The realistic model (Realistic, the scenario
// loader's default; people.go) has people: uneven activity, sessions,
// days in time zones, strong ties, replies after heavy-tailed delays,
// and reads, mutes, archives and thread deletions of the threads they
// really have, with the mix's shares kept. Either is merged in time
// order with the scheduled behaviours (regretted deletes, block storms,
// spam and report waves). Next fills a caller's sim.Op, allocating only
// the members of a create_group. The stream is the same under every
// policy: it never learns outcomes.
//
// Everything is seeded: the same population, workload and seed give the
// same graph, groups and stream, whatever the number of CPUs. Nothing
// reads the wall clock or the global random source. Setting a stream up
// costs, in the population, no more than indexing the groups' members,
// a bit a user (the notification setting) and the ring of recent sends
// (four a user, at most 2^20), and O(1) in the size of the behaviours
// apart from the uniform model's drawing of its spammers. Memory grows
// with the groups, the operations waiting for their time (replies,
// reads) and the pairs the stream's own blocks and disconnections
// changed; under the realistic model never with the size of a spam wave
// (the uniform model's report wave keeps the spam sent before it).
// Workload.Validate and ValidateFor bound every number that could make
// work or memory explode.
//
// A Network is immutable once built and safe for concurrent readers;
// slices it returns must not be modified. A Stream is not safe for
// concurrent use: one goroutine pulls it.
package workload
