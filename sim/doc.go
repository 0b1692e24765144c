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
// An Op (one scenario action) becomes a short chain of Steps, each
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
// # The checker
//
// Check judges a state at quiescence against what the caller expects of
// each policy in force (Expect, Expectations): tombstone texts, windows
// and knobs come from the caller (the runner takes them from sim/spec's
// own preset table, sim's tests from DESIGN.md's texts), never from the
// Policy value the rules read. ExpectOf turns a Policy into an Expect for
// callers that have nothing else; a check against it is not independent.
//
// It works from two records, each kept in the order of the one actor that
// applied it, so what it judges holds for any interleaving of a parallel
// run:
//
//   - each thread's messages and log, replayed: every append, delete,
//     edit, join and block mark is judged at the point the thread applied
//     it, and every member's view and what the thread sent each member
//     are recomputed;
//   - each user's history (history.go): what reached the user (deliveries
//     as the thread sent them, pair states, notices, joins) and what the
//     user asked or decided (inbox actions, settings, profile views, the
//     checks of group additions, post fan-out), in the order the user
//     applied them. From it the checker recomputes the notifications
//     raised and suppressed, the inbox, and each decision's outcome on
//     the user's replica at that point.
//
// The two are then held against each other: the threads' deliveries and
// membership steps against the users' histories (a sum of hashes per
// user), each direct thread's pair states against both users', the block
// marks in groups against the blockers' histories, and every join against
// a decision that allowed it.
//
// Besides I1 to I11 of DESIGN.md section 3, the checker enforces:
//
//   - I12 inbox: each user's index holds the threads its history brought,
//     each with the unread count, archived, muted, removed and member
//     flags the history implies (R4, R5, R6, R11), in the order of the
//     last message shown (the inbox's order); archive, mute and read are
//     not_found exactly when no step of the thread ever reached the user;
//     the notification setting is the last one set.
//   - I13 group additions: every create_group and add_member was judged
//     on the adder's replica as it stood (blocked, then not_connected;
//     R1g), and every member a group holds joined by such a decision that
//     allowed it, one join per decision.
//   - I14 post fan-out: a post notifies each connection the author had at
//     that point in its history, once (R9), and the notices sent are the
//     notices received.
//   - I15 edits: an edit is applied only where the policy has edits, by
//     the author, to a message not deleted in the editor's view, within
//     the window and under the limit, and a message counts the edits its
//     thread's log holds.
//
// What a parallel run cannot judge: an outcome is judged against the state
// of the actor that decided it, not against the stream's order (a profile
// view allowed while the block was still on its way to the viewer's
// replica is correct there); an operation refused or ignored without a
// trace (a send wrongly refused, a block never applied) leaves nothing to
// judge; and where a rule leaves a choice to the order of arrival (a
// group joined while a block's marks are on their way) the checker holds
// only what every order must give. Deterministic runs are compared
// operation by operation with the specification (sim/spec) instead.
//
// Check's passes also run part by part where the state lives (Part,
// PartCheck; a cluster member's shards): each part replays the threads
// and the histories it holds, and tells the parts holding the users and
// groups concerned what they need of it as Notes (what the threads sent
// each user as a sum, each direct thread's pair states, the block marks,
// creations and additions a history calls for, post notices, what users
// block). Check and Measure are the same passes over a state held whole:
// a state checked in parts gives the same checks, the same violations
// (merged by Rank) and the same measures (MeasureCount, added).
//
// # Cohorts and measures
//
// Cohorts put parts of a population under different policies in one run
// (A/B experiments). A thread follows the stricter policy of the cohorts
// it spans, knob by knob (Stricter, Cohorts); the checker replays each
// thread against the expectations its caller gives for that set of
// cohorts (runner takes them from the specification's presets), never
// against the policy the handlers read. Measure computes a run's policy outcomes
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
// bytes per inbox entry, its history for the checker (1 to 16 bytes a
// record, a group creation's member ids besides: about 5 for each copy of a direct message, sender's included,
// 4 for a post notice; 12 bytes an operation of the default mix at
// 100,000 users, 15 with the room it grows into), and once it has any,
// its block sets and its connections made or ended since the graph (kept
// as a difference).
//
// # Concurrency
//
// Nothing in sim is safe for concurrent use; the actor engine gives each
// User and Thread to exactly one actor. Policy and Env are read-only once
// a run starts.
package sim
