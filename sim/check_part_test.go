package sim

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// split is a state cut into k parts as a cluster cuts a population: the
// users into shards of consecutive ids, shard j held by part j%k, a
// direct thread with its lower user, group g by part g%k.
type split struct {
	k, shards, per int
	parts          []*Part
	checks         []*PartCheck
	notes          map[NoteKind]int // sent, by kind
}

func newSplit(t *testing.T, s *State, x Expectations, k, shards int) *split {
	t.Helper()
	n := len(s.Users)
	sp := &split{k: k, shards: shards, per: max(1, (n+shards-1)/shards), notes: map[NoteKind]int{}}
	for i := range k {
		p := &Part{Policy: s.Policy, Cohorts: s.Cohorts, Population: n, Holds: func(id ThreadID) bool { return sp.partOf(id) == i }}
		for j := i; j < shards; j += k {
			lo, hi := min(j*sp.per, n), min((j+1)*sp.per, n)
			p.Users = append(p.Users, s.Users[lo:hi])
		}
		threads := threadMap{}
		for id, th := range s.Threads {
			if sp.partOf(id) == i {
				threads[id] = th
			}
		}
		p.Threads = threads
		pc, err := NewPartCheck(p, x)
		if err != nil {
			t.Fatal(err)
		}
		sp.parts, sp.checks = append(sp.parts, p), append(sp.checks, pc)
	}
	return sp
}

func (sp *split) partOfUser(u UserID) int { return min(int(u)/sp.per, sp.shards-1) % sp.k }

func (sp *split) partOf(id ThreadID) int {
	if id.IsGroup() {
		return int(id.GroupNumber()) % sp.k
	}
	lo, _ := id.Pair()
	return sp.partOfUser(lo)
}

// deliver hands every part's notes to the parts they are for, once every
// part has ended its pass.
func (sp *split) deliver(t *testing.T) {
	t.Helper()
	var all [][]Note
	for _, pc := range sp.checks {
		all = append(all, pc.Notes())
	}
	for from, ns := range all {
		for i := range ns {
			n := &ns[i]
			u, id, thread := n.For()
			to := sp.partOfUser(u)
			if thread {
				to = sp.partOf(id)
			}
			if to == from {
				t.Fatalf("part %d noted %+v for itself", from, *n)
			}
			if err := sp.checks[to].Take(n); err != nil {
				t.Fatal(err)
			}
			sp.notes[n.Kind]++
		}
	}
}

// check runs the passes part by part as a cluster does and merges what
// the parts found in the order of their ranks.
func (sp *split) check(t *testing.T) (checked int, vs []Violation) {
	t.Helper()
	for _, pc := range sp.checks {
		pc.ShareBlocks()
	}
	sp.deliver(t)
	for _, pc := range sp.checks {
		pc.Threads()
	}
	sp.deliver(t)
	var conns uint64
	for _, pc := range sp.checks {
		pc.Users()
		conns += pc.ConnSum()
	}
	sp.deliver(t)
	if conns != 0 {
		for _, pc := range sp.checks {
			pc.OneSided()
		}
		sp.deliver(t)
	}
	type found struct {
		v    Violation
		rank Rank
		part int
	}
	var fs []found
	for i, pc := range sp.checks {
		pc.Tie()
		n, pvs, ranks := pc.Result()
		checked += n
		for j := range pvs {
			fs = append(fs, found{pvs[j], ranks[j], i})
		}
	}
	slices.SortStableFunc(fs, func(a, b found) int { return a.rank.Compare(b.rank) })
	for _, f := range fs {
		vs = append(vs, f.v)
	}
	return checked, vs
}

// measure counts each part's measures and adds them up.
func (sp *split) measure(t *testing.T, end Time, tallies []Tally, cs *Cohorts) (Measures, []Measures) {
	t.Helper()
	var sum []MeasureCount
	for _, p := range sp.parts {
		counts, err := p.Measure(end)
		if err != nil {
			t.Fatal(err)
		}
		if sum == nil {
			sum = make([]MeasureCount, len(counts))
		}
		for i := range counts {
			sum[i].Add(&counts[i])
		}
	}
	return Measured(sum, tallies, cs)
}

// sameCheck requires the parts of s to find what Check finds of s whole,
// and to measure what Measure measures, and returns the notes they sent
// each other by kind.
func sameCheck(t *testing.T, s *State, x Expectations, k, shards int) map[NoteKind]int {
	t.Helper()
	wantN, want := s.Check(x)
	sp := newSplit(t, s, x, k, shards)
	gotN, got := sp.check(t)
	if gotN != wantN {
		t.Errorf("%d parts made %d checks, the whole state %d", k, gotN, wantN)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d parts found\n  %v\nthe whole state\n  %v", k, got, want)
	}
	tallies := []Tally{{SendsBlocked: 2, ReportsFiled: 1}, {ReportsRefused: 3}}
	wantAll, wantBy := s.Measure(Time(3e12), tallies)
	gotAll, gotBy := sp.measure(t, Time(3e12), tallies, s.Cohorts)
	if !reflect.DeepEqual(gotAll, wantAll) || !reflect.DeepEqual(gotBy, wantBy) {
		t.Errorf("%d parts measured\n  %+v %+v\nthe whole state\n  %+v %+v", k, gotAll, gotBy, wantAll, wantBy)
	}
	return sp.notes
}

// TestPartsCheckAsOne: the checker's passes run part by part, with notes
// between the parts, find exactly what Check finds of the state held
// whole, in the same order, with the same number of checks, on random
// streams under every preset and with cohorts, and measure the same.
func TestPartsCheckAsOne(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 60
	}
	names := PresetNames()
	notes := map[NoteKind]int{}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 8 + rng.IntN(10)
		conns := randomConns(rng, n, 0.4)
		p := preset(t, names[seed%len(names)])
		x := designed(t, p.Name)
		w := NewWorld(p, n, func(u UserID) []UserID { return conns[u] })
		if seed%3 == 0 {
			a, b := names[rng.IntN(len(names))], names[rng.IntN(len(names))]
			cs, err := NewCohorts([]Cohort{{Name: "a", Share: 0.5, Policy: preset(t, a)}, {Name: "b", Share: 0.5, Policy: preset(t, b)}}, n, uint64(seed))
			if err != nil {
				t.Fatal(err)
			}
			w.SetCohorts(cs)
			x = cohortsExpected([]Expect{design[a], design[b]})
		}
		for _, op := range partOps(rng, n, 4, 150) {
			w.Apply(op)
		}
		if _, vs := w.Check(x); len(vs) > 0 {
			t.Fatalf("seed %d: a clean world has violations: %v", seed, vs)
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			for k, c := range sameCheck(t, &w.State, x, 1+seed%4, 2+seed%5) {
				notes[k] += c
			}
		})
	}
	for k := NoteBlocks; k <= NoteAdd; k++ { // NoteOneSided needs a corruption
		if notes[k] == 0 {
			t.Errorf("the parts never sent each other a %s note", k)
		}
	}
}

// partOps is randomOps with posts, reports, leaves, disconnects and
// inbox actions among them.
func partOps(rng *rand.Rand, n, groups, count int) []Op {
	ops := randomOps(rng, n, groups, count)
	for i := range ops {
		u, v := UserID(rng.IntN(n)), UserID(rng.IntN(n))
		switch rng.IntN(12) {
		case 0:
			ops[i] = Op{Action: Post, User: u, Text: "p", At: ops[i].At}
		case 1:
			if ops[i].Action == Delete || ops[i].Action == Edit {
				ops[i].Action, ops[i].AndBlock = Report, rng.IntN(2) == 0
			}
		case 2:
			ops[i] = Op{Action: LeaveGroup, User: u, Thread: Group(uint32(rng.IntN(groups))), At: ops[i].At}
		case 3:
			ops[i] = Op{Action: Disconnect, User: u, Target: v, At: ops[i].At}
		case 4:
			acts := []Action{Mute, Archive, Read, DeleteThread}
			ops[i] = Op{Action: acts[rng.IntN(len(acts))], User: u, Thread: Direct(u, v), At: ops[i].At}
		}
	}
	return ops
}

// TestPartsCatchCorruption: every corruption Check reports of the story
// held whole, its three users in three parts report the same, and so do
// two parts holding two shards and one.
func TestPartsCatchCorruption(t *testing.T) {
	for _, tc := range corruptions(t) {
		t.Run(tc.inv.String()+" "+tc.name, func(t *testing.T) {
			w := story(t, tc.policy, Uniform(ExpectOf(&tc.policy)))
			tc.corrupt(t, w)
			sameCheck(t, &w.State, tc.x, 3, 3)
			sameCheck(t, &w.State, tc.x, 2, 3)
		})
	}
}

// randomConns returns n users' symmetric connections, each pair with
// probability p.
func randomConns(rng *rand.Rand, n int, p float64) [][]UserID {
	conns := make([][]UserID, n)
	for a := range n {
		for b := a + 1; b < n; b++ {
			if rng.Float64() < p {
				conns[a] = append(conns[a], UserID(b))
				conns[b] = append(conns[b], UserID(a))
			}
		}
	}
	for _, c := range conns {
		slices.Sort(c)
	}
	return conns
}
