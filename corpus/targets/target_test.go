package targets_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/corpus/targets"
)

// seedCorpus returns the embedded seed documents, parsed once for all the
// target tests (they only read it).
func seedCorpus(t testing.TB) *corpus.Corpus {
	t.Helper()
	c, err := parsedSeeds()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var parsedSeeds = sync.OnceValues(parse.Seeds)

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
	checkGoldenFile(t, filepath.Join("..", "..", "testdata", "golden", "targets", name), got)
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
	var all []any
	for _, d := range c.Documents() {
		if len(d.Tables) == 0 && len(indicatorTables[d.ID]) > 0 {
			t.Fatalf("%s: the parser attached no tables", d.ID)
		}
		rows := map[string]int{} // row unit id → targets
		for _, tg := range d.Targets {
			if tg.Source == corpus.SourceTable {
				rows[tg.UnitID]++
			}
		}
		var found []string
		for _, tb := range d.Tables {
			n := 0
			for _, id := range tb.RowIDs {
				n += rows[id]
			}
			if n == 0 {
				continue
			}
			found = append(found, tb.ID)
			for i, id := range tb.RowIDs {
				if rows[id] != 1 {
					t.Errorf("%s %s row %d (%s): %d targets, want 1", d.ID, tb.ID, i+1, id, rows[id])
				}
			}
		}
		if want := indicatorTables[d.ID]; strings.Join(found, ",") != strings.Join(want, ",") {
			t.Errorf("%s: indicator tables %v, want %v", d.ID, found, want)
		}
		for _, tg := range d.Targets {
			if tg.Source != corpus.SourceTable {
				continue
			}
			if tg.Indicator == "" || tg.Text == "" || tg.Citation == "" || tg.UnitID == "" {
				t.Errorf("%s: incomplete target %+v", d.ID, tg)
			}
			if tg.Baseline.Value == nil && !tg.Baseline.Unparsed || tg.Target.Value == nil && !tg.Target.Unparsed {
				t.Errorf("%s %s: a seed cell lost its value: %+v %+v", d.ID, tg.Indicator, tg.Baseline, tg.Target)
			}
			all = append(all, tg)
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
		{"yongchuan-2022", "t2", "学前教育·学前三年入园率", "%", "预期性", corpus.KindTarget, 2020, 2025, 97.5, 99.5, "="},
		{"yongchuan-2022", "t2", "义务教育·九年义务教育巩固率", "%", "约束性", corpus.KindTarget, 2020, 2025, 99.15, 100, "="},
		{"yongchuan-2022", "t2", "职业教育·院校建筑面积", "万m²", "预期性", corpus.KindTarget, 2020, 2025, 229.83, 264.83, "="},
		{"yongchuan-2022", "t1", "学前教育·在园幼儿数", "万人", "", corpus.KindResult, 2015, 2020, 3.53, 3.34, "="},
		{"wuxi-2022", "t2", "学前教育·学前三年毛入园率", "%", "预期性", corpus.KindTarget, 2020, 2025, 85.1, 93, ">"},
		{"wuxi-2022", "t2", "教育投入·财政教育支出占公共财政支出比例", "%", "预期性", corpus.KindTarget, 2020, 2025, 19.4, 20, ">"},
		{"wuxi-2022", "t1", "义务教育·其中：普通小学", "万人", "", corpus.KindResult, 2016, 2020, 3.3623, 3.3301, "="},
		{"shapingba-2021", "box1", "教育培训年培训规模", "万人次", "", corpus.KindTarget, 2020, 2025, 45, 50, "="},
		{"shapingba-2021", "box1", "人民群众对教育满意度", "%", "", corpus.KindTarget, 2020, 2025, 85, 90, "≥"},
		{"shapingba-2021", "box1", "小学优质均衡综合差异系数", "", "", corpus.KindTarget, 2020, 2025, 0.33, 0.25, "="},
		{"liangjiang-2022", "t1", "学前教育员级及以上职称专任教师比例", "%", "预期性", corpus.KindTarget, 2020, 2025, 1.2, 25, ">"},
		{"liangjiang-2022", "t1", "义务教育巩固率", "%", "预期性", corpus.KindTarget, 2020, 2025, 112.4, 100, "="},
	}
	for _, w := range wants {
		t.Run(w.doc+"/"+w.indicator, func(t *testing.T) {
			d, err := c.Document(w.doc)
			if err != nil {
				t.Fatal(err)
			}
			var got *corpus.Target
			for _, tb := range d.Tables {
				if tb.ID != w.table {
					continue
				}
				for _, tg := range targets.TableTargets(d, tb, nil) {
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
	d := &corpus.Document{Meta: corpus.Meta{ID: "x", District: "某区"}}
	tb := &corpus.Table{
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
	got := targets.TableTargets(d, tb, map[string]*corpus.Unit{"x/t9.r1": {ID: "x/t9.r1", Text: "1 示范学校数 所 预期 12 3-5", Citation: "《x》表9第1行"}})
	if len(got) != 3 {
		t.Fatalf("%d targets, want 3", len(got))
	}
	r1, r2, r3 := got[0], got[1], got[2]
	if r1.Indicator != "示范学校数" || r1.Unit != "所" || r1.Attribute != "预期性" || r1.UnitID != "x/t9.r1" || r1.Citation != "《x》表9第1行" {
		t.Errorf("row 1 = %+v", r1)
	}
	if r1.Target.Comparator != corpus.CmpRange || !sameFloat(r1.Target.Value, fp(3)) || !sameFloat(r1.Target.Max, fp(5)) || r1.Target.Year != 2025 {
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
	if r3.Baseline.Value != nil || r3.Baseline.Unparsed || r3.Target.Comparator != corpus.CmpGE || !sameFloat(r3.Target.Value, fp(2)) {
		t.Errorf("row 3 = %+v %+v", r3.Baseline, r3.Target)
	}
	// A table without an indicator column or dated values is not an
	// indicator table.
	for _, other := range []*corpus.Table{
		{ID: "t3", Header: []string{"调整年份", "学校", "现有规模·班级规模"}, Rows: [][]string{{"2022", "某小学", "12"}}},
		{ID: "t5", Header: []string{"学校名称", "现有规模(2020)·班级规模", "调整后规模·2025年·教学班(个)"}, Rows: [][]string{{"某中学", "30", "36"}}},
	} {
		if got := targets.TableTargets(d, other, nil); got != nil {
			t.Errorf("%s: %d targets from a table that has no indicators", other.ID, len(got))
		}
	}
}

// handTarget is one prose target written by hand in prose.json.
type handTarget struct {
	DocID      string   `json:"doc_id"`
	UnitID     string   `json:"unit_id"`
	Indicator  string   `json:"indicator"`
	Comparator string   `json:"comparator"`
	Value      float64  `json:"value"`
	Max        *float64 `json:"max"`
	Unit       string   `json:"unit"`
	Year       int      `json:"year"`
}

func TestProseHandChecked(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", "targets", "prose.json"))
	if err != nil {
		t.Fatal(err)
	}
	var hand struct {
		Targets []handTarget `json:"targets"`
		Absent  []struct {
			DocID string `json:"doc_id"`
			Text  string `json:"text"`
		} `json:"absent"`
	}
	if err := json.Unmarshal(data, &hand); err != nil {
		t.Fatal(err)
	}
	if len(hand.Targets) < 20 {
		t.Fatalf("only %d hand-checked prose targets, want at least 20", len(hand.Targets))
	}
	c := seedCorpus(t)
	for _, h := range hand.Targets {
		t.Run(h.DocID+"/"+h.Indicator, func(t *testing.T) {
			d, err := c.Document(h.DocID)
			if err != nil {
				t.Fatal(err)
			}
			var candidates []string
			for _, tg := range d.Targets {
				if tg.Source != corpus.SourceText || tg.Indicator != h.Indicator {
					continue
				}
				if tg.UnitID == h.UnitID && tg.Target.Comparator == h.Comparator && sameFloat(tg.Target.Value, &h.Value) &&
					sameFloat(tg.Target.Max, h.Max) && tg.Unit == h.Unit && tg.Target.Year == h.Year {
					if !strings.Contains(corpus.Normalize(tg.Text), corpus.Normalize(tg.Target.Raw)) {
						t.Errorf("raw %q not in the source text %q", tg.Target.Raw, tg.Text)
					}
					return
				}
				candidates = append(candidates, tg.UnitID+" "+tg.Target.Comparator+" "+tg.Target.Raw+" "+tg.Unit)
			}
			t.Errorf("not extracted; same indicator found as %v", candidates)
		})
	}
	for _, a := range hand.Absent {
		d, err := c.Document(a.DocID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range d.Targets {
			if strings.Contains(corpus.Normalize(tg.Text), corpus.Normalize(a.Text)) {
				t.Errorf("%s: %q must not give a target, got %s %s %s", a.DocID, a.Text, tg.ID, tg.Indicator, tg.Target.Raw)
			}
		}
	}
}

// TestProseGolden is the full list of prose targets, reviewed as a diff.
func TestProseGolden(t *testing.T) {
	c := seedCorpus(t)
	var all []any
	for _, d := range c.Documents() {
		for _, tg := range d.Targets {
			if tg.Source != corpus.SourceText {
				continue
			}
			all = append(all, struct {
				ID         string   `json:"id"`
				Indicator  string   `json:"indicator"`
				Canonical  string   `json:"canonical"`
				Comparator string   `json:"comparator"`
				Value      *float64 `json:"value"`
				Max        *float64 `json:"max,omitempty"`
				Unit       string   `json:"unit"`
				Year       int      `json:"year"`
				Raw        string   `json:"raw"`
			}{tg.ID, tg.Indicator, tg.Canonical, tg.Target.Comparator, tg.Target.Value, tg.Target.Max, tg.Unit, tg.Target.Year, tg.Target.Raw})
		}
	}
	checkGolden(t, "prose_all.json", marshalLines(t, all))
}

// TestProseLiterals runs the prose extractor on sentences of the seeds.
func TestProseLiterals(t *testing.T) {
	type want struct {
		indicator, cmp string
		value          float64
		max            *float64
		unit           string
		year           int
	}
	tests := []struct {
		text string
		want []want
	}{
		{"——学前教育普及普惠发展。幼儿园安全办园、科学保教水平全面提高，二级及以上幼儿园达65%以上，学前三年毛入园率达93%以上。",
			[]want{{"二级及以上幼儿园", "≥", 65, nil, "%", 2025}, {"学前三年毛入园率", "≥", 93, nil, "%", 2025}}},
		{"到2025年，建成市、区级名师工作室15个以上，培养市、区级骨干教师800人以上。",
			[]want{{"市、区级名师工作室", "≥", 15, nil, "个", 2025}, {"市、区级骨干教师", "≥", 800, nil, "人", 2025}}},
		{"“顶尖名校”上线人数稳定在8~10人（含艺体生）。", []want{{"“顶尖名校”上线人数", "range", 8, fp(10), "人", 2025}}},
		{"力争到2023年，全区近视率控制在50%以内。", []want{{"全区近视率", "≤", 50, nil, "%", 2023}}},
		{"学前三年教育毛入园率超过99%，义务教育巩固率达到99.8%。",
			[]want{{"学前三年教育毛入园率", ">", 99, nil, "%", 2025}, {"义务教育巩固率", "=", 99.8, nil, "%", 2025}}},
		{"培育2所市级高水平高职学院和1所国家级优质中职学校。",
			[]want{{"市级高水平高职学院", "=", 2, nil, "所", 2025}, {"国家级优质中职学校", "=", 1, nil, "所", 2025}}},
		{"培育10所品牌幼儿园、15所品牌小学、3-5所品牌初中。",
			[]want{{"品牌幼儿园", "=", 10, nil, "所", 2025}, {"品牌小学", "=", 15, nil, "所", 2025}, {"品牌初中", "range", 3, fp(5), "所", 2025}}},
		{"在保持教育财政支出占公共财政支出的比例不低于20%的基础上不断提高占比。",
			[]want{{"教育财政支出占公共财政支出的比例", "≥", 20, nil, "%", 2025}}},
		{"力争实现儿童青少年总体近视率在2020年的基础上每年降低0.5个百分点以上。",
			[]want{{"儿童青少年总体近视率在2020年的基础上每年降低", "≥", 0.5, nil, "个百分点", 2025}}},
		{"**教育普及水平全国领先。**学前三年教育毛入园率达到 99 %。", []want{{"学前三年教育毛入园率", "=", 99, nil, "%", 2025}}},
		{"公办幼儿园、普惠性幼儿园在园幼儿占比达到80%、90%；",
			[]want{{"公办幼儿园在园幼儿占比", "=", 80, nil, "%", 2025}, {"普惠性幼儿园在园幼儿占比", "=", 90, nil, "%", 2025}}},
		{"A类比例与B类比例分别达到90%95%以上", []want{{"A类比例", "=", 90, nil, "%", 2025}, {"B类比例", "≥", 95, nil, "%", 2025}}},
		{"甲校、乙校、丙校覆盖率达到80%、90%", nil},
		{"新增公办幼儿园 188 班、小学 708 班，建成区达到20平方公里、院校20所。",
			[]want{{"新增公办幼儿园", "=", 188, nil, "班", 2025}, {"新增小学", "=", 708, nil, "班", 2025},
				{"建成区", "=", 20, nil, "平方公里", 2025}, {"院校", "=", 20, nil, "所", 2025}}},
		{"力争入选市级一流本科专业建设点20个左右", []want{{"市级一流本科专业建设点", "≈", 20, nil, "个", 2025}}},
	}
	d := &corpus.Document{Meta: corpus.Meta{ID: "x", District: "某区", Title: "某区教育事业发展“十四五”规划（2021—2025年）"}}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			u := &corpus.Unit{ID: "x/1", Type: corpus.TypeClause, Text: tt.text, Part: corpus.PartTasks, Citation: "《x》第1条"}
			got, _ := targets.ProseTargets(d, u, targets.PlanEndYear(d))
			if len(got) != len(tt.want) {
				var names []string
				for _, g := range got {
					names = append(names, g.Indicator+" "+g.Target.Raw)
				}
				t.Fatalf("%d targets %v, want %d", len(got), names, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Indicator != w.indicator || g.Target.Comparator != w.cmp || !sameFloat(g.Target.Value, &w.value) ||
					!sameFloat(g.Target.Max, w.max) || g.Unit != w.unit || g.Target.Year != w.year {
					t.Errorf("target %d = %q %s %v..%v %q %d, want %q %s %v..%v %q %d", i, g.Indicator, g.Target.Comparator,
						deref(g.Target.Value), deref(g.Target.Max), g.Unit, g.Target.Year, w.indicator, w.cmp, w.value, deref(w.max), w.unit, w.year)
				}
				if g.UnitID != "x/1" || g.Citation != "《x》第1条" || g.Source != corpus.SourceText || g.ID != "x/1#"+itoa(i+1) {
					t.Errorf("target %d provenance = %s %s %s %s", i, g.ID, g.UnitID, g.Citation, g.Source)
				}
			}
		})
	}
}

// TestProseRejects lists numbers that are not promises.
func TestProseRejects(t *testing.T) {
	texts := []string{
		"巫溪府发〔2022〕14号",
		"巫溪县人民政府 2022年3月31日",
		"巫溪县教育事业发展“十四五”规划（2021—2025年）",
		"1.加强组织领导。成立由区委书记任组长的领导小组。",
		"联系电话：023-51234567，传真 023-51234568。",
		"第3页 共25页",
		"2016－2020年，落实助学金5.53亿元，累计投入教育经费60.06亿元。",
		"落实土地出让金净收益10%用于教育的政策。",
		"按照不低于教师工资总额1.5%保障教师培训经费。",
		"实施教育信息化2.0行动计划，基于5G传输，打造升级平台 3.0 版本。",
		"建立“1+N”学生创新实践基地，开展4+1项目。",
		"落实3年培养周期，细化培养目标。",
		"2023年底前基本完成中小学领导体制调整。",
		"督政、督学、评估等8项制度。",
	}
	d := &corpus.Document{Meta: corpus.Meta{ID: "x", Title: "某区教育事业发展“十四五”规划（2021—2025年）"}}
	for _, text := range texts {
		u := &corpus.Unit{ID: "x/1", Type: corpus.TypeClause, Text: text, Part: corpus.PartTasks}
		got, _ := targets.ProseTargets(d, u, 2025)
		for _, g := range got {
			t.Errorf("%q gave target %q %s %s", text, g.Indicator, g.Target.Comparator, g.Target.Raw)
		}
	}
}

// TestTargetInvariants holds for every target of the seeds.
func TestTargetInvariants(t *testing.T) {
	c := seedCorpus(t)
	seen := map[string]bool{}
	for _, d := range c.Documents() {
		for _, tg := range d.Targets {
			if seen[tg.ID] {
				t.Errorf("duplicate target id %s", tg.ID)
			}
			seen[tg.ID] = true
			u, err := c.Unit(tg.UnitID)
			if err != nil {
				t.Errorf("%s: unit %s: %v", tg.ID, tg.UnitID, err)
				continue
			}
			if !strings.HasPrefix(tg.ID, tg.UnitID+"#") || tg.DocID != d.ID || tg.District != d.District || tg.Citation != u.Citation {
				t.Errorf("%s: provenance %s %s %s %s", tg.ID, tg.UnitID, tg.DocID, tg.District, tg.Citation)
			}
			if tg.Canonical == "" || tg.Indicator == "" || tg.Kind == "" {
				t.Errorf("%s: empty names %+v", tg.ID, tg)
			}
			if !strings.Contains(corpus.Normalize(u.Text), corpus.Normalize(tg.Text)) {
				t.Errorf("%s: text %q is not in its unit", tg.ID, tg.Text)
			}
			if tg.Source == corpus.SourceText {
				if u.Part == corpus.PartBasis {
					t.Errorf("%s: prose target from 发展基础", tg.ID)
				}
				if tg.Target.Value == nil || tg.Target.Raw == "" || !strings.Contains(corpus.Normalize(tg.Text), corpus.Normalize(tg.Target.Raw)) {
					t.Errorf("%s: raw %q not quoted from %q", tg.ID, tg.Target.Raw, tg.Text)
				}
				if tg.Unit == "年" && targets.IsYear(*tg.Target.Value) {
					t.Errorf("%s: a date taken for a target: %s", tg.ID, tg.Target.Raw)
				}
			}
			for _, p := range append([]corpus.Point{tg.Baseline, tg.Target}, tg.Interim...) {
				if p.Value == nil && p.Raw != "" && !p.Unparsed {
					t.Errorf("%s: value %q dropped without a flag", tg.ID, p.Raw)
				}
			}
		}
	}
}

func TestIndicatorGroups(t *testing.T) {
	g, err := targets.DefaultIndicatorGroups()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"学前三年入园率", "学前三年毛入园率"},
		{"学前三年毛入园率", "学前三年毛入园率"},
		{"学前三年教育毛入园率", "学前三年毛入园率"},
		{"学前教育·学前三年入园率（%）", "学前三年毛入园率"},
		{"九年义务教育巩固率", "九年义务教育巩固率"},
		{"义务教育巩固率", "九年义务教育巩固率"},
		{"高中阶段毛入学率", "高中阶段毛入学率"},
		{"高中阶段入学率", "高中阶段毛入学率"},
		{"高中教育阶段毛入学率", "高中阶段毛入学率"},
		{"“三残儿童”入学率", "残疾儿童义务教育入学率"},
		{"全县学生体质健康合格率", "学生体质健康合格率"},
		{"义务教育·其中：普通小学", "普通小学在校学生数"},
		{"高中阶段教育·中等职业教育", "中等职业教育在校学生数"},
		{"职业教育·在校学生数", "职业教育在校学生数"},
		{"學前三年毛入園率", "学前三年毛入园率"},
		// Unmatched names are their own canonical name, normalised.
		{"各镇（街道）残疾幼儿学前三年入园率", "各镇(街道)残疾幼儿学前三年入园率"},
		{"职业教育·院校占地面积", "职业教育·院校占地面积"},
		{"普通 小学", "普通小学在校学生数"},
	}
	for _, tt := range tests {
		if got := g.Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{
		`{`,
		`{"indicators":[{"canonical":""}]}`,
		`{"indicators":[{"canonical":"甲","variants":["丙"]},{"canonical":"乙","variants":["丙"]}]}`,
	} {
		if _, err := targets.ParseIndicatorGroups([]byte(bad)); corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("ParseIndicatorGroups(%s) error = %v, want EINVALID", bad, err)
		}
	}
}

// TestProseLongSentence guards against quadratic work: one sentence with
// many numbers and years keeps MaxPerUnit targets, each quoting at most
// MaxTextRunes characters around its number, and counts the rest.
func TestProseLongSentence(t *testing.T) {
	var b strings.Builder
	b.WriteString("到2025年")
	for i := 0; i < 20000; i++ {
		b.WriteString("、2024年建成示范学校10所")
	}
	d := &corpus.Document{Meta: corpus.Meta{ID: "x"}}
	u := &corpus.Unit{ID: "x/1", Type: corpus.TypeClause, Text: b.String(), Part: corpus.PartTasks}
	got, omitted := targets.ProseTargets(d, u, 2025)
	if len(got) != targets.MaxPerUnit || omitted != 20000-targets.MaxPerUnit {
		t.Fatalf("%d targets and %d omitted, want %d and %d", len(got), omitted, targets.MaxPerUnit, 20000-targets.MaxPerUnit)
	}
	if got[0].Target.Year != 2024 || *got[0].Target.Value != 10 || got[0].Indicator != "示范学校" {
		t.Errorf("first = %+v", got[0])
	}
	for _, g := range got {
		if n := utf8.RuneCountInString(g.Text); n > targets.MaxTextRunes || !strings.Contains(g.Text, "建成示范学校10所") {
			t.Fatalf("text of %s: %d characters %q", g.ID, n, g.Text)
		}
	}
	if !strings.HasPrefix(got[0].Text, "到2025年、2024年建成") || !strings.HasSuffix(got[0].Text, "…") {
		t.Errorf("first text %q: want the start of the sentence, cut with …", got[0].Text)
	}
	if last := got[len(got)-1].Text; !strings.HasPrefix(last, "…") || !strings.HasSuffix(last, "…") {
		t.Errorf("last text %q: want an excerpt cut on both sides", last)
	}
}

// TestExtractLimits: a document repeating one promise on one line gives at
// most MaxPerUnit targets per unit and MaxPerDocument in all, and counts
// the rest in TargetsOmitted.
func TestExtractLimits(t *testing.T) {
	const perUnit = 3 * targets.MaxPerUnit
	units := 2*targets.MaxPerDocument/targets.MaxPerUnit + 1
	d := &corpus.Document{Meta: corpus.Meta{ID: "x"}}
	for i := range units {
		u := &corpus.Unit{ID: "x/" + itoa(i+1), Type: corpus.TypeClause, Part: corpus.PartTasks,
			Text: strings.Repeat("学前三年毛入园率达到95%，", perUnit)}
		d.Units = append(d.Units, u)
	}
	got := targets.Extract(d, nil)
	if len(got) != targets.MaxPerDocument {
		t.Errorf("%d targets, want %d", len(got), targets.MaxPerDocument)
	}
	if want := units*perUnit - targets.MaxPerDocument; d.TargetsOmitted != want {
		t.Errorf("TargetsOmitted = %d, want %d", d.TargetsOmitted, want)
	}
	for _, g := range got {
		if g.Indicator != "学前三年毛入园率" || *g.Target.Value != 95 {
			t.Fatalf("target %+v", g)
		}
	}
}

// TestIsPast compares isPast with the pastMarks regexp on sentences of the
// seed corpus and on edge cases.
func TestIsPast(t *testing.T) {
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	cases := []string{"", "年", "2020年", "比2020年", "较1999年提高", "比 2020年", "2020年底全区有", "2020年末，全县共有学校",
		"2020年全市有", "1899年有", "20205年有", "x2020年有", "十三五期间", "十三五”时期", "十三五规划", "累计", "已达到",
		"到2025年，全区共有", "2021年，有", "2020年初有", "2020年底，，有", "已", "以来", "比2020年", "比20２0年"}
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			for _, s := range strings.FieldsFunc(u.Text, func(r rune) bool { return strings.ContainsRune("。；;！？!?\n", r) }) {
				cases = append(cases, s)
			}
		}
	}
	past := 0
	for _, s := range cases {
		want := targets.PastMarks.MatchString(s)
		if got := targets.IsPast(s); got != want {
			t.Errorf("isPast(%q) = %v, pastMarks %v", s, got, want)
		}
		if want {
			past++
		}
	}
	if past < 20 {
		t.Errorf("only %d of %d sentences mark the past: the comparison tests little", past, len(cases))
	}
}

// TestSentenceEnd compares the byte scan of sentenceEnd with splitting
// rune by rune on sentenceSeps, over seed texts and invalid UTF-8.
func TestSentenceEnd(t *testing.T) {
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"", "。", "a;b!c?d\ne", "一。二；三！四？五", "\xe3\x80。\xef\xbc；\xe3。", "\xff；\xe4\xe3\x80\x82x", "全角？半角?"}
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			texts = append(texts, u.Text)
		}
	}
	for _, text := range texts {
		var want, got []string
		start := 0
		for i, r := range text {
			if strings.ContainsRune(targets.SentenceSeps, r) {
				want = append(want, text[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
		if start < len(text) {
			want = append(want, text[start:])
		}
		for start := 0; start < len(text); {
			end, next := targets.SentenceEnd(text, start)
			got = append(got, text[start:end])
			start = next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: got %q, want %q", text, got, want)
		}
	}
}

// TestHasDigit compares hasDigit, which reads bytes, with decoding the
// runes: ASCII and full-width digits, their neighbours, invalid and
// truncated UTF-8, and random byte strings built from those pieces.
func TestHasDigit(t *testing.T) {
	byRunes := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' })
	}
	cases := []string{"", "无", "0", "9", "/", ":", "０", "９", "\uff0f", "\uff1a", "达到95%", "达到９５％",
		"\xef\xbc", "\xef\xbc\x90", "\xef\xbc\x8f", "\xef\xbc\x9a", "\xf0\xef\xbc\x90", "\xef\xef\xbc\x99", "𠀋", "\xff", "ｐ", "\xef\xbd\x99"}
	pieces := []string{"a", "无", "1", "\xef", "\xbc", "\xbd", "\x90", "\x99", "\x9a", "\x8f", "\xf0", "\x80", "．"}
	for i := range 20000 {
		var b strings.Builder
		for k := range 1 + i%7 {
			b.WriteString(pieces[(i*31+k*17+i/7)%len(pieces)])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := targets.HasDigit(s), byRunes(s); got != want {
			t.Errorf("hasDigit(%q) = %v, decoding the runes %v", s, got, want)
		}
	}
}
