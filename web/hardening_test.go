package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// realServer serves s over a real loopback listener with the production
// http.Server settings (timeouts, header limit).
func realServer(t testing.TB, s *Server) string {
	t.Helper()
	ts := httptest.NewUnstartedServer(s)
	hs := s.HTTPServer()
	ts.Config.ReadHeaderTimeout, ts.Config.ReadTimeout = hs.ReadHeaderTimeout, hs.ReadTimeout
	ts.Config.WriteTimeout, ts.Config.IdleTimeout = hs.WriteTimeout, hs.IdleTimeout
	ts.Config.MaxHeaderBytes = hs.MaxHeaderBytes
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.URL
}

// rawGet sends a request line exactly as given (no client-side cleaning
// of the path) and returns the status code and body.
func rawGet(t *testing.T, base, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: zhengce.test\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestServerTimeouts: the production server has every timeout set, and a
// client that never finishes its headers (slowloris) is disconnected
// after ReadHeaderTimeout.
func TestServerTimeouts(t *testing.T) {
	f := seedFixture(t)
	hs := f.server.HTTPServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Fatalf("timeouts not all set: header %s read %s write %s idle %s max header %d",
			hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}
	base := realServer(t, f.server)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: zhengce.test\r\nX-Slow: "); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(ReadHeaderTimeout + 5*time.Second))
	_, err = io.ReadAll(conn) // the server answers 408 or just closes
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("a client with unfinished headers was still connected after %s", ReadHeaderTimeout+5*time.Second)
	}
}

// TestRealSearchDeadline: the per-request deadline reaches the real bleve
// search, which stops with 504 and the timeout code.
func TestRealSearchDeadline(t *testing.T) {
	f := seedFixture(t)
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, RequestTimeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	base := realServer(t, s)
	res, err := http.Get(base + "/api/search?q=" + q("教育 发展"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e apiError
	if err := json.NewDecoder(res.Body).Decode(&e); err != nil || res.StatusCode != http.StatusGatewayTimeout || e.Error.Code != corpus.ETIMEOUT {
		t.Fatalf("search past its deadline: %d %+v %v", res.StatusCode, e, err)
	}
}

// TestHostileRequestsOverTheWire sends hostile request lines byte for
// byte (no client-side path cleaning): traversal on /d/, /c/, /api/ and
// /static/ is rejected without leaking files, directories are not
// listed, invalid UTF-8 and a 1 MB query are clear 400s, and the security
// headers are on every answer, errors included.
func TestHostileRequestsOverTheWire(t *testing.T) {
	f := seedFixture(t)
	base := realServer(t, f.server)
	u := firstUnit(t, f.corpus, func(*corpus.Unit) bool { return true })
	goMod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target string
		want   []int
	}{
		{"/d/../../etc/passwd", []int{400, 404}},
		{"/d/..%2f..%2fetc%2fpasswd", []int{400}},
		{"/c/" + u.DocID + "/../../../go.mod", []int{400, 404}},
		{"/c/" + u.DocID + "/..%2f..%2fgo.mod", []int{400}},
		{"/c/..%2f..%2f/1", []int{400}},
		{"/c/%2e%2e/%2e%2e/go.mod", []int{400}},
		{"/api/units/" + u.DocID + "/..%2f..%2fgo.mod", []int{400}},
		{"/static/../server.go", []int{400, 404}},
		{"/static/..%2fserver.go", []int{404}},
		{"/static/", []int{404}},
		{"/static", []int{404}},
		{"/static/templates", []int{404}},
		{"/api/search?q=%ff%fe", []int{400}},
		{"/search?q=%ed%a0%80", []int{400}},
		{"/api/search?q=" + strings.Repeat("a", 1<<20), []int{400}},
	}
	for _, tt := range tests {
		name := tt.target
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			code, body := rawGet(t, base, tt.target)
			ok := false
			for _, w := range tt.want {
				ok = ok || code == w
			}
			if !ok {
				t.Errorf("status %d, want one of %v: %.200s", code, tt.want, body)
			}
			if strings.Contains(body, "root:") || strings.Contains(body, string(goMod)) || strings.Contains(body, "package web") {
				t.Errorf("file contents leaked: %.200s", body)
			}
		})
	}
	// Security headers on errors over the wire, 401 and 429 included.
	limited, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, RateLimit: 0.001, RateBurst: 1,
		AdminToken: "t", Reindexer: &fakeReindexer{}})
	if err != nil {
		t.Fatal(err)
	}
	lbase := realServer(t, limited)
	for _, target := range []string{lbase + "/api/docs", lbase + "/api/docs", base + "/nope", base + "/api/docs/nope", lbase + "/api/admin/reindex"} {
		res, err := http.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s (%d): security headers missing: %v", target, res.StatusCode, res.Header)
		}
	}
}

// TestAccessLog: one structured (slog) line per request with method,
// path, status, size, duration and client; long queries are truncated
// and credentials are never logged.
func TestAccessLog(t *testing.T) {
	f := seedFixture(t)
	var buf syncBuffer
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, Logger: slog.New(slog.NewJSONHandler(&buf, nil)),
		AdminToken: "very-secret-token", Reindexer: &fakeReindexer{}})
	if err != nil {
		t.Fatal(err)
	}
	base := realServer(t, s)
	targets := []string{"/api/search?q=" + q("集团化办学"), "/nope", "/api/search?q=" + strings.Repeat("x", 5000)}
	for _, target := range targets {
		res, err := http.Get(base + target)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/admin/reindex", nil)
	req.Header.Set("Authorization", "Bearer wrong-token-guess")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
	}
	type line struct {
		Msg      string  `json:"msg"`
		Method   string  `json:"method"`
		Path     string  `json:"path"`
		Query    string  `json:"query"`
		Status   int     `json:"status"`
		Bytes    int64   `json:"bytes"`
		Duration float64 `json:"duration"`
		Remote   string  `json:"remote"`
	}
	var lines []line
	for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var l line
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, raw)
		}
		if l.Msg == "http" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 4 {
		t.Fatalf("%d access log lines for 4 requests:\n%s", len(lines), buf.String())
	}
	wantStatus := []int{200, 404, 400, 401}
	for i, l := range lines {
		if l.Method != "GET" || l.Path == "" || l.Status != wantStatus[i] || l.Duration <= 0 || l.Remote != "127.0.0.1" || l.Bytes <= 0 {
			t.Errorf("line %d: %+v, want status %d", i, l, wantStatus[i])
		}
		if len(l.Query) > 210 {
			t.Errorf("line %d: query of %d bytes logged", i, len(l.Query))
		}
	}
	if strings.Contains(buf.String(), "wrong-token-guess") || strings.Contains(buf.String(), "very-secret-token") {
		t.Error("a token was logged")
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
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

// BenchmarkReject measures how fast hostile queries are refused with 400
// over real HTTP (the whole round trip, the 1 MB upload included).
func BenchmarkReject(b *testing.B) {
	f := seedFixture(b)
	base := realServer(b, f.server)
	for _, bc := range []struct{ name, query string }{
		{"1MB", strings.Repeat("a", 1<<20)},
		{"InvalidUTF8", "%ff%fe"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := http.Get(base + "/api/search?q=" + bc.query)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 400 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
		})
	}
}

// TestEscapingTargets extends TestEscaping to the targets views: a target
// extracted from a document with markup is shown escaped in the HTML
// table and carried literally in JSON.
func TestEscapingTargets(t *testing.T) {
	s, c := hostileServer(t)
	if len(c.Documents()[0].Targets) == 0 {
		t.Fatal("no target extracted from the hostile document")
	}
	for _, p := range []string{"/targets", "/targets?q=" + q("覆盖率"), "/api/targets", "/api/targets?compare=" + q("覆盖率")} {
		res, body := get(t, s, p)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", p, res.StatusCode)
		}
		for _, bad := range []string{"<img src=x", "<script>", "<b>标题", "<i>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: unescaped %q", p, bad)
			}
		}
		// the markup is there, escaped: the document title in HTML, the
		// target text in JSON (encoding/json writes < as \u003c)
		want := "&lt;b&gt;标题"
		if strings.HasPrefix(p, "/api/") {
			want = `\u003cimg src=x`
		}
		if !strings.Contains(body, want) {
			t.Errorf("%s: lacks %q", p, want)
		}
	}
}

// TestRateLimitBounded: the limiter's memory is bounded whatever the
// number of clients, and an IPv6 /64 network is one client.
func TestRateLimitBounded(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	l := newRateLimiter(1, 1, func() time.Time { return now })
	l.max = 50
	for i := range 5000 { // all active at once: nothing idle to sweep
		l.allow(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String())
		if len(l.buckets) > l.max {
			t.Fatalf("%d buckets after %d clients, limit %d", len(l.buckets), i+1, l.max)
		}
	}
	if ok, _ := l.allow("2001:db8:1:2::1"); !ok {
		t.Fatal("first IPv6 request refused")
	}
	if ok, _ := l.allow("2001:db8:1:2:ffff::9"); ok {
		t.Error("another address of the same /64 got a fresh bucket")
	}
	if ok, _ := l.allow("2001:db8:1:3::1"); !ok {
		t.Error("another /64 was limited")
	}
}
