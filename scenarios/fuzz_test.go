package scenarios

import (
	"errors"
	"os"
	"sync"
	"testing"
)

// FuzzLoad: whatever the input, Load returns either a scenario or a sorted,
// positioned ErrorList, never both and never a panic; a scenario it returns
// only uses ids that exist.
func FuzzLoad(f *testing.F) {
	for _, file := range examples(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(everyAction))
	f.Add([]byte("users: &u [a, b]\nsteps: [{send: {<<: {from: a}, to: b, text: x}}, {create_group: {owner: a, name: g, members: *u}}]\n"))
	f.Add([]byte("population: {users: 3, graph: {model: watts-strogatz}}\nworkload: {phases: [{duration: 1d, rate: 1}]}\n"))
	f.Add([]byte("a: 1\n---\nb: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("f.yaml", data)
		if (s == nil) == (err == nil) {
			t.Fatalf("Load returned scenario %v and error %v", s, err)
		}
		if err != nil {
			checkErrorList(t, err)
			return
		}
		checkIDs(t, s)
	})
}

func checkErrorList(t *testing.T, err error) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
	}
	for i, e := range list {
		if e.Pos.File != "f.yaml" || e.Pos.Line < 1 || e.Pos.Col < 1 || e.Msg == "" {
			t.Fatalf("bad error %q at %+v", e.Error(), e.Pos)
		}
		if i > 0 && (e.Pos.Line < list[i-1].Pos.Line || e.Pos.Line == list[i-1].Pos.Line && e.Pos.Col < list[i-1].Pos.Col) {
			t.Fatalf("errors out of order:\n%v", list)
		}
	}
}

func checkIDs(t *testing.T, s *Scenario) {
	t.Helper()
	users := uint32(len(s.Users))
	for _, c := range s.Connections {
		if uint32(c[0]) >= users || uint32(c[1]) >= users || c[0] == c[1] {
			t.Fatalf("connection %v with %d users", c, users)
		}
	}
	for i, st := range s.Steps {
		set := 0
		for _, b := range []bool{st.Op != nil, st.Advance > 0, st.Check != nil} {
			if b {
				set++
			}
		}
		if set != 1 || st.Source == "" || st.Pos.Line < 1 {
			t.Fatalf("step %d %+v", i, st)
		}
		if st.Op != nil {
			if uint32(st.Op.User) >= users || uint32(st.Op.Target) >= users {
				t.Fatalf("step %d %s has ids beyond %d users", i, st.Source, users)
			}
			if st.Op.Thread.IsGroup() && int(st.Op.Thread.GroupNumber()) >= len(s.Groups) {
				t.Fatalf("step %d %s names group %d of %d", i, st.Source, st.Op.Thread.GroupNumber(), len(s.Groups))
			}
		}
	}
	if s.Workload != nil && s.Population == nil {
		t.Fatalf("a workload without a population")
	}
}

// TestLoadConcurrently: Load shares no state between calls, and a loaded
// Scenario can be read from many goroutines (run with -race).
func TestLoadConcurrently(t *testing.T) {
	s := mustLoad(t, everyAction)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := Load("every.yaml", []byte(everyAction)); err != nil {
				t.Error(err)
			}
			n := 0
			for _, st := range s.Steps {
				if st.Op != nil {
					n += int(st.Op.User)
				}
			}
			_ = n
		})
	}
	wg.Wait()
}
