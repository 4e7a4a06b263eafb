package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
)

var (
	metaOnce sync.Once
	metaVal  *fixture
	metaErr  error
)

// oldID is the id of the older version metaFixture adds.
const oldID = "wuxi-2019"

// metaFixture is a server over the seeds with document metadata set by
// the test (whatever the parser finds): 巫溪县 moved to 山东省 › 东营市 as
// a 地方性法规 条例 with stated dates, and an older version of it
// (wuxi-2019), so that the region tree has two provinces and versions
// exist.
func metaFixture(t testing.TB) *fixture {
	t.Helper()
	metaOnce.Do(func() {
		seeds, err := parse.Seeds()
		if err != nil {
			metaErr = err
			return
		}
		docs := slices.Clone(seeds.Documents())
		for _, d := range docs {
			if d.ID != "wuxi-2022" {
				continue
			}
			d.Jurisdiction = &corpus.Jurisdiction{Code: "370500", Name: "东营市", Level: "city", Path: []string{"山东省", "东营市"}}
			d.DocType, d.Level = "条例", "地方性法规"
			d.Dates = []corpus.DateEvent{{Date: "2011-11-17", Event: "通过"}, {Date: "2022-03-31", Event: "修正"}}
			d.IssueDate, d.Year = "2022-03-31", 2022
			docs = append(docs, cloneDoc(d, oldID, "2011-11-17"))
		}
		c, err := corpus.New(docs)
		if err != nil {
			metaErr = err
			return
		}
		svc, err := buildService("meta", c)
		if err != nil {
			metaErr = err
			return
		}
		s, err := New(Config{Corpus: c, Searcher: svc})
		if err != nil {
			metaErr = err
			return
		}
		metaVal = &fixture{corpus: c, server: s}
	})
	if metaErr != nil {
		t.Fatalf("meta fixture: %v", metaErr)
	}
	return metaVal
}

// cloneDoc returns a copy of d under another id and issue date: its units
// and outline renamed, without tables and targets.
func cloneDoc(d *corpus.Document, id, date string) *corpus.Document {
	n := &corpus.Document{Meta: d.Meta}
	n.ID, n.IssueDate, n.Year, n.Dates = id, date, 2011, []corpus.DateEvent{{Date: date, Event: "通过"}}
	rename := func(s string) string { return id + strings.TrimPrefix(s, d.ID) }
	for _, u := range d.Units {
		if u.Type == corpus.TypeTableRow {
			continue
		}
		c := *u
		c.ID, c.DocID = rename(u.ID), id
		n.Units = append(n.Units, &c)
	}
	var outline func([]*corpus.Section) []*corpus.Section
	outline = func(ss []*corpus.Section) []*corpus.Section {
		var out []*corpus.Section
		for _, s := range ss {
			c := *s
			c.ID, c.Children = rename(s.ID), outline(s.Children)
			out = append(out, &c)
		}
		return out
	}
	n.Outline = outline(d.Outline)
	return n
}

// fetch fetches target from a real HTTP server.
func fetch(t *testing.T, base, target string) (int, string) {
	t.Helper()
	res, err := http.Get(base + target)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// TestAPIDocumentFacets: /api/search over real HTTP takes the document
// filters, answers what the service answers, and every hit carries its
// document's jurisdiction; the region facet is a tree.
func TestAPIDocumentFacets(t *testing.T) {
	f := metaFixture(t)
	srv := httptest.NewServer(f.server)
	defer srv.Close()
	for _, tc := range []struct {
		name, params string
		req          search.Request
	}{
		{"province", "q=" + q("教育") + "&region=" + q("山东省"), search.Request{Query: "教育", Regions: []string{"山东省"}}},
		{"path and level", "q=" + q("教师") + "&region=" + q("山东省/东营市") + "&level=" + q("地方性法规"), search.Request{Query: "教师", Regions: []string{"山东省/东营市"}, Levels: []string{"地方性法规"}}},
		{"status and doctype", "q=" + q("教育") + "&status=" + q("已修改") + "&doctype=" + q("条例"), search.Request{Query: "教育", Statuses: []string{"已修改"}, DocTypes: []string{"条例"}}},
		{"year and date", "q=" + q("教育") + "&year=2022&year=2011&date=" + q("2011..2022-03"), search.Request{Query: "教育", Years: []int{2022, 2011}, DateFrom: "2011", DateTo: "2022-03"}},
		{"query language", "q=" + q("教育 地区:重庆市 状态:现行"), search.Request{Query: "教育 地区:重庆市 状态:现行"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := fetch(t, srv.URL, "/api/search?limit=1000&"+tc.params)
			if status != 200 {
				t.Fatalf("status %d: %.300s", status, body)
			}
			var got search.Response
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			tc.req.Limit = 1000
			want, err := f.server.searcher.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got.TookMS, want.TookMS = 0, 0
			if gb, wb := mustJSON(t, got), mustJSON(t, want); gb != wb {
				t.Errorf("API response differs from the service's:\n got %.400s\nwant %.400s", gb, wb)
			}
			if got.Total == 0 {
				t.Fatal("no hits")
			}
			for _, h := range got.Hits {
				d, err := f.corpus.Document(h.DocID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(h.Jurisdiction, d.Jurisdiction) || h.District != d.District {
					t.Errorf("hit %s: jurisdiction %+v, document %+v", h.ID, h.Jurisdiction, d.Jurisdiction)
				}
			}
			m := decodeObject(t, body)
			hit := m["hits"].([]any)[0].(map[string]any)
			j, _ := hit["jurisdiction"].(map[string]any)
			if k := strings.Join(keys(j), ","); k != "code,level,name,path" {
				t.Errorf("hit jurisdiction keys %q", k)
			}
		})
	}
	// the region tree: 山东省 › 东营市 holds both versions of wuxi
	_, body := fetch(t, srv.URL, "/api/search?q="+q(`"教育"`))
	var res search.Response
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	var sd *search.FacetValue
	for i, v := range res.Facets.Region {
		if v.Value == "山东省" {
			sd = &res.Facets.Region[i]
		}
	}
	if sd == nil || len(sd.Children) != 1 || sd.Children[0].Value != "东营市" || sd.Children[0].Count != sd.Count ||
		!slices.Equal(sd.Children[0].Path, []string{"山东省", "东营市"}) {
		t.Fatalf("region facet %+v: want 山东省 with its one child 东营市", res.Facets.Region)
	}
	r, err := f.server.searcher.Search(context.Background(), search.Request{Query: `"教育"`, Regions: []string{"山东省"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != uint64(sd.Count) {
		t.Errorf("region=山东省 gives %d, facet count %d", r.Total, sd.Count)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAPIDocumentFilterErrors: bad document filters are 400 with a
// Chinese message naming what is allowed.
func TestAPIDocumentFilterErrors(t *testing.T) {
	f := metaFixture(t)
	srv := httptest.NewServer(f.server)
	defer srv.Close()
	for _, tc := range []struct{ params, msg string }{
		{"level=" + q("省级"), "可选：宪法、法律、行政法规"},
		{"status=" + q("废止"), "可选：现行、已修改"},
		{"year=22", "年份无效"},
		{"year=" + q("二〇二二"), "年份无效"},
		{"date=" + q("2022..2020"), "起点晚于终点"},
		{"date=" + q("昨天"), "日期条件无效"},
		{"date=2020&date=2021", "日期条件只能给一个"},
		{"region=" + q("山东省//东营市"), "地区无效"},
		{"q=" + q("level:省级"), "未知的效力级别"},
		{"region=" + q(strings.Repeat("省", search.MaxFilterRunes+1)), "过长"},
	} {
		t.Run(tc.params, func(t *testing.T) {
			status, body := fetch(t, srv.URL, "/api/search?"+tc.params)
			if status != 400 || !strings.Contains(body, tc.msg) {
				t.Errorf("status %d %.300s, want 400 with %q", status, body, tc.msg)
			}
			status, body = fetch(t, srv.URL, "/search?"+tc.params)
			if status != 400 || !strings.Contains(body, tc.msg) {
				t.Errorf("page: status %d, want 400 with %q", status, tc.msg)
			}
		})
	}
}

// TestAPIUnitsCarryJurisdiction: units of /api/docs/{id} and
// /api/units/… carry their document's jurisdiction; documents list their
// metadata.
func TestAPIUnitsCarryJurisdiction(t *testing.T) {
	f := metaFixture(t)
	srv := httptest.NewServer(f.server)
	defer srv.Close()
	d, err := f.corpus.Document("wuxi-2022")
	if err != nil {
		t.Fatal(err)
	}
	_, body := fetch(t, srv.URL, "/api/docs/wuxi-2022")
	var doc struct {
		corpus.Meta
		Units []struct {
			ID           string               `json:"id"`
			Jurisdiction *corpus.Jurisdiction `json:"jurisdiction"`
		} `json:"units"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc.Jurisdiction, d.Jurisdiction) || doc.Status != corpus.StatusCurrent || !slices.Equal(doc.Versions, []string{"wuxi-2022", oldID}) ||
		doc.Level != "地方性法规" || doc.DocType != "条例" || len(doc.Dates) != 2 {
		t.Errorf("document metadata %+v", doc.Meta)
	}
	if len(doc.Units) == 0 {
		t.Fatal("no units")
	}
	for _, u := range doc.Units {
		if !reflect.DeepEqual(u.Jurisdiction, d.Jurisdiction) {
			t.Fatalf("unit %s: jurisdiction %+v", u.ID, u.Jurisdiction)
		}
	}
	u := d.Units[len(d.Units)/2]
	_, body = fetch(t, srv.URL, "/api/units/"+u.ID)
	m := decodeObject(t, body)
	j, _ := m["jurisdiction"].(map[string]any)
	if j["name"] != "东营市" || m["district"] != d.District {
		t.Errorf("unit %s: jurisdiction %v, district %v", u.ID, m["jurisdiction"], m["district"])
	}
}

// TestSearchPageDocumentFacets: the search page shows the region tree,
// the flat document facets, the chips, and the versions of a result; the
// reader shows the metadata and links the versions.
func TestSearchPageDocumentFacets(t *testing.T) {
	f := metaFixture(t)
	// view=clause: one result per unit (the server may group by document
	// by default)
	_, body := get(t, f.server, "/search?view=clause&q="+q("教育")+"&region="+q("山东省/东营市")+"&date="+q("2011..2022"))
	for _, want := range []string{
		`class="region-tree"`, `<details class="tree-children" open>`, `<summary>下级地区（1）`,
		`id="f-region-山东省›东营市" name="region" value="山东省/东营市" checked`,
		`地区：山东省 › 东营市`, `日期：2011..2022`,
		`name="level" value="地方性法规"`, `name="status" value="已修改"`, `name="doctype" value="条例"`, `name="year" value="2011"`,
		`另有 1 个版本`, `class="status status-amended">已修改`, `class="status status-current">现行`, `href="/d/wuxi-2019#versions"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	_, body = get(t, f.server, "/d/"+oldID)
	for _, want := range []string{`<dd class="doc-region">山东省 › 东营市</dd>`, `<dd class="doc-level">地方性法规</dd>`, `<dd class="doc-type">条例</dd>`,
		`通过 2011-11-17`, `id="versions"`, `<a href="/d/wuxi-2022">`, `已修改</span>（当前）`} {
		if !strings.Contains(body, want) {
			t.Errorf("reader page lacks %q", want)
		}
	}
	_, body = get(t, f.server, "/d/wuxi-2022")
	if !strings.Contains(body, `通过 2011-11-17</li><li>修正 2022-03-31`) {
		t.Error("reader page lacks the dates list")
	}
}

// TestOpenAPIDocumentsFacets: docs/openapi.yaml requires exactly the
// facets /api/search returns, and names every filter parameter.
func TestOpenAPIDocumentsFacets(t *testing.T) {
	f := metaFixture(t)
	spec, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, f.server, "/api/search?q="+q("教育"))
	facets := decodeObject(t, body)["facets"].(map[string]any)
	m := regexp.MustCompile(`required: \[(district, theme[^\]]*)\]`).FindSubmatch(spec)
	if m == nil {
		t.Fatal("no required facet list in the spec")
	}
	documented := strings.Split(string(m[1]), ", ")
	sort.Strings(documented)
	if got := keys(facets); !slices.Equal(got, documented) {
		t.Errorf("facets %v, spec requires %v", got, documented)
	}
	for _, p := range filterParams {
		if !strings.Contains(string(spec), "- {name: "+p.Key+", in: query") {
			t.Errorf("parameter %s not in the spec", p.Key)
		}
	}
}
