// Package web is the HTTP adapter of zhengce: server-rendered HTML pages
// (search, reader, clause permalinks, district comparison, targets) and the
// JSON API, built on echo. Templates and static assets are embedded, so the
// binary serves everything itself; nothing is fetched from a CDN.
//
// The package owns the one place where errors become HTTP statuses
// (httpStatus), and the HTTP hardening: server timeouts, body and query
// length limits, a per-request deadline, security headers with a strict
// Content-Security-Policy (no inline script or style) and a structured
// access log.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// Searcher answers search requests; *search.Service implements it.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Response, error)
}

// Defaults of Config and of the HTTP server.
const (
	// DefaultRequestTimeout is the one end-to-end deadline of a request:
	// parsing, search, facets, highlighting and rendering all observe it
	// (the search package's own default, so CLI and web agree).
	DefaultRequestTimeout = search.DefaultTimeout
	ReadHeaderTimeout     = 5 * time.Second
	ReadTimeout           = 15 * time.Second
	WriteTimeout          = 30 * time.Second
	IdleTimeout           = 60 * time.Second
	ShutdownTimeout       = 10 * time.Second
	// MaxHeaderBytes is above 1 MB so that an over-long query reaches the
	// handler and gets a clear 400 rather than the transport's 431.
	MaxHeaderBytes = 2 << 20
	// MaxBodyBytes limits request bodies; only uploads take more.
	MaxBodyBytes = 64 << 10
	// MaxUploadFiles is the number of files one upload
	// (POST /api/documents) may carry, MaxUploadBytes the size of its
	// whole body; over either the answer is 413 and nothing is indexed.
	// A single file is limited to corpus.DefaultLimits().MaxFileSize; a
	// larger one is rejected alone.
	MaxUploadFiles = 100
	MaxUploadBytes = 256 << 20
	// AdminRequestTimeout is the deadline of a document change (upload
	// or removal) in place of RequestTimeout: parsing a large PDF takes
	// minutes, not seconds.
	AdminRequestTimeout = 10 * time.Minute
)

// Config configures a Server.
type Config struct {
	// Corpus is the document set served; required unless Collection is
	// set.
	Corpus *corpus.Corpus
	// Collection, when set, is a document set that changes while it is
	// served: every request sees its Corpus as of that moment (Corpus
	// above is then not used). With AdminToken it turns on the document
	// API (POST /api/documents, DELETE /api/documents/{id}) and the
	// admin page /admin.
	Collection corpus.Collection
	// Searcher answers queries; required.
	Searcher Searcher
	// Logger receives the access log and internal errors; nil discards.
	Logger *slog.Logger
	// RequestTimeout bounds each request's work (searches are cancelled);
	// zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RateLimit is the sustained number of requests a second one client
	// IP may make, RateBurst the number it may make at once; over it the
	// server answers 429. Zero turns rate limiting off.
	RateLimit float64
	RateBurst int
	// IndexDir, when set, is reported as zhengce_index_size_bytes by
	// /metrics.
	IndexDir string
	// Now is the clock of the rate limiter; nil means time.Now.
	Now func() time.Time
	// AdminToken, when not empty, turns on the admin API
	// (POST/GET /api/admin/reindex) for requests that carry it as
	// "Authorization: Bearer TOKEN"; others get 401. Without a token the
	// admin API does not exist (404). With a Collection it also turns on
	// the document API and /admin (documents.go).
	AdminToken string
	// Reindexer rebuilds the served index for the admin API; AdminToken
	// needs it or a Collection.
	Reindexer Reindexer
	// MaxSearches is the number of expensive requests (searches,
	// comparisons, the reader with a query) served at once; zero means
	// SearchesPerCore × GOMAXPROCS. Over it a request waits at most
	// AdmitWait (or Config.AdmitWait when set), then gets 503.
	MaxSearches int
	AdmitWait   time.Duration
	// Settle, when set, is called before the response of an expensive
	// request is written when no other expensive request is running: the
	// moment a server going idle can hand back memory it no longer needs
	// (zhengce serve: the index's mapped pages, see its memory.go), so
	// that its resident memory right after a burst of searches is that
	// of an idle server. It runs on the request's goroutine and must be
	// quick and safe for concurrent use.
	Settle func()
}

// Server is the zhengce web application. It is an http.Handler.
type Server struct {
	// fixed is Config.Corpus, collection Config.Collection; docs()
	// returns the documents a request sees.
	fixed      *corpus.Corpus
	collection corpus.Collection
	// view caches the counts of the last corpus snapshot seen (stats).
	view     atomic.Pointer[corpusView]
	searcher Searcher
	log      *slog.Logger
	timeout  time.Duration
	echo     *echo.Echo
	tmpl     *templates
	static   *staticFiles
	metrics  *metrics
	limiter  *rateLimiter
	indexDir string
	admin    *admin // nil: admin API off
	// documents serves the document API and /admin; nil: off
	documents *documents
	// slots admit expensive requests (admit.go)
	slots     chan struct{}
	admitWait time.Duration
	settle    func() // Config.Settle; nil: none
	// gzips recycles gzip writers: each holds a flate compressor of
	// several hundred KB, which per response was a fifth of the CPU time
	// of a search request (mostly garbage collection).
	gzips sync.Pool
	// jsonBufs recycles the buffers /api/search encodes its answers in
	// (*[]byte).
	jsonBufs sync.Pool
}

// corpusStats are counts shown by /healthz and the home page.
type corpusStats struct {
	Documents int
	Units     int
	Targets   int
}

// corpusView is what the server derives from one corpus snapshot.
type corpusView struct {
	corpus *corpus.Corpus
	stats  corpusStats
}

// docs returns the documents a request sees: the collection's current
// snapshot, or the fixed corpus. A handler that looks at the corpus more
// than once takes it once, so it sees one snapshot throughout.
func (s *Server) docs() *corpus.Corpus {
	if s.collection != nil {
		if c := s.collection.Corpus(); c != nil {
			return c
		}
	}
	return s.fixed
}

// stats returns the counts of the current snapshot, computed once per
// snapshot (keyed on its pointer: a snapshot is immutable).
func (s *Server) stats() corpusStats {
	c := s.docs()
	if v := s.view.Load(); v != nil && v.corpus == c {
		return v.stats
	}
	v := &corpusView{corpus: c}
	for _, d := range c.Documents() {
		v.stats.Documents++
		n := d.Counts()
		v.stats.Units += n.Units
		v.stats.Targets += n.Targets
	}
	s.view.Store(v)
	return v.stats
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Corpus == nil && cfg.Collection == nil {
		return nil, errors.New("web: Config.Corpus and Config.Collection are nil")
	}
	if cfg.Searcher == nil {
		return nil, errors.New("web: Config.Searcher is nil")
	}
	s := &Server{
		fixed:      cfg.Corpus,
		collection: cfg.Collection,
		searcher:   cfg.Searcher,
		log:        cfg.Logger,
		timeout:    cfg.RequestTimeout,
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	s.metrics = newMetrics()
	s.slots = newSlots(cfg.MaxSearches)
	s.admitWait = cfg.AdmitWait
	if s.admitWait <= 0 {
		s.admitWait = AdmitWait
	}
	s.settle = cfg.Settle
	s.indexDir = cfg.IndexDir
	if cfg.RateLimit > 0 {
		now := cfg.Now
		if now == nil {
			now = time.Now
		}
		s.limiter = newRateLimiter(cfg.RateLimit, cfg.RateBurst, now)
	}
	if s.fixed == nil {
		empty, err := corpus.New(nil)
		if err != nil {
			return nil, fmt.Errorf("web: empty corpus: %w", err)
		}
		s.fixed = empty // served while the collection has no snapshot
	}
	if cfg.AdminToken != "" {
		if cfg.Reindexer == nil && cfg.Collection == nil {
			return nil, errors.New("web: Config.AdminToken needs Config.Reindexer or Config.Collection")
		}
		if cfg.Reindexer != nil {
			s.admin = newAdmin(cfg.AdminToken, cfg.Reindexer)
		}
		if cfg.Collection != nil {
			s.documents = newDocuments(cfg.AdminToken, cfg.Collection)
		}
	}
	var err error
	if s.tmpl, err = parseTemplates(); err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, fmt.Errorf("web: static assets: %w", err)
	}
	s.echo = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.documents != nil {
		s.documents.extendDeadlines(w, r, s.log)
	}
	if backstopped(r.URL.Path) {
		s.serveWithBackstop(w, r)
		return
	}
	s.echo.ServeHTTP(w, r)
}

// HTTPServer returns an http.Server for s with zhengce's timeouts and
// header limit.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish (up to ShutdownTimeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer()
	hs.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if s.admin != nil {
		defer s.admin.close() // cancel a rebuild in progress
	}
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// routes builds the echo router: middleware in order, then every route.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(s.recoverPanics, s.compress, s.accessLog, s.securityHeaders, s.limitRate, s.limitRequest, s.deadline)

	// Every route answers GET and HEAD (net/http drops HEAD bodies).
	get := func(path string, h echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
	}

	// Pages.
	get("/", s.admit(s.handleSearchPage))
	get("/search", s.admit(s.handleSearchPage))
	get("/docs", s.handleDocsPage)
	get("/d/:doc", s.admit(s.handleReader))
	get("/c/:doc/*", s.admit(s.handlePermalink))
	get("/files/:doc", s.handleOriginal)
	get("/compare", s.admit(s.handleComparePage))
	get("/targets", s.handleTargetsPage)
	get("/targets.csv", s.handleTargetsCSV)
	get("/help", s.handleHelpPage)
	get("/static/:name", s.handleStatic)

	// JSON API.
	get("/healthz", s.handleHealthz)
	get("/metrics", s.handleMetrics)
	get("/api/search", s.admit(s.handleAPISearch))
	get("/api/suggest", s.handleAPISuggest)
	get("/api/docs", s.handleAPIDocs)
	get("/api/docs/:doc", s.handleAPIDoc)
	get("/api/units/:doc/*", s.handleAPIUnit)
	get("/api/targets", s.handleAPITargets)
	get("/api/compare", s.admit(s.handleAPICompare))

	// Admin API, only with a token (admin.go).
	if s.admin != nil {
		g := e.Group("/api/admin", s.admin.guard)
		g.POST("/reindex", s.admin.handleReindex)
		g.GET("/reindex", s.admin.handleReindexStatus)
	}
	// Document API and admin page, only with a token and a collection
	// (documents.go).
	if s.documents != nil {
		get("/admin", s.handleAdminPage)
		g := e.Group("/api/documents", s.documents.guard)
		g.POST("", s.documents.handleUpload)
		g.DELETE("/:id", s.documents.handleRemove)
		g.GET("/check", s.documents.handleCheck)
	}
	return e
}
