package sim

// Outcome is the result code of an operation, named as in scenario files.
// Where several apply, the lowest non-OK value wins: the constants are
// declared in DESIGN.md's precedence order.
type Outcome uint8

// The outcome codes of DESIGN.md section 5, in precedence order after OK.
const (
	OK Outcome = iota
	UnknownUser
	Invalid
	NotFound
	NotMember
	NotAllowed
	Blocked
	NotConnected
	NotAuthor
	AlreadyDeleted
	WindowExpired
	GroupFull
	NumOutcomes // the number of outcomes; not an outcome
)

var outcomeNames = [NumOutcomes]string{
	"ok", "unknown_user", "invalid", "not_found", "not_member", "not_allowed",
	"blocked", "not_connected", "not_author", "already_deleted",
	"window_expired", "group_full",
}

func (o Outcome) String() string {
	if o < NumOutcomes {
		return outcomeNames[o]
	}
	return "outcome?"
}

// ParseOutcome returns the outcome named s as in scenario files.
func ParseOutcome(s string) (Outcome, bool) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), true
		}
	}
	return 0, false
}

// Outcomes returns every outcome in precedence order, OK first.
func Outcomes() []Outcome {
	os := make([]Outcome, NumOutcomes)
	for i := range os {
		os[i] = Outcome(i)
	}
	return os
}

// first returns the first failing outcome of cs in precedence order, or OK.
func first(cs ...Outcome) Outcome {
	best := OK
	for _, c := range cs {
		if c != OK && (best == OK || c < best) {
			best = c
		}
	}
	return best
}

// possible lists, by action, the outcomes the rules of DESIGN.md sections 1
// and 5 can give it under some policy: what a workload can reach at most.
var possible = [NumActions][]Outcome{
	Connect:       {OK, UnknownUser, Invalid, Blocked},
	Disconnect:    {OK, UnknownUser, Invalid},
	Block:         {OK, UnknownUser, Invalid},
	Unblock:       {OK, UnknownUser, Invalid},
	ViewProfile:   {OK, UnknownUser, Invalid, Blocked},
	Send:          {OK, UnknownUser, Invalid, NotFound, NotMember, Blocked, NotConnected},
	CreateGroup:   {OK, UnknownUser, Invalid, Blocked, NotConnected, GroupFull},
	AddMember:     {OK, UnknownUser, Invalid, NotFound, NotMember, Blocked, NotConnected, GroupFull},
	LeaveGroup:    {OK, UnknownUser, Invalid, NotFound, NotMember},
	Delete:        {OK, UnknownUser, NotFound, NotMember, NotAllowed, NotAuthor, AlreadyDeleted, WindowExpired},
	Edit:          {OK, UnknownUser, NotFound, NotMember, NotAllowed, NotAuthor, AlreadyDeleted, WindowExpired},
	DeleteThread:  {OK, UnknownUser, NotFound, NotMember},
	Archive:       {OK, UnknownUser, NotFound},
	Unarchive:     {OK, UnknownUser, NotFound},
	Mute:          {OK, UnknownUser, NotFound},
	Unmute:        {OK, UnknownUser, NotFound},
	Read:          {OK, UnknownUser, NotFound},
	Notifications: {OK, UnknownUser},
	Post:          {OK, UnknownUser},
	Report:        {OK, UnknownUser, Invalid, NotFound, NotMember},
}

// Possible returns the outcomes the rules can give a under some policy, in
// precedence order: the action's row of a run's coverage table.
func (a Action) Possible() []Outcome {
	if a >= NumActions {
		return nil
	}
	return possible[a]
}
