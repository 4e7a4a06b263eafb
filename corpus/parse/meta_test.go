package parse

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/gazetteer"
)

// TestInferMetaWithoutManifest parses each seed without its manifest entry
// and checks that what the text says is inferred as the manifest says it.
// Fields the text does not carry are listed as absent and must come out
// empty (shapingba-2021 names no issuing body; only two documents have a
// document number).
func TestInferMetaWithoutManifest(t *testing.T) {
	absent := map[string][]string{
		"shapingba-2021":  {"issuer", "doc_number"},
		"yongchuan-2022":  {"doc_number"},
		"qianjiang-2023":  {"doc_number"},
		"liangjiang-2022": {},
		"wuxi-2022":       {},
	}
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			data, err := fs.ReadFile(corpus.Embedded(), "seeds/"+id+".txt")
			if err != nil {
				t.Fatal(err)
			}
			d, err := parseDefault(corpus.Meta{ID: id, Source: id + ".txt"}, data)
			if err != nil {
				t.Fatal(err)
			}
			want := manifestMeta(t, id)
			skip := map[string]bool{}
			for _, f := range absent[id] {
				skip[f] = true
			}
			check := func(field, got, want string) {
				t.Helper()
				if skip[field] {
					if got != "" {
						t.Errorf("%s: inferred %q from a text that has none", field, got)
					}
					return
				}
				if got != want {
					t.Errorf("%s = %q, manifest says %q", field, got, want)
				}
			}
			check("district", d.District, want.District)
			check("title", d.Title, want.Title)
			check("issuer", d.Issuer, want.Issuer)
			check("doc_number", d.DocNumber, want.DocNumber)
			check("issue_date", d.IssueDate, want.IssueDate)
			if d.Year != want.Year {
				t.Errorf("year = %d, manifest says %d", d.Year, want.Year)
			}
		})
	}
}

// TestManifestOverrides checks that every non-empty manifest field wins
// over inference and empty ones do not.
func TestManifestOverrides(t *testing.T) {
	data, err := fs.ReadFile(corpus.Embedded(), "seeds/wuxi-2022.txt")
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseDefault(corpus.Meta{ID: "w", Title: "另一个标题", District: "某县", IssueDate: "2020-01-02"}, data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "另一个标题" || d.District != "某县" || d.IssueDate != "2020-01-02" || d.Year != 2020 {
		t.Errorf("manifest fields not applied: %+v", d.Meta)
	}
	if d.DocNumber != "巫溪府发〔2022〕14号" || d.Issuer != "巫溪县人民政府" {
		t.Errorf("inferred fields lost: %+v", d.Meta)
	}
	if u := d.Units[0]; u.Citation[:len("《另一个标题》")] != "《另一个标题》" {
		t.Errorf("citation does not use the manifest title: %s", u.Citation)
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2022年3月31日", "2022-03-31"},
		{"                2022年2月21日", "2022-02-21"},
		{"2022-10-19", "2022-10-19"},
		{"二〇二一年六月", "2021-06"},
		{"二〇二二年十二月三十一日", "2022-12-31"},
		{"2022年13月1日", ""},
		{"二十三", ""},
		{"", ""},
	} {
		if got := parseDate(tc.in); got != tc.want {
			t.Errorf("parseDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestClassifyJurisdiction checks that the district is the name of the
// jurisdiction the gazetteer resolves from the title and the issuing body,
// with its path, and never a word of the body.
func TestClassifyJurisdiction(t *testing.T) {
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	v := Vocabulary{Gazetteer: g}
	for _, tc := range []struct{ title, issuer, want string }{
		{"重庆市永川区教育事业发展规划", "", "重庆市 › 永川区"},
		{"深入推进黔江教育高质量发展工作方案", "中共重庆市黔江区委教育工作领导小组", "重庆市 › 黔江区"},
		{"两江新区教育事业发展“十四五”规划", "重庆两江新区管理委员会", "重庆市 › 两江新区"},
		{"巫溪县教育事业发展规划", "巫溪县人民政府", "重庆市 › 巫溪县"},
		{"石柱土家族自治县教育规划", "", "重庆市 › 石柱土家族自治县"},
		{"教育工作要点", "", ""},
		{"成都市武侯区教育事业发展规划", "", "四川省 › 成都市 › 武侯区"},
		{"城市教育发展规划", "重庆市酉阳土家族苗族自治县人民政府", "重庆市 › 酉阳土家族苗族自治县"},
		{"东营市养犬管理条例", "", "山东省 › 东营市"},
		{"中华人民共和国数据安全法", "", "全国"},
	} {
		m := corpus.Meta{Title: tc.title, Issuer: tc.issuer}
		classify(&m, []string{"住宅小区和行政区的管理。"}, corpus.Meta{}, v)
		got := ""
		if m.Jurisdiction != nil {
			got = strings.Join(m.Jurisdiction.Path, " › ")
			if m.District != m.Jurisdiction.Name {
				t.Errorf("%s: district %q, jurisdiction %q", tc.title, m.District, m.Jurisdiction.Name)
			}
		} else if m.District != "" {
			t.Errorf("%s: district %q without a jurisdiction", tc.title, m.District)
		}
		if got != tc.want {
			t.Errorf("%s (%s): jurisdiction %q, want %q", tc.title, tc.issuer, got, tc.want)
		}
	}
}

// TestManifestComplete checks that the embedded manifest has one complete
// entry per seed document and no entry without a document.
func TestManifestComplete(t *testing.T) {
	man, err := corpus.ReadManifest(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, id := range seedIDs(t) {
		ids[id] = true
	}
	if len(man.Documents) != len(ids) {
		t.Errorf("%d manifest entries for %d seeds", len(man.Documents), len(ids))
	}
	for _, m := range man.Documents {
		if !ids[m.ID] || m.Source != m.ID+".txt" {
			t.Errorf("manifest entry %s (source %s) has no seed document", m.ID, m.Source)
		}
		if m.District == "" || m.Title == "" || m.Issuer == "" || m.IssueDate == "" || m.Year == 0 {
			t.Errorf("manifest entry %s is incomplete: %+v", m.ID, m)
		}
	}
}
