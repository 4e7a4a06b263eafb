package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Manifest lists per-document metadata that overrides what the parser
// infers from the text.
type Manifest struct {
	Documents []Meta `json:"documents"`
}

// Rejection is a file of a corpus folder that was not indexed, with the
// reason, in Chinese, a user can act on.
type Rejection struct {
	Source string `json:"source"` // path relative to the corpus folder
	Reason string `json:"reason"`
}

// Warning is a remark about a file that was indexed, such as a document id
// changed because another file had the same one.
type Warning struct {
	Source  string `json:"source"`
	Message string `json:"message"`
}

// Parser turns a document into the model: the bytes of a text or
// markdown file (Parse), or what a format reader returned (ParseSource).
// The parser of zhengce is *parse.Parser (package corpus/parse), which
// holds its vocabularies (theme taxonomy, indicator grouping); this
// package knows it only through this interface, so that it does not depend
// on any parser.
type Parser interface {
	Parse(meta Meta, data []byte) (*Document, error)
	ParseSource(meta Meta, src *Source) (*Document, error)
}

// Loader reads a corpus folder: every supported file, recursively, in any
// format it has a Reader for, parsed by its Parser. A Loader with a Parser
// and no Readers reads .txt and .md files only, with DefaultLimits; a
// Loader without a Parser fails with an EINTERNAL error.
//
// parse.Load, parse.LoadDir and parse.Seeds (package corpus/parse) load
// with the default parser; corpus/ingest adds the format readers.
//
// Loading never fails because of one file: a file that cannot be read
// (empty, binary, encrypted, a scan without OCR, over a limit, a FIFO, a
// link leading outside the folder …) is listed in Corpus.Rejected with its
// reason, and the others are indexed. Load fails only when the folder
// itself cannot be read, the manifest is malformed, the context is
// cancelled, or no document at all could be read.
type Loader struct {
	// Parser parses every file; required.
	Parser Parser
	// Readers read the binary formats (PDF, DOCX, DOC, HTML, OFD), by
	// format. Text and markdown are read by the text parser itself.
	Readers map[Format]Reader
	// Limits bound every file; the zero value means DefaultLimits.
	Limits Limits
	// Manifest, when set, is used instead of manifest.json in the folder.
	Manifest *Manifest
	// Cores, when set, is held by each parse worker while it reads and
	// parses a file: a streamed build shares it with the indexer's steps
	// (indexer.StreamBuilder.Cores). Nil: the workers run unbounded.
	Cores *Cores
}

// LoadDir loads the documents of the folder dir and its sub-folders, with
// manifest.json beside them when present. Only regular files are read;
// symbolic links are followed only to regular files inside dir.
func (l *Loader) LoadDir(ctx context.Context, dir string) (*Corpus, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("无法读取语料目录：%s", dir), Err: err}
	}
	if !st.IsDir() {
		return nil, Errorf(EINVALID, "语料路径不是目录：%s", dir)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("无法读取语料目录：%s", dir), Err: err}
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("corpus folder: %w", err)
	}
	return l.load(ctx, &osFolder{root: root})
}

// LoadFS loads the documents of fsys, recursively, with manifest.json at
// its root when present.
func (l *Loader) LoadFS(ctx context.Context, fsys fs.FS) (*Corpus, error) {
	return l.load(ctx, &fsFolder{fsys: fsys})
}

// folder is where a corpus is read from: a directory of the machine, or
// an fs.FS (the embedded seeds, tests).
type folder interface {
	// walk lists the candidate files (slash-separated paths relative to
	// the folder) and the entries that are rejected outright (devices,
	// links leading outside).
	walk(ctx context.Context) (files []string, rejected []Rejection, err error)
	// read returns the content of a file, at most limit+1 bytes.
	read(ctx context.Context, name string, limit int64) ([]byte, error)
}

// Original returns the bytes of a document's original file and its format,
// for download. The file is read again from the corpus folder, with the
// same checks as when it was loaded.
func (c *Corpus) Original(ctx context.Context, id string) ([]byte, Format, error) {
	d, err := c.Document(id)
	if err != nil {
		return nil, "", err
	}
	f := d.Format
	if f == "" {
		f = FormatText
	}
	if c.originals != nil {
		data, err := c.originals(ctx, id)
		if err != nil {
			return nil, "", err
		}
		return data, f, nil
	}
	if c.folder == nil || d.Source == "" {
		return nil, "", Errorf(ENOTFOUND, "文档 %s 的原始文件不可用", id)
	}
	data, err := c.folder.read(ctx, d.Source, c.limits.MaxFileSize)
	if err != nil {
		return nil, "", &Error{Code: ENOTFOUND, Message: fmt.Sprintf("文档 %s 的原始文件已无法读取", id), Err: err}
	}
	if int64(len(data)) > c.limits.MaxFileSize {
		return nil, "", Errorf(ETOOLARGE, "文档 %s 的原始文件过大", id)
	}
	return data, f, nil
}

// Rejected returns the files of the corpus folder that were not indexed,
// sorted by source path.
func (c *Corpus) Rejected() []Rejection { return c.rejected }

// Warnings returns the remarks about indexed files, sorted by source path.
func (c *Corpus) Warnings() []Warning { return c.warnings }

func (l *Loader) limits() Limits {
	if l.Limits == (Limits{}) {
		return DefaultLimits()
	}
	return l.Limits
}

// loaded is the outcome of reading one file.
type loaded struct {
	doc    *Document
	reason string
}

func (l *Loader) load(ctx context.Context, f folder) (*Corpus, error) {
	if l.Parser == nil {
		return nil, Errorf(EINTERNAL, "语料加载器未配置文档解析器")
	}
	lim := l.limits()
	man := Manifest{}
	if l.Manifest != nil {
		man = *l.Manifest
	} else {
		var err error
		if man, err = readManifestFrom(ctx, f); err != nil {
			return nil, err
		}
	}
	files, rejected, err := f.walk(ctx)
	if err != nil {
		return nil, err
	}
	docs, more, warnings, err := l.parseFiles(ctx, f, man, files, lim)
	if err != nil {
		return nil, err
	}
	rejected = append(rejected, more...)
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].Source < rejected[j].Source })
	// by path, as documented (a folder walk visits sub/ before sub.x/);
	// stable: a file's remarks stay in order
	sort.SliceStable(warnings, func(i, j int) bool { return warnings[i].Source < warnings[j].Source })
	if len(docs) == 0 {
		msg := "语料目录中没有可读取的文档（支持 .txt .md .pdf .docx .doc .wps .html .ofd）"
		if len(rejected) > 0 {
			msg = fmt.Sprintf("语料目录中没有可读取的文档：%d 个文件均未能读取，第一个是 %s：%s", len(rejected), rejected[0].Source, rejected[0].Reason)
		}
		return nil, Errorf(EINVALID, "%s", msg)
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	c, err := New(docs)
	if err != nil {
		return nil, err
	}
	c.rejected, c.warnings, c.folder, c.limits = rejected, warnings, f, lim
	return c, nil
}

// parseFiles reads and parses files of f on every core, with the metadata
// the manifest gives them. A file that cannot be read is rejected with its
// reason; the error is for cancellation only.
func (l *Loader) parseFiles(ctx context.Context, f folder, man Manifest, files []string, lim Limits) ([]*Document, []Rejection, []Warning, error) {
	return l.parseFilesAs(ctx, f, man, files, assignIDs(files), lim)
}

// parseFilesAs is parseFiles with the ids of the files given (a streamed
// load assigns them over the whole folder, then parses it in batches).
func (l *Loader) parseFilesAs(ctx context.Context, f folder, man Manifest, files []string, ids []docID, lim Limits) ([]*Document, []Rejection, []Warning, error) {
	bySource, byID := map[string]Meta{}, map[string]Meta{}
	for _, m := range man.Documents {
		if m.Source != "" {
			bySource[m.Source] = m
		}
		if m.ID != "" {
			byID[m.ID] = m
		}
	}
	results := make([]loaded, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				meta, ok := bySource[files[i]]
				if !ok {
					meta, ok = bySource[path.Base(files[i])]
				}
				if !ok {
					meta, ok = byID[ids[i].id]
				}
				if !ok {
					meta = Meta{}
				}
				meta.ID, meta.Source = ids[i].id, files[i]
				l.Cores.Acquire()
				results[i] = l.readOne(ctx, f, meta, lim)
				l.Cores.Release()
			}
		}()
	}
dispatch:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, &Error{Code: ETIMEOUT, Message: "读取语料已中止", Err: err}
	}
	var docs []*Document
	var warnings []Warning
	var rejected []Rejection
	for i, r := range results {
		if r.doc == nil {
			rejected = append(rejected, Rejection{Source: files[i], Reason: r.reason})
			continue
		}
		docs = append(docs, r.doc)
		if ids[i].note != "" {
			warnings = append(warnings, Warning{Source: files[i], Message: ids[i].note})
		}
		if n := r.doc.TargetsOmitted; n > 0 {
			warnings = append(warnings, Warning{Source: files[i], Message: fmt.Sprintf("抽取的目标数超过上限（每个条目 50 个、每篇文档 2000 个），另有 %d 个目标未收录；如确需收录，请将长段落拆分或把文件分成几个文件", n)})
		}
	}
	return docs, rejected, warnings, nil
}

// readOne reads and parses one file within the per-file time limit. A file
// that fails gets its reason; nothing else is affected.
func (l *Loader) readOne(ctx context.Context, f folder, meta Meta, lim Limits) (res loaded) {
	fctx := ctx
	if lim.PerFileTimeout > 0 {
		var cancel context.CancelFunc
		fctx, cancel = context.WithTimeout(ctx, lim.PerFileTimeout)
		defer cancel()
	}
	done := make(chan loaded, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- loaded{reason: fmt.Sprintf("无法解析此文件（解析器内部错误：%v）", p)}
			}
		}()
		d, err := l.parseFile(fctx, f, meta, lim)
		if err != nil {
			done <- loaded{reason: rejectReason(err)}
			return
		}
		done <- loaded{doc: d}
	}()
	select {
	case r := <-done:
		return r
	case <-fctx.Done():
		if ctx.Err() != nil {
			return loaded{reason: "读取已中止"}
		}
		return loaded{reason: fmt.Sprintf("处理超时（单个文件上限 %s）", lim.PerFileTimeout)}
	}
}

// rejectReason is the user-facing reason of a file's error.
func rejectReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "处理超时"
	}
	return "无法读取此文件：" + err.Error()
}

func (l *Loader) parseFile(ctx context.Context, f folder, meta Meta, lim Limits) (*Document, error) {
	name := meta.Source
	data, err := f.read(ctx, name, lim.MaxFileSize)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxFileSize {
		return nil, Errorf(ETOOLARGE, "文件过大，单个文件上限为 %d MB", lim.MaxFileSize>>20)
	}
	if len(data) == 0 {
		return nil, Errorf(EINVALID, "空文件（0 字节），没有正文")
	}
	format, ok := DetectFormat(strings.ToLower(name), data)
	if !ok {
		return nil, Errorf(EINVALID, "不支持的压缩包或文件类型（%s）：支持 .txt .md .pdf .docx .doc .wps .html .ofd", extOf(name))
	}
	if (format == FormatText || format == FormatMD) && !textExtension(name) {
		return nil, Errorf(EINVALID, "不支持的文件类型（%s）：支持 .txt .md .pdf .docx .doc .wps .html .ofd", extOf(name))
	}
	var d *Document
	switch format {
	case FormatText, FormatMD:
		if int64(len(data)) > MaxDocumentSize {
			return nil, Errorf(ETOOLARGE, "文本文件过大（%d 字节），单个文本文档上限为 %d MB", len(data), MaxDocumentSize>>20)
		}
		meta.Format = format
		d, err = l.Parser.Parse(meta, data)
	default:
		r := l.Readers[format]
		if r == nil {
			return nil, Errorf(EINVALID, "此版本未启用 %s 格式的读取", format.Name())
		}
		var src *Source
		src, err = r.Read(ctx, data, lim)
		if err == nil {
			meta.Format = format
			d, err = l.Parser.ParseSource(meta, src)
		}
	}
	if err != nil {
		return nil, err
	}
	d.Format = format
	d.Raw, d.Body = "", "" // see Document.Raw
	return d, nil
}

func extOf(name string) string {
	if e := path.Ext(name); e != "" {
		return e
	}
	return "无扩展名"
}

// textExtension reports whether name is a text document by its extension;
// files of other extensions are read only when their content is one of
// the binary formats.
func textExtension(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".md", ".markdown", ".text":
		return true
	}
	return false
}

// Candidate reports whether a folder build looks at the file name
// (slash-separated, relative to the folder): everything but the manifest,
// the operating system's and office suites' leftovers (~$x.docx, ._x,
// .DS_Store, Thumbs.db, desktop.ini). Folders whose name starts with a dot
// are not entered at all.
func Candidate(name string) bool { return candidate(name) }

// candidate reports whether a file of the folder is looked at: everything
// but the manifest, the operating system's and office suites' leftovers.
func candidate(name string) bool {
	base := path.Base(name)
	switch strings.ToLower(base) {
	case "manifest.json", ".ds_store", "thumbs.db", "desktop.ini":
		return false
	}
	return !strings.HasPrefix(base, "~$") && !strings.HasPrefix(base, "._")
}

// docID is the id of a file and, when it had to be changed, why.
type docID struct {
	id, note string
}

// assignIDs derives document ids from the files' paths. The id of a file
// is its name without extension, with the characters that cannot appear in
// a link path segment or a unit id (/ \ ? # % control, format and space
// characters) replaced by _, and leading dots removed (SanitizeID). When
// several files get the same id (通知.pdf and 通知.doc, or the same name in
// two sub-folders), each of them gets the id of its whole relative path
// (2024/通知.pdf → 2024_通知_pdf) instead, numbered -2, -3 … if that still
// collides; the choice depends only on the set of paths.
func assignIDs(files []string) []docID {
	base := make([]string, len(files))
	count := map[string]int{}
	for i, f := range files {
		b := path.Base(f)
		base[i] = SanitizeID(strings.TrimSuffix(b, path.Ext(b)))
		count[base[i]]++
	}
	out := make([]docID, len(files))
	used := map[string]bool{}
	for i := range files {
		if count[base[i]] == 1 {
			out[i] = docID{id: base[i]}
			used[base[i]] = true
		}
	}
	for i, f := range files {
		if count[base[i]] == 1 {
			continue
		}
		long := SanitizeID(strings.ReplaceAll(strings.TrimSuffix(f, path.Ext(f))+"_"+strings.TrimPrefix(path.Ext(f), "."), "/", "_"))
		id := long
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", long, n)
		}
		used[id] = true
		out[i] = docID{id: id, note: fmt.Sprintf("有 %d 个文件的编号都是 %s，此文件的编号改为 %s", count[base[i]], base[i], id)}
	}
	return out
}

// SanitizeID turns a file name (without extension) into a document id that
// works in every place an id appears: link paths, unit ids
// ({doc_id}/{path}), citations, the command line and JSON. Characters
// that would break one of them — / \ ? # % and control, format (bidi) and
// space characters — become _, leading dots are removed, and an empty
// result is "doc". Chinese, emoji and every other character are kept.
func SanitizeID(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, r == '/', r == '\\', r == '?', r == '#', r == '%', r == '"', r == '<', r == '>',
			unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.IsSpace(r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	id := strings.TrimLeft(b.String(), ".")
	if id == "" || strings.Trim(id, "_") == "" {
		return "doc"
	}
	if len(id) > 200 {
		cut := 200
		for !utf8.RuneStart(id[cut]) {
			cut--
		}
		id = id[:cut]
	}
	return id
}

// ReadManifest reads manifest.json at the root of fsys: an empty
// Manifest when there is none, an EINVALID error when it is malformed.
func ReadManifest(fsys fs.FS) (Manifest, error) {
	return readManifestFrom(context.Background(), &fsFolder{fsys: fsys})
}

func readManifestFrom(ctx context.Context, f folder) (Manifest, error) {
	var m Manifest
	data, err := f.read(ctx, "manifest.json", 16<<20)
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

// fsFolder is a corpus in an fs.FS.
type fsFolder struct {
	fsys fs.FS
}

func (f *fsFolder) walk(ctx context.Context) ([]string, []Rejection, error) {
	var files []string
	var rejected []Rejection
	err := fs.WalkDir(f.fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			rejected = append(rejected, Rejection{Source: p, Reason: "无法读取：" + err.Error()})
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if e.IsDir() {
			if p != "." && strings.HasPrefix(e.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !candidate(p) {
			return nil
		}
		if !e.Type().IsRegular() {
			rejected = append(rejected, Rejection{Source: p, Reason: "不是普通文件（设备、管道或链接），未读取"})
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, nil, &Error{Code: EINVALID, Message: "无法读取语料目录", Err: err}
	}
	return files, rejected, nil
}

func (f *fsFolder) read(ctx context.Context, name string, limit int64) ([]byte, error) {
	r, err := f.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := readAll(r, limit)
	if err != nil {
		return nil, &Error{Code: EINVALID, Message: "无法读取文件", Err: err}
	}
	return data, nil
}

// readAll reads r to its end or to limit+1 bytes (more than the limit:
// the caller rejects the file), as io.ReadAll(io.LimitReader(r, limit+1))
// does, but when r tells its size (a file's Stat) into one buffer of that
// size instead of a buffer doubled from 512 bytes: a corpus build reads
// gigabytes.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	lr := io.LimitReader(r, limit+1)
	st, ok := r.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return io.ReadAll(lr)
	}
	fi, err := st.Stat()
	if err != nil || fi.Size() <= 0 {
		return io.ReadAll(lr)
	}
	// one spare byte: the read after the last one finds the end without
	// growing the buffer
	b := make([]byte, 0, min(fi.Size(), limit)+1)
	for {
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) { // the file grew: grow as io.ReadAll does
			b = append(b, 0)[:len(b)]
		}
	}
}

// osFolder is a corpus folder of the machine. It reads regular files only,
// and follows a symbolic link only when it leads to a regular file inside
// the folder.
type osFolder struct {
	root string // absolute, symbolic links resolved
}

func (f *osFolder) walk(ctx context.Context) ([]string, []Rejection, error) {
	var files []string
	var rejected []Rejection
	err := filepath.WalkDir(f.root, func(p string, e fs.DirEntry, err error) error {
		rel, rerr := filepath.Rel(f.root, p)
		if rerr != nil {
			return fmt.Errorf("walk: %w", rerr)
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == f.root {
				return err
			}
			rejected = append(rejected, Rejection{Source: rel, Reason: "无法读取：" + err.Error()})
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if e.IsDir() {
			if p != f.root && strings.HasPrefix(e.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !candidate(rel) {
			return nil
		}
		switch t := e.Type(); {
		case t.IsRegular():
			files = append(files, rel)
		case t&fs.ModeSymlink != 0:
			if reason := f.checkLink(p); reason != "" {
				rejected = append(rejected, Rejection{Source: rel, Reason: reason})
				return nil
			}
			files = append(files, rel)
		default:
			rejected = append(rejected, Rejection{Source: rel, Reason: "不是普通文件（设备、管道或套接字），未读取"})
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, &Error{Code: ETIMEOUT, Message: "读取语料已中止", Err: err}
		}
		return nil, nil, &Error{Code: EINVALID, Message: "无法读取语料目录", Err: err}
	}
	return files, rejected, nil
}

// checkLink returns why the symbolic link p is not followed, or "".
func (f *osFolder) checkLink(p string) string {
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "符号链接无效（目标不存在或链接成环），未读取"
	}
	if !within(f.root, target) {
		return "符号链接指向语料目录之外，出于安全考虑未读取"
	}
	st, err := os.Stat(target)
	if err != nil {
		return "符号链接无效，未读取"
	}
	if st.IsDir() {
		return "符号链接指向目录，未读取（目录中的文件已按其原路径收录）"
	}
	if !st.Mode().IsRegular() {
		return "符号链接指向的不是普通文件（设备、管道或套接字），未读取"
	}
	return ""
}

// within reports whether path p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

func (f *osFolder) read(ctx context.Context, name string, limit int64) ([]byte, error) {
	p := filepath.Join(f.root, filepath.FromSlash(name))
	if !within(f.root, p) {
		return nil, Errorf(EINVALID, "路径不在语料目录内")
	}
	if st, err := os.Lstat(p); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if reason := f.checkLink(p); reason != "" {
			return nil, Errorf(EINVALID, "%s", reason)
		}
	}
	r, err := openRegular(p)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	type result struct {
		data []byte
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		data, err := readAll(r, limit)
		ch <- result{data, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			return nil, &Error{Code: EINVALID, Message: "无法读取文件", Err: res.err}
		}
		return res.data, nil
	case <-ctx.Done():
		return nil, &Error{Code: ETIMEOUT, Message: "读取文件超时", Err: ctx.Err()}
	}
}

// openRegular opens p for reading without blocking (a FIFO put in place
// of the file after the walk would block an ordinary open for ever) and
// checks that what was opened is a regular file.
func openRegular(p string) (*os.File, error) {
	r, err := os.OpenFile(p, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &Error{Code: EINVALID, Message: "无法打开文件", Err: err}
	}
	st, err := r.Stat()
	if err != nil {
		r.Close()
		return nil, &Error{Code: EINVALID, Message: "无法读取文件信息", Err: err}
	}
	if !st.Mode().IsRegular() {
		r.Close()
		return nil, Errorf(EINVALID, "不是普通文件（设备、管道或套接字），未读取")
	}
	return r, nil
}
