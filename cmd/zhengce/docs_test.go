package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// run runs the program in-process and returns its stdout, stderr and error.
func runMain(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// TestDocs lists the embedded corpus as a table and as JSON.
func TestDocs(t *testing.T) {
	out, _, err := runMain(t, "docs")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "编号") {
		t.Fatalf("want a header and five documents, got:\n%s", out)
	}
	wuxi := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "wuxi-2022 ") {
			wuxi = l
		}
	}
	for _, want := range []string{"巫溪县", "巫溪府发〔2022〕14号", "2022-03-31", "巫溪县教育事业发展“十四五”规划（2021—2025年）"} {
		if !strings.Contains(wuxi, want) {
			t.Errorf("wuxi line lacks %q: %q", want, wuxi)
		}
	}
	// Columns are aligned: the title column starts at the same width.
	col := textWidth(lines[0][:strings.LastIndex(lines[0], "标题")])
	for _, l := range lines[1:] {
		title := l[strings.LastIndex(l, "  ")+2:]
		if w := textWidth(strings.TrimSuffix(l, title)); w != col {
			t.Errorf("misaligned row (%d vs %d): %s", w, col, l)
		}
	}

	out, _, err = runMain(t, "docs", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Documents []struct {
			ID        string         `json:"id"`
			District  string         `json:"district"`
			Title     string         `json:"title"`
			DocNumber string         `json:"doc_number"`
			Year      int            `json:"year"`
			Units     int            `json:"units"`
			UnitTypes map[string]int `json:"unit_types"`
			Tables    int            `json:"tables"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Documents) != len(c.Documents()) {
		t.Fatalf("%d documents, want %d", len(got.Documents), len(c.Documents()))
	}
	for i, d := range c.Documents() {
		g := got.Documents[i]
		sum := 0
		for _, n := range g.UnitTypes {
			sum += n
		}
		if g.ID != d.ID || g.District != d.District || g.Title != d.Title || g.Units != len(d.Units) || sum != g.Units || g.Tables != len(d.Tables) {
			t.Errorf("document %d: %+v", i, g)
		}
	}
}

// TestDocsCorpusDir lists a user folder and reports bad folders clearly.
func TestDocsCorpusDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("# 巫山县教育方案\n\n一、目标\n\n正文。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runMain(t, "docs", "--corpus", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "a ") || !strings.Contains(out, "巫山县") || !strings.Contains(out, "巫山县教育方案") {
		t.Errorf("unexpected listing:\n%s", out)
	}
	_, _, err = runMain(t, "docs", "--corpus", filepath.Join(dir, "missing"))
	if corpus.ErrorCode(err) != corpus.EINVALID {
		t.Errorf("missing folder: %v", err)
	}
	_, _, err = runMain(t, "docs", "extra")
	if corpus.ErrorCode(err) != corpus.EINVALID {
		t.Errorf("extra argument: %v", err)
	}
}

// TestOutline prints a heading tree as text and as JSON.
func TestOutline(t *testing.T) {
	out, _, err := runMain(t, "outline", "wuxi-2022")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"《巫溪县教育事业发展“十四五”规划（2021—2025年）》 巫溪县 wuxi-2022\n",
		"\n第三章 主要任务  [3]\n",
		"\n  第二节 优化各类学校布局  [3.2]\n",
		"\n    1.合理调整幼儿园布局  [3.2.1]\n",
		"\n      表3 巫溪县幼儿园调整目标  [t3]\n",
		"\n      专栏4 巫溪县“十四五”规划重大项目详表  [box4]\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("outline lacks %q", want)
		}
	}

	if out, _, err := runMain(t, "outline", "yongchuan-2022"); err != nil || !strings.Contains(out, "\n  专栏2  [box2]\n") {
		t.Errorf("a box without title: %v\n%s", err, out)
	}

	// Flags may follow the document id.
	out, _, err = runMain(t, "outline", "qianjiang-2023", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		DocID    string `json:"doc_id"`
		Title    string `json:"title"`
		District string `json:"district"`
		Sections []struct {
			ID       string `json:"id"`
			Label    string `json:"label"`
			Title    string `json:"title"`
			Level    int    `json:"level"`
			Children []struct {
				ID       string            `json:"id"`
				Label    string            `json:"label"`
				Title    string            `json:"title"`
				Level    int               `json:"level"`
				Children []json.RawMessage `json:"children"`
			} `json:"children"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.DocID != "qianjiang-2023" || got.Title != "深入推进黔江教育高质量发展工作方案" || got.District != "黔江区" {
		t.Errorf("header: %+v", got)
	}
	if len(got.Sections) != 6 {
		t.Fatalf("%d top-level sections, want 3 body parts and 3 annex parts", len(got.Sections))
	}
	s := got.Sections[1]
	if s.ID != "qianjiang-2023/2" || s.Label != "二、" || s.Title != "工作举措" || s.Level != 1 || len(s.Children) != 5 {
		t.Errorf("section 2: %+v", s)
	}
	if ch := s.Children[0]; ch.ID != "qianjiang-2023/2.1" || ch.Label != "（一）" || ch.Level != 2 || len(ch.Children) != 4 {
		t.Errorf("section 2.1: %+v", ch)
	}
	if !strings.Contains(out, `"children": []`) {
		t.Errorf("leaves must have an empty children list")
	}
}

// TestOutlineErrors checks the errors of `zhengce outline`.
func TestOutlineErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code string
	}{
		{[]string{"outline"}, corpus.EINVALID},
		{[]string{"outline", "a", "b"}, corpus.EINVALID},
		{[]string{"outline", "no-such-doc"}, corpus.ENOTFOUND},
		{[]string{"outline", "--bogus", "wuxi-2022"}, corpus.EINVALID},
	} {
		_, _, err := runMain(t, tc.args...)
		if corpus.ErrorCode(err) != tc.code {
			t.Errorf("%v: error %v, want %s", tc.args, err, tc.code)
		}
	}
}
