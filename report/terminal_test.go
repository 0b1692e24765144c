package report

import (
	"bytes"
	"testing"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain · ✓":     "plain · ✓",
		"a\nb\tc":       `a\nb\tc`,
		"\x1b[31m":      `\x1b[31m`,
		"\u009b2J":      `\u009b2J`,
		"\xff":          `\xff`,
		"abc\u202edcb":  `abc\u202edcb`,
		"del\x7f":       `del\x7f`,
		"élan café 日本語": "élan café 日本語",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	var b bytes.Buffer
	if _, err := (terminalSafe{&b}).Write([]byte("line\n\ttab\x1b[2J\n")); err != nil || b.String() != "line\n\ttab\\x1b[2J\n" {
		t.Errorf("terminalSafe wrote %q, %v", b.String(), err)
	}
}
