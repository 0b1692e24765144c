package workload

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// collect runs a stream to its end and returns its operations.
func collect(t *testing.T, s *Stream) []sim.Op {
	t.Helper()
	var ops []sim.Op
	var op sim.Op
	for s.Next(&op) {
		op.Members = slices.Clone(op.Members)
		ops = append(ops, op)
	}
	if s.Next(&op) {
		t.Fatal("Next returned an operation after the end")
	}
	return ops
}

func onlyMix(weights map[sim.Action]float64) [sim.NumActions]float64 {
	var m [sim.NumActions]float64
	for a, w := range weights {
		m[a] = w
	}
	return m
}

// day is a full-featured workload over one simulated day.
func day() Workload {
	return Workload{
		Duration:             24 * time.Hour,
		ActionsPerUserPerDay: 20,
		Mix:                  DefaultMix(),
		Phases:               []Phase{{Duration: time.Hour, Rate: 0.2}, {Duration: 22 * time.Hour, Rate: 1}, {Duration: time.Hour, Rate: 5}},
		Regret:               &Regret{Share: 0.03, Median: 2 * time.Minute, P99: 2 * time.Hour, Everyone: true},
		BlockStorm:           &BlockStorm{At: 12 * time.Hour, Users: 300},
		SpamWave:             &SpamWave{At: 6 * time.Hour, Spammers: 20, MessagesEach: 50},
		ReportWave:           &ReportWave{At: 7 * time.Hour, Share: 0.4, Block: true},
	}
}

func hashOps(ops []sim.Op) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(b[:], x)
		h.Write(b[:])
	}
	for _, op := range ops {
		put(uint64(op.Action))
		put(uint64(op.At))
		put(uint64(op.User))
		put(uint64(op.Target))
		put(uint64(op.Thread))
		put(uint64(op.Msg))
		h.Write([]byte(op.Text))
		for _, m := range op.Members {
			put(uint64(m))
		}
		if op.Everyone {
			put(1)
		}
		// Op had one flag for both before On and AndBlock, and the
		// recorded hashes hold it.
		if op.On || op.AndBlock {
			put(2)
		}
	}
	return h.Sum64()
}

func TestStreamOrderAndShape(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 200, MinSize: 3, MaxSize: 10}, 1)
	w := day()
	w.Mix = [sim.NumActions]float64{}
	for a := range w.Mix {
		w.Mix[a] = 1
	}
	w.Mix[sim.Send] = 20
	s := NewStream(g, specs, w, 3)
	ops := collect(t, s)
	if len(ops) < 90000 {
		t.Fatalf("%d operations, want about 100000", len(ops))
	}
	keys := map[sim.MsgKey]bool{}
	groupOf := newMembership(g.Users(), specs)
	var prev sim.Time
	for i, op := range ops {
		if op.At < prev || op.At >= sim.Time(w.Duration) {
			t.Fatalf("op %d at %v after %v (end %v)", i, op.At, prev, w.Duration)
		}
		prev = op.At
		if int(op.User) >= g.Users() || int(op.Target) >= g.Users() {
			t.Fatalf("op %d names an unknown user: %+v", i, op)
		}
		switch op.Action {
		case sim.Send:
			if keys[op.Msg] || op.Msg == 0 {
				t.Fatalf("op %d: message key %d reused", i, op.Msg)
			}
			keys[op.Msg] = true
			if op.Thread.IsGroup() {
				if !slices.Contains(groupOf.of(op.User), op.Thread.GroupNumber()) {
					t.Fatalf("op %d: user %d sends to group %d without being a member", i, op.User, op.Thread.GroupNumber())
				}
			} else if op.Thread != sim.Direct(op.User, op.Target) || op.Target == op.User {
				t.Fatalf("op %d: direct send with thread %v: %+v", i, op.Thread, op)
			}
			if op.Text == "" {
				t.Fatalf("op %d: send without text", i)
			}
		case sim.Read, sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.DeleteThread:
			if op.Thread.IsGroup() {
				if !slices.Contains(groupOf.of(op.User), op.Thread.GroupNumber()) {
					t.Fatalf("op %d: %s of a group user %d is not in", i, op.Action, op.User)
				}
			} else if op.Thread != sim.Direct(op.User, op.Target) || !g.Connected(op.User, op.Target) {
				t.Fatalf("op %d: %s of thread %v, not one with a connection", i, op.Action, op.Thread)
			}
		case sim.Connect:
			if op.Target == op.User || g.Connected(op.User, op.Target) {
				t.Fatalf("op %d: connect to %d, already a connection of %d", i, op.Target, op.User)
			}
		case sim.Disconnect, sim.Report:
			// Reports with a message answer the spam wave (checked below).
			if op.Msg == 0 && (!g.Connected(op.User, op.Target) || op.AndBlock) {
				t.Fatalf("op %d: %+v", i, op)
			}
		case sim.CreateGroup:
			if !op.Thread.IsGroup() || op.Thread.GroupNumber() < uint32(len(specs)) || len(op.Members) < 2 {
				t.Fatalf("op %d: create_group %+v", i, op)
			}
			for j, m := range op.Members {
				if !g.Connected(op.User, m) || slices.Contains(op.Members[:j], m) {
					t.Fatalf("op %d: create_group members %v of %d", i, op.Members, op.User)
				}
			}
		case sim.AddMember, sim.LeaveGroup:
			spec := specs[op.Thread.GroupNumber()]
			if op.User != spec.Owner && !slices.Contains(spec.Members, op.User) {
				t.Fatalf("op %d: %s by %d, not in group %d", i, op.Action, op.User, op.Thread.GroupNumber())
			}
			if op.Action == sim.AddMember && !g.Connected(op.User, op.Target) {
				t.Fatalf("op %d: add_member of a non-connection", i)
			}
		case sim.Post:
			if op.Text == "" {
				t.Fatalf("op %d: post without text", i)
			}
		}
	}
	if e := s.Expected(); math.Abs(float64(e-len(ops))) > 0.03*float64(len(ops)) {
		t.Errorf("Expected() = %d, %d operations came", e, len(ops))
	}
	if s.now != prev {
		t.Errorf("the stream's clock is at %v, last op at %v", s.now, prev)
	}
}

func TestStreamDeterministic(t *testing.T) {
	g := build(t, WattsStrogatz, 3000, 10, 0.1, 1)
	specs := g.Groups(Groups{Count: 50, MinSize: 3, MaxSize: 8}, 1)
	a := hashOps(collect(t, NewStream(g, specs, day(), 11)))
	b := hashOps(collect(t, NewStream(g, specs, day(), 11)))
	c := hashOps(collect(t, NewStream(g, specs, day(), 12)))
	if a != b {
		t.Error("the same seed gave different streams")
	}
	if a == c {
		t.Error("different seeds gave the same stream")
	}
}

func TestStreamMix(t *testing.T) {
	g := build(t, ErdosRenyi, 2000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 50, MinSize: 3, MaxSize: 8}, 1)
	w := Workload{Duration: 100 * 24 * time.Hour, ActionsPerUserPerDay: 1, Mix: DefaultMix()}
	w.Mix[sim.Connect], w.Mix[sim.Edit], w.Mix[sim.Notifications] = 1, 2, 0.5
	ops := collect(t, NewStream(g, specs, w, 5))
	if n := len(ops); n < 190000 || n > 210000 {
		t.Fatalf("%d operations, want about 200000", n)
	}
	var counts [sim.NumActions]float64
	for _, op := range ops {
		counts[op.Action]++
	}
	total := 0.0
	for _, x := range w.Mix {
		total += x
	}
	n := float64(len(ops))
	for a, x := range w.Mix {
		p := x / total
		sd := math.Sqrt(p * (1 - p) * n)
		if math.Abs(counts[a]-p*n) > 5*sd+1 {
			t.Errorf("%s: %.0f operations, want %.0f ± %.0f", sim.Action(a), counts[a], p*n, 5*sd)
		}
	}
}

func TestStreamPhaseRates(t *testing.T) {
	g := build(t, ErdosRenyi, 1000, 10, 0, 1)
	w := Workload{Duration: 4 * time.Hour, ActionsPerUserPerDay: 240, Mix: onlyMix(map[sim.Action]float64{sim.Read: 1}),
		Phases: []Phase{{Duration: time.Hour, Rate: 0.5}, {Duration: 0}, {Duration: time.Hour, Rate: 3}, {Duration: time.Hour, Rate: 0}}}
	// Base rate: 1000 users * 10 an hour; the fourth hour is past the
	// phases, at rate 1.
	want := []float64{5000, 30000, 0, 10000}
	var got [4]float64
	for _, op := range collect(t, NewStream(g, nil, w, 1)) {
		got[int(time.Duration(op.At)/time.Hour)]++
	}
	for h := range want {
		if math.Abs(got[h]-want[h]) > 5*math.Sqrt(want[h])+1 {
			t.Errorf("hour %d: %.0f operations, want %.0f", h, got[h], want[h])
		}
	}
}

func TestStreamRegret(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 10, 0, 1)
	specs := g.Groups(Groups{Count: 100, MinSize: 3, MaxSize: 6}, 1)
	w := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 10, Mix: onlyMix(map[sim.Action]float64{sim.Send: 9, sim.Read: 1}),
		Regret: &Regret{Share: 0.2, Median: 2 * time.Minute, P99: 2 * time.Hour, Everyone: true}}
	sends := map[sim.MsgKey]sim.Op{}
	var delays []float64
	for _, op := range collect(t, NewStream(g, specs, w, 2)) {
		switch op.Action {
		case sim.Send:
			sends[op.Msg] = op
		case sim.Delete:
			s, ok := sends[op.Msg]
			if !ok || !op.Everyone {
				t.Fatalf("delete of unknown message %d (everyone %v)", op.Msg, op.Everyone)
			}
			if s.User != op.User || s.Thread != op.Thread {
				t.Fatalf("delete by %d in %v of message sent by %d in %v", op.User, op.Thread, s.User, s.Thread)
			}
			delays = append(delays, float64(op.At-s.At))
		}
	}
	// Deletes due after the end are dropped, which trims the upper tail a
	// little: about 0.2 of 27000 sends minus a few.
	if n := len(delays); n < 5000 || n > 5800 {
		t.Fatalf("%d regret deletes, want about %d", n, int(0.2*float64(len(sends))))
	}
	slices.Sort(delays)
	median := time.Duration(delays[len(delays)/2])
	if math.Abs(float64(median-2*time.Minute)) > 0.1*float64(2*time.Minute) {
		t.Errorf("median delay %v, want 2m within 10%%", median)
	}
	p99 := time.Duration(delays[len(delays)*99/100])
	if p99 < 80*time.Minute || p99 > 3*time.Hour {
		t.Errorf("99th percentile delay %v, want about 2h", p99)
	}
}

func TestStreamDeleteEditOwnSends(t *testing.T) {
	g := build(t, ErdosRenyi, 2000, 10, 0, 1)
	w := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 30, Mix: onlyMix(map[sim.Action]float64{sim.Send: 5, sim.Delete: 2, sim.Edit: 2})}
	sends := map[sim.MsgKey]sim.Op{}
	deleted := map[sim.MsgKey]int{}
	edits, deletes := 0, 0
	for _, op := range collect(t, NewStream(g, nil, w, 4)) {
		switch op.Action {
		case sim.Send:
			sends[op.Msg] = op
		case sim.Delete, sim.Edit:
			s, ok := sends[op.Msg]
			if !ok || s.User != op.User || s.Thread != op.Thread || s.Target != op.Target {
				t.Fatalf("%s %+v of message %+v", op.Action, op, s)
			}
			if op.Action == sim.Edit {
				edits++
				if op.Text == "" {
					t.Fatal("edit without text")
				}
			} else {
				deletes++
				deleted[op.Msg]++
				if op.Everyone {
					t.Fatal("a mix delete is for everyone")
				}
			}
		}
	}
	if edits < 100 || deletes < 100 {
		t.Fatalf("%d edits, %d deletes", edits, deletes)
	}
	repeats := 0
	for _, n := range deleted {
		repeats += n - 1
	}
	if repeats > deletes/10 {
		t.Errorf("%d of %d deletes repeat an earlier one", repeats, deletes)
	}
}

func TestStreamBlocks(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 10, 0, 1)
	w := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 10, Mix: onlyMix(map[sim.Action]float64{sim.Read: 10, sim.Block: 1, sim.Unblock: 1}),
		BlockStorm: &BlockStorm{At: 12 * time.Hour, Users: 500}}
	blocked := map[[2]sim.UserID]bool{}
	storm, fromBlocks := 0, 0
	for _, op := range collect(t, NewStream(g, nil, w, 6)) {
		switch op.Action {
		case sim.Block:
			if !g.Connected(op.User, op.Target) {
				t.Fatalf("block of a non-connection: %+v", op)
			}
			blocked[[2]sim.UserID{op.User, op.Target}] = true
			if op.At == sim.Time(12*time.Hour) {
				storm++
			}
		case sim.Unblock:
			if blocked[[2]sim.UserID{op.User, op.Target}] {
				fromBlocks++
			} else if !g.Connected(op.User, op.Target) {
				t.Fatalf("unblock of neither a blocked user nor a connection: %+v", op)
			}
		}
	}
	if storm != 500 {
		t.Errorf("block storm made %d blocks, want 500", storm)
	}
	if fromBlocks < 1000 {
		t.Errorf("only %d unblocks lift an earlier block", fromBlocks)
	}
}

func TestStreamSpamAndReports(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 10, 0, 1)
	w := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 5, Mix: onlyMix(map[sim.Action]float64{sim.Send: 1}),
		SpamWave:   &SpamWave{At: 6 * time.Hour, Spammers: 30, MessagesEach: 40},
		ReportWave: &ReportWave{At: 8 * time.Hour, Share: 0.5, Block: true}}
	spam := map[string]bool{}
	for _, s := range spamTexts {
		spam[s] = true
	}
	hits := map[[2]sim.UserID]sim.MsgKey{}
	spammers := map[sim.UserID]bool{}
	reports := 0
	for _, op := range collect(t, NewStream(g, nil, w, 8)) {
		switch {
		case op.Action == sim.Send && spam[op.Text]:
			if op.At < sim.Time(6*time.Hour) || op.At >= sim.Time(6*time.Hour+time.Minute) {
				t.Fatalf("spam at %v", op.At)
			}
			if op.Target == op.User || g.Connected(op.User, op.Target) {
				t.Fatalf("spam to a connection: %+v", op)
			}
			spammers[op.User] = true
			if _, ok := hits[[2]sim.UserID{op.Target, op.User}]; !ok {
				hits[[2]sim.UserID{op.Target, op.User}] = op.Msg
			}
		case op.Action == sim.Report:
			key, ok := hits[[2]sim.UserID{op.User, op.Target}]
			if !ok || op.Msg != key || op.At != sim.Time(8*time.Hour) || !op.AndBlock ||
				op.Thread != sim.Direct(op.User, op.Target) {
				t.Fatalf("report %+v does not answer spam", op)
			}
			reports++
		}
	}
	if len(spammers) != 30 {
		t.Errorf("%d spammers, want 30", len(spammers))
	}
	if len(hits) < 1150 {
		t.Errorf("%d spam recipients and spammers, want nearly 1200", len(hits))
	}
	want := 0.5 * float64(len(hits))
	if math.Abs(float64(reports)-want) > 5*math.Sqrt(want*0.5) {
		t.Errorf("%d reports, want about %.0f", reports, want)
	}
}

func TestStreamNotificationsToggle(t *testing.T) {
	g := build(t, ErdosRenyi, 200, 5, 0, 1)
	w := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 20, Mix: onlyMix(map[sim.Action]float64{sim.Notifications: 1})}
	on := map[sim.UserID]bool{}
	for _, op := range collect(t, NewStream(g, nil, w, 1)) {
		was, seen := on[op.User]
		if !seen {
			was = true
		}
		if op.On == was {
			t.Fatalf("user %d sets notifications to %v twice in a row", op.User, op.On)
		}
		on[op.User] = op.On
	}
}

func TestStreamEdges(t *testing.T) {
	g := build(t, ErdosRenyi, 100, 0, 0, 1)
	var op sim.Op
	for name, w := range map[string]Workload{
		"zero duration": {ActionsPerUserPerDay: 10, Mix: DefaultMix()},
		"empty mix":     {Duration: time.Hour, ActionsPerUserPerDay: 10},
		"zero rate":     {Duration: time.Hour, Mix: DefaultMix()},
		"late behaviours": {Duration: time.Hour, Mix: DefaultMix(),
			BlockStorm: &BlockStorm{At: 2 * time.Hour, Users: 5}, SpamWave: &SpamWave{At: 3 * time.Hour, Spammers: 1, MessagesEach: 1}},
	} {
		// Asked twice: an empty stream stays empty.
		s := NewStream(g, nil, w, 1)
		first := s.Next(&op)
		second := s.Next(&op)
		if first || second || s.Expected() != 0 {
			t.Errorf("%s: the stream is not empty (expected %d)", name, s.Expected())
		}
	}
	// A graph without edges: everyone acts on other users.
	w := day()
	for a := range w.Mix {
		w.Mix[a] = 1
	}
	for _, op := range collect(t, NewStream(g, nil, w, 1)) {
		if op.Target == op.User && op.Action != sim.Post && op.Action != sim.Notifications &&
			op.Action != sim.Delete && op.Action != sim.Edit && !op.Thread.IsGroup() {
			t.Fatalf("%+v acts on its own user", op)
		}
	}
}

func TestStreamNoAllocations(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 100, MinSize: 3, MaxSize: 10}, 1)
	w := day()
	w.Duration = 1000 * time.Hour
	w.Mix[sim.CreateGroup] = 1
	s := NewStream(g, specs, w, 1)
	var op sim.Op
	for range 200000 {
		s.Next(&op)
	}
	if allocs := testing.AllocsPerRun(20000, func() { s.Next(&op) }); allocs != 0 {
		t.Errorf("%v allocations per operation", allocs)
	}
}

func TestWorkloadValidate(t *testing.T) {
	if err := day().Validate(); err != nil {
		t.Fatalf("valid workload: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(w *Workload)
		want   string
	}{
		{"duration", func(w *Workload) { w.Duration = 0 }, "duration"},
		{"rate", func(w *Workload) { w.ActionsPerUserPerDay = math.Inf(1) }, "actions per user"},
		{"mix", func(w *Workload) { w.Mix[sim.Read] = -1 }, "mix weight of read"},
		{"empty mix", func(w *Workload) { w.Mix = [sim.NumActions]float64{} }, "positive weight"},
		{"phase", func(w *Workload) { w.Phases[1].Rate = -1 }, "phase 2: rate"},
		{"regret", func(w *Workload) { w.Regret.P99 = time.Second }, "regret delay"},
		{"regret share", func(w *Workload) { w.Regret.Share = 2 }, "regret share"},
		{"storm", func(w *Workload) { w.BlockStorm.Users = -1 }, "block storm"},
		{"spam", func(w *Workload) { w.SpamWave.Spammers = -1 }, "spam wave"},
		{"report", func(w *Workload) { w.ReportWave.Share = -0.1 }, "report wave share"},
	} {
		w := day()
		w.Phases = slices.Clone(w.Phases)
		tc.change(&w)
		if err := w.Validate(); !errors.Is(err, ErrWorkload) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrWorkload about %q", tc.name, err, tc.want)
		}
	}
}

func TestActionTable(t *testing.T) {
	mix := onlyMix(map[sim.Action]float64{sim.Send: 3, sim.Read: 1, sim.Post: math.NaN(), sim.Block: -2})
	tab := newActionTable(mix)
	src := newSource(1, 1)
	var counts [sim.NumActions]int
	for range 400000 {
		counts[tab.draw(uint32(src.uint64()))]++
	}
	if counts[sim.Send]+counts[sim.Read] != 400000 {
		t.Fatalf("actions without weight drawn: %v", counts)
	}
	if r := float64(counts[sim.Send]) / 400000; math.Abs(r-0.75) > 0.005 {
		t.Errorf("send share %.4f, want 0.75", r)
	}
	if empty := newActionTable([sim.NumActions]float64{}); empty.total != 0 {
		t.Error("an empty mix has weight")
	}
}

func TestSchedule(t *testing.T) {
	var s schedule
	src := newSource(1, 2)
	for i := range 1000 {
		s.push(event{at: sim.Time(src.below(50)), n: uint32(i)})
	}
	var prev event
	for i := 0; s.len() > 0; i++ {
		e := s.pop()
		if i > 0 && (e.at < prev.at || (e.at == prev.at && e.n < prev.n)) {
			t.Fatalf("event %+v after %+v", e, prev)
		}
		prev = e
	}
}

func TestTexts(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range slices.Concat(texts[:], spamTexts[:]) {
		if s == "" || seen[s] {
			t.Errorf("text %q empty or repeated", s)
		}
		seen[s] = true
	}
	if len(texts) != 64 {
		t.Errorf("%d texts, want 64", len(texts))
	}
}
