//go:build race

package actors

// raceEnabled is true under the race detector, which slows every step
// about tenfold: the random-stream tests then try as many streams as
// with -short (every action and both dispatchers still), so that
// `go test -race -count=20 ./actors/...` ends within go test's default
// timeout. The full counts run without -race.
const raceEnabled = true
