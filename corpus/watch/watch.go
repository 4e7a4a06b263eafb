// Package watch keeps a collection in step with a folder: the files
// added to, changed in and deleted from the folder are added to, replaced
// in and removed from a corpus.Collection (`zhengce serve --watch DIR`).
//
// The folder is polled (every 500 ms by default), which works the same on
// every platform and file system, network shares included. A pass lists
// the folder as a folder build would (corpus.Candidate) — recursively,
// without hidden folders, the manifest and the office suites' leftovers,
// following a symbolic link only to a regular file inside the folder —
// and, unlike a build, without hidden files either, which are the
// temporary files of editors and sync tools; it compares the listing
// with the files the collection holds from that folder
// (Collection.Sources of the origin "watch:" + the folder):
//
//   - a file the collection does not hold is added;
//   - a file whose size or modification time differs from its stamp is
//     read, and added again only when its SHA-256 differs too, so that
//     touching a file does not re-index it;
//   - a file the collection holds that is gone from the folder is
//     removed (a rename is a removal and an addition).
//
// A file is read only once its size and modification time have stayed
// the same for Watcher.Settle, so that a file being copied into the
// folder is not indexed half-written. A file the collection rejects (not
// a document, encrypted, too large …) is reported once and tried again
// only when it changes; a document of a file that becomes unreadable
// stays indexed as it was. The folder is the truth: a watched document
// removed by other means is added again while its file is there.
package watch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// Defaults of the Watcher's settings.
const (
	// DefaultInterval is the polling period of Run.
	DefaultInterval = 500 * time.Millisecond
	// DefaultSettle is how long a file must stay unchanged before it is
	// read.
	DefaultSettle = 300 * time.Millisecond
	// DefaultBatchFiles is the most files handed to one Collection.Add
	// call.
	DefaultBatchFiles = 32
	// DefaultBatchBytes is the most bytes of files handed to one
	// Collection.Add call.
	DefaultBatchBytes = 64 << 20
)

// mtimeSlack covers file systems that keep modification times in whole
// seconds (ext3, HFS+) or two-second steps (FAT): a file whose time is
// older than Settle plus this has not been written for at least Settle.
const mtimeSlack = 2 * time.Second

// Watcher applies the changes of a folder to a collection. Set its fields
// before the first Sync or Run and do not change them afterwards; a
// Watcher must not be copied after first use. Sync and Run may be called
// from several goroutines: passes run one at a time.
type Watcher struct {
	// Dir is the folder watched. A relative path is made absolute once,
	// at the first pass.
	Dir string
	// Coll is where the changes go; required.
	Coll corpus.Collection
	// Interval is the polling period of Run; zero means DefaultInterval.
	Interval time.Duration
	// Settle is how long a file's size and modification time must stay
	// the same before it is read; zero means DefaultSettle, a negative
	// value reads files as soon as they are seen.
	Settle time.Duration
	// MaxFileSize bounds the files read; a larger file is reported as
	// rejected without being read. Zero means
	// corpus.DefaultLimits().MaxFileSize.
	MaxFileSize int64
	// BatchFiles and BatchBytes bound the files handed to one
	// Collection.Add call, so that a large folder is not one giant
	// change: at most BatchFiles files (zero means DefaultBatchFiles) of
	// at most BatchBytes bytes together (zero means DefaultBatchBytes; a
	// single larger file is sent alone).
	BatchFiles int
	BatchBytes int64
	// Exclude lists paths inside Dir that are not watched, folders or
	// files: the index directory when it lies inside the folder.
	Exclude []string
	// Logger receives what Run does; nil means slog.Default().
	Logger *slog.Logger

	mu    sync.Mutex
	st    *state
	clock func() time.Time // time.Now unless a test sets it
}

// Report is what one pass changed.
type Report struct {
	Added    int // new files indexed
	Changed  int // changed files indexed again
	Removed  int // documents removed because their file is gone
	Rejected int // files not indexed, each reported once until it changes
	Pending  int // files seen but not yet settled, read at a later pass
	// Results lists the outcome of every file added or rejected and every
	// document removed in the pass, in that order of the calls made.
	Results []corpus.ChangeResult
}

// Empty reports whether the pass changed and rejected nothing.
func (r Report) Empty() bool {
	return r.Added == 0 && r.Changed == 0 && r.Removed == 0 && r.Rejected == 0
}

// Origin returns the origin of the documents of the folder dir in a
// collection: "watch:" and the folder's absolute, cleaned path.
func Origin(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", &corpus.Error{Code: corpus.EINVALID, Message: fmt.Sprintf("无法确定监视目录的绝对路径：%s", dir), Err: err}
	}
	return "watch:" + abs, nil
}

// key is what identifies a version of a file without reading it.
type key struct {
	size  int64
	mtime time.Time
}

func (k key) same(o key) bool { return k.size == o.size && k.mtime.Equal(o.mtime) }

// seen is a version of a file and when a pass first saw it.
type seen struct {
	key
	since time.Time
}

// hashed is a version of a file and its SHA-256.
type hashed struct {
	key
	sha string
}

// state is what a Watcher remembers between passes.
type state struct {
	dir      string            // absolute, cleaned
	origin   string            // "watch:" + dir
	pending  map[string]seen   // files not yet settled
	rejected map[string]key    // files reported as rejected, by the version rejected
	touched  map[string]hashed // files whose stamp differs but whose content is the one indexed
	lastErr  string            // the error of the previous pass in Run, logged once
}

// entry is one file of a pass's listing. A file with a reject is not a
// file of the folder as far as the collection is concerned: its document,
// if any, is removed.
type entry struct {
	name   string // slash-separated, relative to the folder
	path   string // what to open: the file, or the resolved target of a link
	key           // size and modification time
	reject string // why the file is not read at all, or ""
}

func (w *Watcher) now() time.Time {
	if w.clock != nil {
		return w.clock()
	}
	return time.Now()
}

func (w *Watcher) log() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

func (w *Watcher) settle() time.Duration {
	switch {
	case w.Settle == 0:
		return DefaultSettle
	case w.Settle < 0:
		return 0
	}
	return w.Settle
}

func (w *Watcher) interval() time.Duration {
	if w.Interval <= 0 {
		return DefaultInterval
	}
	return w.Interval
}

func (w *Watcher) maxFileSize() int64 {
	if w.MaxFileSize <= 0 {
		return corpus.DefaultLimits().MaxFileSize
	}
	return w.MaxFileSize
}

// init checks the settings and sets up the state; w.mu is held.
func (w *Watcher) init() error {
	if w.st != nil {
		return nil
	}
	if w.Coll == nil {
		return corpus.Errorf(corpus.EINTERNAL, "监视目录未配置文档集合")
	}
	if w.Dir == "" {
		return corpus.Errorf(corpus.EINVALID, "未指定监视目录")
	}
	origin, err := Origin(w.Dir)
	if err != nil {
		return err
	}
	w.st = &state{
		dir:      strings.TrimPrefix(origin, "watch:"),
		origin:   origin,
		pending:  map[string]seen{},
		rejected: map[string]key{},
		touched:  map[string]hashed{},
	}
	return nil
}

// Sync makes one pass: it lists the folder, compares it with what the
// collection holds from it, removes the documents of deleted files and
// adds new and changed files in batches. It returns what changed and the
// first error of the collection or of the folder itself (missing, not a
// folder, unreadable: an EINVALID *corpus.Error), after which the pass
// stops; the next pass starts over. Nothing is removed when the folder
// cannot be listed, nor below a sub-folder that cannot be read.
func (w *Watcher) Sync(ctx context.Context) (Report, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.init(); err != nil {
		return Report{}, err
	}
	st := w.st
	st0, err := os.Stat(st.dir)
	if err != nil {
		return Report{}, &corpus.Error{Code: corpus.EINVALID, Message: fmt.Sprintf("监视目录不存在或无法读取：%s", st.dir), Err: err}
	}
	if !st0.IsDir() {
		return Report{}, corpus.Errorf(corpus.EINVALID, "监视路径不是目录：%s", st.dir)
	}
	root, err := filepath.EvalSymlinks(st.dir)
	if err != nil {
		return Report{}, &corpus.Error{Code: corpus.EINVALID, Message: fmt.Sprintf("监视目录不存在或无法读取：%s", st.dir), Err: err}
	}
	files, broken, err := w.scan(ctx, root)
	if err != nil {
		return Report{}, err
	}
	known := w.Coll.Sources(st.origin)
	var rep Report
	if err := w.removeGone(ctx, known, files, broken, &rep); err != nil {
		return rep, err
	}
	for name := range st.pending {
		if e, ok := files[name]; !ok || e.reject != "" {
			delete(st.pending, name)
		}
	}
	for name := range st.rejected {
		if _, ok := files[name]; !ok {
			delete(st.rejected, name)
		}
	}
	for name := range st.touched {
		if _, ok := files[name]; !ok {
			delete(st.touched, name)
		}
	}
	toRead := w.selectChanged(files, known, &rep)
	err = w.addFiles(ctx, toRead, known, &rep)
	return rep, err
}

// scan lists the files of the folder root (symbolic links resolved):
// candidates by name, and entries that are not read at all with their
// reason. broken lists the sub-folders and files that could not be read;
// what lies below them is not known to be gone.
func (w *Watcher) scan(ctx context.Context, root string) (map[string]entry, []string, error) {
	exclude := make([]string, 0, len(w.Exclude))
	for _, x := range w.Exclude {
		if abs, err := filepath.Abs(x); err == nil {
			if r, err := filepath.EvalSymlinks(abs); err == nil {
				abs = r
			}
			exclude = append(exclude, abs)
		}
	}
	files := map[string]entry{}
	var broken []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		rel, rerr := filepath.Rel(root, p)
		if rerr != nil {
			return fmt.Errorf("watch: %w", rerr)
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == root {
				return err
			}
			broken = append(broken, rel)
			return nil
		}
		for _, x := range exclude {
			if p == x {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		// Hidden files are the temporary files of editors and sync
		// tools (.#x, .x.swp, .~lock.x#, rsync's .x.AbC123).
		if strings.HasPrefix(path.Base(rel), ".") || !corpus.Candidate(rel) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // gone since the folder was listed
		}
		e := entry{name: rel, path: p, key: key{size: info.Size(), mtime: info.ModTime()}}
		switch t := d.Type(); {
		case t.IsRegular():
		case t&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				e.reject = "符号链接无效（目标不存在或链接成环），未读取"
				break
			}
			if !within(root, target) {
				e.reject = "符号链接指向监视目录之外，出于安全考虑未读取"
				break
			}
			ti, err := os.Stat(target)
			if err != nil {
				e.reject = "符号链接无效，未读取"
				break
			}
			if ti.IsDir() {
				return nil // its files are listed under their own path
			}
			if !ti.Mode().IsRegular() {
				e.reject = "符号链接指向的不是普通文件（设备、管道或套接字），未读取"
				break
			}
			e.path, e.key = target, key{size: ti.Size(), mtime: ti.ModTime()}
		default:
			e.reject = "不是普通文件（设备、管道或套接字），未读取"
		}
		files[rel] = e
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, &corpus.Error{Code: corpus.ETIMEOUT, Message: "监视目录的扫描已中止", Err: err}
		}
		return nil, nil, &corpus.Error{Code: corpus.EINVALID, Message: fmt.Sprintf("无法读取监视目录：%s", root), Err: err}
	}
	return files, broken, nil
}

// within reports whether path p is root or below it.
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// under reports whether name is one of the broken paths or below one.
func under(name string, broken []string) bool {
	for _, b := range broken {
		if name == b || strings.HasPrefix(name, b+"/") {
			return true
		}
	}
	return false
}

// removeGone removes, in one call, the documents of the known files that
// are no longer readable files of the folder.
func (w *Watcher) removeGone(ctx context.Context, known map[string]corpus.Stamp, files map[string]entry, broken []string, rep *Report) error {
	var ids []string
	names := map[string]string{}
	for name, s := range known {
		if e, ok := files[name]; ok && e.reject == "" {
			continue
		}
		if under(name, broken) {
			continue
		}
		if s.ID == "" {
			w.log().Error("watch: indexed file has no document id, not removed", "dir", w.st.dir, "source", name)
			continue
		}
		if _, dup := names[s.ID]; !dup {
			ids = append(ids, s.ID)
		}
		names[s.ID] = name
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Strings(ids)
	res, err := w.remove(ctx, ids)
	for _, r := range res {
		if r.Source == "" {
			r.Source = names[r.ID]
		}
		if r.Status == corpus.ChangeRemoved {
			rep.Removed++
		}
		rep.Results = append(rep.Results, r)
	}
	return err
}

// remove removes ids in one call. When some id is unknown (removed by
// other means since Sources was read) the ids are removed one by one,
// and the unknown ones are skipped.
func (w *Watcher) remove(ctx context.Context, ids []string) ([]corpus.ChangeResult, error) {
	res, err := w.Coll.Remove(ctx, ids)
	if err == nil {
		return res, nil
	}
	if corpus.ErrorCode(err) != corpus.ENOTFOUND {
		return nil, fmt.Errorf("watch: remove %d documents: %w", len(ids), err)
	}
	if len(ids) == 1 {
		return nil, nil
	}
	var all []corpus.ChangeResult
	for _, id := range ids {
		res, err := w.Coll.Remove(ctx, []string{id})
		if err != nil && corpus.ErrorCode(err) != corpus.ENOTFOUND {
			return all, fmt.Errorf("watch: remove document %s: %w", id, err)
		}
		all = append(all, res...)
	}
	return all, nil
}

// selectChanged returns, sorted by name, the files to read in this pass:
// new or changed, settled, and not already rejected in this version. The
// files rejected without reading are reported here, once.
func (w *Watcher) selectChanged(files map[string]entry, known map[string]corpus.Stamp, rep *Report) []entry {
	st, now, settle, limit := w.st, w.now(), w.settle(), w.maxFileSize()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []entry
	for _, name := range names {
		e := files[name]
		if s, ok := known[name]; ok {
			if e.key.same(key{size: s.Size, mtime: s.ModTime}) {
				delete(st.pending, name)
				delete(st.rejected, name)
				delete(st.touched, name)
				continue
			}
			if t, ok := st.touched[name]; ok && t.key.same(e.key) && t.sha == s.SHA256 {
				continue
			}
		}
		if r, ok := st.rejected[name]; ok && r.same(e.key) {
			continue
		}
		if e.reject != "" {
			st.rejected[name] = e.key
			rep.Rejected++
			rep.Results = append(rep.Results, corpus.ChangeResult{Source: name, Status: corpus.ChangeRejected, Reason: e.reject})
			continue
		}
		if !settled(st, e, now, settle) {
			rep.Pending++
			continue
		}
		delete(st.pending, name)
		if e.size > limit {
			w.rejectRead(e, tooLarge(limit), rep)
			continue
		}
		out = append(out, e)
	}
	return out
}

// settled reports whether the file e has stayed the same for settle: a
// previous pass saw this version at least settle ago, or its modification
// time is older than settle plus the coarsest time step of file systems.
// A version seen for the first time is remembered.
func settled(st *state, e entry, now time.Time, settle time.Duration) bool {
	if settle <= 0 || now.Sub(e.mtime) >= settle+mtimeSlack {
		return true
	}
	p, ok := st.pending[e.name]
	if !ok || !p.key.same(e.key) {
		st.pending[e.name] = seen{key: e.key, since: now}
		return false
	}
	return now.Sub(p.since) >= settle
}

// addFiles reads the files and adds them in batches of at most
// BatchFiles files and BatchBytes bytes. A changed file whose
// content is the one indexed is not added.
func (w *Watcher) addFiles(ctx context.Context, toRead []entry, known map[string]corpus.Stamp, rep *Report) error {
	st, limit := w.st, w.maxFileSize()
	maxFiles, maxBytes := w.BatchFiles, w.BatchBytes
	if maxFiles <= 0 {
		maxFiles = DefaultBatchFiles
	}
	if maxBytes <= 0 {
		maxBytes = DefaultBatchBytes
	}
	var batch []corpus.File
	keys := map[string]key{}
	var size int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := w.Coll.Add(ctx, st.origin, batch)
		if err != nil {
			return fmt.Errorf("watch: add %d files: %w", len(batch), err)
		}
		for _, r := range res {
			switch r.Status {
			case corpus.ChangeIndexed:
				if _, ok := known[r.Source]; ok {
					rep.Changed++
				} else {
					rep.Added++
				}
				delete(st.rejected, r.Source)
				delete(st.touched, r.Source)
			case corpus.ChangeRejected:
				rep.Rejected++
				if k, ok := keys[r.Source]; ok {
					st.rejected[r.Source] = k
				}
			}
			rep.Results = append(rep.Results, r)
		}
		batch, size = nil, 0
		clear(keys)
		return nil
	}
	for _, e := range toRead {
		if err := ctx.Err(); err != nil {
			return &corpus.Error{Code: corpus.ETIMEOUT, Message: "监视目录的同步已中止", Err: err}
		}
		data, err := readFile(e.path, e.size, limit)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // gone since the listing; the next pass sees it gone
		case err != nil:
			w.rejectRead(e, "无法读取此文件："+err.Error(), rep)
			continue
		case int64(len(data)) > limit:
			w.rejectRead(e, tooLarge(limit), rep)
			continue
		}
		if s, ok := known[e.name]; ok {
			sum := sha256.Sum256(data)
			if sha := hex.EncodeToString(sum[:]); sha == s.SHA256 {
				st.touched[e.name] = hashed{key: e.key, sha: sha}
				continue
			}
		}
		if len(batch) > 0 && (len(batch) >= maxFiles || size+int64(len(data)) > maxBytes) {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, corpus.File{Name: e.name, Data: data, ModTime: e.mtime})
		keys[e.name] = e.key
		size += int64(len(data))
	}
	return flush()
}

// tooLarge is the reason of a file over limit bytes.
func tooLarge(limit int64) string {
	if limit >= 1<<20 {
		return fmt.Sprintf("文件过大，单个文件上限为 %d MB", limit>>20)
	}
	return fmt.Sprintf("文件过大，单个文件上限为 %d 字节", limit)
}

// rejectRead reports a file that could not be read, once per version.
func (w *Watcher) rejectRead(e entry, reason string, rep *Report) {
	w.st.rejected[e.name] = e.key
	rep.Rejected++
	rep.Results = append(rep.Results, corpus.ChangeResult{Source: e.name, Status: corpus.ChangeRejected, Reason: reason})
}

// readFile reads at most limit+1 bytes of the regular file p, of about
// size bytes. Opening does not block on a FIFO put in place of the file
// since it was listed.
func readFile(p string, size, limit int64) ([]byte, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("不是普通文件")
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(max(size, 0), limit)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Run makes a pass at once, then one every Interval, until ctx is done;
// it then returns nil. An error of a pass is logged (once while it
// repeats) and the next pass tries again. Run returns an error at once
// only when the Watcher is not set up (no Coll, no Dir).
func (w *Watcher) Run(ctx context.Context) error {
	w.mu.Lock()
	err := w.init()
	w.mu.Unlock()
	if err != nil {
		return err
	}
	t := time.NewTicker(w.interval())
	defer t.Stop()
	for {
		rep, err := w.Sync(ctx)
		if ctx.Err() != nil {
			return nil
		}
		w.logPass(rep, err)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// logPass logs what a pass of Run did.
func (w *Watcher) logPass(rep Report, err error) {
	log := w.log()
	w.mu.Lock()
	last := w.st.lastErr
	w.st.lastErr = ""
	if err != nil {
		w.st.lastErr = err.Error()
	}
	dir := w.st.dir
	w.mu.Unlock()
	switch {
	case err != nil && err.Error() != last:
		log.Error("watch: pass failed, retrying", "dir", dir, "err", err)
	case err == nil && last != "":
		log.Info("watch: pass succeeded again", "dir", dir)
	}
	for _, r := range rep.Results {
		if r.Status == corpus.ChangeRejected {
			log.Warn("watch: file not indexed", "dir", dir, "source", r.Source, "reason", r.Reason)
		}
	}
	if !rep.Empty() {
		log.Info("watch: folder applied", "dir", dir, "added", rep.Added, "changed", rep.Changed, "removed", rep.Removed, "rejected", rep.Rejected)
	}
}
