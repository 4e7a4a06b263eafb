package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// testSeg loads the segmenter once for the package's tests.
var testSeg = sync.OnceValues(func() (*Segmenter, error) { return NewSegmenter() })

// gseSeg loads, once, a segmenter that keeps gse's dictionary, for the
// tests that compare segmentation with gse's own Cut.
var gseSeg = sync.OnceValues(func() (*Segmenter, error) { return NewSegmenter(keepGSE()) })

func segmenter(t testing.TB) *Segmenter {
	t.Helper()
	s, err := testSeg()
	if err != nil {
		t.Fatalf("NewSegmenter: %v", err)
	}
	return s
}

func TestTokensOffsetsAndPositions(t *testing.T) {
	s := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			text := corpus.Normalize(u.Text)
			prevEnd := 0
			for i, tk := range s.Tokens(text) {
				if tk.Position != i+1 {
					t.Fatalf("%s: token %d has position %d", u.ID, i, tk.Position)
				}
				if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(text) {
					t.Fatalf("%s: token %q at [%d,%d) overlaps or is out of range (prev end %d)", u.ID, tk.Term, tk.Start, tk.End, prevEnd)
				}
				if got := strings.ToLower(text[tk.Start:tk.End]); got != tk.Term {
					t.Fatalf("%s: token %q but text[%d:%d] = %q", u.ID, tk.Term, tk.Start, tk.End, got)
				}
				prevEnd = tk.End
				n++
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d tokens in the seed corpus", n)
	}
}

func TestTokensUserDictionary(t *testing.T) {
	s := segmenter(t)
	for _, tc := range []struct{ text, want string }{
		{"推进集团化办学改革", "集团化办学"},
		{"坚持五育并举，全面发展素质教育", "五育并举"},
		{"深化区管校聘管理改革", "区管校聘"},
		{"“十四五”时期", "十四五"},
		{"推行１＋Ｘ证书制度", "1+x"},
		{"深化产教融合", "产教融合"},
		{"加强双师型教师队伍建设", "双师型"},
		{"落实双减政策", "双减"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			terms := s.Terms(corpus.Normalize(tc.text))
			if !slices.Contains(terms, tc.want) {
				t.Errorf("Terms(%q) = %q, want a token %q", tc.text, terms, tc.want)
			}
		})
	}
}

func TestTokensFullWidthDigits(t *testing.T) {
	s := segmenter(t)
	terms := s.Terms(corpus.Normalize("新建幼儿园１２所，达到９９．５％"))
	for _, want := range []string{"12", "99"} {
		if !slices.Contains(terms, want) {
			t.Errorf("terms %q lack %q", terms, want)
		}
	}
}

// TestMappingAnalyzers checks that the analyzers bleve applies at index
// time are exactly the Go functions package search applies to queries.
func TestMappingAnalyzers(t *testing.T) {
	s, im := testMapping(t)
	if err := im.Validate(); err != nil {
		t.Fatal(err)
	}
	text := "坚持五育并举，\n推进集团化\n办学。学前三年毛入园率达到９９．５％，１＋Ｘ证书"
	norm := corpus.Normalize(text)
	toks, err := im.AnalyzeText(AnalyzerWords, []byte(norm))
	if err != nil {
		t.Fatal(err)
	}
	want := s.Tokens(norm)
	if len(toks) != len(want) {
		t.Fatalf("bleve words analyzer: %d tokens, Tokens: %d", len(toks), len(want))
	}
	for i, tk := range toks {
		if string(tk.Term) != want[i].Term || tk.Start != want[i].Start || tk.Position != want[i].Position {
			t.Errorf("token %d: bleve %v, Tokens %+v", i, tk, want[i])
		}
	}
}

func TestBuild(t *testing.T) {
	s := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	var last, total int
	st, err := Build(context.Background(), dir, c, s, func(done, tot int) { last, total = done, tot })
	if err != nil {
		t.Fatal(err)
	}
	units, targets := 0, 0
	byType := map[string]int{}
	for _, d := range c.Documents() {
		units += len(d.Units)
		targets += len(d.Targets)
		for _, u := range d.Units {
			byType[string(u.Type)]++
		}
		if len(d.Targets) > 0 {
			byType["target"] += len(d.Targets)
		}
	}
	if st.Documents != len(c.Documents()) || st.Units != units || st.Targets != targets {
		t.Errorf("stats %+v, want %d documents %d units %d targets", st, len(c.Documents()), units, targets)
	}
	for k, v := range byType {
		if st.ByType[k] != v {
			t.Errorf("ByType[%s] = %d, want %d", k, st.ByType[k], v)
		}
	}
	if last != total || total != units+targets {
		t.Errorf("progress ended at %d/%d, want %d", last, total, units+targets)
	}
	idx, meta, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := idx.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != units+targets {
		t.Errorf("index holds %d documents, want %d", n, units+targets)
	}
	if !meta.Fresh(c, s.Fingerprint()) {
		t.Errorf("fresh index reported stale: %+v", meta)
	}
	if meta.Fresh(c, "other") {
		t.Errorf("index reported fresh for another analyzer")
	}
	// A rebuild replaces the index while the old one is open.
	if _, err := Build(context.Background(), dir, c, s, nil); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("build left %d entries beside the index and its version store, want none", len(entries)-2)
	}
}

func TestBuildRefusesForeignDirectory(t *testing.T) {
	s := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	precious := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(precious, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), dir, c, s, nil)
	if corpus.ErrorCode(err) != corpus.EINVALID {
		t.Fatalf("Build into a foreign directory: %v, want EINVALID", err)
	}
	if _, err := os.Stat(precious); err != nil {
		t.Fatalf("foreign file lost: %v", err)
	}
}

func TestBuildCancelled(t *testing.T) {
	s := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := Build(ctx, dir, c, s, nil); corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Fatalf("cancelled build: %v, want ETIMEOUT", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatalf("cancelled build left an index")
	}
}

func TestUserDictErrors(t *testing.T) {
	for _, d := range []string{"集团化办学", "集团化办学 x", "集团化办学 1"} {
		if _, err := NewSegmenter(WithUserDict(d)); corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("user dict %q: %v, want EINVALID", d, err)
		}
	}
}

func BenchmarkSegmenterLoad(b *testing.B) {
	for b.Loop() {
		if _, err := NewSegmenter(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokens(b *testing.B) {
	s := segmenter(b)
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	size := 0
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			texts = append(texts, corpus.Normalize(u.Text))
			size += len(u.Text)
		}
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, t := range texts {
			s.Tokens(t)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	s := segmenter(b)
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			size += int64(len(u.Text))
		}
	}
	b.SetBytes(size)
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Build(context.Background(), filepath.Join(dir, "idx"), c, s, nil); err != nil {
			b.Fatal(err)
		}
	}
}
