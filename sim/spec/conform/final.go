package conform

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/spec"
)

// Final compares every observable of the engine's final state s with the
// model m, and returns how many comparisons it made, how many differences
// it found and the first limit of them:
//
//   - the set of threads: every group, and every direct thread holding a
//     message (a direct thread the engine keeps only for its pair's
//     connection and blocks is not a conversation); for each, its members,
//     its reported-message count, and each member's view, line by line
//     (author, time, text, tombstone);
//   - per user: notifications by cause and suppressions by reason, the
//     notification setting, the inbox in order, and the unread count, the
//     archived, muted and deleted (R4) flags and current membership of
//     every thread either side has for them;
//   - per pair: connection, for every pair where either side holds one
//     (each user's connections as a list, the first difference
//     reported), and blocks both ways and profile visibility, for every
//     pair where either side holds a block, as each user's own state has
//     them (every other pair is unconnected and unblocked on both sides;
//     its profile visibility is not looked up); and the pair state of
//     every direct thread the engine keeps.
//
// It takes time linear in the size of both states.
func Final(s *sim.State, m *spec.Model, limit int) (checked, count int, diffs []Difference) {
	j := &judge{s: s, m: m, limit: limit, users: len(s.Users)}
	j.check(len(s.Users) == m.Users(), func() Difference {
		return Difference{What: "users", Engine: strconv.Itoa(len(s.Users)), Spec: strconv.Itoa(m.Users())}
	})
	j.users = min(j.users, m.Users())
	j.threads()
	blockedBy := make([][]sim.UserID, j.users)
	for u := range sim.UserID(j.users) {
		for _, v := range m.Blocking(u) {
			if int(v) < j.users {
				blockedBy[v] = append(blockedBy[v], u)
			}
		}
	}
	for u := range sim.UserID(j.users) {
		j.user(u)
		j.pairs(u, blockedBy[u])
	}
	return j.checked, j.count, j.diffs
}

// judge collects the comparisons of one Final.
type judge struct {
	s              *sim.State
	m              *spec.Model
	limit          int
	users          int // users both sides have
	checked, count int
	diffs          []Difference
}

// check counts one comparison and, when ok is false, the difference d
// describes.
func (j *judge) check(ok bool, d func() Difference) {
	j.checked++
	if ok {
		return
	}
	j.count++
	if len(j.diffs) < j.limit {
		diff := d()
		diff.Op = -1
		j.diffs = append(j.diffs, diff)
	}
}

// threads walks the engine's threads and the model's in ascending order
// side by side.
func (j *judge) threads() {
	want := j.m.Threads()
	i := 0
	missing := func(id sim.ThreadID) {
		j.check(false, func() Difference {
			return Difference{What: "threads", Thread: id, Engine: "no such thread",
				Spec: fmt.Sprintf("exists with %d messages", j.m.Messages(id))}
		})
	}
	for th := range j.s.AllThreads() {
		id := th.ID
		if !id.IsGroup() {
			j.pairState(th)
		}
		for i < len(want) && want[i] < id {
			missing(want[i])
			i++
		}
		inSpec := i < len(want) && want[i] == id
		if inSpec {
			i++
		}
		conversation := id.IsGroup() || th.Last() > 0
		j.check(inSpec || !conversation, func() Difference {
			return Difference{What: "threads", Thread: id,
				Engine: fmt.Sprintf("exists with %d messages", th.Last()), Spec: "no such thread"}
		})
		if inSpec {
			j.thread(th)
		}
	}
	for ; i < len(want); i++ {
		missing(want[i])
	}
}

// pairState compares the pair state an engine's direct thread holds.
func (j *judge) pairState(th *sim.Thread) {
	a, b := th.ID.Pair()
	if int(b) >= j.users {
		return
	}
	ps := th.Pair
	j.check(ps.Connected == j.m.Connected(a, b), func() Difference {
		return Difference{What: "connected", User: a, Other: b,
			Engine: "thread " + yesNo(ps.Connected, "connected", "not connected"),
			Spec:   yesNo(j.m.Connected(a, b), "connected", "not connected")}
	})
	for side, pair := range [2][2]sim.UserID{{a, b}, {b, a}} {
		got, want := ps.BlockedBy[side], j.m.Blocks(pair[0], pair[1])
		j.check(got == want, func() Difference {
			return Difference{What: "blocks", User: pair[0], Other: pair[1],
				Engine: fmt.Sprintf("thread: %d %s %d", pair[0], yesNo(got, "blocks", "does not block"), pair[1]),
				Spec:   fmt.Sprintf("%d %s %d", pair[0], yesNo(want, "blocks", "does not block"), pair[1])}
		})
	}
}

// thread compares one thread that both sides have.
func (j *judge) thread(th *sim.Thread) {
	id := th.ID
	var got []sim.UserID
	for _, mb := range th.Members() {
		got = append(got, mb.User)
	}
	slices.Sort(got)
	want := j.m.Members(id)
	j.check(slices.Equal(got, want), func() Difference {
		return Difference{What: "members", Thread: id, Engine: fmt.Sprint(got), Spec: fmt.Sprint(want)}
	})
	j.check(int(th.Reports) == j.m.Reports(id), func() Difference {
		return Difference{What: "reports", Thread: id, Engine: strconv.Itoa(int(th.Reports)), Spec: strconv.Itoa(j.m.Reports(id))}
	})
	p := j.s.PolicyOf(th)
	for _, u := range union(got, want) {
		j.view(u, id, th.View(u, p), j.m.View(u, id))
	}
}

// view compares what u sees of thread id on both sides.
func (j *judge) view(u sim.UserID, id sim.ThreadID, got []sim.Line, want []spec.Line) {
	i := 0
	for i < len(got) && i < len(want) && sameLine(got[i], want[i]) {
		i++
	}
	j.check(i == len(got) && i == len(want) && (got == nil) == (want == nil), func() Difference {
		d := Difference{What: "view", User: u, Thread: id}
		d.Engine, d.Spec = fmt.Sprintf("%d lines", len(got)), fmt.Sprintf("%d lines", len(want))
		switch {
		case got == nil:
			d.Engine = "not a member"
		case i < len(got):
			d.Engine += fmt.Sprintf("; line %d: %s", i+1, lineString(got[i].Author, got[i].At, got[i].Text, got[i].Tombstone))
		}
		switch {
		case want == nil:
			d.Spec = "not a member"
		case i < len(want):
			d.Spec += fmt.Sprintf("; line %d: %s", i+1, lineString(want[i].Author, want[i].At, want[i].Text, want[i].Tombstone))
		}
		return d
	})
}

func sameLine(a sim.Line, b spec.Line) bool {
	return a.Author == b.Author && a.At == b.At && a.Text == b.Text && a.Tombstone == b.Tombstone
}

func lineString(author sim.UserID, at sim.Time, text string, tombstone bool) string {
	s := fmt.Sprintf("user %d at %s %q", author, at, text)
	if tombstone {
		s += " (tombstone)"
	}
	return s
}

// user compares one user's counters, setting and inbox.
func (j *judge) user(u sim.UserID) {
	usr := &j.s.Users[u]
	k := &usr.Counters
	var notified, suppressed [3]int
	for c := range notified {
		notified[c], suppressed[c] = int(k.Notified[c]), int(k.Suppressed[c])
	}
	j.check(notified == j.m.Notified(u), func() Difference {
		return Difference{What: "notified", User: u, Engine: byName(notified, causes), Spec: byName(j.m.Notified(u), causes)}
	})
	j.check(suppressed == j.m.Suppressed(u), func() Difference {
		return Difference{What: "suppressed", User: u, Engine: byName(suppressed, reasons), Spec: byName(j.m.Suppressed(u), reasons)}
	})
	j.check(usr.NotifyOff == j.m.NotificationsOff(u), func() Difference {
		return Difference{What: "notifications_off", User: u, Engine: strconv.FormatBool(usr.NotifyOff), Spec: strconv.FormatBool(j.m.NotificationsOff(u))}
	})
	var inbox []sim.ThreadID
	for _, e := range j.s.Inbox(u) {
		inbox = append(inbox, e.Thread)
	}
	want := j.m.Inbox(u)
	j.check(slices.Equal(inbox, want), func() Difference {
		return Difference{What: "inbox", User: u, Engine: fmt.Sprint(inbox), Spec: fmt.Sprint(want)}
	})
	es := usr.Entries()
	ms := j.m.Memberships(u)
	for len(es) > 0 || len(ms) > 0 {
		var e sim.Entry
		var mb spec.Membership
		switch {
		case len(ms) == 0 || (len(es) > 0 && es[0].Thread < ms[0].Thread):
			e, es = es[0], es[1:]
			mb.Thread = e.Thread
		case len(es) == 0 || ms[0].Thread < es[0].Thread:
			mb, ms = ms[0], ms[1:]
		default:
			e, mb, es, ms = es[0], ms[0], es[1:], ms[1:]
		}
		j.flag(u, mb.Thread, "unread", strconv.Itoa(int(e.Unread)), strconv.Itoa(mb.Unread))
		j.flag(u, mb.Thread, "archived", strconv.FormatBool(e.Archived), strconv.FormatBool(mb.Archived))
		j.flag(u, mb.Thread, "muted", strconv.FormatBool(e.Muted), strconv.FormatBool(mb.Muted))
		j.flag(u, mb.Thread, "deleted", strconv.FormatBool(e.Removed), strconv.FormatBool(mb.Deleted))
		j.flag(u, mb.Thread, "member", strconv.FormatBool(e.Member), strconv.FormatBool(mb.Current))
	}
}

func (j *judge) flag(u sim.UserID, id sim.ThreadID, what, got, want string) {
	j.check(got == want, func() Difference {
		return Difference{What: what, User: u, Thread: id, Engine: got, Spec: want}
	})
}

// pairs compares u's side of every pair where either side has a
// connection or a block; blockedBy is who blocks u in the model.
// Connections are compared as u's two sorted lists, a pair at a time;
// blocks and profile visibility for every user either side has in a block
// list of u's. The model's connections and blocks are read from its lists
// for u rather than by a lookup per pair: at a million users a lookup of
// the other user's state is a cache miss each. Profile visibility is the
// model's to say (R8), asked only for the few pairs with a block.
func (j *judge) pairs(u sim.UserID, blockedBy []sim.UserID) {
	usr := &j.s.Users[u]
	got, want := usr.Connections(), j.m.Connections(u)
	j.checked += max(len(got), len(want)) - 1
	j.check(slices.Equal(got, want), func() Difference {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		var v sim.UserID // the first user on one side only
		if i < len(got) && (i >= len(want) || got[i] < want[i]) {
			v = got[i]
		} else {
			v = want[i]
		}
		return Difference{What: "connected", User: u, Other: v,
			Engine: fmt.Sprintf("user %d's state: %s", u, yesNo(usr.Connected(v), "connected", "not connected")),
			Spec:   yesNo(j.m.Connected(u, v), "connected", "not connected")}
	})
	blocking := cursor(j.m.Blocking(u))
	vs := slices.Concat(blocking, blockedBy, usr.Blocked(), usr.BlockedBy())
	slices.Sort(vs)
	vs = slices.Compact(vs)
	for _, v := range vs {
		if v == u || int(v) >= j.users {
			continue
		}
		blocks := blocking.has(v)
		got := usr.Blocks(v)
		j.check(got == blocks, func() Difference {
			return Difference{What: "blocks", User: u, Other: v,
				Engine: fmt.Sprintf("%d %s %d", u, yesNo(got, "blocks", "does not block"), v),
				Spec:   fmt.Sprintf("%d %s %d", u, yesNo(blocks, "blocks", "does not block"), v)}
		})
		got, visible := j.s.ProfileVisible(u, v), j.m.ProfileVisible(u, v)
		j.check(got == visible, func() Difference {
			return Difference{What: "profile", User: u, Other: v,
				Engine: fmt.Sprintf("%d %s %d's profile", u, yesNo(got, "may view", "may not view"), v),
				Spec:   fmt.Sprintf("%d %s %d's profile", u, yesNo(visible, "may view", "may not view"), v)}
		})
	}
}

// cursor is an ascending list asked about ascending values.
type cursor []sim.UserID

// has reports whether v is in c, dropping every value below v: ask in
// ascending order.
func (c *cursor) has(v sim.UserID) bool {
	for len(*c) > 0 && (*c)[0] < v {
		*c = (*c)[1:]
	}
	return len(*c) > 0 && (*c)[0] == v
}

var (
	causes  = [3]string{"message", "post", "delete"}
	reasons = [3]string{"muted", "settings", "blocked"}
)

func byName(n [3]int, names [3]string) string {
	return fmt.Sprintf("%s=%d %s=%d %s=%d", names[0], n[0], names[1], n[1], names[2], n[2])
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// union returns the sorted union of two ascending lists.
func union[T interface{ ~uint32 | ~uint64 }](a, b []T) []T {
	out := make([]T, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || (len(a) > 0 && a[0] < b[0]):
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || b[0] < a[0]:
			out, b = append(out, b[0]), b[1:]
		default:
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}
