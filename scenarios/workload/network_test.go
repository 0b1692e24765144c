package workload

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// checkNetwork verifies the CSR invariants: offsets that frame the lists,
// lists sorted without repeats or self loops, and symmetry.
func checkNetwork(t *testing.T, g *Network) {
	t.Helper()
	n := g.Users()
	if g.offsets[0] != 0 || g.offsets[n] != uint64(len(g.neighbours)) {
		t.Fatalf("offsets frame [%d, %d], want [0, %d]", g.offsets[0], g.offsets[n], len(g.neighbours))
	}
	if len(g.neighbours)%2 != 0 {
		t.Fatalf("%d list entries: not symmetric", len(g.neighbours))
	}
	for u := range n {
		if g.offsets[u] > g.offsets[u+1] {
			t.Fatalf("offsets decrease at user %d", u)
		}
		list := g.Neighbours(sim.UserID(u))
		for i, v := range list {
			if int(v) >= n {
				t.Fatalf("user %d lists unknown user %d", u, v)
			}
			if v == sim.UserID(u) {
				t.Fatalf("user %d lists itself", u)
			}
			if i > 0 && v <= list[i-1] {
				t.Fatalf("user %d's list is not strictly ascending at %d: %v", u, i, list[max(0, i-3):i+1])
			}
			if !g.Connected(v, sim.UserID(u)) {
				t.Fatalf("user %d lists %d but not the reverse", u, v)
			}
		}
	}
}

func build(t testing.TB, model string, users int, mean, rewire float64, seed uint64) *Network {
	t.Helper()
	g, err := Build(Population{Users: users, Graph: Graph{Model: model, MeanDegree: mean, Rewire: rewire}}, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuildModels(t *testing.T) {
	for _, tc := range []struct {
		model  string
		users  int
		mean   float64
		rewire float64
	}{
		{ErdosRenyi, 20000, 50, 0},
		{ErdosRenyi, 3000, 5, 0},
		{ErdosRenyi, 1000, 7.3, 0},
		{BarabasiAlbert, 20000, 50, 0},
		{BarabasiAlbert, 3000, 5, 0},
		{BarabasiAlbert, 1000, 7.3, 0},
		{WattsStrogatz, 20000, 50, 0.1},
		{WattsStrogatz, 3000, 5, 0.3},
		{WattsStrogatz, 1000, 7.3, 1},
	} {
		t.Run(tc.model, func(t *testing.T) {
			g := build(t, tc.model, tc.users, tc.mean, tc.rewire, 42)
			checkNetwork(t, g)
			if g.Users() != tc.users {
				t.Errorf("Users() = %d, want %d", g.Users(), tc.users)
			}
			if got := g.MeanDegree(); math.Abs(got-tc.mean) > 0.05*tc.mean {
				t.Errorf("mean degree %.3f, want %.3f within 5%%", got, tc.mean)
			}
			if got := 2 * g.Edges(); got != len(g.neighbours) {
				t.Errorf("Edges() = %d for %d entries", g.Edges(), got)
			}
			sum := 0
			for u := range g.Users() {
				sum += g.Degree(sim.UserID(u))
			}
			if sum != 2*g.Edges() {
				t.Errorf("degrees sum to %d, want %d", sum, 2*g.Edges())
			}
			if want := 8*(tc.users+1) + 4*len(g.neighbours); g.Bytes() < want || g.Bytes() > want+want/8 {
				t.Errorf("Bytes() = %d, want about %d", g.Bytes(), want)
			}
		})
	}
}

func TestErdosRenyiIsGnm(t *testing.T) {
	g := build(t, ErdosRenyi, 20000, 50, 0, 1)
	if g.Edges() != 500000 {
		t.Errorf("%d edges, want exactly n*mean/2 = 500000", g.Edges())
	}
	// Degrees of G(n, m) are nearly Poisson: variance close to the mean.
	mean, sq := 0.0, 0.0
	for u := range g.Users() {
		d := float64(g.Degree(sim.UserID(u)))
		mean += d
		sq += d * d
	}
	mean /= float64(g.Users())
	variance := sq/float64(g.Users()) - mean*mean
	if r := variance / mean; r < 0.85 || r > 1.15 {
		t.Errorf("degree variance/mean = %.3f, want about 1", r)
	}
	if g.MaxDegree() > 100 {
		t.Errorf("max degree %d: too heavy a tail for G(n, m)", g.MaxDegree())
	}
	// The complete graph, where p reaches 1.
	k := build(t, ErdosRenyi, 40, 39, 0, 1)
	checkNetwork(t, k)
	if k.Edges() != 40*39/2 {
		t.Errorf("complete graph has %d edges, want %d", k.Edges(), 40*39/2)
	}
}

func TestBarabasiAlbertHeavyTail(t *testing.T) {
	g := build(t, BarabasiAlbert, 20000, 50, 0, 1)
	if max := g.MaxDegree(); float64(max) < 10*g.MeanDegree() {
		t.Errorf("max degree %d, want >> mean %.1f", max, g.MeanDegree())
	}
	// Every user attaches to mean/2 earlier users, so none has fewer.
	for u := range g.Users() {
		if d := g.Degree(sim.UserID(u)); d < 25 {
			t.Fatalf("user %d has degree %d < 25", u, d)
		}
	}
}

func TestBarabasiAlbertSchedule(t *testing.T) {
	// A fractional number of attachments per user spreads evenly, and the
	// maker of every edge past the clique is a computation.
	for _, mean := range []float64{5.5, 7.3, 50, 2} {
		edges := barabasiAlbert(3000, mean, 3)
		a := newAttachment(3000, mean)
		if len(edges) != 2*a.edges(3000) {
			t.Fatalf("mean %g: %d entries, want %d", mean, len(edges), 2*a.edges(3000))
		}
		for e := a.cliqueEdges; e < len(edges)/2; e++ {
			if got := a.maker(uint64(e)); got != int(edges[2*e]) {
				t.Fatalf("mean %g: maker(%d) = %d, edge made by %d", mean, e, got, edges[2*e])
			}
			if edges[2*e+1] >= edges[2*e] {
				t.Fatalf("mean %g: edge %d attaches %d to later user %d", mean, e, edges[2*e], edges[2*e+1])
			}
		}
	}
}

func TestWattsStrogatzLattice(t *testing.T) {
	const n, k = 1000, 10
	g := build(t, WattsStrogatz, n, k, 0, 1)
	checkNetwork(t, g)
	for u := range n {
		var want []sim.UserID
		for j := 1; j <= k/2; j++ {
			want = append(want, sim.UserID((u+j)%n), sim.UserID((u-j+n)%n))
		}
		slices.Sort(want)
		if got := g.Neighbours(sim.UserID(u)); !slices.Equal(got, want) {
			t.Fatalf("user %d: neighbours %v, want ring lattice %v", u, got, want)
		}
	}
	// Rewiring moves about the rewire share of edges off the lattice.
	r := build(t, WattsStrogatz, 20000, k, 0.2, 1)
	off := 0
	for u := range r.Users() {
		for _, v := range r.Neighbours(sim.UserID(u)) {
			if ringDistance(u, int(v), r.Users()) > k/2 {
				off++
			}
		}
	}
	if share := float64(off) / float64(2*r.Edges()); math.Abs(share-0.2) > 0.01 {
		t.Errorf("%.3f of the edges rewired, want about 0.2", share)
	}
}

func TestBuildDeterministic(t *testing.T) {
	for _, model := range []string{ErdosRenyi, BarabasiAlbert, WattsStrogatz} {
		a := build(t, model, 40000, 12, 0.1, 7)
		b := build(t, model, 40000, 12, 0.1, 7)
		if !slices.Equal(a.offsets, b.offsets) || !slices.Equal(a.neighbours, b.neighbours) {
			t.Errorf("%s: the same seed gave different graphs", model)
		}
		prev := runtime.GOMAXPROCS(1)
		c := build(t, model, 40000, 12, 0.1, 7)
		runtime.GOMAXPROCS(prev)
		if !slices.Equal(a.neighbours, c.neighbours) {
			t.Errorf("%s: the graph depends on the number of CPUs", model)
		}
		d := build(t, model, 40000, 12, 0.1, 8)
		if slices.Equal(a.neighbours, d.neighbours) {
			t.Errorf("%s: different seeds gave the same graph", model)
		}
	}
}

func TestBuildSmall(t *testing.T) {
	for _, model := range []string{ErdosRenyi, BarabasiAlbert, WattsStrogatz} {
		for _, tc := range []struct {
			users int
			mean  float64
		}{{1, 0}, {2, 0}, {2, 1}, {3, 2}, {5, 4}, {10, 3}, {10, 0.5}} {
			g := build(t, model, tc.users, tc.mean, 0.5, 1)
			checkNetwork(t, g)
			if tc.mean == 0 && g.Edges() != 0 {
				t.Errorf("%s %+v: %d edges, want none", model, tc, g.Edges())
			}
		}
	}
	if g := build(t, ErdosRenyi, 2, 1, 0, 1); !g.Connected(0, 1) {
		t.Error("G(2, 1) lacks its edge")
	}
}

func TestFromEdgesTidies(t *testing.T) {
	// Unsorted lists, repeats in both directions and self loops.
	edges := []sim.UserID{3, 1, 1, 3, 0, 2, 2, 2, 4, 0, 0, 4, 1, 0, 3, 0, 0, 1, 4, 4}
	want := [][]sim.UserID{{1, 2, 3, 4}, {0, 3}, {0}, {0, 1}, {0}}
	for name, g := range map[string]*Network{
		"packed 32":     fromEdges(5, slices.Clone(edges)),
		"packed 64":     bucketSort[uint64](5, slices.Clone(edges), 1, 32),
		"small buckets": bucketSort[uint32](5, slices.Clone(edges), 1, 3),
	} {
		checkNetwork(t, g)
		for u, w := range want {
			if got := g.Neighbours(sim.UserID(u)); !slices.Equal(got, w) {
				t.Errorf("%s: user %d: %v, want %v", name, u, got, w)
			}
		}
	}
}

func TestTidy(t *testing.T) {
	for _, tc := range []struct{ in, want []sim.UserID }{
		{nil, nil},
		{[]sim.UserID{9}, []sim.UserID{9}},
		{[]sim.UserID{5}, nil},
		{[]sim.UserID{8, 2, 7, 6, 9, 10, 11}, []sim.UserID{2, 6, 7, 8, 9, 10, 11}},
		{[]sim.UserID{3, 1, 2, 1, 4, 6, 5, 9}, []sim.UserID{1, 2, 3, 4, 6, 9}},
		{[]sim.UserID{1, 2, 3, 7, 7, 8}, []sim.UserID{1, 2, 3, 7, 8}},
	} {
		list := slices.Clone(tc.in)
		k := tidy(5, list)
		if got := list[:k]; !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("tidy(5, %v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// A long head falls back to the general sort.
	long := make([]sim.UserID, 300)
	for i := range long {
		long[i] = sim.UserID((i * 7919) % 1000)
	}
	k := tidy(5000, long)
	if !slices.IsSorted(long[:k]) || k != 300 {
		t.Errorf("long list: %d entries, sorted %v", k, slices.IsSorted(long[:k]))
	}
}

func TestBuildErrors(t *testing.T) {
	good := Population{Users: 100, Graph: Graph{Model: ErdosRenyi, MeanDegree: 4}}
	for _, tc := range []struct {
		name   string
		change func(p *Population)
		want   string
	}{
		{"no users", func(p *Population) { p.Users = 0 }, "users"},
		{"model", func(p *Population) { p.Graph.Model = "small-world" }, "graph model"},
		{"negative mean", func(p *Population) { p.Graph.MeanDegree = -1 }, "mean degree"},
		{"mean too high", func(p *Population) { p.Graph.MeanDegree = 100 }, "mean degree"},
		{"mean NaN", func(p *Population) { p.Graph.MeanDegree = math.NaN() }, "mean degree"},
		{"rewire", func(p *Population) { p.Graph.Rewire = 1.5 }, "rewire"},
		{"group count", func(p *Population) { p.Groups.Count = -1 }, "group count"},
		{"group sizes", func(p *Population) { p.Groups = Groups{Count: 3, MinSize: 2, MaxSize: 60} }, "group sizes"},
	} {
		p := good
		tc.change(&p)
		_, err := Build(p, 1)
		if !errors.Is(err, ErrPopulation) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrPopulation about %q", tc.name, err, tc.want)
		}
	}
	// Every problem at once.
	err := Population{Users: 0, Graph: Graph{Model: "x", Rewire: 2}}.Validate()
	if got := strings.Count(err.Error(), "\n") + 1; got != 3 {
		t.Errorf("%d problems reported, want 3:\n%v", got, err)
	}
	if err := good.Validate(); err != nil {
		t.Errorf("valid population: %v", err)
	}
}

func TestConnected(t *testing.T) {
	g := build(t, BarabasiAlbert, 2000, 6, 0, 5)
	for u := range g.Users() {
		nb := g.Neighbours(sim.UserID(u))
		for v := range g.Users() {
			if got, want := g.Connected(sim.UserID(u), sim.UserID(v)), slices.Contains(nb, sim.UserID(v)); got != want {
				t.Fatalf("Connected(%d, %d) = %v, want %v", u, v, got, want)
			}
		}
		if u > 50 {
			break
		}
	}
}

func TestGnmResamples(t *testing.T) {
	// A p far too small for m edges falls short, then grows until it fits.
	edges := gnm(2000, 5000, 0.0001, 3)
	g := fromEdges(2000, edges)
	checkNetwork(t, g)
	if g.Edges() != 5000 {
		t.Errorf("%d edges, want 5000", g.Edges())
	}
}
