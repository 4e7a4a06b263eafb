package corpus

import (
	"sort"
	"strings"
)

// Corpus is an immutable set of parsed documents with lookups by id.
type Corpus struct {
	docs  []*Document
	byID  map[string]*Document
	units map[string]*Unit

	// Set by a Loader: the files it did not index, remarks about those
	// it did, and where the original files are.
	rejected []Rejection
	warnings []Warning
	folder   folder
	limits   Limits
	// originals, when set, supplies original files instead of folder
	originals Originals
	// cache loads the bodies of stub documents (NewStub)
	cache *docCache
}

// New returns a corpus of the given documents, in the order given.
// Document ids must be unique.
func New(docs []*Document) (*Corpus, error) {
	c := &Corpus{docs: docs, byID: make(map[string]*Document, len(docs)), units: make(map[string]*Unit)}
	for _, d := range docs {
		if _, dup := c.byID[d.ID]; dup {
			return nil, Errorf(EINVALID, "文档编号重复：%s", d.ID)
		}
		c.byID[d.ID] = d
		for _, u := range d.Units {
			if _, dup := c.units[u.ID]; dup {
				return nil, Errorf(EINVALID, "条目编号重复：%s", u.ID)
			}
			c.units[u.ID] = u
		}
	}
	linkVersions(docs)
	return c, nil
}

// linkVersions finds the versions of one work — documents with the same
// title and jurisdiction — orders them by date, newest first, and marks
// the newest 现行 and the others 已修改. A document without another version
// is 现行.
func linkVersions(docs []*Document) {
	works := map[string][]*Document{}
	var keys []string
	for _, d := range docs {
		d.Versions, d.Status = nil, StatusCurrent
		if d.Title == "" || d.Title == d.ID {
			continue
		}
		k := Normalize(d.Title)
		if d.Jurisdiction != nil {
			k += "\x00" + d.Jurisdiction.Code
		}
		if _, ok := works[k]; !ok {
			keys = append(keys, k)
		}
		works[k] = append(works[k], d)
	}
	for _, k := range keys {
		vs := works[k]
		if len(vs) < 2 {
			continue // 现行
		}
		sort.SliceStable(vs, func(i, j int) bool {
			if vs[i].IssueDate != vs[j].IssueDate {
				return vs[i].IssueDate > vs[j].IssueDate
			}
			return vs[i].ID > vs[j].ID
		})
		ids := make([]string, len(vs))
		for i, d := range vs {
			ids[i] = d.ID
		}
		for i, d := range vs {
			d.Versions = ids
			d.Status = StatusAmended
			if i == 0 {
				d.Status = StatusCurrent
			}
		}
	}
}

// Documents returns the documents in corpus order. Callers must not modify
// the returned slice. In a corpus read back from an index they are stubs
// (metadata and Counts only); Document loads a body.
func (c *Corpus) Documents() []*Document { return c.docs }

// Document returns the document with the given id, or an ENOTFOUND error.
func (c *Corpus) Document(id string) (*Document, error) {
	d, ok := c.byID[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "未找到文档：%s", id)
	}
	return c.full(d)
}

// Stub returns the document with the given id as listed by Documents:
// for a corpus read back from an index, its metadata only, without
// loading its body.
func (c *Corpus) Stub(id string) (*Document, bool) {
	d, ok := c.byID[id]
	return d, ok
}

// Unit returns the unit with the given id ({doc_id}/{path}), or an
// ENOTFOUND error.
func (c *Corpus) Unit(id string) (*Unit, error) {
	if u, ok := c.units[id]; ok {
		return u, nil
	}
	if d, ok := c.byID[unitDocID(id)]; ok && d.stub != nil {
		full, err := c.full(d)
		if err != nil {
			return nil, err
		}
		for _, u := range full.Units {
			if u.ID == id {
				return u, nil
			}
		}
	}
	return nil, Errorf(ENOTFOUND, "未找到条目：%s", id)
}

// Districts returns the distinct districts of the corpus, sorted.
func (c *Corpus) Districts() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range c.docs {
		if d.District != "" && !seen[d.District] {
			seen[d.District] = true
			out = append(out, d.District)
		}
	}
	sort.Strings(out)
	return out
}

// SplitUnitID splits a unit id into its document id and path.
func SplitUnitID(id string) (docID, path string, ok bool) {
	docID, path, ok = strings.Cut(id, "/")
	return docID, path, ok && docID != "" && path != ""
}
