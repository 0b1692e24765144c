// Package scenarios loads msgsim scenario files (DESIGN.md section 5): a
// script of named users and steps with expectations, a generated population
// with its workload, or both in one file.
//
// Load is the package's promise: it reads one YAML document strictly (an
// unknown key, a second document, a name the file never defines, a value of
// the wrong type or out of range is an error), applies the documented
// defaults, and either returns a complete, valid Scenario or an ErrorList
// with every problem it found, each at its file:line:col with the path of
// the field, e.g.
//
//	s.yaml:7:10: population.users: must be at least 1, got 0
//
// Load never panics, whatever the input. Outcomes are not load errors:
// sending to oneself loads fine and is the invalid outcome at run time.
//
// Ids: script users take sim.UserID 0..len(Users)-1 in file order and
// generated users follow them; script groups take group numbers 0..len(Groups)-1
// in the order of their create_group steps and generated groups follow.
//
// The scenarios/workload package holds the population and workload types and
// generates operation streams from them; this package is the only one in
// msgsim that imports YAML. Schema is a JSON Schema of the format for editors.
//
// A Scenario is plain data. The command applies its flag overrides (seed,
// mode, a compared policy) to a freshly loaded Scenario before a run;
// nothing modifies a Scenario while a run uses it, and it may be shared
// between goroutines then. Load itself may be called from many goroutines
// at once.
package scenarios
