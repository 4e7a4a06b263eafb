package web

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/indexer"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency
// histogram.
var latencyBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests for GET /metrics (Prometheus text format).
type metrics struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	latency  map[string]*histogram // by route
	limited  uint64                // requests refused by the rate limiter
}

type requestKey struct {
	route, method string
	code          int
}

type histogram struct {
	counts []uint64 // per bucket, cumulative at export
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, latency: map[string]*histogram{}}
}

// observe records one finished request. route is the route pattern, so
// the label set stays small whatever the URLs.
func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, code}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	sec := d.Seconds()
	for i, b := range latencyBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.count++
}

func (m *metrics) rateLimited() {
	m.mu.Lock()
	m.limited++
	m.mu.Unlock()
}

// routeLabel is the route pattern of c (a registered path, so the label
// set stays bounded), or "other" when nothing matched.
func routeLabel(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "other"
}

// handleMetrics serves the Prometheus text exposition format.
func (s *Server) handleMetrics(c echo.Context) error {
	var b strings.Builder
	m := s.metrics
	m.mu.Lock()
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, z := keys[i], keys[j]
		if a.route != z.route {
			return a.route < z.route
		}
		if a.method != z.method {
			return a.method < z.method
		}
		return a.code < z.code
	})
	b.WriteString("# HELP zhengce_http_requests_total HTTP requests by route, method and status.\n# TYPE zhengce_http_requests_total counter\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "zhengce_http_requests_total{route=%q,method=%q,code=\"%d\"} %d\n", k.route, k.method, k.code, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	b.WriteString("# HELP zhengce_http_request_duration_seconds HTTP request latency by route.\n# TYPE zhengce_http_request_duration_seconds histogram\n")
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "zhengce_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n", r, strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "zhengce_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.count)
		fmt.Fprintf(&b, "zhengce_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(&b, "zhengce_http_request_duration_seconds_count{route=%q} %d\n", r, h.count)
	}
	fmt.Fprintf(&b, "# HELP zhengce_http_rate_limited_total Requests refused with 429.\n# TYPE zhengce_http_rate_limited_total counter\nzhengce_http_rate_limited_total %d\n", m.limited)
	m.mu.Unlock()

	st := s.stats()
	fmt.Fprintf(&b, "# HELP zhengce_documents Documents in the corpus.\n# TYPE zhengce_documents gauge\nzhengce_documents %d\n", st.Documents)
	fmt.Fprintf(&b, "# HELP zhengce_units Searchable units in the corpus.\n# TYPE zhengce_units gauge\nzhengce_units %d\n", st.Units)
	fmt.Fprintf(&b, "# HELP zhengce_targets Targets in the corpus.\n# TYPE zhengce_targets gauge\nzhengce_targets %d\n", st.Targets)
	if s.indexDir != "" {
		if size, err := indexer.DiskSize(s.indexDir); err == nil {
			fmt.Fprintf(&b, "# HELP zhengce_index_size_bytes Size of the index on disk.\n# TYPE zhengce_index_size_bytes gauge\nzhengce_index_size_bytes %d\n", size)
		} else {
			s.log.Warn("metrics: index size", "err", err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(&b, "# HELP zhengce_go_goroutines Goroutines.\n# TYPE zhengce_go_goroutines gauge\nzhengce_go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(&b, "# HELP zhengce_go_heap_alloc_bytes Bytes of allocated heap objects.\n# TYPE zhengce_go_heap_alloc_bytes gauge\nzhengce_go_heap_alloc_bytes %d\n", ms.HeapAlloc)
	return c.Blob(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}
