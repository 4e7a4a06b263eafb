package parse

import (
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestArticles checks the legal structure: articles numbered through the
// whole law up to 第一千二百六十条 get the path art{N} and the citation
// 《title》第N条 whatever chapter holds them; the paragraphs after an
// article's first are its 第二款, 第三款; its items are 第（一）项.
func TestArticles(t *testing.T) {
	text := "# 中华人民共和国民法典\n\n## 第一章 基本规定\n\n第一条 为了保护民事主体的合法权益，制定本法。\n\n" +
		"## 第二章 人格权\n\n第一千零三十二条 自然人享有隐私权。\n\n隐私是自然人的私人生活安宁。\n\n" +
		"第1260条 本法自2021年1月1日起施行。\n\n（一）第一项内容；\n"
	d, err := parseStructure(corpus.Meta{ID: "mfd", Title: "中华人民共和国民法典"}, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range d.Units {
		got[u.Path] = u.Citation
	}
	want := map[string]string{
		"art1":       "《中华人民共和国民法典》第一条",
		"art1032":    "《中华人民共和国民法典》第一千零三十二条",
		"art1032.p1": "《中华人民共和国民法典》第一千零三十二条第二款",
		"art1260":    "《中华人民共和国民法典》第1260条",
		"art1260.1":  "《中华人民共和国民法典》第1260条第（一）项",
	}
	for path, cite := range want {
		if got[path] != cite {
			t.Errorf("%s: citation %q, want %q (units: %v)", path, got[path], cite, strings.Join(keys(got), " "))
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
