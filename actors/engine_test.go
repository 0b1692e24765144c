package actors

import (
	"context"
	"errors"
	"iter"
	"maps"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/msgsim/msgsim/sim"
	"github.com/msgsim/msgsim/sim/simtest"
)

func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e
}

// stream returns a seeded random population and operation stream.
func stream(seed uint64, users, ops int) (*simtest.World, []sim.Op) {
	rng := rand.New(rand.NewPCG(seed, 7))
	w := simtest.NewWorld(rng, users, 8/float64(users), users/10)
	return w, w.Ops(rng, ops)
}

func policyFor(seed uint64) sim.Policy {
	names := sim.PresetNames()
	p, _ := sim.Preset(names[seed%uint64(len(names))])
	return p
}

// TestDifferential runs random streams through the engine in deterministic
// mode and through the reference model, requiring equal outcomes for every
// operation and equal digests at the end. Every idle thread passivates, so
// reactivation must restore exactly the state it kept. A third of the runs
// use a pool of workers instead of the synchronized dispatcher.
// A quarter of the runs seed their first 100 operations, which must give
// the state applying them would.
func TestDifferential(t *testing.T) {
	seeds := 200
	if testing.Short() || raceEnabled {
		seeds = 20
	}
	for seed := range uint64(seeds) {
		pw, ops := stream(seed, 200, 400)
		p := policyFor(seed)
		ref := sim.NewWorld(p, pw.Users, pw.ConnsOf)
		cfg := Config{Policy: p, Users: pw.Users, Conns: pw.ConnsOf, Mode: sim.Deterministic}
		if seed%3 == 2 {
			cfg.Pool = 2
		}
		e := newEngine(t, cfg)
		for i, op := range ops {
			want := ref.Apply(op)
			got := sim.Outcome(0)
			if seed%4 == 3 && i < 100 {
				var err error
				if got, err = e.Seed(op); err != nil {
					t.Fatal(err)
				}
			} else {
				got = e.Apply(op)
			}
			if got != want {
				t.Fatalf("seed %d op %d %+v: engine %s, reference %s", seed, i, op, got, want)
			}
		}
		if got, want := e.State().Digest(), ref.Digest(); got != want {
			t.Fatalf("seed %d: digest %x, reference %x", seed, got, want)
		}
		if live, passive := e.Threads(); live != 0 || passive == 0 {
			t.Fatalf("seed %d: %d live and %d passivated threads, want all passivated", seed, live, passive)
		} else if want := len(ref.Threads); passive != want {
			t.Fatalf("seed %d: %d passivated threads counted, the reference model holds %d", seed, passive, want)
		}
		_ = e.Close()
	}
}

// TestSeedLate checks seeding is refused once the engine has run.
func TestSeedLate(t *testing.T) {
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: 2, Mode: sim.Deterministic})
	if o, err := e.Seed(sim.Op{Action: sim.Connect, User: 0, Target: 1}); o != sim.OK || err != nil {
		t.Fatalf("seed: %s, %v", o, err)
	}
	if o := e.Apply(sim.Op{Action: sim.Send, User: 0, Target: 1, Msg: 1}); o != sim.OK {
		t.Fatalf("send after seeded connect: %s", o)
	}
	if _, err := e.Seed(sim.Op{Action: sim.Disconnect, User: 0, Target: 1}); !errors.Is(err, ErrSeedLate) {
		t.Fatalf("seed after apply: %v, want ErrSeedLate", err)
	}
}

// TestEndSeeding checks that EndSeeding hands the seeded threads to the
// registry, packed, before any operation, and that seeding ends with it.
func TestEndSeeding(t *testing.T) {
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: 2, Mode: sim.Deterministic})
	if o, err := e.Seed(sim.Op{Action: sim.Connect, User: 0, Target: 1}); o != sim.OK || err != nil {
		t.Fatalf("seed: %s, %v", o, err)
	}
	e.EndSeeding()
	if l, p := e.Threads(); l != 0 || p != 1 {
		t.Fatalf("%d live and %d passivated threads after EndSeeding, want 0 and 1", l, p)
	}
	s := e.threads.of(sim.Direct(0, 1))
	if w, ok := s.m.get(sim.Direct(0, 1)); !ok || w.kind() != packed {
		t.Fatalf("the seeded thread is kept as %v (%v), want packed", w, ok)
	}
	if _, err := e.Seed(sim.Op{Action: sim.Disconnect, User: 0, Target: 1}); !errors.Is(err, ErrSeedLate) {
		t.Fatalf("seed after EndSeeding: %v, want ErrSeedLate", err)
	}
	if o := e.Apply(sim.Op{Action: sim.Send, User: 0, Target: 1, Msg: 1}); o != sim.OK {
		t.Fatalf("send after seeded connect: %s", o)
	}
}

// collect runs ops through e with Run and returns the outcomes by index;
// ops must come from indexed, which stamps each op's time with its index.
func collect(t *testing.T, e *Engine, ops []sim.Op) []sim.Outcome {
	t.Helper()
	out := make([]sim.Outcome, len(ops))
	i := 0
	next := func(op *sim.Op) bool {
		if i == len(ops) {
			return false
		}
		*op = ops[i]
		i++
		return true
	}
	n, err := e.Run(context.Background(), next, func(op *sim.Op, o sim.Outcome, _ time.Duration) {
		out[int(op.At)] = o // each index is written once, by one goroutine
	})
	if err != nil || n != len(ops) {
		t.Fatalf("ran %d of %d: %v", n, len(ops), err)
	}
	return out
}

// indexed stamps each op's time with its index, so results can be matched
// to operations whatever order they finish in; times stay increasing.
func indexed(ops []sim.Op) []sim.Op {
	c := make([]sim.Op, len(ops))
	for i, op := range ops {
		op.At = sim.Time(i)
		c[i] = op
	}
	return c
}

// TestRunWindow runs a stream in parallel mode with windows from one
// operation in flight up, cancelled part way: Run must report every
// operation it took, exactly once, return their number, and answer those
// of users outside the population with unknown_user.
func TestRunWindow(t *testing.T) {
	pw, ops := stream(3, 200, 1500)
	for i := range ops {
		if i%97 == 5 {
			ops[i].User = sim.UserID(pw.Users + i)
		}
		if i%89 == 7 {
			ops[i].Target = sim.UserID(pw.Users + i)
		}
	}
	ops = indexed(ops)
	for _, window := range []int{1, 2, 3, 128} {
		e := newEngine(t, Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf, MaxInflight: window})
		ctx, cancel := context.WithCancel(context.Background())
		seen := make([]atomic.Int32, len(ops))
		var reported atomic.Int64
		taken := 0
		next := func(op *sim.Op) bool {
			if taken == 1000 {
				cancel() // the operations taken so far must all run
			}
			if taken == len(ops) {
				return false
			}
			*op = ops[taken]
			taken++
			return true
		}
		n, err := e.Run(ctx, next, func(op *sim.Op, o sim.Outcome, _ time.Duration) {
			seen[op.At].Add(1)
			reported.Add(1)
			if int(op.User) >= pw.Users && o != sim.UnknownUser {
				t.Errorf("window %d: operation %d of an unknown user: %v", window, op.At, o)
			}
		})
		cancel()
		if err != nil || n != taken || int64(n) != reported.Load() || n < 1000 {
			t.Fatalf("window %d: ran %d, took %d, reported %d: %v", window, n, taken, reported.Load(), err)
		}
		for i := range n {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("window %d: operation %d reported %d times", window, i, c)
			}
		}
		if _, vs := e.State().Check(specExpect(t, e.State())); len(vs) > 0 {
			t.Fatalf("window %d: violations %v", window, vs)
		}
		_ = e.Close()
	}
}

// TestParallelInvariants runs the same kind of streams in parallel mode:
// outcomes may differ from the sequential reference, because operations
// interleave, but no invariant may break.
func TestParallelInvariants(t *testing.T) {
	seeds := 60
	if testing.Short() || raceEnabled {
		seeds = 10
	}
	for seed := range uint64(seeds) {
		pw, ops := stream(seed, 200, 2000)
		p := policyFor(seed)
		e := newEngine(t, Config{Policy: p, Users: pw.Users, Conns: pw.ConnsOf, Pool: int(seed%2) * 2})
		collect(t, e, indexed(ops))
		if n, vs := e.State().Check(specExpect(t, e.State())); len(vs) > 0 || n == 0 {
			t.Fatalf("seed %d policy %s: %d checks, violations %v", seed, p.Name, n, vs)
		}
		_ = e.Close()
	}
}

// TestSendsRaceBlocks shows the checker sees real interleavings: many
// pairs each send a burst of messages while the recipient reports and
// blocks the sender in the middle of the burst. A report with block: true
// goes through the reporter's actor, while sends to an existing thread go
// straight to it, so in parallel the block and the later sends race. The
// test makes the race certain rather than hoping for it: every reporter's
// mailbox is suspended (protoactor's SuspendMailbox, as a restart does)
// until every send has finished, so every send of the burst reaches its
// thread before the block, and the sends that follow the report in stream
// order are accepted where the sequential order refuses them. The engine
// must give exactly the outcomes of the reference model applying the
// stream in that order, and no invariant may break. A second run without
// the hold races freely; it too must break no invariant.
func TestSendsRaceBlocks(t *testing.T) {
	const pairs, burst = 300, 20
	n := 2 * pairs
	conns := make([][]sim.UserID, n)
	connsOf := func(u sim.UserID) []sim.UserID { return conns[u] }
	var ops []sim.Op
	for i := range pairs {
		a, b := sim.UserID(2*i), sim.UserID(2*i+1)
		conns[a], conns[b] = []sim.UserID{b}, []sim.UserID{a}
	}
	for k := range burst {
		for i := range pairs {
			a, b := sim.UserID(2*i), sim.UserID(2*i+1)
			ops = append(ops, sim.Op{Action: sim.Send, User: a, Target: b, Text: "hi"})
			if k == burst/2 {
				ops = append(ops, sim.Op{Action: sim.Report, User: b, Target: a, AndBlock: true})
			}
		}
	}
	ops = indexed(ops)
	sends := 0
	for i := range ops {
		if ops[i].Action == sim.Send {
			ops[i].Msg = sim.MsgKey(i + 1)
			sends++
		}
	}
	// The order the hold imposes: every send, then every report.
	ref := sim.NewWorld(sim.Linkedin(), n, connsOf)
	want := make([]sim.Outcome, len(ops))
	for _, second := range []bool{false, true} {
		for i, op := range ops {
			if (op.Action == sim.Report) == second {
				want[i] = ref.Apply(op)
			}
		}
	}
	inStreamOrder := sim.NewWorld(sim.Linkedin(), n, connsOf)
	raced := 0
	for i, op := range ops {
		if inStreamOrder.Apply(op) != want[i] {
			raced++
		}
	}
	if raced != pairs*(burst/2-1) { // the sends after each report
		t.Fatalf("%d outcomes differ between the orders, want %d", raced, pairs*(burst/2-1))
	}

	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: n, Conns: connsOf, MaxInflight: 1 << 14})
	held := make([]*mailbox, pairs)
	for i := range held {
		held[i] = e.claimUser(sim.UserID(2*i + 1)) // keeps the reporter's host until released
		held[i].PostSystemMessage(&actor.SuspendMailbox{})
	}
	got := make([]sim.Outcome, len(ops))
	var finished atomic.Int64
	i := 0
	_, err := e.Run(context.Background(), func(op *sim.Op) bool {
		if i == len(ops) {
			return false
		}
		*op, i = ops[i], i+1
		return true
	}, func(op *sim.Op, o sim.Outcome, _ time.Duration) {
		got[int(op.At)] = o
		if op.Action == sim.Send && finished.Add(1) == int64(sends) {
			for _, mb := range held {
				mb.PostSystemMessage(&actor.ResumeMailbox{})
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range held {
		e.userDone(sim.UserID(2*i + 1))
	}
	for i := range ops {
		if got[i] != want[i] {
			t.Fatalf("op %d %+v: %s, want %s (every send before every block)", i, ops[i], got[i], want[i])
		}
	}
	if _, vs := e.State().Check(specExpect(t, e.State())); len(vs) > 0 {
		t.Fatalf("held blocks: violations: %v", vs[:min(len(vs), 5)])
	}

	free := newEngine(t, Config{Policy: sim.Linkedin(), Users: n, Conns: connsOf, MaxInflight: 1 << 14})
	collect(t, free, ops)
	if _, vs := free.State().Check(specExpect(t, free.State())); len(vs) > 0 {
		t.Fatalf("free race: violations: %v", vs[:min(len(vs), 5)])
	}
}

// TestCrashes panics user and thread actors in the middle of a stream: each
// is restarted with the state it held, the panics are counted and kept,
// no accepted message is lost and no invariant breaks.
func TestCrashes(t *testing.T) {
	pw, ops := stream(42, 200, 6000)
	ops = indexed(ops)
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf, MaxInflight: 64})
	e.hostProps.Configure(actor.WithReceiverMiddleware(e.crasher)) // before any host is spawned
	var crashes atomic.Int64
	i := 0
	next := func(op *sim.Op) bool {
		if i == len(ops) {
			return false
		}
		if i%300 == 150 {
			e.pending.Add(1)
			u := sim.UserID(i % pw.Users)
			e.claimUser(u).PostUserMessage(crash{reason: "user boom", user: u})
			crashes.Add(1)
			if e.crashThread(i) {
				crashes.Add(1)
			}
		}
		*op = ops[i]
		i++
		return true
	}
	var accepted atomic.Int64
	_, err := e.Run(context.Background(), next, func(op *sim.Op, o sim.Outcome, _ time.Duration) {
		if op.Action == sim.Send && o == sim.OK {
			accepted.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := int64(e.Restarts()), crashes.Load(); got != want || want == 0 {
		t.Fatalf("%d restarts for %d crashes", got, want)
	}
	if len(e.Panics()) == 0 {
		t.Fatal("panics not kept")
	}
	s := e.State()
	stored := 0
	for th := range s.AllThreads() {
		stored += int(th.Last())
	}
	if int64(stored) != accepted.Load() {
		t.Fatalf("%d messages stored, %d accepted", stored, accepted.Load())
	}
	if _, vs := s.Check(specExpect(t, s)); len(vs) > 0 {
		t.Fatalf("violations: %v", vs)
	}
}

// TestPanicsFreeTheWindow: in parallel mode an operation whose deciding
// step panics frees its slot in the window, unreported. Run used to keep
// the slot taken for ever, so a window's worth of such panics hung it.
func TestPanicsFreeTheWindow(t *testing.T) {
	pw, ops := stream(3, 50, 400)
	var panicked atomic.Int64
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf, MaxInflight: 4, Pool: 2,
		Trace: func(handled *sim.Step, caused []sim.Step) {
			// Trace runs after the handler and before the steps are sent:
			// a panic here is a handler's that loses what it caused. (A
			// Start is always handled by its user's host; an AtThread for a
			// missing thread is answered on its sender's.)
			for i := range caused {
				if caused[i].Kind == sim.Done && handled.Kind == sim.Start {
					panicked.Add(1)
					panic("start boom")
				}
			}
		}})
	var taken, results atomic.Int64
	done := make(chan int, 1)
	go func() {
		n, _ := e.Run(context.Background(), func(op *sim.Op) bool {
			i := int(taken.Load())
			if i == len(ops) {
				return false
			}
			*op = ops[i]
			taken.Add(1)
			return true
		}, func(*sim.Op, sim.Outcome, time.Duration) { results.Add(1) })
		done <- n
	}()
	select {
	case n := <-done:
		if p := panicked.Load(); p <= 4 || n != len(ops) || results.Load() != int64(n)-p || e.Restarts() != int(p) {
			t.Fatalf("%d operations run of %d, %d results, %d panics, %d restarts; want all run, a result for each that did not panic",
				n, len(ops), results.Load(), p, e.Restarts())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Run hangs after %d operations, %d results and %d panics in a window of 4", taken.Load(), results.Load(), panicked.Load())
	}
}

// crash makes a host panic, for tests of supervision. It is for a thread
// when slot is set, for user otherwise, which has counted it in its inbox.
type crash struct {
	reason string
	slot   *slot
	user   sim.UserID
}

// crasher is a receiver middleware that panics a host on a crash, as a
// step whose handler panics would, after releasing the user or thread
// the crash was claimed for; other messages go on to the host.
func (e *Engine) crasher(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		m, ok := env.Message.(crash)
		if !ok {
			next(c, env)
			return
		}
		defer e.processed()
		if m.slot != nil {
			e.threadDone(m.slot)
		} else {
			e.userDone(m.user)
		}
		e.pending.Add(1) // as afterPanic: quiet only once the restart is counted
		panic(m.reason)
	}
}

// crashThread sends a crash to the i-th live thread actor, if any.
func (e *Engine) crashThread(i int) bool {
	for k := range shards {
		s := &e.threads.shard[(i+k)%shards]
		s.Lock()
		for _, sl := range s.live {
			if sl.host != nil {
				sl.inbox++
				e.pending.Add(1)
				e.root.Send(sl.host.pid, crash{reason: "thread boom", slot: sl})
				s.Unlock()
				return true
			}
		}
		s.Unlock()
	}
	return false
}

// TestNegativeRefused: a negative population or pool is refused; no
// negative pool picks protoactor's default dispatcher any more.
func TestNegativeRefused(t *testing.T) {
	for _, cfg := range []Config{{Users: -1}, {Users: 2, Pool: -1}} {
		if e, err := New(cfg); err == nil {
			_ = e.Close()
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

// TestCloseLeavesNoGoroutine checks a closed engine leaves nothing running.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, pool := range []int{2, 0} {
		pw, ops := stream(3, 300, 3000)
		e, err := New(Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf, Pool: pool})
		if err != nil {
			t.Fatal(err)
		}
		collect(t, e, indexed(ops))
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after close:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// TestRecreatedThreads: a refused send creates a thread that is dropped at
// once, handing its host back; sending again recreates it on a host that
// may be the same one. Refused sends must leave no thread behind.
func TestRecreatedThreads(t *testing.T) {
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: 4})
	ops := make([]sim.Op, 5000)
	for i := range ops {
		ops[i] = sim.Op{Action: sim.Send, User: sim.UserID(i % 2), Target: sim.UserID(1 - i%2), Msg: sim.MsgKey(i + 1), At: sim.Time(i)}
	}
	done := make(chan []sim.Outcome)
	go func() {
		out := make([]sim.Outcome, len(ops))
		for i, op := range ops { // one at a time: each recreation follows a drop
			out[i] = e.Apply(op)
		}
		done <- out
	}()
	select {
	case out := <-done:
		for i, o := range out {
			if o != sim.NotConnected {
				t.Fatalf("op %d: %s, want not_connected", i, o)
			}
		}
	case <-time.After(time.Minute):
		t.Fatal("engine hung")
	}
	if live, passive := e.Threads(); live != 0 || passive != 0 || e.State().ThreadCount() != 0 {
		t.Fatalf("%d live, %d passivated, %d threads kept for refused sends", live, passive, e.State().ThreadCount())
	}
}

// TestStateReadsSideBySide reads an engine's final state, most of its
// threads packed, with the checker, the digest, the measures
// and the count at once, as a run's report does, and requires what each
// gives alone. Under -race it also holds the registry's reads to changing
// nothing.
func TestStateReadsSideBySide(t *testing.T) {
	pw, ops := stream(11, 300, 4000)
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf})
	collect(t, e, indexed(ops))
	s := e.State()
	x := specExpect(t, s)
	type reads struct {
		checked, violations, messages int
		digest                        uint64
		measures                      sim.Measures
	}
	alone := func() (r reads) {
		var vs []sim.Violation
		r.checked, vs = s.Check(x)
		r.violations = len(vs)
		r.digest = s.Digest()
		r.measures, _ = s.Measure(sim.Time(len(ops)), nil)
		r.messages = s.MessageCount()
		return r
	}
	want := alone()
	if want.checked == 0 || want.messages == 0 || want.violations != 0 {
		t.Fatalf("nothing to compare: %+v", want)
	}
	for range 3 {
		var got reads
		var wg sync.WaitGroup
		wg.Go(func() {
			var vs []sim.Violation
			got.checked, vs = s.Check(x)
			got.violations = len(vs)
		})
		wg.Go(func() { got.digest = s.Digest() })
		wg.Go(func() { got.measures, _ = s.Measure(sim.Time(len(ops)), nil) })
		got.messages = s.MessageCount()
		wg.Wait()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("side by side %+v, alone %+v", got, want)
		}
	}
}

// TestStoreEach requires the registry's Each to yield the threads All
// yields, each once and as All gives it, packed and kept unpacked alike.
func TestStoreEach(t *testing.T) {
	pw, ops := stream(12, 100, 4000)
	for u := range sim.UserID(4) { // a few threads too long to pack
		for i := range packMessages + 1 {
			if cs := pw.ConnsOf(u); len(cs) > 0 {
				ops = append(ops, sim.Op{Action: sim.Send, User: u, Target: cs[0], Msg: 1<<40 + sim.MsgKey(u)<<8 + sim.MsgKey(i), Text: "long"})
			}
		}
	}
	e := newEngine(t, Config{Policy: sim.Linkedin(), Users: pw.Users, Conns: pw.ConnsOf})
	collect(t, e, indexed(ops))
	big := 0
	for i := range e.threads.shard {
		big += len(e.threads.shard[i].big)
	}
	if passive := e.passive.Load(); passive == 0 || big == 0 {
		t.Fatalf("%d passivated, %d kept unpacked: the test needs both", passive, big)
	}
	store := e.State().Store
	var texts sim.Texts
	read := func(all iter.Seq[*sim.Thread]) map[sim.ThreadID]string {
		m := map[sim.ThreadID]string{}
		for th := range all {
			if _, dup := m[th.ID]; dup {
				t.Fatalf("thread %v yielded twice", th.ID)
			}
			m[th.ID] = string(th.Pack(nil, &texts))
		}
		return m
	}
	each, all := read(store.Each()), read(store.All())
	if len(all) != store.Len() || !maps.Equal(each, all) {
		t.Fatalf("Each yields %d threads, All %d, Len %d, or they differ", len(each), len(all), store.Len())
	}
}
