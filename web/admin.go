package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// Reindexer rebuilds the index being served and swaps it in without
// downtime; *search.Live implements it.
type Reindexer interface {
	Rebuild(ctx context.Context, p indexer.Progress) error
	Meta() *indexer.Meta
}

// CodeUnauthorized is the error code of a 401 answer: the admin token is
// missing or wrong.
const CodeUnauthorized = "unauthorized"

// errUnauthorized is returned for admin requests without the right token.
var errUnauthorized = echo.NewHTTPError(http.StatusUnauthorized)

// admin runs index rebuilds requested over HTTP, one at a time, in the
// background: a rebuild outlives the request that started it (and its
// deadline) but not the server.
type admin struct {
	token [sha256.Size]byte
	ix    Reindexer
	ctx   context.Context // cancelled when the server stops
	stop  context.CancelFunc
	wg    sync.WaitGroup

	mu     sync.Mutex
	closed bool // no new rebuilds once the server stops
	status reindexStatus
}

// reindexStatus is the body of the admin reindex endpoint.
type reindexStatus struct {
	// State is idle, running, done or failed.
	State    string     `json:"state"`
	Started  *time.Time `json:"started,omitempty"`
	Finished *time.Time `json:"finished,omitempty"`
	Error    string     `json:"error,omitempty"`
	Done     int        `json:"done"`  // index documents written so far
	Total    int        `json:"total"` // index documents to write
	// Index describes the index being served.
	Index *indexer.Meta `json:"index,omitempty"`
}

func newAdmin(token string, ix Reindexer) *admin {
	ctx, stop := context.WithCancel(context.Background())
	return &admin{token: sha256.Sum256([]byte(token)), ix: ix, ctx: ctx, stop: stop, status: reindexStatus{State: "idle"}}
}

// close cancels a rebuild in progress and waits for it.
func (a *admin) close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.stop()
	a.wg.Wait()
}

// authorized compares the bearer token in constant time (hashes of equal
// length, so neither content nor length leaks through timing).
func (a *admin) authorized(c echo.Context) bool {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], a.token[:]) == 1
}

// guard answers 401 to requests without the admin token.
func (a *admin) guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !a.authorized(c) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="zhengce-admin"`)
			return errUnauthorized
		}
		return next(c)
	}
}

func (a *admin) snapshot() reindexStatus {
	a.mu.Lock()
	st := a.status
	a.mu.Unlock()
	st.Index = a.ix.Meta()
	return st
}

// handleReindexStatus answers GET /api/admin/reindex with the state of
// the last rebuild.
func (a *admin) handleReindexStatus(c echo.Context) error {
	return c.JSON(http.StatusOK, a.snapshot())
}

// handleReindex answers POST /api/admin/reindex: it starts a rebuild of
// the index from the served corpus (unless one is running) and answers
// 202 with the status; GET on the same path follows it. Searches go on
// against the old index until the new one is complete.
func (a *admin) handleReindex(c echo.Context) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return echo.NewHTTPError(http.StatusServiceUnavailable)
	}
	if a.status.State != "running" {
		now := time.Now().UTC()
		a.status = reindexStatus{State: "running", Started: &now}
		a.wg.Add(1)
		go a.rebuild()
	}
	a.mu.Unlock()
	return c.JSON(http.StatusAccepted, a.snapshot())
}

func (a *admin) rebuild() {
	defer a.wg.Done()
	err := a.ix.Rebuild(a.ctx, func(done, total int) {
		a.mu.Lock()
		a.status.Done, a.status.Total = done, total
		a.mu.Unlock()
	})
	now := time.Now().UTC()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.status.Finished = &now
	if err != nil {
		a.status.State = "failed"
		a.status.Error = corpus.ErrorMessage(err)
		return
	}
	a.status.State = "done"
}
