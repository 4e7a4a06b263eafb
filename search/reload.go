package search

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// ErrClosed is returned by a Live index after Close.
var ErrClosed = errors.New("search: index closed")

// Live is the index a server is answering from: the Service of the
// current version of the index directory, replaced without downtime when
// the index is rebuilt. Searches in flight during a swap finish on the old
// Service; new ones use the new Service; the old one is closed once its
// last search has finished. Every search sees one complete index, never a
// partial or empty one. Live is safe for concurrent use.
type Live struct {
	dir string
	c   *corpus.Corpus
	cur atomic.Pointer[liveRef]
	mu  sync.Mutex // serialises changes, Reload, Rebuild, Swap and Close
	// lib is the document store and segments of a self-contained index
	// (OpenLibrary); nil for a Live over a corpus (NewLive)
	lib *library
	log *slog.Logger // background failures; nil: slog.Default
	// closed is set by Close: changes then fail with ErrClosed
	closed bool
	// changeHook, when set, is called with true before a change, a
	// reload or a rebuild builds the next state, and with false after
	// (see SetChangeHook)
	changeHook func(changing bool)
}

// SetChangeHook sets fn to be called with true before each change
// (Add, Remove), reload or rebuild builds the next search state while the
// current one serves, and with false once it is done, whatever the
// outcome. The server lifts its soft memory limit for that time: the next
// state is built beside the one serving, up to twice the live heap, and a
// limit of twice the live heap made the collector run through the whole
// of a change (an upload took twice as long on 2,000 documents).
func (l *Live) SetChangeHook(fn func(changing bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.changeHook = fn
}

// changing calls the change hook; l.mu is held. It returns the call
// that ends the change, for a defer.
func (l *Live) changing() func() {
	fn := l.changeHook
	if fn == nil {
		return func() {}
	}
	fn(true)
	return func() { fn(false) }
}

// liveRef is one Service with the searches using it: each holds the read
// lock; closing takes the write lock, so it waits for them.
type liveRef struct {
	svc    *Service
	mu     sync.RWMutex
	closed bool
}

// NewLive returns a Live serving svc, the index in dir built from c.
func NewLive(dir string, c *corpus.Corpus, svc *Service) *Live {
	l := &Live{dir: dir, c: c}
	l.cur.Store(&liveRef{svc: svc})
	return l
}

// acquire returns the current Service, read-locked, or nil after Close.
func (l *Live) acquire() *liveRef {
	for {
		r := l.cur.Load()
		r.mu.RLock()
		if !r.closed {
			return r
		}
		r.mu.RUnlock()
		if l.cur.Load() == r {
			return nil // closed for good
		}
	}
}

// Search runs r on the current index.
func (l *Live) Search(ctx context.Context, r Request) (*Response, error) {
	ref := l.acquire()
	if ref == nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "检索服务已关闭", Err: ErrClosed}
	}
	defer ref.mu.RUnlock()
	return ref.svc.Search(ctx, r)
}

// DropPages hands the pages of the current index's mapped files back to
// the page cache (see Service.DropPages): the server calls it every few
// seconds, so that its resident memory holds what the searches of the
// last seconds read, not every page any search ever read.
func (l *Live) DropPages() error {
	ref := l.acquire()
	if ref == nil {
		return nil
	}
	defer ref.mu.RUnlock()
	return ref.svc.DropPages()
}

// SearchGrouped runs r on the current index, grouped by document (see
// Service.SearchGrouped).
func (l *Live) SearchGrouped(ctx context.Context, r Request) (*GroupedResponse, error) {
	ref := l.acquire()
	if ref == nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "检索服务已关闭", Err: ErrClosed}
	}
	defer ref.mu.RUnlock()
	return ref.svc.SearchGrouped(ctx, r)
}

// Suggest offers the titles of the current index (see Service.Suggest).
func (l *Live) Suggest(q string, limit int) []Suggestion {
	ref := l.acquire()
	if ref == nil {
		return []Suggestion{}
	}
	defer ref.mu.RUnlock()
	return ref.svc.Suggest(q, limit)
}

// Meta describes the index currently served.
func (l *Live) Meta() *indexer.Meta { return l.cur.Load().svc.Meta() }

// Dir is the index directory.
func (l *Live) Dir() string { return l.dir }

// Swap makes svc the current Service, then waits for the searches on the
// previous one to finish and closes it.
func (l *Live) Swap(svc *Service) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.swapLocked(svc)
}

func (l *Live) swapLocked(svc *Service) error {
	old := l.cur.Swap(&liveRef{svc: svc})
	old.mu.Lock() // waits for the searches in flight
	defer old.mu.Unlock()
	if old.closed {
		return nil
	}
	old.closed = true
	return old.svc.Close()
}

// Reload opens the current version of the index directory (written by
// `zhengce index` or another process) and swaps it in. The segmenter of
// the serving index is kept, so the new index must have been built with
// the same analyzer and from the same corpus; otherwise the error says so
// and the old index keeps serving.
func (l *Live) Reload(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.changing()()
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.lib != nil {
		return l.reloadLibrary()
	}
	svc, err := Open(l.dir, l.c, l.cur.Load().svc.seg.Load())
	if err != nil {
		return err
	}
	return l.swapLocked(svc)
}

// reloadLibrary opens the current version of a self-contained index
// directory and swaps it in, then lets go of the previous one. l.mu is
// held.
func (l *Live) reloadLibrary() error {
	if root, err := filepath.EvalSymlinks(l.dir); err == nil && root == l.lib.root {
		return nil // the version served is the current one
	}
	return l.switchLibrary(l.cur.Load().svc.seg.Load())
}

// switchLibrary opens the current version of the index directory with
// seg, serves it, and lets go of the version served before. l.mu is held.
func (l *Live) switchLibrary(seg *indexer.Segmenter) error {
	next, err := OpenLibrary(l.dir, l.lib.loader, seg)
	if err != nil {
		return err
	}
	old := l.lib
	l.lib = next.lib
	if err := l.swapLocked(next.cur.Load().svc); err != nil {
		return errors.Join(err, old.close())
	}
	return old.close()
}

// Rebuild builds a new version of the index from the corpus, with the
// segmenter of the serving index, and swaps it in. Searches go on
// against the old index during the build.
func (l *Live) Rebuild(ctx context.Context, p indexer.Progress) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.changing()()
	seg := l.cur.Load().svc.seg.Load()
	if seg == nil {
		return &corpus.Error{Code: corpus.EINTERNAL, Message: "分词器尚未加载，暂时无法重建索引", Err: ErrStale}
	}
	if l.lib != nil {
		return l.compact(ctx, p)
	}
	if _, err := indexer.Build(ctx, l.dir, l.c, seg, p); err != nil {
		return err
	}
	svc, err := Open(l.dir, l.c, seg)
	if err != nil {
		return err
	}
	return l.swapLocked(svc)
}

// Close waits for the searches in flight and closes the index; later
// searches fail with ErrClosed.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.cur.Load()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.svc.Close()
	if l.lib != nil {
		err = errors.Join(err, l.lib.close())
		l.lib = nil
	}
	l.closed = true
	return err
}
