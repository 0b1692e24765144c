package scenarios

import (
	"strings"
	"testing"
)

func TestRegretFallback(t *testing.T) {
	s, err := Load("s.yaml", []byte(`population: {users: 10}
workload:
  behaviours:
    regret: {share: 0.1, for: everyone, fallback: me}
`))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Workload.Regret; !r.Everyone || !r.Fallback {
		t.Errorf("regret %+v", r)
	}
	for src, want := range map[string]string{
		"regret: {share: 0.1, fallback: me}":                      `s.yaml:4:26: workload.behaviours.regret.fallback: a fallback follows a delete for everyone; add for: everyone`,
		"regret: {share: 0.1, for: everyone, fallback: everyone}": `s.yaml:4:51: workload.behaviours.regret.fallback: unknown fallback "everyone"; want one of me`,
	} {
		got := strings.Join(loadErrors(t, "population: {users: 10}\nworkload:\n  behaviours:\n    "+src+"\n"), "\n")
		if got != want {
			t.Errorf("%s:\n%s\nwant\n%s", src, got, want)
		}
	}
}
