package corpus

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Batch bounds of a streamed load: a batch holds at most this many bytes
// of files, or this many files. Each batch becomes a segment of the
// index, so a collection of small files wants many of them in a batch:
// on the laws corpus (2,607 files, 44 MB) batches of 2,048 files rather
// than 512 built 8 % faster and served 7 % more requests a second, with
// 15 MB less resident at the last answer of a load run, for a build peak
// of 0.86–0.96 GB instead of 0.58–0.65 (docs/scaling.md).
const (
	StreamBatchBytes = 32 << 20
	StreamBatchFiles = 2048
)

// StreamDir loads the folder dir as LoadDir does — the same files, ids,
// readers and limits — but hands the documents to fn in batches of at
// most StreamBatchBytes of files, in corpus order (by id), so a folder of
// any size is read in bounded memory: a batch is parsed while fn handles
// the one before. Each batch is a Corpus whose Original reads the files.
// It returns the files rejected and the remarks about those read.
func (l *Loader) StreamDir(ctx context.Context, dir string, fn func(batch *Corpus) error) ([]Rejection, []Warning, error) {
	if l.Parser == nil {
		return nil, nil, Errorf(EINTERNAL, "语料加载器未配置文档解析器")
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, &Error{Code: EINVALID, Message: "无法读取语料目录：" + dir, Err: err}
	}
	if !st.IsDir() {
		return nil, nil, Errorf(EINVALID, "语料路径不是目录：%s", dir)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err == nil {
		root, err = filepath.Abs(root)
	}
	if err != nil {
		return nil, nil, &Error{Code: EINVALID, Message: "无法读取语料目录：" + dir, Err: err}
	}
	f := &osFolder{root: root}
	lim := l.limits()
	man := Manifest{}
	if l.Manifest != nil {
		man = *l.Manifest
	} else if man, err = readManifestFrom(ctx, f); err != nil {
		return nil, nil, err
	}
	files, rejected, err := f.walk(ctx)
	if err != nil {
		return nil, nil, err
	}
	ids := assignIDs(files)
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return ids[order[a]].id < ids[order[b]].id })
	// batches by the size of the files
	type batch struct {
		files []string
		ids   []docID
	}
	var batches []batch
	var cur batch
	var size int64
	for _, i := range order {
		n := int64(0)
		if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(files[i]))); err == nil {
			n = fi.Size()
		}
		if len(cur.files) > 0 && (size+n > StreamBatchBytes || len(cur.files) >= StreamBatchFiles) {
			batches = append(batches, cur)
			cur, size = batch{}, 0
		}
		cur.files = append(cur.files, files[i])
		cur.ids = append(cur.ids, ids[i])
		size += n
	}
	if len(cur.files) > 0 {
		batches = append(batches, cur)
	}
	type parsed struct {
		c   *Corpus
		err error
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// one batch parsed ahead: the parser holds it until it is taken
	// (another parsed into a buffer would only add to the live heap:
	// parsing a batch takes less time than indexing one)
	out := make(chan parsed)
	var warnings []Warning
	var more []Rejection
	dropped := false // a parsed batch was not handed over: the stream stopped
	go func() {
		defer close(out)
		for _, b := range batches {
			docs, rej, warn, err := l.parseFilesAs(ctx, f, man, b.files, b.ids, lim)
			if err != nil {
				out <- parsed{err: err}
				return
			}
			more, warnings = append(more, rej...), append(warnings, warn...)
			sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
			c, err := New(docs)
			if err == nil {
				c.folder, c.limits = f, lim
			}
			select {
			case out <- parsed{c: c, err: err}:
			case <-ctx.Done():
				dropped = true
				return
			}
		}
	}()
	read := 0
	var ferr error
	for p := range out {
		if p.err != nil {
			ferr = p.err
			break
		}
		if len(p.c.Documents()) == 0 {
			continue
		}
		read += len(p.c.Documents())
		if err := fn(p.c); err != nil {
			ferr = err
			break
		}
	}
	cancel()
	for range out { // let the parser finish before its results are read
	}
	if ferr == nil && dropped {
		// cancelled between batches: never a success with batches missing
		ferr = &Error{Code: ETIMEOUT, Message: "读取语料已中止", Err: context.Cause(parent)}
	}
	if ferr != nil {
		return nil, nil, ferr
	}
	rejected = append(rejected, more...)
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Source < rejected[j].Source })
	sort.SliceStable(warnings, func(i, j int) bool { return warnings[i].Source < warnings[j].Source })
	if read == 0 {
		msg := "语料目录中没有可读取的文档（支持 .txt .md .pdf .docx .doc .wps .html .ofd）"
		if len(rejected) > 0 {
			msg = "语料目录中没有可读取的文档：" + path.Base(rejected[0].Source) + "：" + rejected[0].Reason
		}
		return rejected, warnings, Errorf(EINVALID, "%s", msg)
	}
	return rejected, warnings, nil
}
