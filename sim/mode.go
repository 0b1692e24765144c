package sim

// Mode says how a run applies its operations: the two modes of DESIGN.md
// section 4. It lives here, below both, so that a scenario's mode and the
// engine's are one vocabulary.
type Mode uint8

// The run modes.
const (
	// Parallel applies operations as fast as the machine allows, many in
	// flight at once.
	Parallel Mode = iota
	// Deterministic applies one operation at a time to quiescence; the same
	// stream gives the same state as the reference model.
	Deterministic
	NumModes // the number of modes, for ranging over them
)

var modeNames = [...]string{"parallel", "deterministic"}

// String returns the mode's name in scenario files, flags and reports.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode?"
}

// ParseMode returns the mode named s.
func ParseMode(s string) (Mode, bool) {
	for m := range NumModes {
		if modeNames[m] == s {
			return m, true
		}
	}
	return 0, false
}
