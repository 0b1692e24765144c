package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/report"
)

// streams are what a command reads and writes. out and err escape the
// control characters of whatever a scenario put into the text they print
// (terminalSafe); tty is the raw standard error, for the progress line,
// which draws with control characters of its own.
type streams struct {
	in       io.Reader
	out, err io.Writer
	tty      io.Writer
}

// run is the whole command: main only adds the process around it, so tests
// run it in-process. Errors met before a command starts (flags, arguments,
// an unknown command) are unusable input; a panic is an internal error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	std := streams{in: stdin, out: report.TerminalSafe(stdout), err: report.TerminalSafe(stderr), tty: stderr}
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(std.err, "msgsim: internal error, please report it: %v\n%s", p, debug.Stack())
			code = exitInternal
		}
	}()
	started := false
	root := &cobra.Command{
		Use:   "msgsim",
		Short: "Actor-based simulator of professional-network direct messaging",
		Long: `msgsim runs messaging scenarios on protoactor actors: behaviour scripts with
expectations, generated load tests of up to millions of users, and policy
experiments, while it checks visibility invariants and exports Prometheus
metrics.`,
		Version:       version(debug.ReadBuildInfo()),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(*cobra.Command, []string) {
			started = true
		},
	}
	root.SetVersionTemplate("msgsim {{.Version}}\n")
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(std.out)
	root.SetErr(std.err)
	root.SetContext(ctx)
	root.AddCommand(runCmd(std), validateCmd(std), policiesCmd(std.out), benchCmd(std), compareCmd(std), nodeCmd(std))
	err := root.Execute()
	if err != nil && !started {
		err = inputError(err) // cobra refused the command line before any command ran
	}
	if err != nil && err != failed {
		fmt.Fprintln(std.err, "msgsim:", err)
	}
	return codeOf(err)
}

// version is what msgsim --version prints: the module's version and the
// commit it was built from, as the Go toolchain stamped them.
func version(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "(version unknown: built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var commit, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", with uncommitted changes"
			}
		}
	}
	if commit == "" {
		return v + " (no commit recorded: built outside a checkout, or by go run or go test)"
	}
	if at != "" {
		at = " of " + at
	}
	return fmt.Sprintf("%s (commit %s%s%s, %s)", v, commit, at, dirty, info.GoVersion)
}
