package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/indexer/store"
)

// library is the changing side of a Live serving a self-contained index
// directory: the document store and the opened segments. Its fields are
// guarded by Live.mu; the corpus and the Service built from them are
// immutable snapshots.
type library struct {
	root   string // the index version directory (the link resolved)
	st     *store.Store
	loader func() (*corpus.Loader, error) // built on the first Add
	base   *indexer.Meta
	segs   []store.Segment             // the segment table, base first
	open   map[string]*indexer.Segment // by name; Live's own reference
	docs   map[string]*corpus.Document // live documents by id: stubs, the bodies stay in the store
	info   map[string]store.Info
	rej    []corpus.Rejection
	warn   []corpus.Warning
	// saving is the background write of the served columns after a
	// start-up that built them (see servedFile); close waits for it
	saving sync.WaitGroup
}

// OpenLibrary opens the self-contained index in dir — its document
// store and segments — for serving, with no corpus folder: nothing is
// parsed. loader returns the loader that parses the files later given to
// Add (called on the first Add only); seg is the
// segmenter of the index (nil until SetSegmenter). The store stays open
// for writing until Close: another process cannot change the index
// meanwhile.
func OpenLibrary(dir string, loader func() (*corpus.Loader, error), seg *indexer.Segmenter) (*Live, error) {
	return openLib(dir, loader, seg, false)
}

// OpenLibraryReadOnly opens the self-contained index in dir for queries
// only (`zhengce search`): the store is shared with other readers, and
// changes fail. While a server holds the index it fails with
// store.ErrLocked.
func OpenLibraryReadOnly(dir string, seg *indexer.Segmenter) (*Live, error) {
	return openLib(dir, nil, seg, true)
}

func openLib(dir string, loader func() (*corpus.Loader, error), seg *indexer.Segmenter, readOnly bool) (*Live, error) {
	setClauseLimit()
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引目录不存在：" + dir, Err: err}
	}
	base, err := indexer.ReadMeta(root)
	if err != nil {
		return nil, err
	}
	if err := indexer.VerifySizes(root, base); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(root, store.File), store.Options{ReadOnly: readOnly})
	if err != nil {
		return nil, err
	}
	if loader == nil {
		loader = func() (*corpus.Loader, error) {
			return nil, corpus.Errorf(corpus.EINVALID, "以只读方式打开的索引不能增删文档")
		}
	}
	lib := &library{root: root, st: st, loader: loader, base: base, open: map[string]*indexer.Segment{}}
	svc, err := lib.load(seg)
	if err != nil {
		lib.close()
		return nil, err
	}
	if !readOnly {
		lib.collect()
		if !svc.fromFile {
			lib.saveServedLater(svc, slog.Default()) // the next start maps what this one built
		}
	}
	l := &Live{dir: dir, lib: lib}
	l.cur.Store(&liveRef{svc: svc})
	return l, nil
}

// Verify checks every file of the index served against the checksums of
// its manifest (indexer.Verify), and the served columns mapped at start
// against their own checksum: it reads the whole index, so a server runs
// it in the background after start. Served columns that fail theirs are
// not the collection's damage: the state is built again from the
// segments and swapped in, the file removed and written anew, and the
// repair logged.
func (l *Live) Verify() error {
	l.mu.Lock()
	lib := l.lib
	l.mu.Unlock()
	if lib == nil {
		return nil
	}
	return errors.Join(l.verifyServed(), indexer.Verify(lib.root, lib.base))
}

// verifyServed checks the checksum of the served columns the current
// state was opened from, and repairs the state when it fails (see
// Verify).
func (l *Live) verifyServed() error {
	ref := l.acquire()
	if ref == nil {
		return nil
	}
	svc := ref.svc
	ok := !svc.fromFile || servedSumsOK(svc.served.m, len(svc.served.m.Bytes()))
	ref.mu.RUnlock()
	if ok {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lib := l.lib
	if lib == nil || l.closed || l.cur.Load().svc != svc {
		return nil // a change has replaced that state already
	}
	defer l.changing()()
	path := filepath.Join(lib.root, servedFile)
	l.logger().Error("served columns damaged (checksum): the search state is built again from the index", "file", path)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove damaged served columns: %w", err)
	}
	next, err := lib.service(svc.seg.Load(), nil, false)
	if err != nil {
		return fmt.Errorf("rebuild the search state: %w", err)
	}
	if err := l.swapLocked(next); err != nil {
		return err
	}
	lib.saveServedLater(next, l.logger())
	return nil
}

// HasLibrary reports whether the index in dir has a document store, so
// OpenLibrary can serve it.
func HasLibrary(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, store.File))
	return err == nil
}

// load reads the store and opens every segment.
func (lib *library) load(seg *indexer.Segmenter) (*Service, error) {
	snap, err := lib.st.Read()
	if err != nil {
		return nil, err
	}
	lib.segs, lib.info, lib.rej, lib.warn = snap.Segments, snap.Info, snap.Rejected, snap.Warnings
	lib.docs = make(map[string]*corpus.Document, len(snap.Docs))
	for _, d := range snap.Docs {
		lib.docs[d.ID] = d
	}
	// segments open on every core: each reads its order, postings keys
	// and columns
	opened := make([]*indexer.Segment, len(lib.segs))
	errs := make([]error, len(lib.segs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(lib.segs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(lib.segs); i = int(next.Add(1) - 1) {
				opened[i], errs[i] = indexer.OpenSegment(lib.root, lib.segs[i].Name)
			}
		})
	}
	wg.Wait()
	for i, s := range opened {
		if s != nil {
			lib.open[lib.segs[i].Name] = s // released by close, on error too
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return lib.service(seg, nil, true)
}

// service builds the Service of the library's current state. after is
// the Service serving before a change (nil at open): when the state only
// adds segments after its own (an upload) or marks documents removed,
// the new Service shares its columns and writes those of the added
// entries only.
//
// first says no Service holds the library's documents yet (opening): the
// corpus takes them as they are. Otherwise they are copied: Assemble links
// versions into them (anew: linkVersions resets what an earlier linking
// set), and the corpus still serving holds the originals.
func (lib *library) service(seg *indexer.Segmenter, after *Service, first bool) (*Service, error) {
	ids := make([]string, 0, len(lib.docs))
	for id := range lib.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	copies := make(map[string]*corpus.Document, len(ids))
	docs := make([]*corpus.Document, len(ids))
	for i, id := range ids {
		d := lib.docs[id]
		if !first {
			d = corpus.NewStub(d.Meta, d.Counts())
		}
		docs[i], copies[id] = d, d
	}
	st := lib.st
	c, err := corpus.Assemble(docs, corpus.Extras{Rejected: lib.rej, Warnings: lib.warn,
		Originals: func(_ context.Context, id string) ([]byte, error) { return st.Original(id) },
		Load:      st.Document})
	if err != nil {
		return nil, err
	}
	var (
		spans []docSpan
		segs  []*indexer.Segment
		start int32
	)
	placeholder := &corpus.Document{Meta: corpus.Meta{ID: "\x00removed"}}
	for _, sg := range lib.segs {
		s := lib.open[sg.Name]
		n := 0
		for _, sd := range sg.Docs {
			sp := docSpan{doc: placeholder, start: start, n: int32(sd.Entries), dead: true}
			if d := copies[sd.ID]; d != nil && lib.info[sd.ID].Segment == sg.Name {
				sp.doc, sp.dead = d, false
			}
			spans = append(spans, sp)
			start += int32(sd.Entries)
			n += sd.Entries
		}
		if n != s.Len() {
			return nil, corpus.Errorf(corpus.EINVALID, "索引已损坏（片段 %s 有 %d 条，文档库记录 %d 条），请重新建立索引", sg.Name, s.Len(), n)
		}
		segs = append(segs, s)
	}
	meta := *lib.base
	meta.Stats = indexer.Stats{Documents: len(docs)}
	for _, d := range docs {
		n := d.Counts()
		meta.Stats.Units += n.Units
		meta.Stats.Targets += n.Targets
	}
	ix := indexer.Combine(segs)
	names := lib.segNames()
	key := servedKey(names, spans)
	var (
		m    *indexer.Mapping
		sv   *served
		prev *columns // the columns this state extends (see newColumns)
	)
	if after != nil && extends(names, after.segments) && after.cols.n <= ix.Len() {
		prev = after.cols
	} else {
		m, sv = lib.openServed(key, ix.Len())
	}
	svc, err := newService(ix, &meta, c, spans, seg, sv, prev)
	if err != nil && sv != nil {
		// served columns that do not fit: built instead
		slog.Default().Warn("served columns ignored", "file", filepath.Join(lib.root, servedFile), "err", err)
		m.Close()
		m, sv = nil, nil
		svc, err = newService(ix, &meta, c, spans, seg, nil, nil)
	}
	if err != nil {
		if m != nil {
			m.Close()
		}
		ix.Close()
		return nil, err
	}
	svc.servedKey, svc.segments = key, names
	switch {
	case m != nil:
		// read with pread to check its sums: searches map the pages they read
		svc.served, svc.fromFile = newSharedMapping(m), true
	case prev != nil && after.served != nil:
		svc.served = after.served.acquire() // its chunks are shared
	}
	return svc, nil
}

// extends reports whether the segments names begin with those of prev.
func extends(names, prev []string) bool {
	return len(prev) > 0 && len(prev) <= len(names) && slices.Equal(names[:len(prev)], prev)
}

// segNames returns the names of the library's segments, in order.
func (lib *library) segNames() []string {
	out := make([]string, len(lib.segs))
	for i, sg := range lib.segs {
		out[i] = sg.Name
	}
	return out
}

// openServed maps the served columns of the library's state key with n
// entries, when the file holds them; nil, nil when there is no such file
// or it holds another state. A damaged file is logged and ignored: the
// columns are built instead.
func (lib *library) openServed(key [32]byte, n int) (*indexer.Mapping, *served) {
	path := filepath.Join(lib.root, servedFile)
	m, err := indexer.MapFile(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			slog.Default().Warn("served columns ignored", "file", path, "err", err)
		}
		return nil, nil
	}
	sv, err := parseServed(m.Bytes(), key, n)
	if sv != nil && !servedSumsOK(m, len(m.Bytes())) {
		sv, err = nil, errors.New("checksum mismatch")
	}
	if sv == nil {
		if err != nil {
			slog.Default().Warn("served columns ignored", "file", path, "err", err)
		}
		m.Close()
		return nil, nil
	}
	return m, sv
}

// saveServed writes the served columns of svc, a Service of the library
// that built them, for the next start.
func (lib *library) saveServed(svc *Service) error {
	if svc.fromFile {
		return nil // read from the file already
	}
	return indexer.WriteFileAtomic(filepath.Join(lib.root, servedFile), func(w io.Writer) error {
		return writeServed(w, svc.servedKey, svc.cols)
	})
}

// saveServedLater writes the served columns of svc in the background
// (close waits for it); a failure is logged to log.
func (lib *library) saveServedLater(svc *Service, log *slog.Logger) {
	lib.saving.Go(func() {
		if err := lib.saveServed(svc); err != nil {
			log.Warn("cannot keep the served columns for the next start", "err", err)
		}
	})
}

// SaveServed writes the served columns of the state served now beside the
// index, so that the next start maps them instead of building them (see
// servedFile): `zhengce index` calls it once the index is built.
func (l *Live) SaveServed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lib == nil {
		return nil
	}
	return l.lib.saveServed(l.cur.Load().svc)
}

// collect removes segment directories the store does not list: left by
// a change that failed or was interrupted before it was recorded, or
// dropped when their last document went; and a served-columns file a
// killed process left half written.
func (lib *library) collect() {
	// served columns a killed process was writing
	if tmps, err := filepath.Glob(filepath.Join(lib.root, servedFile+".tmp*")); err == nil {
		for _, p := range tmps {
			if err := os.Remove(p); err != nil {
				slog.Default().Warn("cannot remove a partial file", "file", p, "err", err)
			}
		}
	}
	listed := map[string]bool{}
	for _, sg := range lib.segs {
		listed[sg.Name] = true
	}
	entries, err := os.ReadDir(filepath.Join(lib.root, "delta"))
	if err != nil {
		return // no delta segment yet
	}
	for _, e := range entries {
		name := "delta/" + e.Name()
		if !listed[name] {
			if err := os.RemoveAll(filepath.Join(lib.root, name)); err != nil {
				// harmless (the store does not list it) but worth knowing
				slog.Default().Warn("cannot remove an unlisted segment", "dir", filepath.Join(lib.root, name), "err", err)
			}
		}
	}
}

// discard gives up a segment the store did not record: its reference
// (s may be nil) and its directory.
func (lib *library) discard(name string, s *indexer.Segment) error {
	var errs []error
	if s != nil {
		errs = append(errs, s.Release())
	}
	if err := os.RemoveAll(filepath.Join(lib.root, name)); err != nil {
		errs = append(errs, fmt.Errorf("remove segment: %w", err))
	}
	return errors.Join(errs...)
}

// close releases the segments and closes the store.
func (lib *library) close() error {
	lib.saving.Wait()
	var errs []error
	for _, s := range lib.open {
		errs = append(errs, s.Release())
	}
	lib.open = nil
	errs = append(errs, lib.st.Close())
	return errors.Join(errs...)
}

// SetSegmenter supplies the segmenter to a Live opened without one (see
// Service.SetSegmenter); later changes use it too.
func (l *Live) SetSegmenter(seg *indexer.Segmenter) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur.Load().svc.SetSegmenter(seg)
}

// Corpus returns the documents served now.
func (l *Live) Corpus() *corpus.Corpus { return l.cur.Load().svc.c }

// noLibrary is the error of a change to a closed Live or to an index
// that is not self-contained. l.mu is held.
func (l *Live) noLibrary() error {
	if l.closed {
		return &corpus.Error{Code: corpus.EINTERNAL, Message: "检索服务已关闭", Err: ErrClosed}
	}
	return corpus.Errorf(corpus.EINVALID, "当前索引不支持增删文档，请用 zhengce index 重新建立索引")
}

// Add parses files and indexes those that can be read into a new
// segment; see corpus.Collection.
func (l *Live) Add(ctx context.Context, origin string, files []corpus.File) ([]corpus.ChangeResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.changing()()
	lib := l.lib
	if lib == nil {
		return nil, l.noLibrary()
	}
	seg := l.cur.Load().svc.seg.Load()
	if seg == nil {
		return nil, corpus.Errorf(corpus.EINTERNAL, "分词器尚未加载，请稍后再试")
	}
	if len(files) == 0 {
		return []corpus.ChangeResult{}, nil
	}
	loader, err := lib.loader()
	if err != nil {
		return nil, err
	}
	docs, rejected, _, err := loader.LoadFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	byName := map[string]corpus.File{}
	for _, f := range files {
		byName[f.Name] = f
	}
	var results []corpus.ChangeResult
	for _, r := range rejected {
		results = append(results, corpus.ChangeResult{Source: r.Source, Status: corpus.ChangeRejected, Reason: r.Reason})
	}
	// a document with nothing to index (an empty text) is rejected too
	var keep []*corpus.Document
	for _, d := range docs {
		if indexer.EntryCount(d) == 0 {
			results = append(results, corpus.ChangeResult{ID: d.ID, Source: d.Source, Status: corpus.ChangeRejected, Reason: "文件中没有可检索的文字"})
			continue
		}
		keep = append(keep, d)
	}
	docs = keep
	if len(docs) == 0 {
		return sortResults(results), nil
	}
	name, err := lib.st.NextSegment()
	if err != nil {
		return nil, err
	}
	if _, err := indexer.BuildSegment(ctx, lib.root, name, docs, seg); err != nil {
		return nil, err
	}
	s, err := indexer.OpenSegment(lib.root, name)
	if err != nil {
		return nil, errors.Join(err, lib.discard(name, nil))
	}
	sg := store.Segment{Name: name, Created: nowUTC(), Docs: make([]store.SegDoc, len(docs))}
	ch := store.Change{Segment: &sg}
	for i, d := range docs {
		sg.Docs[i] = store.SegDoc{ID: d.ID, Entries: indexer.EntryCount(d)}
		f := byName[d.Source]
		sum := sha256.Sum256(f.Data)
		ch.Puts = append(ch.Puts, store.Put{Doc: d, Original: f.Data, Info: store.Info{
			Origin: origin, Source: d.Source, Format: d.Format, Segment: name,
			Stamp: corpus.Stamp{Size: int64(len(f.Data)), ModTime: f.ModTime, SHA256: hex.EncodeToString(sum[:])},
		}})
	}
	if err := lib.st.Apply(ch); err != nil {
		return nil, errors.Join(err, lib.discard(name, s))
	}
	// committed: the memory state follows the store
	lib.open[name] = s
	lib.segs = append(lib.segs, sg)
	for _, p := range ch.Puts {
		_, replaced := lib.docs[p.Doc.ID]
		p.Info.ID = p.Doc.ID
		lib.docs[p.Doc.ID], lib.info[p.Doc.ID] = corpus.NewStub(p.Doc.Meta, p.Doc.Counts()), p.Info
		results = append(results, corpus.ChangeResult{ID: p.Doc.ID, Source: p.Info.Source, Status: corpus.ChangeIndexed, Replaced: replaced})
	}
	if err := l.refresh(); err != nil {
		return nil, err
	}
	// the change is durable and visible; merging the small segments it
	// left is housekeeping, and its failure leaves them as they are
	if err := l.mergeDeltas(ctx); err != nil {
		l.logger().Error("merging the delta segments failed; they stay as they are", "dir", l.dir, "err", err)
	}
	return sortResults(results), nil
}

// SetLogger sets where a Live reports what goes wrong in the background
// (default slog.Default).
func (l *Live) SetLogger(log *slog.Logger) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log = log
}

func (l *Live) logger() *slog.Logger {
	if l.log == nil {
		return slog.Default()
	}
	return l.log
}

// maxDeltas is how many delta segments (one per change) may accumulate
// before they are merged into one: every segment is searched on its own,
// so many small ones would make each query pay for each.
const maxDeltas = 16

// mergeDeltas merges the delta segments into one when there are more
// than maxDeltas: their live documents, read from the store, are indexed
// again as one segment, which the store records in one transaction. l.mu
// is held.
func (l *Live) mergeDeltas(ctx context.Context) error {
	lib := l.lib
	var deltas []store.Segment
	for _, sg := range lib.segs {
		if strings.HasPrefix(sg.Name, "delta/") {
			deltas = append(deltas, sg)
		}
	}
	if len(deltas) <= maxDeltas {
		return nil
	}
	seg := l.cur.Load().svc.seg.Load()
	if seg == nil {
		return nil
	}
	var docs []*corpus.Document
	var ids []string
	for _, sg := range deltas {
		for _, sd := range sg.Docs {
			if lib.info[sd.ID].Segment != sg.Name {
				continue
			}
			if _, live := lib.docs[sd.ID]; !live {
				continue
			}
			d, err := lib.st.Document(sd.ID)
			if err != nil {
				return err
			}
			docs, ids = append(docs, d), append(ids, sd.ID)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	name, err := lib.st.NextSegment()
	if err != nil {
		return err
	}
	if _, err := indexer.BuildSegment(ctx, lib.root, name, docs, seg); err != nil {
		return err
	}
	s, err := indexer.OpenSegment(lib.root, name)
	if err != nil {
		return errors.Join(err, lib.discard(name, nil))
	}
	sg := store.Segment{Name: name, Created: nowUTC(), Docs: make([]store.SegDoc, len(docs))}
	for i, d := range docs {
		sg.Docs[i] = store.SegDoc{ID: d.ID, Entries: indexer.EntryCount(d)}
	}
	if err := lib.st.Regroup(sg, ids); err != nil {
		return errors.Join(err, lib.discard(name, s))
	}
	lib.open[name] = s
	lib.segs = append(lib.segs, sg)
	for _, id := range ids {
		in := lib.info[id]
		in.Segment = name
		lib.info[id] = in
	}
	return l.refresh()
}

// Remove removes documents by id; see corpus.Collection.
func (l *Live) Remove(ctx context.Context, ids []string) ([]corpus.ChangeResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.changing()()
	lib := l.lib
	if lib == nil {
		return nil, l.noLibrary()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for _, id := range ids {
		if _, ok := lib.docs[id]; !ok {
			return nil, corpus.Errorf(corpus.ENOTFOUND, "没有编号为 %s 的文档", id)
		}
	}
	if len(ids) == 0 {
		return []corpus.ChangeResult{}, nil
	}
	if err := lib.st.Apply(store.Change{Removes: ids}); err != nil {
		return nil, err
	}
	results := make([]corpus.ChangeResult, len(ids))
	for i, id := range ids {
		results[i] = corpus.ChangeResult{ID: id, Source: lib.info[id].Source, Status: corpus.ChangeRemoved}
		delete(lib.docs, id)
		delete(lib.info, id)
	}
	if err := l.refresh(); err != nil {
		return nil, err
	}
	return results, nil
}

// Sources returns the indexed files of origin; see corpus.Collection.
func (l *Live) Sources(origin string) map[string]corpus.Stamp {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]corpus.Stamp{}
	if l.lib == nil {
		return out
	}
	for id, in := range l.lib.info {
		if in.Origin == origin {
			st := in.Stamp
			st.ID = id
			out[in.Source] = st
		}
	}
	return out
}

// refresh drops the segments without live documents, builds the Service
// of the library's state and swaps it in. l.mu is held.
func (l *Live) refresh() error {
	lib := l.lib
	var keep []store.Segment
	var drop []string
	for _, sg := range lib.segs {
		live := false
		for _, d := range sg.Docs {
			if lib.info[d.ID].Segment == sg.Name {
				if _, ok := lib.docs[d.ID]; ok {
					live = true
					break
				}
			}
		}
		if live || sg.Name == "." {
			keep = append(keep, sg)
		} else {
			drop = append(drop, sg.Name)
		}
	}
	lib.segs = keep
	cur := l.cur.Load().svc
	svc, err := lib.service(cur.seg.Load(), cur, false)
	if err != nil {
		return err
	}
	if err := l.swapLocked(svc); err != nil {
		return err
	}
	// the previous Service is closed: only Live's reference is left
	var errs []error
	for _, name := range drop {
		if s := lib.open[name]; s != nil {
			errs = append(errs, s.Release())
			delete(lib.open, name)
		}
		if strings.HasPrefix(name, "delta/") {
			if err := os.RemoveAll(filepath.Join(lib.root, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func sortResults(rs []corpus.ChangeResult) []corpus.ChangeResult {
	if rs == nil {
		return []corpus.ChangeResult{}
	}
	slices.SortStableFunc(rs, func(a, b corpus.ChangeResult) int { return strings.Compare(a.Source, b.Source) })
	return rs
}

func nowUTC() time.Time { return time.Now().UTC() }

// compact rebuilds the index from the documents served now, in one base
// segment, with a dictionary derived from them (gse's full dictionary is
// loaded for the build and dropped after), keeping where each document
// came from; then serves the new version. Searches go on against the
// current one meanwhile. l.mu is held.
func (l *Live) compact(ctx context.Context, p indexer.Progress) error {
	full, err := indexer.NewSegmenter()
	if err != nil {
		return err
	}
	if err := indexer.Rebuild(ctx, l.dir, l.lib.st, full, p); err != nil {
		return err
	}
	seg, err := indexer.LoadIndexSegmenter(l.dir)
	if err != nil {
		seg = full
	}
	return l.switchLibrary(seg)
}
