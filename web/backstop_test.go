package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/search"
)

// deafSearcher ignores its context: it answers only when released, like
// work that never checks for cancellation.
type deafSearcher struct{ release chan struct{} }

func (s deafSearcher) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	<-s.release
	return &search.Response{Query: req.Query, Hits: []search.Hit{}, Terms: []string{}}, nil
}

// TestBackstop: a query route whose handler ignores the deadline still
// answers 504 by the deadline plus backstopGrace, in the route's form
// (JSON for the API, a page otherwise); the late result is discarded; a
// route outside the query routes is served as usual.
func TestBackstop(t *testing.T) {
	const timeout = 300 * time.Millisecond
	ds := deafSearcher{release: make(chan struct{})}
	defer close(ds.release)
	s, err := New(Config{Corpus: smallCorpus(t, "测试规划"), Searcher: ds, RequestTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for path, ctype := range map[string]string{
		"/api/search?q=" + q("集团化办学"): "application/json",
		"/search?q=" + q("集团化办学"):     "text/html",
	} {
		res, body, took := httpGet(t, ts.URL+path)
		if res.StatusCode != http.StatusGatewayTimeout || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) || !strings.Contains(body, "超时") {
			t.Errorf("%s: %d %s %.200s", path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		if took > timeout+backstopGrace+time.Second {
			t.Errorf("%s: answered after %v (deadline %v + %v)", path, took, timeout, backstopGrace)
		}
	}
	if res, _, _ := httpGet(t, ts.URL+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
}
