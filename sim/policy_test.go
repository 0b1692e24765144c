package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestKnobGetFormatsDurations(t *testing.T) {
	k, _ := LookupKnob("delete_window")
	for d, want := range map[time.Duration]string{0: "0", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 10 * time.Minute: "10m", 90 * time.Second: "1m30s", 60 * time.Hour: "60h"} {
		p := Linkedin()
		if err := k.Set(&p, d); err != nil {
			t.Fatal(err)
		}
		if got := k.Get(p); got != want {
			t.Errorf("%v formats as %q, want %q", d, got, want)
		}
	}
}

func TestPresetsDocumented(t *testing.T) {
	for _, n := range PresetNames() {
		p, ok := Preset(n)
		if !ok || p.Name != n || PresetSource(n) == "" {
			t.Errorf("preset %q: found %v, name %q, source %q", n, ok, p.Name, PresetSource(n))
		}
	}
}

// TestKnobSetChecksTheKind: a value of another type than the knob's kind
// is refused, and the policy is left as it was.
func TestKnobSetChecksTheKind(t *testing.T) {
	type myBool bool
	for _, tc := range []struct {
		knob string
		v    any
	}{
		{"edit", "true"},
		{"edit", myBool(true)},
		{"edit", nil},
		{"delete_window", int64(time.Minute)},
		{"delete_window", 60},
		{"edit_limit", uint(3)},
		{"edit_limit", int64(3)},
		{"tombstone_self", []byte("gone")},
	} {
		k, ok := LookupKnob(tc.knob)
		if !ok {
			t.Fatalf("no knob %s", tc.knob)
		}
		p := Linkedin()
		if err := k.Set(&p, tc.v); err == nil {
			t.Errorf("%s.Set(%T): no error", tc.knob, tc.v)
		} else if !strings.Contains(err.Error(), fmt.Sprintf("got %T", tc.v)) {
			t.Errorf("%s.Set(%T): %v", tc.knob, tc.v, err)
		}
		if p != Linkedin() {
			t.Errorf("%s.Set(%T) changed the policy: %+v", tc.knob, tc.v, p)
		}
	}
}
