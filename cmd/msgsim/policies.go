package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/sim"
)

func policiesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "policies",
		Short: "List the policy presets and their knobs",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			names := sim.PresetNames()
			w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprint(w, "knob")
			for _, n := range names {
				fmt.Fprintf(w, "\t%s", n)
			}
			fmt.Fprintln(w)
			for _, k := range sim.Knobs() {
				fmt.Fprint(w, k.Name)
				for _, n := range names {
					p, _ := sim.Preset(n)
					fmt.Fprintf(w, "\t%s", k.Get(p))
				}
				fmt.Fprintln(w)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "\nknobs:")
			for _, k := range sim.Knobs() {
				fmt.Fprintf(stdout, "  %-26s %-8s %s\n", k.Name, k.Kind, k.Doc)
			}
			fmt.Fprintln(stdout, "\nsources:")
			for _, n := range names {
				fmt.Fprintf(stdout, "  %-16s %s\n", n, sim.PresetSource(n))
			}
			return nil
		},
	}
}
