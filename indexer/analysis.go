package indexer

import (
	"fmt"
	"sync"

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
	tokenizerGSE = "zhengce_gse" // gse words, from the injected Segmenter
	// AnalyzerWords segments text into gse words. It expects text
	// already passed through corpus.Normalize (Build normalises each text
	// once, for this field and for the bigram postings, see GramsFile).
	AnalyzerWords = "zhengce_words"
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
// input. Build does not go through it (its wordsField counts the words
// directly); it is the words analyzer of the persisted mapping, for any
// bleve analysis of the words field with a live segmenter.
func (t gseTokenizer) Tokenize(input []byte) analysis.TokenStream {
	block := make([]analysis.Token, 0, len(input)/6+1) // ≈ a word per two characters
	t.seg.eachToken(string(input), func(tk Token) {
		term := input[tk.Start:tk.End]
		if tk.Term != string(term) { // lower-cased ASCII
			term = []byte(tk.Term)
		}
		block = append(block, analysis.Token{Term: term, Start: tk.Start, End: tk.End, Position: tk.Position, Type: analysis.Ideographic})
	})
	out := make(analysis.TokenStream, len(block))
	for i := range block {
		out[i] = &block[i]
	}
	return out
}

type unboundTokenizer struct{}

func (unboundTokenizer) Tokenize([]byte) analysis.TokenStream { return nil }

// FieldWords is the one field of an index document: the gse words of the
// entry's normalised text. Exact phrases are answered from the bigram
// postings (GramsFile); facets, filters, order and titles are served from
// the in-memory corpus by ordinal (see Index).
const FieldWords = "words"

// newMapping returns the index mapping: the words field with its analyzer
// set explicitly, excluded from the _all field; nothing is stored, there
// are no doc values and no term vectors (positions): word queries need
// only which texts hold the words and how often.
func newMapping(seg *Segmenter) (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomTokenizer("zhengce_gse_words", map[string]interface{}{"type": tokenizerGSE, configSegmenter: seg}); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	if err := im.AddCustomAnalyzer(AnalyzerWords, map[string]interface{}{
		"type":      "custom",
		"tokenizer": "zhengce_gse_words",
	}); err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(FieldWords, text(AnalyzerWords))
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}
