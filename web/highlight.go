package web

import (
	"html"
	"html/template"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// queryTerms returns the normalised texts to mark for query q, as the
// search engine's parser reads it (search.ParseQuery, Query.Terms); nil
// when it cannot parse q. The web has no query lexer of its own.
func queryTerms(q string) []string {
	pq, err := search.ParseQuery(q)
	if err != nil {
		return nil
	}
	return pq.Terms()
}

// highlight returns text HTML-escaped with every occurrence of the
// normalised terms wrapped in <mark>. Matching is on the normalised form
// (width and script folded, whitespace ignored), so a phrase broken by a
// line break in the source is still marked.
func highlight(text string, terms []string) template.HTML {
	if len(terms) == 0 || text == "" {
		return template.HTML(html.EscapeString(text))
	}
	// Most units match no term: find out on the normalised text before
	// building the rune-by-rune position map.
	whole := corpus.Normalize(text)
	found := false
	for _, t := range terms {
		found = found || t != "" && strings.Contains(whole, t)
	}
	if !found {
		return template.HTML(html.EscapeString(text))
	}
	// norm is the normalised text; start/end map each normalised rune back
	// to the byte range of the original rune it came from.
	var norm []rune
	var start, end []int
	for i, r := range text {
		if unicode.IsSpace(r) {
			continue
		}
		n := utf8.RuneLen(r)
		if n < 0 {
			n = 1
		}
		for _, f := range corpus.Fold(string(r)) {
			if unicode.IsSpace(f) {
				continue
			}
			norm = append(norm, f)
			start = append(start, i)
			end = append(end, i+n)
		}
	}
	type span struct{ a, b int }
	var spans []span
	for _, t := range terms {
		tr := []rune(t)
		if len(tr) == 0 {
			continue
		}
		for i := 0; i+len(tr) <= len(norm); i++ {
			if runesEqual(norm[i:i+len(tr)], tr) {
				spans = append(spans, span{start[i], end[i+len(tr)-1]})
			}
		}
	}
	if len(spans) == 0 {
		return template.HTML(html.EscapeString(text))
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].a < spans[j].a })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp.a <= last.b {
			if sp.b > last.b {
				last.b = sp.b
			}
			continue
		}
		merged = append(merged, sp)
	}
	var b strings.Builder
	pos := 0
	for _, sp := range merged {
		b.WriteString(html.EscapeString(text[pos:sp.a]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[sp.a:sp.b]))
		b.WriteString("</mark>")
		pos = sp.b
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return template.HTML(b.String())
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
