package parse

import (
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestJoinLines checks paragraph reconstruction from the visual lines of
// a fixed-layout page: wrapped lines join (across a page break too), an
// indented line, a short line, a heading and a page number end or start
// paragraphs, and Latin words keep their space.
func TestJoinLines(t *testing.T) {
	line := func(page int, y, x0, x1 float64, text string) corpus.Block {
		return corpus.Block{Kind: corpus.BlockLine, Page: page, Y: y, X0: x0, X1: x1, Size: 16, Text: text}
	}
	blocks := []corpus.Block{
		line(1, 100, 90, 500, "一、总体要求"),
		line(1, 130, 122, 506, "到2025年，学前三年毛入园率达到95%以上，加强补"),
		line(1, 160, 90, 505, "贴机具管理，推进集团化办学，覆盖率达到"),
		line(1, 190, 90, 300, "80%。"),
		line(1, 220, 122, 506, "第二段落从缩进开始，一直写到右边距为止而且"),
		line(1, 800, 280, 320, "— 1 —"),
		line(2, 100, 90, 300, "在下一页继续。"),
		line(2, 130, 122, 506, "Policy text in English wraps at the right"),
		line(2, 160, 90, 200, "margin here."),
		{Kind: corpus.BlockParagraph, Text: "一段普通文字。"},
	}
	got := JoinLines(blocks)
	var texts []string
	for _, b := range got {
		texts = append(texts, b.Text)
	}
	want := []string{
		"一、总体要求",
		"到2025年，学前三年毛入园率达到95%以上，加强补贴机具管理，推进集团化办学，覆盖率达到80%。",
		"第二段落从缩进开始，一直写到右边距为止而且在下一页继续。",
		"Policy text in English wraps at the right margin here.",
		"一段普通文字。",
	}
	if strings.Join(texts, "\n") != strings.Join(want, "\n") {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(texts, "\n"), strings.Join(want, "\n"))
	}
	if got[2].Page != 1 || got[3].Page != 2 {
		t.Errorf("pages %d %d, want 1 2", got[2].Page, got[3].Page)
	}
}

// TestParseSourceTables checks that a real table with row and column
// spans becomes a table of the document, with the spanned cells filled.
func TestParseSourceTables(t *testing.T) {
	src := &corpus.Source{Format: corpus.FormatDOCX, Blocks: []corpus.Block{
		{Kind: corpus.BlockHeading, Level: 1, Text: "一、主要指标"},
		{Kind: corpus.BlockParagraph, Text: "表1 主要发展指标"},
		{Kind: corpus.BlockTable, Rows: [][]corpus.Cell{
			{{Text: "指标"}, {Text: "2020年"}, {Text: "2025年"}},
			{{Text: "学前教育", RowSpan: 2}, {Text: "90%"}, {Text: "95%"}},
			{{Text: "85"}, {Text: "90"}},
			{{Text: "合计 | 备注", ColSpan: 3}},
		}},
		{Kind: corpus.BlockParagraph, Text: "正文段落。"},
	}}
	d, err := parseSourceDefault(corpus.Meta{ID: "t", Source: "t.docx"}, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tables) != 1 {
		t.Fatalf("tables: %d", len(d.Tables))
	}
	tb := d.Tables[0]
	if strings.Join(tb.Header, ",") != "指标,2020年,2025年" || len(tb.Rows) != 3 {
		t.Fatalf("table %+v", tb)
	}
	if tb.Rows[1][0] != "学前教育" || tb.Rows[1][1] != "85" {
		t.Errorf("row span not filled: %v", tb.Rows[1])
	}
	if !strings.Contains(strings.Join(tb.Rows[2], ""), "合计 ｜ 备注") {
		t.Errorf("pipe in a cell: %v", tb.Rows[2])
	}
	if d.Format != corpus.FormatDOCX {
		t.Errorf("format %q", d.Format)
	}
}

// TestParseSourcePages checks that units of a paged source get the page
// they start on, in their citation too.
func TestParseSourcePages(t *testing.T) {
	src := &corpus.Source{Format: corpus.FormatPDF, Pages: 2, Blocks: []corpus.Block{
		{Kind: corpus.BlockParagraph, Page: 1, Text: "一、总体要求"},
		{Kind: corpus.BlockParagraph, Page: 1, Text: "第一段。"},
		{Kind: corpus.BlockParagraph, Page: 2, Text: "二、主要任务"},
		{Kind: corpus.BlockParagraph, Page: 2, Text: "第二段。"},
	}}
	d, err := parseSourceDefault(corpus.Meta{ID: "p", Source: "p.pdf"}, src)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]int{}
	for _, u := range d.Units {
		pages[u.Text] = u.Page
		if !strings.HasSuffix(u.Citation, "页）") {
			t.Errorf("citation %q lacks the page", u.Citation)
		}
	}
	if pages["第一段。"] != 1 || pages["第二段。"] != 2 || pages["二、主要任务"] != 2 {
		t.Errorf("pages %v", pages)
	}
	if _, err := parseSourceDefault(corpus.Meta{Source: "empty.pdf"}, &corpus.Source{Format: corpus.FormatPDF, Pages: 3}); corpus.ErrorCode(err) != corpus.EINVALID || !strings.Contains(corpus.ErrorMessage(err), "3 页") {
		t.Errorf("empty source: %v", err)
	}
}

// FuzzParseSource feeds ParseSource blocks made from arbitrary text:
// lines with made-up geometry, headings, tables. It must never panic.
func FuzzParseSource(f *testing.F) {
	f.Add("一、总则\n第一条 为了规范。\n|a|b|\n1.2 x", 3)
	f.Add("— 1 —\n\n（一）项\n", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		var blocks []corpus.Block
		for i, l := range strings.Split(s, "\n") {
			switch (i + n) % 4 {
			case 0:
				blocks = append(blocks, corpus.Block{Kind: corpus.BlockLine, Page: i/5 + 1, Text: l, X0: float64(i % 7), X1: float64(len(l)), Y: float64(i), Size: float64(n % 20)})
			case 1:
				blocks = append(blocks, corpus.Block{Kind: corpus.BlockHeading, Level: n, Text: l})
			case 2:
				cells := []corpus.Cell{}
				for _, c := range strings.Split(l, "|") {
					cells = append(cells, corpus.Cell{Text: c, RowSpan: n % 5, ColSpan: (n / 5) % 5})
				}
				blocks = append(blocks, corpus.Block{Kind: corpus.BlockTable, Rows: [][]corpus.Cell{cells, cells}})
			default:
				blocks = append(blocks, corpus.Block{Kind: corpus.BlockParagraph, Text: l, Page: i})
			}
		}
		d, err := parseSourceDefault(corpus.Meta{ID: "f", Source: "f.pdf"}, &corpus.Source{Format: corpus.FormatPDF, Pages: 3, Blocks: blocks})
		if err == nil && d == nil {
			t.Fatal("nil document without error")
		}
	})
}
