package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `zhengce serve` in-process on a free port and returns
// its base URL, its stderr and a stop function that returns Run's error.
func startServe(t *testing.T, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	return startServeEnv(t, nil, args...)
}

// startServeEnv is startServe with environment variables env.
func startServeEnv(t *testing.T, env map[string]string, args ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	stderr := &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr, Ready: func(addr string) { ready <- addr },
		Getenv: func(k string) string { return env[k] }}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	select {
	case addr := <-ready:
		var once sync.Once
		var err error
		stop := func() error {
			once.Do(func() {
				cancel()
				select {
				case err = <-done:
				case <-time.After(15 * time.Second):
					err = errors.New("serve did not stop within 15 s of cancellation")
				}
			})
			return err
		}
		t.Cleanup(func() { stop() })
		return "http://" + addr, stderr, stop
	case err := <-done:
		cancel()
		t.Fatalf("serve exited before listening: %v\n%s", err, stderr.String())
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatalf("serve not ready after 90 s\n%s", stderr.String())
	}
	return "", nil, nil
}

func httpGet(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// TestServe runs the real program the way devcheck does: start with a
// fresh index directory (built on first start), wait for /healthz, search
// a quoted phrase with limit 1000, then stop gracefully; a second start
// reuses the index.
func TestServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	base, stderr, stop := startServe(t, "--index", dir)

	res, body := httpGet(t, base+"/healthz")
	if res.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Fatalf("/healthz: %d %s", res.StatusCode, body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}

	const phrase = "集团化办学"
	res, body = httpGet(t, base+"/api/search?q="+url.QueryEscape(`"`+phrase+`"`)+"&limit=1000")
	if res.StatusCode != 200 {
		t.Fatalf("/api/search: %d %s", res.StatusCode, body)
	}
	var resp struct {
		Total uint64 `json:"total"`
		Hits  []struct {
			DocID string `json:"doc_id"`
			Text  string `json:"text"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Hits) == 0 || uint64(len(resp.Hits)) != resp.Total {
		t.Fatalf("got %d hits of %d", len(resp.Hits), resp.Total)
	}
	for _, h := range resp.Hits {
		if h.DocID == "" || !strings.Contains(corpus.Normalize(h.Text), phrase) {
			t.Errorf("hit %s does not contain %s: %.60q", h.DocID, phrase, h.Text)
		}
	}

	// Over the real transport, a 1 MB query is a clear 400, not a 431.
	res, body = httpGet(t, base+"/api/search?q="+strings.Repeat("a", 1<<20))
	if res.StatusCode != 400 || !strings.Contains(string(body), `"code":"too_large"`) {
		t.Errorf("1 MB query: %d %.200s", res.StatusCode, body)
	}
	res, _ = httpGet(t, base+"/")
	if res.StatusCode != 200 {
		t.Errorf("home page: %d", res.StatusCode)
	}
	res, body = httpGet(t, base+"/metrics")
	if res.StatusCode != 200 || !strings.Contains(string(body), "zhengce_index_size_bytes") {
		t.Errorf("/metrics: %d %.300s", res.StatusCode, body)
	}

	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	log := stderr.String()
	for _, want := range []string{"建立索引", "政策检索已启动", "path=/api/search", "status=200", "status=400"} {
		if !strings.Contains(log, want) {
			t.Errorf("stderr lacks %q:\n%.2000s", want, log)
		}
	}

	// Second start: the index is fresh and reused, not rebuilt; rate
	// limiting is on when asked for.
	base, stderr, stop = startServe(t, "--index", dir, "--rate-limit", "0.001", "--rate-burst", "1")
	if res, _ := httpGet(t, base+"/healthz"); res.StatusCode != 200 {
		t.Errorf("second start /healthz: %d", res.StatusCode)
	}
	if res, _ := httpGet(t, base+"/api/docs"); res.StatusCode != 200 {
		t.Errorf("first request: %d", res.StatusCode)
	}
	if res, _ := httpGet(t, base+"/api/docs"); res.StatusCode != 429 {
		t.Errorf("request over the rate limit: %d", res.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "建立索引") {
		t.Errorf("second start rebuilt the index:\n%s", stderr.String())
	}
}

func TestServeErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code string
	}{
		{"unknown flag", []string{"serve", "--nope"}, corpus.EINVALID},
		{"extra argument", []string{"serve", "extra"}, corpus.EINVALID},
		{"negative rate", []string{"serve", "--rate-limit", "-1"}, corpus.EINVALID},
		{"missing corpus", []string{"serve", "--corpus", filepath.Join(t.TempDir(), "missing")}, corpus.EINVALID},
		{"bad address", []string{"serve", "--addr", "127.0.0.1:99999", "--index", cliIndex(t)}, corpus.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runCLI(t, tt.args...)
			if err == nil {
				t.Fatalf("no error; stderr %s", stderr)
			}
			if got := corpus.ErrorCode(err); got != tt.code {
				t.Errorf("code %s, want %s (%v)", got, tt.code, err)
			}
		})
	}
}
