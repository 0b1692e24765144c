package main

// A cluster member whose state is wrong, for the test that the members'
// check finds it: the test binary runs as such a member when
// MSGSIM_TEST_CORRUPT_MEMBER=1 is in its environment (see init). It is
// an ordinary member (cluster.StartMember, runner.ClusterPopulation) but
// for its copy of the population's graph, from which the users it hosts
// take their connections: each user is connected there to the first
// user above it that it is not connected to, who does not know, so each
// such connection is held on one side only, which I6 forbids. (A connection taken away
// instead could fail the population's set-up, which creates groups among
// connections.) No other member, nor the coordinator, knows.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/msgsim/msgsim/actors/cluster"
	"github.com/msgsim/msgsim/runner"
	"github.com/msgsim/msgsim/sim"
)

func init() {
	if os.Getenv("MSGSIM_TEST_CORRUPT_MEMBER") == "1" {
		os.Exit(corruptMember(os.Args[1:]))
	}
}

// corruptMember runs the member until SIGTERM or SIGINT, as msgsim node
// --listen HOST:PORT --join HOST:PORT,... does.
func corruptMember(args []string) int {
	fl := flag.NewFlagSet("corrupt-member", flag.ContinueOnError)
	listen := fl.String("listen", "", "")
	join := fl.String("join", "", "")
	if err := fl.Parse(args); err != nil {
		return exitInput
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	m, err := cluster.StartMember(ctx, cluster.MemberConfig{Listen: *listen, Join: strings.Split(*join, ","),
		Prepare: corruptPopulation, Events: lines(os.Stderr)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return exitFail
	}
	fmt.Fprintf(os.Stderr, "member %s: up (provider %s), corrupt\n", m.Address(), cluster.Automanaged)
	<-ctx.Done()
	m.Leave()
	return exitOK
}

// corruptPopulation is the population every member generates, but for
// the connection each user gains here.
func corruptPopulation(spec cluster.Spec) (*cluster.Population, error) {
	pop, err := runner.ClusterPopulation(spec)
	if err != nil {
		return nil, err
	}
	conns := pop.Conns
	pop.Conns = func(u sim.UserID) []sim.UserID {
		c := conns(u)
		v := u + 1
		for int(v) < pop.Users && slices.Contains(c, v) {
			v++
		}
		if int(v) < pop.Users {
			c = append(slices.Clone(c), v)
			slices.Sort(c)
		}
		return c
	}
	return pop, nil
}

// TestClusterFindsCorruption: a member whose users' state is wrong (a
// connection held on their side only) makes the members' check report
// I6 violations, though no member holds both sides of a pair it judges
// and the coordinator holds no state: the other side's member learns of
// each such connection from the corrupt member's notes, or the corrupt
// member from theirs.
func TestClusterFindsCorruption(t *testing.T) {
	skipClusterUnderRace(t)
	addrs := nodeAddrs(t, 3)
	join := strings.Join(addrs, ",")
	startNode(t, addrs[0], "--join", join)
	startNode(t, addrs[1], "--join", join)
	startMember(t, addrs[2], "MSGSIM_TEST_CORRUPT_MEMBER=1", "--listen", addrs[2], "--join", join)
	res := runMsgsim(t, t.Context(), "run", "../../scenarios/examples/population-small.yaml", "--cluster", join,
		"--mode", "parallel", "--users", "300", "--rate", "5")
	if res.rep == nil {
		t.Fatalf("exit %d, no report\n%s%s", res.code, res.out, res.err)
	}
	inv := res.rep.Invariants
	if res.code != exitFail || res.rep.Passed || res.rep.CheckSkipped != "" || inv.ByInvariant["I6"] == 0 {
		t.Fatalf("exit %d, passed %v, check skipped %q, violations %v, want exit 1 for I6 violations\n%s%s",
			res.code, res.rep.Passed, res.rep.CheckSkipped, inv.ByInvariant, res.out, res.err)
	}
	if len(inv.Details) == 0 || !strings.Contains(strings.Join(inv.Details, "\n"), "held by one side only") {
		t.Errorf("the details do not name a connection held on one side:\n%s", strings.Join(inv.Details, "\n"))
	}
	t.Logf("%d checks, violations %v; first: %s", inv.Checked, inv.ByInvariant, inv.Details[0])
}
