package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

func TestRateLimit(t *testing.T) {
	f := seedFixture(t)
	now := time.Unix(1_700_000_000, 0)
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, RateLimit: 1, RateBurst: 2, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	do := func(ip, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "http://zhengce.test"+target, nil)
		req.RemoteAddr = ip + ":1234"
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	for i, want := range []int{200, 200, 429} {
		if rec := do("10.0.0.1", "/api/docs"); rec.Code != want {
			t.Fatalf("request %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	rec := do("10.0.0.1", "/api/docs")
	var e apiError
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || rec.Code != 429 || e.Error.Code != CodeRateLimited || e.Error.Message == "" {
		t.Errorf("over the limit: %d %s", rec.Code, rec.Body.String())
	}
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	if rec := do("10.0.0.1", "/"); rec.Code != 429 || !strings.Contains(rec.Body.String(), "请求过于频繁") {
		t.Errorf("HTML page over the limit: %d", rec.Code)
	}
	if rec := do("10.0.0.1", "/healthz"); rec.Code != 200 {
		t.Errorf("health check limited: %d", rec.Code)
	}
	if rec := do("10.0.0.1", "/static/app.css"); rec.Code != 200 {
		t.Errorf("static asset limited: %d", rec.Code)
	}
	if rec := do("10.0.0.2", "/api/docs"); rec.Code != 200 {
		t.Errorf("another client limited: %d", rec.Code)
	}
	// X-Forwarded-For is not trusted: a client cannot pose as another.
	req := httptest.NewRequest(http.MethodGet, "http://zhengce.test/api/docs", nil)
	req.RemoteAddr = "10.0.0.1:1234"
	req.Header.Set("X-Forwarded-For", "10.9.9.9")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 429 {
		t.Errorf("X-Forwarded-For escaped the limit: %d", rec.Code)
	}
	now = now.Add(1100 * time.Millisecond)
	if rec := do("10.0.0.1", "/api/docs"); rec.Code != 200 {
		t.Errorf("after a second: %d", rec.Code)
	}
	if rec := do("10.0.0.1", "/api/docs"); rec.Code != 429 {
		t.Errorf("second request after a second: %d", rec.Code)
	}
	// Idle buckets are swept.
	now = now.Add(2 * time.Minute)
	do("10.0.0.3", "/api/docs")
	if n := len(s.limiter.buckets); n != 1 {
		t.Errorf("%d buckets after the sweep, want 1", n)
	}
}

func TestMetrics(t *testing.T) {
	f := seedFixture(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seg"), make([]byte, 1234), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, IndexDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/search?q=" + q("教师"), "/api/search?q=" + q("双减"), "/api/docs/nope", "/d/wuxi-2022", "/no/such/page"} {
		get(t, s, target)
	}
	res, body := get(t, s, "/metrics")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`zhengce_http_requests_total{route="/api/search",method="GET",code="200"} 2`,
		`zhengce_http_requests_total{route="/api/docs/:doc",method="GET",code="404"} 1`,
		`zhengce_http_requests_total{route="/d/:doc",method="GET",code="200"} 1`,
		`zhengce_http_request_duration_seconds_count{route="/api/search"} 2`,
		`zhengce_http_request_duration_seconds_bucket{route="/api/search",le="+Inf"} 2`,
		"zhengce_documents 5",
		"zhengce_index_size_bytes 1234",
		"zhengce_http_rate_limited_total 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Every sample line is well formed.
	sample := regexp.MustCompile(`^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$`)
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(line, "#") && !sample.MatchString(line) {
			t.Errorf("malformed sample %q", line)
		}
	}
}

// stubSearcher fails in a chosen way, to test the error paths of the HTTP
// layer that the real engine cannot be made to take on demand.
type stubSearcher struct {
	fn func(ctx context.Context) (*search.Response, error)
}

func (s stubSearcher) Search(ctx context.Context, _ search.Request) (*search.Response, error) {
	return s.fn(ctx)
}

func TestFailures(t *testing.T) {
	f := seedFixture(t)
	tests := []struct {
		name   string
		fn     func(ctx context.Context) (*search.Response, error)
		status int
		code   string
	}{
		{"deadline cancels the search", func(ctx context.Context) (*search.Response, error) {
			<-ctx.Done()
			return nil, fmt.Errorf("search: %w", ctx.Err())
		}, 504, corpus.ETIMEOUT},
		{"engine timeout", func(context.Context) (*search.Response, error) {
			return nil, corpus.Errorf(corpus.ETIMEOUT, "检索超时")
		}, 504, corpus.ETIMEOUT},
		{"internal error hidden", func(context.Context) (*search.Response, error) {
			return nil, errors.New("bleve: segment /var/secret/index corrupt")
		}, 500, corpus.EINTERNAL},
		{"panic recovered", func(context.Context) (*search.Response, error) {
			panic("boom /var/secret")
		}, 500, corpus.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			s, err := New(Config{Corpus: f.corpus, Searcher: stubSearcher{tt.fn}, RequestTimeout: 50 * time.Millisecond,
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			for _, target := range []string{"/api/search?q=a", "/search?q=a", "/compare?q=a"} {
				start := time.Now()
				res, body := get(t, s, target)
				if res.StatusCode != tt.status {
					t.Fatalf("%s: status %d, want %d: %.200s", target, res.StatusCode, tt.status, body)
				}
				if time.Since(start) > 5*time.Second {
					t.Errorf("%s: took %s", target, time.Since(start))
				}
				if strings.Contains(body, "secret") || strings.Contains(body, "bleve") || strings.Contains(body, "boom") {
					t.Errorf("%s: internal detail leaked: %.300s", target, body)
				}
				if strings.HasPrefix(target, "/api/") {
					var e apiError
					if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != tt.code {
						t.Errorf("%s: error %s, want code %s", target, body, tt.code)
					}
				}
			}
			if tt.status == 500 && !strings.Contains(logs.String(), "secret") {
				t.Errorf("internal error not logged: %s", logs.String())
			}
			// The server still answers.
			if res, _ := get(t, s, "/healthz"); res.StatusCode != 200 {
				t.Errorf("healthz after failure: %d", res.StatusCode)
			}
		})
	}
}
