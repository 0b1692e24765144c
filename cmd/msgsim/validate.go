package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/report"
	"github.com/msgsim/msgsim/scenarios"
)

func validateCmd(std streams) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files, report every problem with its file:line:col, and estimate what each run takes",
		Long: `Check scenario files (- reads one from standard input) and report every
problem with its file:line:col. For each good file, print what it holds
and, for a population, what running it would take: users, connections,
operations, stored messages and memory, against the memory this machine
has (msgsim run refuses a scenario that needs more).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			budget := availableMemory()
			for _, f := range args {
				sc, err := load(f, std.in)
				if err != nil {
					bad++
					fmt.Fprintln(std.err, err)
					continue
				}
				fmt.Fprintf(std.out, "%s: ok (%s)\n", f, describe(sc))
				if sc.Population != nil {
					fmt.Fprintf(std.out, "  estimate: %s\n", estimateText(sc.Estimate(), budget))
				}
			}
			if bad > 0 {
				return inputError(fmt.Errorf("%d of %d files invalid", bad, len(args)))
			}
			return nil
		},
	}
}

// stdinName is what a scenario read from standard input is called in
// positions, and its default name.
const stdinName = "stdin"

// load reads and loads a scenario file: "" is the embedded default, "-"
// standard input. A file larger than scenarios.MaxSize is refused before
// it is read whole.
func load(path string, stdin io.Reader) (*scenarios.Scenario, error) {
	name, data := scenarios.DefaultName, scenarios.Default
	switch path {
	case "":
	case "-":
		var err error
		if data, err = readAtMost(stdin, stdinName); err != nil {
			return nil, err
		}
		name = stdinName
	default:
		f, err := os.Open(path)
		if err != nil {
			return nil, inputError(err)
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return nil, inputError(fmt.Errorf("%s is a directory; want a scenario file", path))
		} else if err == nil && info.Mode().IsRegular() && info.Size() > scenarios.MaxSize {
			return nil, inputError(scenarios.TooBig(path, info.Size()))
		}
		if data, err = readAtMost(f, path); err != nil {
			return nil, err
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

// readAtMost reads r to its end, refusing it once it passes
// scenarios.MaxSize: a pipe or a device has no size to look at first.
func readAtMost(r io.Reader, name string) ([]byte, error) {
	if r == nil {
		return nil, inputError(fmt.Errorf("%s: no standard input to read a scenario from", name))
	}
	data, err := io.ReadAll(io.LimitReader(r, scenarios.MaxSize+1))
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", name, err))
	}
	if len(data) > scenarios.MaxSize {
		return nil, inputError(fmt.Errorf("%s: more than %s bytes; a scenario file may be at most 10 MiB", name, report.Thousands(scenarios.MaxSize)))
	}
	return data, nil
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
