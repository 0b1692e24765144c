// Package simtest generates random operation streams over small
// populations, for property tests of the reference model and differential
// tests of the actor engine. Every stream is a function of its seed.
//
// It is for tests only; nothing in it is safe for concurrent use.
package simtest
