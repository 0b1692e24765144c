//go:build race

package main

// clusterUnderRace is true under the race detector, where the cluster
// tests skip: protoactor's remote and cluster code has data races of its
// own.
const clusterUnderRace = true
