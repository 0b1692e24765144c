package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/msgsim/msgsim/report"
)

// TestMeasuresInDocs: the "Measures" section of docs/measures.md (the
// page the README's "Policy experiments" links for them) defines every
// measure in the sentence the reports and the HTML page use.
func TestMeasuresInDocs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "measures.md"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	start := strings.Index(page, "\n## Measures\n")
	if start < 0 {
		t.Fatal(`docs/measures.md has no "Measures" section`)
	}
	section := page[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	for _, row := range report.Rows(nil) {
		if !row.IsMeasure() {
			continue
		}
		doc := []rune(row.Doc)
		doc[0] = unicode.ToUpper(doc[0])
		want := "| " + row.Name + " | " + string(doc) + ". |"
		if !strings.Contains(section, want) {
			t.Errorf("docs/measures.md does not define %s as\n%s", row.Name, want)
		}
	}
}
