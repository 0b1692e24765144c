package sim

// Bypass reports whether m, the Start of an operation, may go straight to
// the thread that decides it once that thread exists, skipping its acting
// user: for these operations the user step reads no user state except the
// pair replica, which only matters when the step creates the thread. On
// true it has turned m into that thread step. Operations whose users are
// unknown or the same stay with the user step, which answers them.
func Bypass(m *Msg, env *Env) bool {
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
