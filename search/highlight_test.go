package search

import (
	"html"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// TestFoldedFormsAreSimplified: folding never yields a traditional form,
// so a normalised text holds none — what quickLocate relies on when it
// takes a CJK ideograph that matches the normalised text as itself.
func TestFoldedFormsAreSimplified(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !corpus.IsTraditional(r) {
			continue
		}
		for _, f := range corpus.Fold(string(r)) {
			if corpus.IsTraditional(f) {
				t.Errorf("Fold(%q) = %q holds the traditional form %q", r, corpus.Fold(string(r)), f)
			}
		}
	}
}

// TestQuickOrigSpans: mapping only the ends of spans gives what mapping
// them through the whole quickNormMap gives, on every seed text with
// random spans and on hostile strings.
func TestQuickOrigSpans(t *testing.T) {
	f := seeds(t)
	texts := []string{"  全角１２３ＡＢＣ，（注）\u3000㎡ 學前教育\t", "學校 学校", "e\u0301 combining",
		"\xff\xfe invalid", "ﬁ ligature ½", "", " "}
	for _, d := range f.c.Documents() {
		for _, u := range d.Units {
			texts = append(texts, u.Text)
		}
		for _, tg := range d.Targets {
			texts = append(texts, tg.Text)
		}
	}
	rng := rand.New(rand.NewSource(7))
	for _, text := range texts {
		want := corpus.Normalize(text)
		nm, quick := quickNormMap(text, want)
		var spans [][2]int
		for range rng.Intn(8) {
			if len(want) == 0 {
				break
			}
			a := rng.Intn(len(want))
			spans = append(spans, [2]int{a, a + 1 + rng.Intn(len(want)-a)})
		}
		spans = append(spans, [2]int{0, 0}, [2]int{len(want), len(want) + 3})
		got, ok := quickOrigSpans(text, want, spans)
		if ok != quick {
			t.Fatalf("%q: quickOrigSpans ok %v, quickNormMap ok %v", text, ok, quick)
		}
		if !ok {
			continue
		}
		if exp := nm.origSpans(spans); !slices.Equal(got, exp) {
			t.Errorf("%q %v: quickOrigSpans %v, want %v", text, spans, got, exp)
		}
	}
}

// TestAppendEscaped: appendEscaped is html.EscapeString.
func TestAppendEscaped(t *testing.T) {
	for _, s := range []string{"", "学前教育", `<a href="x">'&'</a>`, "&&", "尾<", "\xff<"} {
		if got, want := string(appendEscaped([]byte("前缀"), s)), "前缀"+html.EscapeString(s); got != want {
			t.Errorf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestFragmentsWindows: at most maxFragments excerpts, each with a mark,
// in text order, with ellipses where the text goes on.
func TestFragmentsWindows(t *testing.T) {
	text := strings.Repeat("甲", 100) + "乙" + strings.Repeat("甲", 100) + "乙" + strings.Repeat("甲", 100) + "乙" +
		strings.Repeat("甲", 100) + "乙" + strings.Repeat("甲", 10)
	var spans [][2]int
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "乙")
		if j < 0 {
			break
		}
		spans = append(spans, [2]int{i + j, i + j + len("乙")})
		i += j + len("乙")
	}
	p := &plan{}
	got := p.fragments(text, spans)
	if len(got) != maxFragments {
		t.Fatalf("%d fragments, want %d", len(got), maxFragments)
	}
	for _, f := range got {
		if !strings.HasPrefix(f, "…") || !strings.HasSuffix(f, "…") || strings.Count(f, "<mark>乙</mark>") != 1 {
			t.Errorf("fragment %q", f)
		}
	}
}

// TestFoldSame: the bitset of runes that fold to themselves is exactly
// folded(s) == s.
func TestFoldSame(t *testing.T) {
	same := foldSame()
	for r := rune(utf8.RuneSelf); r < foldTableEnd; r++ {
		s := string(r)
		if got, want := same[r>>6]&(1<<(r&63)) != 0, folded(s) == s; got != want {
			t.Errorf("foldSame(%U) = %v, want %v", r, got, want)
		}
	}
}
