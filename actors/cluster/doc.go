// Package cluster runs a population on a protoactor cluster of several
// processes, past what one machine holds: the cluster mode of DESIGN.md
// section 4. No rule lives here: every step is handled by sim's
// handlers, sim.User.Handle and sim.Thread.Handle, exactly as the
// one-process engine (package actors) calls them.
//
// # Members, shards and placement
//
// A member (StartMember; `msgsim node`) joins the cluster through a
// membership provider: automanaged (a fixed list of members, no external
// service; it serves a health endpoint HealthPortOffset above the
// member's port) or etcd. The population is split into shards, each a
// range of user ids, the direct threads whose lower user is in that
// range and a range of group numbers. A shard is a virtual actor of the
// cluster, a grain of kind "msgsim-shard" whose identity is the shard's
// number (and the run's: "7-<run>"), so protoactor's identity lookup (disthash, rendezvous hashing
// over the members) decides which member hosts it, and activates it
// there when it is first asked for. The grain keeps its users side by
// side as the engine does and its idle threads packed (actors.Shelf),
// and handles its steps one at a time: it is the serialization point of
// every user and thread it hosts.
//
// # Steps between members
//
// A handler's steps for shards on the same member go straight to their
// grains; steps for other members join a batch for that member
// (wire.Batch, protobuf as protoactor's remote requires), which leaves
// when it holds 512 steps, when the member has nothing left to handle,
// or within 2 ms. Batches to a member leave in order over one
// connection, so the steps of one shard to another arrive in the order
// they were sent, as through a mailbox.
//
// # The coordinator
//
// The coordinator (Connect; `msgsim run --cluster`) is not a member. It
// waits until the listed members all answer and all see exactly each
// other, has each of them generate the population from the scenario's
// bytes and seed (so no state travels), has the identity lookup place
// the shards, then sends each operation's first step to the shard that
// hosts its user (or its thread, as the engine's bypass does). Every
// operation starts with a credit (Dijkstra and Scholten's, as Mattern
// put it for termination detection): a step splits its share among the
// steps it causes and returns the rest, so the coordinator knows an
// operation has settled on every member when all its credit is back.
// Deterministic mode applies one operation at a time to that point; the
// state digest is then that of a one-process run of the same scenario
// and seed, computed (Coordinator.Digest) by passing the hash from shard
// to shard without moving any state.
//
// # Checking
//
// At quiescence the coordinator has the members check the invariants
// (Coordinator.Check) with sim's checker split into passes
// (sim.PartCheck), each member over the users and threads it hosts: it
// shares its users' blocks with the members that host their threads,
// replays its threads, replays its users' histories, and ties its
// groups' marks and joins and its authors' posts to what the histories
// called for. What one pass needs of another member's users or threads
// travels as notes (wire.Notes, batched and acked member to member, in
// order): the sums of what a member's threads sent each user, each
// direct thread's pair states for its users, the block marks, creations
// and additions a user's history calls for in a group, the post notices
// each author's posts got. The coordinator only starts each pass on
// every member once the pass before has ended everywhere, and adds up
// counts, the policy measures' counts and each member's first
// violations, merged in the order sim.State.Check reports them: the
// checks, the violations and the measures of a run are those of the
// same state checked in one process.
//
// # Faults
//
// Membership is fixed for a run. A member that stops answering, leaves
// or restarts, or one that joins (the identity lookup would move shards
// to it, and protoactor stops the grains it moves), ends the run with a
// LostError naming the members and how many users' state was lost.
// Nothing is recovered: the grains' state lives in memory only.
//
// # Concurrency
//
// A Member is safe for concurrent use. A Coordinator is driven by one
// goroutine; Run's result callback is called from another.
//
// protoactor's remote and cluster code has data races of its own: the
// tests of this package that start members skip under the race detector.
package cluster
