package sim

// Op is one operation of a workload or script step, in the ids of a run.
// Fields that an action does not use stay zero.
type Op struct {
	Action Action
	At     Time   // simulated time of the operation
	User   UserID // who acts: send's from, create_group's owner, everyone else's user
	Target UserID // send's to, a pair action's target, add_member's member
	// Thread is the group thread of group actions and group sends, the thread
	// of the message for delete, edit and report, and the thread of
	// thread-scoped actions (delete_thread, archive, mute, read...). For a
	// direct send it may be left zero: it is Direct(User, Target).
	Thread  ThreadID
	Msg     MsgKey   // the new message's key for send; the message acted on otherwise
	Text    string   // send, edit, post
	Members []UserID // create_group's initial members besides the owner
	// Everyone asks delete for everyone.
	Everyone bool
	// On is the setting notifications turns to.
	On bool
	// AndBlock asks report to block the reported user too.
	AndBlock bool
}

// ThreadOf returns the thread an operation addresses, deriving a direct
// thread from its two users.
func (o *Op) ThreadOf() ThreadID {
	if o.Thread == 0 && o.Action == Send {
		return Direct(o.User, o.Target)
	}
	return o.Thread
}
