package report

import "encoding/json"

// JSON returns v as msgsim writes its JSON files (a Report, a Comparison,
// a bench's figures): indented by two spaces, with a final newline. The
// field names are the types' own tags.
func JSON(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
