package search

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestResponseJSONHasNoNulls checks that list fields of the API are JSON
// arrays even when empty, so clients never have to handle null.
func TestResponseJSONHasNoNulls(t *testing.T) {
	f := seeds(t)
	for _, q := range []string{"district:巫溪县", "district:不存在的区县", `"不存在的短语XYZ"`} {
		resp := search(t, f.svc, Request{Query: q, Limit: 1})
		b, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("%s: response JSON contains null: %s", q, b)
		}
	}
}
