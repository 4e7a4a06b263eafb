// Package parse is the text parser of zhengce: it turns the bytes of a
// text or markdown document, or what a format reader returned (a
// corpus.Source), into a corpus.Document — decoding, cleaning of
// non-content, metadata, the heading tree, tables (package corpus/tables)
// and the units that partition the body — then labels the units with
// themes (package corpus/themes) and extracts the targets (package
// corpus/targets).
//
// A Parser holds the vocabularies it parses with, as explicit values: New
// takes them, Default builds them from the embedded data files
// (themes.json, indicators.json). A Parser implements corpus.Parser, the
// interface a corpus.Loader parses every file with; the corpus package
// itself depends on no parser.
//
// Seeds, Load and LoadDir are the entry points of tests, benchmarks and
// the demo: they load the embedded seed corpus, an fs.FS or a folder of
// .txt and .md files with the default parser. corpus/ingest adds the
// readers of the binary formats.
package parse

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/gazetteer"
	"github.com/zhengce/zhengce/corpus/kinds"
	"github.com/zhengce/zhengce/corpus/targets"
	"github.com/zhengce/zhengce/corpus/themes"
)

// Vocabulary is what a Parser knows of a kind of document beyond its
// layout. A nil field is left out: without a Taxonomy units get no themes,
// without Indicators every indicator is its own canonical name.
type Vocabulary struct {
	// Taxonomy labels every unit with its themes.
	Taxonomy *themes.Taxonomy
	// Indicators groups the wordings of an indicator under one canonical
	// name across documents.
	Indicators *targets.IndicatorGroups
	// Gazetteer resolves the jurisdiction of a document from its issuing
	// body, document number and title; without it documents have none.
	Gazetteer *gazetteer.Gazetteer
}

// Parser parses documents with its Vocabulary. It is immutable and safe
// for concurrent use, and implements corpus.Parser.
type Parser struct {
	vocab Vocabulary
}

var _ corpus.Parser = (*Parser)(nil)

// New returns a parser with the given vocabulary.
func New(v Vocabulary) *Parser { return &Parser{vocab: v} }

// Default returns the parser of zhengce's policy documents: the theme
// taxonomy and indicator grouping embedded from corpus/themes/themes.json
// and corpus/targets/indicators.json. Each call parses the files afresh:
// build it once and share it.
func Default() (*Parser, error) {
	tax, err := themes.Default()
	if err != nil {
		return nil, fmt.Errorf("default parser: %w", err)
	}
	groups, err := targets.DefaultIndicatorGroups()
	if err != nil {
		return nil, fmt.Errorf("default parser: %w", err)
	}
	gaz, err := gazetteer.Load()
	if err != nil {
		return nil, fmt.Errorf("default parser: %w", err)
	}
	return New(Vocabulary{Taxonomy: tax, Indicators: groups, Gazetteer: gaz}), nil
}

// Vocabulary returns the parser's vocabulary.
func (p *Parser) Vocabulary() Vocabulary { return p.vocab }

// Parse turns raw document bytes into a Document (it implements
// corpus.Parser).
//
// The bytes are decoded (UTF-8, or GB18030/GBK detected automatically),
// non-content is stripped (web-page chrome, tables of contents, the cover
// block and distribution trailers; see clean), metadata is inferred from
// the text and overridden by every non-empty field of meta (the manifest
// entry), and the body is parsed into a heading tree (Outline), tables
// and units that partition the body: every character of Body belongs to
// exactly one unit. Units get their themes and the document its targets
// from the parser's vocabulary.
//
// Bad input gets an *corpus.Error: EINVALID for empty, binary or
// undecodable data, ETOOLARGE above corpus.MaxDocumentSize. A text
// without any heading is a flat document of preamble paragraphs p1, p2 ….
func (p *Parser) Parse(meta corpus.Meta, data []byte) (*corpus.Document, error) {
	d, err := parseStructureWith(p.vocab, meta, data)
	if err != nil {
		return nil, err
	}
	p.enrich(d)
	return d, nil
}

// enrich assigns the themes of d's units and extracts d's targets. Only
// plan-like documents (规划, 方案, 意见, 计划, 要点 …, kinds.Plan) promise
// targets: the numbers of a regulation are rules and penalties
// (罚款一万元以上), not targets. A document whose kind the title does not
// name is treated as a plan, as the plans it was built for.
func (p *Parser) enrich(d *corpus.Document) {
	if p.vocab.Taxonomy != nil {
		p.vocab.Taxonomy.Assign(d)
	}
	d.Targets = nil
	if d.DocType == "" || kinds.Plan(d.DocType) {
		d.Targets = targets.Extract(d, p.vocab.Indicators)
	}
}

// Seeds loads and parses the embedded seed corpus (corpus.Embedded) with
// the default parser.
func Seeds() (*corpus.Corpus, error) {
	p, err := Default()
	if err != nil {
		return nil, err
	}
	man, err := corpus.ReadManifest(corpus.Embedded())
	if err != nil {
		return nil, err
	}
	seeds, err := fs.Sub(corpus.Embedded(), "seeds")
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	l := corpus.Loader{Parser: p, Manifest: &man}
	return l.LoadFS(context.Background(), seeds)
}

// LoadDir loads a folder of *.txt and *.md documents (UTF-8 or
// GB18030/GBK) with the default parser and no format readers: see
// corpus.Loader.LoadDir.
func LoadDir(dir string) (*corpus.Corpus, error) {
	p, err := Default()
	if err != nil {
		return nil, err
	}
	l := corpus.Loader{Parser: p}
	return l.LoadDir(context.Background(), dir)
}

// Load loads the *.txt and *.md documents of fsys with the default parser
// and no format readers: see corpus.Loader.LoadFS.
func Load(fsys fs.FS) (*corpus.Corpus, error) {
	p, err := Default()
	if err != nil {
		return nil, err
	}
	l := corpus.Loader{Parser: p}
	return l.LoadFS(context.Background(), fsys)
}
