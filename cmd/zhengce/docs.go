package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

// docSummary is one document in the JSON output of `zhengce docs`.
type docSummary struct {
	corpus.Meta
	Units     int            `json:"units"`      // all units
	UnitTypes map[string]int `json:"unit_types"` // units by type: section, clause, task, table_row
	Tables    int            `json:"tables"`     // reconstructed tables
	Targets   int            `json:"targets"`    // extracted targets
}

// runDocs implements `zhengce docs`: list the documents of the corpus with
// their metadata and unit counts, as a table or as JSON
// ({"documents":[…]}). It needs no segmentation dictionary.
func (m *Main) runDocs(ctx context.Context, args []string) error {
	fs := m.flagSet("docs")
	corpusDir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce docs [--corpus DIR] [--json]")
		fs.PrintDefaults()
	}
	pos, err := parseDocArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return corpus.Errorf(corpus.EINVALID, "docs 不接受参数：%s", strings.Join(pos, " "))
	}
	c, err := m.loadCorpus(ctx, *corpusDir)
	if err != nil {
		return err
	}
	var out []docSummary
	for _, d := range c.Documents() {
		s := docSummary{Meta: d.Meta, Units: len(d.Units), UnitTypes: map[string]int{}, Tables: len(d.Tables), Targets: len(d.Targets)}
		for _, t := range []corpus.UnitType{corpus.TypeSection, corpus.TypeClause, corpus.TypeTask, corpus.TypeTableRow} {
			s.UnitTypes[string(t)] = 0
		}
		for _, u := range d.Units {
			s.UnitTypes[string(u.Type)]++
		}
		out = append(out, s)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		rejected := c.Rejected()
		if rejected == nil {
			rejected = []corpus.Rejection{}
		}
		return enc.Encode(struct {
			Documents []docSummary       `json:"documents"`
			Rejected  []corpus.Rejection `json:"rejected"`
			Warnings  []corpus.Warning   `json:"warnings,omitempty"`
		}{out, rejected, c.Warnings()})
	}
	rows := [][]string{{"编号", "区县", "年份", "发布日期", "文号", "条目", "标题/节/段/任务/表行", "表格", "标题"}}
	for _, s := range out {
		year := ""
		if s.Year != 0 {
			year = strconv.Itoa(s.Year)
		}
		counts := fmt.Sprintf("%d/%d/%d/%d", s.UnitTypes["section"], s.UnitTypes["clause"], s.UnitTypes["task"], s.UnitTypes["table_row"])
		rows = append(rows, []string{s.ID, s.District, year, s.IssueDate, orDash(s.DocNumber), strconv.Itoa(s.Units), counts, strconv.Itoa(s.Tables), s.Title})
	}
	return writeColumns(m.Stdout, rows)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// writeColumns prints rows as aligned columns, measuring Chinese
// characters as two columns wide.
func writeColumns(w io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-textWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textWidth is the width of s on a terminal: East Asian wide characters
// and full-width punctuation take two columns (ambiguous-width quotes
// count as one, as in most terminals).
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r), r >= 0x3000 && r <= 0x303F, r >= 0xFE30 && r <= 0xFE6F, r >= 0xFF00 && r <= 0xFF60:
			n += 2
		default:
			n++
		}
	}
	return n
}

// parseDocArgs parses flags that may come before or after positional
// arguments (zhengce outline wuxi-2022 --json) and returns the positional
// ones.
func parseDocArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &corpus.Error{Code: corpus.EINVALID, Message: "参数错误", Err: err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
