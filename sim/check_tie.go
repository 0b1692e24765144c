package sim

import (
	"cmp"
	"fmt"
	"slices"
)

// What the thread pass and the user pass each saw of the same steps, for
// tie to hold against each other once both are done.
type (
	// markFact is a block mark as a group applied it (pos: the position it
	// took effect at) or as the blocker's history calls for it (pos: the
	// last message of the group the blocker had received when it blocked
	// or unblocked, which the mark cannot precede).
	markFact struct {
		group            ThreadID
		blocker, blocked UserID
		on               bool
		pos              Seq
	}
	// joinFact is a join as a group applied it: user, added by by.
	joinFact struct{ user, by UserID }
	// groupJoins is the range of one group's joins in checker.joins.
	groupJoins struct {
		group    ThreadID
		from, to int
	}
	// createFact and addFact are the group creations and additions whose
	// own checks the users passed.
	createFact struct {
		group   ThreadID
		owner   UserID
		members []UserID
	}
	addFact struct {
		group    ThreadID
		by, user UserID
	}
)

// markEvent applies a block mark or its end to the replay (R7).
func (c *checker) markEvent(r *replay, e *Event) {
	if e.Kind == EvMark {
		r.marks = append(r.marks, mark{Blocker: e.User, Blocked: e.Other, From: e.Pos})
		r.inBlock[e.User], r.inBlock[e.Other] = true, true
	} else {
		for i := range r.marks {
			if mk := &r.marks[i]; mk.Blocker == e.User && mk.Blocked == e.Other && mk.Until == 0 {
				mk.Until = e.Pos
				if mk.Until == mk.From { // hid nothing; Until 0 would read as open
					r.marks = append(r.marks[:i], r.marks[i+1:]...)
				}
				break
			}
		}
	}
	c.marksDone = append(c.marksDone, markFact{group: r.t.ID, blocker: e.User, blocked: e.Other, on: e.Kind == EvMark, pos: e.Pos})
}

// openMarks checks that every mark still hiding messages from a member
// stands for a block that stands (I4): unblocking lifts the hiding.
func (c *checker) openMarks(r *replay) {
	for _, mk := range r.marks {
		m := r.member(mk.Blocker)
		if mk.Until != 0 || m == nil || m.HasLeft() || int(mk.Blocker) >= c.p.Population {
			continue
		}
		c.checked++
		if !has(c.p.blocked(mk.Blocker), mk.Blocked) {
			c.fail(Violation{Invariant: I4BlockStopsTraffic, Thread: r.t.ID, User: mk.Blocker, Other: mk.Blocked, Seq: mk.From,
				Expected: "the blocked user's messages shown again after the unblock", Seen: "a mark hiding them still"})
		}
	}
}

// tie holds what the threads applied against what the users' histories
// call for: block marks (I4), joins (I13), post notices (I14) and pair
// states (I6).
func (c *checker) tie() {
	c.tieMarks()
	c.tieJoins()
	c.tiePairs()
	i := 0
	for u := range c.p.each {
		c.checked++
		if p := c.posts[i]; p.sent != p.got {
			c.rank = Rank{Pass: passPosts, ID: uint64(u.ID)}
			c.fail(Violation{Invariant: I14PostFanOut, User: u.ID, Other: u.ID,
				Expected: fmt.Sprintf("the %d notices the user's posts sent received", p.sent), Seen: fmt.Sprintf("%d received", p.got)})
		}
		i++
	}
}

func markOrder(a, b markFact) int {
	return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.blocker, b.blocker), cmp.Compare(a.blocked, b.blocked))
}

// tieMarks requires each group to have applied, for each blocker and
// blocked user, the marks and ends the blocker's history called for, in
// that order, none before a message the blocker had already received
// when it blocked or unblocked (I4).
func (c *checker) tieMarks() {
	slices.SortStableFunc(c.marksDone, markOrder)
	slices.SortStableFunc(c.marksDue, markOrder)
	done, due := c.marksDone, c.marksDue
	for len(done) > 0 || len(due) > 0 {
		var k markFact
		switch {
		case len(due) == 0 || (len(done) > 0 && markOrder(done[0], due[0]) < 0):
			k = done[0]
		default:
			k = due[0]
		}
		i := 0
		for i < len(done) && markOrder(done[i], k) == 0 {
			i++
		}
		j := 0
		for j < len(due) && markOrder(due[j], k) == 0 {
			j++
		}
		c.checked++
		c.rank = Rank{Pass: passTie, ID: uint64(k.group)}
		c.tieMark(done[:i], due[:j])
		done, due = done[i:], due[j:]
	}
}

func (c *checker) tieMark(done, due []markFact) {
	k := markFact{}
	if len(done) > 0 {
		k = done[0]
	} else {
		k = due[0]
	}
	v := Violation{Invariant: I4BlockStopsTraffic, Thread: k.group, User: k.blocker, Other: k.blocked}
	if len(done) != len(due) {
		v.Expected, v.Seen = marksText(due), marksText(done)
		c.fail(v)
		return
	}
	for i := range done {
		switch {
		case done[i].on != due[i].on:
			v.Expected, v.Seen = marksText(due), marksText(done)
		case done[i].pos < due[i].pos:
			v.Seq = done[i].pos
			v.Expected = fmt.Sprintf("a mark's %s after message %d, which the blocker had received", onOff(due[i].on), due[i].pos)
			v.Seen = fmt.Sprintf("at message %d", done[i].pos)
		default:
			continue
		}
		c.fail(v)
		return
	}
}

func onOff(on bool) string {
	if on {
		return "start"
	}
	return "end"
}

func marksText(ms []markFact) string {
	if len(ms) == 0 {
		return "no block mark"
	}
	s := "block marks"
	for _, m := range ms {
		s += " " + onOff(m.on)
	}
	return s
}

// tieJoins requires every join a group applied to follow a decision that
// allowed it (I13): the group's first joins are its owner and the members
// of a creation whose owner's own check passed; every later join, an
// addition whose adder's own check passed, one join per decision. Where
// several of the owner's creations fit the first joins (one refused as
// too small, say), the longest is taken: the joins it leaves over need
// additions of their own either way.
func (c *checker) tieJoins() {
	creates := make(map[addFact][]int) // by group and owner
	for i, cr := range c.creates {
		k := addFact{group: cr.group, by: cr.owner}
		creates[k] = append(creates[k], i)
	}
	adds := make(map[addFact]int)
	for _, a := range c.adds {
		adds[a]++
	}
	for _, g := range c.groups {
		js := c.joins[g.from:g.to]
		c.checked++
		c.rank = Rank{Pass: passTie, ID: uint64(g.group)}
		owner := js[0].user
		made := -1 // the members of the longest creation the joins begin with
		if js[0].by == owner {
			for _, i := range creates[addFact{group: g.group, by: owner}] {
				if ms := c.creates[i].members; len(ms) > made && createdWith(js[1:], owner, ms) {
					made = len(ms)
				}
			}
		}
		if made >= 0 {
			js = js[1+made:]
		}
		if made < 0 {
			c.fail(Violation{Invariant: I13GroupAdditions, Thread: g.group, User: owner, Other: js[0].by,
				Expected: "a group created by its owner's create_group that passed the owner's checks", Seen: "no such decision"})
			js = js[1:]
		}
		for _, j := range js {
			c.checked++
			k := addFact{group: g.group, by: j.by, user: j.user}
			if adds[k] == 0 {
				c.fail(Violation{Invariant: I13GroupAdditions, Thread: g.group, User: j.user, Other: j.by,
					Expected: "a join after an add_member that passed the adder's checks", Seen: "a join without one"})
				continue
			}
			adds[k]--
		}
	}
}

// createdWith reports whether js begins with the members ms, each added
// by owner.
func createdWith(js []joinFact, owner UserID, ms []UserID) bool {
	if len(js) < len(ms) {
		return false
	}
	for i, m := range ms {
		if js[i].user != m || js[i].by != owner {
			return false
		}
	}
	return true
}

// tiePairs requires both users of every direct thread whose pair state
// changed to have received its states (I6), each where it is held;
// userPairs compared the sequences of those who did.
func (c *checker) tiePairs() {
	var missed []ThreadID
	for id, pt := range c.pairs {
		if !pt.seen[0] || !pt.seen[1] {
			missed = append(missed, id)
		}
	}
	slices.Sort(missed)
	for _, id := range missed {
		pt := c.pairs[id]
		a, b := id.Pair()
		for sd, u := range [2]UserID{a, b} {
			if !pt.seen[sd] && c.p.slot(u) >= 0 {
				c.rank = Rank{Pass: passTie, ID: uint64(id), Sub: uint64(u)}
				c.fail(Violation{Invariant: I6BlockCutsConnection, Thread: id, User: u, Other: id.Other(u),
					Expected: fmt.Sprintf("the %d pair states the thread went through", pt.n), Seen: "none received"})
			}
		}
	}
}
