package sim

// Env is what every handler may read besides its own state: the policy in
// force and the size of the population. It is shared read-only.
type Env struct {
	Policy *Policy
	Users  int
	// Cohorts, when set, puts users under policies of their own: a thread
	// then follows the policy of the cohorts it spans, and Policy is unused.
	Cohorts *Cohorts
}

// threadPolicy returns the policy in force in t.
func (e *Env) threadPolicy(t *Thread) *Policy {
	if e.Cohorts == nil {
		return e.Policy
	}
	return e.Cohorts.Merged(e.Cohorts.set(t))
}

// userPolicy returns the policy of u's own decisions.
func (e *Env) userPolicy(u UserID) *Policy {
	if e.Cohorts == nil {
		return e.Policy
	}
	return e.Cohorts.User(u)
}

// cohortBit returns the cohort set of u alone, 0 without cohorts.
func (e *Env) cohortBit(u UserID) uint8 {
	if e.Cohorts == nil {
		return 0
	}
	return e.Cohorts.bit(u)
}

// Known reports whether u is a user of the population.
func (e *Env) Known(u UserID) bool { return int(u) < e.Users }

// Unroutable returns the outcome of an operation no user actor can take,
// since its acting user is not in the population (unknown_user), and
// true; false for every other operation, which starts at its user (or at
// the thread Bypass names). The reference model and every engine answer
// such an operation here, without a step.
func (e *Env) Unroutable(op *Op) (Outcome, bool) {
	if !e.Known(op.User) {
		return UnknownUser, true
	}
	return OK, false
}

// targetCheck judges the user fields of op in precedence order:
// unknown_user before invalid.
func (e *Env) targetCheck(op *Op) Outcome {
	if !e.Known(op.User) {
		return UnknownUser
	}
	switch op.Action {
	case Connect, Disconnect, Block, Unblock, ViewProfile, AddMember, Report:
		return e.pairTarget(op)
	case Send:
		if op.Thread.IsGroup() {
			return OK
		}
		return e.pairTarget(op)
	case CreateGroup:
		for _, v := range op.Members {
			if !e.Known(v) {
				return UnknownUser
			}
		}
		for i, v := range op.Members {
			if v == op.User || containsBefore(op.Members, i, v) {
				return Invalid
			}
		}
	}
	return OK
}

func (e *Env) pairTarget(op *Op) Outcome {
	switch {
	case !e.Known(op.Target):
		return UnknownUser
	case op.Target == op.User:
		return Invalid
	}
	return OK
}

func containsBefore(s []UserID, i int, v UserID) bool {
	for _, w := range s[:i] {
		if w == v {
			return true
		}
	}
	return false
}
