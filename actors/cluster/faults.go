package cluster

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	"github.com/asynkron/protoactor-go/remote"

	"github.com/msgsim/msgsim/actors/cluster/wire"
)

// LostError ends a run whose cluster changed under it: a member died or
// left, or one joined and the identity lookup moved shards to it. The
// state of the users (and of the threads) on the shards concerned is
// gone, so the run cannot pass.
type LostError struct {
	Left   []string // members that died or left
	Joined []string // members that joined
	// Users is how many users' state was lost: those of the shards that
	// lived on members that left, or that the identity lookup moves to
	// members that joined.
	Users  int
	Shards int
	Detail string // who noticed, and how
}

func (e *LostError) Error() string {
	var what []string
	for _, a := range e.Left {
		what = append(what, "member "+a+" left the cluster")
	}
	for _, a := range e.Joined {
		what = append(what, "member "+a+" joined the cluster")
	}
	if len(what) == 0 {
		what = append(what, "the cluster changed")
	}
	return fmt.Sprintf("cluster: %s mid-run (%s): the state of %s users on %d shards is lost; membership is fixed for a run",
		strings.Join(what, " and "), e.Detail, thousands(e.Users), e.Shards)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Err returns the error that ended the run, or nil.
func (c *Coordinator) Err() error {
	c.failMu.Lock()
	defer c.failMu.Unlock()
	return c.err
}

func (c *Coordinator) fail(err error) {
	c.failMu.Lock()
	defer c.failMu.Unlock()
	if c.err == nil {
		c.err = err
		close(c.failed)
	}
}

// lost ends the run after a fault: members that left or joined.
func (c *Coordinator) lost(f *wire.Fault) {
	e := &LostError{Detail: f.Detail}
	for _, a := range f.Left {
		if slices.Contains(c.members, a) && !slices.Contains(e.Left, a) {
			e.Left = append(e.Left, a)
		}
	}
	for _, a := range f.Joined {
		if !slices.Contains(c.members, a) && !slices.Contains(e.Joined, a) {
			e.Joined = append(e.Joined, a)
		}
	}
	if f.Reporter != "" && e.Detail == "" {
		e.Detail = "reported by " + f.Reporter
	}
	moved := c.moved(e.Left, e.Joined)
	for k := range moved {
		lo, hi := c.lay.usersOf(k)
		e.Users += int(hi - lo)
		e.Shards++
	}
	c.fail(e)
}

// moved returns the shards whose state is lost when members left and
// joined: those that lived on a member that left, and those the identity
// lookup (rendezvous hashing over the members) now places elsewhere.
func (c *Coordinator) moved(left, joined []string) map[int]bool {
	now := []*cluster.Member{}
	for _, a := range append(slices.Clone(c.members), joined...) {
		if slices.Contains(left, a) {
			continue
		}
		host, port, err := splitHostPort(a)
		if err != nil {
			continue
		}
		now = append(now, &cluster.Member{Id: a, Host: host, Port: int32(port), Kinds: []string{shardKind}})
	}
	rdv := cluster.NewRendezvous()
	rdv.UpdateMembers(now)
	moved := map[int]bool{}
	for k, a := range c.place {
		owner := rdv.GetByClusterIdentity(&cluster.ClusterIdentity{Identity: identity(c.id, k), Kind: shardKind})
		if slices.Contains(left, a) || owner != a {
			moved[k] = true
		}
	}
	return moved
}

// watch pings every member twice a second while the run lasts: a member
// that does not answer three pings in a row, or answers without the run,
// has lost it. (A member that dies is usually noticed sooner: its
// connection closes, and the other members' provider stops seeing it.)
func (c *Coordinator) watch() {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	misses := map[string]int{}
	var mu sync.Mutex
	for {
		select {
		case <-c.stop:
			return
		case <-c.failed:
			return
		case <-t.C:
		}
		var wg sync.WaitGroup
		for _, a := range c.members {
			wg.Go(func() {
				res, err := c.ask(a, &wire.Ping{Run: c.id}, time.Second)
				mu.Lock()
				defer mu.Unlock()
				switch ack, _ := res.(*wire.Ack); {
				case err != nil:
					if misses[a]++; misses[a] >= 3 { // not two: a member may be busy for a second
						c.lost(&wire.Fault{Left: []string{a}, Detail: "it stopped answering the coordinator"})
					}
				case ack == nil || ack.Run != c.id:
					c.lost(&wire.Fault{Left: []string{a}, Detail: "it no longer has the run (restarted?)"})
				default:
					misses[a] = 0
				}
			})
		}
		wg.Wait()
	}
}

// onEvent notices a member's connection closing, which is how a killed
// member shows first.
func (c *Coordinator) onEvent(evt any) {
	if e, ok := evt.(*remote.EndpointTerminatedEvent); ok && slices.Contains(c.members, e.Address) {
		// A dead connection may also be a member restarting its
		// endpoint; the ping confirms within a second.
		go func() {
			if _, err := c.ask(e.Address, &wire.Ping{Run: c.id}, time.Second); err != nil {
				c.lost(&wire.Fault{Left: []string{e.Address}, Detail: "its connection closed and it does not answer"})
			}
		}()
	}
}
