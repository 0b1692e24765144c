package scenarios

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/scenarios/workload"
	"github.com/msgsim/msgsim/sim"
)

// graphModels are the social graph models a population may use.
var graphModels = []string{"barabasi-albert", "erdos-renyi", "watts-strogatz"}

// Population defaults.
const (
	defaultModel      = "barabasi-albert"
	defaultMeanDegree = 50
	defaultRewire     = 0.1
	defaultMinGroup   = 3
	defaultMaxGroup   = 12
	minGroupSize      = sim.MinGroup
	maxGroupSize      = sim.MaxGroup
	// maxMeanDegree is LinkedIn's cap on a member's connections: no
	// professional network's mean comes near it, and past it a graph's
	// memory (8 bytes a connection) explodes with the population.
	maxMeanDegree = 30_000
)

// population reads the population section. scriptUsers and scriptGroups
// are how many named users and groups come before the generated ones in
// id order.
func (l *loader) population(n *yaml.Node, scriptUsers, scriptGroups int) *workload.Population {
	f, ok := l.mapping(n, "population", []string{"users", "graph", "groups"})
	if !ok {
		return nil
	}
	p := &workload.Population{}
	if !l.require(f, "population", "users") {
		return p
	}
	users, ok := l.count(f.val["users"], "population.users", 1, sim.MaxUsers-int64(scriptUsers))
	if !ok {
		return p
	}
	p.Users = users
	l.graph(f.val["graph"], p)
	l.groups(f.val["groups"], p, scriptGroups)
	return p
}

// graph reads population.graph; a missing graph is barabasi-albert with
// mean degree 50 (or users-1 in a smaller population).
func (l *loader) graph(n *yaml.Node, p *workload.Population) {
	g := &p.Graph
	g.Model, g.MeanDegree = defaultModel, min(defaultMeanDegree, float64(p.Users-1))
	if n == nil {
		return
	}
	f, ok := l.mapping(n, "population.graph", []string{"model", "mean_degree", "rewire"})
	if !ok {
		return
	}
	if v := f.val["model"]; v != nil {
		if model, ok := l.str(v, "population.graph.model", "a graph model"); ok {
			if slices.Contains(graphModels, model) {
				g.Model = model
			} else {
				l.errorf(v, "population.graph.model", "%s", unknown("graph model", model, graphModels))
			}
		}
	}
	if v := f.val["mean_degree"]; v != nil {
		l.degreeGiven = true
		if d, ok := l.number(v, "population.graph.mean_degree"); ok {
			switch {
			case d < 0:
				l.errorf(v, "population.graph.mean_degree", "must not be negative, got %s", formatFloat(d))
			case d >= float64(p.Users):
				l.errorf(v, "population.graph.mean_degree", "must be less than population.users (%d), got %s", p.Users, formatFloat(d))
			case d > maxMeanDegree:
				l.errorf(v, "population.graph.mean_degree", "must be at most %d (LinkedIn's cap on a member's connections), got %s", maxMeanDegree, formatFloat(d))
			default:
				g.MeanDegree = d
			}
		}
	}
	if g.Model == "watts-strogatz" {
		g.Rewire = defaultRewire
	}
	if v := f.val["rewire"]; v != nil {
		if g.Model != "watts-strogatz" {
			l.errorf(f.key["rewire"], "population.graph.rewire", "rewire applies only to the watts-strogatz model, not %s", g.Model)
		} else if r, ok := l.share(v, "population.graph.rewire"); ok {
			g.Rewire = r
		}
	}
}

// groups reads population.groups: {count: N, size: [min, max]} or size: N.
// Generated groups are numbered after the script's scriptGroups, and
// group numbers stay below sim.MaxUsers as user ids do.
func (l *loader) groups(n *yaml.Node, p *workload.Population, scriptGroups int) {
	g := &p.Groups
	g.MinSize, g.MaxSize = defaultMinGroup, defaultMaxGroup
	if n == nil {
		return
	}
	f, ok := l.mapping(n, "population.groups", []string{"count", "size"})
	if !ok || !l.require(f, "population.groups", "count") {
		return
	}
	g.Count, _ = l.count(f.val["count"], "population.groups.count", 0, sim.MaxUsers-int64(scriptGroups))
	if v := f.val["size"]; v != nil {
		l.groupSize(v, g)
	}
	if g.Count > 0 && g.MinSize > p.Users {
		at := f.node
		if v := f.val["size"]; v != nil {
			at = l.resolve(v)
		}
		l.errorf(at, "population.groups.size", "groups of at least %d members need at least %d users, population.users is %d", g.MinSize, g.MinSize, p.Users)
	}
}

func (l *loader) groupSize(v *yaml.Node, g *workload.Groups) {
	const path = "population.groups.size"
	if r := l.resolve(v); r.Kind == yaml.ScalarNode {
		if s, ok := l.count(r, path, minGroupSize, maxGroupSize); ok {
			g.MinSize, g.MaxSize = s, s
		}
		return
	}
	bounds, ok := l.list(v, path, "two sizes [min, max]")
	if !ok {
		return
	}
	if len(bounds) != 2 {
		l.errorf(l.resolve(v), path, "want [min, max], got %s", plural(len(bounds), "number"))
		return
	}
	lo, okLo := l.count(bounds[0], index(path, 0), minGroupSize, maxGroupSize)
	hi, okHi := l.count(bounds[1], index(path, 1), minGroupSize, maxGroupSize)
	if !okLo || !okHi {
		return
	}
	if lo > hi {
		l.errorf(l.resolve(v), path, "min %d is above max %d", lo, hi)
		return
	}
	g.MinSize, g.MaxSize = lo, hi
}
