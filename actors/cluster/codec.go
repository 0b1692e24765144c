package cluster

import (
	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// envelope is a step as a member handles it: the sim.Step, the operation
// it belongs to, its share of the operation's credit, and whether the
// coordinator sent it straight to its thread.
type envelope struct {
	sim.Step
	op       uint64
	credit   uint64
	bypassed bool
}

// Step flags, wire.Step.Flags.
const (
	flagVisible = 1 << iota
	flagSender
	flagOn
	flagQuiet
	flagBypassed
	// flagPanicked marks the Done a member sends for an operation whose
	// deciding step panicked, so the coordinator stops waiting for it.
	flagPanicked
)

// Pair bits, wire.Step.Pair.
const (
	pairConnected = 1 << iota
	pairBlockedByLow
	pairBlockedByHigh
	pairCut
)

func bit(b bool, v uint32) uint32 {
	if b {
		return v
	}
	return 0
}

// encode writes e into s, which it overwrites.
func encode(e *envelope, s *wire.Step) {
	m, op := &e.Step, &e.Step.Op
	*s = wire.Step{
		Kind: uint32(m.Kind), OpAction: uint32(op.Action), OpAt: int64(op.At), OpUser: uint32(op.User),
		OpTarget: uint32(op.Target), OpThread: uint64(op.Thread), OpMsg: uint64(op.Msg),
		OpEveryone: op.Everyone, OpOn: op.On, OpAndBlock: op.AndBlock,
		Thread: uint64(m.Thread), To: uint32(m.To), Author: uint32(m.Author), Seq: uint32(m.Seq), At: int64(m.At),
		Flags: bit(m.Visible, flagVisible) | bit(m.Sender, flagSender) | bit(m.On, flagOn) | bit(m.Quiet, flagQuiet) |
			bit(e.bypassed, flagBypassed),
		Pair: bit(m.Pair.Connected, pairConnected) | bit(m.Pair.BlockedBy[0], pairBlockedByLow) |
			bit(m.Pair.BlockedBy[1], pairBlockedByHigh) | bit(m.Pair.CutByBlock, pairCut),
		Pre: uint32(m.Pre), Outcome: uint32(m.Outcome), Ticket: m.Ticket, Op: e.op, Credit: e.credit,
	}
	if op.Text != "" {
		s.OpText = []byte(op.Text)
	}
	if len(op.Members) > 0 {
		s.OpMembers = make([]uint32, len(op.Members))
		for i, u := range op.Members {
			s.OpMembers[i] = uint32(u)
		}
	}
}

// decode writes s into e, which it overwrites.
func decode(s *wire.Step, e *envelope) {
	*e = envelope{op: s.Op, credit: s.Credit, bypassed: s.Flags&flagBypassed != 0}
	m := &e.Step
	m.Kind, m.Thread, m.To = sim.StepKind(s.Kind), sim.ThreadID(s.Thread), sim.UserID(s.To)
	m.Author, m.Seq, m.At = sim.UserID(s.Author), sim.Seq(s.Seq), sim.Time(s.At)
	m.Visible, m.Sender = s.Flags&flagVisible != 0, s.Flags&flagSender != 0
	m.On, m.Quiet = s.Flags&flagOn != 0, s.Flags&flagQuiet != 0
	m.Pair = sim.PairState{Connected: s.Pair&pairConnected != 0,
		BlockedBy:  [2]bool{s.Pair&pairBlockedByLow != 0, s.Pair&pairBlockedByHigh != 0},
		CutByBlock: s.Pair&pairCut != 0}
	m.Pre, m.Outcome, m.Ticket = sim.Outcome(s.Pre), sim.Outcome(s.Outcome), s.Ticket
	m.Op = sim.Op{Action: sim.Action(s.OpAction), At: sim.Time(s.OpAt), User: sim.UserID(s.OpUser),
		Target: sim.UserID(s.OpTarget), Thread: sim.ThreadID(s.OpThread), Msg: sim.MsgKey(s.OpMsg), Text: string(s.OpText),
		Everyone: s.OpEveryone, On: s.OpOn, AndBlock: s.OpAndBlock}
	if len(s.OpMembers) > 0 {
		m.Op.Members = make([]sim.UserID, len(s.OpMembers))
		for i, u := range s.OpMembers {
			m.Op.Members[i] = sim.UserID(u)
		}
	}
}
