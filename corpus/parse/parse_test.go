package parse

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// parseSeed parses an embedded seed document with its manifest entry.
func parseSeed(t testing.TB, id string) *corpus.Document {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), "seeds/"+id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseDefault(manifestMeta(t, id), data)
	if err != nil {
		t.Fatalf("parse %s: %v", id, err)
	}
	return d
}

// manifestMeta returns the manifest entry of a seed document.
func manifestMeta(t testing.TB, id string) corpus.Meta {
	t.Helper()
	man, err := corpus.ReadManifest(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range man.Documents {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("no manifest entry for %s", id)
	return corpus.Meta{}
}

// renderDoc renders everything the parser decided about a document in a
// form meant to be read in a diff: metadata, what was stripped, page-break
// joins, unit counts, the outline, tables and every unit.
func renderDoc(t testing.TB, id string) []byte {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), "seeds/"+id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	d := parseSeed(t, id)
	var w bytes.Buffer
	fmt.Fprintf(&w, "# %s\n\n", id)
	fmt.Fprintf(&w, "title:      %s\ndistrict:   %s\nissuer:     %s\ndoc_number: %s\nissue_date: %s\nyear:       %d\n\n",
		d.Title, d.District, d.Issuer, d.DocNumber, d.IssueDate, d.Year)

	counts := map[corpus.UnitType]int{}
	parts := map[string]int{}
	for _, u := range d.Units {
		counts[u.Type]++
		parts[u.Part]++
	}
	fmt.Fprintf(&w, "units: %d (section %d, clause %d, task %d, table_row %d)\n", len(d.Units),
		counts[corpus.TypeSection], counts[corpus.TypeClause], counts[corpus.TypeTask], counts[corpus.TypeTableRow])
	fmt.Fprintf(&w, "parts:")
	for _, p := range corpus.Parts {
		fmt.Fprintf(&w, " %s %d", p, parts[p])
	}
	fmt.Fprintf(&w, "\n\n## stripped lines (line: reason: text)\n")
	text, _ := decode(id, data)
	raw := strings.Split(text, "\n")
	m := applyManifest(inferMeta(raw, readHeaderFields(raw)), manifestMeta(t, id))
	c := clean(raw, readHeaderFields(raw), m.Title, inferMeta(raw, readHeaderFields(raw)).Title)
	for _, s := range c.stripped {
		fmt.Fprintf(&w, "%d: %s: %s\n", s.Line+1, s.Reason, clip(strings.TrimSpace(s.Text), 50))
	}

	b := newBuilder(&corpus.Document{Meta: m}, c.lines)
	b.run()
	fmt.Fprintf(&w, "\n## page-break joins (line: end | start)\n")
	for _, j := range b.joins {
		fmt.Fprintf(&w, "%d: %s | %s\n", j.Line+1, j.Before, j.After)
	}

	fmt.Fprintf(&w, "\n## outline\n")
	var walk func(secs []*corpus.Section, depth int)
	walk = func(secs []*corpus.Section, depth int) {
		for _, s := range secs {
			_, p, _ := corpus.SplitUnitID(s.ID)
			fmt.Fprintf(&w, "%s[%s] L%d %s|%s\n", strings.Repeat("  ", depth), p, s.Level, s.Label, s.Title)
			walk(s.Children, depth+1)
		}
	}
	walk(d.Outline, 0)

	fmt.Fprintf(&w, "\n## tables (id: rows × columns: header)\n")
	for _, tb := range d.Tables {
		fmt.Fprintf(&w, "%s: %d × %d: %s\n", tb.ID, len(tb.Rows), len(tb.Header), strings.Join(tb.Header, " | "))
	}

	fmt.Fprintf(&w, "\n## units (path type part: citation | title | text)\n")
	for _, u := range d.Units {
		owners := ""
		if len(u.Owners) > 0 {
			owners = " owners=" + strings.Join(u.Owners, "、")
		}
		fmt.Fprintf(&w, "%s %s %s: %s | %s | %s%s\n", u.Path, u.Type, u.Part,
			strings.TrimPrefix(u.Citation, "《"+d.Title+"》"), u.Title, clip(strings.ReplaceAll(u.Text, "\n", "⏎"), 24), owners)
	}
	return w.Bytes()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// TestParseGolden compares everything the parser decides about each seed
// document with testdata/golden/corpus/{doc}.txt. Regenerate with
// go test ./corpus/parse -run TestParseGolden -update and review the diff.
func TestParseGolden(t *testing.T) {
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			got := renderDoc(t, id)
			path := filepath.Join("..", "..", "testdata", "golden", "corpus", id+".txt")
			checkGoldenFile(t, path, got)
		})
	}
}

// firstDiff returns the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, a, b)
		}
	}
	return ""
}
