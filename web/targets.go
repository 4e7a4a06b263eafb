package web

import (
	"encoding/csv"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
)

// targetFilter selects targets: Q matches the indicator, the canonical
// name or the source text (normalised substring); Districts restricts to
// some districts (OR).
type targetFilter struct {
	Q         string
	Districts []string
	Source    string // table | text | "" for both
}

func parseTargetFilter(c echo.Context) (targetFilter, error) {
	q, err := parseQuery(c)
	if err != nil {
		return targetFilter{}, err
	}
	f := targetFilter{Q: q.Q, Districts: q.Filters["district"]}
	switch src := c.QueryParam("source"); src {
	case "", "table", "text":
		f.Source = src
	default:
		return f, corpus.Errorf(corpus.EINVALID, "参数 source 只能是 table 或 text")
	}
	return f, nil
}

// selectTargets returns the targets of the corpus matching f, in corpus
// order.
func (s *Server) selectTargets(f targetFilter) []*corpus.Target {
	nq := corpus.Normalize(f.Q)
	var out []*corpus.Target
	for _, d := range s.corpus.Documents() {
		if len(f.Districts) > 0 && !contains(f.Districts, d.District) {
			continue
		}
		for _, t := range d.Targets {
			if f.Source != "" && t.Source != f.Source {
				continue
			}
			if nq != "" && !strings.Contains(corpus.Normalize(t.Indicator), nq) &&
				!strings.Contains(corpus.Normalize(t.Canonical), nq) &&
				!strings.Contains(corpus.Normalize(t.Text), nq) {
				continue
			}
			out = append(out, t)
		}
	}
	return out
}

// indicatorComparison lines one canonical indicator up across all the
// districts of the corpus.
type indicatorComparison struct {
	Canonical string
	Rows      []districtTargets
}

// districtTargets are one district's targets for one indicator; empty
// when the district states none.
type districtTargets struct {
	District string
	Targets  []*corpus.Target
}

// compareTargets groups ts by canonical indicator (the indicator as worded
// when there is no canonical name), groups ordered by how many districts
// state them.
func (s *Server) compareTargets(ts []*corpus.Target) []indicatorComparison {
	byName := map[string]map[string][]*corpus.Target{}
	var names []string
	for _, t := range ts {
		name := t.Canonical
		if name == "" {
			name = t.Indicator
		}
		if byName[name] == nil {
			byName[name] = map[string][]*corpus.Target{}
			names = append(names, name)
		}
		byName[name][t.District] = append(byName[name][t.District], t)
	}
	sort.SliceStable(names, func(i, j int) bool { return len(byName[names[i]]) > len(byName[names[j]]) })
	districts := s.corpus.Districts()
	out := make([]indicatorComparison, 0, len(names))
	for _, name := range names {
		cmp := indicatorComparison{Canonical: name}
		for _, d := range districts {
			cmp.Rows = append(cmp.Rows, districtTargets{District: d, Targets: byName[name][d]})
		}
		out = append(out, cmp)
	}
	return out
}

// handleTargetsCSV serves /targets.csv.
func (s *Server) handleTargetsCSV(c echo.Context) error {
	f, err := parseTargetFilter(c)
	if err != nil {
		return err
	}
	return s.writeTargetsCSV(c, f)
}

// targetsCSVHeader is the header row of the CSV download.
var targetsCSVHeader = []string{"区县", "指标", "规范指标", "单位", "基期年份", "基期值", "目标年份", "比较", "目标值", "目标上限", "属性", "来源类型", "引用", "链接", "原文"}

// writeTargetsCSV writes the targets matching f as UTF-8 CSV with a byte
// order mark, so Excel opens it with the right encoding.
func (s *Server) writeTargetsCSV(c echo.Context, f targetFilter) error {
	ts := s.selectTargets(f)
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="targets.csv"; filename*=UTF-8''%E7%9B%AE%E6%A0%87%E6%8C%87%E6%A0%87.csv`)
	res.WriteHeader(http.StatusOK)
	if _, err := res.Write([]byte("\uFEFF")); err != nil {
		return err
	}
	w := csv.NewWriter(res)
	if err := w.Write(targetsCSVHeader); err != nil {
		return err
	}
	for _, t := range ts {
		row := []string{
			t.District, t.Indicator, t.Canonical, t.Unit,
			yearText(t.Baseline.Year), valueText(t.Baseline),
			yearText(t.Target.Year), t.Target.Comparator, valueText(t.Target), maxText(t.Target),
			t.Attribute, t.Source, t.Citation, "/c/" + t.UnitID, t.Text,
		}
		for i, v := range row {
			row[i] = csvSafe(v)
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe defuses spreadsheet formula injection: a cell starting with
// =, +, - or @ that is not a number gets a leading apostrophe.
func csvSafe(v string) string {
	if v == "" || !strings.ContainsRune("=+-@", rune(v[0])) {
		return v
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + v
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// valueText is the value of p as a number, or its raw text when it could
// not be parsed.
func valueText(p corpus.Point) string {
	if p.Value == nil {
		return p.Raw
	}
	return strconv.FormatFloat(*p.Value, 'f', -1, 64)
}

func maxText(p corpus.Point) string {
	if p.Max == nil {
		return ""
	}
	return strconv.FormatFloat(*p.Max, 'f', -1, 64)
}

// pointText renders a point for people: comparator, value, unit.
func pointText(p corpus.Point, unit string) string {
	if p.Value == nil {
		if p.Raw != "" {
			return p.Raw
		}
		return "—"
	}
	v := strconv.FormatFloat(*p.Value, 'f', -1, 64)
	cmp := p.Comparator
	if cmp == "=" {
		cmp = ""
	}
	if p.Max != nil || cmp == "range" {
		hi := ""
		if p.Max != nil {
			hi = strconv.FormatFloat(*p.Max, 'f', -1, 64)
		}
		return v + "–" + hi + unit
	}
	return cmp + v + unit
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
