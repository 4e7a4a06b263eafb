package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
)

// fixture is the server under test over the real seed corpus, built once
// per test binary.
type fixture struct {
	corpus *corpus.Corpus
	server *Server
}

var (
	fixtureOnce sync.Once
	fixtureVal  *fixture
	fixtureErr  error
)

func seedFixture(t testing.TB) *fixture {
	t.Helper()
	fixtureOnce.Do(func() {
		c, err := parse.Seeds()
		if err != nil {
			fixtureErr = err
			return
		}
		searcher, err := realSearcher(c)
		if err != nil {
			fixtureErr = err
			return
		}
		s, err := New(Config{Corpus: c, Searcher: searcher})
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureVal = &fixture{corpus: c, server: s}
	})
	if fixtureErr != nil {
		t.Fatalf("fixture: %v", fixtureErr)
	}
	return fixtureVal
}

// get performs a GET on the handler and returns the response and body.
func get(t testing.TB, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://zhengce.test"+target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// q escapes a query value.
func q(s string) string { return url.QueryEscape(s) }

// firstUnit returns the first unit of the corpus satisfying ok.
func firstUnit(t testing.TB, c *corpus.Corpus, ok func(*corpus.Unit) bool) *corpus.Unit {
	t.Helper()
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			if ok(u) {
				return u
			}
		}
	}
	t.Fatal("no unit matches")
	return nil
}

func TestRoutes(t *testing.T) {
	f := seedFixture(t)
	u := firstUnit(t, f.corpus, func(u *corpus.Unit) bool { return strings.Contains(u.Text, "集团化办学") })
	d, err := f.corpus.Document(u.DocID)
	if err != nil {
		t.Fatal(err)
	}
	row := pickTableRow(f.corpus)
	if row == nil {
		t.Fatal("no table rows in the seed corpus")
	}
	tests := []struct {
		name, target string
		status       int
		ctype        string
		want         []string
	}{
		{"home", "/", 200, "text/html", []string{"政策检索", `name="q"`, "巫溪县"}},
		{"search", "/search?q=" + q("集团化办学"), 200, "text/html", []string{"<mark>", "区县", `type="checkbox"`, u.DocID}},
		{"search filtered", "/search?q=" + q("集团化办学") + "&district=" + q(d.District), 200, "text/html", []string{"checked"}},
		{"reader", "/d/" + u.DocID, 200, "text/html", []string{`id="u-` + u.Path + `"`, "复制引用"}},
		{"reader highlight", "/d/" + u.DocID + "?q=" + q("集团化办学"), 200, "text/html", []string{"<mark>集团化办学</mark>"}},
		{"reader tables", "/d/" + row.DocID, 200, "text/html", []string{"<caption>", "<thead>", `scope="col"`, `<tr id="u-` + row.Path + `"`}},
		{"reader segmented words", "/d/wuxi-2022?q=" + q("学前教育普惠"), 200, "text/html", []string{"<mark>学前教育</mark>", "<mark>普惠</mark>"}},
		{"reader bad query still reads", "/d/wuxi-2022?q=" + q(`"集团化办学`), 200, "text/html", []string{"集团化办学"}},
		{"permalink", "/c/" + u.DocID + "/" + u.Path, 200, "text/html", []string{`data-target="u-` + u.Path + `"`, "is-target"}},
		{"page past the end", "/search?q=" + q("集团化办学") + "&page=400", 200, "text/html", []string{"回到第一页"}},
		{"paging", "/search?q=" + q("教师") + "&page=2&view=clause", 200, "text/html", []string{`rel="prev"`, `aria-current="page">2<`}},
		{"compare", "/compare?q=" + q("集团化办学"), 200, "text/html", []string{"区县对比", "巫溪县", "两江新区"}},
		{"compare empty", "/compare", 200, "text/html", []string{"区县对比"}},
		{"targets", "/targets?q=" + q("毛入园率"), 200, "text/html", []string{"目标指标", "下载 CSV"}},
		{"targets csv", "/targets.csv?q=" + q("毛入园率"), 200, "text/csv", []string{"\uFEFFid,doc_id,district"}},
		{"docs", "/docs", 200, "text/html", []string{"巫溪县", "/d/wuxi-2022"}},
		{"help", "/help", 200, "text/html", []string{"JSON API", "district:巫溪县"}},
		{"css", "/static/app.css", 200, "text/css", []string{"--brand"}},
		{"js", "/static/app.js", 200, "javascript", []string{"clipboard"}},
		{"healthz", "/healthz", 200, "application/json", []string{`"status":"ok"`}},
		{"api search", "/api/search?q=" + q(`"集团化办学"`) + "&limit=1000", 200, "application/json", []string{`"hits":[`, u.ID}},
		{"api docs", "/api/docs", 200, "application/json", []string{`"documents":[`, "wuxi-2022"}},
		{"api doc", "/api/docs/" + u.DocID, 200, "application/json", []string{`"outline":`, `"units":[`, u.ID}},
		{"api unit", "/api/units/" + u.DocID + "/" + u.Path, 200, "application/json", []string{`"id":"` + u.ID + `"`, `"url":"/c/`}},
		{"api targets", "/api/targets?q=" + q("毛入园率"), 200, "application/json", []string{`"targets":[`}},
		{"api targets csv", "/api/targets?format=csv", 200, "text/csv", []string{"\uFEFF"}},
		{"api compare", "/api/compare?q=" + q("集团化办学"), 200, "application/json", []string{`"districts":[`, "巫溪县"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, f.server, tt.target)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %.300s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

func TestNotFoundPages(t *testing.T) {
	f := seedFixture(t)
	u := pickUnit(f.corpus)
	i := strings.LastIndexByte(u.Path, '.')
	if i < 0 {
		t.Fatalf("deepest unit %s has a flat path", u.ID)
	}
	parent := u.Path[:i]
	d, err := f.corpus.Document(u.DocID)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(d.ID, "-")
	tests := []struct {
		name, target string
		want         []string
	}{
		{"unknown path", "/c/" + u.DocID + "/" + u.Path + ".99", []string{`class="nearest" href="/c/` + u.DocID + "/" + u.Path + `"`, `href="/d/` + u.DocID + `"`, `name="q"`}},
		{"unknown sibling", "/c/" + u.DocID + "/" + parent + ".999", []string{`class="nearest" href="/c/` + u.DocID + "/" + parent + `"`}},
		{"unknown doc, known path", "/c/" + head + "-1999/" + u.Path, []string{`class="similar" href="/c/` + u.DocID + "/" + u.Path + `"`, `name="q"`}},
		{"unknown doc", "/d/" + head, []string{`class="similar" href="/d/` + u.DocID + `"`}},
		{"nothing similar", "/d/zzz-2020", []string{"现有文件", `href="/d/wuxi-2022"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, f.server, tt.target)
			if res.StatusCode != 404 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
		})
	}
}

func TestHead(t *testing.T) {
	f := seedFixture(t)
	for _, target := range []string{"/healthz", "/", "/api/docs"} {
		req := httptest.NewRequest(http.MethodHead, "http://zhengce.test"+target, nil)
		rec := httptest.NewRecorder()
		f.server.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("HEAD %s: %d", target, rec.Code)
		}
	}
}

func TestErrors(t *testing.T) {
	f := seedFixture(t)
	u := firstUnit(t, f.corpus, func(u *corpus.Unit) bool { return true })
	big := strings.Repeat("教", 1<<20/3)
	tests := []struct {
		name, method, target string
		status               int
		code                 string // JSON error code, "" for HTML
	}{
		{"limit too big", "GET", "/api/search?q=a&limit=5000", 400, corpus.EINVALID},
		{"limit not a number", "GET", "/api/search?q=a&limit=abc", 400, corpus.EINVALID},
		{"negative offset", "GET", "/api/search?q=a&offset=-1", 400, corpus.EINVALID},
		{"offset too deep", "GET", "/api/search?q=a&offset=99999999", 400, corpus.EINVALID},
		{"invalid utf8", "GET", "/api/search?q=%ff%fe", 400, corpus.EINVALID},
		{"invalid utf8 filter", "GET", "/api/search?q=a&district=%ff", 400, corpus.EINVALID},
		{"control char", "GET", "/api/search?q=a%00b", 400, corpus.EINVALID},
		{"1MB query", "GET", "/api/search?q=" + q(big), 400, corpus.ETOOLARGE},
		{"long query", "GET", "/api/search?q=" + q(strings.Repeat("教", search.MaxQueryRunes+1)), 400, corpus.ETOOLARGE},
		{"bad target_min", "GET", "/api/search?q=a&target_min=x", 400, corpus.EINVALID},
		{"unknown doc", "GET", "/api/docs/nope-2020", 404, corpus.ENOTFOUND},
		{"unknown unit", "GET", "/api/units/" + u.DocID + "/9.9.9.9", 404, corpus.ENOTFOUND},
		{"unit of unknown doc", "GET", "/api/units/nope/1", 404, corpus.ENOTFOUND},
		{"traversal api doc", "GET", "/api/docs/..%2f..%2fetc%2fpasswd", 400, corpus.EINVALID},
		{"traversal api unit", "GET", "/api/units/" + u.DocID + "/..%2f..%2fgo.mod", 400, corpus.EINVALID},
		{"bad format", "GET", "/api/targets?format=xml", 400, corpus.EINVALID},
		{"bad source", "GET", "/api/targets?source=x", 400, corpus.EINVALID},
		{"compare without q", "GET", "/api/compare", 400, corpus.EINVALID},
		{"compare limit", "GET", "/api/compare?q=a&limit=1000", 400, corpus.EINVALID},
		{"unknown api", "GET", "/api/nope", 404, corpus.ENOTFOUND},
		{"method", "POST", "/api/search?q=a", 405, corpus.EINVALID},
		{"method delete", "DELETE", "/d/wuxi-2022", 405, ""},
		{"body too large", "POST", "/api/search", 413, corpus.ETOOLARGE},
		{"page 404", "GET", "/nope", 404, ""},
		{"unknown doc page", "GET", "/d/nope-2020", 404, ""},
		{"unknown unit page", "GET", "/c/" + u.DocID + "/9.9.9.9", 404, ""},
		{"traversal reader", "GET", "/d/..%2f..%2fetc%2fpasswd", 400, ""},
		{"traversal permalink", "GET", "/c/" + u.DocID + "/..%2f..%2fetc%2fpasswd", 400, ""},
		{"traversal double encoded", "GET", "/c/" + u.DocID + "/%252e%252e%252fgo.mod", 400, ""},
		{"traversal dotdot", "GET", "/c/../../etc/passwd", 400, ""},
		{"traversal static", "GET", "/static/..%2fserver.go", 404, ""},
		{"static listing", "GET", "/static/", 404, ""},
		{"bad page", "GET", "/search?q=a&page=0", 400, ""},
		{"search invalid utf8", "GET", "/search?q=%ff", 400, ""},
		{"search 1MB", "GET", "/search?q=" + q(big), 400, ""},
		{"reader bad q", "GET", "/d/" + u.DocID + "?q=%ff", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.method == "POST" && tt.status == 413 {
				body = strings.NewReader(strings.Repeat("x", MaxBodyBytes+1))
			}
			req := httptest.NewRequest(tt.method, "http://zhengce.test"+tt.target, body)
			rec := httptest.NewRecorder()
			f.server.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %.300s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.code == "" {
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q, want HTML", ct)
				}
				if strings.Contains(rec.Body.String(), "root:") {
					t.Error("file contents leaked")
				}
				return
			}
			var e apiError
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("not an error JSON: %v: %.300s", err, rec.Body.String())
			}
			if e.Error.Code != tt.code || e.Error.Message == "" {
				t.Errorf("error %+v, want code %q and a message", e.Error, tt.code)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	f := seedFixture(t)
	for _, tt := range []struct {
		target, enc string
		status      int
	}{
		{"/d/wuxi-2022", "gzip", 200},
		{"/api/docs/wuxi-2022", "gzip", 200},
		{"/api/docs/nope", "gzip", 404},
		{"/static/app.css", "gzip", 200},
	} {
		req := httptest.NewRequest(http.MethodGet, "http://zhengce.test"+tt.target, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate")
		rec := httptest.NewRecorder()
		f.server.ServeHTTP(rec, req)
		if rec.Code != tt.status || rec.Header().Get("Content-Encoding") != tt.enc {
			t.Errorf("%s: status %d, encoding %q", tt.target, rec.Code, rec.Header().Get("Content-Encoding"))
			continue
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("%s: %v", tt.target, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", tt.target, err)
		}
		_, want := get(t, f.server, tt.target)
		if string(plain) != want {
			t.Errorf("%s: gzipped body differs from the plain one (%d vs %d bytes)", tt.target, len(plain), len(want))
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{"gzip": true, "gzip, deflate, br": true, "br": false, "": false, "gzip;q=0": false, "gzip; q=0.5": true, "GZIP": true} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v", h, got)
		}
	}
}
