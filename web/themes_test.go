package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
)

var (
	themesOnce sync.Once
	themesVal  *fixture
	themesErr  error
)

// themesFixture is a server over the seeds (education plans) and two
// real laws of testdata/search/laws: 东营市养犬管理条例 (law00421) and
// 中华人民共和国数据安全法 (law02691), so that the theme tree has several
// top-level themes.
func themesFixture(t testing.TB) *fixture {
	t.Helper()
	themesOnce.Do(func() {
		seeds, err := parse.Seeds()
		if err != nil {
			themesErr = err
			return
		}
		p, err := parse.Default()
		if err != nil {
			themesErr = err
			return
		}
		docs := slices.Clone(seeds.Documents())
		for _, id := range []string{"law00421", "law02691"} {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "search", "laws", id+".md"))
			if err != nil {
				themesErr = err
				return
			}
			d, err := p.Parse(corpus.Meta{ID: id, Source: id + ".md"}, data)
			if err != nil {
				themesErr = err
				return
			}
			docs = append(docs, d)
		}
		c, err := corpus.New(docs)
		if err != nil {
			themesErr = err
			return
		}
		svc, err := buildService("themes", c)
		if err != nil {
			themesErr = err
			return
		}
		s, err := New(Config{Corpus: c, Searcher: svc})
		if err != nil {
			themesErr = err
			return
		}
		themesVal = &fixture{corpus: c, server: s}
	})
	if themesErr != nil {
		t.Fatalf("themes fixture: %v", themesErr)
	}
	return themesVal
}

// TestThemeFacetTree: over HTTP, the API's theme facet is a tree (教育 with
// its second level, 公安、安全、司法 for the dog regulation, 科技 for the
// data security law), a filter at the top level includes its second
// level, and the search page renders the tree as nested checkboxes
// named theme whose values are paths.
func TestThemeFacetTree(t *testing.T) {
	f := themesFixture(t)
	facets := func(target string) (uint64, []search.FacetValue) {
		t.Helper()
		res, body := get(t, f.server, target)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d: %s", target, res.StatusCode, body)
		}
		var r struct {
			Total  uint64 `json:"total"`
			Facets struct {
				Theme []search.FacetValue `json:"theme"`
			} `json:"facets"`
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		return r.Total, r.Facets.Theme
	}
	find := func(vals []search.FacetValue, name string) *search.FacetValue {
		for i := range vals {
			if vals[i].Value == name {
				return &vals[i]
			}
		}
		return nil
	}

	total, tree := facets("/api/search?q=" + q("管理"))
	edu, dog, data := find(tree, "教育"), find(tree, "公安、安全、司法"), find(tree, "科技")
	if edu == nil || dog == nil || data == nil {
		t.Fatalf("theme roots %+v lack 教育, 公安、安全、司法 or 科技", tree)
	}
	if len(edu.Children) == 0 || !slices.Equal(edu.Children[0].Path, []string{"教育", edu.Children[0].Value}) {
		t.Errorf("教育 children %+v: want second-level themes with their paths", edu.Children)
	}
	if len(dog.Children) != 0 || len(data.Children) != 0 {
		t.Errorf("second level outside 教育: %+v %+v", dog.Children, data.Children)
	}
	if edu.Count+dog.Count+data.Count > int(total) {
		t.Errorf("roots count %d+%d+%d over the total %d", edu.Count, dog.Count, data.Count, total)
	}

	// a top-level filter includes its second level; a second-level one
	// filters by name or path alike
	if n, _ := facets("/api/search?q=" + q("管理") + "&theme=" + q("教育")); n != uint64(edu.Count) {
		t.Errorf("theme=教育: total %d, facet %d", n, edu.Count)
	}
	child := edu.Children[0]
	for _, v := range []string{child.Value, "教育/" + child.Value} {
		n, sub := facets("/api/search?q=" + q("管理") + "&theme=" + q(v))
		if n != uint64(child.Count) {
			t.Errorf("theme=%s: total %d, facet %d", v, n, child.Count)
		}
		if len(sub) != 1 || sub[0].Value != "教育" {
			t.Errorf("theme=%s: roots %+v, want 教育 only", v, sub)
		}
	}
	if n, _ := facets("/api/search?q=" + q("养犬 theme:资助与关爱")); n != 0 {
		t.Errorf("养犬 theme:资助与关爱: %d hits, want none", n)
	}
	_, dogTree := facets("/api/search?q=" + q("养犬"))
	if d := find(dogTree, "公安、安全、司法"); d == nil || find(dogTree, "教育") != nil {
		t.Errorf("养犬: theme roots %+v, want 公安、安全、司法 and no 教育", dogTree)
	} else if n, _ := facets("/api/search?q=" + q("养犬 主题:公安")); n != uint64(d.Count) {
		t.Errorf("养犬 主题:公安: %d hits, facet 公安、安全、司法 %d", n, d.Count)
	}

	// the page: a tree of checkboxes named theme, the chosen one checked
	// inside an open branch
	res, body := get(t, f.server, "/search?q="+q("管理")+"&theme="+q("教育/"+child.Value))
	if res.StatusCode != 200 {
		t.Fatalf("search page: %d", res.StatusCode)
	}
	for _, want := range []string{
		`<ul class="facet-tree" role="list">`,
		`name="theme" value="教育"`,
		`<summary>下级主题（`,
		`id="` + facetID("theme", "教育/"+child.Value) + `" name="theme" value="教育/` + child.Value + `" checked`,
		`主题：教育 › ` + child.Value,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	if !strings.Contains(body, `<details class="tree-children" open>`) {
		t.Error("the branch of the chosen theme is not open")
	}
}

func TestThemeTags(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"教育", "教育/学前教育", "教育/教师队伍"}, []string{"学前教育", "教师队伍"}},
		{[]string{"教育"}, []string{"教育"}},
		{[]string{"公安、安全、司法"}, []string{"公安、安全、司法"}},
		{[]string{"市场监管、安全生产监管", "教育", "教育/安全与健康"}, []string{"市场监管、安全生产监管", "安全与健康"}},
		{nil, nil},
	} {
		if got := themeTags(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("themeTags(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
