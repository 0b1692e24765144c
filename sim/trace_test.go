package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/msgsim/msgsim/sim"
)

// A script's "trace CMD" runs CMD as the script would and prints, before
// its outcome, every step that travelled between users and threads, one a
// line: its kind, the actor that sent it and the one it went to ("run"
// for the caller that starts the operation and gets its Done), and what
// it carries. CMD runs through the reference model and the engine alike,
// and the two must send the same steps, with one difference the engine is
// built to make: where sim.Bypass lets it, the engine sends an
// operation's first step straight to the thread that decides it, so the
// reference model's Start to the acting user is not sent, and its
// at_thread comes from the run. The trace marks that Start "(engine:
// bypassed)".
//
// The lines are in the reference model's order, breadth first from its
// queue. The engine's deterministic mode applies one operation at a time,
// but its dispatcher runs each step on the goroutine that sent it, depth
// first, so the engine's steps are compared as a multiset, each line
// against a line of the reference model's.

// hop is one step as it travelled: the actor that sent it, and the step.
type hop struct {
	from  string
	step  sim.Step
	cause int // which handling sent it, counted from 0 (the first step's); -1 for the first step itself
}

// tracer collects the hops of one operation from a Trace hook while on.
type tracer struct {
	mu    sync.Mutex // the engine calls the hook from its actors
	on    bool
	calls int
	hops  []hop
}

// start turns the tracer on for a new operation.
func (tr *tracer) start() {
	tr.mu.Lock()
	tr.on, tr.calls, tr.hops = true, 0, tr.hops[:0]
	tr.mu.Unlock()
}

// stop turns the tracer off and returns what it collected.
func (tr *tracer) stop() []hop {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.on = false
	return tr.hops
}

// hook is the Trace hook of a world or an engine: the first step handled
// is the operation's first, sent by the run; each handled step's receiver
// sent the steps it caused.
func (tr *tracer) hook(s *script) func(handled *sim.Step, caused []sim.Step) {
	return func(handled *sim.Step, caused []sim.Step) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		if !tr.on {
			return
		}
		if tr.calls == 0 {
			tr.hops = append(tr.hops, hop{from: "run", step: *handled, cause: -1})
		}
		from := s.receiver(handled)
		for _, c := range caused {
			tr.hops = append(tr.hops, hop{from: from, step: c, cause: tr.calls})
		}
		tr.calls++
	}
}

// receiver names the actor a step is for.
func (s *script) receiver(m *sim.Step) string {
	switch {
	case m.Kind == sim.Done:
		return "run"
	case m.ToThread():
		return s.threadName(m.Thread)
	}
	return s.name(m.To)
}

func (s *script) threadName(t sim.ThreadID) string {
	if !t.IsGroup() {
		a, b := t.Pair()
		return s.name(a) + "-" + s.name(b)
	}
	if n, ok := s.names.Group(t); ok {
		return "group:" + n
	}
	return t.String()
}

// trace runs cmd on the world and the engine and returns their trace.
func (s *script) trace(cmd string) string {
	s.existed = map[sim.ThreadID]bool{}
	for id := range s.w.Threads {
		s.existed[id] = true
	}
	s.worldTrace.start()
	s.engineTrace.start()
	outcome := s.do(cmd)
	w, e := s.worldTrace.stop(), s.engineTrace.stop()

	bypassed := len(e) > 0 && len(w) > 0 && e[0].step.Kind == sim.AtThread && w[0].step.Kind == sim.Start
	var lines, want []string
	for _, h := range w {
		l := s.hopLine(h)
		if bypassed && h.cause == -1 {
			lines = append(lines, l+" (engine: bypassed)")
			continue
		}
		lines = append(lines, l)
		if bypassed && h.cause == 0 {
			h.from = "run"
			l = s.hopLine(h)
		}
		want = append(want, l)
	}
	var got []string
	for _, h := range e {
		got = append(got, s.hopLine(h))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		s.t.Errorf("trace %s: the engine sent\n\t%s\nwhere the reference model sent\n\t%s", cmd,
			strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	return strings.Join(append(lines, outcome), "\n")
}

// hopLine prints a hop: kind, sender -> receiver, and what the step carries.
func (s *script) hopLine(h hop) string {
	m := &h.step
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s -> %s:", m.Kind, h.from, s.receiver(m))
	switch m.Kind {
	case sim.Start, sim.AtThread:
		b.WriteString(" " + s.opText(&m.Op))
		if m.Kind == sim.AtThread && !m.Thread.IsGroup() && sim.Creates(m) && !s.existed[m.Thread] {
			b.WriteString(" creates " + s.pairText(m.Thread, m.Pair))
		}
		if m.Pre != sim.OK {
			fmt.Fprintf(&b, " pre=%s", m.Pre)
		}
	case sim.Done:
		fmt.Fprintf(&b, " %s %s", m.Op.Action, m.Outcome)
	case sim.Delivered:
		fmt.Fprintf(&b, " seq=%d by %s", m.Seq, s.name(m.Author))
		if m.Sender {
			b.WriteString(" sender")
		}
		if !m.Visible {
			b.WriteString(" hidden")
		}
	case sim.Joined:
		fmt.Fprintf(&b, " after seq=%d", m.Seq)
	case sim.PairChanged:
		b.WriteString(" " + s.pairText(m.Thread, m.Pair))
	case sim.Mark:
		verb := "ends hiding"
		if m.On {
			verb = "hides"
		}
		fmt.Fprintf(&b, " %s %s from %s", verb, s.name(m.Op.Target), s.name(m.Op.User))
	case sim.PostNotice:
		fmt.Fprintf(&b, " by %s", s.name(m.Author))
	case sim.DeleteNotice:
		fmt.Fprintf(&b, " seq=%d by %s", m.Seq, s.name(m.Author))
	}
	if m.Quiet {
		b.WriteString(" quiet")
	}
	return b.String()
}

// opText prints an operation with the fields its action uses.
func (s *script) opText(op *sim.Op) string {
	f := []string{op.Action.String(), s.name(op.User)}
	switch op.Action {
	case sim.Connect, sim.Disconnect, sim.Block, sim.Unblock, sim.ViewProfile, sim.AddMember, sim.Report:
		f = append(f, s.name(op.Target))
	case sim.Send:
		if !op.ThreadOf().IsGroup() {
			f = append(f, s.name(op.Target))
		}
	}
	if op.Thread.IsGroup() {
		f = append(f, s.threadName(op.Thread))
	}
	for _, u := range op.Members {
		f = append(f, s.name(u))
	}
	if op.Msg != 0 {
		f = append(f, fmt.Sprintf("msg=%d", op.Msg))
	}
	if op.Text != "" {
		f = append(f, fmt.Sprintf("text=%q", op.Text))
	}
	if op.Everyone {
		f = append(f, "for=everyone")
	}
	if op.Action == sim.Notifications {
		f = append(f, map[bool]string{true: "on", false: "off"}[op.On])
	}
	if op.AndBlock {
		f = append(f, "block=true")
	}
	return strings.Join(f, " ")
}

// pairText prints a direct thread's pair state.
func (s *script) pairText(t sim.ThreadID, p sim.PairState) string {
	a, b := t.Pair()
	var f []string
	if p.Connected {
		f = append(f, "connected")
	}
	if p.BlockedBy[0] {
		f = append(f, s.name(a)+"-blocks-"+s.name(b))
	}
	if p.BlockedBy[1] {
		f = append(f, s.name(b)+"-blocks-"+s.name(a))
	}
	if p.CutByBlock {
		f = append(f, "cut-by-block")
	}
	if len(f) == 0 {
		return "pair=none"
	}
	return "pair=" + strings.Join(f, ",")
}
