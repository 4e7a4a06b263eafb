package corpus

import (
	"context"
	"io/fs"
	"sort"
)

// LoadFiles parses files handed over one by one (an upload, `zhengce
// add`, a watched folder) as a folder build would: ids from the names,
// the same readers, parser and limits, every file on its own. It returns
// the documents that could be read, sorted by id, and the rejected files
// with their reasons; the error is for cancellation only. Names must be
// unique.
func (l *Loader) LoadFiles(ctx context.Context, files []File) ([]*Document, []Rejection, []Warning, error) {
	if l.Parser == nil {
		return nil, nil, nil, Errorf(EINTERNAL, "语料加载器未配置文档解析器")
	}
	mf := memFolder{}
	names := make([]string, 0, len(files))
	for _, f := range files {
		if _, dup := mf[f.Name]; dup {
			return nil, nil, nil, Errorf(EINVALID, "文件名重复：%s", f.Name)
		}
		mf[f.Name] = f.Data
		names = append(names, f.Name)
	}
	docs, rejected, warnings, err := l.parseFiles(ctx, mf, Manifest{}, names, l.limits())
	if err != nil {
		return nil, nil, nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Source < rejected[j].Source })
	return docs, rejected, warnings, nil
}

// memFolder is a set of files in memory, by name.
type memFolder map[string][]byte

func (m memFolder) walk(context.Context) ([]string, []Rejection, error) {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil, nil
}

func (m memFolder) read(_ context.Context, name string, limit int64) ([]byte, error) {
	data, ok := m[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	if int64(len(data)) > limit+1 {
		data = data[:limit+1]
	}
	return data, nil
}

// Originals returns the original file of a document by id.
type Originals func(ctx context.Context, id string) ([]byte, error)

// Extras are what a corpus holds besides its documents.
type Extras struct {
	Rejected  []Rejection
	Warnings  []Warning
	Originals Originals // nil: no original files
	// Load loads the body of a stub document (NewStub) by id; required
	// when docs are stubs.
	Load DocumentLoader
}

// Assemble returns a corpus of docs (as New) with the rejected files,
// warnings and original files of p: a corpus read back from an index
// rather than loaded from a folder.
func Assemble(docs []*Document, p Extras) (*Corpus, error) {
	c, err := New(docs)
	if err != nil {
		return nil, err
	}
	c.rejected, c.warnings, c.originals = p.Rejected, p.Warnings, p.Originals
	if p.Load != nil {
		c.cache = &docCache{load: p.Load}
	}
	return c, nil
}
