package sim

import "time"

// Expect is what the checker expects of the threads and users under one
// policy: the texts, windows and rules of DESIGN.md section 2 for one
// preset, with its knobs. It is plain data, given by the caller of Check,
// so that what the checker expects does not come from the Policy value
// the rules read: a wrong tombstone text or window in a preset, or a knob
// the rules misread, then shows up as a violation instead of being
// expected. The runner fills it from the specification's own preset table
// (package sim/spec); sim's tests from the literal texts of DESIGN.md.
type Expect struct {
	Name string // for violations' texts

	RequireConnection      bool          // R1: a direct message needs a connection
	DeleteForEveryone      bool          // a sender may delete a message for every member
	DeleteWindow           time.Duration // of delete for everyone; 0: no limit
	DeleteEveryoneInGroups bool          // delete for everyone in group threads too
	DeleteReceived         bool          // a member may delete someone else's message for themself
	TombstoneSelf          string        // the deleter's line in place of a deleted message; "": none
	TombstoneOthers        string        // the others' line after a delete for everyone; "": none
	Edit                   bool          // a sender may edit a message
	EditWindow             time.Duration // 0: no limit
	EditLimit              int           // edits per message; 0: no cap
	BlockMutual            bool          // a block stops messages both ways
	BlockRemovesConnection bool          // R7
	BlockHidesHistory      bool          // the blocker stops seeing the blocked user's earlier messages
	UnblockReconnects      bool          // an unblock restores a connection the block removed
	UnarchiveOnNewMessage  bool          // R5
	NotifyOnDelete         bool          // a delete for everyone notifies the other members
}

// Expectations gives the checker what it expects of a thread whose
// members span a set of cohorts (bit i: cohort i of State.Cohorts), and,
// for a set of one cohort, what that cohort's users expect of their own
// inbox (unarchive on new message). A run without cohorts has one cohort,
// so set is then always 1. Check calls it at most once per set.
type Expectations func(set uint8) Expect

// Uniform returns the expectations of a run under one policy.
func Uniform(e Expect) Expectations { return func(uint8) Expect { return e } }

// ExpectOf returns what p's knobs say. It is not independent of the rules:
// a check against it expects whatever the policy value says, so a wrong
// text or window in a preset passes. Use it only where nothing else
// describes the run (a policy built in a test, a caller with no
// specification), and say so.
func ExpectOf(p *Policy) Expect {
	return Expect{
		Name:                   p.Name,
		RequireConnection:      p.RequireConnection,
		DeleteForEveryone:      p.DeleteForEveryone,
		DeleteWindow:           p.DeleteWindow,
		DeleteEveryoneInGroups: p.DeleteEveryoneInGroups,
		DeleteReceived:         p.DeleteReceived,
		TombstoneSelf:          p.TombstoneSelf,
		TombstoneOthers:        p.TombstoneOthers,
		Edit:                   p.Edit,
		EditWindow:             p.EditWindow,
		EditLimit:              p.EditLimit,
		BlockMutual:            p.BlockMutual,
		BlockRemovesConnection: p.BlockRemovesConnection,
		BlockHidesHistory:      p.BlockHidesHistory,
		UnblockReconnects:      p.UnblockReconnects,
		UnarchiveOnNewMessage:  p.UnarchiveOnNewMessage,
		NotifyOnDelete:         p.NotifyOnDelete,
	}
}

// PolicyExpectations returns the expectations that s's own policies (and
// cohorts) describe, through ExpectOf: not independent of the rules (see
// ExpectOf).
func (s *State) PolicyExpectations() Expectations {
	if s.Cohorts == nil {
		e := ExpectOf(&s.Policy)
		return Uniform(e)
	}
	c := s.Cohorts
	return func(set uint8) Expect { return ExpectOf(c.Merged(set)) }
}

// expects caches a run's Expectations by cohort set.
type expects struct {
	of    Expectations
	cache [256]*Expect
	multi bool // the run has cohorts
}

// get returns the expectations of a thread spanning set; set 0 (a group
// before its first member) counts as cohort 0 alone.
func (x *expects) get(set uint8) *Expect {
	if !x.multi || set == 0 {
		set = 1
	}
	if e := x.cache[set]; e != nil {
		return e
	}
	e := x.of(set)
	x.cache[set] = &e
	return &e
}
