package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeWithoutCorpus: an index built from a folder is everything
// serve needs — the folder is gone, serve --index parses nothing, and
// searches, the reader, the document list and the original files all
// answer from the index directory.
func TestServeWithoutCorpus(t *testing.T) {
	src := t.TempDir()
	docx, err := os.ReadFile(filepath.Join("..", "..", "testdata", "formats", "docx", "x02_上海保险分支机构高级管理人员任职资格考试管理办法.docx"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"考试办法.docx":  docx,
		"通知甲.txt":    []byte("# 关于试行自包含索引的通知\n\n一、各区县应当落实自包含索引试点要求。\n\n二、本通知自印发之日起施行。\n"),
		"sub/规定乙.md": []byte("# 某市文件存档规定\n\n第一条 为了规范文件存档，制定本规定。\n\n第二条 存档文件应当保留原件。\n"),
	}
	for name, data := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, errOut, err := runCLI(t, "index", "--corpus", src, "--index", dir); err != nil {
		t.Fatalf("zhengce index: %v\n%s", err, errOut)
	}
	if err := os.RemoveAll(src); err != nil {
		t.Fatal(err)
	}
	base, stderr, stop := startServe(t, "--index", dir)
	for phrase, want := range map[string]string{"凡核必考": "考试办法", "自包含索引试点": "通知甲", "保留原件": "规定乙"} {
		resp, body := httpGet(t, base+"/api/search?q="+url.QueryEscape(`"`+phrase+`"`))
		if resp.StatusCode != 200 {
			t.Fatalf("search %s: %d %s", phrase, resp.StatusCode, body)
		}
		var res struct {
			Total int `json:"total"`
			Hits  []struct {
				DocID string `json:"doc_id"`
				Text  string `json:"text"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 || res.Hits[0].DocID != want || !strings.Contains(res.Hits[0].Text, phrase) {
			t.Errorf("search %q: %d hits, first %+v; want %s", phrase, res.Total, res.Hits, want)
		}
	}
	// the served index answers grouped by document and suggests titles
	// (search.Live is a web.GroupSearcher and a web.TitleSuggester)
	if resp, body := httpGet(t, base+"/api/search?group=doc&q="+url.QueryEscape(`"保留原件"`)); resp.StatusCode != 200 || !strings.Contains(string(body), `"total_documents":1`) {
		t.Errorf("grouped search: %d %s", resp.StatusCode, body)
	}
	if resp, body := httpGet(t, base+"/api/suggest?q="+url.QueryEscape("文件存档")); resp.StatusCode != 200 || !strings.Contains(string(body), "某市文件存档规定") {
		t.Errorf("suggestions: %d %s", resp.StatusCode, body)
	}
	resp, body := httpGet(t, base+"/files/"+url.PathEscape("考试办法"))
	if resp.StatusCode != 200 || !bytes.Equal(body, docx) {
		t.Errorf("original file: status %d, %d bytes, want the %d bytes indexed", resp.StatusCode, len(body), len(docx))
	}
	var list struct {
		Documents []struct {
			ID    string `json:"id"`
			Units int    `json:"units"`
		} `json:"documents"`
	}
	resp, body = httpGet(t, base+"/api/docs")
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("document list: %d %v", resp.StatusCode, err)
	}
	if len(list.Documents) != 3 {
		t.Errorf("document list: %d documents, want 3", len(list.Documents))
	}
	for _, d := range list.Documents {
		if d.Units == 0 {
			t.Errorf("document %s listed with 0 units", d.ID)
		}
	}
	if resp, body := httpGet(t, base+"/d/"+url.PathEscape("规定乙")); resp.StatusCode != 200 || !strings.Contains(string(body), "存档文件应当保留原件") {
		t.Errorf("reader page: %d", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr.String(), "建立索引") {
		t.Errorf("serve rebuilt the index instead of serving it:\n%s", stderr.String())
	}
}

// TestServeUploadAndDelete: the document API of the real server over its
// self-contained index — an upload is searchable when the answer comes,
// survives a restart, and a deletion removes it.
func TestServeUploadAndDelete(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if _, errOut, err := runCLI(t, "index", "--index", dir); err != nil {
		t.Fatalf("zhengce index: %v\n%s", err, errOut)
	}
	env := map[string]string{"ZHENGCE_ADMIN_TOKEN": "secret-token", "ZHENGCE_NO_OCR": "1"}
	base, _, stop := startServeEnv(t, env, "--index", dir)
	const phrase = "上传文件独有短语甲乙丙"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "上传通知.txt")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte("# 关于上传测试的通知\n\n一、" + phrase + "，自印发之日起施行。\n"))
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, base+"/api/documents", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer secret-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Documents []struct {
			ID, Status, Reason string
		} `json:"documents"`
	}
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(res.Documents) != 1 || res.Documents[0].Status != "indexed" {
		t.Fatalf("upload: %d %v %+v", resp.StatusCode, err, res)
	}
	id := res.Documents[0].ID
	total := func(base string) uint64 {
		n, err := searchTotal(base, phrase)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := total(base); n != 1 {
		t.Fatalf("uploaded phrase: %d hits right after the answer, want 1", n)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	base, _, _ = startServeEnv(t, env, "--index", dir)
	if n := total(base); n != 1 {
		t.Fatalf("uploaded phrase after a restart: %d hits, want 1", n)
	}
	req, _ = http.NewRequest(http.MethodDelete, base+"/api/documents/"+url.PathEscape(id), nil)
	req.Header.Set("Authorization", "Bearer secret-token")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if n := total(base); n != 0 {
		t.Errorf("deleted document still found: %d hits", n)
	}
}
