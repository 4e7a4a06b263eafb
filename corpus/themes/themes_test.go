package themes_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/corpus/themes"
)

func TestDefaultTaxonomy(t *testing.T) {
	tax, err := themes.Default()
	if err != nil {
		t.Fatalf("embedded themes.json: %v", err)
	}
	want := []string{"学前教育", "义务教育", "普通高中", "职业教育", "高等教育", "特殊教育", "民办教育", "终身教育",
		"德育思政", "体育美育劳动", "教师队伍", "教育信息化", "评价与考试招生", "治理与督导", "党的建设", "经费保障",
		"学校建设与布局", "开放合作", "安全与健康", "资助与关爱"}
	if got := tax.Names(); !slices.Equal(got, want) {
		t.Errorf("theme names = %v, want %v", got, want)
	}
}

func TestParseTaxonomyErrors(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"syntax", `{"themes": [`},
		{"empty", `{"themes": []}`},
		{"no name", `{"themes": [{"name": " ", "keywords": ["a"]}]}`},
		{"duplicate", `{"themes": [{"name": "a", "keywords": ["x"]}, {"name": "a", "keywords": ["y"]}]}`},
		{"no keywords", `{"themes": [{"name": "a", "keywords": [" "]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := themes.Parse([]byte(tc.data))
			if corpus.ErrorCode(err) != corpus.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
}

func TestTaxonomyAssign(t *testing.T) {
	tax, err := themes.Parse([]byte(`{"themes": [
		{"name": "学前教育", "keywords": ["幼儿园"]},
		{"name": "职业教育", "keywords": ["职业教育", "1+X"]},
		{"name": "教师队伍", "keywords": ["教师"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := &corpus.Document{Units: []*corpus.Unit{
		{ID: "d/1", Text: "（二）大力发展职业教育", Title: "大力发展职业教育"},
		{ID: "d/2", Text: "推行１＋Ｘ证书制度。", Breadcrumb: []string{"（二）大力发展职业教育"}},
		{ID: "d/3", Text: "新建幼儿园 3 所，培训教师。", Breadcrumb: []string{"第三章 主要任务"}},
		{ID: "d/4", Text: "加强组织领导。", Breadcrumb: []string{"第五章 保障措施"}},
		{ID: "d/5", Text: "幼儿\n园", Breadcrumb: nil}, // crosses a line break
	}}
	tax.Assign(d)
	want := map[string][]string{
		"d/1": {"职业教育"},
		"d/2": {"职业教育"},
		"d/3": {"学前教育", "教师队伍"},
		"d/4": nil,
		"d/5": {"学前教育"},
	}
	for _, u := range d.Units {
		if !slices.Equal(u.Themes, want[u.ID]) {
			t.Errorf("%s themes = %v, want %v", u.ID, u.Themes, want[u.ID])
		}
	}
}

// TestSeedThemes checks theme assignment on the real seed corpus: every
// assigned theme is justified by a keyword in the unit or its headings,
// and every theme of the taxonomy occurs somewhere.
func TestSeedThemes(t *testing.T) {
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	tax, err := themes.Default()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]int{}
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			ctx := corpus.Normalize(u.Text + u.Title + strings.Join(u.Breadcrumb, ""))
			for _, th := range u.Themes {
				used[th]++
				i := slices.Index(tax.Names(), th)
				if i < 0 {
					t.Fatalf("%s: unknown theme %s", u.ID, th)
				}
				if !slices.ContainsFunc(tax.Themes[i].Keywords, func(k string) bool { return strings.Contains(ctx, corpus.Normalize(k)) }) {
					t.Errorf("%s: theme %s without keyword", u.ID, th)
				}
			}
		}
	}
	for _, name := range tax.Names() {
		if used[name] == 0 {
			t.Errorf("theme %s assigned to no unit of the seed corpus", name)
		}
	}
}

func TestUserDictionary(t *testing.T) {
	d, err := themes.UserDictionary()
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"集团化办学", "双减", "五育并举", "立德树人", "区管校聘", "十四五", "产教融合", "双师型", "1+X"} {
		if !strings.Contains(d, "\n"+term+" ") {
			t.Errorf("user dictionary lacks %s", term)
		}
	}
}
