package sim

import (
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
