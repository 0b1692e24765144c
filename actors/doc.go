// Package actors runs a population as protoactor-go actors: one actor per
// user and one per live conversation thread, around package sim's state
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
// thread's state; the checker verifies they have at quiescence. See sim's
// package documentation for the step-by-step decomposition.
//
// # Threads, passivation and memory
//
// A thread actor is spawned on first use (a direct thread when its pair
// first exchanges a message or changes state) and passivates when it is
// idle and more than Config.MaxLiveThreads thread actors are live. A
// passivated thread keeps its sim.Thread, trimmed, in the registry and no
// actor; the next message spawns a new actor for the same state. A shard
// lock orders activation, sends and passivation, so a thread only stops
// when no message for it is in flight. Measured here (TestPassivationMemory,
// 20,000 direct threads of one message): about 1,520 bytes per thread
// with a live actor and 450 bytes passivated, 29%; the passivated figure
// includes the thread's share of both users' inbox entries.
//
// User actors are spawned on a user's first message, while every user's
// state exists from the start: building a population costs its graph and
// user states, not a million spawns.
//
// # Supervision
//
// Every actor runs under a one-for-one supervisor that restarts it on a
// panic. An actor's name carries the id of the sim state it wraps, and
// each new incarnation finds that state from its name, so a restart loses
// nothing but the message that panicked; the engine counts restarts and
// keeps the panics' reasons for the report.
//
// # Concurrency
//
// An Engine is driven by one goroutine (Apply, Run, Quiesce, State,
// Passivate, Close); the Result callback of Run is called from actor
// goroutines concurrently. State may only be read at quiescence.
package actors
