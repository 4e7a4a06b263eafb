package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/search"
)

// TestAPISearchGrouped: group=doc answers search.GroupedResponse (each
// document once, its best units), the ungrouped answer is unchanged, and
// a bad group is a 400 in Chinese.
func TestAPISearchGrouped(t *testing.T) {
	f := seedFixture(t)
	res, body := get(t, f.server, "/api/search?group=doc&q="+q("学前教育 普惠")+"&limit=3")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var g search.GroupedResponse
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		t.Fatal(err)
	}
	m := decodeObject(t, body)
	for _, k := range []string{"query", "total", "total_documents", "took_ms", "documents", "facets", "terms"} {
		if _, ok := m[k]; !ok {
			t.Errorf("grouped answer lacks %q", k)
		}
	}
	if _, ok := m["hits"]; ok {
		t.Error("grouped answer has hits at the top level")
	}
	if len(g.Documents) != 3 || g.TotalDocuments < 3 {
		t.Fatalf("%d documents of %d", len(g.Documents), g.TotalDocuments)
	}
	seen := map[string]bool{}
	for _, d := range g.Documents {
		if seen[d.DocID] || len(d.Hits) == 0 || len(d.Hits) > search.GroupHits || d.Total < uint64(len(d.Hits)) {
			t.Errorf("document %s: %d hits of %d (seen %v)", d.DocID, len(d.Hits), d.Total, seen[d.DocID])
		}
		seen[d.DocID] = true
	}
	_, flat := get(t, f.server, "/api/search?q="+q("学前教育 普惠")+"&limit=3")
	if strings.Contains(flat, `"documents"`) || !strings.Contains(flat, `"hits":[`) {
		t.Errorf("ungrouped answer changed: %.200s", flat)
	}
	res, body = get(t, f.server, "/api/search?group=unit&q="+q("教育"))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "group") {
		t.Errorf("group=unit: %d %s", res.StatusCode, body)
	}
}

// TestAPISuggest: titles beginning with or containing q, at most 10; an
// empty or missing q gives none; an over-long q is refused.
func TestAPISuggest(t *testing.T) {
	f := seedFixture(t)
	res, body := get(t, f.server, "/api/suggest?q="+q("两江"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	var out struct {
		Query       string              `json:"query"`
		Suggestions []search.Suggestion `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Query != "两江" || len(out.Suggestions) == 0 || !strings.Contains(out.Suggestions[0].Title, "两江") || !strings.HasPrefix(out.Suggestions[0].URL, "/d/") {
		t.Errorf("两江: %s", body)
	}
	for _, target := range []string{"/api/suggest", "/api/suggest?q=", "/api/suggest?q=" + q("不存在的文件名称")} {
		if res, body := get(t, f.server, target); res.StatusCode != http.StatusOK || !strings.Contains(body, `"suggestions":[]`) {
			t.Errorf("%s: %d %s", target, res.StatusCode, body)
		}
	}
	if res, _ := get(t, f.server, "/api/suggest?q="+q(strings.Repeat("教", 101))); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over-long q: %d", res.StatusCode)
	}
}

// TestSearchPageViews: the search page groups by document by default
// (each document once, "本文件另有 N 处匹配" into the reader with the
// query), view=clause lists units, and the switch links both ways,
// keeping the view through facets and pages.
func TestSearchPageViews(t *testing.T) {
	f := seedFixture(t)
	_, body := get(t, f.server, "/search?q="+q("学前教育"))
	for _, want := range []string{`<ol class="groups">`, `class="group-title"`, `本文件另有 `, `href="/d/`, `?q=` + q("学前教育"),
		`<span aria-current="page">按文件</span>`, `href="/search?q=` + q("学前教育") + `&amp;view=clause"`} {
		if !strings.Contains(body, want) {
			t.Errorf("document view lacks %q", want)
		}
	}
	if strings.Count(body, `<li class="group">`) > PageSize {
		t.Errorf("more than %d documents on a page", PageSize)
	}
	_, body = get(t, f.server, "/search?q="+q("学前教育")+"&view=clause")
	for _, want := range []string{`<ol class="hits">`, `<span aria-current="page">按条款</span>`, `name="view" value="clause"`, `&amp;view=clause" rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("clause view lacks %q", want)
		}
	}
	if strings.Contains(body, `<ol class="groups">`) {
		t.Error("clause view shows groups")
	}
	if res, body := get(t, f.server, "/search?q="+q("教育")+"&view=table"); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "view") {
		t.Errorf("view=table: %d", res.StatusCode)
	}
}
