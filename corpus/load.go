package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Manifest lists per-document metadata that overrides what the parser
// infers from the text.
type Manifest struct {
	Documents []Meta `json:"documents"`
}

// Default loads and parses the embedded seed corpus.
func Default() (*Corpus, error) {
	return Load(Embedded())
}

// LoadDir loads and parses a user's folder of *.txt and *.md documents
// (UTF-8 or GB18030/GBK), with an optional manifest.json beside them.
// A document's id is its file name without extension; the manifest entry
// with that source file name (or id) overrides the metadata inferred from
// the text, field by field.
func LoadDir(dir string) (*Corpus, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("无法读取语料目录：%s", dir), Err: err}
	}
	if !st.IsDir() {
		return nil, Errorf(EINVALID, "语料路径不是目录：%s", dir)
	}
	return Load(os.DirFS(dir))
}

// Load parses every *.txt and *.md file of fsys (at its root, or under
// seeds/ when the root has none) using manifest.json at the root when
// present. Documents are returned sorted by id.
func Load(fsys fs.FS) (*Corpus, error) {
	man, err := readManifest(fsys)
	if err != nil {
		return nil, err
	}
	files, err := documentFiles(fsys)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, Errorf(EINVALID, "语料目录中没有 .txt 或 .md 文档")
	}
	bySource, byID := map[string]Meta{}, map[string]Meta{}
	for _, m := range man.Documents {
		if m.Source != "" {
			bySource[m.Source] = m
		}
		if m.ID != "" {
			byID[m.ID] = m
		}
	}
	parseOne := func(f string) (*Document, error) {
		base := path.Base(f)
		if st, err := fs.Stat(fsys, f); err == nil && st.Size() > MaxDocumentSize {
			return nil, Errorf(ETOOLARGE, "%s 过大（%d 字节），单个文档上限为 %d MB", base, st.Size(), MaxDocumentSize>>20)
		}
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, &Error{Code: EINVALID, Message: "无法读取文档：" + base, Err: err}
		}
		id := strings.TrimSuffix(base, path.Ext(base))
		meta, ok := bySource[base]
		if !ok {
			meta, ok = byID[id]
		}
		if !ok {
			// No manifest entry: everything is inferred from the text.
			meta = Meta{ID: id}
		}
		meta.Source = base
		d, err := Parse(meta, data)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		d.Raw, d.Body = "", "" // see Document.Raw
		return d, nil
	}
	// Documents are parsed independently, on every core; the first error
	// in file order is reported, as with a sequential loop.
	docs := make([]*Document, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				docs[i], errs[i] = parseOne(files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	return New(docs)
}

func readManifest(fsys fs.FS) (Manifest, error) {
	var m Manifest
	data, err := fs.ReadFile(fsys, "manifest.json")
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("read manifest: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, &Error{Code: EINVALID, Message: "manifest.json 格式错误", Err: err}
	}
	return m, nil
}

func documentFiles(fsys fs.FS) ([]string, error) {
	var out []string
	for _, dir := range []string{".", "seeds"} {
		entries, err := fs.ReadDir(fsys, dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", dir, err)
		}
		for _, e := range entries {
			ext := strings.ToLower(path.Ext(e.Name()))
			if !e.IsDir() && (ext == ".txt" || ext == ".md") {
				out = append(out, path.Join(dir, e.Name()))
			}
		}
		if len(out) > 0 {
			break
		}
	}
	return out, nil
}
