package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ingest"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/corpus/watch"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/indexer/store"
	"github.com/zhengce/zhengce/search"
)

// fileLoader returns the loader that parses files added to a running
// index, built on first use (the parser's vocabularies take a while, and
// pdfium starts only when a PDF arrives), and a function that releases
// its readers.
func (m *Main) fileLoader() (func() (*corpus.Loader, error), func() error) {
	var r *ingest.Readers
	get := sync.OnceValues(func() (*corpus.Loader, error) {
		p, err := parse.Default()
		if err != nil {
			return nil, err
		}
		r = ingest.New(ingest.Options{Parser: p, NoOCR: m.Getenv("ZHENGCE_NO_OCR") != ""})
		return r.Loader(), nil
	})
	return get, func() error {
		if r == nil {
			return nil
		}
		return r.Close()
	}
}

// openServed opens the index in dir for serving. Without corpusDir an
// existing self-contained index is served as it is: no document is
// parsed. With corpusDir, or without an index, the corpus (the embedded
// seeds by default) is parsed first and the index rebuilt when it does not
// match it.
func (m *Main) openServed(ctx context.Context, dir, corpusDir string, loader func() (*corpus.Loader, error)) (*search.Live, error) {
	if corpusDir == "" && search.HasLibrary(dir) {
		// the index is the collection (uploads and added files live only
		// there): one that cannot be opened is reported, never replaced
		live, err := m.openLibrary(dir, loader)
		if err != nil && errors.Is(err, indexer.ErrCorrupt) {
			// damaged index files: the documents are in the store
			m.reportRepair(err)
			if rerr := m.repairFromStore(ctx, dir); rerr != nil {
				return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引已损坏且无法从文档库修复：" + dir +
					"（请用 zhengce index --corpus 目录 重新建立，或用 --index 指定其他目录）", Err: errors.Join(err, rerr)}
			}
			return m.openLibrary(dir, loader)
		}
		if err != nil && corpus.ErrorCode(err) == corpus.EINVALID && !errors.Is(err, store.ErrLocked) {
			return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引目录中的索引无法打开：" + dir +
				"（请用 zhengce index --corpus 目录 重新建立，或用 --index 指定其他目录）", Err: err}
		}
		return live, err
	}
	early := m.prefetchSegmenter(dir, corpusDir) // overlaps with parsing the corpus
	c, err := m.loadCorpus(ctx, corpusDir)
	if err != nil {
		return nil, err
	}
	seg, err := m.segmenterFor(dir, c, early)
	if err != nil {
		return nil, err
	}
	svc, err := search.Ensure(ctx, dir, c, seg, m.progress("建立索引"))
	if err != nil {
		return nil, err
	}
	if err := svc.Close(); err != nil {
		return nil, fmt.Errorf("close index: %w", err)
	}
	return m.openLibrary(dir, loader)
}

// openLibrary opens the self-contained index in dir with its own domain
// dictionary (gse's full dictionary when it has none).
func (m *Main) openLibrary(dir string, loader func() (*corpus.Loader, error)) (*search.Live, error) {
	// the dictionary loads on one core while the index opens on the other
	segc := make(chan error, 1)
	var seg *indexer.Segmenter
	go func() {
		var err error
		seg, err = m.indexSegmenter(dir)
		segc <- err
	}()
	live, err := search.OpenLibrary(dir, loader, nil)
	serr := <-segc
	if err != nil {
		return nil, err
	}
	if serr == nil {
		serr = live.SetSegmenter(seg)
	}
	if serr != nil {
		return nil, errors.Join(serr, live.Close())
	}
	return live, nil
}

// reportRepair tells the user why the index files are rebuilt from the
// document store: an index written by an earlier version (an upgrade),
// or damage.
func (m *Main) reportRepair(err error) {
	if errors.Is(err, indexer.ErrFormat) {
		fmt.Fprintln(m.Stderr, "索引由旧版本建立，正在用文档库中的文档重新建立索引（文档与上传均保留）")
		return
	}
	fmt.Fprintln(m.Stderr, "索引文件已损坏，正在用文档库中的文档重新建立：", describe(err))
}

// repairFromStore rebuilds the index in dir from the documents of its own
// document store (their bodies, original files and origins), for index
// files that are damaged while the store is sound.
func (m *Main) repairFromStore(ctx context.Context, dir string) error {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("index directory: %w", err)
	}
	st, err := store.Open(filepath.Join(root, store.File), store.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	seg, err := m.loadSegmenter()
	if err == nil {
		err = indexer.Rebuild(ctx, dir, st, seg, m.progress("建立索引"))
	}
	return errors.Join(err, st.Close())
}

// indexSegmenter returns the segmenter of the index in dir: its own
// domain dictionary, or gse's full one when it has none usable.
func (m *Main) indexSegmenter(dir string) (*indexer.Segmenter, error) {
	seg, err := indexer.LoadIndexSegmenter(dir)
	if err == nil {
		return seg, nil
	}
	if code := corpus.ErrorCode(err); code != corpus.ENOTFOUND && code != corpus.EINVALID {
		return nil, err
	}
	return m.loadSegmenter()
}

// runAdd implements `zhengce add [--index DIR] PATH…`: parse the files
// (folders recursively) and add them to the index, replacing documents
// of the same id. The index must not be served meanwhile: a running
// server takes files over its API.
func (m *Main) runAdd(ctx context.Context, args []string) (err error) {
	fs := m.flagSet("add")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	jsonOut := fs.Bool("json", false, "以 JSON 输出每个文件的结果")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce add [--index DIR] [--json] 文件或目录…")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return corpus.Errorf(corpus.EINVALID, "请给出要添加的文件或目录")
	}
	files, err := readPaths(ctx, fs.Args(), corpus.DefaultLimits().MaxFileSize)
	if err != nil {
		return err
	}
	live, closeAll, err := m.openForChange(m.indexDir(*indexDir))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closeAll(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	results, err := live.Add(ctx, "cli", files)
	if err != nil {
		return err
	}
	return m.printResults(results, *jsonOut)
}

// runRemove implements `zhengce remove [--index DIR] ID…`.
func (m *Main) runRemove(ctx context.Context, args []string) (err error) {
	fs := m.flagSet("remove")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	jsonOut := fs.Bool("json", false, "以 JSON 输出结果")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce remove [--index DIR] [--json] 文档编号…")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return corpus.Errorf(corpus.EINVALID, "请给出要删除的文档编号")
	}
	live, closeAll, err := m.openForChange(m.indexDir(*indexDir))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := closeAll(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	results, err := live.Remove(ctx, fs.Args())
	if err != nil {
		return err
	}
	return m.printResults(results, *jsonOut)
}

// openForChange opens the index in dir to change it from the command line.
func (m *Main) openForChange(dir string) (*search.Live, func() error, error) {
	if !search.HasLibrary(dir) {
		return nil, nil, corpus.Errorf(corpus.ENOTFOUND, "索引目录中没有可修改的索引：%s（请先运行 zhengce index）", dir)
	}
	loader, closeLoader := m.fileLoader()
	live, err := m.openLibrary(dir, loader)
	if err != nil {
		return nil, nil, errors.Join(err, closeLoader())
	}
	return live, func() error { return errors.Join(live.Close(), closeLoader()) }, nil
}

// printResults prints the outcome of a change, one line per file or
// document, or as JSON.
func (m *Main) printResults(results []corpus.ChangeResult, asJSON bool) error {
	if asJSON {
		return writeJSON(m.Stdout, map[string]any{"documents": results})
	}
	for _, r := range results {
		switch r.Status {
		case corpus.ChangeIndexed:
			verb := "已索引"
			if r.Replaced {
				verb = "已替换"
			}
			fmt.Fprintf(m.Stdout, "%s  %s → %s\n", verb, r.Source, r.ID)
		case corpus.ChangeRemoved:
			fmt.Fprintf(m.Stdout, "已删除  %s\n", r.ID)
		default:
			fmt.Fprintf(m.Stdout, "未索引  %s：%s\n", r.Source, r.Reason)
		}
	}
	return nil
}

// readPaths reads the files named by paths: a file by its base name, a
// folder's files (recursively, as a folder build picks them) by their
// paths relative to it. A file over limit is read only to limit+1 bytes,
// so the loader rejects it with the limit's reason.
func readPaths(ctx context.Context, paths []string, limit int64) ([]corpus.File, error) {
	var files []corpus.File
	seen := map[string]bool{}
	add := func(name, path string) error {
		if seen[name] {
			return corpus.Errorf(corpus.EINVALID, "文件名重复：%s（请分批添加，或给文件改名）", name)
		}
		seen[name] = true
		f, err := os.Open(path)
		if err != nil {
			return &corpus.Error{Code: corpus.EINVALID, Message: "无法读取文件：" + path, Err: err}
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return &corpus.Error{Code: corpus.EINVALID, Message: "无法读取文件：" + path, Err: err}
		}
		data, err := io.ReadAll(io.LimitReader(f, limit+1))
		if err != nil {
			return &corpus.Error{Code: corpus.EINVALID, Message: "无法读取文件：" + path, Err: err}
		}
		files = append(files, corpus.File{Name: name, Data: data, ModTime: st.ModTime()})
		return nil
	}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法读取：" + p, Err: err}
		}
		if !st.IsDir() {
			if err := add(filepath.Base(p), p); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, rerr := filepath.Rel(p, path)
			if rerr != nil {
				return rerr
			}
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if rel != "." && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() || !corpus.Candidate(rel) {
				return nil
			}
			return add(rel, path)
		})
		if err != nil {
			var ce *corpus.Error
			if errors.As(err, &ce) {
				return nil, err
			}
			return nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法读取目录：" + p, Err: err}
		}
	}
	if len(files) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "没有找到可添加的文件（支持 .txt .md .pdf .docx .doc .wps .html .ofd）")
	}
	return files, nil
}

// startWatch keeps the index in step with the folder dir until ctx is
// done; the returned function stops it and waits.
func (m *Main) startWatch(ctx context.Context, dir, indexDir string, live *search.Live) (func(), error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("watch folder: %w", err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, corpus.Errorf(corpus.EINVALID, "监视的目录不存在或不是目录：%s", dir)
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// the index (its versions beside it) is never watched, were it inside
	ix, err := filepath.Abs(indexDir)
	if err != nil {
		return nil, fmt.Errorf("watch folder: %w", err)
	}
	w := &watch.Watcher{Dir: abs, Coll: live, Logger: logger, Exclude: []string{ix, filepath.Join(filepath.Dir(ix), "."+filepath.Base(ix)+".versions")}}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("watch stopped", "dir", abs, "err", err)
		}
	}()
	fmt.Fprintf(m.Stderr, "正在监视目录：%s\n", abs)
	return func() { cancel(); <-done }, nil
}
