package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var tagRE = regexp.MustCompile(`<[^>]*>`)

// FuzzHighlight checks that highlighting never changes the text (stripping
// the marks and unescaping gives the input back), never emits markup other
// than balanced <mark> tags, and marks only text that matches a term.
func FuzzHighlight(f *testing.F) {
	f.Add("推进集团化办学<script>alert(1)</script>&amp;", "集团化办学 <script>")
	f.Add("覆盖率达到８０％以上", `"80%"`)
	f.Add("a\nb c", `"ab" -c district:x OR`)
	f.Add("", "")
	f.Fuzz(func(t *testing.T, text, q string) {
		if !utf8.ValidString(text) || !utf8.ValidString(q) {
			t.Skip()
		}
		out := string(highlight(text, queryTerms(q)))
		for _, tag := range tagRE.FindAllString(out, -1) {
			if tag != "<mark>" && tag != "</mark>" {
				t.Fatalf("unexpected markup %q in %q", tag, out)
			}
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("unbalanced marks in %q", out)
		}
		if got := html.UnescapeString(tagRE.ReplaceAllString(out, "")); got != text {
			t.Fatalf("text changed: %q → %q", text, got)
		}
	})
}

// FuzzMarkedHTML checks that whatever the engine's highlight string holds,
// only balanced <mark> tags survive.
func FuzzMarkedHTML(f *testing.F) {
	f.Add("a<mark>b</mark>c")
	f.Add("<script>x</script><mark><mark></mark>")
	f.Add("<img src=x onerror=alert(1)>")
	f.Fuzz(func(t *testing.T, s string) {
		out := string(markedHTML(s))
		for _, tag := range tagRE.FindAllString(out, -1) {
			if tag != "<mark>" && tag != "</mark>" {
				t.Fatalf("unexpected markup %q in %q", tag, out)
			}
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") || strings.Contains(out, "<mark><mark>") {
			t.Fatalf("unbalanced marks in %q", out)
		}
	})
}
