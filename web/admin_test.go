package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// fakeReindexer records rebuilds; release lets the current one finish.
// The real rebuild (search.Live) is exercised end to end in
// cmd/zhengce's TestServeReloadAndReindex; here the subject is the guard.
type fakeReindexer struct {
	mu      sync.Mutex
	calls   int
	release chan error
	meta    indexer.Meta
}

func (f *fakeReindexer) Rebuild(ctx context.Context, p indexer.Progress) error {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	p(1, 2)
	select {
	case err := <-f.release:
		if err == nil {
			f.mu.Lock()
			f.meta.Built = time.Now()
			f.mu.Unlock()
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f *fakeReindexer) Meta() *indexer.Meta {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.meta
	return &m
}

func adminRequest(t *testing.T, method, url, auth string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, body
}

// TestAdminOffWithoutToken: with no token configured the admin API does
// not exist.
func TestAdminOffWithoutToken(t *testing.T) {
	f := seedFixture(t)
	ts := httptest.NewServer(f.server)
	defer ts.Close()
	for _, m := range []string{http.MethodPost, http.MethodGet} {
		if code, _, body := adminRequest(t, m, ts.URL+"/api/admin/reindex", "Bearer anything"); code != http.StatusNotFound {
			t.Errorf("%s without a configured token: %d %s", m, code, body)
		}
	}
	if _, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, AdminToken: "x"}); err == nil {
		t.Error("a token without a Reindexer was accepted")
	}
}

// TestAdminReindex: a wrong or missing token is 401 with the JSON error
// shape; the right one starts one rebuild at a time and reports it.
func TestAdminReindex(t *testing.T) {
	f := seedFixture(t)
	const token = "s3cret-token"
	ix := &fakeReindexer{release: make(chan error)}
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, AdminToken: token, Reindexer: ix})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	url := ts.URL + "/api/admin/reindex"

	for _, auth := range []string{"", "Bearer", "Bearer ", "Bearer wrong", "Bearer " + token + "x", "Bearer " + token[:len(token)-1], "Basic " + token, token} {
		for _, m := range []string{http.MethodPost, http.MethodGet} {
			code, h, body := adminRequest(t, m, url, auth)
			var e apiError
			if code != http.StatusUnauthorized || json.Unmarshal(body, &e) != nil || e.Error.Code != CodeUnauthorized || e.Error.Message == "" {
				t.Errorf("%s with %q: %d %s", m, auth, code, body)
			}
			if !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s with %q: WWW-Authenticate %q", m, auth, h.Get("WWW-Authenticate"))
			}
		}
	}
	if ix.calls != 0 {
		t.Fatalf("unauthorised requests started %d rebuilds", ix.calls)
	}

	status := func(code int, body []byte) reindexStatus {
		t.Helper()
		var st reindexStatus
		if err := json.Unmarshal(body, &st); err != nil {
			t.Fatalf("%d %s: %v", code, body, err)
		}
		return st
	}
	auth := "Bearer " + token
	code, _, body := adminRequest(t, http.MethodPost, url, auth)
	if st := status(code, body); code != http.StatusAccepted || st.State != "running" {
		t.Fatalf("POST: %d %s", code, body)
	}
	// a second POST while running joins the running rebuild
	code, _, body = adminRequest(t, http.MethodPost, url, auth)
	if st := status(code, body); code != http.StatusAccepted || st.State != "running" {
		t.Fatalf("second POST: %d %s", code, body)
	}
	ix.release <- nil
	wait := func(want string) reindexStatus {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			code, _, body := adminRequest(t, http.MethodGet, url, auth)
			if st := status(code, body); st.State == want {
				return st
			}
		}
		t.Fatalf("rebuild never reached %s", want)
		return reindexStatus{}
	}
	if st := wait("done"); st.Finished == nil || st.Index == nil || st.Index.Built.IsZero() || st.Done != 1 || st.Total != 2 {
		t.Errorf("done status %+v", st)
	}
	if ix.calls != 1 {
		t.Errorf("%d rebuilds, want 1", ix.calls)
	}
	// a failed rebuild reports its Chinese message, not internals
	adminRequest(t, http.MethodPost, url, auth)
	ix.release <- corpus.Errorf(corpus.EINVALID, "语料中没有可索引的条目")
	if st := wait("failed"); st.Error != "语料中没有可索引的条目" {
		t.Errorf("failed status %+v", st)
	}
	adminRequest(t, http.MethodPost, url, auth)
	ix.release <- errors.New("disk on fire at /secret/path")
	if st := wait("failed"); strings.Contains(st.Error, "/secret") {
		t.Errorf("internal error leaked: %+v", st)
	}
}

// TestAdminShutdownCancelsRebuild: stopping the server cancels a rebuild
// in progress instead of waiting for it.
func TestAdminShutdownCancelsRebuild(t *testing.T) {
	f := seedFixture(t)
	ix := &fakeReindexer{release: make(chan error)}
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, AdminToken: "t", Reindexer: ix})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	if code, _, body := adminRequest(t, http.MethodPost, ts.URL+"/api/admin/reindex", "Bearer t"); code != http.StatusAccepted {
		t.Fatalf("POST: %d %s", code, body)
	}
	done := make(chan struct{})
	go func() { s.admin.close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not cancel the rebuild")
	}
	if st := s.admin.snapshot(); st.State != "failed" {
		t.Errorf("cancelled rebuild state %q", st.State)
	}
	// no new rebuild once stopped
	if code, _, body := adminRequest(t, http.MethodPost, ts.URL+"/api/admin/reindex", "Bearer t"); code != http.StatusServiceUnavailable {
		t.Errorf("POST after close: %d %s", code, body)
	}
}
