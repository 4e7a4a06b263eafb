package indexer

import (
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/zhengce/zhengce/corpus/parse"
)

// TestWordsFieldMatchesTextField checks that the words field Build hands
// to bleve analyses every indexed text of the seed corpus, and mixed-case
// and invalid text, exactly as bleve's own text field does through the
// words analyzer of the mapping: same length, same terms, same counts.
func TestWordsFieldMatchesTextField(t *testing.T) {
	seg := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	im, err := newMapping(seg)
	if err != nil {
		t.Fatal(err)
	}
	analyzer := im.AnalyzerNamed(AnalyzerWords)
	if analyzer == nil {
		t.Fatal("no words analyzer in the mapping")
	}
	texts := append(IndexedTexts(c), "", "ABC学校abc学校", "教\xff育教育", "1+X证书，1+x证书")
	m := buildMapping{im, seg}
	for _, text := range texts {
		doc := document.NewDocument("x")
		if err := m.MapDocument(doc, text); err != nil {
			t.Fatal(err)
		}
		got := doc.Fields[0]
		want := document.NewTextFieldCustom(FieldWords, nil, []byte(text), index.IndexField, analyzer)
		got.Analyze()
		want.Analyze()
		if got.AnalyzedLength() != want.AnalyzedLength() {
			t.Fatalf("%q: length %d, bleve %d", text, got.AnalyzedLength(), want.AnalyzedLength())
		}
		gf, wf := got.AnalyzedTokenFrequencies(), want.AnalyzedTokenFrequencies()
		if len(gf) != len(wf) {
			t.Fatalf("%q: %d terms, bleve %d", text, len(gf), len(wf))
		}
		for term, w := range wf {
			g, ok := gf[term]
			if !ok || g.Frequency() != w.Frequency() || string(g.Term) != string(w.Term) {
				t.Fatalf("%q: term %q: got %+v, bleve %+v", text, term, g, w)
			}
		}
	}
	if err := m.MapDocument(document.NewDocument("x"), 42); err == nil {
		t.Error("MapDocument accepted a number")
	}
}
