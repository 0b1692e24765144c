package sim

// StepKind says what a Step asks of the user or thread it is addressed to.
type StepKind uint8

// The steps an operation is made of. An operation starts as Start at its
// acting user, may continue as AtThread at the thread that decides it, and
// ends in one Done; the other kinds carry its effects.
const (
	Start        StepKind = iota // an operation arriving at its acting user
	AtThread                     // an operation forwarded to the thread that decides it
	Delivered                    // thread to member: a message was appended
	Joined                       // thread to member: the user became a member
	Left                         // thread to member: the user left the group
	Cleared                      // thread to member: the user's delete_thread took effect
	PairChanged                  // direct thread to both users: the pair's state changed
	Mark                         // blocker to group thread: start or end hiding the blocked user
	PostNotice                   // author to connection: a post was published
	DeleteNotice                 // thread to member: a message was deleted for everyone
	Done                         // the operation's outcome, for whoever waits on it
)

var kindNames = [...]string{"start", "at_thread", "delivered", "joined", "left",
	"cleared", "pair_changed", "mark", "post_notice", "delete_notice", "done"}

func (k StepKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// Step is one step of an operation, addressed to one user (To) or one thread
// (Op.Thread or Thread). The reference model queues Steps; the actor engine
// sends them between actors. Both apply them with the same methods, so the
// rules exist once.
type Step struct {
	Kind StepKind
	// Op is the operation this step belongs to; Op.Action may differ from
	// the request's when a step is derived (report with block: a block).
	Op Op
	// Thread addresses thread steps and names the thread of user steps.
	Thread ThreadID
	// To addresses user steps.
	To UserID
	// Author, Seq and At describe the message of Delivered and DeleteNotice;
	// Seq is also the join position of Joined.
	Author UserID
	Seq    Seq
	At     Time
	// Visible is false when the recipient does not see the delivered
	// message (a block mark hides it); Sender marks the author's own copy.
	Visible, Sender bool
	// Pair is the pair's state: the sender's replica when a Start creates a
	// direct thread, the new authoritative state in PairChanged.
	Pair PairState
	// On starts (true) or ends (false) a Mark.
	On bool
	// Pre is an outcome the acting user already judged from its own state
	// (connection and block checks of group additions), for the thread to
	// weigh against its own checks in precedence order.
	Pre Outcome
	// Quiet asks for no Done: the step was derived from another operation.
	Quiet bool
	// Outcome is Done's result.
	Outcome Outcome
	// Ticket is the caller's number for the operation; every step of it
	// carries the ticket to its Done.
	Ticket uint32
}

// ToThread reports whether m is addressed to a thread rather than a user.
func (m *Step) ToThread() bool {
	switch m.Kind {
	case AtThread, Mark:
		return true
	}
	return false
}

// PairState is the relationship of the two users of a direct thread, as the
// thread holds it: a is the lower user id.
type PairState struct {
	Connected bool
	BlockedBy [2]bool // BlockedBy[0]: the lower id blocks the higher
	// CutByBlock remembers that a block removed the connection, for
	// policies where an unblock restores it.
	CutByBlock bool
}

// Blocks reports whether any block stands between the pair.
func (p PairState) Blocks() bool { return p.BlockedBy[0] || p.BlockedBy[1] }

// side returns 0 when u is the pair's lower id, 1 otherwise.
func side(t ThreadID, u UserID) int {
	if a, _ := t.Pair(); a == u {
		return 0
	}
	return 1
}

// Outbox collects the steps a handler causes. Handlers append; whoever
// called them routes the steps and resets the box.
type Outbox struct{ Steps []Step }

func (o *Outbox) add(m Step) { o.Steps = append(o.Steps, m) }

func (o *Outbox) done(m *Step, out Outcome) {
	if m.Quiet {
		return
	}
	o.Steps = append(o.Steps, Step{Kind: Done, Op: m.Op, Thread: m.Thread, To: m.Op.User, Outcome: out, Ticket: m.Ticket})
}

// Reset empties the box, keeping its storage.
func (o *Outbox) Reset() { o.Steps = o.Steps[:0] }
