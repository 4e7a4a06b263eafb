package targets

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// column roles of an indicator table.
const (
	colOther = iota
	colSeq
	colCategory
	colIndicator
	colUnit
	colAttribute
	colChange
	colYear
)

type tableColumn struct {
	role int
	year int
}

var (
	yearHeader    = regexp.MustCompile(`(?:19|20)\d{2}`)
	unitInParens  = regexp.MustCompile(`[（(]([^（）()]{1,8})[)）]\s*$`)
	resultCaption = regexp.MustCompile(`成就|实现情况|完成情况`)
)

// classifyColumns assigns a role to each column of t from its header, and
// reports whether t is an indicator table: one indicator column and at least
// two dated value columns.
func classifyColumns(t *corpus.Table) ([]tableColumn, bool) {
	cols := make([]tableColumn, len(t.Header))
	indicator, years := -1, 0
	for i, h := range t.Header {
		n := corpus.Normalize(h)
		switch {
		case n == "":
		case strings.Contains(n, "序号"):
			cols[i].role = colSeq
			// The second half of a split table may repeat 序号 over a
			// value column (沙坪坝区 专栏1): a year keyword wins.
			if y := headerYear(n); y != 0 {
				cols[i] = tableColumn{role: colYear, year: y}
				years++
			}
		case strings.Contains(n, "分类") || strings.Contains(n, "类别"):
			cols[i].role = colCategory
		case strings.Contains(n, "变化"):
			cols[i].role = colChange
		case strings.Contains(n, "属性"):
			cols[i].role = colAttribute
		case n == "单位" || n == "计量单位":
			cols[i].role = colUnit
		case headerYear(n) != 0:
			cols[i] = tableColumn{role: colYear, year: headerYear(n)}
			years++
		case strings.Contains(n, "指标") && indicator < 0:
			cols[i].role = colIndicator
			indicator = i
		}
	}
	labelled := false
	for _, c := range cols {
		labelled = labelled || c.role == colUnit || c.role == colAttribute
	}
	if indicator < 0 && years >= 2 && labelled {
		// A header that lost its indicator label (两江新区 表1): the
		// first unlabelled column whose cells are mostly text.
		for i := range cols {
			if cols[i].role == colOther && textColumn(t, i) {
				cols[i].role = colIndicator
				indicator = i
				break
			}
		}
	}
	return cols, indicator >= 0 && years >= 2
}

// headerYear returns the year a value column stands for: 2025年, 2020,
// "十三五完成指标" (2020) or "十四五预期指标" (2025); 0 when none.
func headerYear(n string) int {
	if m := yearHeader.FindString(n); m != "" {
		y, _ := strconv.Atoi(m)
		return y
	}
	switch {
	case strings.Contains(n, "十四五"):
		return 2025
	case strings.Contains(n, "十三五"):
		return 2020
	case strings.Contains(n, "十五五"):
		return 2030
	}
	return 0
}

func textColumn(t *corpus.Table, col int) bool {
	text, total := 0, 0
	for _, row := range t.Rows {
		if col >= len(row) || strings.TrimSpace(row[col]) == "" {
			continue
		}
		total++
		if p, _ := ParseValue(row[col]); p.Unparsed && !isAttribute(row[col]) {
			text++
		}
	}
	return total > 0 && text*2 > total
}

func isAttribute(s string) bool {
	n := corpus.Normalize(s)
	return n == "预期性" || n == "约束性" || n == "预期" || n == "约束"
}

// normAttribute writes 预期/约束 as 预期性/约束性.
func normAttribute(s string) string {
	n := corpus.Normalize(s)
	if n == "预期" || n == "约束" {
		return n + "性"
	}
	return n
}

// tableTargets returns a target for every body row of an indicator table
// of d, and nothing for other tables.
func tableTargets(d *corpus.Document, t *corpus.Table, units map[string]*corpus.Unit) []*corpus.Target {
	cols, ok := classifyColumns(t)
	if !ok {
		return nil
	}
	var yearCols []int
	for i, c := range cols {
		if c.role == colYear {
			yearCols = append(yearCols, i)
		}
	}
	sort.SliceStable(yearCols, func(a, b int) bool { return cols[yearCols[a]].year < cols[yearCols[b]].year })
	base, goal := yearCols[0], yearCols[len(yearCols)-1]
	kind := corpus.KindTarget
	if resultCaption.MatchString(corpus.Normalize(t.Caption)) {
		kind = corpus.KindResult
	}
	var out []*corpus.Target
	// Rows after "其中：普通小学" count in the unit of the row above
	// them (在校学生数（万人）) until a row states its own unit or the
	// category changes.
	var mainUnit, subUnit, lastCategory string
	for r, row := range t.Rows {
		cell := func(i int) string {
			if i < 0 || i >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[i])
		}
		var category, indicator, unit, attribute string
		for i, c := range cols {
			switch c.role {
			case colCategory:
				category = corpus.Normalize(cell(i))
			case colIndicator:
				indicator = cell(i)
			case colUnit:
				unit = strings.TrimSpace(foldNum(cell(i)))
			case colAttribute:
				attribute = normAttribute(cell(i))
			}
		}
		indicator = strings.Join(strings.Fields(indicator), "")
		if m := unitInParens.FindStringSubmatchIndex(indicator); m != nil {
			if u := strings.TrimSpace(indicator[m[2]:m[3]]); plausibleUnit(u) {
				if unit == "" {
					unit = foldNum(u)
				}
				indicator = strings.TrimSpace(indicator[:m[0]])
			}
		}
		if indicator == "" && cell(base) == "" && cell(goal) == "" {
			continue
		}
		switch {
		case category != lastCategory:
			subUnit = ""
			if strings.HasPrefix(corpus.Normalize(indicator), "其中") {
				subUnit = mainUnit
			}
		case strings.HasPrefix(corpus.Normalize(indicator), "其中"):
			subUnit = mainUnit
		case unit != "":
			subUnit = ""
		}
		lastCategory = category
		if unit == "" {
			unit = subUnit
		} else {
			mainUnit = unit
		}
		tg := &corpus.Target{
			DocID:     d.ID,
			District:  d.District,
			Indicator: indicator,
			Attribute: attribute,
			Source:    corpus.SourceTable,
			Kind:      kind,
		}
		if category != "" && category != indicator {
			tg.Indicator = category + "·" + indicator
		}
		var bu, gu string
		tg.Baseline, bu = ParseValue(cell(base))
		tg.Baseline.Year = cols[base].year
		if tg.Baseline.Comparator == corpus.CmpEQ {
			tg.Baseline.Comparator = ""
		}
		tg.Target, gu = ParseValue(cell(goal))
		tg.Target.Year = cols[goal].year
		for _, i := range yearCols[1 : len(yearCols)-1] {
			p, _ := ParseValue(cell(i))
			p.Year = cols[i].year
			tg.Interim = append(tg.Interim, p)
		}
		if unit == "" {
			unit = gu
		}
		if unit == "" {
			unit = bu
		}
		tg.Unit = unit
		if r < len(t.RowIDs) {
			tg.UnitID = t.RowIDs[r]
		}
		if u := units[tg.UnitID]; u != nil {
			tg.Citation = u.Citation
			// The row as written, its cells one space apart.
			tg.Text = strings.Join(strings.Fields(u.Text), " ")
		}
		if tg.Text == "" {
			tg.Text = strings.Join(nonEmpty(row), " ")
		}
		out = append(out, tg)
	}
	return out
}

// plausibleUnit reports whether the text in parentheses after an indicator
// is its unit (%, 万人, 万m², 亿元, 年, 亩) rather than a remark or part of
// the name (专业（群）).
func plausibleUnit(u string) bool {
	return measureUnitSet[foldNum(strings.TrimSpace(u))]
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}
