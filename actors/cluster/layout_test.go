package cluster

import (
	"testing"

	"github.com/msgsim/msgsim/sim"
)

// TestLayout: shards cover the users in ranges, in order and without
// gaps, a direct thread lives with its lower user and groups are spread
// in ranges too, so a pass in id order visits the shards in order.
func TestLayout(t *testing.T) {
	for _, c := range []struct{ shards, users, groups int }{
		{64, 1000, 50}, {64, 10, 0}, {3, 1, 1}, {7, 100, 1000}, {64, 64, 64},
	} {
		l := newLayout(c.shards, c.users, c.groups)
		next := sim.UserID(0)
		for k := range c.shards {
			lo, hi := l.usersOf(k)
			if lo != next || hi < lo {
				t.Fatalf("%+v: shard %d has users [%d, %d), want from %d", c, k, lo, hi, next)
			}
			for u := lo; u < hi; u++ {
				if l.ofUser(u) != k {
					t.Fatalf("%+v: user %d in shard %d's range is placed on %d", c, u, k, l.ofUser(u))
				}
			}
			next = hi
		}
		if int(next) != c.users {
			t.Fatalf("%+v: shards cover %d users", c, next)
		}
		last := 0
		for a := range sim.UserID(c.users) {
			for b := a + 1; b < sim.UserID(min(c.users, int(a)+5)); b++ {
				k := l.ofThread(sim.Direct(b, a))
				if k != l.ofUser(a) || k < last {
					t.Fatalf("%+v: thread %v on shard %d, its lower user's %d, the one before's %d", c, sim.Direct(a, b), k, l.ofUser(a), last)
				}
				last = k
			}
		}
		last = 0
		for g := range uint32(c.groups + 10) {
			k := l.ofThread(sim.Group(g))
			if k < last || k >= c.shards {
				t.Fatalf("%+v: group %d on shard %d after %d", c, g, k, last)
			}
			last = k
		}
		in := func(k int, id sim.ThreadID) bool {
			from, to := l.threadsOf(k, id.IsGroup())
			return id >= from && id < to
		}
		for _, id := range []sim.ThreadID{sim.Direct(0, 1), sim.Direct(sim.UserID(c.users-1), sim.UserID(c.users/2)),
			sim.Direct(sim.UserID(c.users/3), sim.UserID(c.users-1)), sim.Group(0), sim.Group(uint32(c.groups)), sim.Group(1 << 31)} {
			for k := range c.shards {
				if in(k, id) != (k == l.ofThread(id)) {
					t.Fatalf("%+v: thread %v in shard %d's range: %v, placed on %d", c, id, k, in(k, id), l.ofThread(id))
				}
			}
		}
	}
}

// TestSplit: a step's credit is all accounted for among its children and
// what it returns, overdrawn or not.
func TestSplit(t *testing.T) {
	for _, c := range []struct {
		credit   uint64
		children int
	}{{opCredit, 0}, {opCredit, 1}, {opCredit, 3}, {opCredit, 50}, {opCredit, 99_999}, {7, 3}, {2, 5}, {1, 1}} {
		share, left := split(c.credit, c.children)
		if int64(share)*int64(c.children)+left != int64(c.credit) {
			t.Errorf("%+v: %d children of %d and %d left do not add up", c, c.children, share, left)
		}
		if c.children > 0 && share == 0 {
			t.Errorf("%+v: a child without credit would settle nothing", c)
		}
		if c.credit >= uint64(c.children) && left < 0 {
			t.Errorf("%+v: overdrawn with enough credit", c)
		}
	}
}

func TestShardOf(t *testing.T) {
	for k := range 64 {
		if run, got, err := shardOf(identity(77, k), 64); err != nil || got != k || run != 77 {
			t.Fatalf("shard %d of run 77: shard %d of run %d, %v", k, got, run, err)
		}
	}
	for _, id := range []string{"-1", "64-1", "x-1", "", "3", "3-", "3-x"} {
		if _, _, err := shardOf(id, 64); err == nil {
			t.Errorf("identity %q taken as a shard", id)
		}
	}
}
