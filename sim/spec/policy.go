package spec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy is the rules in force, one field per knob of DESIGN.md section 2,
// named as scenario files name the knobs (require_connection is
// RequireConnection, and so on).
type Policy struct {
	Name string

	RequireConnection      bool          // R1: a direct message needs a connection
	DeleteForEveryone      bool          // the sender may delete a message for every member
	DeleteWindow           time.Duration // how long after sending; 0 is no limit
	DeleteEveryoneInGroups bool          // delete for everyone also in group threads
	DeleteReceived         bool          // a member may delete others' messages for themself
	TombstoneSelf          string        // the deleter's own view; "" removes the line
	TombstoneOthers        string        // the others' views after a delete for everyone; "" removes it
	Edit                   bool          // the sender may edit a message
	EditWindow             time.Duration // how long after sending; 0 is no limit
	EditLimit              int           // edits per message; 0 is no limit
	BlockMutual            bool          // a block stops direct messages both ways
	BlockRemovesConnection bool          // a block removes the connection both ways
	BlockHidesHistory      bool          // the blocker stops seeing what the blocked user sent
	UnblockReconnects      bool          // an unblock restores a connection the block removed
	UnarchiveOnNewMessage  bool          // R5: a new message unarchives the thread
	NotifyOnDelete         bool          // a delete for everyone notifies the other members
}

// The tombstone texts of DESIGN.md section 1 and of the presets' sources.
const (
	linkedinTombstone    = "This message has been deleted"
	deletedSelf          = "You deleted this message"
	deletedOthers        = "This message was deleted"
	unsentSelf           = "You unsent a message"
	unsentOthers         = "This message was unsent"
	minute, hour         = time.Minute, time.Hour
	noLimit              = time.Duration(0)
	whatsappDeleteWindow = 60 * hour // "about 2 days 12 hours"
)

// presets is the table of named policies, each written out in full from
// DESIGN.md section 2 and the public source it names, rather than derived
// from another row, so that each row can be read against its source.
var presets = []struct {
	source string
	policy Policy
}{
	{"DESIGN.md section 1; LinkedIn Help a1337466 (delete), a1338563 (block)", Policy{
		Name: "linkedin", RequireConnection: true,
		TombstoneSelf: linkedinTombstone, TombstoneOthers: linkedinTombstone,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"LinkedIn Help a1337466: edit or delete a sent message within 60 minutes", Policy{
		Name: "linkedin-recall", RequireConnection: true,
		DeleteForEveryone: true, DeleteWindow: 60 * minute, DeleteEveryoneInGroups: true,
		TombstoneSelf: linkedinTombstone, TombstoneOthers: linkedinTombstone,
		Edit: true, EditWindow: 60 * minute,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"WhatsApp Help Center: delete for everyone within about 2 days 12 hours; edit within 15 minutes", Policy{
		Name: "whatsapp", RequireConnection: true,
		DeleteForEveryone: true, DeleteWindow: whatsappDeleteWindow, DeleteEveryoneInGroups: true,
		DeleteReceived: true, TombstoneSelf: deletedSelf, TombstoneOthers: deletedOthers,
		Edit: true, EditWindow: 15 * minute,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"telegram.org/blog/unsend-privacy-emoji: unsend any message in private chats, no time limit, no trace", Policy{
		Name: "telegram", RequireConnection: false,
		DeleteForEveryone: true, DeleteWindow: noLimit, DeleteEveryoneInGroups: false,
		DeleteReceived: true, TombstoneSelf: "", TombstoneOthers: "",
		Edit: true, EditWindow: noLimit,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"support.signal.org 360050426432: delete for everyone within 3 hours, leaves a tombstone", Policy{
		Name: "signal", RequireConnection: true,
		DeleteForEveryone: true, DeleteWindow: 3 * hour, DeleteEveryoneInGroups: true,
		DeleteReceived: true, TombstoneSelf: deletedSelf, TombstoneOthers: deletedOthers,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"support.apple.com 104968 (iOS 16+): unsend within 2 minutes, edit within 15 minutes up to 5 times", Policy{
		Name: "imessage", RequireConnection: false,
		DeleteForEveryone: true, DeleteWindow: 2 * minute, DeleteEveryoneInGroups: true,
		DeleteReceived: true, TombstoneSelf: unsentSelf, TombstoneOthers: unsentOthers,
		Edit: true, EditWindow: 15 * minute, EditLimit: 5,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"Facebook Help 194400311449312: remove for everyone within 10 minutes, leaves a notice", Policy{
		Name: "messenger", RequireConnection: true,
		DeleteForEveryone: true, DeleteWindow: 10 * minute, DeleteEveryoneInGroups: true,
		DeleteReceived: true, TombstoneSelf: unsentSelf, TombstoneOthers: unsentOthers,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
	{"linkedin rules without the connection requirement (an experiment, not a product)", Policy{
		Name: "open-dm", RequireConnection: false,
		TombstoneSelf: linkedinTombstone, TombstoneOthers: linkedinTombstone,
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true,
	}},
}

// Preset returns the named preset policy.
func Preset(name string) (Policy, bool) {
	for _, p := range presets {
		if p.policy.Name == name {
			return p.policy, true
		}
	}
	return Policy{}, false
}

// ErrKnob is returned by SetKnob for an unknown knob or a value it cannot
// take.
var ErrKnob = errors.New("spec: bad knob")

// SetKnob sets the knob that scenario files call name from its text: a
// bool is "true" or "false"; a duration is "0" or as time.ParseDuration
// reads it ("60m", "2h30m"); an int is decimal; neither may be negative. A
// text is taken as it is, or unquoted when it is a Go quoted string (as
// sim.Knob.Get writes it).
func (p *Policy) SetKnob(name, value string) error {
	bools := map[string]*bool{
		"require_connection":        &p.RequireConnection,
		"delete_for_everyone":       &p.DeleteForEveryone,
		"delete_everyone_in_groups": &p.DeleteEveryoneInGroups,
		"delete_received":           &p.DeleteReceived,
		"edit":                      &p.Edit,
		"block_mutual":              &p.BlockMutual,
		"block_removes_connection":  &p.BlockRemovesConnection,
		"block_hides_history":       &p.BlockHidesHistory,
		"unblock_reconnects":        &p.UnblockReconnects,
		"unarchive_on_new_message":  &p.UnarchiveOnNewMessage,
		"notify_on_delete":          &p.NotifyOnDelete,
	}
	durations := map[string]*time.Duration{
		"delete_window": &p.DeleteWindow,
		"edit_window":   &p.EditWindow,
	}
	texts := map[string]*string{
		"tombstone_self":   &p.TombstoneSelf,
		"tombstone_others": &p.TombstoneOthers,
	}
	if b, ok := bools[name]; ok {
		switch value {
		case "true":
			*b = true
		case "false":
			*b = false
		default:
			return fmt.Errorf("%w: %s wants true or false, got %q", ErrKnob, name, value)
		}
		return nil
	}
	if d, ok := durations[name]; ok {
		v, err := time.ParseDuration(value)
		if err != nil || v < 0 {
			return fmt.Errorf("%w: %s wants a duration such as 60m or 0, got %q", ErrKnob, name, value)
		}
		*d = v
		return nil
	}
	if s, ok := texts[name]; ok {
		*s = value
		if strings.HasPrefix(value, `"`) {
			if u, err := strconv.Unquote(value); err == nil {
				*s = u
			}
		}
		return nil
	}
	if name == "edit_limit" {
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return fmt.Errorf("%w: edit_limit wants a whole number, 0 or more, got %q", ErrKnob, value)
		}
		p.EditLimit = n
		return nil
	}
	return fmt.Errorf("%w: no knob %q", ErrKnob, name)
}

// stricter merges two cohorts' policies for a thread that spans both:
// knob by knob, the value under which members have fewer ways to change
// what others see or to reach them, and keep more protection. A
// conversation gets a feature only when every cohort in it has it.
//
//   - a requirement or protection holds if either policy has it:
//     require_connection, block_mutual, block_removes_connection,
//     block_hides_history, notify_on_delete;
//   - a feature exists only if both have it: delete_for_everyone,
//     delete_everyone_in_groups, delete_received, edit, unblock_reconnects;
//   - a limit is the tighter of the two, where 0 (no limit) is the loosest:
//     delete_window, edit_window, edit_limit;
//   - a tombstone wins over none; between two texts, first's (the cohort
//     listed first);
//   - unarchive_on_new_message is never a thread's: each user's own
//     cohort decides it (see Model.SetCohorts).
func stricter(first, second Policy) Policy {
	m := first
	m.RequireConnection = first.RequireConnection || second.RequireConnection
	m.BlockMutual = first.BlockMutual || second.BlockMutual
	m.BlockRemovesConnection = first.BlockRemovesConnection || second.BlockRemovesConnection
	m.BlockHidesHistory = first.BlockHidesHistory || second.BlockHidesHistory
	m.NotifyOnDelete = first.NotifyOnDelete || second.NotifyOnDelete
	m.DeleteForEveryone = first.DeleteForEveryone && second.DeleteForEveryone
	m.DeleteEveryoneInGroups = first.DeleteEveryoneInGroups && second.DeleteEveryoneInGroups
	m.DeleteReceived = first.DeleteReceived && second.DeleteReceived
	m.Edit = first.Edit && second.Edit
	m.UnblockReconnects = first.UnblockReconnects && second.UnblockReconnects
	m.DeleteWindow = tighter(first.DeleteWindow, second.DeleteWindow)
	m.EditWindow = tighter(first.EditWindow, second.EditWindow)
	m.EditLimit = int(tighter(time.Duration(first.EditLimit), time.Duration(second.EditLimit)))
	if m.TombstoneSelf == "" {
		m.TombstoneSelf = second.TombstoneSelf
	}
	if m.TombstoneOthers == "" {
		m.TombstoneOthers = second.TombstoneOthers
	}
	if first.Name != second.Name {
		m.Name = first.Name + "+" + second.Name
	}
	return m
}

// tighter returns the smaller of two limits, where 0 means no limit.
func tighter(a, b time.Duration) time.Duration {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}
