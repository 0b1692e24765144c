// Package metrics exposes what a msgsim run does as Prometheus metrics.
//
// It promises three things, and it is the only package of msgsim that imports
// client_golang:
//
//   - [New] registers the msgsim_* families on a caller's Registerer (never the
//     default registry), with a constant label policy so that runs of several
//     policies can share one Prometheus. Names follow Prometheus conventions:
//     counters end in _total, durations are in seconds, and every label takes a
//     small fixed set of values (action, outcome, cause, reason, invariant,
//     state), never a user or thread id.
//   - The recording methods of [Metrics] cost an atomic operation or two: every
//     labelled child is resolved once in New, so they take no lock, look up no
//     map and allocate nothing. A nil *Metrics records nothing, so callers that
//     run without metrics need no checks.
//   - [Serve] exposes a registry on /metrics over HTTP while a run goes on, and
//     [Push] sends it to a Pushgateway when a run is too short to be scraped.
//
// Everything in the package is safe for concurrent use: the methods of
// *Metrics and *Server may be called from any number of goroutines.
package metrics
