package sim

import "slices"

// Bypass reports whether m, the Start of an operation, may go straight to
// the thread that decides it once that thread exists, skipping its acting
// user: for these operations the user step reads no user state except the
// pair replica, which only matters when the step creates the thread. On
// true it has turned m into that thread step. Operations whose users are
// unknown or the same stay with the user step, which answers them.
func Bypass(m *Step, env *Env) bool {
	op := &m.Op
	if m.Kind != Start || env.targetCheck(op) != OK {
		return false
	}
	switch op.Action {
	case Send:
		m.Thread = op.ThreadOf()
	case Connect, Disconnect, Block, Unblock:
		m.Thread = Direct(op.User, op.Target)
	case LeaveGroup, Delete, Edit, DeleteThread:
		m.Thread = op.Thread
	case Report:
		if op.Msg == 0 {
			return false
		}
		m.Thread = op.Thread
	default:
		return false
	}
	m.Kind = AtThread
	return true
}

// InitialPair returns the pair state direct thread t is created with when
// it does not exist: the state the population started with, connected when
// lows (the initial connections of t's lower user, sorted) holds the other
// user, and no block. Every pair change goes through the direct thread,
// and a thread that recorded one is never dropped (see Empty), so a pair
// without a thread has kept its initial state, which is also what its
// users' replicas hold. With it a step that creates a direct thread can
// bypass its user too.
func InitialPair(t ThreadID, lows []UserID) PairState {
	_, hi := t.Pair()
	_, connected := slices.BinarySearch(lows, hi)
	return PairState{Connected: connected}
}
