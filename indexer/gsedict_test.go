package indexer

import (
	"math"
	"testing"

	"github.com/go-ego/gse"
)

// gseTable loads dicts, texts in gse's dictionary format, one after the
// other with gse's own loader and returns its entries as a wordTable.
func gseTable(t *testing.T, embedZhS bool, dicts ...string) wordTable {
	t.Helper()
	var g gse.Segmenter
	g.SkipLog, g.NotLoadHMM = true, true
	for _, d := range dicts {
		if err := g.LoadDictStr(d); err != nil {
			t.Fatal(err)
		}
	}
	if embedZhS {
		if err := g.LoadDictEmbed("zh_s"); err != nil {
			t.Fatal(err)
		}
	}
	return newWordTable(g.Dict)
}

// sameTable fails t unless a and b hold the same entries, frequencies and
// total, bit for bit.
func sameTable(t *testing.T, got, want wordTable) {
	t.Helper()
	if got.len() != want.len() || math.Float64bits(got.total) != math.Float64bits(want.total) {
		t.Fatalf("%d entries, total %v; gse: %d, %v", got.len(), got.total, want.len(), want.total)
	}
	for i := range want.len() {
		if got.word(i) != want.word(i) || math.Float64bits(got.freq(i)) != math.Float64bits(want.freq(i)) {
			t.Fatalf("entry %d: %q %v; gse: %q %v", i, got.word(i), got.freq(i), want.word(i), want.freq(i))
		}
	}
}

// TestEmbeddedDictionaryIsGSEs checks that NewSegmenter's dictionary —
// the user dictionary, then the copy of gse's simplified-Chinese
// dictionary, read by tableBuilder — is, entry for entry, what gse's own
// loader makes of the user dictionary and gse's embedded "zh_s": a gse
// whose dictionary changed fails here.
func TestEmbeddedDictionaryIsGSEs(t *testing.T) {
	cfg, user, err := configure(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := gseTable(t, true, user)
	s, err := NewSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	if usesGSE(cfg) || s.seg.Dict != nil {
		t.Fatal("NewSegmenter loaded gse's dictionary into gse")
	}
	sameTable(t, s.words, want)
}

// TestTableBuilderMatchesGSE checks tableBuilder.addGSE against gse's
// loader on lines of every shape gse's format allows or gets wrong.
func TestTableBuilderMatchesGSE(t *testing.T) {
	for _, tc := range []struct{ name, dict string }{
		{"plain", "教育 100 n\n学校 50\n"},
		{"upper case folds, first kept", "4S店 3 n\n4s店 9 n\nABC 5\nabc 7\n"},
		{"one character counts 2", "学 1000 n\n校 3\nA 9\n"},
		{"below the minimum", "教育 1.5\n学校 0\n课程 -4\n"},
		{"no frequency", "教育\n学校 \n课程 x n\n"},
		{"double and leading spaces", "教育  100\n 学校 50\n课程 60  n\n"},
		{"carriage returns", "教育 100\r\n学校 50 n\r\n"},
		{"tabs", "教育\t100\n学校 5\t\n"},
		{"blank lines and no final newline", "\n\n教育 100\n\n学校 50"},
		{"invalid UTF-8", "\xff\xfe 30\n教\xff育 40\n"},
		{"repeated across dictionaries", "教育 100\n教育 5\n"},
		{"exponent and fraction", "教育 1e3\n学校 2.75\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTableBuilder(0, 0)
			b.addGSE(tc.dict)
			b.addGSE("教育 7\n新词 8\n")
			sameTable(t, b.table(), gseTable(t, false, tc.dict, "教育 7\n新词 8\n"))
		})
	}
}

// BenchmarkTableBuilder measures reading gse's dictionary into a table.
func BenchmarkTableBuilder(b *testing.B) {
	for b.Loop() {
		t := newTableBuilder(gseEntries, len(gseDictionary))
		t.addGSE(gseDictionary)
		if w := t.table(); w.len() == 0 {
			b.Fatal("no entries")
		}
	}
}

// TestHMMSegmenter checks the segmenter that keeps gse's loader (HMM on):
// its dictionary, loaded by gse from the same text, is the table the
// default segmenter reads itself, and it segments text into words that
// cover the text in order.
func TestHMMSegmenter(t *testing.T) {
	hmm, err := NewSegmenter(WithHMM(true))
	if err != nil {
		t.Fatal(err)
	}
	if hmm.seg.Dict == nil {
		t.Fatal("the HMM segmenter has no gse dictionary")
	}
	sameTable(t, hmm.words, segmenter(t).words)
	text := "推进集团化办学，学前三年毛入园率达到93%以上"
	toks := hmm.Tokens(text)
	if len(toks) < 4 {
		t.Fatalf("Tokens(%q) = %v", text, toks)
	}
	end := 0
	for _, tk := range toks {
		if tk.Start < end || tk.End <= tk.Start || text[tk.Start:tk.End] != tk.Term {
			t.Fatalf("token %+v out of order or not the text's", tk)
		}
		end = tk.End
	}
}
