package hugepages

import "testing"

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{
		"always [madvise] never\n": Madvise,
		"[always] madvise never":   Always,
		"always madvise [never]":   Never,
		"always madvise never":     Unknown,
		"[sometimes]":              Unknown,
		"":                         Unknown,
	} {
		if got := parseMode(in); got != want {
			t.Errorf("parseMode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWanted(t *testing.T) {
	for _, tc := range []struct {
		mode             Mode
		godebug, setting string
		want             bool
	}{
		{Madvise, "", "", true},
		{Madvise, "gctrace=1", "on", true},
		{Always, "", "", false}, // the kernel does it already
		{Never, "", "", false},
		{Unknown, "", "", false},
		{Madvise, "gctrace=1,disablethp=1", "", false},
		{Madvise, "", "off", false},
		{Madvise, "", "0", false},
	} {
		if got := wanted(tc.mode, tc.godebug, tc.setting); got != tc.want {
			t.Errorf("wanted(%q, %q, %q) = %v, want %v", tc.mode, tc.godebug, tc.setting, got, tc.want)
		}
	}
}
