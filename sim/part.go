package sim

import (
	"errors"
	"fmt"
	"slices"
)

// Part is the share of a population that one process holds: the whole of
// it in one process, one member's shards in a cluster. The checker
// (PartCheck) and the measures (Part.Measure) run where the state lives,
// a part at a time; what one part's pass needs of another's users or
// threads travels between them as Notes, so no process ever holds the
// whole state. State.Check and State.Measure are the same passes over a
// state held whole.
//
// Two placements are assumed, as a cluster's layout gives them: a direct
// thread is held where its lower user is (its initial pair state is
// judged against that user's graph), and Holds says where every other
// thread's notes go.
type Part struct {
	Policy  Policy
	Cohorts *Cohorts
	// Population is how many users the whole population has: ids from 0
	// to Population-1, here or elsewhere.
	Population int
	// Users are the users held here, in runs of consecutive ids (a
	// cluster's shards), the runs in ascending order of id.
	Users [][]User
	// Threads are the threads held here.
	Threads ThreadStore
	// Holds reports whether the thread of id t is held here, whether or
	// not it exists; nil: every thread is.
	Holds func(t ThreadID) bool
	// Blocks holds what users held elsewhere block, as the notes of their
	// own parts told (NoteBlocks): the open block marks of a group and
	// the measures of what blockers still read need them. Take fills it.
	Blocks map[UserID][]UserID

	runs []partRun
	n    int // users held here
}

// partRun is a run of users held here: ids lo on, slots off on.
type partRun struct {
	lo    UserID
	off   int
	users []User
}

// compare places u before (1), in (0) or after (-1) the run, for a
// binary search.
func (r partRun) compare(u UserID) int {
	switch {
	case u < r.lo:
		return 1
	case int(u) >= int(r.lo)+len(r.users):
		return -1
	}
	return 0
}

// ErrPart is wrapped by the errors of a Part whose users are not runs of
// consecutive ids in ascending order.
var ErrPart = errors.New("sim: a part's users must be runs of consecutive ids in ascending order")

// index numbers the users held here, run by run.
func (p *Part) index() error {
	p.runs, p.n = p.runs[:0], 0
	for i, us := range p.Users {
		if len(us) == 0 {
			continue
		}
		lo := us[0].ID
		if us[len(us)-1].ID != lo+UserID(len(us)-1) {
			return fmt.Errorf("%w: run %d goes from user %d to %d in %d users", ErrPart, i, lo, us[len(us)-1].ID, len(us))
		}
		if k := len(p.runs); k > 0 && int(p.runs[k-1].lo)+len(p.runs[k-1].users) > int(lo) {
			return fmt.Errorf("%w: run %d starts at user %d, inside the run before", ErrPart, i, lo)
		}
		if int(lo)+len(us) > p.Population {
			return fmt.Errorf("%w: run %d ends past the population's %d users", ErrPart, i, p.Population)
		}
		p.runs = append(p.runs, partRun{lo: lo, off: p.n, users: us})
		p.n += len(us)
	}
	return nil
}

// slot returns the number of user u among those held here, -1 when u is
// held elsewhere (or nowhere).
func (p *Part) slot(u UserID) int {
	rs := p.runs
	if len(rs) == 1 { // a whole state, or one shard: no search
		if d := int(u) - int(rs[0].lo); d >= 0 && d < len(rs[0].users) {
			return rs[0].off + d
		}
		return -1
	}
	i, found := slices.BinarySearchFunc(rs, u, partRun.compare)
	if !found {
		return -1
	}
	return rs[i].off + int(u-rs[i].lo)
}

// user returns user u when it is held here, or nil.
func (p *Part) user(u UserID) *User {
	rs := p.runs
	k := 0
	if len(rs) != 1 {
		var found bool
		if k, found = slices.BinarySearchFunc(rs, u, partRun.compare); !found {
			return nil
		}
	}
	if d := int(u) - int(rs[k].lo); d >= 0 && d < len(rs[k].users) {
		return &rs[k].users[d]
	}
	return nil
}

// each yields every user held here, in id order.
func (p *Part) each(yield func(*User) bool) {
	for _, us := range p.Users {
		for i := range us {
			if !yield(&us[i]) {
				return
			}
		}
	}
}

// holds reports whether thread t's notes come here.
func (p *Part) holds(t ThreadID) bool { return p.Holds == nil || p.Holds(t) }

// blocked returns whom user u blocks: from u's own state when u is held
// here, from what u's part told (Blocks) otherwise.
func (p *Part) blocked(u UserID) []UserID {
	if x := p.user(u); x != nil {
		return x.Blocked()
	}
	return p.Blocks[u]
}

// PolicyOf returns the policy in force in t.
func (p *Part) PolicyOf(t *Thread) *Policy {
	if p.Cohorts == nil {
		return &p.Policy
	}
	return p.Cohorts.Merged(p.Cohorts.set(t))
}

func (p *Part) cohortOf(u UserID) int {
	if p.Cohorts == nil {
		return 0
	}
	return p.Cohorts.Of(u)
}

// part returns s whole as a Part.
func (s *State) part() *Part {
	p := &Part{Policy: s.Policy, Cohorts: s.Cohorts, Population: len(s.Users), Users: [][]User{s.Users}, Threads: s.threads()}
	if len(s.Users) > 0 {
		p.runs, p.n = []partRun{{lo: s.Users[0].ID, users: s.Users}}, len(s.Users)
	}
	return p
}
