package parse

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// ParseSource turns what a format reader returned into a Document, with
// the same guarantees as Parse (it implements corpus.Parser): the blocks are written out as the text the
// parser reads (headings with their level as markdown headings, real
// tables as pipe tables, the visual lines of PDF and OFD pages joined into
// paragraphs by JoinLines), parsed, and every unit of a paged format gets
// the page it starts on (Unit.Page, and 第N页 in its citation).
//
// A source without any text is an EINVALID error whose message says so.
func (p *Parser) ParseSource(meta corpus.Meta, src *corpus.Source) (*corpus.Document, error) {
	if src == nil {
		return nil, corpus.Errorf(corpus.EINVALID, "%s 中没有可读取的内容", displayName(meta.Source))
	}
	text, marks := renderSource(src)
	if strings.TrimSpace(text) == "" {
		if src.Pages > 0 {
			return nil, corpus.Errorf(corpus.EINVALID, "%s 没有文字内容（共 %d 页，均无可提取的文字）", displayName(meta.Source), src.Pages)
		}
		return nil, corpus.Errorf(corpus.EINVALID, "%s 没有正文内容", displayName(meta.Source))
	}
	if len(text) > corpus.MaxDocumentSize {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "%s 的文字过多（%d 字节），单个文档上限为 %d MB", displayName(meta.Source), len(text), corpus.MaxDocumentSize>>20)
	}
	if meta.Format == "" {
		meta.Format = src.Format
	}
	hints := src.Meta
	if hints.Title == "" || !plausibleTitle(tidyTitle(hints.Title)) {
		if t := largestLine(src.Blocks); t != "" {
			hints.Title, hints.Strong = t, false
		}
	}
	d, err := parseText(p.vocab, meta, text, &hints)
	if err != nil {
		return nil, err
	}
	d.Format, d.Pages, d.OCR = src.Format, src.Pages, src.OCR
	if src.Pages > 0 && len(marks) > 0 {
		assignPages(d, text, marks)
	}
	p.enrich(d)
	return d, nil
}

func displayName(source string) string {
	if source == "" {
		return "文档"
	}
	return source
}

// largestLine returns the text set in the largest font on the first page
// of a fixed-layout source, when it stands out (at least 1.3 times the
// common size) — where a cover or an invoice puts its title. Consecutive
// lines of that size are one title set on several lines.
func largestLine(blocks []corpus.Block) string {
	var sizes []float64
	for _, b := range blocks {
		if b.Kind == corpus.BlockLine && b.Page == 1 && b.Size > 0 {
			sizes = append(sizes, b.Size)
		}
	}
	if len(sizes) < 3 {
		return ""
	}
	sort.Float64s(sizes)
	common, top := sizes[len(sizes)/2], sizes[len(sizes)-1]
	if top < 1.3*common {
		return ""
	}
	var parts []string
	for _, b := range blocks {
		if b.Kind != corpus.BlockLine || b.Page != 1 {
			continue
		}
		if b.Size >= 0.95*top {
			parts = append(parts, strings.TrimSpace(b.Text))
		} else if len(parts) > 0 {
			break
		}
	}
	return strings.Join(parts, "")
}

// pageMark says that the rendered text from byte Offset on is on Page.
type pageMark struct {
	Offset int
	Page   int
}

// renderSource writes the blocks as parser input: one paragraph per line
// with a blank line between paragraphs, headings as "#…# title", tables as
// markdown pipe tables. It returns the page marks of paged sources.
func renderSource(src *corpus.Source) (string, []pageMark) {
	var b strings.Builder
	var marks []pageMark
	page := 0
	mark := func(p int) {
		if p > 0 && p != page {
			marks = append(marks, pageMark{Offset: b.Len(), Page: p})
			page = p
		}
	}
	para := func(s string) {
		for _, l := range strings.Split(s, "\n") {
			l = cleanBlockText(l)
			if strings.TrimSpace(l) == "" {
				continue
			}
			b.WriteString(l)
			b.WriteString("\n\n")
		}
	}
	blocks := JoinLines(src.Blocks)
	for _, bl := range blocks {
		mark(bl.Page)
		switch bl.Kind {
		case corpus.BlockHeading:
			t := strings.Join(strings.Fields(cleanBlockText(bl.Text)), " ")
			if t == "" {
				continue
			}
			level := min(max(bl.Level, 1), 6)
			b.WriteString(strings.Repeat("#", level))
			b.WriteByte(' ')
			b.WriteString(t)
			b.WriteString("\n\n")
		case corpus.BlockTable:
			renderTable(&b, bl.Rows, para)
		default:
			para(bl.Text)
		}
	}
	return b.String(), marks
}

// cleanBlockText removes control characters (other than tab) and
// replacement characters a reader may have let through.
func cleanBlockText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7F || r == utf8.RuneError }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7F || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// renderTable writes a real table as a markdown pipe table whose first row
// is the header. Spanned positions are left empty, so the table parser
// fills them from the spanning cell. A table of one column, or of one row,
// is layout, not data: its cells are written as paragraphs.
func renderTable(b *strings.Builder, rows [][]corpus.Cell, para func(string)) {
	grid := spreadSpans(rows)
	width := 0
	for _, r := range grid {
		width = max(width, len(r))
	}
	if width < 2 || len(grid) < 2 {
		for _, r := range grid {
			for _, c := range r {
				para(c)
			}
		}
		return
	}
	b.WriteString("\n")
	for i, r := range grid {
		b.WriteString("|")
		for x := range width {
			c := ""
			if x < len(r) {
				c = cellText(r[x])
			}
			b.WriteString(" ")
			b.WriteString(c)
			b.WriteString(" |")
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString("|")
			for range width {
				b.WriteString(" --- |")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
}

// cellText is a cell's text on one line, without the pipe that delimits
// cells.
func cellText(s string) string {
	s = cleanBlockText(strings.ReplaceAll(s, "|", "｜"))
	return strings.Join(strings.Fields(s), " ")
}

// spreadSpans lays cells with row and column spans out on a grid: the
// spanning cell's text at its top-left position, "" at the others.
func spreadSpans(rows [][]corpus.Cell) [][]string {
	grid := make([][]string, len(rows))
	taken := map[[2]int]bool{}
	for y, r := range rows {
		x := 0
		for _, c := range r {
			for taken[[2]int{y, x}] {
				x++
			}
			rs, cs := max(c.RowSpan, 1), max(c.ColSpan, 1)
			rs = min(rs, len(rows)-y)
			cs = min(cs, 64)
			for dy := range rs {
				for dx := range cs {
					taken[[2]int{y + dy, x + dx}] = true
				}
			}
			for len(grid[y]) < x {
				grid[y] = append(grid[y], "")
			}
			grid[y] = append(grid[y], c.Text)
			for range cs - 1 {
				grid[y] = append(grid[y], "")
			}
			x += cs
		}
	}
	// Rows covered by a row span at their end get their empty cells.
	for y := range grid {
		for x := len(grid[y]); taken[[2]int{y, x}]; x++ {
			grid[y] = append(grid[y], "")
		}
	}
	return grid
}

// JoinLines joins the visual lines (BlockLine) of fixed-layout pages into
// paragraphs and returns the blocks with every run of lines replaced by
// its paragraphs; other blocks are returned as they are. Page numbers
// printed as page furniture (— 1 —, 第1页) are dropped.
//
// A line continues the previous one when the previous one runs to the
// right margin of its page (it was wrapped, not ended) and this one starts
// at the left margin (no first-line indent) without opening a heading or
// list item — across a page break too. Lines without geometry fall back to
// the text parser's rule for page-break artefacts: a line that ends
// without closing punctuation continues when the next starts with a rune
// no sentence starts with.
func JoinLines(blocks []corpus.Block) []corpus.Block {
	out := make([]corpus.Block, 0, len(blocks))
	for i := 0; i < len(blocks); {
		if blocks[i].Kind != corpus.BlockLine {
			out = append(out, blocks[i])
			i++
			continue
		}
		j := i
		for j < len(blocks) && blocks[j].Kind == corpus.BlockLine {
			j++
		}
		out = append(out, joinRun(blocks[i:j])...)
		i = j
	}
	return out
}

// pageGeometry is the text area of a page, estimated from its lines.
type pageGeometry struct {
	left, right, size, gap float64
}

func joinRun(lines []corpus.Block) []corpus.Block {
	var kept []corpus.Block
	for _, l := range lines {
		t := strings.TrimSpace(cleanBlockText(l.Text))
		if t == "" || pageNumRe.MatchString(t) {
			continue
		}
		l.Text = t
		kept = append(kept, l)
	}
	geo := map[int]pageGeometry{}
	byPage := map[int][]corpus.Block{}
	for _, l := range kept {
		byPage[l.Page] = append(byPage[l.Page], l)
	}
	for p, ls := range byPage {
		geo[p] = measurePage(ls)
	}
	var out []corpus.Block
	var cur *corpus.Block
	for i, l := range kept {
		if cur != nil && continuesLine(kept[i-1], l, geo) {
			cur.Text = joinBroken(cur.Text, l.Text) // as the text parser joins page-break artefacts
			continue
		}
		out = append(out, corpus.Block{Kind: corpus.BlockParagraph, Text: l.Text, Page: l.Page})
		cur = &out[len(out)-1]
	}
	return out
}

// measurePage estimates a page's margins, font size and line spacing from
// its lines: the left margin is the leftmost edge shared by several lines,
// the right margin the rightmost edge reached by several lines.
func measurePage(ls []corpus.Block) pageGeometry {
	var lefts, rights, sizes, gaps []float64
	for i, l := range ls {
		if l.X1 <= l.X0 {
			continue
		}
		lefts = append(lefts, l.X0)
		rights = append(rights, l.X1)
		if l.Size > 0 {
			sizes = append(sizes, l.Size)
		}
		if i > 0 && l.Y > ls[i-1].Y {
			gaps = append(gaps, l.Y-ls[i-1].Y)
		}
	}
	if len(lefts) == 0 {
		return pageGeometry{}
	}
	sort.Float64s(lefts)
	sort.Float64s(rights)
	g := pageGeometry{left: lefts[len(lefts)/10], right: rights[len(rights)-1-len(rights)/10]}
	if len(sizes) > 0 {
		sort.Float64s(sizes)
		g.size = sizes[len(sizes)/2]
	}
	if len(gaps) > 0 {
		sort.Float64s(gaps)
		g.gap = gaps[len(gaps)/2]
	}
	if g.size == 0 {
		g.size = (g.right - g.left) / 40
	}
	return g
}

// continuesLine reports whether line b continues the paragraph that line a
// ends.
func continuesLine(a, b corpus.Block, geo map[int]pageGeometry) bool {
	if h, ok := parseHeading(b.Text); ok && h.structural() {
		return false
	}
	if startsNumbered(b.Text) {
		return false
	}
	ga, gb := geo[a.Page], geo[b.Page]
	if a.X1 <= a.X0 || b.X1 <= b.X0 || ga.size == 0 {
		// No geometry: the text parser's rule.
		return endsOpen(a.Text) && startsMid(b.Text)
	}
	full := a.X1 >= ga.right-1.5*ga.size
	indented := b.X0 > gb.left+0.8*gb.size
	if !full || indented {
		return false
	}
	if a.Page == b.Page && ga.gap > 0 && b.Y-a.Y > 1.8*ga.gap {
		return false // a blank line between them
	}
	// A line that reaches the margin but closes a sentence at a line end
	// and is followed by a heading-like short line is still a paragraph
	// end; the heading check above covers that. Centred lines never reach
	// both margins.
	return true
}

// startsNumbered reports whether s opens a list item the heading parser
// does not treat as structural: （一）, 1., ①.
func startsNumbered(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == '（' || r == '(':
		rest := s[size:]
		k := strings.IndexAny(rest, "）)")
		return k > 0 && k <= 9 && strings.Trim(rest[:k], "0123456789一二三四五六七八九十") == ""
	case r >= '①' && r <= '⑳':
		return true
	case r >= '0' && r <= '9':
		k := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
		return k > 0 && k <= 3 && strings.ContainsRune(".、．", rune(s[k]))
	}
	return false
}

// assignPages gives every unit of d the page its text starts on, found by
// locating the units, in order, in the rendered text, and adds 第N页 to
// their citations.
func assignPages(d *corpus.Document, text string, marks []pageMark) {
	squeezed, offsets := squeezeWithOffsets(text)
	pageAt := func(off int) int {
		k := sort.Search(len(marks), func(i int) bool { return marks[i].Offset > off })
		if k == 0 {
			return marks[0].Page
		}
		return marks[k-1].Page
	}
	cursor, page := 0, marks[0].Page
	for _, u := range d.Units {
		key, _ := squeezeWithOffsets(u.Text)
		if key != "" {
			n := 0
			for i := range key {
				if n == 12 {
					key = key[:i]
					break
				}
				n++
			}
			if k := strings.Index(squeezed[cursor:], key); k >= 0 {
				cursor += k
				page = pageAt(offsets[cursor])
			}
		}
		u.Page = page
		u.Citation += "（第" + strconv.Itoa(page) + "页）"
	}
}

// squeezeWithOffsets returns s without whitespace, table pipes and
// heading marks, with the byte offset in s of each byte of the result.
func squeezeWithOffsets(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s))
	for i, r := range s {
		if unicode.IsSpace(r) || r == '|' || r == '#' {
			continue
		}
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			offs = append(offs, i)
		}
	}
	return b.String(), offs
}
