package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/scenarios"
)

func validateCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and report every problem with its file:line:col",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, f := range args {
				sc, err := load(f)
				if err != nil {
					bad++
					fmt.Fprintln(cmd.ErrOrStderr(), err)
					continue
				}
				fmt.Fprintf(stdout, "%s: ok (%s)\n", f, describe(sc))
			}
			if bad > 0 {
				return &exitError{code: exitInput, err: fmt.Errorf("%d of %d files invalid", bad, len(args))}
			}
			return nil
		},
	}
}

// load reads and loads a scenario file; "" is the embedded default.
func load(path string) (*scenarios.Scenario, error) {
	name, data := scenarios.DefaultName, scenarios.Default
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, inputError(err)
		}
		name = path
	}
	sc, err := scenarios.Load(name, data)
	if err != nil {
		var list scenarios.ErrorList
		if errors.As(err, &list) {
			return nil, inputError(fmt.Errorf("%d problem(s):\n%w", len(list), err))
		}
		return nil, inputError(err)
	}
	return sc, nil
}

// describe says in a few words what a scenario holds.
func describe(sc *scenarios.Scenario) string {
	s := fmt.Sprintf("policy %s", sc.Policy.Name)
	if len(sc.Steps) > 0 {
		s += fmt.Sprintf(", %d users, %d steps", len(sc.Users), len(sc.Steps))
	}
	if sc.Population != nil {
		s += fmt.Sprintf(", population of %d", sc.Population.Users)
	}
	return s
}
