package sim

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// PartCheck is the invariant checker at work on one Part. Check's passes
// run part by part, each where its state is:
//
//  1. ShareBlocks: each part tells the parts that hold the threads in its
//     users' indexes what those users block (the open block marks of a
//     group are judged by it, and the measures count by it);
//  2. Threads: each part replays its threads and tells each user's part
//     what the threads sent that user (a sum of hashes and counts) and
//     each direct thread's users' parts the pair states it went through;
//  3. Users: each part replays its users' histories against what the
//     threads sent them, and tells each group's part the block marks,
//     creations and additions its users' histories call for, and each
//     author's part the post notices received;
//  4. OneSided, only where the connections' sum (ConnSum, added over
//     every part) is not zero: each part asks the other user's part about
//     the connections it holds on one side only;
//  5. Tie: each part holds what its groups applied against what the
//     histories called for, and its authors' posts against the notices
//     received.
//
// Between passes each part's Notes go to the parts they are for (Note.For)
// and are taken there (Take) before the next pass. Every part's counts
// and violations, merged in the order of their Ranks, are those Check
// reports of the same state held whole; the number of checks is the
// same too. A PartCheck is not safe for concurrent use.
type PartCheck struct{ c checker }

// The passes in the order Check reports what they find (Rank.Pass).
const (
	passThreads = iota + 1
	passUsers
	passOneSided
	passInitials
	passTie
	passPosts
)

// Rank places a violation in the order Check reports them: by pass, then
// by the thread or user judged (ID), then by a second user where one
// pass judges several about one thread or user (Sub). Violations of
// equal rank keep the order they were found in; no two parts find
// violations of equal rank but for the one that says a part's threads
// and indexes disagree without naming a thread.
type Rank struct {
	Pass    uint8
	ID, Sub uint64
}

// Compare orders ranks.
func (a Rank) Compare(b Rank) int {
	return cmp.Or(cmp.Compare(a.Pass, b.Pass), cmp.Compare(a.ID, b.ID), cmp.Compare(a.Sub, b.Sub))
}

// UserFacts is what the threads of a part sent one user, as its thread
// pass counts it: a sum of hashes of the deliveries and membership steps
// (Steps of them), the messages delivered visible and hidden from the
// user, and the delete notices due. Facts from several parts add up.
type UserFacts struct {
	Sum                              uint64
	Steps, Received, Hidden, Deletes uint32
}

func (f *UserFacts) add(g *UserFacts) {
	f.Sum += g.Sum
	f.Steps += g.Steps
	f.Received += g.Received
	f.Hidden += g.Hidden
	f.Deletes += g.Deletes
}

// NoteKind says what a Note tells.
type NoteKind uint8

// The notes parts send each other; each names the fields it uses.
const (
	// NoteBlocks: User blocks Users; for the part of Thread, in User's
	// index.
	NoteBlocks NoteKind = iota + 1
	// NoteFacts: Facts, what the threads of the sending part sent User.
	NoteFacts
	// NotePairs: direct Thread went through N pair states, whose hash
	// is Sum; for the part of User, one of its two users.
	NotePairs
	// NotePosts: N post notices from User (the author) were received.
	NotePosts
	// NoteMark: User's history calls for a block mark on Other in group
	// Thread to start (On) or end, not before message Seq.
	NoteMark
	// NoteCreate: User created group Thread with the members Users, its
	// own checks passed.
	NoteCreate
	// NoteAdd: User added Other to group Thread, its own checks passed.
	NoteAdd
	// NoteOneSided: User holds a connection to Other, and no direct
	// thread of theirs is held with User; for the part of Other.
	NoteOneSided
)

var noteKinds = [...]string{NoteBlocks: "blocks", NoteFacts: "facts", NotePairs: "pairs", NotePosts: "posts",
	NoteMark: "mark", NoteCreate: "create", NoteAdd: "add", NoteOneSided: "one-sided"}

func (k NoteKind) String() string {
	if int(k) < len(noteKinds) && noteKinds[k] != "" {
		return noteKinds[k]
	}
	return fmt.Sprintf("note(%d)", uint8(k))
}

// Note is what one part's pass tells the part that holds a user or a
// thread (For): plain data, so a cluster can carry it between processes.
type Note struct {
	Kind   NoteKind
	Thread ThreadID
	User   UserID
	Other  UserID
	Facts  UserFacts
	Sum    uint64
	N      uint32
	Seq    Seq
	On     bool
	Users  []UserID
}

// For returns whom n is for: the part holding thread t when thread is
// true, the part holding user u otherwise.
func (n *Note) For() (u UserID, t ThreadID, thread bool) {
	switch n.Kind {
	case NoteBlocks, NoteMark, NoteCreate, NoteAdd:
		return 0, n.Thread, true
	case NoteOneSided:
		return n.Other, 0, false
	}
	return n.User, 0, false
}

// ErrNote is wrapped by the errors of a note taken by a part it is not
// for.
var ErrNote = errors.New("sim: a note for another part")

// NewPartCheck returns the checker of part p against x, what the caller
// expects of each policy in force (see Check).
func NewPartCheck(p *Part, x Expectations) (*PartCheck, error) {
	if err := p.index(); err != nil {
		return nil, err
	}
	pc := &PartCheck{}
	pc.c.init(p, x)
	return pc, nil
}

func (c *checker) init(p *Part, x Expectations) {
	*c = checker{p: p, x: expects{of: x, multi: p.Cohorts != nil}, facts: make([]UserFacts, p.n),
		posts: make([]postCount, p.n), pairs: make(map[ThreadID]*pairTrack)}
	if p.Blocks == nil {
		p.Blocks = map[UserID][]UserID{}
	}
}

// ShareBlocks notes what each user held here blocks for the parts of the
// threads in the user's index held elsewhere (NoteBlocks).
func (pc *PartCheck) ShareBlocks() {
	c := &pc.c
	if c.p.Holds == nil {
		return
	}
	for u := range c.p.each {
		bl := u.Blocked()
		if len(bl) == 0 {
			continue
		}
		for i := range u.entries {
			t := u.threadOf(u.entries[i].key)
			if !c.p.holds(t) {
				c.note(Note{Kind: NoteBlocks, Thread: t, User: u.ID, Users: bl})
			}
		}
	}
}

// Threads replays every thread held here (the thread pass).
func (pc *PartCheck) Threads() {
	c := &pc.c
	for t := range c.threadsHere() {
		c.thread(t)
	}
	for _, u := range slices.Sorted(maps.Keys(c.away)) {
		c.note(Note{Kind: NoteFacts, User: u, Facts: *c.away[u]})
	}
	c.away = nil
}

// Users replays the history of every user held here (the user pass),
// after the thread passes of every part and their notes.
func (pc *PartCheck) Users() {
	c := &pc.c
	i := 0
	for u := range c.p.each {
		c.user(u, i)
		i++
	}
	for _, u := range slices.Sorted(maps.Keys(c.postsAway)) {
		c.note(Note{Kind: NotePosts, User: u, N: c.postsAway[u]})
	}
	c.postsAway = nil
}

// ConnSum returns this part's share of the connections' sum, after
// Users: the sum over every part is zero when every connection is held
// on both sides, or by a direct thread (see replicas). Where it is not,
// every part runs OneSided.
func (pc *PartCheck) ConnSum() uint64 { return pc.c.connSum }

// OneSided finds the connections of the users held here that the other
// side does not hold, where no direct thread holds the pair; those whose
// other side is held elsewhere it notes for that side's part.
func (pc *PartCheck) OneSided() {
	for u := range pc.c.p.each {
		pc.c.oneSided(u)
	}
}

// Tie holds what the groups held here applied against what the users'
// histories called for, and the posts of the authors held here against
// the notices received, after the user passes of every part and their
// notes.
func (pc *PartCheck) Tie() {
	c := &pc.c
	if c.initSum != 0 {
		c.initialsAgain()
	}
	c.tie()
}

// Notes returns the notes made since the last call, for other parts.
func (pc *PartCheck) Notes() []Note {
	ns := pc.c.notes
	pc.c.notes = nil
	return ns
}

// Take takes a note another part made for this one.
func (pc *PartCheck) Take(n *Note) error {
	c := &pc.c
	u, t, thread := n.For()
	i := -1
	if thread {
		if !c.p.holds(t) {
			return fmt.Errorf("%w: %s for thread %s, not held here", ErrNote, n.Kind, t)
		}
	} else if i = c.p.slot(u); i < 0 {
		return fmt.Errorf("%w: %s for user %d, not held here", ErrNote, n.Kind, u)
	}
	switch n.Kind {
	case NoteBlocks:
		c.p.Blocks[n.User] = n.Users
	case NoteFacts:
		c.facts[i].add(&n.Facts)
	case NotePairs:
		if c.pairs[n.Thread] == nil {
			c.pairs[n.Thread] = &pairTrack{sum: n.Sum, n: int(n.N)}
		}
	case NotePosts:
		c.posts[i].got += n.N
	case NoteMark:
		c.marksDue = append(c.marksDue, markFact{group: n.Thread, blocker: n.User, blocked: n.Other, on: n.On, pos: n.Seq})
	case NoteCreate:
		c.creates = append(c.creates, createFact{group: n.Thread, owner: n.User, members: n.Users})
	case NoteAdd:
		c.adds = append(c.adds, addFact{group: n.Thread, by: n.User, user: n.Other})
	case NoteOneSided:
		c.oneSidedThere(n.User, c.p.user(n.Other))
	default:
		return fmt.Errorf("sim: a note of unknown kind %d", n.Kind)
	}
	return nil
}

// Result returns the number of checks made here and the violations
// found, in the order Check reports them, each with its rank.
func (pc *PartCheck) Result() (checked int, vs []Violation, ranks []Rank) {
	c := &pc.c
	c.sortFound()
	return c.checked, c.vs, c.ranks
}

// sortFound puts the violations found in the order of their ranks.
func (c *checker) sortFound() {
	idx := make([]int, len(c.vs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return c.ranks[a].Compare(c.ranks[b]) })
	vs, rs := make([]Violation, len(idx)), make([]Rank, len(idx))
	for i, j := range idx {
		vs[i], rs[i] = c.vs[j], c.ranks[j]
	}
	c.vs, c.ranks = vs, rs
}

// postCount is a user's post notices: sent by its posts, received from
// others.
type postCount struct{ sent, got uint32 }

// to returns what the threads sent user u so far, to add to: its own
// facts when u is held here, u's share of the notes for its part
// otherwise, nil when no such user exists.
func (c *checker) to(u UserID) *UserFacts {
	if i := c.p.slot(u); i >= 0 {
		return &c.facts[i]
	}
	if int(u) >= c.p.Population {
		return nil
	}
	if c.away == nil {
		c.away = map[UserID]*UserFacts{}
	}
	f := c.away[u]
	if f == nil {
		f = new(UserFacts)
		c.away[u] = f
	}
	return f
}

// track keeps a direct thread's pair states for its users held here,
// and notes them for the parts of the others.
func (c *checker) track(id ThreadID, sum uint64, n int) {
	a, b := id.Pair()
	here := false
	for _, u := range [2]UserID{a, b} {
		switch {
		case c.p.slot(u) >= 0:
			here = true
		case int(u) < c.p.Population:
			c.note(Note{Kind: NotePairs, Thread: id, User: u, Sum: sum, N: uint32(n)})
		}
	}
	if here {
		c.pairs[id] = &pairTrack{sum: sum, n: n}
	}
}

// postGot counts a post notice received from author.
func (c *checker) postGot(author UserID) {
	switch i := c.p.slot(author); {
	case i >= 0:
		c.posts[i].got++
	case int(author) < c.p.Population:
		if c.postsAway == nil {
			c.postsAway = map[UserID]uint32{}
		}
		c.postsAway[author]++
	}
}

func (c *checker) note(n Note) { c.notes = append(c.notes, n) }
