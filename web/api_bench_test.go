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

	"github.com/zhengce/zhengce/corpus"
)

// BenchmarkAPISearch sends the fixed query mix (testdata/querymix.txt) to
// /api/search of the real web server over real HTTP (httptest, loopback),
// from 8 concurrent clients like `zcbench load`, and reports latency
// percentiles. Run with -cpuprofile to see where a request's time goes
// (server and client share the process).
func BenchmarkAPISearch(b *testing.B) {
	c, err := corpus.Default()
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
	ts := httptest.NewServer(srv)
	defer ts.Close()
	data, err := os.ReadFile("../testdata/querymix.txt")
	if err != nil {
		b.Fatal(err)
	}
	var urls []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "&")
		for i, p := range parts {
			k, v, _ := strings.Cut(p, "=")
			parts[i] = k + "=" + url.QueryEscape(v)
		}
		urls = append(urls, ts.URL+"/api/search?"+strings.Join(parts, "&"))
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
