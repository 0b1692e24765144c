package conform

import (
	"fmt"
	"strings"

	"github.com/msgsim/msgsim/sim"
)

// Difference is one point where the engine and the specification
// disagree.
type Difference struct {
	Op     int        // index of the operation in the stream (from 0), or -1 for the final state
	Action sim.Action // the operation's action, when Op >= 0
	// What names the observable: "outcome", "view", "inbox", "unread",
	// "archived", "muted", "deleted", "member", "notified", "suppressed",
	// "notifications_off",
	// "profile", "connected", "blocks", "threads", "members", "reports",
	// "users" or "measure".
	What string
	// Measure names the policy-lab measure that differs, by its JSON name,
	// when What is "measure".
	Measure     string
	User, Other sim.UserID
	Thread      sim.ThreadID
	Engine      string // what the engine says, for a person
	Spec        string // what the specification says
}

// String formats d on one line: where, what, and both sides.
func (d Difference) String() string {
	var b strings.Builder
	if d.Op >= 0 {
		fmt.Fprintf(&b, "operation %d (%s by user %d", d.Op, d.Action, d.User)
		switch d.Action {
		case sim.Connect, sim.Disconnect, sim.Block, sim.Unblock, sim.ViewProfile, sim.AddMember, sim.Report:
			fmt.Fprintf(&b, ", target %d", d.Other)
		case sim.Send:
			if !d.Thread.IsGroup() {
				fmt.Fprintf(&b, ", to %d", d.Other)
			}
		}
		if d.Thread != 0 {
			fmt.Fprintf(&b, ", %s", d.Thread)
		}
		b.WriteString(")")
	} else {
		b.WriteString("final state")
		switch d.What {
		case "threads", "members", "reports":
			fmt.Fprintf(&b, ", %s", d.Thread)
		case "profile", "connected", "blocks":
			fmt.Fprintf(&b, ", users %d and %d", d.User, d.Other)
		case "users":
		case "measure":
			fmt.Fprintf(&b, ", measure %s: engine %s, spec %s", d.Measure, d.Engine, d.Spec)
			return b.String()
		default:
			fmt.Fprintf(&b, ", user %d", d.User)
			if d.Thread != 0 {
				fmt.Fprintf(&b, ", %s", d.Thread)
			}
		}
	}
	fmt.Fprintf(&b, ": %s: engine %s, spec %s", d.What, d.Engine, d.Spec)
	return b.String()
}

// Outcome returns the difference when the engine's outcome for operation i
// differs from the spec's.
func Outcome(i int, op sim.Op, engine, spec sim.Outcome) (Difference, bool) {
	if engine == spec {
		return Difference{}, false
	}
	return Difference{Op: i, Action: op.Action, What: "outcome", User: op.User, Other: op.Target,
		Thread: op.ThreadOf(), Engine: engine.String(), Spec: spec.String()}, true
}
