// Command msgsim runs messaging scenarios on the actor simulator.
//
//	msgsim run [FILE]            run a scenario (the embedded 100k-user default without FILE, stdin for -)
//	msgsim validate FILE...      check scenario files, every problem at file:line:col
//	msgsim policies              the policy presets and their knobs
//	msgsim compare FILE --policies a,b,c
//	                             one workload under several policies, side by side
//	msgsim bench --users N --ops M
//	                             the actor engine against the reference model
//
// Exit codes (exit.go): 0 every expectation, invariant and threshold held;
// 1 something failed, the run was interrupted or its report could not be
// written; 2 the input is unusable and nothing ran; 3 msgsim failed on its
// own. main only builds the process around run(ctx, args, stdin, stdout,
// stderr), which tests call in-process. This is the only package that
// reads flags, decides exit codes and opens the user's files; elsewhere
// os serves only measuring the process itself (the bench's peak RSS,
// internal/hugepages) and the mutation suite's command.
// It is glue: it parses flags, picks the writers (report's text, JSON and
// HTML renderers, bench's figures) and maps outcomes to exit codes; it
// imports runner, runner/bench, report, scenarios, metrics and actors, and
// none of them imports it.
package main
