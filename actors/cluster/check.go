package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"google.golang.org/protobuf/proto"

	"github.com/msgsim/msgsim/actors/cluster/wire"
	"github.com/msgsim/msgsim/sim"
)

// The passes of the check (wire.Check.Pass), in order; passOneSided only
// where the members' connection sums do not add up to zero.
const (
	passBlocks = iota + 1
	passThreads
	passUsers
	passOneSided
	passTie
)

// firstViolations is how many violations a member quotes in full, and the
// coordinator keeps of all the members' (the report's details).
const firstViolations = 20

// noteChunk bounds the bytes of notes in one message, well inside a gRPC
// message (4 MB) even when protoactor's remote batches several.
const noteChunk = 512 << 10

// checking is a member's part of a run's invariant check: its users and
// threads as a sim.Part, the check at work on them, and the notes other
// members sent, taken at the start of the next pass.
type checking struct {
	inboxMu sync.Mutex
	inbox   []*wire.Notes

	mu   sync.Mutex // one pass at a time
	pass uint32     // the last pass run
	part *sim.Part
	pc   *sim.PartCheck
}

// received keeps notes another member sent, for the next pass.
func (r *run) received(ns *wire.Notes) {
	ck := &r.check
	ck.inboxMu.Lock()
	ck.inbox = append(ck.inbox, ns)
	ck.inboxMu.Unlock()
}

var passNames = [...]string{passBlocks: "blocks", passThreads: "threads", passUsers: "users",
	passOneSided: "one-sided connections", passTie: "tie"}

// check runs one pass of the check and answers with what it found.
func (m *Member) check(req *wire.Check) *wire.Checked {
	r := m.runOf(req.Run)
	if r == nil {
		return &wire.Checked{Error: fmt.Sprintf("member %s has no run %d", m.addr, req.Run)}
	}
	start := time.Now()
	cpu, _ := usage()
	res, err := r.checkPass(req)
	if err != nil {
		return &wire.Checked{Error: fmt.Sprintf("member %s: check pass %d: %v", m.addr, req.Pass, err)}
	}
	after, _ := usage()
	res.CpuSeconds = (after - cpu).Seconds()
	name := fmt.Sprint(req.Pass)
	if int(req.Pass) < len(passNames) {
		name = passNames[req.Pass]
	}
	m.events("run %d: check pass %s: %.3fs (%.3fs of CPU), %d notes sent (%d bytes)%s", r.id, name,
		time.Since(start).Seconds(), res.CpuSeconds, res.NotesSent, res.NoteBytes, tieLine(res))
	return res
}

func tieLine(res *wire.Checked) string {
	if res.Checked == 0 {
		return ""
	}
	return fmt.Sprintf("; %d checks, %d violations", res.Checked, res.Violations)
}

// checkPass runs pass req.Pass over what the member hosts, sends the
// notes it made, and returns what the coordinator adds up.
func (r *run) checkPass(req *wire.Check) (*wire.Checked, error) {
	ck := &r.check
	ck.mu.Lock()
	defer ck.mu.Unlock()
	if p := req.Pass; p != ck.pass+1 && (p != passTie || ck.pass != passUsers) {
		return nil, fmt.Errorf("pass %d after pass %d", p, ck.pass)
	}
	if !r.started.Load() || r.pending.Load() != 0 {
		return nil, errors.New("the run is not at quiescence")
	}
	ck.pass = req.Pass
	res := &wire.Checked{}
	switch req.Pass {
	case passBlocks:
		if err := r.startCheck(); err != nil {
			return nil, err
		}
		ck.pc.ShareBlocks()
	case passThreads:
		if err := r.takeNotes(); err != nil {
			return nil, err
		}
		ck.pc.Threads()
		counts, err := ck.part.Measure(sim.Time(req.End))
		if err != nil {
			return nil, err
		}
		if res.Measures, err = json.Marshal(counts); err != nil {
			return nil, err
		}
	case passUsers:
		if err := r.takeNotes(); err != nil {
			return nil, err
		}
		ck.pc.Users()
		res.ConnSum = ck.pc.ConnSum()
	case passOneSided:
		ck.pc.OneSided()
	case passTie:
		if err := r.takeNotes(); err != nil {
			return nil, err
		}
		ck.pc.Tie()
		r.found(res)
		return res, nil
	default:
		return nil, fmt.Errorf("no check pass %d", req.Pass)
	}
	var err error
	res.NotesSent, res.NoteBytes, err = r.sendNotes(ck.pc.Notes())
	return res, err
}

// startCheck makes the member's part of the population: the users of the
// shards it hosts and the threads on its shelf.
func (r *run) startCheck() error {
	if r.pop.Expect == nil {
		return errors.New("the member has no expectations to check against")
	}
	part := &sim.Part{Policy: r.pop.Policy, Cohorts: r.pop.Cohorts, Population: r.lay.users, Threads: r.threads.Store(),
		Holds: func(t sim.ThreadID) bool { return r.local[r.lay.ofThread(t)] }}
	r.mu.Lock()
	for _, s := range r.shards {
		if s != nil {
			part.Users = append(part.Users, s.users)
		}
	}
	r.mu.Unlock()
	pc, err := sim.NewPartCheck(part, r.pop.Expect)
	if err != nil {
		return err
	}
	r.check.part, r.check.pc = part, pc
	return nil
}

// takeNotes takes the notes other members sent for this pass, in the
// order each member sent them.
func (r *run) takeNotes() error {
	ck := &r.check
	ck.inboxMu.Lock()
	inbox := ck.inbox
	ck.inbox = nil
	ck.inboxMu.Unlock()
	var n sim.Note
	for _, ns := range inbox {
		for _, w := range ns.Notes {
			decodeNote(w, &n)
			if err := ck.pc.Take(&n); err != nil {
				return fmt.Errorf("a note from %s: %w", ns.From, err)
			}
		}
	}
	return nil
}

// sendNotes sends notes to the members that host the users and threads
// they are for, in order, and waits for every member's acks. A user's
// blocks go once to each member, however many of the user's threads it
// hosts.
func (r *run) sendNotes(ns []sim.Note) (sent, bytes uint64, err error) {
	type blocks struct {
		to   string
		user sim.UserID
	}
	shared := map[blocks]bool{}
	byMember := map[string][]*wire.Note{}
	for i := range ns {
		n := &ns[i]
		u, t, thread := n.For()
		k := r.lay.ofUser(u)
		if thread {
			k = r.lay.ofThread(t)
		}
		if r.local[k] { // sim notes for other parts only; take it all the same
			if err := r.check.pc.Take(n); err != nil {
				return 0, 0, err
			}
			continue
		}
		to := r.place[k].Address
		if n.Kind == sim.NoteBlocks {
			if shared[blocks{to, n.User}] {
				continue
			}
			shared[blocks{to, n.User}] = true
		}
		byMember[to] = append(byMember[to], encodeNote(n))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for to, ws := range byMember {
		wg.Go(func() {
			b, err := r.sendTo(to, ws)
			mu.Lock()
			defer mu.Unlock()
			sent += uint64(len(ws))
			bytes += b
			errs = append(errs, err)
		})
	}
	wg.Wait()
	return sent, bytes, errors.Join(errs...)
}

// sendTo sends notes to member to, a message at a time, each once the
// one before is acked, so they are taken in the order they were made.
func (r *run) sendTo(to string, ws []*wire.Note) (bytes uint64, err error) {
	pid := actor.NewPID(to, nodeActor)
	for len(ws) > 0 {
		n, size := 0, 0
		for n < len(ws) && (n == 0 || size < noteChunk) {
			size += proto.Size(ws[n])
			n++
		}
		msg := &wire.Notes{Run: r.id, From: r.m.addr, Notes: ws[:n]}
		ws = ws[n:]
		bytes += uint64(proto.Size(msg))
		res, err := r.m.sys.Root.RequestFuture(pid, msg, 5*time.Minute).Result()
		if err != nil {
			return bytes, fmt.Errorf("notes to %s: %w", to, err)
		}
		if ack, ok := res.(*wire.Ack); !ok || ack.Error != "" {
			return bytes, fmt.Errorf("notes to %s: %v", to, ack.GetError())
		}
	}
	return bytes, nil
}

// found fills in what the tie found: the checks made, the violations by
// invariant, and the first of them.
func (r *run) found(res *wire.Checked) {
	checked, vs, ranks := r.check.pc.Result()
	res.Checked, res.Violations = uint64(checked), uint64(len(vs))
	res.ByInvariant = make([]uint64, sim.NumInvariants+1)
	for i, v := range vs {
		if int(v.Invariant) < len(res.ByInvariant) {
			res.ByInvariant[v.Invariant]++
		}
		if i < firstViolations {
			res.First = append(res.First, encodeViolation(&v, ranks[i]))
		}
	}
}

func encodeNote(n *sim.Note) *wire.Note {
	w := &wire.Note{Kind: uint32(n.Kind), Thread: uint64(n.Thread), User: uint32(n.User), Other: uint32(n.Other),
		Sum: n.Sum, N: n.N, Seq: uint32(n.Seq), On: n.On}
	if n.Kind == sim.NoteFacts {
		f := &n.Facts
		w.Sum, w.Steps, w.Received, w.Hidden, w.Deletes = f.Sum, f.Steps, f.Received, f.Hidden, f.Deletes
	}
	if len(n.Users) > 0 {
		w.Users = make([]uint32, len(n.Users))
		for i, u := range n.Users {
			w.Users[i] = uint32(u)
		}
	}
	return w
}

// decodeNote writes w into n, which it overwrites.
func decodeNote(w *wire.Note, n *sim.Note) {
	*n = sim.Note{Kind: sim.NoteKind(w.Kind), Thread: sim.ThreadID(w.Thread), User: sim.UserID(w.User), Other: sim.UserID(w.Other),
		Sum: w.Sum, N: w.N, Seq: sim.Seq(w.Seq), On: w.On}
	if n.Kind == sim.NoteFacts {
		n.Sum = 0
		n.Facts = sim.UserFacts{Sum: w.Sum, Steps: w.Steps, Received: w.Received, Hidden: w.Hidden, Deletes: w.Deletes}
	}
	if len(w.Users) > 0 {
		n.Users = make([]sim.UserID, len(w.Users))
		for i, u := range w.Users {
			n.Users[i] = sim.UserID(u)
		}
	}
}

func encodeViolation(v *sim.Violation, rank sim.Rank) *wire.Violation {
	return &wire.Violation{Invariant: uint32(v.Invariant), Thread: uint64(v.Thread), User: uint32(v.User),
		Other: uint32(v.Other), Seq: uint32(v.Seq), Expected: v.Expected, Seen: v.Seen,
		Pass: uint32(rank.Pass), Id: rank.ID, Sub: rank.Sub}
}

func decodeViolation(w *wire.Violation) (sim.Violation, sim.Rank) {
	return sim.Violation{Invariant: sim.Invariant(w.Invariant), Thread: sim.ThreadID(w.Thread), User: sim.UserID(w.User),
			Other: sim.UserID(w.Other), Seq: sim.Seq(w.Seq), Expected: w.Expected, Seen: w.Seen},
		sim.Rank{Pass: uint8(w.Pass), ID: w.Id, Sub: w.Sub}
}

// CheckResult is what the members found when they checked a run's state
// at quiescence, added up.
type CheckResult struct {
	Checked    int
	Violations int
	// ByInvariant counts the violations by invariant number.
	ByInvariant [sim.NumInvariants + 1]int
	// First are the first violations, in the order sim.State.Check
	// reports them of the same state held in one process.
	First []sim.Violation
	// Measures are the policy measures' counts by cohort, added over the
	// members, for sim.Measured.
	Measures []sim.MeasureCount
	// Members is what the check cost each member, in the members' order.
	Members []CheckCost
	Wall    time.Duration
}

// CheckCost is what the check cost one member.
type CheckCost struct {
	Address    string
	NotesSent  int   // notes sent to other members
	NoteBytes  int64 // and their bytes
	CPUSeconds float64
}

// Check has the members check the run's state at quiescence, each the
// users and threads it hosts, exchanging notes among themselves (see
// sim.PartCheck), and adds up what they found and the policy measures'
// counts for a run that ended at simulated time end. No user's or
// thread's state comes here: only counts, and each member's first
// violations.
func (c *Coordinator) Check(ctx context.Context, end sim.Time) (*CheckResult, error) {
	start := time.Now()
	res := &CheckResult{Members: make([]CheckCost, len(c.members))}
	for i, a := range c.members {
		res.Members[i].Address = a
	}
	type found struct {
		v    sim.Violation
		rank sim.Rank
	}
	var first []found
	var conns uint64
	for pass := uint32(passBlocks); pass <= passTie; pass++ {
		if pass == passOneSided && conns == 0 {
			continue
		}
		replies, err := c.askAllCtx(ctx, func(string) any { return &wire.Check{Run: c.id, Pass: pass, End: int64(end)} }, 30*time.Minute)
		if err == nil {
			err = c.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("cluster: check: %w", err)
		}
		for i, x := range replies {
			ck, ok := x.(*wire.Checked)
			switch {
			case !ok:
				return nil, fmt.Errorf("cluster: check: member %s answered %T", c.members[i], x)
			case ck.Error != "":
				return nil, fmt.Errorf("cluster: check: %s", ck.Error)
			}
			cost := &res.Members[i]
			cost.NotesSent += int(ck.NotesSent)
			cost.NoteBytes += int64(ck.NoteBytes)
			cost.CPUSeconds += ck.CpuSeconds
			conns += ck.ConnSum
			if len(ck.Measures) > 0 {
				var counts []sim.MeasureCount
				if err := json.Unmarshal(ck.Measures, &counts); err != nil {
					return nil, fmt.Errorf("cluster: check: the measures of member %s: %w", c.members[i], err)
				}
				if res.Measures == nil {
					res.Measures = make([]sim.MeasureCount, len(counts))
				}
				for j := range min(len(counts), len(res.Measures)) {
					res.Measures[j].Add(&counts[j])
				}
			}
			res.Checked += int(ck.Checked)
			res.Violations += int(ck.Violations)
			for inv, n := range ck.ByInvariant {
				if inv < len(res.ByInvariant) {
					res.ByInvariant[inv] += int(n)
				}
			}
			for _, w := range ck.First {
				v, rank := decodeViolation(w)
				first = append(first, found{v, rank})
			}
		}
	}
	// Each member's first violations are in the order of their ranks, and
	// no two members find violations of one rank (but for one that names
	// no thread): merged by rank, the first are the whole state's first.
	slices.SortStableFunc(first, func(a, b found) int { return a.rank.Compare(b.rank) })
	for _, f := range first[:min(len(first), firstViolations)] {
		res.First = append(res.First, f.v)
	}
	res.Wall = time.Since(start)
	return res, nil
}
