package report

import "html/template"

// head is the top every page starts with: its metadata, its title and
// subtitle, and the style rules the pages share. A page defines the rules
// of its own in a template "style", which head places after the shared
// ones.
const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>msgsim · {{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; }
.subtitle, .note { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; }
thead th { border-bottom: 2px solid #888; text-align: right; }
thead th:first-child, tbody th { text-align: left; font-weight: normal; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.delta { color: #777; font-size: 12px; margin-left: 0.4em; }
.grid { display: flex; flex-wrap: wrap; gap: 8px; }
figure { margin: 0 0 1em 0; }
figure.measure { width: 250px; }
figcaption { font-size: 12px; color: #555; max-width: 660px; }
svg { max-width: 100%; height: auto; }
.legend { font-size: 13px; } .swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
dt { font-weight: bold; margin-top: 0.5em; }
{{template "style" .}}</style>
</head>
<body>
<h1>msgsim · {{.Title}}</h1>
<p class="subtitle">{{.Subtitle}}</p>`

// parsePage parses the template of a page, which calls {{template "head" .}}
// and defines its "style", together with head.
func parsePage(name, text string) *template.Template {
	t := template.Must(template.New(name).Parse(text))
	template.Must(t.New("head").Parse(head))
	return t
}
