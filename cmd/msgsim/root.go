package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// run is the whole command: main only adds the process around it, so tests
// run it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:   "msgsim",
		Short: "Actor-based simulator of professional-network direct messaging",
		Long: `msgsim runs messaging scenarios on protoactor actors: behaviour scripts with
expectations, generated load tests of up to millions of users, and policy
experiments, while it checks visibility invariants and exports Prometheus
metrics.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	root.AddCommand(runCmd(stdout, stderr), validateCmd(stdout), policiesCmd(stdout), benchCmd(stdout), compareCmd(stdout, stderr))
	err := root.Execute()
	if err != nil && err != failed {
		fmt.Fprintln(stderr, "msgsim:", err)
	}
	return codeOf(err)
}
