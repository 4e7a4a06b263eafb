package web

import (
	"encoding/json"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// hostileDoc is a document whose text and metadata contain markup and
// HTML entities; everything must be shown literally.
const hostileDoc = "第一章　总则\n\n" +
	"一、基本原则\n\n" +
	"推进集团化办学<script>alert(1)</script>，家校&amp;社区协同，\"引号\"与'单引号'，a<b>c</b>&lt;d&gt;。\n\n" +
	"二、目标\n\n" +
	"到2025年，集团化办学覆盖率达到80%<img src=x onerror=alert(2)>。\n"

const hostileManifest = `{"documents":[{"id":"evil-2024","district":"测试县<i>","title":"<b>标题</b>&amp;规划","issuer":"<script>x</script>","source":"evil-2024.txt"}]}`

func hostileServer(t *testing.T) (*Server, *corpus.Corpus) {
	t.Helper()
	c, err := parse.Load(fstest.MapFS{
		"evil-2024.txt": {Data: []byte(hostileDoc)},
		"manifest.json": {Data: []byte(hostileManifest)},
	})
	if err != nil {
		t.Fatal(err)
	}
	searcher, err := hostileSearcher(t, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Corpus: c, Searcher: searcher})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestEscaping(t *testing.T) {
	s, c := hostileServer(t)
	var scriptUnit *corpus.Unit
	for _, u := range c.Documents()[0].Units {
		if strings.Contains(u.Text, "<script>") {
			scriptUnit = u
		}
	}
	if scriptUnit == nil {
		t.Fatal("parser lost the <script> text")
	}
	pages := []string{
		"/d/evil-2024",
		"/d/evil-2024?q=" + q("集团化办学"),
		"/d/evil-2024?q=" + q(`"<script>"`),
		"/c/evil-2024/" + scriptUnit.Path + "?q=" + q("alert"),
		"/search?q=" + q("集团化办学"),
		"/search?q=" + q("<script>"),
		"/compare?q=" + q("集团化办学"),
		"/docs",
		"/",
		"/search?q=" + q("<script>alert(3)</script>"),
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			res, body := get(t, s, p)
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, bad := range []string{"<script>alert", "<img src=x", "<b>标题", "<script>x", "<i>", "<b>c</b>", "<script>alert(3)"} {
				if strings.Contains(body, bad) {
					t.Errorf("unescaped %q in page", bad)
				}
			}
			if strings.HasPrefix(p, "/d/") || strings.HasPrefix(p, "/c/") {
				for _, want := range []string{"&lt;script&gt;", "&lt;/script&gt;", "&amp;amp;", "&amp;lt;d&amp;gt;", "&lt;b&gt;标题&lt;/b&gt;&amp;amp;规划"} {
					if !strings.Contains(body, want) {
						t.Errorf("page lacks escaped %q", want)
					}
				}
			}
		})
	}
	// Citations on the copy buttons carry the title escaped in an attribute.
	_, body := get(t, s, "/c/evil-2024/"+scriptUnit.Path)
	if !strings.Contains(body, `data-citation="《&lt;b&gt;标题&lt;/b&gt;&amp;amp;规划》`) {
		t.Errorf("citation attribute not escaped as expected")
	}
	// JSON carries the exact text; encoding/json escapes < and > too.
	for _, p := range []string{"/api/search?q=" + q("集团化办学"), "/api/docs/evil-2024", "/api/units/evil-2024/" + scriptUnit.Path, "/api/compare?q=" + q("集团化办学")} {
		_, body := get(t, s, p)
		if strings.Contains(body, "<script>") || strings.Contains(body, "<b>") {
			t.Errorf("%s: raw markup in JSON", p)
		}
	}
	_, body = get(t, s, "/api/units/evil-2024/"+scriptUnit.Path)
	var u unitDetail
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if u.Text != scriptUnit.Text || u.DocTitle != "<b>标题</b>&amp;规划" {
		t.Errorf("JSON round trip changed the text: %q %q", u.Text, u.DocTitle)
	}
}

func TestMarkedHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a<mark>b</mark>c", "a<mark>b</mark>c"},
		{"&lt;script&gt;<mark>x</mark>", "&lt;script&gt;<mark>x</mark>"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<mark onclick=x>y</mark>", "&lt;mark onclick=x&gt;y"},
		{"<mark>unclosed", "<mark>unclosed</mark>"},
		{"stray</mark> end", "stray end"},
		{"<mark><mark>a</mark>", "<mark>a</mark>"},
		{"a > b", "a &gt; b"},
	}
	for _, tt := range tests {
		if got := markedHTML(tt.in); got != template.HTML(tt.want) {
			t.Errorf("markedHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name, text, q, want string
	}{
		{"word", "推进集团化办学改革", "集团化办学", "推进<mark>集团化办学</mark>改革"},
		{"phrase across line break", "推进集团化\n办学改革", `"集团化办学"`, "推进<mark>集团化\n办学</mark>改革"},
		{"full width digits", "覆盖率达到８０％以上", `"80%"`, "覆盖率达到<mark>８０％</mark>以上"},
		{"escapes text", "<b>集团</b>&amp;", "集团", "&lt;b&gt;<mark>集团</mark>&lt;/b&gt;&amp;amp;"},
		{"markup in query", "a<b>c", `"<b>"`, "a<mark>&lt;b&gt;</mark>c"},
		{"overlapping terms merge", "学前教育毛入园率", "前教育 教育毛", "学<mark>前教育毛</mark>入园率"},
		{"exclusion and filters ignored", "教师与幼儿园", "教师 -幼儿园 district:巫溪县", "<mark>教师</mark>与幼儿园"},
		{"query that does not parse marks nothing", "教师与幼儿园", "教师 OR", "教师与幼儿园"},
		{"no match", "学校", "医院", "学校"},
		{"traditional query", "学校发展", "學校", "<mark>学校</mark>发展"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := highlight(tt.text, queryTerms(tt.q))
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHeaderRows(t *testing.T) {
	got := headerRows([]string{"指标", "2020年·基数", "2025年·目标值", "2025年·属性", "备注"})
	want := [][]headCell{
		{{"指标", 1, 2}, {"2020年", 1, 1}, {"2025年", 2, 1}, {"备注", 1, 2}},
		{{"基数", 1, 1}, {"目标值", 1, 1}, {"属性", 1, 1}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(got), len(want), got)
	}
	for r := range want {
		if len(got[r]) != len(want[r]) {
			t.Fatalf("row %d: got %v, want %v", r, got[r], want[r])
		}
		for i := range want[r] {
			if got[r][i] != want[r][i] {
				t.Errorf("row %d cell %d: got %+v, want %+v", r, i, got[r][i], want[r][i])
			}
		}
	}
	// Identical leaf labels are not merged: every column keeps a cell.
	flat := headerRows([]string{"值", "值"})
	if len(flat) != 1 || len(flat[0]) != 2 {
		t.Errorf("duplicate labels merged: %v", flat)
	}
}
