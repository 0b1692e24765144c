//go:build !race

package main

// clusterUnderRace is true under the race detector (see node_race_test.go).
const clusterUnderRace = false
