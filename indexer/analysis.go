package indexer

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	// registers the "custom" analyzer type
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysis components are registered with bleve's
// registry and referenced from the index mapping.
const (
	tokenizerGSE   = "zhengce_gse"   // gse words, from the injected Segmenter
	tokenizerNGram = "zhengce_ngram" // character n-grams
	// AnalyzerWords segments text into gse words. Like every analyzer
	// here it expects text already passed through corpus.Normalize
	// (entryDoc normalises each text once for both fields).
	AnalyzerWords = "zhengce_words"
	// AnalyzerBigrams emits the distinct character bigrams of text.
	AnalyzerBigrams = "zhengce_bigrams"
)

// configSegmenter is the key of the tokenizer config that carries the
// *Segmenter at mapping time.
const configSegmenter = "segmenter"

// registerOnce guards the registration of zhengce's analysis component
// types. bleve's registry is a process-wide table that rejects duplicate
// names, so registration is inherently global: what is registered here is
// only constructors, which hold no state. The segmenter itself is never
// global: the gse tokenizer constructor reads it from the tokenizer's
// config map, which Build fills with the injected *Segmenter (see
// newMapping).
var registerOnce = sync.OnceValue(func() error {
	if err := registry.RegisterTokenizer(tokenizerGSE, newGSETokenizer); err != nil {
		return fmt.Errorf("register gse tokenizer: %w", err)
	}
	if err := registry.RegisterTokenizer(tokenizerNGram, newNGramTokenizer); err != nil {
		return fmt.Errorf("register n-gram tokenizer: %w", err)
	}
	return nil
})

// Register registers zhengce's analysis components with bleve's registry.
// It is idempotent; Build and OpenIndex call it, so callers only need it to
// use the mapping directly.
func Register() error { return registerOnce() }

// newGSETokenizer builds the gse tokenizer. At Build time the config holds
// the live *Segmenter. When an existing index is opened, bleve rebuilds the
// mapping from its persisted JSON, where the segmenter is only its
// fingerprint: the tokenizer is then unbound and yields no tokens. That is
// safe because zhengce never lets bleve analyse query text: package search
// segments queries itself and sends term queries.
func newGSETokenizer(config map[string]interface{}, _ *registry.Cache) (analysis.Tokenizer, error) {
	switch s := config[configSegmenter].(type) {
	case *Segmenter:
		if s == nil {
			return nil, fmt.Errorf("gse tokenizer: nil segmenter")
		}
		return gseTokenizer{s}, nil
	case string:
		return unboundTokenizer{}, nil
	default:
		return nil, fmt.Errorf("gse tokenizer: config %q is %T, want *indexer.Segmenter", configSegmenter, s)
	}
}

type gseTokenizer struct{ seg *Segmenter }

// Tokenize allocates the tokens in one block and points their terms into
// input: an index build makes one token per word of the corpus.
func (t gseTokenizer) Tokenize(input []byte) analysis.TokenStream {
	toks := t.seg.Tokens(string(input))
	block := make([]analysis.Token, len(toks))
	out := make(analysis.TokenStream, len(toks))
	for i, tk := range toks {
		term := input[tk.Start:tk.End]
		if tk.Term != string(term) { // lower-cased ASCII
			term = []byte(tk.Term)
		}
		block[i] = analysis.Token{Term: term, Start: tk.Start, End: tk.End, Position: tk.Position, Type: analysis.Ideographic}
		out[i] = &block[i]
	}
	return out
}

type unboundTokenizer struct{}

func (unboundTokenizer) Tokenize([]byte) analysis.TokenStream { return nil }

func newNGramTokenizer(config map[string]interface{}, _ *registry.Cache) (analysis.Tokenizer, error) {
	n, ok := config["n"].(float64)
	if !ok || (n != 1 && n != 2) {
		return nil, fmt.Errorf("n-gram tokenizer: n must be 1 or 2, got %v", config["n"])
	}
	return ngramTokenizer{int(n)}, nil
}

type ngramTokenizer struct{ n int }

// Tokenize emits each distinct n-gram of input once, in order of first
// occurrence, with consecutive positions: the field only answers "which
// texts contain all these n-grams" (candidates that package search then
// verifies and scores against the text), so repeats and positions would
// only cost index space and build time.
func (t ngramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	gs := gramsAt(string(input), t.n)
	block := make([]analysis.Token, 0, len(gs))
	seen := make(map[string]struct{}, len(gs))
	for _, g := range gs {
		if _, dup := seen[g.term]; dup {
			continue
		}
		seen[g.term] = struct{}{}
		block = append(block, analysis.Token{Term: input[g.start:g.end], Start: g.start, End: g.end, Position: len(block) + 1, Type: analysis.Ideographic})
	}
	out := make(analysis.TokenStream, len(block))
	for i := range block {
		out[i] = &block[i]
	}
	return out
}

type gram struct {
	term       string
	start, end int
	pos        int
}

// gramsAt returns the character n-grams (n = 1 or 2) of s with byte
// offsets; the gram starting at the i-th character has position i+1.
func gramsAt(s string, n int) []gram {
	out := make([]gram, 0, utf8.RuneCountInString(s))
	pos, prevStart := 0, -1
	for i := range s {
		pos++
		_, size := utf8.DecodeRuneInString(s[i:])
		if n == 1 {
			out = append(out, gram{s[i : i+size], i, i + size, pos})
			continue
		}
		if prevStart >= 0 {
			out = append(out, gram{s[prevStart : i+size], prevStart, i + size, pos - 1})
		}
		prevStart = i
	}
	return out
}

// Grams returns the terms the bigram (n = 2) or unigram (n = 1) analyzer
// produces for an already normalised string, in order. Package search uses
// it to build exact phrase queries without bleve's query analysis.
func Grams(norm string, n int) []string {
	gs := gramsAt(norm, n)
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.term
	}
	return out
}

// Index fields. An index document holds only the text of its entry,
// analysed twice; facets, filters, order and titles are served from the
// in-memory corpus by ordinal (see Index).
const (
	FieldWords = "words" // gse words of the text
	FieldGrams = "grams" // character bigrams of Normalize(text), without positions
)

// newMapping returns the index mapping. Every field sets its analyzer
// explicitly and is excluded from the _all field; nothing is stored,
// there are no doc values and no term vectors: an exact phrase is found by
// the conjunction of its bigrams and then verified against the text, so
// positions are not needed.
func newMapping(seg *Segmenter) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomTokenizer("zhengce_gse_words", map[string]interface{}{"type": tokenizerGSE, configSegmenter: seg}); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	for name, n := range map[string]float64{"zhengce_bigram": 2} {
		if err := im.AddCustomTokenizer(name, map[string]interface{}{"type": tokenizerNGram, "n": n}); err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
	}
	for name, tok := range map[string]string{AnalyzerWords: "zhengce_gse_words", AnalyzerBigrams: "zhengce_bigram"} {
		if err := im.AddCustomAnalyzer(name, map[string]interface{}{
			"type":      "custom",
			"tokenizer": tok,
		}); err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldWords, text(AnalyzerWords))
	doc.AddFieldMappingsAt(FieldGrams, text(AnalyzerBigrams))
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}
