package corpus

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedCorpus parses the embedded seed documents once per test.
func seedCorpus(t testing.TB) *Corpus {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// docTables returns the tables of a parsed seed document.
func docTables(t testing.TB, d *Document) []*Table {
	t.Helper()
	if len(d.Tables) > 0 {
		return d.Tables
	}
	// Until the parser attaches tables, reconstruct them the way it will.
	var out []*Table
	for _, sp := range walkTables(seedLines(t, d.ID)) {
		out = append(out, sp.Table)
	}
	return out
}

// marshalLines writes one JSON value per line inside a JSON array, so
// that golden diffs show one target per line.
func marshalLines(t testing.TB, items []any) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, it := range items {
		var line bytes.Buffer
		enc := json.NewEncoder(&line)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(it); err != nil {
			t.Fatal(err)
		}
		buf.Write(bytes.TrimRight(line.Bytes(), "\n"))
		if i < len(items)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", "targets", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./corpus -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./corpus -update and review the diff)", name, i+1, g, w)
			}
		}
	}
}

// indicatorTables lists the indicator tables of the seeds: every body row
// of each must become exactly one target.
var indicatorTables = map[string][]string{
	"yongchuan-2022":  {"t1", "t2"},
	"shapingba-2021":  {"box1"},
	"liangjiang-2022": {"t1"},
	"wuxi-2022":       {"t1", "t2"},
}

func TestTableTargetsGolden(t *testing.T) {
	c := seedCorpus(t)
	groups, err := DefaultIndicatorGroups()
	if err != nil {
		t.Fatal(err)
	}
	var all []any
	for _, d := range c.Documents() {
		units := map[string]*Unit{}
		for _, u := range d.Units {
			units[u.ID] = u
		}
		var found []string
		for _, tb := range docTables(t, d) {
			got := tableTargets(d, tb, units)
			if got == nil {
				continue
			}
			found = append(found, tb.ID)
			if len(got) != len(tb.Rows) {
				t.Errorf("%s %s: %d targets for %d rows", d.ID, tb.ID, len(got), len(tb.Rows))
			}
			for _, tg := range got {
				tg.Canonical = groups.Canonical(tg.Indicator)
				if tg.Indicator == "" || tg.Source != SourceTable || tg.Text == "" {
					t.Errorf("%s %s: incomplete target %+v", d.ID, tb.ID, tg)
				}
				if tg.Baseline.Value == nil && !tg.Baseline.Unparsed || tg.Target.Value == nil && !tg.Target.Unparsed {
					t.Errorf("%s %s %s: a seed cell lost its value: %+v %+v", d.ID, tb.ID, tg.Indicator, tg.Baseline, tg.Target)
				}
				all = append(all, struct {
					Table string `json:"table"`
					*Target
				}{tb.ID, tg})
			}
		}
		if want := indicatorTables[d.ID]; strings.Join(found, ",") != strings.Join(want, ",") {
			t.Errorf("%s: indicator tables %v, want %v", d.ID, found, want)
		}
	}
	checkGolden(t, "tables.json", marshalLines(t, all))
}

// TestTableTargetsSpotCheck pins values read by eye from the seed text.
func TestTableTargetsSpotCheck(t *testing.T) {
	c := seedCorpus(t)
	type want struct {
		doc, table, indicator, unit, attr, kind string
		by, ty                                  int
		bv, tv                                  float64
		cmp                                     string
	}
	wants := []want{
		{"yongchuan-2022", "t2", "学前教育·学前三年入园率", "%", "预期性", KindTarget, 2020, 2025, 97.5, 99.5, "="},
		{"yongchuan-2022", "t2", "义务教育·九年义务教育巩固率", "%", "约束性", KindTarget, 2020, 2025, 99.15, 100, "="},
		{"yongchuan-2022", "t2", "职业教育·院校建筑面积", "万m²", "预期性", KindTarget, 2020, 2025, 229.83, 264.83, "="},
		{"yongchuan-2022", "t1", "学前教育·在园幼儿数", "万人", "", KindResult, 2015, 2020, 3.53, 3.34, "="},
		{"wuxi-2022", "t2", "学前教育·学前三年毛入园率", "%", "预期性", KindTarget, 2020, 2025, 85.1, 93, ">"},
		{"wuxi-2022", "t2", "教育投入·财政教育支出占公共财政支出比例", "%", "预期性", KindTarget, 2020, 2025, 19.4, 20, ">"},
		{"wuxi-2022", "t1", "义务教育·其中：普通小学", "万人", "", KindResult, 2016, 2020, 3.3623, 3.3301, "="},
		{"shapingba-2021", "box1", "教育培训年培训规模", "万人次", "", KindTarget, 2020, 2025, 45, 50, "="},
		{"shapingba-2021", "box1", "人民群众对教育满意度", "%", "", KindTarget, 2020, 2025, 85, 90, "≥"},
		{"shapingba-2021", "box1", "小学优质均衡综合差异系数", "", "", KindTarget, 2020, 2025, 0.33, 0.25, "="},
		{"liangjiang-2022", "t1", "学前教育员级及以上职称专任教师比例", "%", "预期性", KindTarget, 2020, 2025, 1.2, 25, ">"},
		{"liangjiang-2022", "t1", "义务教育巩固率", "%", "预期性", KindTarget, 2020, 2025, 112.4, 100, "="},
	}
	for _, w := range wants {
		t.Run(w.doc+"/"+w.indicator, func(t *testing.T) {
			d, err := c.Document(w.doc)
			if err != nil {
				t.Fatal(err)
			}
			var got *Target
			for _, tb := range docTables(t, d) {
				if tb.ID != w.table {
					continue
				}
				for _, tg := range tableTargets(d, tb, nil) {
					if tg.Indicator == w.indicator {
						got = tg
					}
				}
			}
			if got == nil {
				t.Fatalf("no target %q in %s", w.indicator, w.table)
			}
			if got.Unit != w.unit || got.Attribute != w.attr || got.Kind != w.kind {
				t.Errorf("unit/attribute/kind = %q/%q/%q, want %q/%q/%q", got.Unit, got.Attribute, got.Kind, w.unit, w.attr, w.kind)
			}
			if got.Baseline.Year != w.by || !sameFloat(got.Baseline.Value, &w.bv) {
				t.Errorf("baseline %d %v, want %d %v", got.Baseline.Year, deref(got.Baseline.Value), w.by, w.bv)
			}
			if got.Target.Year != w.ty || !sameFloat(got.Target.Value, &w.tv) || got.Target.Comparator != w.cmp {
				t.Errorf("target %d %s %v, want %d %s %v", got.Target.Year, got.Target.Comparator, deref(got.Target.Value), w.ty, w.cmp, w.tv)
			}
		})
	}
}

// TestTableTargetsHandBuilt covers shapes the seeds do not: a lost
// indicator header, unparsable and empty cells, a range and an interim
// year.
func TestTableTargetsHandBuilt(t *testing.T) {
	d := &Document{Meta: Meta{ID: "x", District: "某区"}}
	tb := &Table{
		ID:      "t9",
		Caption: "表9 主要指标",
		Header:  []string{"序号", "", "单位", "属性", "2020", "2023", "2025"},
		Rows: [][]string{
			{"1", "示范学校数", "所", "预期", "12", "", "3-5"},
			{"2", "教育满意度", "%", "约束性", "较高", "90", "大幅提升"},
			{"3", "经费", "亿元", "预期性", "—", "1.5", "≥2"},
		},
		RowIDs: []string{"x/t9.r1", "x/t9.r2", "x/t9.r3"},
	}
	got := tableTargets(d, tb, map[string]*Unit{"x/t9.r1": {ID: "x/t9.r1", Text: "1 示范学校数 所 预期 12 3-5", Citation: "《x》表9第1行"}})
	if len(got) != 3 {
		t.Fatalf("%d targets, want 3", len(got))
	}
	r1, r2, r3 := got[0], got[1], got[2]
	if r1.Indicator != "示范学校数" || r1.Unit != "所" || r1.Attribute != "预期性" || r1.UnitID != "x/t9.r1" || r1.Citation != "《x》表9第1行" {
		t.Errorf("row 1 = %+v", r1)
	}
	if r1.Target.Comparator != CmpRange || !sameFloat(r1.Target.Value, fp(3)) || !sameFloat(r1.Target.Max, fp(5)) || r1.Target.Year != 2025 {
		t.Errorf("row 1 target = %+v", r1.Target)
	}
	if len(r1.Interim) != 1 || r1.Interim[0].Year != 2023 || r1.Interim[0].Value != nil || r1.Interim[0].Unparsed {
		t.Errorf("row 1 interim = %+v, want an empty 2023 point", r1.Interim)
	}
	if !r2.Baseline.Unparsed || r2.Baseline.Raw != "较高" || !r2.Target.Unparsed || r2.Target.Raw != "大幅提升" || r2.Target.Value != nil {
		t.Errorf("row 2 must keep and flag unparsable cells: %+v %+v", r2.Baseline, r2.Target)
	}
	if r2.Text == "" {
		t.Error("row 2 without a unit must still carry its row text")
	}
	if r3.Baseline.Value != nil || r3.Baseline.Unparsed || r3.Target.Comparator != CmpGE || !sameFloat(r3.Target.Value, fp(2)) {
		t.Errorf("row 3 = %+v %+v", r3.Baseline, r3.Target)
	}
	// A table without an indicator column or dated values is not an
	// indicator table.
	for _, other := range []*Table{
		{ID: "t3", Header: []string{"调整年份", "学校", "现有规模·班级规模"}, Rows: [][]string{{"2022", "某小学", "12"}}},
		{ID: "t5", Header: []string{"学校名称", "现有规模(2020)·班级规模", "调整后规模·2025年·教学班(个)"}, Rows: [][]string{{"某中学", "30", "36"}}},
	} {
		if got := tableTargets(d, other, nil); got != nil {
			t.Errorf("%s: %d targets from a table that has no indicators", other.ID, len(got))
		}
	}
}
