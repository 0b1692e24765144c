// Package actors runs a population as protoactor-go actors around package
// sim's state machines: each user and each conversation thread is served
// by an actor while it is live, as virtual actors (protoactor's grains,
// Orleans) are, and has no actor while it is idle. An actor decodes a
// step, calls the sim handler, routes the steps it returns and counts; no
// rule lives here.
//
// # Where each rule is decided, and why that is safe
//
// A thread's actor is the serialization point for everything in it:
// appends, deletes, edits, membership, block marks, and for a direct thread
// the pair's connection and block state. Because a send and a block of the
// same pair are both decided by the pair's thread, whichever the thread
// applies first wins, and its log records that order: a send can never be
// accepted after the block that the thread already applied (I4, I11), and
// a delete can only change what the thread stores (I1, I2). A user's actor
// owns connections, blocks, settings, its inbox index and notification
// counters; it judges what depends only on that state (profile views,
// archive, mute, read, posts, the connection checks of group additions) and
// decides for each delivered message whether it notifies (R2). The thread
// tells users about pair changes in FIFO order (a thread's steps run one
// at a time, and a mailbox keeps the order of what is posted to it), so user replicas converge on the
// thread's state; the checker verifies they have at quiescence. (A step
// that opens a direct thread takes the pair's state from the initial
// connections, sim.InitialPair, and skips its user.) See sim's
// package documentation for the step-by-step decomposition.
//
// # Activation, passivation and memory
//
// A user or thread is live while it has an actor, which it gets when a
// step for it is sent, and passivated otherwise; its state stays with the
// engine either way: a user's as a sim.User, a passivated thread's packed
// into a few bytes (sim.Thread.Pack) in its registry shard's arena, or as
// a compacted sim.Thread when it has grown too long to unpack cheaply at
// every activation (over 8 messages, 16 members or 64 events). Actors are
// hosts reused from one user or thread to the next: every step names whom
// it is for, a live user or thread has one host at a time, and one that
// passivates hands its host to the next to activate. A run therefore
// spawns about as many actors as it has steps in flight, not one per user
// and per thread, and the hosts in use stay in the caches: against one
// actor per user spawned on first use, this made a 1M-user run 1.7 times
// faster in parallel mode and 2 times in deterministic mode, and halved
// the memory per thread. A user passivates as soon as no step for it is in
// flight, and so does a thread: keeping up to 262,144 idle threads on
// their hosts measured 20-60% slower, and a thread kept live cost about
// 915 bytes against 550 passivated. A lock (a registry shard's for a
// thread, one of 256 for a user) orders activation, sends and
// passivation, so nothing is detached while a step for it is in flight,
// and its steps run one at a time in the order they were claimed, on
// whichever host. Measured here (TestPassivationMemory, 20,000 direct
// threads of one message): about 550 bytes per passivated thread (of
// which 50 the first 4 KiB block of each shard's arena), the thread's
// share of both users' inbox entries included. In a run, where hosts number about the steps in
// flight, a stored message costs about 60 bytes at 1M users and 10M
// operations with the thread it opened, its registry index slot and both
// users' inbox entries (msgsim bench; 41 to 73 across its sizes), against
// about 250 before threads were packed; packing and unpacking cost the
// engine about a tenth of its speed at 1M users.
//
// Engine.Seed sets a population up (its groups) with the reference model's
// handlers and no actors at all.
//
// # Mailboxes
//
// Every actor has the engine's own protoactor mailbox: it behaves as the
// default one (system messages first, suspension while restarting, panics
// escalated), but a step carries its own queue link, so posting allocates
// nothing, and the engine posts steps straight to the mailbox it keeps
// beside each actor instead of resolving a PID for every message. Steps
// come from a pool, and handlers write to outboxes lent for one step.
//
// # Supervision
//
// Every actor runs under a one-for-one supervisor that restarts it on a
// panic. The state a step is for travels with the step, so a restart loses
// nothing but the step that panicked, whose user or thread is released as
// if it had finished; when that step was to decide its operation (Decides),
// Run frees the operation's slot without reporting an outcome, as the
// cluster's coordinator does. The engine counts restarts and keeps the
// panics' reasons for the report.
//
// # Concurrency
//
// An Engine is driven by one goroutine (Apply, Run, Quiesce, State,
// Passivate, Close); the Result callback of Run is called from actor
// goroutines concurrently. State may only be read at quiescence.
package actors
