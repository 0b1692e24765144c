package sim

// EventKind is the kind of a thread log event.
type EventKind uint8

// Thread log events: everything a thread applies besides appends, which
// are the messages themselves.
const (
	EvConnect EventKind = iota
	EvDisconnect
	EvBlock   // User blocks Other
	EvUnblock // User unblocks Other
	EvJoin    // User joined, added by Other
	EvLeave
	EvClear     // User deleted the thread from their inbox
	EvDeleteMe  // User deleted message Seq for themself
	EvDeleteAll // User deleted message Seq for everyone
	EvEdit      // User edited message Seq; Text is the text before
	EvMark      // User (blocker) starts hiding Other's messages in a group
	EvUnmark    // User stops hiding Other's messages
	EvReport    // User reported message Seq
	numEventKinds
)

var eventNames = [numEventKinds]string{"connect", "disconnect", "block", "unblock",
	"join", "leave", "clear", "delete_me", "delete_all", "edit", "mark", "unmark", "report"}

func (k EventKind) String() string {
	if k < numEventKinds {
		return eventNames[k]
	}
	return "event?"
}

// Event is one entry of a thread's log. Pos is the number of messages the
// thread held when it applied the event, so the log and the messages
// together give the order in which the thread applied everything.
type Event struct {
	Kind        EventKind
	Pos         Seq
	User, Other UserID
	Seq         Seq
	At          Time
	Text        string
}
