package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// loadErrors loads src as s.yaml and returns its error lines; it fails the
// test when Load returns anything but an ErrorList.
func loadErrors(t *testing.T, src string) []string {
	t.Helper()
	s, err := Load("s.yaml", []byte(src))
	if err == nil {
		t.Fatalf("Load accepted the file: %+v", s)
	}
	if s != nil {
		t.Errorf("Load returned a scenario along with an error")
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("Load returned %T %v, want a non-empty ErrorList", err, err)
	}
	return strings.Split(err.Error(), "\n")
}

// TestLoadErrors shows the exact message of each mistake a file can make.
// Files with several mistakes show that Load reports them all at once, in
// position order.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"top-level keys", `
name: typo
step:
  - advance: 1m
colour: blue
`, []string{
			`s.yaml:3:1: unknown key "step" (did you mean "steps"?)`,
			`s.yaml:5:1: unknown key "colour"; want one of name, policy, cohorts, users, connections, steps, population, workload, pace, mode, seed, thresholds`,
		}},
		{"population users", `# The example of STYLE.md point 4.
name: brief
policy: linkedin
mode: parallel
seed: 7
population:
  users: 0
`, []string{
			`s.yaml:7:10: population.users: must be at least 1, got 0`,
		}},
		{"population users past the limit", `
name: huge
population:
  users: 3000000000
`, []string{
			`s.yaml:4:10: population.users: must be at most 2147483647, got 3000000000`,
		}},
		{"preset and knob names", `
policy: {preset: linkdin, delete_windo: 1h}
users: [a, b]
steps: []
`, []string{
			`s.yaml:2:18: policy.preset: unknown policy preset "linkdin" (did you mean "linkedin"?)`,
			`s.yaml:2:27: policy: unknown key "delete_windo" (did you mean "delete_window"?)`,
		}},
		{"knob value types", `
policy:
  preset: whatsapp
  edit: "yes"
  delete_window: 60
  tombstone_self: 0
  edit_limit: -1
steps: []
`, []string{
			`s.yaml:4:9: policy.edit: want true or false, got "yes"`,
			`s.yaml:5:18: policy.delete_window: want a duration with a unit (ns, us, ms, s, m, h, d), like 90s, 2m, 1h30m or 2d, got the number 60`,
			`s.yaml:6:19: policy.tombstone_self: want a text ("" for none), got the number 0 (quote it to make it a string)`,
			`s.yaml:7:15: policy.edit_limit: must be at least 0, got -1`,
		}},
		{"step shapes, actions, checks and outcome codes", `
users: [alice, bob]
connections: [[alice, bob]]
steps:
  - sned: {from: alice, to: bob, text: hi}
  - {}
  - send: {from: alice, to: bob, text: hi}
    expect: blocked
  - send: {from: alcie, to: bob, txt: hi}
  - expect: {veiw: {user: alice, with: bob}, messages: []}
  - expect: blocked
  - block: {user: bob, target: alice, expect: blokced}
`, []string{
			`s.yaml:5:5: steps[0]: unknown action "sned" (did you mean "send"?)`,
			`s.yaml:6:5: steps[1]: a step needs one key (an action, advance or expect), got none`,
			`s.yaml:8:5: steps[2]: a step has exactly one key, got 2 (send, expect); put the outcome inside the action: send: {..., expect: ...}`,
			`s.yaml:9:18: steps[3].send.from: unknown user "alcie" (did you mean "alice"?)`,
			`s.yaml:9:34: steps[3].send: unknown key "txt" (did you mean "text"?)`,
			`s.yaml:10:14: steps[4].expect: unknown key "veiw" (did you mean "view"?)`,
			`s.yaml:11:13: steps[5].expect: an expected outcome goes inside its action, like send: {..., expect: blocked}; an expect step is a check such as {view: {...}, messages: [...]}`,
			`s.yaml:12:47: steps[6].block.expect: unknown outcome code "blokced" (did you mean "blocked"?)`,
		}},
		{"group and message names", `
users: [alice, bob, carol]
steps:
  - send: {from: alice, group: team, text: hi}
  - create_group: {owner: alice, name: team, members: [bob, carol]}
  - delete: {user: alice, message: m1}
  - send: {from: alice, to: bob, text: x, as: m1}
  - edit: {user: alice, message: m2, text: y}
  - leave_group: {user: bob, group: crew}
  - create_group: {owner: bob, name: team, members: [alice]}
  - create_group: {owner: bob, name: carol, members: [alice]}
  - send: {from: bob, to: alice, text: z, as: m1}
  - expect: {inbox: {user: alice}, threads: [bob, team, zed]}
  - read: {user: carol, group: tema}
`, []string{
			`s.yaml:4:32: steps[0].send.group: group "team" is used before its create_group step (line 5)`,
			`s.yaml:6:36: steps[2].delete.message: message "m1" is used before the send that names it (line 7)`,
			`s.yaml:8:34: steps[4].edit.message: unknown message "m2"; name a message with as: on its send step`,
			`s.yaml:9:37: steps[5].leave_group.group: unknown group "crew"; no create_group step names it`,
			`s.yaml:10:38: steps[6].create_group.name: group "team" is already created (first at 5:40)`,
			`s.yaml:11:38: steps[7].create_group.name: group name "carol" is also a user name; inbox checks could not tell them apart`,
			`s.yaml:12:47: steps[8].send.as: message name "m1" is already taken (first at 7:47)`,
			`s.yaml:13:57: steps[9].expect.threads[2]: unknown thread "zed"; want one of alice, bob, carol, team`,
			`s.yaml:14:32: steps[10].read.group: unknown group "tema" (did you mean "team"?)`,
		}},
		{"users and connections", `
users: [alice, bob, alice, "", 42]
connections: [[alice, bob], [alice, dave], [bob, bob], [alice], [bob, alice]]
steps: []
`, []string{
			`s.yaml:2:21: users[2]: duplicate user "alice" (first at 2:9)`,
			`s.yaml:2:28: users[3]: a name must not be empty`,
			`s.yaml:2:32: users[4]: want a name, got the number 42 (quote it to make it a string)`,
			`s.yaml:3:37: connections[1][1]: unknown user "dave"; want one of alice, bob`,
			`s.yaml:3:50: connections[2]: a user cannot be connected to themself (bob)`,
			`s.yaml:3:56: connections[3]: a connection is a pair of users, got 1 name`,
			`s.yaml:3:65: connections[4]: connection bob-alice listed twice (first at 3:15)`,
		}},
		{"users as a count", `
users: 1000
steps: []
`, []string{
			`s.yaml:2:8: users: want a list of user names, got the number 1000; for a generated population write population: {users: 1000}`,
		}},
		{"step naming undeclared users", `
steps:
  - connect: {user: alice, target: bob}
`, []string{
			`s.yaml:3:21: steps[0].connect.user: unknown user "alice"; the file defines no users (add users: [...])`,
			`s.yaml:3:36: steps[0].connect.target: unknown user "bob"; the file defines no users (add users: [...])`,
		}},
		{"durations", `
users: [a]
steps:
  - advance: 90
  - advance: 5 minutes
  - advance: 0s
  - advance: -1h
`, []string{
			`s.yaml:4:14: steps[0].advance: want a duration with a unit (ns, us, ms, s, m, h, d), like 90s, 2m, 1h30m or 2d, got the number 90`,
			`s.yaml:5:14: steps[1].advance: want a duration with a unit (ns, us, ms, s, m, h, d), like 90s, 2m, 1h30m or 2d, got "5 minutes"`,
			`s.yaml:6:14: steps[2].advance: must be positive, got 0`,
			`s.yaml:7:14: steps[3].advance: must not be negative, got -1h`,
		}},
		{"action and check fields", `
users: [alice, bob]
steps:
  - send: {from: alice, to: bob, group: team, text: hi}
  - send: {from: alice, text: hi}
  - send: {from: alice, to: bob}
  - delete: {user: alice, message: m, for: all}
  - read: {user: alice}
  - notifications: {user: alice, enabled: yes}
  - connect: {user: alice}
  - expect: {unread: {user: alice, with: bob}, messages: []}
  - expect: {connected: [alice], value: maybe}
  - expect: {view: {user: alice, with: bob}, inbox: {user: bob}, messages: []}
`, []string{
			`s.yaml:4:34: steps[0].send: send takes to or group, not both`,
			`s.yaml:5:11: steps[1].send: send needs to (a user) or group`,
			`s.yaml:6:11: steps[2].send: send needs text`,
			`s.yaml:7:36: steps[3].delete.message: unknown message "m"; name a message with as: on its send step`,
			`s.yaml:7:44: steps[3].delete.for: unknown delete scope "all"; want one of me, everyone`,
			`s.yaml:8:11: steps[4].read: read needs with (a user) or group`,
			`s.yaml:9:43: steps[5].notifications.enabled: want true or false, got "yes"`,
			`s.yaml:10:14: steps[6].connect: connect needs target`,
			`s.yaml:11:48: steps[7].expect: messages does not belong to an unread check; it takes count`,
			`s.yaml:12:25: steps[8].expect.connected: connected takes two users, got 1 name`,
			`s.yaml:12:41: steps[8].expect.value: want true or false, got "maybe"`,
			`s.yaml:13:46: steps[9].expect: one check per expect step; this one has view and inbox`,
		}},
		{"population graph and groups", `
population:
  users: 100
  userz: 5
  graph: {model: small-world, mean_degree: 100, rewire: 0.2}
  groups: {count: 10, size: [12, 3]}
`, []string{
			`s.yaml:4:3: population: unknown key "userz" (did you mean "users"?)`,
			`s.yaml:5:18: population.graph.model: unknown graph model "small-world"; want one of barabasi-albert, erdos-renyi, watts-strogatz`,
			`s.yaml:5:44: population.graph.mean_degree: must be less than population.users (100), got 100`,
			`s.yaml:5:49: population.graph.rewire: rewire applies only to the watts-strogatz model, not barabasi-albert`,
			`s.yaml:6:29: population.groups.size: min 12 is above max 3`,
		}},
		{"group size bounds and rewire share", `
population:
  users: 10
  graph: {model: watts-strogatz, rewire: 1.5}
  groups: {count: 5, size: [2, 60]}
`, []string{
			`s.yaml:4:42: population.graph.rewire: must be between 0 and 1, got 1.5`,
			`s.yaml:5:29: population.groups.size[0]: must be at least 3, got 2`,
			`s.yaml:5:32: population.groups.size[1]: must be at most 50, got 60`,
		}},
		{"mean degree and group count past their bounds", `
population:
  users: 100000000
  graph: {mean_degree: 40000}
  groups: {count: 4294967296}
`, []string{
			`s.yaml:4:24: population.graph.mean_degree: must be at most 30000 (LinkedIn's cap on a member's connections), got 40000`,
			`s.yaml:5:19: population.groups.count: must be at most 2147483647, got 4294967296`,
		}},
		{"groups larger than the population", `
population:
  users: 4
  groups: {count: 1, size: 5}
`, []string{
			`s.yaml:4:28: population.groups.size: groups of at least 5 members need at least 5 users, population.users is 4`,
		}},
		{"workload rate, mix and phases", `
population: {users: 1000}
workload:
  duration: 24h
  actions_per_user_per_day: 0
  mix: {send: 70, raed: 10, post: -1}
  phases:
    - {duration: 1h, rate: 0.2}
    - {duration: 22h, rate: 1}
`, []string{
			`s.yaml:5:29: workload.actions_per_user_per_day: must be positive, got 0`,
			`s.yaml:6:19: workload.mix: unknown key "raed" (did you mean "read"?)`,
			`s.yaml:6:35: workload.mix.post: a weight must not be negative, got -1`,
			`s.yaml:7:3: workload.phases: the phases add up to 23h but workload.duration is 24h; they must cover it exactly`,
		}},
		{"behaviours", `
population: {users: 1000}
workload:
  behaviours:
    regret: {share: 1.5, delay: {median: 2h, p99: 2m}, for: all}
    block_storm: {at: 30h, users: 5000}
    report_wave: {at: 1h, share: 0.5}
`, []string{
			`s.yaml:5:21: workload.behaviours.regret.share: must be between 0 and 1, got 1.5`,
			`s.yaml:5:51: workload.behaviours.regret.delay.p99: must not be below the median (2h), got 2m`,
			`s.yaml:5:61: workload.behaviours.regret.for: unknown delete scope "all"; want one of me, everyone`,
			`s.yaml:6:23: workload.behaviours.block_storm.at: 30h is not before the end of the workload (24h)`,
			`s.yaml:6:35: workload.behaviours.block_storm.users: must be at most population.users (1000), got 5000`,
			`s.yaml:7:5: workload.behaviours.report_wave: a report wave reports spammers; add a spam_wave`,
		}},
		{"mix with no positive weight", `
population: {users: 1000}
workload:
  mix: {send: 0, read: 0}
`, []string{
			`s.yaml:4:8: workload.mix: the weights add up to 0; at least one must be positive`,
		}},
		{"mode, pace, seed and thresholds", `
users: [a]
steps: []
mode: paralel
pace: fast
seed: -3
thresholds: ["throughput >= 200000", "p99 < 5ms", "p99_latency < 5", "violations", "violations == lots"]
`, []string{
			`s.yaml:4:7: mode: unknown mode "paralel" (did you mean "parallel"?)`,
			`s.yaml:5:7: pace: want max, a speedup like 60x or a rate like 50000/s, got "fast"`,
			`s.yaml:6:7: seed: want an integer from 0 to 18446744073709551615, got the number -3`,
			`s.yaml:7:38: thresholds[1]: threshold "p99 < 5ms": unknown metric "p99" (did you mean "p99_latency"?)`,
			`s.yaml:7:51: thresholds[2]: threshold "p99_latency < 5": p99_latency needs a duration with a unit, like 5ms, 250us or 1s`,
			"s.yaml:7:70: thresholds[3]: threshold \"violations\" has no comparison; want `metric op value` with op one of <= >= == != < >, like \"p99_latency < 5ms\"",
			`s.yaml:7:84: thresholds[4]: threshold "violations == lots": value "lots" is not a number`,
		}},
		{"second document", `users: [a]
steps: []
---
users: [b]
`, []string{
			`s.yaml:3:1: a second YAML document; a scenario file holds exactly one`,
		}},
		{"yaml syntax", `users: [a, b]
steps:
  - send: {from: a, to: b, text: "hi}
`, []string{
			`s.yaml:3:1: invalid YAML: found unexpected end of stream`,
		}},
		{"duplicate key", `users: [a]
steps: []
users: [b]
`, []string{
			`s.yaml:3:1: users: duplicate key (first at 1:1)`,
		}},
		{"workload without population", `workload: {duration: 1h}
`, []string{
			`s.yaml:1:1: workload: a workload drives generated users; add a population`,
		}},
		{"nothing to run", `name: idle
users: [a, b]
`, []string{
			`s.yaml:1:1: nothing to run: a scenario needs steps (a script) or a population`,
		}},
		{"empty file", ``, []string{
			`s.yaml:1:1: the file is empty; a scenario is a mapping with steps (a script) or a population`,
		}},
		{"not a mapping", `- send: {from: a, to: b}
`, []string{
			`s.yaml:1:1: want a mapping with keys name, policy, cohorts, users, connections, steps, population, workload, pace, mode, seed, thresholds, got a list`,
		}},
		{"steps as a mapping", `users: [a, b]
steps:
  send: {from: a, to: b, text: hi}
`, []string{
			`s.yaml:3:3: steps: want a list of steps, got a mapping`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := loadErrors(t, tt.src)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{Pos: Pos{"s.yaml", 7, 10}, Path: "population.users", Msg: "must be at least 1, got 0"}
	if got, want := e.Error(), "s.yaml:7:10: population.users: must be at least 1, got 0"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	top := &Error{Pos: Pos{"", 1, 1}, Msg: "the file is empty"}
	if got, want := top.Error(), "1:1: the file is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	list := ErrorList{e, top}
	list.sort()
	if list[0] != top {
		t.Errorf("sort did not put 1:1 first")
	}
	var target *Error
	if !errors.As(error(list), &target) || target != top {
		t.Errorf("errors.As found %v, want the first error", target)
	}
}
