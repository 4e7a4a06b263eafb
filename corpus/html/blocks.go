package html

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockTags are elements that start and end a paragraph.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Pre: true, atom.Blockquote: true,
	atom.Section: true, atom.Article: true, atom.Main: true, atom.Form: true,
	atom.Center: true, atom.Address: true, atom.Figure: true, atom.Figcaption: true,
	atom.Hr: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Caption: true,
	atom.Fieldset: true, atom.Legend: true, atom.Details: true, atom.Summary: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true,
	atom.Body: true, atom.Html: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Table: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true,
}

// headingLevel returns 1–6 for h1–h6, else 0.
func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// emitter turns the body's nodes into blocks.
type emitter struct {
	p      *page
	blocks []corpus.Block
	buf    []rune
	space  bool  // white space is pending before the next text
	size   int64 // bytes of text emitted
	err    error
	cell   bool // inside a table cell: nested tables are flattened
}

func newEmitter(p *page) *emitter { return &emitter{p: p} }

// walk emits the blocks of n and its subtree.
func (e *emitter) walk(n *html.Node) {
	if e.err != nil || !e.p.tick() {
		if e.err == nil {
			e.err = e.p.err
		}
		return
	}
	switch n.Type {
	case html.TextNode:
		e.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	}
	if n.Type == html.ElementNode {
		if in := e.p.info[n]; in != nil && (in.skip || in.chrome) {
			return
		}
		switch {
		case n.DataAtom == atom.Br:
			e.flush()
			return
		case n.DataAtom == atom.Img:
			return
		case headingLevel(n.DataAtom) > 0:
			e.flush()
			e.heading(n)
			return
		case n.DataAtom == atom.Table:
			e.flush()
			e.table(n)
			return
		case blockTags[n.DataAtom]:
			e.flush()
			e.children(n)
			e.flush()
			return
		}
	}
	e.children(n)
}

func (e *emitter) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		e.walk(c)
	}
}

// text adds the text of a text node to the current paragraph, collapsing
// white space.
func (e *emitter) text(s string) {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\f':
			e.space = true
			continue
		case 0x200B, 0xFEFF, 0xAD:
			continue
		}
		if e.space && len(e.buf) > 0 {
			e.buf = append(e.buf, ' ')
		}
		e.space = false
		e.buf = append(e.buf, r)
	}
}

// flush ends the current paragraph.
func (e *emitter) flush() {
	s := e.take()
	if s == "" || isChromeText(s) {
		return
	}
	e.add(corpus.Block{Kind: corpus.BlockParagraph, Text: s})
}

// take returns the current paragraph's text, cleaned, and resets it.
func (e *emitter) take() string {
	s := cleanText(e.buf)
	e.buf = e.buf[:0]
	e.space = false
	return s
}

// add appends a block, counting its text against MaxTextSize.
func (e *emitter) add(b corpus.Block) {
	n := int64(len(b.Text))
	for _, row := range b.Rows {
		for _, c := range row {
			n += int64(len(c.Text))
		}
	}
	e.size += n
	if max := e.p.lim.MaxTextSize; max > 0 && e.size > max {
		e.err = corpus.Errorf(corpus.ETOOLARGE, "网页正文过长（超过 %d 字节）。请把文件拆分成较小的部分后重新上传。", max)
		return
	}
	e.blocks = append(e.blocks, b)
}

// heading emits an h1–h6 element: a heading block of its whole text (a
// <br> in a heading is a visual line break).
func (e *emitter) heading(n *html.Node) {
	sub := e.sub()
	sub.children(n)
	sub.flush()
	if sub.err != nil {
		e.err = sub.err
		return
	}
	var parts []string
	for _, b := range sub.blocks {
		parts = append(parts, blockText(b))
	}
	text := strings.Join(parts, "")
	if text == "" {
		return
	}
	if e.cell {
		e.add(corpus.Block{Kind: corpus.BlockParagraph, Text: text})
		return
	}
	e.add(corpus.Block{Kind: corpus.BlockHeading, Text: text, Level: headingLevel(n.DataAtom)})
}

// sub returns an emitter for part of the page whose blocks are combined
// into one text; it shares the text budget.
func (e *emitter) sub() *emitter {
	return &emitter{p: e.p, size: e.size, cell: true}
}

// blockText returns the text of a block; a table's cells joined by spaces,
// its rows by line breaks.
func blockText(b corpus.Block) string {
	if b.Kind != corpus.BlockTable {
		return b.Text
	}
	var sb strings.Builder
	for i, row := range b.Rows {
		if i > 0 {
			sb.WriteByte('\n')
		}
		for j, c := range row {
			if j > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(c.Text)
		}
	}
	return sb.String()
}

// rowsOf returns the rows of table t (not of tables nested in it).
func rowsOf(t *html.Node) []*html.Node {
	var rows []*html.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Tbody, atom.Thead, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// cellsOf returns the td and th elements of row r.
func cellsOf(r *html.Node) []*html.Node {
	var cells []*html.Node
	for c := r.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
			cells = append(cells, c)
		}
	}
	return cells
}

// table emits table t: a data table as a BlockTable; a layout table (one
// cell, or one cell holding most of the table's text as paragraphs of
// prose, or nested tables) is unwrapped into the blocks of its cells.
func (e *emitter) table(t *html.Node) {
	rows := rowsOf(t)
	if e.isLayout(t, rows) {
		e.unwrap(t, rows)
		return
	}
	var out [][]corpus.Cell
	nonEmpty := 0
	for _, r := range rows {
		if in := e.p.info[r]; in != nil && (in.skip || in.chrome) {
			continue
		}
		var row []corpus.Cell
		for _, c := range cellsOf(r) {
			if in := e.p.info[c]; in != nil && in.skip {
				continue
			}
			text := e.cellText(c)
			if e.err != nil {
				return
			}
			if text != "" {
				nonEmpty++
			}
			row = append(row, corpus.Cell{Text: text, RowSpan: span(attr(c, "rowspan")), ColSpan: span(attr(c, "colspan"))})
		}
		if len(row) > 0 {
			out = append(out, row)
		}
	}
	if nonEmpty == 0 {
		return
	}
	if e.cell {
		// A table inside a table cell becomes lines of the cell.
		for _, row := range out {
			var parts []string
			for _, c := range row {
				if c.Text != "" {
					parts = append(parts, c.Text)
				}
			}
			e.add(corpus.Block{Kind: corpus.BlockParagraph, Text: strings.Join(parts, " ")})
		}
		return
	}
	e.add(corpus.Block{Kind: corpus.BlockTable, Rows: out})
}

// cellText returns the text of a cell, its paragraphs joined by line
// breaks.
func (e *emitter) cellText(c *html.Node) string {
	sub := e.sub()
	sub.children(c)
	sub.flush()
	if sub.err != nil {
		e.err = sub.err
		return ""
	}
	parts := make([]string, 0, len(sub.blocks))
	for _, b := range sub.blocks {
		if t := blockText(b); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

// isLayout reports whether table t only lays out the page: it has a
// single cell, or one cell holds most of its text as several paragraphs,
// or a nested table.
func (e *emitter) isLayout(t *html.Node, rows []*html.Node) bool {
	cells := 0
	tin := e.p.info[t]
	for _, r := range rows {
		for _, c := range cellsOf(r) {
			cells++
			ci := e.p.info[c]
			if ci == nil || tin == nil || ci.skip {
				continue
			}
			if ci.text*2 < tin.text || ci.text < 150 {
				continue
			}
			if hasNestedTable(c) || proseBlocks(c) >= 3 {
				return true
			}
		}
	}
	return cells <= 1
}

// hasNestedTable reports whether a table is inside n.
func hasNestedTable(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Table || hasNestedTable(c) {
			return true
		}
	}
	return false
}

// proseBlocks counts the paragraphs and block elements directly or
// nearly directly under n that hold at least 20 runes of text.
func proseBlocks(n *html.Node) int {
	count := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.P, atom.Div, atom.Li, atom.Section, atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if runes(headText(c, 20)) >= 20 {
				count++
			}
			if c.DataAtom == atom.Div || c.DataAtom == atom.Section {
				count += proseBlocks(c)
			}
		}
	}
	return count
}

// unwrap emits the contents of a layout table's cells as body blocks.
func (e *emitter) unwrap(t *html.Node, rows []*html.Node) {
	for _, r := range rows {
		if in := e.p.info[r]; in != nil && (in.skip || in.chrome) {
			continue
		}
		for _, c := range cellsOf(r) {
			e.walk(c)
		}
	}
	// Content the parser left directly in the table (caption).
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Caption {
			e.walk(c)
		}
	}
}

// span parses a rowspan or colspan value: 1 when absent or invalid, at
// most 1000.
func span(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 1000)
}

// cleanText trims indentation and removes the spaces that white space in
// the markup left next to CJK text.
func cleanText(buf []rune) string {
	start, end := 0, len(buf)
	for start < end && isSpace(buf[start]) {
		start++
	}
	for end > start && isSpace(buf[end-1]) {
		end--
	}
	if start == end {
		return ""
	}
	var b strings.Builder
	b.Grow(end - start)
	for i := start; i < end; i++ {
		r := buf[i]
		switch {
		case r == ' ' && (isWide(buf[i-1]) || isWide(buf[i+1])):
			continue
		case r == 0xA0:
			r = ' ' // an explicit space of the text, kept
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isWide reports whether r is a CJK character or full-width punctuation,
// next to which a space is never meaningful.
func isWide(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF, r >= 0x2E80 && r <= 0x2FDF:
		return true
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·':
		return true
	}
	return unicode.Is(unicode.Han, r)
}
