package indexer

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// cutSamples is a quarter of the indexed texts of the seed corpus, random substrings
// of it, and random strings mixing Chinese, ASCII letters and digits,
// punctuation, full-width forms and invalid UTF-8.
func cutSamples(t testing.TB, c *corpus.Corpus) ([]string, int) {
	t.Helper()
	texts := IndexedTexts(c)
	rng := rand.New(rand.NewPCG(1, 2))
	all := strings.Join(texts, "")
	runes := []rune(all)
	// a quarter of the corpus texts (gse's Cut is slow under the race
	// detector); the domain dictionary test covers all of them
	var out []string
	for i := 0; i < len(texts); i += 4 {
		out = append(out, texts[i])
	}
	nCorpus := len(out)
	for range 2000 {
		i := rng.IntN(len(runes) - 40)
		out = append(out, string(runes[i:i+1+rng.IntN(40)]))
	}
	alphabet := []rune("教育学前普惠双减五育并举集团化办学的和与一二三年ABCxyz0123456789+%.-，。（）《》 ＡＢ１２　\u00e9\u0130\uFDD0")
	for range 2000 {
		var b strings.Builder
		for range 1 + rng.IntN(30) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		out = append(out, b.String())
	}
	out = append(out, "", "a", "1+X", "99.5%", "ABC学校", "\xff\xfe教育", "教\xff育")
	return out, nCorpus
}

// TestCutMatchesGSE checks that the segmenter's own DAG route is gse's
// Cut(text, false) word for word, with the full and the domain dictionary.
func TestCutMatchesGSE(t *testing.T) {
	c, full, dom, _ := domainFixture(t)
	samples, nCorpus := cutSamples(t, c)
	// the domain dictionary on the random samples only: on the corpus
	// texts it equals the full one (TestDomainDictIdentical)
	random := samples[nCorpus:]
	for _, s := range []struct {
		name    string
		seg     *Segmenter
		samples []string
	}{{"full", full, samples}, {"domain", dom, random}} {
		for _, text := range s.samples {
			want, got := s.seg.seg.Cut(text, false), s.seg.cut(text)
			if len(want) == 0 && len(got) == 0 {
				continue
			}
			if !slices.Equal(want, got) {
				t.Fatalf("%s dictionary, %q:\ngse %q\nown %q", s.name, text, want, got)
			}
		}
	}
	t.Logf("%d texts segmented identically", len(samples))
}

// BenchmarkCut compares gse's Cut with the segmenter's own route over the
// seed corpus's indexed texts.
func BenchmarkCut(b *testing.B) {
	full, err := gseSeg()
	if err != nil {
		b.Fatal(err)
	}
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	texts := IndexedTexts(c)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.Run("gse", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				full.seg.Cut(t, false)
			}
		}
	})
	b.Run("own", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		for b.Loop() {
			for _, t := range texts {
				full.cut(t)
			}
		}
	})
}

// TestToLower: the fast path of toLower changes nothing that
// strings.ToLower would change, rune by rune over the BMP and in mixed
// strings.
func TestToLower(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		s := "学" + string(r) + "，"
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Fatalf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"", "ABC学校", "1+X证书", "Ⅱ级", "Ⓐ", "ＡＢ", "“双减”——"} {
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Errorf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestTokensMatchGSEWords checks Tokens, whose common path takes word
// spans straight from the segmenter's route, against tokens derived from
// gse's own words as the general path does: the words mapped back onto
// the text rune by rune, words without a letter or digit dropped.
func TestTokensMatchGSEWords(t *testing.T) {
	c, full, _, _ := domainFixture(t)
	samples, _ := cutSamples(t, c)
	for _, text := range samples {
		var want []Token
		off, pos := 0, 0
		for _, w := range full.seg.Cut(text, false) {
			start := off
			for range utf8.RuneCountInString(w) {
				_, size := utf8.DecodeRuneInString(text[off:])
				off += size
			}
			if hasWordRune(w) {
				pos++
				want = append(want, Token{Term: w, Start: start, End: off, Position: pos})
			}
		}
		if got := full.Tokens(text); !slices.Equal(got, want) {
			t.Fatalf("%q:\nwant %v\ngot  %v", text, want, got)
		}
	}
}

// TestHasWordRune compares the ideograph shortcut of hasWordRune with
// unicode's letter and number classes over every BMP rune.
func TestHasWordRune(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue
		}
		want := unicode.IsLetter(r) || unicode.IsNumber(r)
		for _, w := range []string{string(r), string(r) + "，"} {
			if got := hasWordRune(w); got != want {
				t.Fatalf("hasWordRune(%q) = %v, want %v", w, got, want)
			}
		}
	}
}

// TestToLowerValid: what Tokens relies on — toLower returns valid UTF-8,
// so it returns its input unchanged only when that input is valid.
func TestToLowerValid(t *testing.T) {
	for _, s := range []string{"教\xff育", "\xff", "a\xe4\xb8", "ABC\xff", "\xed\xa0\x80", "教育", "\uFFFD", "abc"} {
		l := toLower(s)
		if !utf8.ValidString(l) {
			t.Errorf("toLower(%q) = %q, not valid UTF-8", s, l)
		}
		if l == s && !utf8.ValidString(s) {
			t.Errorf("toLower(%q) returned invalid input unchanged", s)
		}
	}
}
