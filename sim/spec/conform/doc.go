// Package conform compares an engine's results with the specification
// model of package spec: each operation's outcome as it is applied
// (Outcome), and at the end every observable of the final state (Final):
// each user's view of each thread they were ever a member of, inbox order,
// unread count, archived, muted and deleted flags and current membership,
// notifications by cause and
// suppressions by reason, the notification setting, profile visibility,
// connections and blocks, and the set of threads; and the policy-lab
// measures a run reported (Measures), of the whole run and of each cohort,
// with the regret curve point by point.
//
// It reads the engine's state only through sim.State's exported
// observables and the spec only through its exported methods; it decides
// nothing itself but what to compare, so a difference is always a
// disagreement between the two implementations, reported as a Difference
// that says where (operation index, user, thread) and what each side says.
//
// Final takes time linear in both states: about a second of CPU for
// 100,000 users after a million operations (BenchmarkFinal), 2.5 seconds
// for a million users.
//
// Final reads its *sim.State and *spec.Model without changing them; it
// must not run while either is being changed, and a State whose Store
// forbids concurrent Get forbids running two Finals on it at once.
// Measures reads the model the same way. Outcome and Difference are plain
// functions of their arguments.
package conform
