package runner_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/msgsim/msgsim/runner"
)

// TestMeasuresInREADME: the README's "Policy experiments" section defines
// every measure in the sentence the reports and the HTML page use.
func TestMeasuresInREADME(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "## Policy experiments")
	if start < 0 {
		t.Fatal(`the README has no "Policy experiments" section`)
	}
	section := readme[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	for _, row := range runner.Rows(nil) {
		if !row.IsMeasure() {
			continue
		}
		doc := []rune(row.Doc)
		doc[0] = unicode.ToUpper(doc[0])
		want := "| " + row.Name + " | " + string(doc) + ". |"
		if !strings.Contains(section, want) {
			t.Errorf("the README does not define %s as\n%s", row.Name, want)
		}
	}
}
