package indexer

import (
	"fmt"
	"reflect"
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
	m := buildMapping{IndexMappingImpl: im, seg: seg}
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

// TestAnalyzeAhead checks the analysis run ahead of bleve's builder:
// whatever the number of texts and workers, the fields are taken in the
// order of the texts, each analysed as Analyze does it alone, a text equal
// to the one before it sharing that one's field; a field
// handed to MapDocument is not analysed again; and stopping early ends
// the workers without a reader.
func TestAnalyzeAhead(t *testing.T) {
	seg, im := testMapping(t)
	bm := buildMapping{IndexMappingImpl: im, seg: seg}
	var texts []string
	for i := range 3*analyzeChunk + 17 {
		k := i
		if i%4 == 1 {
			k = i - 1 // a text equal to the one before, as targets quote their sentence alike
		}
		texts = append(texts, fmt.Sprintf("第%d条 推进集团化办学，学前三年毛入园率达到%d%%。", k, 80+k%20))
	}
	for _, n := range []int{0, 1, analyzeChunk - 1, analyzeChunk, analyzeChunk + 1, len(texts)} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d texts, %d workers", n, workers), func(t *testing.T) {
				a := analyzeAhead(bm, texts[:n], workers)
				defer a.close()
				var fields []*wordsField
				for i := range n {
					if i%analyzeChunk == 0 {
						fields = a.take(i / analyzeChunk)
					}
					got := fields[i%analyzeChunk]
					if k := i % analyzeChunk; k > 0 {
						if shared, equal := got == fields[k-1], texts[i] == texts[i-1]; shared != equal {
							t.Fatalf("field %d shared with the one before: %v, texts equal: %v", i, shared, equal)
						}
					}
					want := &wordsField{seg: seg, text: texts[i]}
					want.Analyze()
					if got.text != texts[i] || got.length != want.length || len(got.freqs) != len(want.freqs) {
						t.Fatalf("field %d: %q with %d words, %d terms; want %q with %d, %d", i, got.text, got.length, len(got.freqs), texts[i], want.length, len(want.freqs))
					}
					for term, tf := range want.freqs {
						if g, ok := got.freqs[term]; !ok || g.Frequency() != tf.Frequency() {
							t.Fatalf("field %d: term %q not counted %d times", i, term, tf.Frequency())
						}
					}
				}
			})
		}
	}
	t.Run("analysed once", func(t *testing.T) {
		f := bm.analyzedField(texts[0], nil, nil)
		freqs := f.freqs
		doc := document.NewDocument("x")
		if err := bm.MapDocument(doc, f); err != nil {
			t.Fatal(err)
		}
		f.Analyze()
		if reflect.ValueOf(f.freqs).Pointer() != reflect.ValueOf(freqs).Pointer() {
			t.Error("an analysed field was analysed again")
		}
		if err := bm.MapDocument(document.NewDocument("z"), 42); err == nil {
			t.Error("a document that is neither text nor field was mapped")
		}
	})
	t.Run("stopped early", func(t *testing.T) {
		a := analyzeAhead(bm, texts, 2)
		a.take(0)
		a.close() // the workers end, though chunks are left
	})
}
