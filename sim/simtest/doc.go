// Package simtest generates random operation streams over small
// populations, for property tests of the reference model and differential
// tests of the actor engine. Every stream is a function of its seed.
//
// It also reads sim's behaviour stories (sim/testdata/*.txt): Script turns
// their commands into operations by the names they give, for the tests
// that run the stories on sim and on the specification alike.
//
// It is for tests only; nothing in it is safe for concurrent use.
package simtest
