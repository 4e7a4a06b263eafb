package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search/export"
)

// stringList is a repeatable string flag (--district A --district B).
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*s = append(*s, part)
		}
	}
	return nil
}

// floatFlag is an optional float flag: nil until set.
type floatFlag struct{ v *float64 }

func (f *floatFlag) String() string {
	if f.v == nil {
		return ""
	}
	return strconv.FormatFloat(*f.v, 'f', -1, 64)
}

func (f *floatFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("不是数字：%s", s)
	}
	f.v = &v
	return nil
}

// runTargets implements `zhengce targets`: list the promised numbers of
// the corpus, filtered, as a table, JSON or CSV; or line one indicator up
// across districts with --compare. It needs only the corpus, not the
// segmenter or the index.
func (m *Main) runTargets(ctx context.Context, args []string) error {
	fs := m.flagSet("targets")
	dir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	asCSV := fs.Bool("csv", false, "以 CSV 输出（UTF-8 带 BOM，含表头）")
	compare := fs.String("compare", "", "按规范指标名横向比较各区县，如 毛入园率")
	source := fs.String("source", "", "只列出来源为 table（指标表）或 text（正文）的目标")
	kind := fs.String("kind", "", "只列出 target（目标）或 result（完成情况）")
	var districts stringList
	fs.Var(&districts, "district", "只列出该区县（可重复）")
	var lo, hi floatFlag
	fs.Var(&lo, "min", "目标值下限")
	fs.Var(&hi, "max", "目标值上限")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce targets [--corpus DIR] [--json|--csv] [--district D]... [--min X] [--max Y] [--source table|text] [QUERY]")
		fmt.Fprintln(m.Stderr, "      zhengce targets [--corpus DIR] [--json|--csv] --compare 指标名")
		fs.PrintDefaults()
	}
	words, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	query := strings.Join(words, " ")
	switch {
	case *asJSON && *asCSV:
		return corpus.Errorf(corpus.EINVALID, "--json 与 --csv 不能同时使用")
	case lo.v != nil && hi.v != nil && *lo.v > *hi.v:
		return corpus.Errorf(corpus.EINVALID, "--min 不能大于 --max")
	case *source != "" && *source != corpus.SourceTable && *source != corpus.SourceText:
		return corpus.Errorf(corpus.EINVALID, "--source 只能是 table 或 text：%s", *source)
	case *kind != "" && *kind != corpus.KindTarget && *kind != corpus.KindResult:
		return corpus.Errorf(corpus.EINVALID, "--kind 只能是 target 或 result：%s", *kind)
	case *compare != "" && query != "":
		return corpus.Errorf(corpus.EINVALID, "--compare 与检索词不能同时使用")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := m.loadCorpus(ctx, *dir)
	if err != nil {
		return err
	}
	if err := checkDistricts(c, districts); err != nil {
		return err
	}
	if *compare != "" {
		comps := c.CompareTargets(*compare)
		if len(districts) > 0 {
			comps = keepDistricts(comps, districts)
		}
		switch {
		case *asJSON:
			return writeJSON(m.Stdout, struct {
				Query       string              `json:"query"`
				Comparisons []corpus.Comparison `json:"comparisons"`
			}{*compare, nonNilComparisons(comps)})
		case *asCSV:
			var ts []*corpus.Target
			var missing []export.Missing
			for _, cp := range comps {
				for _, dt := range cp.Districts {
					ts = append(ts, dt.Targets...)
					if len(dt.Targets) == 0 {
						missing = append(missing, export.Missing{Canonical: cp.Canonical, District: dt.District})
					}
				}
			}
			return export.WriteTargetsCSV(m.Stdout, ts, missing)
		}
		return writeComparison(m.Stdout, *compare, comps)
	}
	ts := c.Targets(corpus.TargetFilter{Query: query, Districts: districts, Min: lo.v, Max: hi.v, Source: *source, Kind: *kind})
	switch {
	case *asJSON:
		if ts == nil {
			ts = []*corpus.Target{}
		}
		return writeJSON(m.Stdout, struct {
			Targets []*corpus.Target `json:"targets"`
		}{ts})
	case *asCSV:
		return export.WriteTargetsCSV(m.Stdout, ts, nil)
	}
	return writeTargetsTable(m.Stdout, ts)
}

// parseInterleaved parses flags that may come before or after the
// positional words, returning the words.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, &corpus.Error{Code: corpus.EINVALID, Message: "参数错误", Err: err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return words, nil
		}
		words = append(words, rest[0])
		args = rest[1:]
	}
}

func checkDistricts(c *corpus.Corpus, want []string) error {
	known := c.Districts()
	for _, d := range want {
		found := false
		for _, k := range known {
			found = found || k == d
		}
		if !found {
			return corpus.Errorf(corpus.EINVALID, "未知区县：%s（可选：%s）", d, strings.Join(known, "、"))
		}
	}
	return nil
}

func keepDistricts(comps []corpus.Comparison, districts []string) []corpus.Comparison {
	keep := map[string]bool{}
	for _, d := range districts {
		keep[d] = true
	}
	out := make([]corpus.Comparison, len(comps))
	for i, cp := range comps {
		out[i].Canonical = cp.Canonical
		for _, dt := range cp.Districts {
			if keep[dt.District] {
				out[i].Districts = append(out[i].Districts, dt)
			}
		}
	}
	return out
}

func nonNilComparisons(c []corpus.Comparison) []corpus.Comparison {
	if c == nil {
		return []corpus.Comparison{}
	}
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func numText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// pointText renders a point for the terminal: 2025年 ≥93%, 3–5所, or the
// raw text of a value that could not be parsed.
func pointText(p corpus.Point, unit string) string {
	var b strings.Builder
	if p.Year != 0 {
		b.WriteString(strconv.Itoa(p.Year) + "年 ")
	}
	switch {
	case p.Unparsed:
		b.WriteString(p.Raw + "（未能解析）")
		return b.String()
	case p.Value == nil:
		return strings.TrimSpace(b.String() + "—")
	case p.Comparator == corpus.CmpRange && p.Max != nil:
		b.WriteString(numText(p.Value) + "–" + numText(p.Max))
	default:
		if p.Comparator != "" && p.Comparator != corpus.CmpEQ {
			b.WriteString(p.Comparator)
		}
		b.WriteString(numText(p.Value))
	}
	b.WriteString(unit)
	return b.String()
}

// targetText renders the promised value with the interim values a table
// gives for the years in between: 2025年 >93%（2022年 89%）.
func targetText(t *corpus.Target) string {
	s := pointText(t.Target, t.Unit)
	var mid []string
	for _, p := range t.Interim {
		if p.Value != nil || p.Unparsed {
			mid = append(mid, pointText(p, t.Unit))
		}
	}
	if len(mid) > 0 {
		s += "（" + strings.Join(mid, "，") + "）"
	}
	return s
}

func sourceText(t *corpus.Target) string {
	s := "正文"
	if t.Source == corpus.SourceTable {
		s = "指标表"
	}
	if t.Kind == corpus.KindResult {
		s += "·完成情况"
	}
	return s + " " + t.UnitID
}

// writeTargetsTable writes targets as an aligned table for the terminal.
func writeTargetsTable(w io.Writer, ts []*corpus.Target) error {
	if len(ts) == 0 {
		_, err := fmt.Fprintln(w, "未找到匹配的目标指标。")
		return err
	}
	rows := [][]string{{"区县", "指标", "基期", "目标", "属性", "来源"}}
	for _, t := range ts {
		rows = append(rows, []string{t.District, t.Indicator, pointText(t.Baseline, t.Unit), targetText(t), t.Attribute, sourceText(t)})
	}
	if err := writeAligned(w, rows); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "共 %d 项目标。\n", len(ts))
	return err
}

// writeComparison writes each comparison as a block: the canonical name,
// then one line per district with baseline, target and source; a district
// that states nothing says so.
func writeComparison(w io.Writer, query string, comps []corpus.Comparison) error {
	if len(comps) == 0 {
		_, err := fmt.Fprintf(w, "未找到与“%s”对应的指标。\n", query)
		return err
	}
	for i, cp := range comps {
		if i > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "【%s】\n", cp.Canonical); err != nil {
			return err
		}
		rows := [][]string{{"区县", "指标原文", "基期", "目标", "属性", "来源"}}
		for _, dt := range cp.Districts {
			if len(dt.Targets) == 0 {
				rows = append(rows, []string{dt.District, "（未提及）", "", "", "", ""})
				continue
			}
			for _, t := range dt.Targets {
				rows = append(rows, []string{dt.District, t.Indicator, pointText(t.Baseline, t.Unit), targetText(t), t.Attribute, sourceText(t)})
			}
		}
		if err := writeAligned(w, rows); err != nil {
			return err
		}
	}
	return nil
}

// writeAligned writes rows with columns padded to a common display width
// (CJK characters count two columns).
func writeAligned(w io.Writer, rows [][]string) error {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		if _, err := fmt.Fprintln(w, strings.TrimRight(b.String(), " ")); err != nil {
			return err
		}
	}
	return nil
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
