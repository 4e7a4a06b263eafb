package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/indexer"
)

// TestSearchRebuildsDamagedIndex: `zhengce search` on a damaged index
// rebuilds it and answers, whatever the kind of query — quoted phrases
// only and filters only (which open the index without the segmenter) as
// well as bare words (guarantee 1.2).
func TestSearchRebuildsDamagedIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilds the seed index once per query kind")
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"quoted_only", []string{`"集团化办学"`}},
		{"filter_only", []string{"区县:巫溪县"}},
		{"filter_flag_only", []string{"--district", "巫溪县"}},
		{"mixed", []string{`"集团化办学"`, "教师"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyIndex(t, cliIndex(t))
			damage(t, dir)
			args := append([]string{"search", "--index", dir, "--json", "--limit", "1"}, tt.args...)
			out, errOut, err := runCLI(t, args...)
			if err != nil {
				t.Fatalf("zhengce %s: %v\n%s", strings.Join(args, " "), err, errOut)
			}
			var res struct {
				Total int `json:"total"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil || res.Total == 0 {
				t.Errorf("answer %d results (%v):\n%s", res.Total, err, out)
			}
			if !strings.Contains(errOut, "建立索引") {
				t.Errorf("search did not rebuild the damaged index:\n%s", errOut)
			}
			idx, _, err := indexer.OpenIndex(dir)
			if err != nil {
				t.Fatalf("index after search: %v", err)
			}
			idx.Close()
		})
	}
}
