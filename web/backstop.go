package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"sync"
	"time"
)

// backstopGrace is how long after the request deadline (Config.
// RequestTimeout) a query route answers 504 whatever its handler is
// doing: work that does not check its context (template execution, a
// bleve merge) can no longer hold a client past RequestTimeout plus this.
const backstopGrace = 200 * time.Millisecond

// backstopped reports whether a request's path runs queries whose cost
// depends on the corpus: the search and comparison pages and APIs, the
// reader with highlighting and suggestions. Downloads and static files
// are never cut short.
func backstopped(path string) bool {
	switch {
	case path == "/" || path == "/search" || path == "/compare" || path == "/targets",
		path == "/api/search" || path == "/api/compare" || path == "/api/suggest" || path == "/api/targets",
		strings.HasPrefix(path, "/d/"), strings.HasPrefix(path, "/c/"):
		return true
	}
	return false
}

// serveWithBackstop serves r through the echo router in its own
// goroutine, buffering the response; when the handler has not finished
// by the deadline plus backstopGrace, the client gets 504 and whatever
// the handler writes afterwards is discarded. The handler keeps its
// (cancelled) context and ends on its own; admission control bounds how
// many such requests can run.
func (s *Server) serveWithBackstop(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout+backstopGrace)
	defer cancel()
	bw := &bufferedWriter{header: http.Header{}}
	done := make(chan struct{})
	panicked := make(chan any, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				panicked <- p
			}
			close(done)
		}()
		s.echo.ServeHTTP(bw, r.WithContext(ctx))
	}()
	select {
	case <-done:
		select {
		case p := <-panicked:
			panic(p)
		default:
		}
		bw.mu.Lock()
		defer bw.mu.Unlock()
		for k, v := range bw.header {
			w.Header()[k] = v
		}
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		w.WriteHeader(bw.status)
		if _, err := w.Write(bw.body.Bytes()); err != nil {
			s.log.Debug("writing response", "err", err)
		}
	case <-ctx.Done():
		bw.mu.Lock()
		bw.timedOut = true
		bw.mu.Unlock()
		s.log.Warn("request cut off after its deadline", "path", truncate(r.URL.Path, 200), "after", s.timeout+backstopGrace)
		if err := writeTimeout(w, r); err != nil {
			s.log.Debug("writing the timeout answer", "err", err)
		}
	}
}

// writeTimeout answers 504 in the form the route speaks.
func writeTimeout(w http.ResponseWriter, r *http.Request) error {
	const msg = "查询超时，请缩小范围或稍后再试"
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusGatewayTimeout)
		if r.Method == http.MethodHead {
			return nil
		}
		return json.NewEncoder(w).Encode(apiError{Error: apiErrorBody{Code: "timeout", Message: msg}})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusGatewayTimeout)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write([]byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>查询超时</title><p>` +
		template.HTMLEscapeString(msg) + `</p><p><a href="/">返回首页</a></p></html>`))
	return err
}

// bufferedWriter collects a handler's response until it is copied to the
// client, or dropped after a timeout.
type bufferedWriter struct {
	mu       sync.Mutex
	header   http.Header
	status   int
	body     bytes.Buffer
	timedOut bool
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timedOut {
		return 0, http.ErrHandlerTimeout
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// Flush is a no-op: the response is sent whole once the handler is done.
func (b *bufferedWriter) Flush() {}
