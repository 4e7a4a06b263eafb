package web

import (
	"html"
	"html/template"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// MaxHighlightTerms bounds the number of terms highlighted in the reader.
const MaxHighlightTerms = 20

// highlightTerms returns the positive terms of a query in zhengce's query
// language, normalised: quoted phrases and bare words, without OR,
// -exclusions and key:value filters.
func highlightTerms(q string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		t = corpus.Normalize(t)
		if t != "" && !seen[t] && len(out) < MaxHighlightTerms {
			seen[t] = true
			out = append(out, t)
		}
	}
	for q != "" {
		q = strings.TrimLeftFunc(q, unicode.IsSpace)
		if q == "" {
			break
		}
		neg := false
		if q[0] == '-' {
			neg = true
			q = q[1:]
		}
		if open, n := quoteAt(q); n > 0 {
			rest := q[n:]
			end := strings.IndexAny(rest, closingQuotes(open))
			var phrase string
			if end < 0 {
				phrase, q = rest, ""
			} else {
				_, m := utf8.DecodeRuneInString(rest[end:])
				phrase, q = rest[:end], rest[end+m:]
			}
			if !neg {
				add(phrase)
			}
			continue
		}
		end := strings.IndexFunc(q, unicode.IsSpace)
		if end < 0 {
			end = len(q)
		}
		word := q[:end]
		q = q[end:]
		if neg || word == "OR" || word == "AND" || word == "|" {
			continue
		}
		if i := strings.IndexAny(word, ":："); i > 0 && isFilterKey(word[:i]) {
			continue
		}
		add(word)
	}
	return out
}

func isFilterKey(k string) bool {
	switch k {
	case "district", "theme", "section", "type":
		return true
	}
	return false
}

// quoteAt reports the opening quote at the start of s and its byte length.
func quoteAt(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	switch r {
	case '"', '“', '”', '「', '『':
		return r, n
	}
	return 0, 0
}

func closingQuotes(open rune) string {
	switch open {
	case '「':
		return "」"
	case '『':
		return "』"
	}
	return "\"“”"
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
