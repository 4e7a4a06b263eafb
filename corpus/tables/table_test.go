package tables

import (
	"encoding/json"
	"flag"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// update rewrites golden files under testdata/ instead of comparing them:
// go test ./corpus/tables -run TestTables -update
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// seedLines returns the lines of an embedded seed document, split exactly
// as the parser splits them (no "\n", nothing stripped).
func seedLines(t testing.TB, id string) []string {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), "seeds/"+id+".txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

// seedIDs lists the embedded seed documents.
func seedIDs(t testing.TB) []string {
	t.Helper()
	files, err := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		ids = append(ids, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	return ids
}

// walkTables finds the tables of a document the way the parser does: call
// Find at each line, continue after every table found, and make
// repeated ids unique in document order (t1, t1-2, t1-3).
func walkTables(lines []string) []Span {
	var out []Span
	used := map[string]bool{}
	for i := 0; i < len(lines); {
		sp, ok := Find(lines, i)
		if !ok {
			i++
			continue
		}
		id := sp.ID
		for n := 2; used[id]; n++ {
			id = sp.ID + "-" + strconv.Itoa(n)
		}
		used[id] = true
		sp.ID, sp.Table.ID = id, id
		out = append(out, sp)
		i = max(sp.End, i+1)
	}
	return out
}

// goldenTable is the reviewed form of one reconstructed table.
type goldenTable struct {
	ID      string     `json:"id"`
	Caption string     `json:"caption"`
	Lines   string     `json:"lines"` // 1-based source lines: caption..header, rows, end
	Shape   string     `json:"shape"` // rows × columns
	Header  []string   `json:"header"`
	Rows    [][]string `json:"rows"`
	RowSpan [][2]int   `json:"row_lines"` // 1-based first and last source line of each row
}

func toGolden(sp Span) goldenTable {
	g := goldenTable{
		ID:      sp.ID,
		Caption: sp.Caption,
		Lines:   lineRange(sp.Start, sp.HeadEnd) + " / " + lineRange(sp.Start, sp.End),
		Shape:   itoa(len(sp.Table.Rows)) + "×" + itoa(len(sp.Table.Header)),
		Header:  sp.Table.Header,
		Rows:    sp.Table.Rows,
	}
	for _, r := range sp.Rows {
		g.RowSpan = append(g.RowSpan, [2]int{r.Start + 1, r.End})
	}
	return g
}

func lineRange(start, end int) string { return itoa(start+1) + "-" + itoa(end) }

func itoa(n int) string { return strconv.Itoa(n) }

// TestTables reconstructs every table of every seed document and compares
// it with testdata/golden/tables/{doc}.json.
func TestTables(t *testing.T) {
	for _, id := range seedIDs(t) {
		t.Run(id, func(t *testing.T) {
			spans := walkTables(seedLines(t, id))
			got := []goldenTable{}
			for _, sp := range spans {
				got = append(got, toGolden(sp))
			}
			data, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, '\n')
			path := filepath.Join("..", "..", "testdata", "golden", "tables", id+".json")
			checkGoldenFile(t, path, data)
		})
	}
}

// checkSpan verifies the invariants every span must satisfy: bounds,
// ordering, exact coverage of the non-blank lines of [Start, End) by the
// head range and the row spans, and one row of len(Header) cells per span.
func checkSpan(t *testing.T, lines []string, i int, sp Span) {
	t.Helper()
	if sp.Table == nil {
		t.Fatalf("table at line %d has no Table", i+1)
	}
	if sp.Start != i {
		t.Errorf("%s: Start = %d, want the line Find was called at (%d)", sp.ID, sp.Start, i)
	}
	if !(sp.Start < sp.HeadEnd && sp.HeadEnd <= sp.End && sp.End <= len(lines)) {
		t.Fatalf("%s: bad bounds Start=%d HeadEnd=%d End=%d len=%d", sp.ID, sp.Start, sp.HeadEnd, sp.End, len(lines))
	}
	if tableBlank(lines[sp.Start]) {
		t.Errorf("%s: table starts at a blank line %d", sp.ID, sp.Start+1)
	}
	if sp.ID == "" || sp.ID != sp.Table.ID || sp.Caption != sp.Table.Caption {
		t.Errorf("span id/caption %q/%q differ from table %q/%q", sp.ID, sp.Caption, sp.Table.ID, sp.Table.Caption)
	}
	if len(sp.Rows) == 0 || len(sp.Rows) != len(sp.Table.Rows) {
		t.Fatalf("%s: %d row spans for %d rows", sp.ID, len(sp.Rows), len(sp.Table.Rows))
	}
	owner := make([]int, sp.End-sp.Start) // 0 none, 1 head, 2+r row r
	for k := sp.Start; k < sp.HeadEnd; k++ {
		owner[k-sp.Start] = 1
	}
	prevEnd := sp.HeadEnd
	for r, rs := range sp.Rows {
		if rs.Start < prevEnd || rs.End <= rs.Start || rs.End > sp.End {
			t.Fatalf("%s: row %d span [%d,%d) out of order (previous end %d, table end %d)", sp.ID, r+1, rs.Start, rs.End, prevEnd, sp.End)
		}
		for k := rs.Start; k < rs.End; k++ {
			owner[k-sp.Start] = 2 + r
		}
		prevEnd = rs.End
		if tableBlank(lines[rs.Start]) || tableBlank(lines[rs.End-1]) {
			t.Errorf("%s: row %d span [%d,%d) starts or ends at a blank line", sp.ID, r+1, rs.Start+1, rs.End)
		}
	}
	if sp.Rows[len(sp.Rows)-1].End != sp.End {
		t.Errorf("%s: End %d is not the end of the last row %d", sp.ID, sp.End, sp.Rows[len(sp.Rows)-1].End)
	}
	for k := sp.Start; k < sp.End; k++ {
		if owner[k-sp.Start] == 0 && !tableBlank(lines[k]) {
			t.Errorf("%s: content line %d %q belongs to no unit", sp.ID, k+1, lines[k])
		}
	}
	for r, row := range sp.Table.Rows {
		if len(row) != len(sp.Table.Header) {
			t.Errorf("%s: row %d has %d cells, header has %d", sp.ID, r+1, len(row), len(sp.Table.Header))
		}
	}
	for c, h := range sp.Table.Header {
		if h == "" {
			t.Errorf("%s: column %d has no label", sp.ID, c+1)
		}
	}
}

// TestTableSpans checks the span invariants of every seed table, and that
// the cells of each row are exactly the text of its source lines: nothing
// is dropped, invented or misplaced (a filled merged cell and a repeated
// header given to the next row are the two documented exceptions).
func TestTableSpans(t *testing.T) {
	total := 0
	for _, id := range seedIDs(t) {
		lines := seedLines(t, id)
		for _, sp := range walkTables(lines) {
			total++
			t.Run(id+"/"+sp.ID, func(t *testing.T) {
				checkSpan(t, lines, sp.Start, sp)
				for r, rs := range sp.Rows {
					raw := squeezeSpace(strings.ReplaceAll(strings.Join(lines[rs.Start:rs.End], ""), "\t", ""))
					row := sp.Table.Rows[r]
					all := squeezeSpace(strings.Join(row, ""))
					rest := squeezeSpace(strings.Join(row[1:], ""))
					if !strings.HasSuffix(raw, all) && !(r > 0 && row[0] == sp.Table.Rows[r-1][0] && strings.HasSuffix(raw, rest)) {
						t.Errorf("row %d cells %q do not match source lines %d-%d %q", r+1, row, rs.Start+1, rs.End, raw)
					}
					headerCopy := strings.HasPrefix(squeezeSpace(lines[rs.Start]), squeezeSpace(sp.Table.Header[0]))
					if raw != all && raw != rest && !headerCopy {
						t.Errorf("row %d source lines %d-%d hold text outside the cells: %q vs %q", r+1, rs.Start+1, rs.End, raw, all)
					}
				}
			})
		}
	}
	// yongchuan t1 t2 tx, wuxi t1–t6 box4, shapingba box1, liangjiang t1.
	if total != 12 {
		t.Errorf("found %d tables in the seeds, want 12", total)
	}
}

// seedTables maps doc id → table id → reconstructed table of every seed.
func seedTables(t *testing.T) map[string]map[string]*corpus.Table {
	t.Helper()
	out := map[string]map[string]*corpus.Table{}
	for _, doc := range seedIDs(t) {
		out[doc] = map[string]*corpus.Table{}
		for _, sp := range walkTables(seedLines(t, doc)) {
			out[doc][sp.ID] = sp.Table
		}
	}
	return out
}

// seedTable returns the table with the given id in a seed document.
func seedTable(t *testing.T, all map[string]map[string]*corpus.Table, doc, id string) *corpus.Table {
	t.Helper()
	tb := all[doc][id]
	if tb == nil {
		t.Fatalf("%s has no table %s", doc, id)
	}
	return tb
}

// cell returns the cell in column col of the first row whose column key
// equals value.
func cell(t *testing.T, tb *corpus.Table, key, value, col string) string {
	t.Helper()
	k, c := column(t, tb, key), column(t, tb, col)
	for _, r := range tb.Rows {
		if r[k] == value {
			return r[c]
		}
	}
	t.Fatalf("table %s has no row with %s = %q", tb.ID, key, value)
	return ""
}

func column(t *testing.T, tb *corpus.Table, label string) int {
	t.Helper()
	for x, h := range tb.Header {
		if h == label {
			return x
		}
	}
	t.Fatalf("table %s has no column %q; header %q", tb.ID, label, tb.Header)
	return -1
}

// TestTableValues spot-checks reconstructed tables by value against the
// source text: shapes, headers, filled merged cells, joined continuation
// lines, values kept as written.
func TestTableValues(t *testing.T) {
	all := seedTables(t)
	shapes := []struct {
		doc, id, caption string
		rows, cols       int
	}{
		{"yongchuan-2022", "t1", "表1  永川区教育事业“十三五”主要成就表", 14, 5},
		{"yongchuan-2022", "t2", "表2  永川区教育事业“十四五”主要目标表", 16, 6},
		{"yongchuan-2022", "tx", "重庆市永川区教育事业发展“十四五”建设项目表", 37, 12},
		{"wuxi-2022", "t1", "表1 教育事业发展“十三五”规划主要目标实现情况", 10, 5},
		{"wuxi-2022", "t2", "表2巫溪县教育事业“十四五”主要目标表", 16, 7},
		{"wuxi-2022", "t3", "表3  巫溪县幼儿园调整目标", 35, 7},
		{"wuxi-2022", "t4", "表4 巫溪县义务教育阶段学校调整目标", 16, 7},
		{"wuxi-2022", "t5", "表5巫溪县普通高中学校调整目标", 6, 7},
		{"wuxi-2022", "t6", "表6巫溪县职业高中学校调整目标", 2, 7},
		{"wuxi-2022", "box4", "专栏4  巫溪县“十四五”规划重大项目详表", 19, 11},
		{"shapingba-2021", "box1", "专栏 1：沙坪坝区“十四五”教育事业发展规划主要指标", 17, 4},
		{"liangjiang-2022", "t1", "1 两江新区教育发展和人力资源开发主要指标", 10, 6},
	}
	for _, s := range shapes {
		t.Run("shape/"+s.doc+"/"+s.id, func(t *testing.T) {
			tb := seedTable(t, all, s.doc, s.id)
			if tb.Caption != s.caption {
				t.Errorf("caption %q, want %q", tb.Caption, s.caption)
			}
			if len(tb.Rows) != s.rows || len(tb.Header) != s.cols {
				t.Errorf("%d×%d, want %d×%d", len(tb.Rows), len(tb.Header), s.rows, s.cols)
			}
		})
	}

	values := []struct {
		name, doc, id   string
		key, value, col string
		want            string
	}{
		{"merged 分类 filled", "yongchuan-2022", "t1", "指标", "学前三年入园率（%）", "分类", "学前教育"},
		{"value", "yongchuan-2022", "t1", "指标", "学前三年入园率（%）", "2015年", "95.03"},
		{"cell over a blank line", "yongchuan-2022", "t1", "指标", "院校占地面积（亩）", "分类", "职业教育"},
		{"header over a blank line", "yongchuan-2022", "t1", "指标", "普通初中", "“十三五”变化情况", "1.43"},
		{"negative kept", "yongchuan-2022", "t2", "指标", "普通初中", "“十四五”变化情况", "-0.72"},
		{"attribute", "yongchuan-2022", "t2", "指标", "九年义务教育巩固率（%）", "属性", "约束性"},
		{"one-row category", "yongchuan-2022", "t2", "指标", "新增劳动力平均受教育年限（年）", "分类", "人力资源开发水平"},
		{"project header joined", "yongchuan-2022", "tx", "序号", "34", "项目性质", "规划中"},
		{"project subtotal", "yongchuan-2022", "tx", "序号", "（一）", "总投资", "367100"},
		{"project remark", "yongchuan-2022", "tx", "序号", "21", "备注", "高铁南站片区"},
		{"em-dash negative kept as written", "wuxi-2022", "t1", "指标", "其中：普通小学", "“十三五”变化情况", "—0.0322"},
		{"category over three lines", "wuxi-2022", "t1", "指标", "中等职业教育", "分类", "高中阶段教育"},
		{"comparator kept", "wuxi-2022", "t2", "主要指标", "学前三年毛入园率（%）", "2025年", "＞93.0"},
		{"attribute 预期", "wuxi-2022", "t2", "主要指标", "财政教育支出占公共财政支出比例（%）", "属性", "预期"},
		{"two-row header", "wuxi-2022", "t3", "学校", "凤凰幼儿园", "现有规模·学生容量", "360"},
		{"year filled", "wuxi-2022", "t3", "学校", "徐家幼儿园", "调整年份", "2021年"},
		{"empty cell stays empty", "wuxi-2022", "t3", "学校", "古路小学幼儿园", "现有规模·班级规模", ""},
		{"year filled (digits)", "wuxi-2022", "t4", "学校", "塘坊小学", "调整年份", "2023"},
		{"three-row header", "wuxi-2022", "t5", "学校名称", "合计", "调整后规模·2025年·学生容量(人)", "12300"},
		{"caption on a TAB line", "wuxi-2022", "t6", "学校名称", "职教中心", "现有规模(2020)·学生(人)", "3093"},
		{"project 概况 subheader", "wuxi-2022", "box4", "项目编号", "1", "项目概况·建设地址", "宁河街道、柏杨街道、凤凰镇"},
		{"years over five lines", "wuxi-2022", "box4", "项目编号", "1", "项目概况·建设年限", "2024—2027"},
		{"★ column not filled", "wuxi-2022", "box4", "项目编号", "1", "★代表“十四五”期间完工项目", ""},
		{"★ column", "wuxi-2022", "box4", "项目编号", "2", "★代表“十四五”期间完工项目", "★"},
		{"second half", "shapingba-2021", "box1", "序号", "16", "指标值·十三五完成指标", "45 万人次"},
		{"second half target", "shapingba-2021", "box1", "序号", "17", "指标值·十四五预期指标", "≥90%"},
		{"first half", "shapingba-2021", "box1", "指标", "学前三年毛入园率", "指标值·十四五预期指标", "99%"},
		{"restored 指标 column", "liangjiang-2022", "t1", "序号", "1", "指标", "学前三年毛入园率"},
		{"unit", "liangjiang-2022", "t1", "序号", "1", "单位", "%"},
		{"attribute", "liangjiang-2022", "t1", "序号", "1", "属性", "预期性"},
		{"baseline", "liangjiang-2022", "t1", "序号", "1", "2020", "100"},
		{"target", "liangjiang-2022", "t1", "序号", "1", "2025", "100"},
		{"last row", "liangjiang-2022", "t1", "序号", "10", "2025", "40"},
		{"comparator", "liangjiang-2022", "t1", "序号", "8", "2025", ">25"},
	}
	for _, v := range values {
		t.Run(v.doc+"/"+v.id+"/"+v.name, func(t *testing.T) {
			tb := seedTable(t, all, v.doc, v.id)
			if got := cell(t, tb, v.key, v.value, v.col); got != v.want {
				t.Errorf("row %s=%s column %s = %q, want %q", v.key, v.value, v.col, got, v.want)
			}
		})
	}
}

// TestFindTableRejects lists text that is not a table: Find must
// return false at every line.
func TestFindTableRejects(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
	}{
		{"running text mentioning 表", []string{"表2显示，全区学前三年毛入园率达到99%，详见下表。", "", "如专栏1所示，各项目按计划推进。", "代表委员表示支持。"}},
		{"caption without table", []string{"表1  永川区教育事业“十三五”主要成就表", "", "", "", "", "正文段落。"}},
		{"专栏 list of items", []string{"专栏1  基础教育重点项目", "", "", "1.新建：凤凰湖萱花中学、子庄中学等中小学。", "", "2.改扩建：文理附中学生食宿楼。"}},
		{"专栏 list of 项目 items", []string{"专栏1:学生综合素质提升工程", "", "项目1构建全面立德树人的体制机制。", "", "项目2:思政课建设提升计划。"}},
		{"TAB text box", []string{"⇥专栏3 全面推动教育质量高水平发展", "", "全面落实立德树人根本任务，建立幼小中一体化德育工作体系。", ""}},
		{"table of contents", []string{"# 目 录", "", "一、发展基础与发展环境.....⇥1", "(一)“十三五”主要成就.....⇥1", "二、总体要求.....⇥6", "三、主要任务.....⇥12"}},
		{"header only", []string{"表3 调整目标", "⇥学校", "⇥规模", "", "第二节 其他"}},
		{"single column", []string{"表4 名单", "⇥甲", "", "⇥乙", "", "⇥丙"}},
		{"numbered list item", []string{"1 加强组织领导", "", "序号", "", "说明文字。"}},
		{"sequence that stops at 1", []string{"1 主要指标", "", "序号", "单位", "1", "学前", "%"}},
		{"only blank and TAB lines", []string{"", "⇥", "⇥⇥", "", "\t \t"}},
		{"empty", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := tabs(c.lines)
			for i := range lines {
				if sp, ok := Find(lines, i); ok {
					t.Errorf("line %d %q: found table %s %q", i+1, lines[i], sp.ID, sp.Table.Rows)
				}
			}
			if _, ok := Find(lines, len(lines)); ok {
				t.Error("found a table past the end")
			}
			if _, ok := Find(lines, -1); ok {
				t.Error("found a table before the start")
			}
		})
	}
}

// tabs turns the ⇥ used in test literals into TABs.
func tabs(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(l, "⇥", "\t")
	}
	return out
}

// TestFindTableDamaged feeds damaged tables: Find must return a sane
// table (invariants of checkSpan) or false, never panic.
func TestFindTableDamaged(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		rows  int // expected rows, -1 when no table is expected
		cols  int
	}{
		{"truncated at end of file", []string{"表1 主要指标", "⇥分类", "⇥指标", "⇥2020年", "", "⇥学前", "⇥入园率", "⇥95", "", "⇥", "⇥巩固率"}, 2, 3},
		{"truncated inside a continuation", []string{"表1 主要指标", "⇥分类", "⇥指标", "", "⇥学前", "⇥入园率", "", "⇥义务", "教育"}, 2, 2},
		{"ragged rows", []string{"表2 目标", "⇥a", "⇥b", "⇥c", "", "⇥1", "⇥2", "⇥3", "", "⇥4", "⇥5", "", "⇥6", "⇥7", "⇥8", "⇥9", "", "⇥10", "⇥11", "⇥12"}, 4, 3},
		{"two rows without blank line", []string{"表2 目标", "⇥a", "⇥b", "", "⇥1", "⇥2", "⇥3", "⇥4", "", "⇥5", "⇥6"}, 3, 2},
		{"header longer than rows", []string{"表2 目标", "⇥a", "⇥b", "⇥c", "⇥d", "", "⇥1", "⇥2", "", "⇥3", "⇥4"}, 2, 4},
		{"rows without blank lines, 序号 sequence", []string{"表3 指标", "⇥序号", "⇥指标", "⇥目标", "⇥1", "⇥甲", "⇥99%", "⇥2", "⇥乙", "⇥95%", "⇥3", "⇥丙", "⇥90%"}, 3, 3},
		{"header and one block of rows", []string{"表3 指标", "⇥指标", "⇥目标", "", "⇥甲", "⇥99%", "⇥乙", "⇥95%", "⇥丙", "⇥90%"}, 3, 2},
		{"shape B ragged", []string{"专栏2 指标", "序号⇥指标⇥值", "1⇥甲", "2⇥乙⇥3⇥多余", "3⇥丙⇥4"}, 3, 3},
		{"shape B header copy at the end", []string{"专栏2 指标", "序号⇥指标⇥值", "1⇥甲⇥1", "2⇥乙⇥2", "", "序号⇥指标⇥值"}, 2, 3},
		{"shape C truncated", []string{"1 主要指标", "", "序号", "单位", "1", "甲", "%", "2", "乙", "%", "3", "丙"}, 2, 3},
		{"shape C followed by heading", []string{"2 主要指标", "序号", "单位", "2020", "1", "甲", "%", "1", "2", "乙", "%", "2", "3", "第二章 任务"}, 2, 4},
		{"uncaptioned", []string{"正文段落，说明以下数据。", "", "⇥年份", "⇥人数", "", "⇥2020", "⇥5"}, -1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := tabs(c.lines)
			spans := walkTables(lines)
			for _, sp := range spans {
				checkSpan(t, lines, sp.Start, sp)
			}
			if c.rows < 0 {
				return
			}
			if len(spans) != 1 {
				t.Fatalf("found %d tables, want 1", len(spans))
			}
			tb := spans[0].Table
			if len(tb.Rows) != c.rows || len(tb.Header) != c.cols {
				t.Errorf("%d×%d %q %q, want %d×%d", len(tb.Rows), len(tb.Header), tb.Header, tb.Rows, c.rows, c.cols)
			}
		})
	}
}

// TestTableIDs checks caption numbering: 表N → tN, 专栏N → boxN, a second
// table with the same number → tN-2, deterministic across calls.
func TestTableIDs(t *testing.T) {
	lines := tabs([]string{
		"表1 甲", "⇥a", "⇥b", "", "⇥1", "⇥2", "",
		"正文。", "",
		"专栏 3：乙", "⇥a", "⇥b", "", "⇥1", "⇥2", "",
		"**表1 丙**", "⇥a", "⇥b", "", "⇥1", "⇥2", "",
		"附表 一览表", "⇥a", "⇥b", "", "⇥1", "⇥2", "",
		"表1 丁", "⇥a", "⇥b", "", "⇥1", "⇥2",
	})
	// Find itself returns the caption-derived id; walkTables, like the
	// parser, makes repeated ids unique in document order.
	var raw []string
	for i := 0; i < len(lines); i++ {
		if sp, ok := Find(lines, i); ok {
			raw = append(raw, sp.ID)
			i = sp.End - 1
		}
	}
	if strings.Join(raw, " ") != "t1 box3 t1 tx t1" {
		t.Errorf("Find ids %q, want the caption numbers t1 box3 t1 tx t1", raw)
	}
	want := []string{"t1", "box3", "t1-2", "tx", "t1-3"}
	for round := 0; round < 2; round++ {
		var got []string
		for _, sp := range walkTables(lines) {
			checkSpan(t, lines, sp.Start, sp)
			got = append(got, sp.ID)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("round %d: ids %q, want %q", round, got, want)
		}
	}
	if sp, ok := Find(lines, 16); !ok || sp.Caption != "表1 丙" {
		t.Errorf("caption with markdown bold: %q, %v", sp.Caption, ok)
	}
}

// TestFindTableCaptions covers caption forms beyond the seeds: Chinese
// numerals, 附表, a unit note between caption and table, and a numbered
// caption whose table is in shape C.
func TestFindTableCaptions(t *testing.T) {
	cases := []struct {
		name    string
		lines   []string
		id      string
		caption string
		headEnd int
		rows    int
	}{
		{"chinese numeral", []string{"表一 主要指标", "⇥指标", "⇥值", "", "⇥入园率", "⇥99%"}, "t1", "表一 主要指标", 3, 1},
		{"chinese numeral 十二", []string{"专栏十二：重点项目", "⇥项目", "⇥投资", "", "⇥甲", "⇥1"}, "box12", "专栏十二：重点项目", 3, 1},
		{"附表", []string{"附表3 项目表", "", "⇥项目", "⇥投资", "", "⇥甲", "⇥1", "", "⇥乙", "⇥2"}, "t3", "附表3 项目表", 4, 2},
		{"unit note", []string{"表2 学生数", "单位：万人", "", "⇥学段", "⇥2020年", "", "⇥小学", "⇥3.3"}, "t2", "表2 学生数", 5, 1},
		{"parenthesised note", []string{"表2 学生数", "（截至2020年底）", "⇥学段", "⇥2020年", "", "⇥小学", "⇥3.3"}, "t2", "表2 学生数", 4, 1},
		{"markdown pipe table", []string{"表8 指标", "", "| 序号 | 指标 | 2025年 |", "|---|:---:|---|", "| 1 | **入园率** | 99% |", "| 2 | 巩固率 | ≥96% |", "", "正文。"}, "t8", "表8 指标", 4, 2},
		{"numbered shape C", []string{"表7 主要指标", "序号", "指标", "目标", "1", "甲", "99%", "2", "乙", "≥90%"}, "t7", "表7 主要指标", 4, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := tabs(c.lines)
			sp, ok := Find(lines, 0)
			if !ok {
				t.Fatal("no table")
			}
			checkSpan(t, lines, 0, sp)
			if sp.ID != c.id || sp.Caption != c.caption || sp.HeadEnd != c.headEnd || len(sp.Rows) != c.rows {
				t.Errorf("got %s %q head to %d, %d rows; want %s %q head to %d, %d rows", sp.ID, sp.Caption, sp.HeadEnd, len(sp.Rows), c.id, c.caption, c.headEnd, c.rows)
			}
		})
	}
	md := []string{"| 指标 | 值 |", "| --- | --- |", "| 入园率 | 99% |"}
	if sp, ok := Find(md, 0); !ok || sp.ID != "tx" || sp.Table.Rows[0][1] != "99%" || sp.HeadEnd != 2 {
		t.Errorf("uncaptioned markdown table: %+v %v", sp, ok)
	}
	if _, ok := Find([]string{"| 不是表格 |", "正文"}, 0); ok {
		t.Error("a line between pipes taken for a table")
	}
	// A heading such as （一） is never a note.
	if _, ok := Find(tabs([]string{"表2 学生数", "（一）", "⇥学段", "⇥2020年", "", "⇥小学", "⇥3.3"}), 0); ok {
		t.Error("（一） taken for a caption note")
	}
}

// FuzzFindTable calls Find at every line of random text: it must
// never panic, and every table it returns satisfies the span invariants.
func FuzzFindTable(f *testing.F) {
	for _, id := range []string{"yongchuan-2022", "wuxi-2022", "shapingba-2021", "liangjiang-2022"} {
		lines := seedLines(f, id)
		for _, sp := range walkTables(lines) {
			f.Add(strings.Join(lines[max(0, sp.Start-2):min(len(lines), sp.Start+40)], "\n"))
		}
	}
	f.Add("表1 x\n\t分类\n\n\t\n教育\n\t1")
	f.Add("1 主要指标\n序号\n单位\n1\n甲\n%\n2\n乙")
	f.Add("表8 指标\n| 序号 | 指标 |\n|---|---|\n| 1 | 甲 |\n| 2 |")
	f.Add("0000\t00\n\t0000\n\t0000\n\t00000\t\t") // shape B cells of one line are never split into rows
	f.Add("0 x\n序号\n名称\n1\n甲\n\t\n2\n乙\n3\n丙")     // a TAB line is never skipped as blank by shape C
	f.Add("表1 x\n序号\n\t\n名称\n1\n甲\n2\n乙")          // nor between its labels
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		for i := range lines {
			sp, ok := Find(lines, i)
			if ok {
				checkSpan(t, lines, i, sp)
			}
		}
	})
}

// BenchmarkFindTable walks the largest seed documents the way the parser
// does, calling Find at every line outside tables.
func BenchmarkFindTable(b *testing.B) {
	docs := [][]string{seedLines(b, "yongchuan-2022"), seedLines(b, "wuxi-2022")}
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			walkTables(d)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
}
