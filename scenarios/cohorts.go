package scenarios

import (
	"math"

	"go.yaml.in/yaml/v3"

	"github.com/msgsim/msgsim/sim"
)

const cohortsPath = "cohorts"

// cohorts reads `cohorts: [{name, share, policy, users}...]`: parts of the
// population under policies of their own, for an A/B experiment in one
// run. A cohort's policy is written like the top-level policy key and
// defaults to it; users pins named script users to the cohort. The shares
// must add up to 1.
func (l *loader) cohorts(n *yaml.Node, s *Scenario) []sim.Cohort {
	items, ok := l.list(n, cohortsPath, "cohorts {name, share, policy}")
	if !ok {
		return nil
	}
	if len(items) == 0 || len(items) > sim.MaxCohorts {
		l.errorf(l.resolve(n), cohortsPath, "want 1 to %d cohorts, got %d", sim.MaxCohorts, len(items))
		return nil
	}
	c := &compiler{l: l, s: s, users: map[string]sim.UserID{}}
	for i, name := range s.Users {
		c.users[name] = sim.UserID(i)
	}
	names := map[string]*yaml.Node{}
	pinned := map[sim.UserID]*yaml.Node{}
	var out []sim.Cohort
	sum, sharesOK := 0.0, true
	for i, item := range items {
		path := index(cohortsPath, i)
		f, okF := l.mapping(item, path, []string{"name", "share", "policy", "users"})
		if !okF || !l.require(f, "a cohort", "name", "share") {
			sharesOK = false
			continue
		}
		co := sim.Cohort{Policy: s.Policy}
		knobs := s.PolicyKnobs
		if name, ok := l.name(f.val["name"], join(path, "name")); ok {
			if first, dup := names[name]; dup {
				l.errorf(f.val["name"], join(path, "name"), "duplicate cohort %q (first at %s)", name, lineCol(first))
			}
			names[name] = l.resolve(f.val["name"])
			co.Name = name
		}
		share, ok := l.share(f.val["share"], join(path, "share"))
		sharesOK = sharesOK && ok
		co.Share = share
		sum += share
		if v := f.val["policy"]; v != nil {
			knobs = l.policy(v, join(path, "policy"), &co.Policy, knobs)
		}
		if v := f.val["users"]; v != nil {
			us, _ := l.list(v, join(path, "users"), "user names")
			for j, u := range us {
				up := index(join(path, "users"), j)
				id, ok := c.userName(u, up)
				if !ok {
					continue
				}
				if first, dup := pinned[id]; dup {
					l.errorf(u, up, "user %q is already in a cohort (at %s)", s.Users[id], lineCol(first))
					continue
				}
				pinned[id] = l.resolve(u)
				co.Users = append(co.Users, id)
			}
		}
		out = append(out, co)
		s.CohortKnobs = append(s.CohortKnobs, knobs)
	}
	if sharesOK && math.Abs(sum-1) > 1e-9 {
		l.errorf(l.resolve(n), cohortsPath, "the shares add up to %s; they must add up to 1", formatFloat(sum))
	}
	return out
}
