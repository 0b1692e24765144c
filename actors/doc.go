// Package actors runs a population as protoactor-go actors: one actor per
// user, and an actor for each conversation thread while it is live, around package sim's state
// machines. An actor decodes a sim.Msg, calls the sim handler, routes the
// steps it returns and counts; no rule lives here.
//
// # Where each rule is decided, and why that is safe
//
// A thread actor is the serialization point for everything in its thread:
// appends, deletes, edits, membership, block marks, and for a direct thread
// the pair's connection and block state. Because a send and a block of the
// same pair are both decided by the pair's thread, whichever the thread
// applies first wins, and its log records that order: a send can never be
// accepted after the block that the thread already applied (I4, I11), and
// a delete can only change what the thread stores (I1, I2). A user actor
// owns connections, blocks, settings, its inbox index and notification
// counters; it judges what depends only on that state (profile views,
// archive, mute, read, posts, the connection checks of group additions) and
// decides for each delivered message whether it notifies (R2). The thread
// tells users about pair changes in FIFO order (protoactor keeps order
// between one sender and one receiver), so user replicas converge on the
// thread's state; the checker verifies they have at quiescence. (A step
// that opens a direct thread takes the pair's state from the initial
// connections, sim.InitialPair, and skips its user.) See sim's
// package documentation for the step-by-step decomposition.
//
// # Threads, passivation and memory
//
// A thread is live while it has an actor, which it gets from the registry
// when a step for it is sent (a direct thread comes into existence when
// its pair first exchanges a message or changes state), and passivated
// otherwise: its sim.Thread, compacted, stays in the registry. Thread
// actors are hosts reused from thread to thread: every step names the
// thread it is for, and a thread that passivates hands its host to the
// next thread to activate, so a run spawns about as many thread actors as
// it has steps in flight rather than one per thread, and the hosts in use
// stay in the caches. By default a thread passivates as soon as no step
// for it is in flight; Config.MaxLiveThreads lets that many idle threads
// keep their host. A shard lock orders activation, sends and passivation,
// so a thread is only detached when no step for it is in flight, and its
// steps run one at a time in the order they were claimed, on whichever
// host. Measured here (TestPassivationMemory, 20,000 direct threads of one
// message): about 840 bytes per thread with a live actor and 445 bytes
// passivated, the thread's share of both users' inbox entries included.
//
// User actors are spawned on a user's first message, while every user's
// state exists from the start: building a population costs its graph and
// user states, not a million spawns. Engine.Seed sets a population up
// (its groups) with the reference model's handlers and no actors at all.
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
// panic. A user actor's name carries its user's id, and each new
// incarnation finds the user's state from its name; a thread's state
// travels with each step. A restart loses nothing but the step that
// panicked; the engine counts restarts and keeps the panics' reasons for
// the report.
//
// # Concurrency
//
// An Engine is driven by one goroutine (Apply, Run, Quiesce, State,
// Passivate, Close); the Result callback of Run is called from actor
// goroutines concurrently. State may only be read at quiescence.
package actors
