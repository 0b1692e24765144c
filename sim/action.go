package sim

// Action is the kind of an operation, named as in scenario files.
type Action uint8

// The actions of DESIGN.md section 5.
const (
	Connect Action = iota
	Disconnect
	Block
	Unblock
	ViewProfile
	Send
	CreateGroup
	AddMember
	LeaveGroup
	Delete
	Edit
	DeleteThread
	Archive
	Unarchive
	Mute
	Unmute
	Read
	Notifications
	Post
	Report
	NumActions // the number of actions; not an action
)

var actionNames = [NumActions]string{
	"connect", "disconnect", "block", "unblock", "view_profile", "send",
	"create_group", "add_member", "leave_group", "delete", "edit",
	"delete_thread", "archive", "unarchive", "mute", "unmute", "read",
	"notifications", "post", "report",
}

func (a Action) String() string {
	if a < NumActions {
		return actionNames[a]
	}
	return "action?"
}

// ParseAction returns the action named s as in scenario files.
func ParseAction(s string) (Action, bool) {
	for i, n := range actionNames {
		if n == s {
			return Action(i), true
		}
	}
	return 0, false
}

// Actions returns every action in declaration order.
func Actions() []Action {
	as := make([]Action, NumActions)
	for i := range as {
		as[i] = Action(i)
	}
	return as
}
