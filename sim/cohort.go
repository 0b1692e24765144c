package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// MaxCohorts is the most cohorts a run may have: a thread keeps the set of
// cohorts it spans in one byte.
const MaxCohorts = 8

// Errors of NewCohorts.
var (
	ErrCohortCount  = errors.New("sim: a run has 1 to 8 cohorts")
	ErrCohortShares = errors.New("sim: cohort shares must be between 0 and 1 and add up to 1")
)

// Cohort is a part of the population under a policy of its own, for A/B
// experiments in one run.
type Cohort struct {
	Name   string
	Share  float64 // the fraction of users drawn into it, in [0, 1]
	Policy Policy
	// Users are pinned to the cohort (a script's named users); everyone
	// else is drawn by share, so a cohort of share 0 holds its pinned
	// users alone.
	Users []UserID
}

// Cohorts puts each user of a run into a cohort and gives each thread the
// policy of the cohorts its members belong to.
//
// The cross-cohort rule is "the stricter policy wins", knob by knob
// (Stricter): a conversation gets a feature only when every cohort in it
// has the feature, so no member loses a guarantee that their own cohort's
// policy gives them (under linkedin, that only the deleter's view changes
// on a delete). A direct thread spans its pair's cohorts; a group thread
// spans the cohorts of everyone who was ever a member, since a member who
// left keeps what they saw. The one user-side knob, unarchive on new
// message, follows each user's own cohort.
//
// Cohorts is read-only once built and safe for concurrent use.
type Cohorts struct {
	list   []Cohort
	of     []uint8  // cohort index by user id
	merged []Policy // by cohort set: bit i stands for cohort i
}

// NewCohorts assigns users 0..users-1 to the cohorts of list: each pinned
// user to its cohort, every other user by its share, drawn from a hash of
// the user id and seed, so cohorts are independent of id order (in a
// barabasi-albert graph the lowest ids are the hubs) and the same seed
// gives the same assignment.
func NewCohorts(list []Cohort, users int, seed uint64) (*Cohorts, error) {
	if len(list) < 1 || len(list) > MaxCohorts {
		return nil, fmt.Errorf("%w, got %d", ErrCohortCount, len(list))
	}
	cuts := make([]float64, len(list))
	sum := 0.0
	for i, c := range list {
		if !(c.Share >= 0) || c.Share > 1 {
			return nil, fmt.Errorf("%w: cohort %q has share %g", ErrCohortShares, c.Name, c.Share)
		}
		sum += c.Share
		cuts[i] = sum
	}
	if math.Abs(sum-1) > 1e-9 {
		return nil, fmt.Errorf("%w: they add up to %g", ErrCohortShares, sum)
	}
	cuts[len(cuts)-1] = 1
	c := &Cohorts{list: list, of: make([]uint8, users), merged: make([]Policy, 1<<len(list))}
	for u := range c.of {
		x := float64(mix64(seed^0x636f686f72747300, uint64(u))>>11) / (1 << 53)
		i := 0
		for i < len(cuts)-1 && (x >= cuts[i] || list[i].Share == 0) {
			i++
		}
		c.of[u] = uint8(i)
	}
	for i, co := range list {
		for _, u := range co.Users {
			if int(u) < users {
				c.of[u] = uint8(i)
			}
		}
	}
	c.merged[0] = list[0].Policy
	for set := 1; set < len(c.merged); set++ {
		first := true
		for i := range list {
			if set&(1<<i) == 0 {
				continue
			}
			if first {
				c.merged[set], first = list[i].Policy, false
			} else {
				c.merged[set] = Stricter(c.merged[set], list[i].Policy)
			}
		}
	}
	return c, nil
}

// mix64 is splitmix64's finaliser over a seed and a value.
func mix64(seed, v uint64) uint64 {
	z := seed + (v+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Len returns the number of cohorts.
func (c *Cohorts) Len() int { return len(c.list) }

// Cohort returns cohort i.
func (c *Cohorts) Cohort(i int) Cohort { return c.list[i] }

// Of returns the index of u's cohort.
func (c *Cohorts) Of(u UserID) int {
	if int(u) < len(c.of) {
		return int(c.of[u])
	}
	return 0
}

// Size returns how many users cohort i holds.
func (c *Cohorts) Size(i int) int {
	n := 0
	for _, x := range c.of {
		if int(x) == i {
			n++
		}
	}
	return n
}

// bit returns the cohort set holding u's cohort alone.
func (c *Cohorts) bit(u UserID) uint8 {
	if int(u) < len(c.of) {
		return 1 << c.of[u]
	}
	return 1
}

// set returns the cohorts t spans.
func (c *Cohorts) set(t *Thread) uint8 {
	if t.ID.IsGroup() {
		return t.cohorts
	}
	a, b := t.ID.Pair()
	return c.bit(a) | c.bit(b)
}

// Merged returns the policy of a thread that spans the cohort set (bit i:
// cohort i).
func (c *Cohorts) Merged(set uint8) *Policy { return &c.merged[int(set)%len(c.merged)] }

// User returns u's own policy.
func (c *Cohorts) User(u UserID) *Policy { return &c.list[c.Of(u)].Policy }

// Stricter merges two policies knob by knob, keeping for each the value
// under which members have fewer ways to change what others see or to
// reach them, and keep more protection:
//
//   - require_connection, block_mutual, block_removes_connection,
//     block_hides_history, notify_on_delete: true wins;
//   - delete_for_everyone, delete_everyone_in_groups, delete_received,
//     edit, unblock_reconnects: false wins;
//   - delete_window, edit_window: the shorter wins (0, no limit, is the
//     longest); edit_limit: the lower wins (0, no cap, is the highest);
//   - tombstone_self, tombstone_others: a tombstone wins over none (a
//     vanished message leaves a trace); between two texts, a's;
//   - unarchive_on_new_message is the user's own (Cohorts.User), never a
//     thread's: the merge takes false when either is false, and no rule
//     reads the merged value.
//
// The result's name joins both names with "+" when they differ.
func Stricter(a, b Policy) Policy {
	m := a
	if a.Name != b.Name && !containsName(a.Name, b.Name) {
		m.Name = a.Name + "+" + b.Name
	}
	m.RequireConnection = a.RequireConnection || b.RequireConnection
	m.DeleteForEveryone = a.DeleteForEveryone && b.DeleteForEveryone
	m.DeleteWindow = shorter(a.DeleteWindow, b.DeleteWindow)
	m.DeleteEveryoneInGroups = a.DeleteEveryoneInGroups && b.DeleteEveryoneInGroups
	m.DeleteReceived = a.DeleteReceived && b.DeleteReceived
	m.TombstoneSelf = someText(a.TombstoneSelf, b.TombstoneSelf)
	m.TombstoneOthers = someText(a.TombstoneOthers, b.TombstoneOthers)
	m.Edit = a.Edit && b.Edit
	m.EditWindow = shorter(a.EditWindow, b.EditWindow)
	m.EditLimit = int(shorter(time.Duration(a.EditLimit), time.Duration(b.EditLimit)))
	m.BlockMutual = a.BlockMutual || b.BlockMutual
	m.BlockRemovesConnection = a.BlockRemovesConnection || b.BlockRemovesConnection
	m.BlockHidesHistory = a.BlockHidesHistory || b.BlockHidesHistory
	m.UnblockReconnects = a.UnblockReconnects && b.UnblockReconnects
	m.UnarchiveOnNewMessage = a.UnarchiveOnNewMessage && b.UnarchiveOnNewMessage
	m.NotifyOnDelete = a.NotifyOnDelete || b.NotifyOnDelete
	return m
}

// shorter returns the smaller limit, where 0 means no limit.
func shorter(a, b time.Duration) time.Duration {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

func someText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func containsName(joined, name string) bool {
	for _, n := range strings.Split(joined, "+") {
		if n == name {
			return true
		}
	}
	return false
}
