package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
	"github.com/zhengce/zhengce/search/export"
)

// stallSearcher answers only when released, or fails with the context's
// error when the request's deadline passes first. started receives a
// value as each search begins.
type stallSearcher struct {
	started chan struct{}
	release chan struct{}
}

func (s stallSearcher) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	select {
	case s.started <- struct{}{}:
	default:
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.release:
		return &search.Response{Query: req.Query, Hits: []search.Hit{}, Terms: []string{}}, nil
	}
}

func smallCorpus(t *testing.T, title string) *corpus.Corpus {
	t.Helper()
	c, err := parse.Load(fstest.MapFS{
		"small-2024.txt": {Data: []byte("第一章　总则\n\n一、原则\n\n推进集团化办学。\n")},
		"manifest.json":  {Data: []byte(`{"documents":[{"id":"small-2024","district":"测试县","title":` + jsonString(t, title) + `,"source":"small-2024.txt"}]}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func httpGet(t *testing.T, url string) (*http.Response, string, time.Duration) {
	t.Helper()
	start := time.Now()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b), time.Since(start)
}

// TestRequestDeadline: every request has one end-to-end deadline, by
// default the search package's 5 s; a search that runs into it answers
// 504 within half a second of it, over real HTTP, for the API, the search
// page and the reader (which searches to highlight).
func TestRequestDeadline(t *testing.T) {
	if DefaultRequestTimeout != 5*time.Second || search.DefaultTimeout != 5*time.Second {
		t.Fatalf("DefaultRequestTimeout %v, search.DefaultTimeout %v: want one 5 s deadline", DefaultRequestTimeout, search.DefaultTimeout)
	}
	const timeout = 300 * time.Millisecond
	st := stallSearcher{started: make(chan struct{}, 1), release: make(chan struct{})}
	s, err := New(Config{Corpus: smallCorpus(t, "测试规划"), Searcher: st, RequestTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, path := range []string{"/api/search?q=" + q("集团化办学"), "/search?q=" + q("集团化办学"), "/d/small-2024?q=" + q("集团化办学"), "/api/compare?q=" + q("集团化办学")} {
		t.Run(path, func(t *testing.T) {
			res, body, took := httpGet(t, ts.URL+path)
			if res.StatusCode != http.StatusGatewayTimeout {
				t.Errorf("status %d, want 504: %.200s", res.StatusCode, body)
			}
			if took > timeout+500*time.Millisecond {
				t.Errorf("answered after %v, deadline %v", took, timeout)
			}
		})
	}
}

// TestAdmission: when every search slot is busy, a further expensive
// request waits at most AdmitWait and is refused with 503, Retry-After and
// the code "busy", instead of queueing past its deadline; cheap pages are
// not held up; once a slot frees, searches are served again.
func TestAdmission(t *testing.T) {
	st := stallSearcher{started: make(chan struct{}, 1), release: make(chan struct{})}
	const wait = 50 * time.Millisecond
	s, err := New(Config{Corpus: smallCorpus(t, "测试规划"), Searcher: st, MaxSearches: 1, AdmitWait: wait})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	done := make(chan int)
	go func() {
		res, err := http.Get(ts.URL + "/api/search?q=" + q("集团化办学"))
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	<-st.started // the one slot is taken
	res, body, took := httpGet(t, ts.URL+"/api/search?q="+q("办学"))
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "1" {
		t.Errorf("busy: status %d, Retry-After %q, want 503 and 1", res.StatusCode, res.Header.Get("Retry-After"))
	}
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != CodeBusy || e.Error.Message == "" {
		t.Errorf("busy body %q", body)
	}
	if took > wait+500*time.Millisecond {
		t.Errorf("refused after %v, wait budget %v", took, wait)
	}
	if res, _, _ := httpGet(t, ts.URL+"/docs"); res.StatusCode != http.StatusOK {
		t.Errorf("/docs while searches are busy: %d", res.StatusCode)
	}
	close(st.release)
	if code := <-done; code != http.StatusOK {
		t.Errorf("admitted search: %d", code)
	}
	if res, _, _ := httpGet(t, ts.URL+"/api/search?q="+q("办学")); res.StatusCode != http.StatusOK {
		t.Errorf("after the slot freed: %d", res.StatusCode)
	}
}

// TestSettle: Config.Settle runs before the answer of the last expensive
// request running, and not while another one still runs.
func TestSettle(t *testing.T) {
	st := stallSearcher{started: make(chan struct{}, 2), release: make(chan struct{})}
	var settled atomic.Int32
	s, err := New(Config{Corpus: smallCorpus(t, "测试规划"), Searcher: st, MaxSearches: 2, Settle: func() { settled.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	// settledAt is the number of Settle calls when a search was answered
	settledAt := make(chan int32, 2)
	for range 2 {
		go func() {
			res, err := http.Get(ts.URL + "/api/search?q=" + q("集团化办学"))
			if err != nil {
				settledAt <- -1
				return
			}
			n := settled.Load()
			res.Body.Close()
			settledAt <- n
		}()
	}
	<-st.started
	<-st.started // both searches run
	st.release <- struct{}{}
	if n := <-settledAt; n != 0 {
		t.Errorf("first answer, another search running: %d Settle calls, want 0", n)
	}
	st.release <- struct{}{}
	if n := <-settledAt; n != 1 {
		t.Errorf("last answer: %d Settle calls before it, want 1", n)
	}
	if res, _, _ := httpGet(t, ts.URL+"/docs"); res.StatusCode != http.StatusOK || settled.Load() != 1 {
		t.Errorf("a page that is not a search: status %d, %d Settle calls, want 200 and still 1", res.StatusCode, settled.Load())
	}
}

// TestBidiControlsStripped: a document title and text carrying
// bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and the rest)
// never reach a page, so they cannot reorder it: not in <title>, not in
// data-citation, not in the text; the CSV drops them too.
func TestBidiControlsStripped(t *testing.T) {
	controls := "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C"
	title := "测试\u202E划规展发\u202C（2021—2025年）\u2066x\u2069\u200f\u061c"
	c := smallCorpus(t, title)
	searcher, err := hostileSearcher(t, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Corpus: c, Searcher: searcher})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	u := c.Documents()[0].Units[len(c.Documents()[0].Units)-1]
	clean := export.StripBidi(title)
	for _, path := range []string{"/d/small-2024", "/d/small-2024?q=" + q("集团化办学"), "/c/small-2024/" + u.Path, "/search?q=" + q("集团化办学"), "/docs", "/compare?q=" + q("集团化办学")} {
		t.Run(path, func(t *testing.T) {
			res, body, _ := httpGet(t, ts.URL+path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if i := strings.IndexAny(body, controls); i >= 0 {
				t.Errorf("bidi control in page at %d: %q", i, body[max(0, i-40):min(len(body), i+40)])
			}
			if !strings.Contains(body, clean) {
				t.Errorf("page lacks the title %q", clean)
			}
		})
	}
	_, body, _ := httpGet(t, ts.URL+"/d/small-2024")
	if !strings.Contains(body, "<title>"+clean) {
		t.Errorf("<title> is not the stripped title")
	}
	_, body, _ = httpGet(t, ts.URL+"/c/small-2024/"+u.Path)
	if !strings.Contains(body, `data-citation="`) || strings.ContainsAny(body, controls) {
		t.Errorf("citation attribute missing or not stripped")
	}
}
