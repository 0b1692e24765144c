package sim

import (
	"testing"
	"time"
)

// design is what DESIGN.md section 2 and the README's preset table say
// each preset does, written out a second time from those texts and never
// read from Preset: the checker's expectations in sim's tests. Repeating
// the knowledge is the point: a preset whose text or window drifts from
// the documents then fails the checker instead of being expected.
var design = func() map[string]Expect {
	linkedin := Expect{Name: "linkedin", RequireConnection: true,
		TombstoneSelf: "This message has been deleted", TombstoneOthers: "This message has been deleted",
		BlockMutual: true, BlockRemovesConnection: true, UnarchiveOnNewMessage: true}
	with := func(name string, f func(*Expect)) Expect {
		e := linkedin
		e.Name = name
		f(&e)
		return e
	}
	return map[string]Expect{
		"linkedin": linkedin,
		"linkedin-recall": with("linkedin-recall", func(e *Expect) { // delete for everyone and edit within 60 minutes
			e.DeleteForEveryone, e.DeleteWindow, e.DeleteEveryoneInGroups = true, 60*time.Minute, true
			e.Edit, e.EditWindow = true, 60*time.Minute
		}),
		"whatsapp": with("whatsapp", func(e *Expect) { // delete for everyone about 60 h, edit 15 min
			e.DeleteForEveryone, e.DeleteWindow, e.DeleteEveryoneInGroups, e.DeleteReceived = true, 60*time.Hour, true, true
			e.TombstoneSelf, e.TombstoneOthers = "You deleted this message", "This message was deleted"
			e.Edit, e.EditWindow = true, 15*time.Minute
		}),
		"telegram": with("telegram", func(e *Expect) { // direct threads, no limit, no tombstone
			e.RequireConnection = false
			e.DeleteForEveryone, e.DeleteReceived = true, true
			e.TombstoneSelf, e.TombstoneOthers = "", ""
			e.Edit = true
		}),
		"signal": with("signal", func(e *Expect) { // 3 h, tombstone
			e.DeleteForEveryone, e.DeleteWindow, e.DeleteEveryoneInGroups, e.DeleteReceived = true, 3*time.Hour, true, true
			e.TombstoneSelf, e.TombstoneOthers = "You deleted this message", "This message was deleted"
		}),
		"imessage": with("imessage", func(e *Expect) { // unsend 2 min, edit 15 min up to 5 edits
			e.RequireConnection = false
			e.DeleteForEveryone, e.DeleteWindow, e.DeleteEveryoneInGroups, e.DeleteReceived = true, 2*time.Minute, true, true
			e.TombstoneSelf, e.TombstoneOthers = "You unsent a message", "This message was unsent"
			e.Edit, e.EditWindow, e.EditLimit = true, 15*time.Minute, 5
		}),
		"messenger": with("messenger", func(e *Expect) { // remove for everyone 10 min, tombstone
			e.DeleteForEveryone, e.DeleteWindow, e.DeleteEveryoneInGroups, e.DeleteReceived = true, 10*time.Minute, true, true
			e.TombstoneSelf, e.TombstoneOthers = "You unsent a message", "This message was unsent"
		}),
		"open-dm": with("open-dm", func(e *Expect) { e.RequireConnection = false }),
	}
}()

// DesignExpect returns what the documents say of the named preset, with
// knobs changed as a test changed them on its policy. It is exported for
// sim's external tests.
func DesignExpect(name string, knobs ...func(*Expect)) (Expect, bool) {
	e, ok := design[name]
	for _, k := range knobs {
		k(&e)
	}
	return e, ok
}

// designed returns the expectations of a run under the named preset.
func designed(t testing.TB, name string, knobs ...func(*Expect)) Expectations {
	t.Helper()
	e, ok := DesignExpect(name, knobs...)
	if !ok {
		t.Fatalf("no documented preset %q", name)
	}
	return Uniform(e)
}

// stricterExpect merges two cohorts' expectations by the README's
// cross-cohort rule ("the stricter policy wins", knob by knob), written
// here a second time from that text rather than through Stricter.
func stricterExpect(a, b Expect) Expect {
	m := a
	if a.Name != b.Name {
		m.Name = a.Name + "+" + b.Name
	}
	m.RequireConnection = a.RequireConnection || b.RequireConnection
	m.DeleteForEveryone = a.DeleteForEveryone && b.DeleteForEveryone
	m.DeleteWindow = time.Duration(lowerLimit(int64(a.DeleteWindow), int64(b.DeleteWindow)))
	m.DeleteEveryoneInGroups = a.DeleteEveryoneInGroups && b.DeleteEveryoneInGroups
	m.DeleteReceived = a.DeleteReceived && b.DeleteReceived
	if m.TombstoneSelf == "" {
		m.TombstoneSelf = b.TombstoneSelf
	}
	if m.TombstoneOthers == "" {
		m.TombstoneOthers = b.TombstoneOthers
	}
	m.Edit = a.Edit && b.Edit
	m.EditWindow = time.Duration(lowerLimit(int64(a.EditWindow), int64(b.EditWindow)))
	m.EditLimit = int(lowerLimit(int64(a.EditLimit), int64(b.EditLimit)))
	m.BlockMutual = a.BlockMutual || b.BlockMutual
	m.BlockRemovesConnection = a.BlockRemovesConnection || b.BlockRemovesConnection
	m.BlockHidesHistory = a.BlockHidesHistory || b.BlockHidesHistory
	m.UnblockReconnects = a.UnblockReconnects && b.UnblockReconnects
	m.UnarchiveOnNewMessage = a.UnarchiveOnNewMessage && b.UnarchiveOnNewMessage
	m.NotifyOnDelete = a.NotifyOnDelete || b.NotifyOnDelete
	return m
}

// lowerLimit returns the tighter of two limits where 0 is none.
func lowerLimit(a, b int64) int64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// cohortsExpected returns the expectations of a run whose cohort i
// expects list[i], merging a thread's cohorts by stricterExpect.
func cohortsExpected(list []Expect) Expectations {
	return func(set uint8) Expect {
		var m Expect
		first := true
		for i, e := range list {
			if set&(1<<i) == 0 {
				continue
			}
			if first {
				m, first = e, false
			} else {
				m = stricterExpect(m, e)
			}
		}
		return m
	}
}
