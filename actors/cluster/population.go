package cluster

import "github.com/msgsim/msgsim/sim"

// Population is what a member needs of a run's scenario to host its
// shards: the policy, the users and their initial connections. Every
// member and the coordinator generate it from the same scenario file and
// seed (the graph and the operation stream are deterministic), so no
// state travels to set a run up.
type Population struct {
	Policy  sim.Policy
	Cohorts *sim.Cohorts
	Users   int
	// Conns gives each user's initial connections, sorted. Each shard
	// hosted on the member copies its users' (newShard), and the run drops
	// Conns once it starts, so the whole graph can go.
	Conns func(sim.UserID) []sim.UserID
	// Groups is the number of groups the run starts with, by which group
	// threads are spread over the shards.
	Groups int
	// Expect is what the invariant checker expects of each policy in
	// force: the specification's, never read from Policy (see
	// sim.Expectations). A member without it cannot check its part.
	Expect sim.Expectations
}

// Spec is how the coordinator describes a run to its members: the
// scenario file's name and bytes and what the command line overrode.
type Spec struct {
	File     string
	Scenario []byte
	Seed     uint64
	Mode     string
	// Overrides are the command line's other overrides, encoded by the
	// runner; the cluster passes them on unread.
	Overrides []byte
}

// PrepareFunc builds a run's population from its spec. A member calls it
// when a coordinator prepares a run; the runner supplies it.
type PrepareFunc func(Spec) (*Population, error)

func (p *Population) env() sim.Env {
	return sim.Env{Policy: &p.Policy, Users: p.Users, Cohorts: p.Cohorts}
}
