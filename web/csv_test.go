package web

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search/export"
)

// checkGuarded fails when a CSV cell could run as a formula: every cell
// starting with = + - @ TAB CR or ＝ ＋ － ＠ must be a number of a
// numeric column; and each of the want prefixes must start some cell,
// guarded by an apostrophe.
func checkGuarded(t *testing.T, body string, want []string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("%d rows", len(rows))
	}
	numeric := map[string]bool{"baseline_year": true, "baseline_value": true, "target_year": true, "target_value": true, "target_max": true}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		for i, cell := range r {
			for _, w := range want {
				if strings.HasPrefix(cell, "'"+w) {
					seen[w] = true
				}
			}
			if cell == "" || !strings.ContainsAny(cell[:1], "=+-@\t\r") && !strings.HasPrefix(cell, "＝") &&
				!strings.HasPrefix(cell, "＋") && !strings.HasPrefix(cell, "－") && !strings.HasPrefix(cell, "＠") {
				continue
			}
			if _, err := strconv.ParseFloat(cell, 64); err == nil && numeric[rows[0][i]] {
				continue
			}
			t.Errorf("column %s: unguarded cell %q", rows[0][i], cell)
		}
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no guarded cell starting with %q", w)
		}
	}
}

// injectionWant are the starts of the hostile cells of
// search/export/testdata/injection.
var injectionWant = []string{`=HYPERLINK(`, `+cmd|`, `-2+3`, `@SUM`, "\t=1", `＝1`}

// TestTargetsCSVInjection: /targets.csv and /api/targets?format=csv over
// real HTTP guard every cell of a corpus written to attack spreadsheets
// (the same writer as `zhengce targets --csv`).
func TestTargetsCSVInjection(t *testing.T) {
	c, err := parse.Load(os.DirFS("../search/export/testdata/injection"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets(corpus.TargetFilter{})) < 5 {
		t.Fatalf("the injection corpus yields %d targets", len(c.Targets(corpus.TargetFilter{})))
	}
	s, err := New(Config{Corpus: c, Searcher: bruteSearcher{c}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, path := range []string{"/targets.csv", "/api/targets?format=csv"} {
		t.Run(path, func(t *testing.T) {
			res, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if !strings.HasPrefix(string(b), "\uFEFF"+strings.Join(export.TargetHeader(), ",")) {
				t.Errorf("not the shared CSV: %.100q", b)
			}
			checkGuarded(t, string(b), injectionWant)
		})
	}
}
