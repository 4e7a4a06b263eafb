package indexer

import (
	"encoding/json"
	"fmt"
	"unsafe"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// buildMapping is the index mapping as Build hands it to bleve's builder:
// the persisted mapping is the embedded one (newMapping), but documents
// are mapped without reflection: an index document is its normalised text,
// which becomes one wordsField. No _all field is added: every query names
// the words field.
type buildMapping struct {
	*mapping.IndexMappingImpl
	seg *Segmenter
	// scan, when not nil, is the domain dictionary's scan of a streamed
	// build, fed by the segmentation of the words (analyzeAhead) instead
	// of walking the same texts again (dictScan.marking)
	scan *dictScan
}

// MarshalJSON persists the embedded mapping, which is what an opened
// index reads back.
func (m buildMapping) MarshalJSON() ([]byte, error) {
	return json.Marshal(m.IndexMappingImpl)
}

// MapDocument maps data, the normalised text of an entry, to the words
// field of doc; data may also be that field already analysed
// (analyzedField), which bleve's analysis then leaves as it is.
func (m buildMapping) MapDocument(doc *document.Document, data interface{}) error {
	switch v := data.(type) {
	case string:
		doc.AddField(&wordsField{seg: m.seg, text: v})
	case *wordsField:
		if v.seg != m.seg {
			return fmt.Errorf("index document analysed with another segmenter")
		}
		doc.AddField(v)
	default:
		return fmt.Errorf("index document is %T, want its text", data)
	}
	return nil
}

// analyzedField returns the words field of text, analysed, recording in
// marks (when not nil) what the domain dictionary's scan of text would.
// With reuse, a field bleve's builder is done with, the field is reuse
// itself, its map and block of frequencies cleared and refilled.
func (m buildMapping) analyzedField(text string, marks *dictMarks, reuse *wordsField) *wordsField {
	if reuse == nil {
		f := &wordsField{seg: m.seg, text: text}
		f.analyze(marks)
		return f
	}
	freqs, block := reuse.freqs, reuse.block[:0]
	clear(freqs)
	*reuse = wordsField{seg: m.seg, text: text}
	reuse.analyzeInto(marks, freqs, block)
	return reuse
}

// wordsField is the words field of one index document, analysed by the
// segmenter directly: what bleve's text field computes through the
// analyzer (a token stream, then a map of term frequencies with a copy of
// every term), counted in one pass over the words, with the terms pointing
// into the text. TestWordsFieldMatchesTextField compares the two.
type wordsField struct {
	seg    *Segmenter
	text   string
	length int
	freqs  index.TokenFrequencies
	// block is the block of freqs' values filled last (the only one,
	// unless the text had more distinct words than its size suggests),
	// kept for the field's memory to serve another text (analyzedField)
	block []index.TokenFreq
}

// Name returns FieldWords.
func (f *wordsField) Name() string { return FieldWords }

// ArrayPositions returns nil: the field is not inside an array.
func (f *wordsField) ArrayPositions() []uint64 { return nil }

// Options marks the field indexed only: not stored, no term vectors, no
// doc values (see newMapping).
func (f *wordsField) Options() index.FieldIndexingOptions { return index.IndexField }

// Value returns the text; bleve reads it only for stored fields and doc
// values, which the words field has not.
func (f *wordsField) Value() []byte { return []byte(f.text) }

// NumPlainTextBytes returns the length of the text.
func (f *wordsField) NumPlainTextBytes() uint64 { return uint64(len(f.text)) }

// Size estimates the memory held by the field.
func (f *wordsField) Size() int {
	return int(unsafe.Sizeof(*f)) + len(f.text) + len(f.freqs)*int(unsafe.Sizeof(index.TokenFreq{})+16)
}

// EncodedFieldType returns 't', bleve's text field type.
func (f *wordsField) EncodedFieldType() byte { return 't' }

// AnalyzedLength returns the number of words, set by Analyze.
func (f *wordsField) AnalyzedLength() int { return f.length }

// AnalyzedTokenFrequencies returns the frequency of each word, set by
// Analyze.
func (f *wordsField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Analyze segments the text (Segmenter.Tokens) and counts its words,
// once: a field analysed ahead of bleve (analyzedField) is not analysed
// again.
func (f *wordsField) Analyze() { f.analyze(nil) }

// analyze is Analyze, recording in marks (when not nil) what the domain
// dictionary's scan of the text would.
func (f *wordsField) analyze(marks *dictMarks) { f.analyzeInto(marks, nil, nil) }

// analyzeInto is analyze, counting into freqs, an empty map, and block,
// an empty slice, when they are not nil.
func (f *wordsField) analyzeInto(marks *dictMarks, freqs index.TokenFrequencies, block []index.TokenFreq) {
	if f.freqs != nil {
		return
	}
	// distinct words: one per 8 bytes of text on average (laws and
	// plans alike), fewer than the words, about one per 6 bytes: sized
	// for the words, the map and block rarely grow
	guess := len(f.text)/6 + 1
	if freqs == nil {
		freqs = make(index.TokenFrequencies, guess)
	}
	if cap(block) < guess {
		// sized for the longest text of the size class, so that any
		// text of the class can reuse it (a recycled block too small is
		// let go)
		block = make([]index.TokenFreq, 0, max(guess, spareClassMax(len(f.text))/6+1))
	}
	f.freqs, f.block = freqs, block
	f.length = 0
	f.seg.eachTokenMarked(f.text, marks, func(t Token) {
		f.length++
		if tf, ok := f.freqs[t.Term]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			return
		}
		if len(block) == cap(block) {
			block = make([]index.TokenFreq, 0, cap(block)) // earlier pointers stay valid
			f.block = block
		}
		// the term's bytes are the string's: bleve only reads them
		block = append(block, index.TokenFreq{Term: unsafe.Slice(unsafe.StringData(t.Term), len(t.Term))})
		tf := &block[len(block)-1]
		tf.SetFrequency(1)
		f.freqs[t.Term] = tf
	})
}
