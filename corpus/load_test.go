package corpus_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestLoadDir loads a user folder without manifest: a markdown file and a
// GBK text file, with metadata inferred from the text.
func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	md := "# 重庆市大足区教育事业发展“十四五”规划\n\n二〇二一年九月\n\n## 一、总体要求\n\n坚持立德树人。\n\n## 二、主要任务\n\n**1.推进集团化办学。**扩大优质资源。\n"
	if err := os.WriteFile(filepath.Join(dir, "dazu.md"), []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	txt := "重庆市綦江区人民政府\n\n关于印发綦江区教育工作方案的通知\n\n綦江府发〔2023〕5号\n\n一、工作目标\n\n到2025年，学前三年毛入园率达到95%。\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(txt))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "qijiang.txt"), gbk, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := parse.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs := c.Documents()
	if len(docs) != 2 || docs[0].ID != "dazu" || docs[1].ID != "qijiang" {
		t.Fatalf("documents: %v", docIDs(docs))
	}
	dz, qj := docs[0], docs[1]
	if dz.Title != "重庆市大足区教育事业发展“十四五”规划" || dz.District != "大足区" || dz.IssueDate != "2021-09" || dz.Year != 2021 || dz.Source != "dazu.md" {
		t.Errorf("dazu meta: %+v", dz.Meta)
	}
	if qj.Title != "綦江区教育工作方案" || qj.District != "綦江区" || qj.DocNumber != "綦江府发〔2023〕5号" || qj.Issuer != "重庆市綦江区人民政府" || qj.Year != 2023 {
		t.Errorf("qijiang meta: %+v", qj.Meta)
	}
	if u, err := c.Unit("dazu/2.1"); err != nil || u.Type != corpus.TypeTask || u.Title != "推进集团化办学" {
		t.Errorf("dazu/2.1: %+v %v", u, err)
	}
	if u, err := c.Unit("qijiang/1.p1"); err != nil || !strings.Contains(u.Text, "95%") {
		t.Errorf("qijiang/1.p1: %+v %v", u, err)
	}
}

// TestLoadManifest checks that manifest entries are matched by source file
// or id and override the inferred metadata field by field.
func TestLoadManifest(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":         {Data: []byte("巫溪县人民政府\n\n一、目标\n\n正文。\n")},
		"b.txt":         {Data: []byte("一、目标\n\n正文。\n")},
		"manifest.json": {Data: []byte(`{"documents":[{"id":"a","district":"某某县","source":"a.txt"},{"id":"b","title":"乙方案"}]}`)},
	}
	c, err := parse.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Document("a")
	b, _ := c.Document("b")
	if a.District != "某某县" || a.Issuer != "巫溪县人民政府" {
		t.Errorf("a: %+v", a.Meta)
	}
	if b.Title != "乙方案" || b.Source != "b.txt" {
		t.Errorf("b: %+v", b.Meta)
	}
}

// TestLoadErrors checks that bad folders and files give clear errors that
// name the culprit.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		fsys fstest.MapFS
		code string
		msg  string
	}{
		{"no documents", fstest.MapFS{"x.json": {Data: []byte("{}")}}, corpus.EINVALID, "没有"},
		{"bad manifest", fstest.MapFS{"a.txt": {Data: []byte("正文。")}, "manifest.json": {Data: []byte("{")}}, corpus.EINVALID, "manifest"},
		{"only bad files", fstest.MapFS{"bin.md": {Data: []byte("\x00\x01\x02")}}, corpus.EINVALID, "bin.md"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse.Load(tc.fsys)
			if corpus.ErrorCode(err) != tc.code || !strings.Contains(corpus.ErrorMessage(err), tc.msg) {
				t.Errorf("error %v (%s, %q), want %s mentioning %q", err, corpus.ErrorCode(err), corpus.ErrorMessage(err), tc.code, tc.msg)
			}
		})
	}
	if _, err := parse.LoadDir(filepath.Join(t.TempDir(), "missing")); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Errorf("missing dir: %v", err)
	}
}

// TestLoadRejects checks that bad files are listed with their reasons, all
// at once, while the good ones are indexed, and that duplicate ids get
// distinct deterministic ids with a warning.
func TestLoadRejects(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":            {Data: []byte("一、目标\n\n正文甲。\n")},
		"a.md":             {Data: []byte("一、目标\n\n正文乙。\n")},
		"sub/a.txt":        {Data: []byte("一、目标\n\n正文丙。\n")},
		"empty.txt":        {Data: nil},
		"bin.md":           {Data: []byte("\x00\x01\x02")},
		"bad-utf8.txt":     {Data: []byte("正文\xff\xfe\xfd正文正文正文正文正文正文正文正文正文正文正文正文")},
		"photo.jpg":        {Data: []byte("\xff\xd8\xff\xe0")},
		"scan.pdf":         {Data: []byte("%PDF-1.4 garbage")},
		".hidden/x.txt":    {Data: []byte("隐藏目录。")},
		"~$lock.docx":      {Data: []byte("lock")},
		"with space 😀.txt": {Data: []byte("一、目标\n\n正文丁。\n")},
	}
	c, err := parse.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range c.Documents() {
		got[d.Source] = d.ID
	}
	want := map[string]string{"a.txt": "a_txt", "a.md": "a_md", "sub/a.txt": "sub_a_txt", "with space 😀.txt": "with_space_😀"}
	if len(got) != len(want) {
		t.Errorf("documents %v, want %v", got, want)
	}
	for src, id := range want {
		if got[src] != id {
			t.Errorf("%s: id %q, want %q", src, got[src], id)
		}
	}
	reasons := map[string]string{}
	for _, r := range c.Rejected() {
		reasons[r.Source] = r.Reason
	}
	for src, frag := range map[string]string{"empty.txt": "空", "bin.md": "二进制", "bad-utf8.txt": "UTF-8", "photo.jpg": "不支持", "scan.pdf": "PDF"} {
		if !strings.Contains(reasons[src], frag) {
			t.Errorf("%s: reason %q, want it to mention %q", src, reasons[src], frag)
		}
	}
	if len(reasons) != 5 {
		t.Errorf("rejected %v, want 5 files", reasons)
	}
	if len(c.Warnings()) != 3 {
		t.Errorf("warnings %v, want one per renamed duplicate", c.Warnings())
	}
}

func docIDs(docs []*corpus.Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}
