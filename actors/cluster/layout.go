package cluster

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/sim"
)

// layout says which shard hosts each user and each thread. A shard is a
// range of user ids, the direct threads whose lower user is in the range,
// and a range of group numbers: ranges, so that a pass over users or
// threads in id order (the state digest) visits the shards in order, and
// the thread a new direct message creates lives with the lower user whose
// initial connections decide its pair state (sim.InitialPair).
type layout struct {
	shards         int
	users          int
	usersPerShard  int
	groupsPerShard int
}

func newLayout(shards, users, groups int) layout {
	ceil := func(n int) int { return max(1, (n+shards-1)/shards) }
	return layout{shards: shards, users: users, usersPerShard: ceil(users), groupsPerShard: ceil(groups)}
}

// ofUser returns the shard that hosts user u.
func (l *layout) ofUser(u sim.UserID) int { return min(int(u)/l.usersPerShard, l.shards-1) }

// ofThread returns the shard that hosts thread t.
func (l *layout) ofThread(t sim.ThreadID) int {
	if t.IsGroup() {
		return min(int(t.GroupNumber())/l.groupsPerShard, l.shards-1)
	}
	lo, _ := t.Pair()
	return l.ofUser(lo)
}

// ofStep returns the shard that hosts the user or thread a step is for.
func (l *layout) ofStep(m *sim.Step) int {
	if m.ToThread() {
		return l.ofThread(m.Thread)
	}
	return l.ofUser(m.To)
}

// usersOf returns the range of user ids shard k hosts.
func (l *layout) usersOf(k int) (lo, hi sim.UserID) {
	from := min(k*l.usersPerShard, l.users)
	to := min(from+l.usersPerShard, l.users)
	if k == l.shards-1 {
		to = l.users
	}
	return sim.UserID(from), sim.UserID(to)
}

// threadsOf returns the range of thread ids shard k hosts: its direct
// threads, or its groups.
func (l *layout) threadsOf(k int, groups bool) (from, to sim.ThreadID) {
	if groups {
		from = sim.Group(uint32(k * l.groupsPerShard))
		to = sim.Group(uint32((k + 1) * l.groupsPerShard))
		if k == 0 {
			from = sim.Group(0)
		}
		if k == l.shards-1 {
			to = ^sim.ThreadID(0)
		}
		return from, to
	}
	lo, hi := l.usersOf(k)
	from, to = sim.ThreadID(lo)<<32, sim.ThreadID(hi)<<32
	if k == l.shards-1 {
		to = sim.Group(0) // every direct thread above
	}
	return from, to
}

// shardKind is the cluster kind of the shards' grains.
const shardKind = "msgsim-shard"

// identity is shard k's cluster identity in run: the shard's number,
// which the identity lookup hashes to place it on a member, and the run's,
// so that no grain of an earlier run, still stopping, is taken for it.
func identity(run uint64, k int) string { return strconv.Itoa(k) + "-" + strconv.FormatUint(run, 10) }

// shardOf returns the run and the shard number of a cluster identity.
func shardOf(identity string, shards int) (run uint64, k int, err error) {
	ks, rs, ok := strings.Cut(identity, "-")
	k, err1 := strconv.Atoi(ks)
	run, err2 := strconv.ParseUint(rs, 10, 64)
	if !ok || err1 != nil || err2 != nil || k < 0 || k >= shards {
		return 0, 0, fmt.Errorf("cluster: no shard %q among %d", identity, shards)
	}
	return run, k, nil
}
