package runner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/actors"
	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
	"github.com/msgsim/msgsim/sim"
)

// script applies a scenario's steps one at a time, each to quiescence, and
// checks every expectation, recording failures and carrying on.
func (r *Runner) script(e *actors.Engine) {
	sc := r.sc
	m := r.opts.Metrics
	for i := range sc.Steps {
		if r.ctx.Err() != nil {
			r.interrupted = true
			return
		}
		st := &sc.Steps[i]
		switch {
		case st.Op != nil:
			op := *st.Op
			op.At = r.now
			r.sent()
			start := time.Now()
			got := e.Apply(op)
			r.counted(&op, got, time.Since(start))
			if r.oracle != nil {
				r.oracle.Apply(&op, got, st.Pos.String())
			}
			r.expect(st, st.Expect.String(), got.String())
		case st.Advance > 0:
			r.now = r.now.Add(st.Advance)
			r.clock.Store(int64(r.now))
			m.SetClock(r.now)
		case st.Check != nil:
			want, got := r.check(e.State(), st.Check)
			r.expect(st, want, got)
		}
		if x := r.expected.Load(); m != nil && x > 0 {
			m.SetProgress(float64(i+1) / float64(x))
		}
	}
}

func (r *Runner) expect(st *scenarios.Step, want, got string) {
	if want == got {
		r.report.Expectations.Passed++
		return
	}
	r.report.Expectations.Failed++
	r.report.Expectations.Failures = append(r.report.Expectations.Failures, report.Failure{
		Pos: st.Pos.String(), Step: st.Source, Expected: want, Seen: got})
}

// check evaluates a check step and returns what it expects and what the
// state shows, formatted alike so they compare as strings.
func (r *Runner) check(s *sim.State, c *scenarios.Check) (want, got string) {
	switch c.Kind {
	case scenarios.View:
		var lines []string
		for _, l := range s.View(c.User, c.Thread) {
			lines = append(lines, l.Text)
		}
		return quoteAll(c.Lines), quoteAll(lines)
	case scenarios.Inbox:
		var names []string
		for _, e := range s.Inbox(c.User) {
			names = append(names, r.threadName(c.User, e.Thread))
		}
		return quoteAll(c.Lines), quoteAll(names)
	case scenarios.Unread:
		return strconv.Itoa(c.Count), strconv.Itoa(s.Unread(c.User, c.Thread))
	case scenarios.Notifications:
		return strconv.Itoa(c.Count), strconv.Itoa(s.Notifications(c.User))
	case scenarios.Connected:
		return strconv.FormatBool(c.Value), strconv.FormatBool(s.Connected(c.User, c.Target))
	case scenarios.Profile:
		return "visible: " + strconv.FormatBool(c.Value), "visible: " + strconv.FormatBool(s.ProfileVisible(c.User, c.Target))
	}
	return c.Kind.String(), "an unknown check"
}

// threadName names a thread as scenario files do: a direct thread by the
// other user, a group by its name.
func (r *Runner) threadName(u sim.UserID, t sim.ThreadID) string {
	if t.IsGroup() {
		if n := int(t.GroupNumber()); n < len(r.sc.Groups) {
			return r.sc.Groups[n]
		}
		return t.String()
	}
	return r.userName(t.Other(u))
}

func (r *Runner) userName(u sim.UserID) string {
	if int(u) < len(r.sc.Users) {
		return r.sc.Users[u]
	}
	return fmt.Sprintf("user%d", u)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// scriptConns returns the script users' initial connections, sorted.
func scriptConns(sc *scenarios.Scenario) [][]sim.UserID {
	conns := make([][]sim.UserID, len(sc.Users))
	for _, c := range sc.Connections {
		conns[c[0]] = append(conns[c[0]], c[1])
		conns[c[1]] = append(conns[c[1]], c[0])
	}
	for i, c := range conns {
		slices.Sort(c)
		conns[i] = slices.Compact(c)
	}
	return conns
}
