package workload

import (
	"testing"
	"time"

	"github.com/msgsim/msgsim/sim"
)

// TestUniformUnchanged: the uniform model gives, for the same graph,
// workload and seed, the very operation streams it gave before the
// realistic model was added (hashes recorded then), behaviours included:
// comparisons and benchmarks against earlier runs stay valid.
func TestUniformUnchanged(t *testing.T) {
	ba := build(t, BarabasiAlbert, 5000, 20, 0, 1)
	baSpecs := ba.Groups(Groups{Count: 200, MinSize: 3, MaxSize: 10}, 1)
	ws := build(t, WattsStrogatz, 3000, 10, 0.1, 1)
	wsSpecs := ws.Groups(Groups{Count: 50, MinSize: 3, MaxSize: 8}, 1)
	er := build(t, ErdosRenyi, 2000, 10, 0, 1)
	all := day()
	for a := range all.Mix {
		all.Mix[a] = 1
	}
	all.Mix[sim.Send] = 20
	spam := Workload{Duration: 24 * time.Hour, ActionsPerUserPerDay: 5, Mix: onlyMix(map[sim.Action]float64{sim.Send: 1, sim.Read: 1}),
		SpamWave:   &SpamWave{At: 6 * time.Hour, Spammers: 30, MessagesEach: 40},
		ReportWave: &ReportWave{At: 8 * time.Hour, Share: 0.5, Block: true}}
	fallback := day()
	fallback.Regret.Fallback = true
	explicit := day()
	explicit.Model = Uniform
	for _, tc := range []struct {
		name string
		s    *Stream
		hash uint64
		ops  int
	}{
		{"all actions", NewStream(ba, baSpecs, all, 3), 0x4c65d7dc6f7d4f4b, 116721},
		{"day", NewStream(ws, wsSpecs, day(), 11), 0x71508c01032773f0, 71204},
		{"day, model uniform", NewStream(ws, wsSpecs, explicit, 11), 0x71508c01032773f0, 71204},
		{"spam and reports", NewStream(er, nil, spam, 8), 0xc1c6e84ee056f7fb, 11797},
		{"fallback", NewStream(ws, wsSpecs, fallback, 5), 0xf17756d1f05614e4, 72095},
	} {
		ops := collect(t, tc.s)
		if h := hashOps(ops); h != tc.hash || len(ops) != tc.ops {
			t.Errorf("%s: %d operations hashing to %#x, want %d hashing to %#x", tc.name, len(ops), h, tc.ops, tc.hash)
		}
	}
}
