package corpus_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// TestNormalizeQuick: the table-driven path of Normalize agrees with its
// definition (Fold, then whitespace removed) on every line of the seed
// documents and on random strings mixing the runes it handles with those
// it must leave to the full path (combining marks, compatibility
// ideographs, astral characters, invalid UTF-8).
func TestNormalizeQuick(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := corpus.Normalize(s), corpus.NormalizeSlow(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
	quick, lines := 0, 0
	for _, id := range seedIDs(t) {
		d := parseSeed(t, id)
		for _, l := range strings.Split(d.Body, "\n") {
			lines++
			if _, ok := corpus.QuickNormalize(l, corpus.QuickTable()); ok {
				quick++
			}
			check(l)
		}
		for _, u := range d.Units {
			check(u.Text)
			check(u.Title)
		}
	}
	if quick*10 < lines*9 {
		t.Errorf("quick path took %d of %d seed lines, want ≥ 90%%", quick, lines)
	}
	pool := []rune("学國發，。、：；（）《》“”——…·％％１２３ＡＢ　 \t\n\u00a0\u3000abcXYZ019%.+-ＩⅡ①㎡\u0301\u0308e\uF900\uFA10\u2F00\U00020000\U0002F800ｶﾞ가각\u1100\u1161")
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			if r.IntN(30) == 0 {
				b.WriteByte(byte(0x80 + r.IntN(0x40))) // invalid UTF-8
				continue
			}
			b.WriteRune(pool[r.IntN(len(pool))])
		}
		check(b.String())
	}
	// every rune of the table, alone and between two others
	for x := rune(1); x < 0x10000; x++ {
		if !utf8.ValidRune(x) {
			continue
		}
		check(string(x))
		for _, n := range []string{"学", "e", "A", "，", "ｶ", "\u1100", "가", "<", "\u0301", "\u3099", "\uFF9E", " "} {
			check(n + string(x))
			check(string(x) + n)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	n := 0
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			texts = append(texts, u.Text)
			n += len(u.Text)
		}
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range texts {
			corpus.Normalize(s)
		}
	}
}

// TestUnitNormText: the normalised text kept from parsing is Normalize of
// the text, and a unit whose text or title changed afterwards, or that was
// never parsed, is normalised afresh.
func TestUnitNormText(t *testing.T) {
	for _, id := range seedIDs(t) {
		d := parseSeed(t, id)
		for _, u := range d.Units {
			if u.NormText() != corpus.Normalize(u.Text) || u.NormTitle() != corpus.Normalize(u.Title) {
				t.Fatalf("%s: kept normalisation differs", u.ID)
			}
		}
		u := d.Units[len(d.Units)-1]
		u.Text, u.Title = u.Text+"（一）", "Ｘ"+u.Title
		if u.NormText() != corpus.Normalize(u.Text) || u.NormTitle() != corpus.Normalize(u.Title) {
			t.Fatalf("%s: stale normalisation after an edit", u.ID)
		}
	}
	fresh := &corpus.Unit{Text: "１＋Ｘ 证书", Title: "學校"}
	if fresh.NormText() != "1+X证书" || fresh.NormTitle() != "学校" {
		t.Errorf("unparsed unit: %q %q", fresh.NormText(), fresh.NormTitle())
	}
}

// TestNormalizeIdempotent: Normalize of a normalised string is the same
// string, also where removing whitespace joins combining marks of
// different classes or Hangul jamo (a fuzzed query, "\u0362 \u036e",
// once normalised to marks out of canonical order).
func TestNormalizeIdempotent(t *testing.T) {
	check := func(s string) {
		t.Helper()
		n := corpus.Normalize(s)
		if again := corpus.Normalize(n); again != n {
			t.Fatalf("Normalize(%q) = %q, and Normalize of that %q", s, n, again)
		}
	}
	for _, s := range []string{"\u0362 \u036e", "e \u0301", "\u1100 \u1161", "a\u0316 \u0301\u0362 b", "第 一 条"} {
		check(s)
	}
	pool := []rune("学國，（）１Ａ a e\u3000\u00a0\t\u0301\u0308\u0316\u0362\u036e\u0345\u1100\u1161\u11a8가¨")
	r := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteRune(pool[r.IntN(len(pool))])
		}
		check(b.String())
	}
}
