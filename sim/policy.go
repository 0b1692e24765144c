package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Policy is the set of rule knobs a run applies. It is plain data: the state
// machines read knobs, they never switch on a policy's name.
type Policy struct {
	Name string

	// RequireConnection: a direct message needs a connection (R1).
	RequireConnection bool
	// DeleteForEveryone: a sender may delete a message for every member.
	DeleteForEveryone bool
	// DeleteWindow bounds delete-for-everyone in simulated time; 0 is no limit.
	DeleteWindow time.Duration
	// DeleteEveryoneInGroups allows delete-for-everyone in group threads too.
	DeleteEveryoneInGroups bool
	// DeleteReceived lets a member delete someone else's message for themself.
	DeleteReceived bool
	// TombstoneSelf replaces a deleted message in the deleter's own view; ""
	// removes the message from that view instead.
	TombstoneSelf string
	// TombstoneOthers replaces a message deleted for everyone in the other
	// members' views; "" removes it.
	TombstoneOthers string
	// EditWindow bounds edits in simulated time; 0 is no limit. Edit says
	// whether editing exists at all; EditLimit caps edits per message (0: no cap).
	Edit       bool
	EditWindow time.Duration
	EditLimit  int
	// BlockMutual: a block stops messages both ways; otherwise only the
	// blocked user's messages to the blocker are refused.
	BlockMutual bool
	// BlockRemovesConnection: a block removes the connection both ways (R7).
	BlockRemovesConnection bool
	// BlockHidesHistory: the blocker stops seeing what the blocked user sent
	// earlier, for as long as the block stands.
	BlockHidesHistory bool
	// UnblockReconnects: an unblock restores a connection the block removed.
	UnblockReconnects bool
	// UnarchiveOnNewMessage: a new visible message unarchives the thread (R5).
	UnarchiveOnNewMessage bool
	// NotifyOnDelete: a delete for everyone notifies the other members.
	NotifyOnDelete bool
}

const linkedinTombstone = "This message has been deleted"

// Linkedin is the reference behaviour of DESIGN.md section 1. Source:
// LinkedIn Help, "Delete a message" and "Block or unblock a member"
// (https://www.linkedin.com/help/linkedin/answer/a1337466,
// https://www.linkedin.com/help/linkedin/answer/a1338563).
func Linkedin() Policy {
	return Policy{
		Name:                   "linkedin",
		RequireConnection:      true,
		TombstoneSelf:          linkedinTombstone,
		TombstoneOthers:        linkedinTombstone,
		BlockMutual:            true,
		BlockRemovesConnection: true,
		UnarchiveOnNewMessage:  true,
	}
}

// presets lists every named policy with the public source of its rules.
var presets = []struct {
	name, source string
	make         func() Policy
}{
	{"linkedin", "LinkedIn Help a1337466 (delete), a1338563 (block)", Linkedin},
	{"linkedin-recall", "LinkedIn Help a1337466: edit or delete a sent message within 60 minutes", func() Policy {
		p := Linkedin()
		p.Name = "linkedin-recall"
		p.DeleteForEveryone, p.DeleteWindow, p.DeleteEveryoneInGroups = true, 60*time.Minute, true
		p.Edit, p.EditWindow = true, 60*time.Minute
		return p
	}},
	{"whatsapp", "WhatsApp Help Center: delete for everyone within about 2 days 12 hours; edit within 15 minutes", func() Policy {
		p := Linkedin()
		p.Name = "whatsapp"
		p.DeleteForEveryone, p.DeleteWindow, p.DeleteEveryoneInGroups = true, 60*time.Hour, true
		p.DeleteReceived = true
		p.TombstoneSelf, p.TombstoneOthers = "You deleted this message", "This message was deleted"
		p.Edit, p.EditWindow = true, 15*time.Minute
		return p
	}},
	{"telegram", "telegram.org/blog/unsend-privacy-emoji: unsend any message in private chats, no time limit, no trace", func() Policy {
		p := Linkedin()
		p.Name = "telegram"
		p.RequireConnection = false
		p.DeleteForEveryone, p.DeleteWindow = true, 0
		p.DeleteReceived = true
		p.TombstoneSelf, p.TombstoneOthers = "", ""
		p.Edit = true
		return p
	}},
	{"signal", "support.signal.org 360050426432: delete for everyone within 3 hours, leaves a tombstone", func() Policy {
		p := Linkedin()
		p.Name = "signal"
		p.DeleteForEveryone, p.DeleteWindow, p.DeleteEveryoneInGroups = true, 3*time.Hour, true
		p.DeleteReceived = true
		p.TombstoneSelf, p.TombstoneOthers = "You deleted this message", "This message was deleted"
		return p
	}},
	{"imessage", "support.apple.com 104968 (iOS 16+): unsend within 2 minutes, edit within 15 minutes up to 5 times", func() Policy {
		p := Linkedin()
		p.Name = "imessage"
		p.RequireConnection = false
		p.DeleteForEveryone, p.DeleteWindow, p.DeleteEveryoneInGroups = true, 2*time.Minute, true
		p.DeleteReceived = true
		p.TombstoneSelf, p.TombstoneOthers = "You unsent a message", "This message was unsent"
		p.Edit, p.EditWindow, p.EditLimit = true, 15*time.Minute, 5
		return p
	}},
	{"messenger", "Facebook Help 194400311449312: remove for everyone within 10 minutes, leaves a notice", func() Policy {
		p := Linkedin()
		p.Name = "messenger"
		p.DeleteForEveryone, p.DeleteWindow, p.DeleteEveryoneInGroups = true, 10*time.Minute, true
		p.DeleteReceived = true
		p.TombstoneSelf, p.TombstoneOthers = "You unsent a message", "This message was unsent"
		return p
	}},
	{"open-dm", "linkedin rules without the connection requirement (an experiment, not a product)", func() Policy {
		p := Linkedin()
		p.Name = "open-dm"
		p.RequireConnection = false
		return p
	}},
}

// Preset returns the named policy preset.
func Preset(name string) (Policy, bool) {
	for _, p := range presets {
		if p.name == name {
			return p.make(), true
		}
	}
	return Policy{}, false
}

// PresetNames returns the preset names in the order they are documented.
func PresetNames() []string {
	ns := make([]string, len(presets))
	for i, p := range presets {
		ns[i] = p.name
	}
	return ns
}

// PresetSource returns where the rules of the named preset come from.
func PresetSource(name string) string {
	for _, p := range presets {
		if p.name == name {
			return p.source
		}
	}
	return ""
}

// KnobKind is the type of a knob's value.
type KnobKind uint8

// The kinds of knob values.
const (
	KnobBool KnobKind = iota
	KnobDuration
	KnobInt
	KnobText
)

func (k KnobKind) String() string {
	return [...]string{"bool", "duration", "int", "text"}[k]
}

// Knob describes one policy field as scenario files name it.
type Knob struct {
	Name string
	Kind KnobKind
	Doc  string
	get  func(*Policy) any
	set  func(*Policy, any)
}

// Get returns the knob's value in p, formatted as a scenario file would write it.
func (k Knob) Get(p Policy) string {
	switch v := k.get(&p).(type) {
	case bool:
		return strconv.FormatBool(v)
	case time.Duration:
		if v == 0 {
			return "0"
		}
		return shortDuration(v)
	case int:
		return strconv.Itoa(v)
	case string:
		return strconv.Quote(v)
	}
	return ""
}

// Set stores v in p. v must be a bool, time.Duration, int or string as Kind says.
func (k Knob) Set(p *Policy, v any) error {
	var ok bool
	switch k.Kind {
	case KnobBool:
		_, ok = v.(bool)
	case KnobDuration:
		_, ok = v.(time.Duration)
	case KnobInt:
		_, ok = v.(int)
	case KnobText:
		_, ok = v.(string)
	}
	if !ok {
		return fmt.Errorf("sim: knob %s wants a %s, got %T", k.Name, k.Kind, v)
	}
	if n, ok := v.(int); ok && n < 0 {
		return fmt.Errorf("sim: knob %s must not be negative, got %d", k.Name, n)
	}
	if d, ok := v.(time.Duration); ok && d < 0 {
		return fmt.Errorf("sim: knob %s must not be negative, got %s", k.Name, d)
	}
	k.set(p, v)
	return nil
}

func boolKnob(name, doc string, f func(*Policy) *bool) Knob {
	return Knob{name, KnobBool, doc, func(p *Policy) any { return *f(p) }, func(p *Policy, v any) { *f(p) = v.(bool) }}
}

func durKnob(name, doc string, f func(*Policy) *time.Duration) Knob {
	return Knob{name, KnobDuration, doc, func(p *Policy) any { return *f(p) }, func(p *Policy, v any) { *f(p) = v.(time.Duration) }}
}

func textKnob(name, doc string, f func(*Policy) *string) Knob {
	return Knob{name, KnobText, doc, func(p *Policy) any { return *f(p) }, func(p *Policy, v any) { *f(p) = v.(string) }}
}

var knobs = []Knob{
	boolKnob("require_connection", "a direct message needs a connection", func(p *Policy) *bool { return &p.RequireConnection }),
	boolKnob("delete_for_everyone", "a sender may delete a message for every member", func(p *Policy) *bool { return &p.DeleteForEveryone }),
	durKnob("delete_window", "how long after sending delete-for-everyone is allowed (0: no limit)", func(p *Policy) *time.Duration { return &p.DeleteWindow }),
	boolKnob("delete_everyone_in_groups", "delete-for-everyone also works in group threads", func(p *Policy) *bool { return &p.DeleteEveryoneInGroups }),
	boolKnob("delete_received", "a member may delete someone else's message from their own view", func(p *Policy) *bool { return &p.DeleteReceived }),
	textKnob("tombstone_self", "what the deleter sees in place of a deleted message (\"\": nothing)", func(p *Policy) *string { return &p.TombstoneSelf }),
	textKnob("tombstone_others", "what others see in place of a message deleted for everyone (\"\": nothing)", func(p *Policy) *string { return &p.TombstoneOthers }),
	boolKnob("edit", "a sender may edit a message", func(p *Policy) *bool { return &p.Edit }),
	durKnob("edit_window", "how long after sending an edit is allowed (0: no limit)", func(p *Policy) *time.Duration { return &p.EditWindow }),
	{"edit_limit", KnobInt, "how many times a message may be edited (0: no limit)", func(p *Policy) any { return p.EditLimit }, func(p *Policy, v any) { p.EditLimit = v.(int) }},
	boolKnob("block_mutual", "a block stops messages in both directions", func(p *Policy) *bool { return &p.BlockMutual }),
	boolKnob("block_removes_connection", "a block removes the connection both ways", func(p *Policy) *bool { return &p.BlockRemovesConnection }),
	boolKnob("block_hides_history", "the blocker stops seeing what the blocked user sent before", func(p *Policy) *bool { return &p.BlockHidesHistory }),
	boolKnob("unblock_reconnects", "an unblock restores the connection the block removed", func(p *Policy) *bool { return &p.UnblockReconnects }),
	boolKnob("unarchive_on_new_message", "a new message unarchives the thread", func(p *Policy) *bool { return &p.UnarchiveOnNewMessage }),
	boolKnob("notify_on_delete", "a delete for everyone notifies the other members", func(p *Policy) *bool { return &p.NotifyOnDelete }),
}

// Knobs returns every policy knob in documentation order.
func Knobs() []Knob { return knobs }

// LookupKnob returns the knob with the given scenario-file name.
func LookupKnob(name string) (Knob, bool) {
	for _, k := range knobs {
		if k.Name == name {
			return k, true
		}
	}
	return Knob{}, false
}

// shortDuration formats d without zero trailing units: 1h30m, 2h, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
