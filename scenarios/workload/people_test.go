package workload

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// realistic returns a workload of the realistic model with its default
// habits, without behaviours, of the given mix.
func realistic(d time.Duration, perDay float64, mix [sim.NumActions]float64) Workload {
	return Workload{Duration: d, ActionsPerUserPerDay: perDay, Mix: mix, Model: Realistic, Habits: DefaultHabits()}
}

// observed is an operation of a realistic stream with why it came.
type observed struct {
	op  sim.Op
	why cause
}

// observeAll runs s to its end and returns its operations with their causes.
func observeAll(t *testing.T, s *Stream) []observed {
	t.Helper()
	var out []observed
	s.people.observe = func(op *sim.Op, why cause) {
		o := observed{op: *op, why: why}
		o.op.Members = slices.Clone(op.Members)
		out = append(out, o)
	}
	var op sim.Op
	n := 0
	for s.Next(&op) {
		n++
	}
	if n != len(out) {
		t.Fatalf("%d operations, %d observed", n, len(out))
	}
	return out
}

// quantile returns the q-quantile of sorted xs.
func quantile(xs []float64, q float64) float64 {
	return xs[min(int(q*float64(len(xs))), len(xs)-1)]
}

// applyAll applies a stream to the reference model of a population of g
// and specs under policy p and returns the outcomes by action.
func applyAll(t *testing.T, g *Network, specs []GroupSpec, p sim.Policy, s *Stream) (counts [sim.NumActions][sim.NumOutcomes]int, world *sim.World) {
	t.Helper()
	world = sim.NewWorld(p, g.Users(), g.Neighbours)
	for i, sp := range specs {
		if o := world.Apply(sim.Op{Action: sim.CreateGroup, User: sp.Owner, Thread: sim.Group(uint32(i)), Members: sp.Members}); o != sim.OK {
			t.Fatalf("creating group %d: %s", i, o)
		}
	}
	var op sim.Op
	for s.Next(&op) {
		counts[op.Action][world.Apply(op)]++
	}
	return counts, world
}

// TestPeopleDeterministic: the same graph, workload and seed give the same
// stream; another seed another.
func TestPeopleDeterministic(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 100, MinSize: 3, MaxSize: 12}, 1)
	w := day()
	w.Model, w.Habits = Realistic, DefaultHabits()
	for a := range w.Mix {
		w.Mix[a] = 1
	}
	w.Mix[sim.Send] = 30
	a := collect(t, NewStream(g, specs, w, 11))
	b := collect(t, NewStream(g, specs, w, 11))
	c := collect(t, NewStream(g, specs, w, 12))
	if len(a) < 50000 {
		t.Fatalf("%d operations, want about 60000", len(a))
	}
	if hashOps(a) != hashOps(b) || len(a) != len(b) {
		t.Error("the same seed gave different streams")
	}
	if hashOps(a) == hashOps(c) {
		t.Error("different seeds gave the same stream")
	}
	var prev sim.Time
	for i, op := range a {
		if op.At < prev || op.At >= sim.Time(w.Duration) {
			t.Fatalf("op %d at %v after %v", i, op.At, prev)
		}
		prev = op.At
		if int(op.User) >= g.Users() || int(op.Target) >= g.Users() {
			t.Fatalf("op %d names an unknown user: %+v", i, op)
		}
	}
}

// TestPeopleReplyDelays: direct messages get replies with the configured
// probability, after lognormal delays of the configured median and 90th
// percentile. Only deliveries in the first half of the run count, so that
// replies cut off by its end do not bias the figures.
func TestPeopleReplyDelays(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 20, 0, 1)
	w := realistic(4*24*time.Hour, 10, onlyMix(map[sim.Action]float64{sim.Send: 1}))
	w.Habits.Replies = Replies{Direct: 0.4, Delay: Delay{Median: 10 * time.Minute, P90: 2 * time.Hour}}
	w.Habits.Stale = 0
	half := sim.Time(w.Duration / 2)
	var delays []float64
	sends, replies := 0, 0
	for _, o := range observeAll(t, NewStream(g, nil, w, 3)) {
		if o.op.Action != sim.Send || o.op.Thread.IsGroup() {
			continue
		}
		if o.op.At < half {
			sends++
		}
		if o.why.kind == answered && o.why.since < half {
			replies++
			delays = append(delays, float64(o.op.At-o.why.since))
		}
	}
	// Each message gets a reply with probability 0.4, replies included.
	if share := float64(replies) / float64(sends); math.Abs(share-0.4) > 0.02 {
		t.Errorf("%d replies to %d direct messages: %.3f, want 0.4 within 0.02", replies, sends, share)
	}
	slices.Sort(delays)
	median, p90 := time.Duration(quantile(delays, 0.5)), time.Duration(quantile(delays, 0.9))
	if math.Abs(float64(median-10*time.Minute)) > 0.05*float64(10*time.Minute) {
		t.Errorf("median reply delay %v, want 10m within 5%%", median)
	}
	if math.Abs(float64(p90-2*time.Hour)) > 0.08*float64(2*time.Hour) {
		t.Errorf("90th percentile reply delay %v, want 2h within 8%%", p90)
	}
	if first := time.Duration(delays[0]); first < 5*time.Second {
		t.Errorf("a reply %v after its message, under the 5s floor", first)
	}
}

// TestPeopleGroupReplies: a share of group messages gets a reply from
// another member of the group.
func TestPeopleGroupReplies(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 30, 0, 1)
	specs := g.Groups(Groups{Count: 600, MinSize: 3, MaxSize: 8}, 1)
	w := realistic(4*24*time.Hour, 10, onlyMix(map[sim.Action]float64{sim.Send: 1}))
	w.Habits.Replies.Group = 0.3
	w.Habits.Stale = 0
	half := sim.Time(w.Duration / 2)
	members := newMembership(g.Users(), specs)
	sends, replies := 0, 0
	for _, o := range observeAll(t, NewStream(g, specs, w, 4)) {
		if o.op.Action != sim.Send || !o.op.Thread.IsGroup() {
			continue
		}
		if !slices.Contains(members.of(o.op.User), o.op.Thread.GroupNumber()) {
			t.Fatalf("%d sends to group %d, not one of theirs", o.op.User, o.op.Thread.GroupNumber())
		}
		if o.op.At < half {
			sends++
		}
		if o.why.kind == answered && o.why.since < half {
			replies++
		}
	}
	if share := float64(replies) / float64(sends); sends < 2000 || math.Abs(share-0.3) > 0.03 {
		t.Errorf("%d replies to %d group messages: %.3f, want 0.3 within 0.03", replies, sends, share)
	}
}

// TestPeopleTies: conversations start with the strong ties at the
// configured weights (r+1)^-exponent, and with any connection at the
// share of new contacts; a user's ranking holds for the whole run.
func TestPeopleTies(t *testing.T) {
	g := build(t, ErdosRenyi, 4000, 30, 0, 1)
	w := realistic(3*24*time.Hour, 20, onlyMix(map[sim.Action]float64{sim.Send: 1}))
	w.Habits.Ties = Ties{Strong: 4, Exponent: 1.5, NewContacts: 0.2}
	w.Habits.Replies.Direct = 0
	w.Habits.Stale = 0
	s := NewStream(g, nil, w, 5)
	ties := s.people.ties
	const k = 4
	weights := [k]float64{}
	total := 0.0
	for r := range k {
		weights[r] = math.Pow(float64(r+1), -1.5)
		total += weights[r]
	}
	var got, want [k + 1]float64 // by rank, then any other connection
	for _, o := range observeAll(t, s) {
		op := o.op
		nb := g.Neighbours(op.User)
		d := len(nb)
		if o.why.kind != arrived || d < k {
			continue
		}
		rank := k
		for r := range k {
			if nb[ties.position(op.User, uint64(d), uint64(r))] == op.Target {
				rank = r
			}
		}
		got[rank]++
		for r := range k {
			want[r] += 0.8*weights[r]/total + 0.2/float64(d)
		}
		want[k] += 0.2 * float64(d-k) / float64(d)
	}
	for r := range got {
		if sd := math.Sqrt(want[r]); math.Abs(got[r]-want[r]) > 5*sd+0.01*want[r] {
			t.Errorf("rank %d: %.0f conversations started, want %.0f ± %.0f", r, got[r], want[r], 5*sd)
		}
	}
}

// TestPeopleActivity: the most active 1% of users (by the model's
// ranking) start the configured share of the sessions, and activity
// falls as a power of the rank below them.
func TestPeopleActivity(t *testing.T) {
	g := build(t, ErdosRenyi, 20000, 10, 0, 1)
	w := realistic(24*time.Hour, 10, onlyMix(map[sim.Action]float64{sim.Post: 1}))
	w.Habits.Activity.Top1pctShare = 0.2
	w.Habits.Sessions.Actions = 1
	s := NewStream(g, nil, w, 6)
	act := s.people.starts.act
	top := map[sim.UserID]bool{}
	tenth := map[sim.UserID]bool{}
	for k := range uint64(g.Users() / 10) {
		if k < uint64(g.Users()/100) {
			top[sim.UserID(act.rank.at(k))] = true
		}
		tenth[sim.UserID(act.rank.at(k))] = true
	}
	n, inTop, inTenth := 0.0, 0.0, 0.0
	for _, op := range collect(t, s) {
		n++
		if top[op.User] {
			inTop++
		}
		if tenth[op.User] {
			inTenth++
		}
	}
	// Shares of the ranks' power law: 0.01^(1-a) = 0.2, 0.1^(1-a).
	a := 1 - math.Log(0.2)/math.Log(0.01)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"top 1%", inTop / n, 0.2}, {"top 10%", inTenth / n, math.Pow(0.1, 1-a)}} {
		if sd := math.Sqrt(c.want * (1 - c.want) / n); math.Abs(c.got-c.want) > 5*sd {
			t.Errorf("%s of users made %.4f of %.0f actions, want %.4f ± %.4f", c.name, c.got, n, c.want, 5*sd)
		}
	}
}

// TestPeopleDiurnal: sessions start at 1 + A cos(2 pi (h - peak)/24h)
// times the mean rate at local hour h, each user in their time zone; the
// population's rate is the shares' mix of the zones' rhythms, with the
// phases on top.
func TestPeopleDiurnal(t *testing.T) {
	g := build(t, ErdosRenyi, 20000, 10, 0, 1)
	w := realistic(4*24*time.Hour, 12, onlyMix(map[sim.Action]float64{sim.Post: 1}))
	w.Habits.Sessions.Actions = 1
	w.Habits.Diurnal = Diurnal{Amplitude: 0.8, Peak: 13 * time.Hour,
		Zones: []TimeZone{{Offset: 0, Share: 0.75}, {Offset: 8 * time.Hour, Share: 0.25}}}
	// The last day runs at twice the rate.
	w.Phases = []Phase{{Duration: 3 * 24 * time.Hour, Rate: 1}, {Duration: 24 * time.Hour, Rate: 2}}
	var got [4][24]float64
	for _, op := range collect(t, NewStream(g, nil, w, 7)) {
		h := time.Duration(op.At)
		got[h/(24*time.Hour)][(h%(24*time.Hour))/time.Hour]++
	}
	perHour := float64(g.Users()) * 12 / 24
	for d := range got {
		rate := 1.0
		if d == 3 {
			rate = 2
		}
		for h := range got[d] {
			want := 0.0
			for _, z := range w.Habits.Diurnal.Zones {
				// The mean of the rhythm over the hour.
				t0 := float64(time.Duration(h)*time.Hour + z.Offset - w.Habits.Diurnal.Peak)
				t1 := t0 + float64(time.Hour)
				om := 2 * math.Pi / dayNs
				want += z.Share * (1 + 0.8*(math.Sin(om*t1)-math.Sin(om*t0))/(om*float64(time.Hour)))
			}
			want *= perHour * rate
			if sd := math.Sqrt(want); math.Abs(got[d][h]-want) > 5*sd {
				t.Errorf("day %d, %02d:00 UTC: %.0f actions, want %.0f ± %.0f", d, h, got[d][h], want, 5*sd)
			}
		}
	}
}

// TestPeopleBursts: with sessions, a user's actions come in bursts: gaps
// within sessions are short, and the burstiness (sd - mean)/(sd + mean)
// of a user's gaps is well above a Poisson process's 0.
func TestPeopleBursts(t *testing.T) {
	g := build(t, ErdosRenyi, 2000, 10, 0, 1)
	burstiness := func(actions float64) float64 {
		w := realistic(10*24*time.Hour, 10, onlyMix(map[sim.Action]float64{sim.Post: 1}))
		w.Habits.Sessions = Sessions{Actions: actions, Gap: time.Minute}
		// Users alike and no daily rhythm, so that all gaps come from one
		// process: unequal rates would make pooled gaps bursty by
		// themselves.
		w.Habits.Diurnal.Amplitude = 0
		w.Habits.Activity.Top1pctShare = MinTop1pctShare
		last := map[sim.UserID]sim.Time{}
		var gaps []float64
		for _, op := range collect(t, NewStream(g, nil, w, 8)) {
			if prev, ok := last[op.User]; ok {
				gaps = append(gaps, float64(op.At-prev))
			}
			last[op.User] = op.At
		}
		mean, sq := 0.0, 0.0
		for _, x := range gaps {
			mean += x
		}
		mean /= float64(len(gaps))
		for _, x := range gaps {
			sq += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(sq / float64(len(gaps)))
		return (sd - mean) / (sd + mean)
	}
	if b := burstiness(1); math.Abs(b) > 0.03 {
		t.Errorf("burstiness %.3f with sessions of one action, want 0 (Poisson) within 0.03", b)
	}
	// Sessions of 4 actions a minute apart, at 10 actions a day: a
	// quarter of the gaps are minutes, the rest about 9.6 hours.
	if b := burstiness(4); b < 0.15 {
		t.Errorf("burstiness %.3f with sessions of 4 actions, want above 0.15", b)
	}
}

// TestPeopleThreadsTheyHave: applied to the reference model, reads,
// archives, mutes and their undoing and thread deletions find their
// thread, and deletes of received messages their message; not_found
// comes only at the stale share.
func TestPeopleThreadsTheyHave(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 250, MinSize: 3, MaxSize: 12}, 1)
	w := day()
	w.Model, w.Habits = Realistic, DefaultHabits()
	w.Regret.Everyone = false
	for _, a := range []sim.Action{sim.Unarchive, sim.Unmute, sim.DeleteThread, sim.Edit, sim.Connect, sim.Disconnect,
		sim.AddMember, sim.LeaveGroup, sim.CreateGroup, sim.Notifications} {
		w.Mix[a] = 0.5
	}
	for _, stale := range []float64{0, 0.05} {
		w.Habits.Stale = stale
		counts, _ := applyAll(t, g, specs, sim.Linkedin(), NewStream(g, specs, w, 9))
		for _, a := range []sim.Action{sim.Read, sim.Archive, sim.Unarchive, sim.Mute, sim.Unmute, sim.DeleteThread} {
			total := 0
			for _, c := range counts[a] {
				total += c
			}
			share := float64(counts[a][sim.NotFound]) / float64(total)
			if total < 100 || math.Abs(share-stale) > 0.005+5*math.Sqrt(stale*(1-stale)/float64(total)) {
				t.Errorf("stale %g: %s found no thread %d times of %d (%.4f)", stale, a, counts[a][sim.NotFound], total, share)
			}
		}
	}
}

// TestPeopleMix: the mix's shares hold: replies take the place of sends,
// and owed thread actions of their arrivals.
func TestPeopleMix(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 250, MinSize: 3, MaxSize: 12}, 1)
	w := realistic(2*24*time.Hour, 20, DefaultMix())
	s := NewStream(g, specs, w, 10)
	ops := collect(t, s)
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
		want := x / total * n
		if math.Abs(counts[a]-want) > 0.06*want+5*math.Sqrt(want)+1 {
			t.Errorf("%s: %.0f operations, want %.0f within 6%%", sim.Action(a), counts[a], want)
		}
	}
	if e := s.Expected(); math.Abs(float64(e)-n) > 0.05*n {
		t.Errorf("Expected() = %d, %d operations came", e, len(ops))
	}
}

// TestPeopleSpamLazy: a spam wave costs nothing to set up and keeps no
// memory per message; its recipients are strangers, distinct for each
// spammer; a share of the recipients of the spam sent before the report
// wave reports it.
func TestPeopleSpamLazy(t *testing.T) {
	g := build(t, BarabasiAlbert, 3000, 10, 0, 1)
	w := realistic(24*time.Hour, 5, onlyMix(map[sim.Action]float64{sim.Post: 1}))
	w.SpamWave = &SpamWave{At: 6 * time.Hour, Spammers: 30, MessagesEach: 40}
	w.ReportWave = &ReportWave{At: 6*time.Hour + 30*time.Second, Share: 0.5, Block: true}
	spam := map[string]bool{}
	for _, s := range spamTexts {
		spam[s] = true
	}
	hits := map[[2]sim.UserID]sim.Op{}
	spammers := map[sim.UserID]bool{}
	reports := 0
	for _, op := range collect(t, NewStream(g, nil, w, 8)) {
		switch {
		case op.Action == sim.Send && spam[op.Text]:
			if op.Target == op.User || g.Connected(op.User, op.Target) {
				t.Fatalf("spam to a connection: %+v", op)
			}
			pair := [2]sim.UserID{op.Target, op.User}
			if _, ok := hits[pair]; ok {
				t.Fatalf("spammer %d writes to %d twice", op.User, op.Target)
			}
			hits[pair] = op
			spammers[op.User] = true
		case op.Action == sim.Report:
			h, ok := hits[[2]sim.UserID{op.User, op.Target}]
			if !ok || op.Msg != h.Msg || h.At >= op.At || !op.AndBlock {
				t.Fatalf("report %+v answers no spam sent before it", op)
			}
			reports++
		}
	}
	if len(spammers) != 30 || len(hits) != 1200 {
		t.Errorf("%d spammers sent %d messages, want 30 and 1200", len(spammers), len(hits))
	}
	before := 600 // half the wave's minute
	if want := 0.5 * float64(before); math.Abs(float64(reports)-want) > 5*math.Sqrt(want*0.5) {
		t.Errorf("%d reports, want about %.0f", reports, want)
	}
	// A wave of 2^31-1 messages each is set up at once, and its first
	// messages come without the stream holding memory for the rest.
	w.SpamWave = &SpamWave{At: time.Hour, Spammers: 1000, MessagesEach: math.MaxInt32}
	s := NewStream(g, nil, w, 1)
	var op sim.Op
	spamSeen := 0
	for spamSeen < 10000 && s.Next(&op) {
		if spam[op.Text] {
			spamSeen++
		}
	}
	if spamSeen < 10000 || s.sched.len() > 2 {
		t.Errorf("%d spam messages, %d events waiting", spamSeen, s.sched.len())
	}
}

// TestPeopleNoAllocations: once the calendar has its chunks, pulling
// operations allocates nothing.
func TestPeopleNoAllocations(t *testing.T) {
	g := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	specs := g.Groups(Groups{Count: 100, MinSize: 3, MaxSize: 10}, 1)
	w := realistic(1000*time.Hour, 20, DefaultMix())
	w.Mix[sim.Block], w.Mix[sim.Disconnect], w.Mix[sim.Connect] = 0, 0, 0 // pairs' map grows with these
	s := NewStream(g, specs, w, 1)
	var op sim.Op
	for range 300000 {
		s.Next(&op)
	}
	if allocs := testing.AllocsPerRun(20000, func() { s.Next(&op) }); allocs > 0.001 {
		t.Errorf("%v allocations per operation", allocs)
	}
}

// TestPeopleTiesFromTheStream: the strong ties seen from the operations
// alone, without the model's ranking (ties.position): each user's most
// written-to connection takes rank 0's share of the conversations they
// start, it is the same connection in both halves of the run, and it is
// not the same place in every user's list of connections.
func TestPeopleTiesFromTheStream(t *testing.T) {
	g := build(t, ErdosRenyi, 4000, 30, 0, 1)
	w := realistic(4*24*time.Hour, 20, onlyMix(map[sim.Action]float64{sim.Send: 1}))
	w.Habits.Ties = Ties{Strong: 4, Exponent: 1.5, NewContacts: 0.2}
	w.Habits.Replies.Direct = 0
	w.Habits.Stale = 0
	half := sim.Time(w.Duration / 2)
	var counts [2]map[[2]sim.UserID]int
	counts[0], counts[1] = map[[2]sim.UserID]int{}, map[[2]sim.UserID]int{}
	started := map[sim.UserID]int{}
	for _, o := range observeAll(t, NewStream(g, nil, w, 5)) {
		if o.why.kind != arrived || o.op.Action != sim.Send || o.op.Thread.IsGroup() {
			continue
		}
		h := 0
		if o.op.At >= half {
			h = 1
		}
		counts[h][[2]sim.UserID{o.op.User, o.op.Target}]++
		started[o.op.User]++
	}
	// top returns u's most written-to connection in half h, and how often.
	top := func(h int, u sim.UserID) (sim.UserID, int) {
		best, n := sim.UserID(0), -1
		for _, v := range g.Neighbours(u) {
			if c := counts[h][[2]sim.UserID{u, v}]; c > n {
				best, n = v, c
			}
		}
		return best, n
	}
	// Rank 0's share: 0.8 of its weight among 4 ties, plus the new
	// contacts' uniform share of a degree of about 30.
	sum := 0.0
	for r := range 4 {
		sum += math.Pow(float64(r+1), -1.5)
	}
	want := 0.8/sum + 0.2/30
	users, same, first, topN, all := 0, 0, 0, 0, 0
	for u := range sim.UserID(g.Users()) {
		if g.Degree(u) < 10 || started[u] < 40 {
			continue
		}
		users++
		a, na := top(0, u)
		b, nb := top(1, u)
		if a == b {
			same++
		}
		if a == g.Neighbours(u)[0] {
			first++
		}
		topN += na + nb
		all += started[u]
	}
	if users < 1000 {
		t.Fatalf("%d users with enough conversations, want at least 1000", users)
	}
	t.Logf("%d users: top share %.3f (want %.3f), same in both halves %.3f, lowest-numbered %.3f",
		users, float64(topN)/float64(all), want, float64(same)/float64(users), float64(first)/float64(users))
	if share := float64(topN) / float64(all); math.Abs(share-want) > 0.05 {
		t.Errorf("the most written-to connection took %.3f of the conversations, want %.3f within 0.05", share, want)
	}
	if f := float64(same) / float64(users); f < 0.9 {
		t.Errorf("%.2f of users wrote most to the same connection in both halves, want at least 0.9", f)
	}
	if f := float64(first) / float64(users); f > 0.1 {
		t.Errorf("%.2f of users wrote most to their lowest-numbered connection, want about 1/30", f)
	}
}
