package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
)

// The parser of the fake collection, built once per test binary.
var (
	parserOnce sync.Once
	parserVal  *parse.Parser
	parserErr  error
)

func testParser(t testing.TB) *parse.Parser {
	t.Helper()
	parserOnce.Do(func() { parserVal, parserErr = parse.Default() })
	if parserErr != nil {
		t.Fatalf("parser: %v", parserErr)
	}
	return parserVal
}

// fakeCollection is a corpus.Collection over text files held in memory:
// each change parses every file afresh into a new immutable Corpus, so
// the snapshots handed out never share documents. A file whose content
// starts with "BAD" is rejected, as a file no reader can read.
type fakeCollection struct {
	t      testing.TB
	parser *parse.Parser

	mu       sync.Mutex
	files    []corpus.File // by order of first addition
	cur      *corpus.Corpus
	calls    []string // "add upload a.txt,b.txt", "remove x"
	deadline time.Time
	addErr   error
}

func newFakeCollection(t testing.TB, files ...corpus.File) *fakeCollection {
	f := &fakeCollection{t: t, parser: testParser(t), files: files}
	if err := f.rebuild(); err != nil {
		t.Fatal(err)
	}
	return f
}

func docID(name string) string {
	base := path.Base(name)
	return corpus.SanitizeID(strings.TrimSuffix(base, path.Ext(base)))
}

// rebuild parses every file into a new corpus; f.mu is held or f is not
// yet shared.
func (f *fakeCollection) rebuild() error {
	docs := make([]*corpus.Document, 0, len(f.files))
	for _, file := range f.files {
		d, err := f.parser.Parse(corpus.Meta{ID: docID(file.Name), Source: file.Name}, file.Data)
		if err != nil {
			return err
		}
		docs = append(docs, d)
	}
	c, err := corpus.New(docs)
	if err != nil {
		return err
	}
	f.cur = c
	return nil
}

func (f *fakeCollection) Corpus() *corpus.Corpus {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cur
}

func (f *fakeCollection) Add(ctx context.Context, origin string, files []corpus.File) ([]corpus.ChangeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make([]string, len(files))
	for i, file := range files {
		names[i] = file.Name
	}
	f.calls = append(f.calls, "add "+origin+" "+strings.Join(names, ","))
	f.deadline, _ = ctx.Deadline()
	if f.addErr != nil {
		return nil, f.addErr
	}
	var out []corpus.ChangeResult
	for _, file := range files {
		id := docID(file.Name)
		if bytes.HasPrefix(file.Data, []byte("BAD")) {
			out = append(out, corpus.ChangeResult{Source: file.Name, Status: corpus.ChangeRejected, Reason: "无法识别的文件格式"})
			continue
		}
		i := slices.IndexFunc(f.files, func(x corpus.File) bool { return docID(x.Name) == id })
		if i >= 0 {
			f.files[i] = file
		} else {
			f.files = append(f.files, file)
		}
		out = append(out, corpus.ChangeResult{ID: id, Source: file.Name, Status: corpus.ChangeIndexed, Replaced: i >= 0})
	}
	if err := f.rebuild(); err != nil {
		return nil, fmt.Errorf("fake rebuild: %w", err)
	}
	return out, nil
}

func (f *fakeCollection) Remove(ctx context.Context, ids []string) ([]corpus.ChangeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, "remove "+strings.Join(ids, ","))
	f.deadline, _ = ctx.Deadline()
	for _, id := range ids {
		if !slices.ContainsFunc(f.files, func(x corpus.File) bool { return docID(x.Name) == id }) {
			return nil, corpus.Errorf(corpus.ENOTFOUND, "文档不存在：%s", id)
		}
	}
	var out []corpus.ChangeResult
	for _, id := range ids {
		f.files = slices.DeleteFunc(f.files, func(x corpus.File) bool { return docID(x.Name) == id })
		out = append(out, corpus.ChangeResult{ID: id, Status: corpus.ChangeRemoved})
	}
	if err := f.rebuild(); err != nil {
		return nil, fmt.Errorf("fake rebuild: %w", err)
	}
	return out, nil
}

func (f *fakeCollection) Sources(origin string) map[string]corpus.Stamp { return nil }

func (f *fakeCollection) callLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// collectionSearcher searches the collection's current snapshot by
// scanning it (bruteSearcher), as the real index follows the collection.
type collectionSearcher struct{ col corpus.Collection }

func (s collectionSearcher) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	return bruteSearcher{c: s.col.Corpus()}.Search(ctx, req)
}

// policyText is a small policy document whose body holds phrase.
func policyText(title, phrase string) []byte {
	return []byte(title + "\n\n一、总体要求\n\n（一）坚持" + phrase + "，推进各项工作。\n\n二、主要任务\n\n1. 全面落实" + phrase + "的各项要求。\n")
}

const docToken = "upload-s3cret"

// docServer is a server with the document API over a fake collection
// holding one document (base.txt).
func docServer(t *testing.T) (*fakeCollection, *Server, *httptest.Server) {
	t.Helper()
	col := newFakeCollection(t, corpus.File{Name: "base.txt", Data: policyText("巫溪县基础教育工作方案", "基础测试语")})
	s, err := New(Config{Collection: col, Searcher: collectionSearcher{col}, AdminToken: docToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return col, s, ts
}

// part is one part of a multipart upload.
type part struct {
	field, filename string
	data            []byte
}

// multipartBody encodes parts; the filename is written as given (no
// directory stripping on the client's side).
func multipartBody(t testing.TB, parts ...part) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := fmt.Sprintf(`form-data; name=%q`, p.field)
		if p.filename != "\x00" {
			cd += fmt.Sprintf(`; filename="%s"`, strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p.filename))
		}
		h.Set("Content-Disposition", cd)
		h.Set("Content-Type", "application/octet-stream")
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write(p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &buf
}

// call performs a request with auth ("" for none) and returns the status,
// header and body.
func call(t testing.TB, method, url, auth, ctype string, body io.Reader) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, b
}

func upload(t testing.TB, url string, parts ...part) (int, []byte) {
	t.Helper()
	ct, body := multipartBody(t, parts...)
	code, _, b := call(t, http.MethodPost, url+"/api/documents", "Bearer "+docToken, ct, body)
	return code, b
}

func changeResults(t testing.TB, code int, body []byte) []corpus.ChangeResult {
	t.Helper()
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	var out changeResponse
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return out.Documents
}

func apiErr(t testing.TB, body []byte) apiErrorBody {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an API error: %s", body)
	}
	return e.Error
}

func hasHan(s string) bool { return regexp.MustCompile(`\p{Han}`).MatchString(s) }

// TestDocumentsOff: without both a token and a collection the document
// API and the admin page do not exist.
func TestDocumentsOff(t *testing.T) {
	col := newFakeCollection(t, corpus.File{Name: "base.txt", Data: policyText("巫溪县基础教育工作方案", "基础测试语")})
	fixed := col.Corpus()
	searcher := bruteSearcher{c: fixed}
	configs := map[string]Config{
		"neither":          {Corpus: fixed, Searcher: searcher},
		"token, reindexer": {Corpus: fixed, Searcher: searcher, AdminToken: docToken, Reindexer: noReindexer{}},
		"collection only":  {Collection: col, Searcher: collectionSearcher{col}},
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			s, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(s)
			defer ts.Close()
			ct, body := multipartBody(t, part{"file", "a.txt", []byte("x")})
			for _, r := range []struct {
				method, path string
				body         io.Reader
			}{
				{http.MethodPost, "/api/documents", body},
				{http.MethodDelete, "/api/documents/base", nil},
				{http.MethodGet, "/api/documents/check", nil},
				{http.MethodGet, "/admin", nil},
			} {
				if code, _, b := call(t, r.method, ts.URL+r.path, "Bearer "+docToken, ct, r.body); code != http.StatusNotFound {
					t.Errorf("%s %s: %d %.200s", r.method, r.path, code, b)
				}
			}
		})
	}
	if len(col.callLog()) != 0 {
		t.Errorf("calls reached the collection: %v", col.callLog())
	}
	if _, err := New(Config{Searcher: searcher}); err == nil {
		t.Error("a config without corpus or collection was accepted")
	}
}

// TestDocumentsAuth: no token is 401 with WWW-Authenticate, a wrong one
// 403, each with the JSON error shape, and nothing reaches the
// collection; the right one passes the check.
func TestDocumentsAuth(t *testing.T) {
	col, _, ts := docServer(t)
	type req struct{ method, path string }
	reqs := []req{{http.MethodPost, "/api/documents"}, {http.MethodDelete, "/api/documents/base"}, {http.MethodGet, "/api/documents/check"}}
	tests := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"none", "", http.StatusUnauthorized, CodeUnauthorized},
		{"empty bearer", "Bearer ", http.StatusUnauthorized, CodeUnauthorized},
		{"basic", "Basic " + docToken, http.StatusUnauthorized, CodeUnauthorized},
		{"bare token", docToken, http.StatusUnauthorized, CodeUnauthorized},
		{"wrong", "Bearer wrong", http.StatusForbidden, CodeForbidden},
		{"prefix", "Bearer " + docToken[:len(docToken)-1], http.StatusForbidden, CodeForbidden},
		{"longer", "Bearer " + docToken + "x", http.StatusForbidden, CodeForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range reqs {
				ct, body := multipartBody(t, part{"file", "new.txt", policyText("新文件", "未授权")})
				code, h, b := call(t, r.method, ts.URL+r.path, tt.auth, ct, body)
				if code != tt.status {
					t.Fatalf("%s %s: %d %s", r.method, r.path, code, b)
				}
				if e := apiErr(t, b); e.Code != tt.code || !hasHan(e.Message) {
					t.Errorf("%s %s: error %+v", r.method, r.path, e)
				}
				if got := h.Get("WWW-Authenticate"); (code == http.StatusUnauthorized) != strings.HasPrefix(got, "Bearer") {
					t.Errorf("%s %s: WWW-Authenticate %q with %d", r.method, r.path, got, code)
				}
			}
		})
	}
	if calls := col.callLog(); len(calls) != 0 {
		t.Fatalf("unauthorised requests reached the collection: %v", calls)
	}
	if code, h, b := call(t, http.MethodGet, ts.URL+"/api/documents/check", "Bearer "+docToken, "", nil); code != http.StatusNoContent || len(b) != 0 || h.Get("Cache-Control") != "no-store" {
		t.Errorf("check with the token: %d %q %v", code, b, h)
	}
}

// TestUpload: files are indexed one result per file, in order; a file
// over the size limit, a file no reader reads and files without a usable
// name are rejected alone; directories in names are dropped; other form
// fields are ignored.
func TestUpload(t *testing.T) {
	col, s, ts := docServer(t)
	s.documents.maxFile = 4 << 10
	if d := newDocuments("x", col); d.maxFile != corpus.DefaultLimits().MaxFileSize || d.maxBody != MaxUploadBytes {
		t.Fatalf("default limits %d, %d", d.maxFile, d.maxBody)
	}
	big := bytes.Repeat([]byte("大"), 2<<10) // 6 KB
	tests := []struct {
		name  string
		parts []part
		want  []corpus.ChangeResult
		added string // the collection's call, "" for none
	}{
		{
			name:  "two files",
			parts: []part{{"file", "一号.txt", policyText("巫溪县一号方案", "甲")}, {"file", "two.md", policyText("巫溪县二号方案", "乙")}},
			want: []corpus.ChangeResult{
				{ID: "一号", Source: "一号.txt", Status: corpus.ChangeIndexed},
				{ID: "two", Source: "two.md", Status: corpus.ChangeIndexed},
			},
			added: "add upload 一号.txt,two.md",
		},
		{
			name:  "replace",
			parts: []part{{"file", "base.txt", policyText("巫溪县基础教育工作方案（修订）", "丙")}},
			want:  []corpus.ChangeResult{{ID: "base", Source: "base.txt", Status: corpus.ChangeIndexed, Replaced: true}},
			added: "add upload base.txt",
		},
		{
			name:  "oversize file rejected, the other indexed",
			parts: []part{{"file", "big.txt", big}, {"file", "small.txt", policyText("巫溪县小方案", "丁")}},
			want: []corpus.ChangeResult{
				{Source: "big.txt", Status: corpus.ChangeRejected, Reason: "文件过大，单个文件上限为 4 KB"},
				{ID: "small", Source: "small.txt", Status: corpus.ChangeIndexed},
			},
			added: "add upload small.txt",
		},
		{
			name:  "unreadable file",
			parts: []part{{"file", "bad.pdf", []byte("BAD")}},
			want:  []corpus.ChangeResult{{Source: "bad.pdf", Status: corpus.ChangeRejected, Reason: "无法识别的文件格式"}},
			added: "add upload bad.pdf",
		},
		{
			name: "path traversal",
			parts: []part{
				{"file", "../../etc/passwd.txt", policyText("上级目录一", "戊")},
				{"file", `..\..\windows\win.txt`, policyText("上级目录二", "己")},
				{"file", "/abs/dir/abs.txt", policyText("绝对路径", "庚")},
				{"file", "..", []byte("x")},
				{"file", "a/..", []byte("x")},
				{"file", "dir/", []byte("x")},
				{"file", "", []byte("x")},
				{"file", "\x00", []byte("x")}, // no filename parameter
				{"file", "a\u202ex.txt", []byte("x")},
				{"file", strings.Repeat("长", 90) + ".txt", []byte("x")},
				{"note", "ignored.txt", []byte("not a file field")},
			},
			want: []corpus.ChangeResult{
				{ID: "passwd", Source: "passwd.txt", Status: corpus.ChangeIndexed},
				{ID: "win", Source: "win.txt", Status: corpus.ChangeIndexed},
				{ID: "abs", Source: "abs.txt", Status: corpus.ChangeIndexed},
				{Source: "..", Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"},
				{Source: "a/..", Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"},
				{Source: "dir/", Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"},
				{Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"},
				{Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"},
				{Source: "a\u202ex.txt", Status: corpus.ChangeRejected, Reason: "文件名无效：包含控制字符"},
				{Source: strings.Repeat("长", 90) + ".txt", Status: corpus.ChangeRejected, Reason: "文件名过长（最多 255 字节）"},
			},
			added: "add upload passwd.txt,win.txt,abs.txt",
		},
		{
			name:  "nothing readable: the collection is not called",
			parts: []part{{"file", "..", []byte("x")}},
			want:  []corpus.ChangeResult{{Source: "..", Status: corpus.ChangeRejected, Reason: "文件名无效：缺少文件名"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(col.callLog())
			code, b := upload(t, ts.URL, tt.parts...)
			got := changeResults(t, code, b)
			if !slices.Equal(got, tt.want) {
				t.Errorf("results\n got %+v\nwant %+v", got, tt.want)
			}
			calls := col.callLog()[before:]
			if want := []string{tt.added}; tt.added == "" && len(calls) != 0 || tt.added != "" && !slices.Equal(calls, want) {
				t.Errorf("collection calls %q, want %q", calls, tt.added)
			}
		})
	}
	// the upload's deadline is the admin one, not the 5 s of a search
	if dl := col.deadlineSeen(); time.Until(dl) < AdminRequestTimeout-time.Minute {
		t.Errorf("upload deadline %v away, want about %v", time.Until(dl), AdminRequestTimeout)
	}
}

func (f *fakeCollection) deadlineSeen() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deadline
}

// TestUploadLimits: too many files, a body over the limit (declared or
// streamed) and malformed bodies are refused whole, with a Chinese
// message, and index nothing.
func TestUploadLimits(t *testing.T) {
	col, s, ts := docServer(t)
	s.documents.maxBody = 32 << 10
	many := make([]part, MaxUploadFiles+1)
	for i := range many {
		many[i] = part{"file", fmt.Sprintf("f%03d.txt", i), policyText(fmt.Sprintf("第%d号文件", i), "多")}
	}
	bigBody := func() (string, io.Reader) {
		ct, b := multipartBody(t, part{"file", "a.txt", policyText("小", "甲")}, part{"file", "b.txt", bytes.Repeat([]byte("x"), 40<<10)})
		return ct, b
	}
	tests := []struct {
		name   string
		body   func() (string, io.Reader)
		status int
		msg    string
	}{
		{"too many files", func() (string, io.Reader) {
			ct, b := multipartBody(t, many...)
			return ct, b
		}, http.StatusRequestEntityTooLarge, "一次最多上传 100 个文件"},
		{"declared body too large", bigBody, http.StatusRequestEntityTooLarge, "一次最多上传 32 KB"},
		{"streamed body too large", func() (string, io.Reader) {
			ct, b := bigBody()
			return ct, io.MultiReader(b) // no Content-Length: chunked
		}, http.StatusRequestEntityTooLarge, "一次最多上传 32 KB"},
		{"not multipart", func() (string, io.Reader) { return "application/json", strings.NewReader("{}") }, http.StatusBadRequest, "multipart/form-data"},
		{"no boundary", func() (string, io.Reader) { return "multipart/form-data", strings.NewReader("x") }, http.StatusBadRequest, "multipart/form-data"},
		{"truncated", func() (string, io.Reader) {
			ct, b := multipartBody(t, part{"file", "a.txt", policyText("小", "甲")})
			return ct, bytes.NewReader(b.Bytes()[:b.Len()-10])
		}, http.StatusBadRequest, "上传内容格式无效"},
		{"no files", func() (string, io.Reader) {
			ct, b := multipartBody(t, part{"note", "a.txt", []byte("x")})
			return ct, b
		}, http.StatusBadRequest, "没有收到文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.body()
			code, _, b := call(t, http.MethodPost, ts.URL+"/api/documents", "Bearer "+docToken, ct, body)
			if code != tt.status {
				t.Fatalf("status %d: %s", code, b)
			}
			if e := apiErr(t, b); !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q, want %q", e.Message, tt.msg)
			}
		})
	}
	if calls := col.callLog(); len(calls) != 0 {
		t.Errorf("refused uploads reached the collection: %v", calls)
	}
	// the limit applies to uploads only: other routes keep MaxBodyBytes
	if code, _, b := call(t, http.MethodGet, ts.URL+"/api/documents/check", "Bearer "+docToken, "text/plain", bytes.NewReader(make([]byte, MaxBodyBytes+1))); code != http.StatusRequestEntityTooLarge {
		t.Errorf("check with a large body: %d %s", code, b)
	}
}

// TestUploadCollectionErrors: a failure of the collection itself is
// mapped by the one error mapping, without internals.
func TestUploadCollectionErrors(t *testing.T) {
	col, _, ts := docServer(t)
	tests := []struct {
		err    error
		status int
	}{
		{corpus.Errorf(corpus.ETIMEOUT, "解析超时"), http.StatusGatewayTimeout},
		{fmt.Errorf("bolt: %w", os.ErrPermission), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		col.mu.Lock()
		col.addErr = tt.err
		col.mu.Unlock()
		code, b := upload(t, ts.URL, part{"file", "a.txt", policyText("小", "甲")})
		if code != tt.status {
			t.Errorf("%v: %d %s", tt.err, code, b)
		}
		if e := apiErr(t, b); strings.Contains(e.Message, "bolt") || !hasHan(e.Message) {
			t.Errorf("%v: message %q", tt.err, e.Message)
		}
	}
}

// TestRemoveDocument: DELETE removes a document (200 with its result);
// an unknown id is a 404 and an invalid one a 400, removing nothing.
func TestRemoveDocument(t *testing.T) {
	col, _, ts := docServer(t)
	del := func(id string) (int, []byte) {
		code, _, b := call(t, http.MethodDelete, ts.URL+"/api/documents/"+id, "Bearer "+docToken, "", nil)
		return code, b
	}
	code, b := del("nope")
	if code != http.StatusNotFound || apiErr(t, b).Code != corpus.ENOTFOUND {
		t.Errorf("unknown id: %d %s", code, b)
	}
	if code, b := del("%2E%2E%2Fetc"); code != http.StatusBadRequest {
		t.Errorf("invalid id: %d %s", code, b)
	}
	if n := len(col.Corpus().Documents()); n != 1 {
		t.Fatalf("%d documents after failed removals", n)
	}
	code, b = del("base")
	got := changeResults(t, code, b)
	if want := []corpus.ChangeResult{{ID: "base", Status: corpus.ChangeRemoved}}; !slices.Equal(got, want) {
		t.Errorf("removal %+v, want %+v", got, want)
	}
	if n := len(col.Corpus().Documents()); n != 0 {
		t.Errorf("%d documents after the removal", n)
	}
	if code, b := del("base"); code != http.StatusNotFound {
		t.Errorf("second removal: %d %s", code, b)
	}
	if dl := col.deadlineSeen(); time.Until(dl) < AdminRequestTimeout-time.Minute {
		t.Errorf("removal deadline %v away, want about %v", time.Until(dl), AdminRequestTimeout)
	}
}

// TestServedDocumentsFollowTheCollection: every page and API sees the
// collection's current snapshot: a document uploaded is searchable,
// readable and counted at once, and gone once removed.
func TestServedDocumentsFollowTheCollection(t *testing.T) {
	_, s, ts := docServer(t)
	const phrase = "独一无二的上传测试语"
	type view struct {
		search, docs, reader, permalink, healthz, metrics, api string
	}
	look := func() view {
		var v view
		_, body := get(t, s, "/api/search?q="+q(phrase))
		v.search = body
		_, v.docs = get(t, s, "/docs")
		res, _ := get(t, s, "/d/fresh")
		v.reader = res.Status
		res, _ = get(t, s, "/c/fresh/1")
		v.permalink = res.Status
		_, v.healthz = get(t, s, "/healthz")
		_, v.metrics = get(t, s, "/metrics")
		_, v.api = get(t, s, "/api/docs")
		return v
	}
	before := look()
	if !strings.Contains(before.search, `"total":0`) || strings.Contains(before.docs, "巫溪县上传测试方案") || !strings.HasPrefix(before.reader, "404") ||
		!strings.Contains(before.healthz, `"documents":1`) || !strings.Contains(before.metrics, "zhengce_documents 1\n") {
		t.Fatalf("before the upload: %+v", before)
	}
	if code, b := upload(t, ts.URL, part{"file", "fresh.txt", policyText("巫溪县上传测试方案", phrase)}); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, b)
	}
	after := look()
	var sr search.Response
	if err := json.Unmarshal([]byte(after.search), &sr); err != nil || sr.Total == 0 || sr.Hits[0].DocID != "fresh" {
		t.Errorf("search after the upload: %.300s", after.search)
	}
	if !strings.Contains(after.docs, "巫溪县上传测试方案") || !strings.HasPrefix(after.reader, "200") || !strings.HasPrefix(after.permalink, "200") ||
		!strings.Contains(after.healthz, `"documents":2`) || !strings.Contains(after.metrics, "zhengce_documents 2\n") || !strings.Contains(after.api, `"id":"fresh"`) {
		t.Errorf("after the upload: %+v", after)
	}
	if _, home := get(t, s, "/"); !strings.Contains(home, "收录 2 份文件") {
		t.Error("the footer does not count the uploaded document")
	}
	if code, _, b := call(t, http.MethodDelete, ts.URL+"/api/documents/fresh", "Bearer "+docToken, "", nil); code != http.StatusOK {
		t.Fatalf("removal: %d %s", code, b)
	}
	gone := look()
	if !strings.Contains(gone.search, `"total":0`) || !strings.HasPrefix(gone.reader, "404") || !strings.Contains(gone.healthz, `"documents":1`) {
		t.Errorf("after the removal: %+v", gone)
	}
}

// TestConcurrentChangesAndReads runs uploads, removals and reads at once
// (for the race detector): every read sees one whole snapshot.
func TestConcurrentChangesAndReads(t *testing.T) {
	_, s, ts := docServer(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("c%d.txt", i)
			for range 3 {
				if code, b := upload(t, ts.URL, part{"file", name, policyText(fmt.Sprintf("巫溪县并发方案%d", i), "并发")}); code != http.StatusOK {
					t.Errorf("upload: %d %s", code, b)
				}
				if code, _, b := call(t, http.MethodDelete, ts.URL+"/api/documents/"+docID(name), "Bearer "+docToken, "", nil); code != http.StatusOK {
					t.Errorf("removal: %d %s", code, b)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 10 {
				for _, p := range []string{"/healthz", "/docs", "/api/docs", "/api/search?q=" + q("并发"), "/d/base"} {
					if res, body := get(t, s, p); res.StatusCode != http.StatusOK {
						t.Errorf("%s: %d %.200s", p, res.StatusCode, body)
					}
				}
			}
		}()
	}
	wg.Wait()
	if _, h := get(t, s, "/healthz"); !strings.Contains(h, `"documents":1`) {
		t.Errorf("after the changes: %s", h)
	}
}

// TestAdminPage: /admin is the token form with the document tools hidden,
// its assets are served, it has no inline code and no public page links
// to it.
func TestAdminPage(t *testing.T) {
	_, s, _ := docServer(t)
	res, body := get(t, s, "/admin")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/admin: %d", res.StatusCode)
	}
	for _, want := range []string{`lang="zh-CN"`, "文档管理", `id="token-form"`, `type="password"`, `id="admin-main" class="admin-main" hidden`,
		`id="file-input" type="file" multiple`, "/static/admin.js?v=", "/static/admin.css?v=", "100 个文件", "100 MB"} {
		if !strings.Contains(body, want) {
			t.Errorf("/admin lacks %q", want)
		}
	}
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+=|\sstyle=|javascript:`)
	if m := inline.FindString(body); m != "" {
		t.Errorf("/admin: inline code %q", m)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("/admin CSP %q", csp)
	}
	for _, asset := range []string{"/static/admin.js", "/static/admin.css"} {
		if res, _ := get(t, s, asset); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", asset, res.StatusCode)
		}
	}
	for _, p := range []string{"/", "/docs", "/help", "/d/base", "/search?q=" + q("基础测试语"), "/nope"} {
		if _, body := get(t, s, p); strings.Contains(body, `"/admin`) {
			t.Errorf("%s links to /admin", p)
		}
	}
}

// TestOpenAPIDocumentsRoutes checks that docs/openapi.yaml documents the
// document API, as TestOpenAPICoversRoutes does for the rest.
func TestOpenAPIDocumentsRoutes(t *testing.T) {
	_, s, _ := docServer(t)
	spec, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound || !strings.HasPrefix(r.Path, "/api/documents") {
			continue
		}
		n++
		p := strings.Replace(r.Path, ":id", "{id}", 1)
		if !bytes.Contains(spec, []byte("\n  "+p+":")) {
			t.Errorf("route %s %s not in docs/openapi.yaml", r.Method, r.Path)
		}
	}
	if n != 3 {
		t.Errorf("%d document routes, want 3", n)
	}
	for _, want := range []string{"forbidden", "multipart/form-data", "ChangeResult", "AdminRequestTimeout"} {
		if !bytes.Contains(spec, []byte(want)) {
			t.Errorf("docs/openapi.yaml lacks %q", want)
		}
	}
}

// deadlineRecorder is a ResponseWriter whose connection deadlines
// http.ResponseController can set.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	read, write time.Time
}

func (d *deadlineRecorder) SetReadDeadline(t time.Time) error  { d.read = t; return nil }
func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error { d.write = t; return nil }

// TestDocumentChangeDeadlines: an authorised upload or removal lifts the
// server's read and write timeouts past AdminRequestTimeout; any other
// request, or one without the right token, keeps them.
func TestDocumentChangeDeadlines(t *testing.T) {
	_, s, _ := docServer(t)
	tests := []struct {
		method, path, auth string
		lifted             bool
	}{
		{http.MethodPost, "/api/documents", "Bearer " + docToken, true},
		{http.MethodDelete, "/api/documents/base", "Bearer " + docToken, true},
		{http.MethodPost, "/api/documents", "Bearer wrong", false},
		{http.MethodPost, "/api/documents", "", false},
		{http.MethodGet, "/api/documents/check", "Bearer " + docToken, false},
		{http.MethodGet, "/api/search?q=x", "Bearer " + docToken, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path+" "+tt.auth, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			w := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
			s.documents.extendDeadlines(w, req, s.log)
			for name, dl := range map[string]time.Time{"read": w.read, "write": w.write} {
				if lifted := time.Until(dl) > AdminRequestTimeout; lifted != tt.lifted {
					t.Errorf("%s deadline %v, lifted %v, want %v", name, dl, lifted, tt.lifted)
				}
			}
		})
	}
}
