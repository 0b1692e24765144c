package scenarios

import _ "embed"

// Default is the scenario `msgsim run` runs without a file: a population
// of 100,000 users living one simulated day.
//
//go:embed examples/population-100k.yaml
var Default []byte

// DefaultName is the name errors and reports give the default scenario.
const DefaultName = "population-100k.yaml"
