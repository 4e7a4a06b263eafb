package search

import (
	"context"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus/parse"
)

// TestJumps checks that queries naming an article in every usual form
// resolve to that article, paragraph or item, for the current version of
// the law, and that other queries do not.
func TestJumps(t *testing.T) {
	law := func(title, date string, extra string) string {
		return "# " + title + "\n\n" + date + " 全国人民代表大会常务委员会第二十九次会议通过\n\n<!-- INFO END -->\n\n" +
			"## 第一章 总则\n\n第一条 为了规范数据处理活动，制定本法。\n\n## 第四章 数据安全保护义务\n\n" +
			"第二十一条 国家建立数据分类分级保护制度。\n\n关系国家安全的数据属于国家核心数据。\n\n" +
			"第二十二条 国家建立集中统一的数据安全风险评估机制：\n\n（一）风险评估；\n\n（二）信息共享。\n" + extra
	}
	c, err := parse.Load(fstest.MapFS{
		"dsl-2020.md": {Data: []byte(law("中华人民共和国数据安全法", "2020年6月10日", ""))},
		"dsl-2021.md": {Data: []byte(law("中华人民共和国数据安全法", "2021年6月10日", "\n第一千零三十二条 自然人享有隐私权。\n"))},
		"other.md":    {Data: []byte("# 上海市信访条例\n\n第一条 为了保障信访人的合法权益，制定本条例。\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	j := newJumps(c)
	for _, tc := range []struct{ q, doc, want, article string }{
		{"《数据安全法》第二十一条", "", "dsl-2021/art21", "第二十一条"},
		{"数据安全法 第21条", "", "dsl-2021/art21", "第21条"},
		{"《中华人民共和国数据安全法》第二十一条", "", "dsl-2021/art21", "第二十一条"},
		{"数据安全法第二十一条第二款", "", "dsl-2021/art21.p1", "第二十一条第二款"},
		{"数据安全法 第二十二条第（二）项", "", "dsl-2021/art22.2", "第二十二条第（二）项"},
		{"数据安全法 第1032条", "", "dsl-2021/art1032", "第1032条"},
		{"数据安全法第一千零三十二条", "", "dsl-2021/art1032", "第一千零三十二条"},
		{"第21条", "dsl-2020", "dsl-2020/art21", "第21条"},
		{"上海市信访条例 第一条", "", "other/art1", "第一条"},
		{"数据安全法 第99条", "", "", ""},
		{"违反本法第二十一条", "", "", ""},
		{"第21条", "", "", ""},
		{"数据安全", "", "", ""},
	} {
		got := j.resolve(tc.q, tc.doc)
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("%q: jump to %s, want none", tc.q, got.UnitID)
		case tc.want != "" && got == nil:
			t.Errorf("%q: no jump, want %s", tc.q, tc.want)
		case got != nil && (got.UnitID != tc.want || got.Article != tc.article):
			t.Errorf("%q: %s %s, want %s %s", tc.q, got.UnitID, got.Article, tc.want, tc.article)
		}
	}
}

func TestArticleNumber(t *testing.T) {
	for s, want := range map[string]int{"一": 1, "十": 10, "十二": 12, "二十一": 21, "一百零五": 105, "一千零三十二": 1032, "一千二百六十": 1260, "1260": 1260, "": 0, "x": 0} {
		if got := articleNumber(s); got != want {
			t.Errorf("articleNumber(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestSearchJump checks over the service that a query naming an article
// puts that article first, with the jump card in the response, on the
// first page only, and that the same unit is not repeated further down.
func TestSearchJump(t *testing.T) {
	f := seeds(t)
	c, err := parse.Load(fstest.MapFS{
		"dsl.md": {Data: []byte("# 中华人民共和国数据安全法\n\n<!-- INFO END -->\n\n第一条 为了规范数据处理活动，制定本法。\n\n第二十一条 国家建立数据分类分级保护制度，对数据实行分类分级保护。\n\n第二十二条 国家建立数据安全风险评估机制，数据分类分级保护。\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := Ensure(context.Background(), filepath.Join(t.TempDir(), "idx"), c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	for _, q := range []string{"《数据安全法》第二十一条", "数据安全法 第21条"} {
		resp := search(t, svc, Request{Query: q, Limit: 10})
		if resp.Jump == nil || resp.Jump.UnitID != "dsl/art21" || len(resp.Hits) == 0 || resp.Hits[0].ID != "dsl/art21" {
			t.Fatalf("%s: jump %+v, hits %v", q, resp.Jump, hitIDs(resp))
		}
		seen := 0
		for _, h := range resp.Hits {
			if h.ID == "dsl/art21" {
				seen++
			}
		}
		if seen != 1 {
			t.Errorf("%s: the article is listed %d times", q, seen)
		}
	}
	if resp := search(t, svc, Request{Query: "第21条", InDoc: "dsl", Limit: 10}); resp.Jump == nil || resp.Hits[0].ID != "dsl/art21" {
		t.Errorf("第21条 in dsl: %+v", resp.Jump)
	}
	if resp := search(t, svc, Request{Query: "数据安全法 第21条", Limit: 10, Offset: 1}); resp.Jump == nil {
		t.Error("page 2 lost the jump card")
	}
	if resp := search(t, svc, Request{Query: "数据分类分级保护", Limit: 10}); resp.Jump != nil {
		t.Errorf("jump without an article: %+v", resp.Jump)
	}
	// A query that is the short title names the document: its title first.
	for _, q := range []string{"数据安全法", "《中华人民共和国数据安全法》"} {
		if resp := search(t, svc, Request{Query: q, Limit: 10}); len(resp.Hits) == 0 || resp.Hits[0].ID != "dsl/title" || resp.Jump != nil {
			t.Errorf("%s: hits %v, jump %+v", q, hitIDs(resp), resp.Jump)
		}
	}
}
