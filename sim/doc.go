// Package sim is msgsim's pure core: identifiers, simulated time, the
// messaging rules as user and thread state machines, policies, the
// sequential reference model, the state digest and the invariant checker.
//
// It uses the standard library only: no actors, YAML, Prometheus, wall
// clock or global random source, so everything here is deterministic and
// testable on its own (TestPureImports keeps it so).
//
// # Operations as steps
//
// An Op (one scenario action) becomes a short chain of Msg steps, each
// addressed to one User or one Thread. A handler takes a step and the Env
// (policy, population size) and appends the steps it causes to an Outbox,
// in the style of etcd-io/raft's RawNode: it decides, it sends nothing.
// World, the reference model, runs the chain from a queue; package actors
// runs the same handlers inside actors. Where each rule is decided:
//
//   - the acting user: unknown users and acting on oneself, profile views
//     (R8), archive, mute, read and notification settings (R5, R6, R11),
//     posts (R9), the connection and block checks of group additions (R1g),
//     because those depend only on the user's own state;
//   - a direct thread: the pair's connection and blocks (R1, R7), and every
//     append, delete and edit in it (R3); it is the single authority for
//     the pair, so a send racing a block is ordered by the thread's log;
//   - a group thread: membership, appends, deletes, edits, and the block
//     marks that hide a blocked member's later messages from the blocker;
//   - a recipient user: unread counts, unarchiving, and whether a delivered
//     message raises a notification (R2) given mute, settings and blocks.
//
// Users hold replicas of their pairs' connection and block state, updated
// by the thread in FIFO order (PairChanged); the checker verifies at
// quiescence that replicas equal the authority.
//
// # Cohorts and measures
//
// Cohorts put parts of a population under different policies in one run
// (A/B experiments). A thread follows the stricter policy of the cohorts
// it spans, knob by knob (Stricter, Cohorts); the checker replays each
// thread under that policy. Measure computes a run's policy outcomes
// (regretted messages still readable, recalls, tombstones, what blocks
// stop and keep, spam reach, reports, storage) from the final State and
// the few counts of refused operations that the state cannot show.
//
// # Memory
//
// Ids are integers (UserID 4 bytes, ThreadID 8 with direct threads derived
// from their pair). A stored Message costs 40 bytes besides its text
// (key, time, text header, author, edit count, deleted flag) and workloads
// share texts from a pool. A delete for me costs 8 bytes and a block mark
// 16; each applied delete, edit, block or membership change adds a 48-byte
// log Event besides any text it keeps. A Thread is 80 bytes and each of
// its members 16; packed (Thread.Pack), a direct thread with one message
// is about 15 bytes. A User is 128 bytes plus its connections (4 bytes
// each, shared with the population's graph and never copied), 12
// bytes per inbox entry, and once it has any, its block sets and its
// connections made or ended since the graph (kept as a difference).
//
// # Concurrency
//
// Nothing in sim is safe for concurrent use; the actor engine gives each
// User and Thread to exactly one actor. Policy and Env are read-only once
// a run starts.
package sim
