//go:build !race

package actors

// raceEnabled is false without the race detector (see race_test.go).
const raceEnabled = false
