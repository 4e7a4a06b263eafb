package search

import (
	"context"
	"fmt"
	"maps"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// metaDoc describes one document of the constructed corpus.
type metaDoc struct {
	id, title string
	j         *corpus.Jurisdiction
	doctype   string
	level     string
	issue     string
	year      int
}

// metaCorpus is a hand-made corpus whose documents have every kind of
// metadata: jurisdictions at every level (two 朝阳区 in different
// provinces, a zone, a national law, one without), two versions of one
// regulation, dates given in full, by month, by year only or not at all.
func metaCorpus(t testing.TB) *corpus.Corpus {
	t.Helper()
	jur := func(code, level string, path ...string) *corpus.Jurisdiction {
		return &corpus.Jurisdiction{Code: code, Name: path[len(path)-1], Level: level, Path: path}
	}
	dongying := jur("370500", "city", "山东省", "东营市")
	docs := []metaDoc{
		{"dy-2011", "东营市养犬管理条例", dongying, "条例", "地方性法规", "2011-11-17", 2011},
		{"dy-2020", "东营市养犬管理条例", dongying, "条例", "地方性法规", "2020-05-14", 2020},
		{"sd-2022", "山东省教育发展规划", jur("370000", "province", "山东省"), "规划", "规范性文件", "2022-02-21", 2022},
		{"ken-2021", "垦利区教育工作方案", jur("370505", "county", "山东省", "东营市", "垦利区"), "方案", "工作文件", "2021-06", 0},
		{"law-2021", "中华人民共和国教育法", jur("100000", "national", "全国"), "法", "法律", "2021-04-29", 2021},
		{"lj-2022", "两江新区教育方案", jur("500001", "zone", "重庆市", "两江新区"), "方案", "工作文件", "", 2022},
		{"cy-jl", "朝阳区教育通知", jur("220104", "county", "吉林省", "长春市", "朝阳区"), "通知", "规范性文件", "2019-12-31", 2019},
		{"cy-bj", "朝阳区教育意见", jur("110105", "county", "北京市", "朝阳区"), "意见", "规范性文件", "2020-01-01", 2020},
		{"none", "无名文件", nil, "", "", "", 0},
	}
	words := []string{"教育", "学校", "教师", "养犬", "管理", "规划", "发展", "质量"}
	rng := rand.New(rand.NewSource(7))
	var out []*corpus.Document
	for _, md := range docs {
		d := &corpus.Document{Meta: corpus.Meta{ID: md.id, Title: md.title, Jurisdiction: md.j, DocType: md.doctype, Level: md.level, IssueDate: md.issue, Year: md.year}}
		if md.j != nil {
			d.District = md.j.Name
		}
		n := 3 + rng.Intn(5)
		for i := range n {
			var sb strings.Builder
			for range 3 + rng.Intn(6) {
				sb.WriteString(words[rng.Intn(len(words))])
			}
			sb.WriteString("。")
			d.Units = append(d.Units, &corpus.Unit{ID: fmt.Sprintf("%s/%d", md.id, i+1), DocID: md.id, Path: fmt.Sprint(i + 1),
				Type: corpus.TypeClause, Seq: i, Text: sb.String(), Part: corpus.PartTasks, Citation: "《" + md.title + "》"})
		}
		out = append(out, d)
	}
	c, err := corpus.New(out)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// docOracle is the brute-force answer: the units whose text contains the
// phrase and whose document passes keep.
func docOracle(c *corpus.Corpus, phrase string, keep func(d *corpus.Document) bool) (ids []string, facets map[string]map[string]int) {
	facets = map[string]map[string]int{"region": {}, "doctype": {}, "level": {}, "status": {}, "year": {}}
	for _, d := range c.Documents() {
		if !keep(d) {
			continue
		}
		for _, u := range d.Units {
			if !strings.Contains(corpus.Normalize(u.Text), phrase) {
				continue
			}
			ids = append(ids, u.ID)
			if j := d.Jurisdiction; j != nil {
				for i := range j.Path {
					facets["region"][strings.Join(j.Path[:i+1], "/")]++
				}
			}
			for k, v := range map[string]string{"doctype": d.DocType, "level": d.Level, "status": d.Status} {
				if v != "" {
					facets[k][v]++
				}
			}
			y := d.Year
			if y == 0 && d.IssueDate != "" {
				fmt.Sscanf(d.IssueDate[:4], "%d", &y)
			}
			if y != 0 {
				facets["year"][fmt.Sprint(y)]++
			}
		}
	}
	slices.Sort(ids)
	return ids, facets
}

// flatFacets turns the facets of a response into value → count maps; a
// region is keyed by its path.
func flatFacets(t *testing.T, f Facets) map[string]map[string]int {
	t.Helper()
	out := map[string]map[string]int{"region": {}, "doctype": {}, "level": {}, "status": {}, "year": {}}
	var walk func(vals []FacetValue, parent []string)
	walk = func(vals []FacetValue, parent []string) {
		for _, v := range vals {
			want := append(slices.Clone(parent), v.Value)
			if !slices.Equal(v.Path, want) {
				t.Errorf("region %s has path %v, want %v", v.Value, v.Path, want)
			}
			sum := 0
			for _, ch := range v.Children {
				sum += ch.Count
			}
			if sum > v.Count {
				t.Errorf("region %v: children count %d, more than its %d", v.Path, sum, v.Count)
			}
			out["region"][strings.Join(v.Path, "/")] = v.Count
			walk(v.Children, want)
		}
	}
	walk(f.Region, nil)
	for k, vals := range map[string][]FacetValue{"doctype": f.DocType, "level": f.Level, "status": f.Status, "year": f.Year} {
		for _, v := range vals {
			out[k][v.Value] = v.Count
		}
	}
	return out
}

// TestDocumentFacets: the document facets and filters agree with a
// brute-force count over a constructed corpus, for a phrase query and for
// filters alone.
func TestDocumentFacets(t *testing.T) {
	f := seeds(t)
	c := metaCorpus(t)
	svc, err := Ensure(context.Background(), filepath.Join(t.TempDir(), "idx"), c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	within := func(name string) func(d *corpus.Document) bool {
		return func(d *corpus.Document) bool {
			if d.Jurisdiction == nil {
				return false
			}
			p := d.Jurisdiction.Path
			return slices.Contains(p, name) || strings.Join(p, "/") == name || d.Jurisdiction.Code == name ||
				strings.Contains(name, "/") && strings.HasPrefix(strings.Join(p, "/")+"/", name+"/")
		}
	}
	all := func(*corpus.Document) bool { return true }
	dated := func(from, to string) func(d *corpus.Document) bool {
		return func(d *corpus.Document) bool {
			lo, hi := d.IssueDate, d.IssueDate
			switch {
			case len(d.IssueDate) == 7:
				lo, hi = d.IssueDate+"-01", d.IssueDate+"-31"
			case d.IssueDate == "" && d.Year != 0:
				lo, hi = fmt.Sprintf("%d-01-01", d.Year), fmt.Sprintf("%d-12-31", d.Year)
			case d.IssueDate == "":
				return false
			}
			return (from == "" || hi >= from) && (to == "" || lo <= to)
		}
	}
	for _, tc := range []struct {
		name  string
		query string
		req   Request
		keep  func(d *corpus.Document) bool
	}{
		{"all", `"教育"`, Request{}, all},
		{"province includes below", `"教育"`, Request{Regions: []string{"山东省"}}, within("山东省")},
		{"query language", `"教育" 地区:山东省`, Request{}, within("山东省")},
		{"city", `"教育"`, Request{Regions: []string{"东营市"}}, within("东营市")},
		{"path", `"教育"`, Request{Regions: []string{"山东省/东营市"}}, within("山东省/东营市")},
		{"code", `"教育"`, Request{Regions: []string{"370505"}}, within("370505")},
		{"national only", `"教育"`, Request{Regions: []string{"全国"}}, within("全国")},
		{"ambiguous name", `"教育"`, Request{Regions: []string{"朝阳区"}}, within("朝阳区")},
		{"one of two 朝阳区", `"教育"`, Request{Regions: []string{"北京市/朝阳区"}}, within("北京市/朝阳区")},
		{"zone", `"教育"`, Request{Regions: []string{"重庆市"}}, within("重庆市")},
		{"regions or", `"教育"`, Request{Regions: []string{"全国", "吉林省"}}, func(d *corpus.Document) bool { return within("全国")(d) || within("吉林省")(d) }},
		{"doctype", `"管理"`, Request{DocTypes: []string{"条例", "方案"}}, func(d *corpus.Document) bool { return d.DocType == "条例" || d.DocType == "方案" }},
		{"level", `"管理"`, Request{Levels: []string{"法律", "地方性法规"}}, func(d *corpus.Document) bool { return d.Level == "法律" || d.Level == "地方性法规" }},
		{"status", `"养犬"`, Request{Statuses: []string{"已修改"}}, func(d *corpus.Document) bool { return d.Status == corpus.StatusAmended }},
		{"status current", "status:现行", Request{}, func(d *corpus.Document) bool { return d.Status == corpus.StatusCurrent }},
		{"year", `"学校"`, Request{Years: []int{2020, 2022}}, func(d *corpus.Document) bool {
			y := d.Year
			if d.ID == "ken-2021" {
				y = 2021
			}
			return y == 2020 || y == 2022
		}},
		{"year from month date", "year:2021", Request{}, func(d *corpus.Document) bool { return d.ID == "ken-2021" || d.ID == "law-2021" }},
		{"date range", `"教育"`, Request{DateFrom: "2020", DateTo: "2021-06"}, dated("2020-01-01", "2021-06-30")},
		{"date open start", `"教育" date:..2019`, Request{}, dated("", "2019-12-31")},
		{"date open end", "日期:2021-05..", Request{}, dated("2021-05-01", "")},
		{"date month", "date:2021-06", Request{}, dated("2021-06-01", "2021-06-30")},
		{"date day excludes the month's neighbours", "date:2020-01-01", Request{}, dated("2020-01-01", "2020-01-01")},
		{"and across", `"教育" region:山东省 level:规范性文件`, Request{}, func(d *corpus.Document) bool { return within("山东省")(d) && d.Level == "规范性文件" }},
		{"filters only", "region:山东省", Request{}, within("山东省")},
		{"unknown region", "region:火星", Request{}, func(*corpus.Document) bool { return false }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			phrase := ""
			if strings.HasPrefix(tc.query, `"`) {
				phrase = corpus.Normalize(strings.Trim(strings.Fields(tc.query)[0], `"`))
			}
			r := tc.req
			r.Query, r.Limit = tc.query, MaxLimit
			res := search(t, svc, r)
			wantIDs, wantFacets := docOracle(c, phrase, tc.keep)
			if !slices.Equal(hitIDs(res), wantIDs) || res.Total != uint64(len(wantIDs)) {
				t.Errorf("hits %v (total %d), brute force %v", hitIDs(res), res.Total, wantIDs)
			}
			got := flatFacets(t, res.Facets)
			for k, want := range wantFacets {
				if !maps.Equal(got[k], want) {
					t.Errorf("facet %s = %v, brute force %v", k, got[k], want)
				}
			}
			// on a query without filters, every facet value as a filter
			// gives its count
			if !strings.Contains(tc.query, ":") && reflectZero(tc.req) {
				for k, vals := range got {
					for v, n := range vals {
						fr := r
						switch k {
						case "region":
							fr.Regions = []string{v}
						case "doctype":
							fr.DocTypes = []string{v}
						case "level":
							fr.Levels = []string{v}
						case "status":
							fr.Statuses = []string{v}
						case "year":
							fr.Query += " year:" + v
						}
						if got := search(t, svc, fr).Total; got != uint64(n) {
							t.Errorf("filter %s=%s: total %d, facet count %d", k, v, got, n)
						}
					}
				}
			}
			for _, h := range res.Hits {
				d, err := c.Document(h.DocID)
				if err != nil {
					t.Fatal(err)
				}
				if h.Jurisdiction != d.Jurisdiction || h.Status != d.Status || h.Level != d.Level || h.DocType != d.DocType || !slices.Equal(h.Versions, d.Versions) {
					t.Errorf("hit %s does not carry its document's metadata", h.ID)
				}
			}
		})
	}
}

func reflectZero(r Request) bool { return reflect.ValueOf(r).IsZero() }

// TestVersionsAndStatus: the two versions of a regulation are linked,
// the newer 现行, and the status facet counts both.
func TestVersionsAndStatus(t *testing.T) {
	c := metaCorpus(t)
	for id, want := range map[string]string{"dy-2020": corpus.StatusCurrent, "dy-2011": corpus.StatusAmended, "sd-2022": corpus.StatusCurrent} {
		d, err := c.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != want {
			t.Errorf("%s: status %s, want %s", id, d.Status, want)
		}
	}
	d, _ := c.Document("dy-2011")
	if !slices.Equal(d.Versions, []string{"dy-2020", "dy-2011"}) {
		t.Errorf("versions %v", d.Versions)
	}
}

// TestRequestFilterErrors: the document filters of a Request are checked
// like those of the query language, with the allowed values named.
func TestRequestFilterErrors(t *testing.T) {
	f := seeds(t)
	many := make([]string, MaxFilterValue+1)
	for i := range many {
		many[i] = fmt.Sprint("地区", i)
	}
	for _, tc := range []struct {
		name string
		r    Request
		code string
		msg  string
	}{
		{"level", Request{Levels: []string{"省级"}}, corpus.EINVALID, "可选：宪法、法律"},
		{"status", Request{Statuses: []string{"废止"}}, corpus.EINVALID, "可选：现行、已修改"},
		{"year", Request{Years: []int{20}}, corpus.EINVALID, "年份无效"},
		{"date", Request{DateFrom: "2022", DateTo: "2020"}, corpus.EINVALID, "起点晚于终点"},
		{"date form", Request{DateFrom: "昨天"}, corpus.EINVALID, "日期条件无效"},
		{"date in a bound", Request{DateFrom: "2020..2021"}, corpus.EINVALID, "日期条件无效"},
		{"too many regions", Request{Regions: many}, corpus.ETOOLARGE, "最多"},
		{"long region", Request{Regions: []string{strings.Repeat("省", MaxFilterRunes+1)}}, corpus.ETOOLARGE, "过长"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Search(context.Background(), tc.r)
			if corpus.ErrorCode(err) != tc.code || !strings.Contains(fmt.Sprint(err), tc.msg) {
				t.Errorf("Search(%+v) = %v, want %s with %q", tc.r, err, tc.code, tc.msg)
			}
		})
	}
}
