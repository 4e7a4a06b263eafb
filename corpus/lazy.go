package corpus

import (
	"strings"
	"sync"
)

// Counts are the sizes of a document's body.
type Counts struct {
	Units   int `json:"units"`
	Tables  int `json:"tables"`
	Targets int `json:"targets"`
}

// Counts returns the numbers of units, tables and targets of d, also for
// a stub (whose body is not loaded).
func (d *Document) Counts() Counts {
	if d.stub != nil {
		return *d.stub
	}
	return Counts{Units: len(d.Units), Tables: len(d.Tables), Targets: len(d.Targets)}
}

// IsStub reports whether d holds only its metadata (NewStub): its body is
// loaded with Corpus.Document.
func (d *Document) IsStub() bool { return d.stub != nil }

// NewStub returns a document of metadata only, with the counts of its
// body: what a corpus read back from an index holds for every document,
// the body being loaded on demand (Extras.Load).
func NewStub(m Meta, c Counts) *Document {
	return &Document{Meta: m, stub: &c}
}

// Loader of full documents, for a corpus of stubs.
type DocumentLoader func(id string) (*Document, error)

// docCache keeps the documents of a stub corpus loaded last.
type docCache struct {
	mu    sync.Mutex
	load  DocumentLoader
	docs  map[string]*Document
	order []string // oldest first
}

// docCacheSize is how many loaded documents a stub corpus keeps.
const docCacheSize = 64

func (dc *docCache) get(stub *Document) (*Document, error) {
	dc.mu.Lock()
	if d, ok := dc.docs[stub.ID]; ok {
		dc.mu.Unlock()
		return d, nil
	}
	dc.mu.Unlock()
	d, err := dc.load(stub.ID)
	if err != nil {
		return nil, err
	}
	if d.ID != stub.ID {
		return nil, Errorf(EINTERNAL, "文档库返回了错误的文档：%s", d.ID)
	}
	// the corpus links versions into its stubs; a loaded body takes
	// them from there
	d.Status, d.Versions = stub.Status, stub.Versions
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if cur, ok := dc.docs[stub.ID]; ok {
		return cur, nil
	}
	if dc.docs == nil {
		dc.docs = map[string]*Document{}
	}
	if len(dc.order) >= docCacheSize {
		delete(dc.docs, dc.order[0])
		dc.order = dc.order[1:]
	}
	dc.docs[stub.ID] = d
	dc.order = append(dc.order, stub.ID)
	return d, nil
}

// full returns the loaded document of d: d itself unless it is a stub.
func (c *Corpus) full(d *Document) (*Document, error) {
	if d.stub == nil || c.cache == nil {
		return d, nil
	}
	return c.cache.get(d)
}

// unitDocID returns the document id of a unit id ({doc_id}/{path}).
func unitDocID(id string) string {
	doc, _, _ := strings.Cut(id, "/")
	return doc
}
