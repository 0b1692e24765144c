package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TerminalSafe returns a writer that writes to w what it is given with
// every control character escaped but newlines and tabs (terminalSafe).
func TerminalSafe(w io.Writer) io.Writer { return terminalSafe{w} }

// terminalSafe writes text with every control character escaped but
// newlines and tabs: the names and texts a scenario brings (its name,
// user names, message texts, threshold sources) cannot retitle the
// terminal, clear it or move the cursor to overwrite a FAIL with a PASS.
// msgsim's own text has no other control characters. Each Write is
// escaped on its own: a character split between two writes would be
// escaped byte by byte, and fmt writes whole strings.
type terminalSafe struct{ w io.Writer }

func (t terminalSafe) Write(p []byte) (int, error) {
	if clean(p, "\n\t") {
		return t.w.Write(p)
	}
	if _, err := io.WriteString(t.w, escapeExcept(string(p), "\n\t")); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Escape returns s with every control character escaped, newlines too:
// for a name or a text from a scenario that must stay on its line.
func Escape(s string) string {
	if clean([]byte(s), "") {
		return s
	}
	return escapeExcept(s, "")
}

// clean reports whether p is valid UTF-8 without control characters other
// than those in keep.
func clean(p []byte, keep string) bool {
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if (r == utf8.RuneError && size == 1) || (control(r) && !strings.ContainsRune(keep, r)) {
			return false
		}
		i += size
	}
	return true
}

// control reports whether a terminal may act on r: C0 and C1 control
// characters, DEL, and the bidirectional overrides and isolates that
// reorder what follows them on the line.
func control(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// escapeExcept writes each control character not in keep as Go writes it
// in a string literal (\x1b, \r, \u009b), and each byte of invalid UTF-8
// as \xNN.
func escapeExcept(s, keep string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !control(r) || strings.ContainsRune(keep, r):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}
