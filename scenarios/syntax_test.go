package scenarios

import (
	"strings"
	"testing"
)

// TestSyntaxErrorLines: yaml.v3's parser counts lines from 0 and its
// scanner from 1; both must come out as the line of the file.
func TestSyntaxErrorLines(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"name: x\nusers: [alice, bob\nsteps: []\n", "s.yaml:2:1: "}, // parser
		{"name: x\nusers: [alice]\n\tsteps: []\n", "s.yaml:3:1: "},   // scanner: a tab
		{"name: x\nusers: {alice: 1\nsteps: []\n", "s.yaml:2:1: "},   // parser
	} {
		_, err := Load("s.yaml", []byte(c.src))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %s...", c.src, err, c.want)
		}
	}
}
