package scenarios

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// render writes n in YAML flow style on one line, keeping each scalar's
// quoting where one line allows it. bare leaves out the braces of a top
// mapping, so that a step reads `send: {from: alice, ...}`.
func render(n *yaml.Node, bare bool) string {
	var b strings.Builder
	renderTo(&b, n, bare, 0)
	return b.String()
}

// maxRenderDepth bounds the recursion on deeply nested flow collections.
const maxRenderDepth = 100

func renderTo(b *strings.Builder, n *yaml.Node, bare bool, depth int) {
	if depth > maxRenderDepth {
		b.WriteString("...")
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		if !bare {
			b.WriteByte('{')
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, n.Content[i], false, depth+1)
			b.WriteString(": ")
			renderTo(b, n.Content[i+1], false, depth+1)
		}
		if !bare {
			b.WriteByte('}')
		}
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, c, false, depth+1)
		}
		b.WriteByte(']')
	case yaml.AliasNode:
		b.WriteString("*" + n.Value)
	case yaml.ScalarNode:
		b.WriteString(renderScalar(n))
	}
}

func renderScalar(n *yaml.Node) string {
	v := n.Value
	oneLine := !strings.ContainsAny(v, "\n\r")
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return strconv.Quote(v)
	case n.Style&yaml.SingleQuotedStyle != 0 && oneLine:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle|yaml.SingleQuotedStyle) != 0:
		return strconv.Quote(v)
	case !oneLine || strings.ContainsAny(v, ",[]{}") || strings.Contains(v, ": ") || strings.Contains(v, " #"):
		return strconv.Quote(v) // a plain scalar that flow style would misread
	}
	return v
}
