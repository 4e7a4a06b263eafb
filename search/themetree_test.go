package search

import (
	"slices"
	"strings"
	"testing"
)

func TestThemeMatch(t *testing.T) {
	for _, tc := range []struct {
		path, value string
		match       bool
	}{
		{"教育", "教育", true},
		{"教育/学前教育", "教育/学前教育", true},
		{"教育/学前教育", "学前教育", true},
		{"教育/学前教育", "教育 › 学前教育", true},
		{"教育/学前教育", "教育／学前教育", true},
		{"教育/学前教育", "教育", false}, // themeSelects walks up, themeMatch does not
		{"教育", "学前教育", false},
		{"财政、金融、审计", "财政、金融、审计", true},
		{"财政、金融、审计", "财政/金融/审计", true},
		{"财政、金融、审计", "金融", true},
		{"财政、金融、审计", "财政、金融", false},
		{"公安、安全、司法", "公安", true},
		{"教育/体育美育劳动", "体育", false},
		{"卫生、体育", "体育", true},
		{"教育/其他", "其他", true},
	} {
		if got := themeMatch(tc.path, tc.value); got != tc.match {
			t.Errorf("themeMatch(%q, %q) = %v, want %v", tc.path, tc.value, got, tc.match)
		}
	}
	if !ThemeSelects([]string{"教育", "教育/学前教育"}, []string{"教育"}) || !ThemeSelects([]string{"教育/学前教育"}, []string{"教育"}) {
		t.Error("theme:教育 does not select its second level")
	}
	if ThemeSelects([]string{"公安、安全、司法"}, []string{"资助与关爱"}) {
		t.Error("theme:资助与关爱 selects a dog regulation")
	}
}

func TestThemeTree(t *testing.T) {
	d := &dict{}
	counts := make([]int, 0)
	for _, v := range []struct {
		path  string
		count int
	}{{"教育", 10}, {"教育/学前教育", 4}, {"教育/义务教育", 6}, {"科技", 3}, {"", 5}, {"卫生、体育/体育", 2}, {"农业、林业、水利", 0}} {
		d.id(v.path)
		counts = append(counts, v.count)
	}
	got := themeTree(counts, d)
	want := []FacetValue{
		{Value: "教育", Count: 10, Path: []string{"教育"}, Children: []FacetValue{
			{Value: "义务教育", Count: 6, Path: []string{"教育", "义务教育"}},
			{Value: "学前教育", Count: 4, Path: []string{"教育", "学前教育"}},
		}},
		{Value: "科技", Count: 3, Path: []string{"科技"}},
		// a parent no unit carries counts its children
		{Value: "卫生、体育", Count: 2, Path: []string{"卫生、体育"}, Children: []FacetValue{
			{Value: "体育", Count: 2, Path: []string{"卫生、体育", "体育"}},
		}},
	}
	if !slices.EqualFunc(got, want, equalFacet) {
		t.Errorf("themeTree = %+v, want %+v", got, want)
	}
}

func equalFacet(a, b FacetValue) bool {
	return a.Value == b.Value && a.Count == b.Count && slices.Equal(a.Path, b.Path) && slices.EqualFunc(a.Children, b.Children, equalFacet)
}

// TestThemeFacetSeeds: the seeds are education plans; the theme facet is
// 教育 with the education themes below it, theme:教育 keeps every match,
// and a second-level theme filters alike by name, path and › path.
func TestThemeFacetSeeds(t *testing.T) {
	f := seeds(t)
	res := search(t, f.svc, Request{Query: "幼儿园", Limit: 1})
	if len(res.Facets.Theme) != 1 || res.Facets.Theme[0].Value != "教育" || res.Facets.Theme[0].Count != int(res.Total) {
		t.Fatalf("theme facet roots = %+v, want 教育 with all %d matches", res.Facets.Theme, res.Total)
	}
	kids := res.Facets.Theme[0].Children
	i := slices.IndexFunc(kids, func(v FacetValue) bool { return v.Value == "学前教育" })
	if i < 0 || !slices.Equal(kids[i].Path, []string{"教育", "学前教育"}) {
		t.Fatalf("教育's children %+v lack 学前教育", kids)
	}
	if r := search(t, f.svc, Request{Query: "幼儿园 theme:教育", Limit: 1}); r.Total != res.Total {
		t.Errorf("theme:教育 total %d, want %d", r.Total, res.Total)
	}
	for _, v := range []string{"学前教育", "教育/学前教育", "教育 › 学前教育"} {
		r := search(t, f.svc, Request{Query: "幼儿园", Themes: []string{v}, Limit: MaxLimit})
		if r.Total != uint64(kids[i].Count) {
			t.Errorf("theme %q: total %d, facet says %d", v, r.Total, kids[i].Count)
		}
		for _, h := range r.Hits {
			if !slices.Contains(h.Themes, "教育/学前教育") {
				t.Errorf("theme %q: hit %s has themes %v", v, h.ID, h.Themes)
			}
		}
	}
	if r := search(t, f.svc, Request{Query: `幼儿园 主题:"教育/学前教育"`, Limit: 1}); r.Total != uint64(kids[i].Count) {
		t.Errorf("主题:教育/学前教育 in the query: total %d, want %d", r.Total, kids[i].Count)
	}
}

// TestThemeFacetLaws: dog regulations are 公安、安全、司法 and carry no
// education theme, though their texts speak of 资助 and 关爱; a subject
// of a top-level name filters by it.
func TestThemeFacetLaws(t *testing.T) {
	f := laws(t)
	res := search(t, f.svc, Request{Query: "养犬", Limit: MaxLimit})
	if res.Total == 0 {
		t.Fatal("no match for 养犬")
	}
	var walk func(vals []FacetValue)
	walk = func(vals []FacetValue) {
		for _, v := range vals {
			if strings.HasPrefix(strings.Join(v.Path, "/"), "教育") {
				t.Errorf("laws sample has education theme %v", v.Path)
			}
			walk(v.Children)
		}
	}
	walk(res.Facets.Theme)
	for _, h := range res.Hits {
		if strings.Contains(h.DocTitle, "养犬") && !slices.Equal(h.Themes, []string{"公安、安全、司法"}) {
			t.Errorf("%s (%s): themes %v, want 公安、安全、司法", h.ID, h.DocTitle, h.Themes)
		}
	}
	full := search(t, f.svc, Request{Query: "养犬 theme:公安、安全、司法", Limit: 1})
	short := search(t, f.svc, Request{Query: "养犬 theme:公安", Limit: 1})
	if full.Total == 0 || full.Total != short.Total {
		t.Errorf("theme:公安、安全、司法 %d, theme:公安 %d", full.Total, short.Total)
	}
	if r := search(t, f.svc, Request{Query: "养犬 theme:资助与关爱", Limit: 1}); r.Total != 0 {
		t.Errorf("theme:资助与关爱 finds %d dog-regulation units", r.Total)
	}
	if r := search(t, f.svc, Request{Query: "数据 theme:科技", Limit: 1}); r.Total == 0 {
		t.Error("theme:科技 finds nothing of the data security law")
	}
}
