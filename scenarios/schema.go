package scenarios

import _ "embed"

// Schema is a JSON Schema (draft 2020-12) of the scenario format, for
// editors to complete and check files. Load is the authority: it checks
// what a schema cannot, such as names defined before use and phases that
// cover the workload's duration.
//
//go:embed schema.json
var Schema []byte
