package main

// Tests of the cluster mode with real processes: msgsim node members on
// loopback (the test binary standing in for msgsim, see TestMain) and
// msgsim run --cluster in this process. protoactor's remote and cluster
// code has data races of its own, so these tests skip under the race
// detector (clusterUnderRace).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/msgsim/msgsim/actors/cluster"
	"github.com/msgsim/msgsim/report"
)

// nodeProc is a msgsim node process.
type nodeProc struct {
	addr   string
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan struct{}
}

func skipClusterUnderRace(t *testing.T) {
	t.Helper()
	if clusterUnderRace {
		t.Skip("protoactor's remote and cluster code has data races of its own: cluster tests run without -race")
	}
}

// testPorts hands out the ports of the servers the tests start: cluster
// members, Prometheus, the Pushgateway, etcd and msgsim's own /metrics. A
// cluster member listens on its port and serves the automanaged
// provider's health endpoint HealthPortOffset above it, so a port is
// handed out with the others it needs (take's offsets), only when none of
// them was handed out before (a member's port must never be another's
// health port) and all can be bound now. Ports come from below the
// kernel's ephemeral range, counting up, so no port the kernel gives to a
// client socket or a :0 listener, in this process or another test
// package's, can take one between the check and the server's start.
var testPorts ports

type ports struct {
	sync.Mutex
	next int
	used map[int]bool
}

// take returns a free port p, with p+offset free too for each of offsets,
// and reserves them all for the rest of the test binary's run.
func (ps *ports) take(t *testing.T, offsets ...int) []int {
	t.Helper()
	ps.Lock()
	defer ps.Unlock()
	if ps.used == nil {
		ps.next, ps.used = 20000, map[int]bool{}
	}
	limit := ephemeralLow() - slices.Max(offsets)
	for ; ps.next < limit; ps.next++ {
		all := make([]int, len(offsets))
		free := true
		for i, off := range offsets {
			all[i] = ps.next + off
			free = free && !ps.used[all[i]] && canListen(all[i])
		}
		if free {
			for _, p := range all {
				ps.used[p] = true
			}
			ps.next++
			return all
		}
	}
	t.Fatalf("no free port from 20000 to %d (below the ephemeral range)", limit)
	return nil
}

// nodeAddrs returns n loopback addresses for cluster members.
func nodeAddrs(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		port := testPorts.take(t, 0, cluster.HealthPortOffset)[0]
		addrs[i] = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	}
	return addrs
}

// canListen says whether 127.0.0.1:port could be listened on a moment ago.
func canListen(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// ephemeralLow is the first port of the kernel's ephemeral range (Linux's
// ip_local_port_range; 32768, its default, where that cannot be read).
func ephemeralLow() int {
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if low, err := strconv.Atoi(f[0]); err == nil {
				return low
			}
		}
	}
	return 32768
}

// startNode starts msgsim node --listen addr with args and waits until it
// says it is up. It is stopped (SIGTERM, then SIGKILL) when the test ends.
func startNode(t *testing.T, addr string, args ...string) *nodeProc {
	t.Helper()
	return startMember(t, addr, "MSGSIM_TEST_AS_MSGSIM=1", append([]string{"node", "--listen", addr}, args...)...)
}

// startMember starts the test binary as a member listening on addr, with
// env added to its environment (which says what it runs as) and args.
func startMember(t *testing.T, addr, env string, args ...string) *nodeProc {
	t.Helper()
	n := &nodeProc{addr: addr, out: &lockedBuffer{}, exited: make(chan struct{})}
	n.cmd = exec.Command(os.Args[0], args...)
	n.cmd.Env = append(os.Environ(), env)
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = n.cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		_ = n.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.exited:
		case <-time.After(20 * time.Second):
			_ = n.cmd.Process.Kill()
			<-n.exited
		}
		if t.Failed() {
			t.Logf("node %s:\n%s", addr, n.out)
		}
	})
	if err := n.waitFor(t, "up (provider", 30*time.Second); err != nil {
		t.Fatalf("node %s: %v\n%s", addr, err, n.out)
	}
	return n
}

// waitFor waits until the node's output holds s.
func (n *nodeProc) waitFor(t *testing.T, s string, timeout time.Duration) error {
	t.Helper()
	return poll(t, timeout, n.exited, func() (bool, error) { return strings.Contains(n.out.String(), s), nil })
}

// startCluster starts a member on each address, each joining all of
// addrs and also (when given) the addresses of members to come.
func startCluster(t *testing.T, addrs []string, later ...string) []*nodeProc {
	t.Helper()
	join := strings.Join(append(append([]string{}, addrs...), later...), ",")
	var ns []*nodeProc
	for _, a := range addrs {
		ns = append(ns, startNode(t, a, "--join", join))
	}
	return ns
}

// runResult is what a msgsim run in this process did.
type runResult struct {
	code     int
	out, err string
	rep      *report.Report
	took     time.Duration
}

// runMsgsim runs msgsim with args in this process, with --json into a
// temporary file it reads back.
func runMsgsim(t *testing.T, ctx context.Context, args ...string) runResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.json")
	var out, errb bytes.Buffer
	start := time.Now()
	code := run(ctx, append(args, "--json", path, "--quiet"), strings.NewReader(""), &out, &errb)
	res := runResult{code: code, out: out.String(), err: errb.String(), took: time.Since(start)}
	if data, err := os.ReadFile(path); err == nil {
		res.rep = new(report.Report)
		if err := json.Unmarshal(data, res.rep); err != nil {
			t.Errorf("the report: %v", err) // Errorf: runMsgsim may run on a goroutine of the test's
			res.rep = nil
		}
	}
	return res
}

// totals returns the operations of a report by action, outcomes summed:
// in parallel mode an outcome may depend on the interleaving (a read of a
// thread whose first message is still on its way), the stream of
// operations does not.
func totals(rep *report.Report) map[string]int {
	m := map[string]int{}
	for a, byOutcome := range rep.Ops {
		for _, n := range byOutcome {
			m[a] += n
		}
	}
	return m
}

// clusterRun runs file on the cluster of addrs and in this process with
// the same flags, and returns both reports.
func clusterRun(t *testing.T, addrs []string, file string, flags ...string) (clustered, alone *report.Report) {
	t.Helper()
	on := runMsgsim(t, t.Context(), append([]string{"run", file, "--cluster", strings.Join(addrs, ",")}, flags...)...)
	if on.rep == nil {
		t.Fatalf("cluster run: exit %d, no report\n%s%s", on.code, on.out, on.err)
	}
	off := runMsgsim(t, t.Context(), append([]string{"run", file}, flags...)...)
	if off.rep == nil {
		t.Fatalf("one-process run: exit %d, no report\n%s%s", off.code, off.out, off.err)
	}
	// The members check the invariants between them: a correct run
	// passes, as in one process.
	if on.code != exitOK || !on.rep.Passed || on.rep.CheckSkipped != "" || on.rep.Invariants.Violations != 0 {
		t.Errorf("cluster run: exit %d, passed %v, check skipped %q, %d violations %v, want a pass\n%s%s",
			on.code, on.rep.Passed, on.rep.CheckSkipped, on.rep.Invariants.Violations, on.rep.Invariants.Details, on.out, on.err)
	}
	if on.rep.Invariants.Checked < on.rep.Users || on.rep.Measures == nil || off.rep.Measures == nil {
		t.Errorf("cluster run: %d checks for %d users, measures %v: the members checked and measured nothing",
			on.rep.Invariants.Checked, on.rep.Users, on.rep.Measures)
	}
	if len(on.rep.Nodes) != len(addrs) {
		t.Errorf("cluster run: %d nodes in the report, want %d", len(on.rep.Nodes), len(addrs))
	}
	users, decided := 0, 0
	for _, n := range on.rep.Nodes {
		users += n.Users
		decided += n.OpsDecided
		if n.Users == 0 || n.PeakRSS == 0 || (len(addrs) > 1 && (n.RemoteSteps == 0 || n.CheckNotes == 0)) {
			t.Errorf("cluster run: node %+v hosts or sends nothing", n)
		}
	}
	if users != on.rep.Users || on.rep.Users != off.rep.Users {
		t.Errorf("cluster run: nodes host %d users, the report says %d, one process %d", users, on.rep.Users, off.rep.Users)
	}
	if on.rep.Threads != off.rep.Threads && on.rep.Mode == "deterministic" {
		t.Errorf("cluster run: %d threads, one process %d", on.rep.Threads, off.rep.Threads)
	}
	if decided < on.rep.OpsTotal/2 {
		t.Errorf("cluster run: members decided %d of %d operations", decided, on.rep.OpsTotal)
	}
	return on.rep, off.rep
}

// TestClusterRuns: three members on loopback run example populations as
// one process does, and check them between them: in parallel mode the
// same operations and no violation, in deterministic mode the same final
// state (digest), the same verdict and the same policy measures.
func TestClusterRuns(t *testing.T) {
	skipClusterUnderRace(t)
	addrs := nodeAddrs(t, 3)
	startCluster(t, addrs)
	t.Run("parallel", func(t *testing.T) {
		on, off := clusterRun(t, addrs, "../../scenarios/examples/harassment-and-blocking.yaml",
			"--mode", "parallel", "--users", "600", "--rate", "10")
		if got, want := totals(on), totals(off); fmt.Sprint(got) != fmt.Sprint(want) || on.OpsTotal != off.OpsTotal {
			t.Errorf("operations on the cluster %v (%d), in one process %v (%d)", got, on.OpsTotal, want, off.OpsTotal)
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		on, off := clusterRun(t, addrs, "../../scenarios/examples/population-small.yaml",
			"--mode", "deterministic", "--users", "300", "--rate", "5")
		if on.Digest == "" || on.Digest != off.Digest {
			t.Errorf("digest on the cluster %q, in one process %q", on.Digest, off.Digest)
		}
		if fmt.Sprint(on.Ops) != fmt.Sprint(off.Ops) {
			t.Errorf("outcomes on the cluster %v, in one process %v", on.Ops, off.Ops)
		}
		if on.Passed != off.Passed || on.Invariants.Violations != off.Invariants.Violations {
			t.Errorf("verdict on the cluster %v with %d violations, in one process %v with %d", on.Passed,
				on.Invariants.Violations, off.Passed, off.Invariants.Violations)
		}
		if fmt.Sprintf("%+v", *on.Measures) != fmt.Sprintf("%+v", *off.Measures) {
			t.Errorf("measures on the cluster\n  %+v\nin one process\n  %+v", *on.Measures, *off.Measures)
		}
	})
}

// pacedScenario writes a population whose run lasts at least a minute
// whatever the machine: its pace holds it to 500 operations a second.
func pacedScenario(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "paced.yaml")
	data := `name: paced
population:
  users: 2000
  graph: {model: erdos-renyi, mean_degree: 10}
  groups: {count: 20, size: [3, 6]}
workload:
  duration: 24h
  actions_per_user_per_day: 20
pace: 500/s
mode: parallel
seed: 7
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// faultRun starts a paced run on the cluster of addrs, calls fault once a
// member has started it, and returns how the run ended and how long after
// the fault.
func faultRun(t *testing.T, addrs []string, first *nodeProc, fault func()) (runResult, time.Duration) {
	t.Helper()
	done := make(chan runResult, 1)
	file := pacedScenario(t)
	go func() {
		done <- runMsgsim(t, t.Context(), "run", file, "--cluster", strings.Join(addrs, ","))
	}()
	if err := first.waitFor(t, ": started,", 2*time.Minute); err != nil {
		t.Fatalf("the run did not start on %s: %v\n%s", first.addr, err, first.out)
	}
	at := time.Now()
	fault()
	select {
	case res := <-done:
		return res, time.Since(at)
	case <-time.After(90 * time.Second):
		t.Fatal("the run did not end within 90s of the fault")
	}
	return runResult{}, 0
}

// TestClusterMemberKilled: a member SIGKILLed mid-run ends the run with
// exit 1 within 30 s, naming the member and the users whose state is lost.
func TestClusterMemberKilled(t *testing.T) {
	skipClusterUnderRace(t)
	addrs := nodeAddrs(t, 3)
	ns := startCluster(t, addrs)
	victim := ns[2]
	res, took := faultRun(t, addrs, ns[0], func() { _ = victim.cmd.Process.Kill() })
	if res.code != exitFail || took > 30*time.Second {
		t.Fatalf("exit %d %s after the kill, want 1 within 30s\n%s%s", res.code, took, res.out, res.err)
	}
	if !strings.Contains(res.err, "member "+victim.addr+" left the cluster") || !strings.Contains(res.err, "users on") {
		t.Errorf("the error does not name the lost member %s and the users lost:\n%s", victim.addr, res.err)
	}
}

// TestClusterMemberJoined: a member that joins mid-run ends the run with
// exit 1 within 30 s, naming it: the identity lookup would move shards to
// it, and their state with them.
func TestClusterMemberJoined(t *testing.T) {
	skipClusterUnderRace(t)
	addrs := nodeAddrs(t, 4)
	all := strings.Join(addrs, ",")
	ns := startCluster(t, addrs[:3], addrs[3])
	res, took := faultRun(t, addrs[:3], ns[0], func() { startNode(t, addrs[3], "--join", all) })
	if res.code != exitFail || took > 30*time.Second {
		t.Fatalf("exit %d %s after the join, want 1 within 30s\n%s%s", res.code, took, res.out, res.err)
	}
	if !strings.Contains(res.err, "member "+addrs[3]+" joined the cluster") {
		t.Errorf("the error does not name the member that joined, %s:\n%s", addrs[3], res.err)
	}
}

// TestClusterNotReady: a run whose members are not all up says which are
// missing, after the wait it was given, and exits 1.
func TestClusterNotReady(t *testing.T) {
	skipClusterUnderRace(t)
	addrs := nodeAddrs(t, 2)
	startCluster(t, addrs[:1], addrs[1])
	res := runMsgsim(t, t.Context(), "run", "../../scenarios/examples/population-small.yaml",
		"--cluster", strings.Join(addrs, ","), "--cluster-wait", "2s")
	if res.code != exitFail || !strings.Contains(res.err, addrs[1]+" does not answer") {
		t.Fatalf("exit %d, want 1 naming %s as not answering\n%s%s", res.code, addrs[1], res.out, res.err)
	}
}

// TestClusterEtcd runs the three-member parallel test with etcd (Debian's
// etcd-server) as the membership provider.
func TestClusterEtcd(t *testing.T) {
	skipClusterUnderRace(t)
	bin, err := exec.LookPath("etcd")
	if err != nil {
		skipIntegration(t, "etcd", fmt.Sprintf("etcd not found (%v); install it with: apt-get install etcd-server", err))
	}
	client, peer := freeAddr(t), freeAddr(t)
	etcd := exec.Command(bin, "--data-dir", t.TempDir(), "--listen-client-urls", "http://"+client,
		"--advertise-client-urls", "http://"+client, "--listen-peer-urls", "http://"+peer,
		"--initial-advertise-peer-urls", "http://"+peer, "--initial-cluster", "default=http://"+peer)
	out := &lockedBuffer{}
	etcd.Stdout, etcd.Stderr = out, out
	if err := etcd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = etcd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = etcd.Process.Signal(syscall.SIGTERM)
		<-exited
	})
	if err := poll(t, 30*time.Second, exited, func() (bool, error) {
		c, err := net.Dial("tcp", client)
		if err == nil {
			c.Close()
		}
		return err == nil, nil
	}); err != nil {
		t.Fatalf("etcd did not listen on %s: %v\n%s", client, err, out)
	}
	addrs := nodeAddrs(t, 3)
	for _, a := range addrs {
		startNode(t, a, "--provider", "etcd", "--etcd", client)
	}
	on, off := clusterRun(t, addrs, "../../scenarios/examples/harassment-and-blocking.yaml",
		"--mode", "parallel", "--users", "600", "--rate", "10", "--provider", "etcd")
	if got, want := totals(on), totals(off); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("operations on the cluster %v, in one process %v", got, want)
	}
}
