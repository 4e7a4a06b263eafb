// Package pdf reads PDF files for the corpus: the text layer of every page
// as visual lines with their geometry, the Info dictionary's title and
// creation date, and, with an OCR engine, the text of scanned pages.
//
// It runs PDFium compiled to WebAssembly (github.com/klippa-app/go-pdfium,
// webassembly mode) in the wazero runtime: pure Go, no cgo, and a hostile
// file can at worst exhaust the module's bounded memory or its time limit.
// The runtime starts on a Reader's first Read, not before, so corpora
// without PDF files never pay for it; its compiled machine code is kept in
// a cache directory so that later processes start fast.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ocr"
)

// Defaults of Options.
const (
	DefaultWorkers = 2
	DefaultOCRDPI  = 300
	// DefaultMaxMemory bounds the linear memory of one PDFium instance.
	DefaultMaxMemory = 1 << 30
)

// NoCache as Options.CacheDir runs without a compilation cache.
const NoCache = "-"

// Options configure a Reader. The zero value is usable.
type Options struct {
	// CacheDir is the directory of wazero's compilation cache, which keeps
	// PDFium's compiled machine code between processes. Empty means
	// os.UserCacheDir()/zhengce/wazero; NoCache ("-") disables it. When
	// the directory cannot be created the Reader runs without a cache.
	CacheDir string
	// Workers is the number of PDFium instances, i.e. of PDF files read at
	// the same time; further Reads wait. 0 means DefaultWorkers.
	Workers int
	// OCR recognises scanned pages; nil means scanned pages cannot be read
	// and an image-only PDF is rejected with a reason that says what to
	// install.
	OCR *ocr.Engine
	// OCRDPI is the resolution scanned pages are rendered at for OCR; 0
	// means DefaultOCRDPI.
	OCRDPI int
	// MaxMemory bounds the memory of one PDFium instance in bytes; 0 means
	// DefaultMaxMemory.
	MaxMemory int64
}

// Reader reads PDF files; it implements corpus.Reader. Create it with New
// and release it with Close. It is safe for concurrent use.
type Reader struct {
	opts Options

	mu      sync.Mutex // guards the fields below
	started bool       // start ran (successfully or not)
	closed  bool
	pool    pdfium.Pool
	cache   wazero.CompilationCache
	err     error // start's error, returned by every Read
}

var _ corpus.Reader = (*Reader)(nil)

// New returns a Reader with opts. It starts nothing: PDFium is compiled and
// instantiated on the first Read.
func New(opts Options) *Reader {
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.OCRDPI <= 0 {
		opts.OCRDPI = DefaultOCRDPI
	}
	if opts.MaxMemory <= 0 {
		opts.MaxMemory = DefaultMaxMemory
	}
	return &Reader{opts: opts}
}

// errClosed is returned by Read after Close.
var errClosed = errors.New("pdf: Reader is closed")

// runtime returns the PDFium pool, starting it on first use.
func (r *Reader) runtime() (pdfium.Pool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errClosed
	}
	if !r.started {
		r.started = true
		r.pool, r.cache, r.err = start(r.opts)
	}
	return r.pool, r.err
}

// Started reports whether the PDFium runtime has been started (by a Read).
func (r *Reader) Started() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.started && r.err == nil
}

// Close stops the PDFium runtime if it was started and releases its
// memory. Reads after Close fail.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	var errs []error
	if r.pool != nil {
		if err := r.pool.Close(); err != nil {
			errs = append(errs, fmt.Errorf("pdf: closing PDFium: %w", err))
		}
		r.pool = nil
	}
	if r.cache != nil {
		if err := r.cache.Close(context.Background()); err != nil {
			errs = append(errs, fmt.Errorf("pdf: closing compilation cache: %w", err))
		}
		r.cache = nil
	}
	return errors.Join(errs...)
}

// cacheDir returns the compilation cache directory of opts, created, or ""
// when there is none.
func cacheDir(opts Options) string {
	dir := opts.CacheDir
	if dir == NoCache {
		return ""
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "zhengce", "wazero")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	return dir
}

// start compiles PDFium and prepares its worker pool. The module gets no
// file system, no output, a bounded memory and is interrupted when the
// context of a call is done.
func start(opts Options) (pdfium.Pool, wazero.CompilationCache, error) {
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true).
		WithMemoryLimitPages(uint32(opts.MaxMemory / 65536))
	var cache wazero.CompilationCache
	if dir := cacheDir(opts); dir != "" {
		c, err := wazero.NewCompilationCacheWithDir(dir)
		if err == nil {
			cache = c
			rc = rc.WithCompilationCache(cache)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle:       0,
		MaxIdle:       opts.Workers,
		MaxTotal:      opts.Workers,
		ReuseWorkers:  true,
		FSConfig:      wazero.NewFSConfig(),
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		if cache != nil {
			err = errors.Join(err, cache.Close(context.Background()))
		}
		return nil, nil, fmt.Errorf("pdf: starting PDFium: %w", err)
	}
	return pool, cache, nil
}
