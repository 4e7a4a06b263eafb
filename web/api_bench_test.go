package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus/parse"
)

// BenchmarkAPISearch sends the fixed query mix (testdata/querymix.txt) to
// /api/search of the real web server over real HTTP (httptest, loopback),
// from 8 concurrent clients like `zcbench load`, and reports latency
// percentiles. Run with -cpuprofile to see where a request's time goes
// (server and client share the process).
func BenchmarkAPISearch(b *testing.B) {
	srv, paths := mixServer(b)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	urls := make([]string, len(paths))
	for i, p := range paths {
		urls[i] = ts.URL + p
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	get := func(u string) error {
		resp, err := client.Get(u)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return &url.Error{Op: "GET", URL: u, Err: http.ErrNotSupported}
		}
		return nil
	}
	for _, u := range urls { // warm-up
		if err := get(u); err != nil {
			b.Fatalf("%s: %v", u, err)
		}
	}
	var (
		mu  sync.Mutex
		lat []time.Duration
		n   int
	)
	b.SetParallelism(4) // 2 cores × 4 = 8 clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			mu.Lock()
			u := urls[n%len(urls)]
			n++
			mu.Unlock()
			t0 := time.Now()
			if err := get(u); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		i := min(len(lat)-1, max(0, int(float64(len(lat))*p+0.999999)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkAPISearchHandler is the server's own work per /api/search
// request of the query mix, without the network and the client: the
// handler with every middleware, gzip included, one request at a time.
// It reports the mean JSON and gzip sizes of a response.
func BenchmarkAPISearchHandler(b *testing.B) {
	srv, paths := mixServer(b)
	var reqs []*http.Request
	for _, p := range paths {
		r := httptest.NewRequest(http.MethodGet, p, nil)
		r.Header.Set("Accept-Encoding", "gzip")
		reqs = append(reqs, r)
	}
	var plain, gz int64
	for _, r := range reqs {
		w := &countingWriter{header: http.Header{}}
		srv.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("%s: status %d", r.URL, w.status)
		}
		gz += w.n
		p := r.Clone(r.Context())
		p.Header.Del("Accept-Encoding")
		w = &countingWriter{header: http.Header{}}
		srv.ServeHTTP(w, p)
		plain += w.n
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &countingWriter{header: http.Header{}}
		srv.ServeHTTP(w, reqs[i%len(reqs)])
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
	b.ReportMetric(float64(plain)/float64(len(reqs)), "json-B")
	b.ReportMetric(float64(gz)/float64(len(reqs)), "gzip-B")
}

// countingWriter is an http.ResponseWriter that counts the body bytes.
type countingWriter struct {
	header http.Header
	status int
	n      int64
}

func (w *countingWriter) Header() http.Header { return w.header }

func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(p))
	return len(p), nil
}

// mixServer returns the web server over the seed corpus with the real
// searcher, and the /api/search paths of the fixed query mix
// (testdata/querymix.txt).
func mixServer(b *testing.B) (*Server, []string) {
	b.Helper()
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	svc, err := realSearcher(c)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Corpus: c, Searcher: svc})
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../testdata/querymix.txt")
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "&")
		for i, p := range parts {
			k, v, _ := strings.Cut(p, "=")
			parts[i] = k + "=" + url.QueryEscape(v)
		}
		paths = append(paths, "/api/search?"+strings.Join(parts, "&"))
	}
	return srv, paths
}
