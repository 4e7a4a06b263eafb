// Package tables recognises tables in the text lines of a document and
// reconstructs them (header, body rows, merged cells) as corpus.Table.
//
// The seed documents carry tables in three textual shapes, all produced by
// copying a word-processor table into plain text:
//
//   - Shape A, one cell per TAB-prefixed line (yongchuan-2022, wuxi-2022):
//     every cell starts a line with a TAB, rows are separated by blank lines,
//     and a cell may continue over several lines without a TAB, even across
//     blank lines ("⇥义务" "教育" → 义务教育; "⇥2024" "" "—" "" "2027" →
//     2024—2027). Headers may span several rows whose cells are horizontally
//     merged (项目概况 over 建设地址, 建设性质 …).
//   - Shape B, one row per line with TAB-separated cells (shapingba-2021
//     专栏1), with a two-row header that is repeated in the middle of the
//     table (a page break in the original).
//   - Shape C, one cell per line and no TABs at all (liangjiang-2022 表1),
//     whose header lost a column label: the row width is inferred from the
//     序号 sequence 1, 2, 3 … and the missing label is restored.
//
// Markdown pipe tables (| 指标 | 2025年 |, a |---| delimiter row) are read
// too, for documents added as .md files.
//
// Find is the entry point the parser (corpus/parse) uses: it is called at every
// line index, so it rejects ordinary lines after a few byte comparisons.
package tables

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// Span is a table found in the cleaned source lines.
type Span struct {
	ID      string        // "t2" for 表2, "box1" for a 专栏1 table, "tx" for a table without number (not deduplicated: see Find)
	Caption string        // caption text as written, without markdown markers and leading TAB
	Start   int           // first line index (the caption line, or the first header line when there is no caption)
	HeadEnd int           // lines [Start, HeadEnd) are caption + header rows (one section unit)
	Rows    []RowSpan     // one span per body row, in order, len(Rows) == len(Table.Rows)
	End     int           // one past the last line of the table
	Table   *corpus.Table // reconstructed table: ID, Caption, Header, Rows (UnitID/RowIDs left empty)
}

// RowSpan is the line range [Start, End) of one body row.
type RowSpan struct{ Start, End int }

// Limits of the recogniser. They bound the work done per line and keep
// running text from being mistaken for table parts.
const (
	maxCaptionRunes   = 80      // a caption is a short line
	maxUnnumberedCap  = 60      // an unnumbered caption ("…建设项目表") is shorter still
	maxCaptionGap     = 3       // blank lines allowed between caption and table
	maxCaptionNotes   = 2       // note lines ("单位：万人") allowed between caption and table
	maxContRunes      = 30      // a continuation line of a cell is short
	maxContLines      = 6       // non-blank continuation lines of one cell
	maxSeqHeaderCells = 20      // header labels of a shape-C table
	maxSeqCellRunes   = 80      // a shape-C cell is short
	maxSeqCells       = 1 << 12 // cells read for a shape-C table
)

var (
	// numberedCaptionRe matches 表2 …, 专栏 1：…, 专栏4 ….
	// A Chinese numeral must be followed by a separator (表一 …, 专栏十二：),
	// so that 附表 一览表 is not 附表一.
	numberedCaptionRe = regexp.MustCompile(`^(附表|表|专栏)\s*(?:(\d{1,3})(?:$|[^\d.．])|([一二三四五六七八九十]{1,3})(?:$|[\s：:、．.]))`)
	// seqCaptionRe matches liangjiang's caption that lost its 表: "1 两江新区…主要指标".
	seqCaptionRe = regexp.MustCompile(`^(\d{1,3})\s+\S`)
	// headingRe matches numbering labels that never continue a table cell.
	headingRe = regexp.MustCompile(`^(#|第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|附件|附表|专栏\s*[\d一二三四五六七八九十]|表\s*[\d一二三四五六七八九十])`)
	// numericRe matches a cell that is a number, possibly with a sign,
	// comparator or percent: 95.03, -0.19, —0.0322, ＞93.0, 98%.
	numericRe = regexp.MustCompile(`^[-—–+＋＞>≥<≤＜]?\s*\d+(?:[.．]\d+)?\s*[%％]?$`)
)

// Find reports whether a table starts at lines[i] and returns its
// span. It looks at lines[i:] and, for a table without caption, at the
// line before i; its cost is proportional to the table, so calling it at
// every line is linear in the document.
//
// The id comes from the caption alone (表2 → t2, 专栏1 → box1, a table
// without number → tx), so it is the same on every parse and does not
// move when text elsewhere is edited. A document with two tables of the
// same number gets the same id twice: the caller makes ids unique in
// document order (t2, t2-2, t2-3), as the parser does for every path.
// Deduplicating here would need a scan of all preceding lines at every
// table, quadratic on large documents.
func Find(lines []string, i int) (Span, bool) {
	return scanTable(lines, i)
}

// IsSeqCaption reports whether s starts like a caption that lost its 表
// (liangjiang-2022: "1 两江新区…主要指标"): a number of up to three digits
// and a space before the title.
func IsSeqCaption(s string) bool { return seqCaptionRe.MatchString(s) }

// maybeTableStart is the cheap pre-filter of scanTable: false for blank
// lines and for long lines that are neither TAB cells nor short captions.
func maybeTableStart(line string) bool {
	if line == "" {
		return false
	}
	if line[0] == '\t' || strings.IndexByte(line, '\t') >= 0 || isPipeLine(line) {
		return true
	}
	if len(line) > 4*maxCaptionRunes { // 4 bytes per rune at most
		return false
	}
	s := strings.TrimLeft(line, " *#\u3000")
	if s == "" {
		return false
	}
	if s[0] >= '0' && s[0] <= '9' {
		return true
	}
	return strings.HasPrefix(s, "表") || strings.HasPrefix(s, "专栏") || strings.Contains(s, "表")
}

// scanTable recognises a table at lines[i] without looking at the lines
// before i (except to tell whether a TAB line starts a block).
func scanTable(lines []string, i int) (Span, bool) {
	if i < 0 || i >= len(lines) || !maybeTableStart(lines[i]) {
		return Span{}, false
	}
	line := lines[i]
	caption := cleanCaption(line)
	isTab := strings.HasPrefix(line, "\t")

	if id, ok := numberedCaption(caption); ok {
		j := tableNextLine(lines, i+1, maxCaptionGap)
		for n := 0; j >= 0 && n < maxCaptionNotes && isCaptionNote(lines[j]); n++ {
			j = tableNextLine(lines, j+1, maxCaptionGap)
		}
		if j < 0 {
			return Span{}, false
		}
		if isTabLine(lines[j]) {
			return buildTabTable(lines, i, j, id, caption)
		}
		if isPipeLine(lines[j]) {
			return buildPipeTable(lines, i, j, id, caption)
		}
		if isSeqLabel(strings.TrimSpace(lines[j])) {
			return buildSeqTable(lines, i, j, id, caption)
		}
		return Span{}, false
	}
	if isTab {
		// A TAB line that is itself caption-like (⇥专栏3 …) is a text box,
		// not the first cell of a table.
		if looksLikeCaption(caption) {
			return Span{}, false
		}
		// A table without caption starts at a TAB line whose previous
		// non-blank line is not a TAB line.
		if p := tablePrevLine(lines, i); p >= 0 && isTabLine(lines[p]) {
			return Span{}, false
		}
		return buildTabTable(lines, i, i, "tx", "")
	}
	if isPipeLine(line) {
		// A markdown table without caption.
		if p := tablePrevLine(lines, i); p >= 0 && isPipeLine(lines[p]) {
			return Span{}, false
		}
		return buildPipeTable(lines, i, i, "tx", "")
	}
	if strings.ContainsRune(line, '\t') {
		// A shape-B row without leading TAB ("1⇥学前…"): only a table start
		// when the previous non-blank line is not part of a table.
		if p := tablePrevLine(lines, i); p >= 0 && isTabLine(lines[p]) {
			return Span{}, false
		}
		return buildTabTable(lines, i, i, "tx", "")
	}
	if m := seqCaptionRe.FindStringSubmatch(caption); m != nil && isShortCaption(caption, maxCaptionRunes) {
		j := tableNextLine(lines, i+1, maxCaptionGap)
		if j >= 0 && isSeqLabel(strings.TrimSpace(lines[j])) {
			return buildSeqTable(lines, i, j, "t"+strconv.Itoa(captionAtoi(m[1])), caption)
		}
		return Span{}, false
	}
	if strings.Contains(caption, "表") && isShortCaption(caption, maxUnnumberedCap) && !headingRe.MatchString(caption) {
		j := tableNextLine(lines, i+1, maxCaptionGap)
		if j >= 0 && isTabLine(lines[j]) {
			return buildTabTable(lines, i, j, "tx", caption)
		}
		if j >= 0 && isPipeLine(lines[j]) {
			return buildPipeTable(lines, i, j, "tx", caption)
		}
	}
	return Span{}, false
}

// pipeSepRe matches the delimiter row of a markdown table: |---|:--:|.
var pipeSepRe = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)

// isPipeLine reports whether a line is a row of a markdown pipe table.
func isPipeLine(line string) bool {
	s := strings.TrimSpace(line)
	return strings.HasPrefix(s, "|") && strings.Count(s, "|") >= 2
}

// buildPipeTable reads a markdown pipe table (documents added as .md):
// header row at lines[j], delimiter row, then one row per line.
func buildPipeTable(lines []string, start, j int, id, caption string) (Span, bool) {
	if j+2 >= len(lines) || !pipeSepRe.MatchString(strings.TrimSpace(lines[j+1])) {
		return Span{}, false
	}
	blocks := []rowBlock{pipeRow(lines[j], j)}
	for k := j + 2; k < len(lines) && isPipeLine(lines[k]); k++ {
		blocks = append(blocks, pipeRow(lines[k], k))
	}
	sp, ok := assemble(lines, start, blocks, id, caption)
	if !ok || sp.Rows[0].Start < j+2 {
		return Span{}, false
	}
	sp.HeadEnd = max(sp.HeadEnd, j+2) // the delimiter row belongs to the header
	return sp, true
}

// pipeRow splits one markdown table row into cells.
func pipeRow(line string, k int) rowBlock {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "|")
	s = strings.TrimSuffix(s, "|")
	parts := strings.Split(s, "|")
	cells := make([]cellSpan, len(parts))
	for x, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) >= 4 && strings.HasPrefix(p, "**") && strings.HasSuffix(p, "**") {
			p = strings.TrimSpace(p[2 : len(p)-2])
		}
		cells[x] = cellSpan{text: p, start: k, end: k + 1}
	}
	return rowBlock{cells: cells}
}

// isCaptionNote reports whether a line between a caption and its table
// is a note that belongs to the caption: "单位：万人", "（数据截至2020年底）".
func isCaptionNote(line string) bool {
	if strings.ContainsRune(line, '\t') {
		return false
	}
	s := strings.TrimSpace(line)
	if s == "" || utf8.RuneCountInString(s) > maxContRunes+10 || headingRe.MatchString(s) {
		return false
	}
	if strings.HasPrefix(s, "单位") || strings.HasPrefix(s, "计量单位") || strings.HasPrefix(s, "数据来源") {
		return true
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return (first == '（' || first == '(') && (last == '）' || last == ')')
}

// cleanCaption strips a leading TAB, markdown markers and surrounding space.
func cleanCaption(line string) string {
	s := strings.TrimSpace(line)
	s = strings.TrimLeft(s, "#")
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && len(s) >= 4 {
		s = strings.TrimSpace(s[2 : len(s)-2])
	}
	return s
}

// numberedCaption returns t{n} for 表n … and box{n} for 专栏n … captions.
func numberedCaption(s string) (string, bool) {
	if !strings.HasPrefix(s, "表") && !strings.HasPrefix(s, "专栏") && !strings.HasPrefix(s, "附表") {
		return "", false
	}
	if !isShortCaption(s, maxCaptionRunes) {
		return "", false
	}
	m := numberedCaptionRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	n := captionAtoi(m[2])
	if m[2] == "" {
		n = captionChineseNumber(m[3])
	}
	if n == 0 {
		return "", false
	}
	if m[1] != "专栏" {
		return "t" + strconv.Itoa(n), true
	}
	return "box" + strconv.Itoa(n), true
}

// looksLikeCaption reports whether a cell text is a table or box caption.
func looksLikeCaption(s string) bool {
	_, ok := numberedCaption(s)
	return ok
}

// isShortCaption reports whether s can be a caption: at most limit runes
// and not ending like a sentence.
func isShortCaption(s string, limit int) bool {
	if s == "" || utf8.RuneCountInString(s) > limit {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune("。；;，,：:", r)
}

// captionChineseNumber converts 一 … 九十九 to an int; 0 when s is not one.
func captionChineseNumber(s string) int {
	const digits = "零一二三四五六七八九"
	n, cur := 0, 0
	for _, r := range s {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
			continue
		}
		d := strings.IndexRune(digits, r)
		if d < 0 {
			return 0
		}
		cur = d / len("一")
	}
	return n + cur
}

func captionAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// tableBlank reports whether a line is empty. A line holding only a TAB is
// not blank: it is an empty cell of a shape-A table.
func tableBlank(line string) bool {
	return strings.TrimSpace(line) == "" && !strings.ContainsRune(line, '\t')
}

// isTabLine reports whether a line holds TAB-separated cells (shape A or B).
func isTabLine(line string) bool { return strings.ContainsRune(line, '\t') }

// isCellLine reports whether a line is one shape-A cell: a leading TAB and
// no other TAB.
func isCellLine(line string) bool {
	return strings.HasPrefix(line, "\t") && !strings.ContainsRune(line[1:], '\t')
}

// isRowLine reports whether a line is a shape-B row: several TAB-separated
// cells on one line.
func isRowLine(line string) bool {
	return isTabLine(line) && !isCellLine(line)
}

// isSeqLabel reports whether s is the label of a sequence-number column.
func isSeqLabel(s string) bool {
	s = strings.Join(strings.Fields(s), "")
	return s == "序号" || s == "编号" || s == "项目编号"
}

// tableNextLine returns the index of the first non-blank line at or after
// j, allowing at most gap blank lines before it; -1 when there is none.
func tableNextLine(lines []string, j, gap int) int {
	for k := j; k < len(lines) && k <= j+gap; k++ {
		if !tableBlank(lines[k]) {
			return k
		}
	}
	return -1
}

// tablePrevLine returns the index of the last non-blank line before i, or -1.
func tablePrevLine(lines []string, i int) int {
	for k := i - 1; k >= 0; k-- {
		if !tableBlank(lines[k]) {
			return k
		}
	}
	return -1
}

// cellSpan is one cell with the lines [start, end) it was read from.
type cellSpan struct {
	text       string
	start, end int
}

// rowBlock is one row as read from the text, before widths are reconciled.
type rowBlock struct{ cells []cellSpan }

func (b rowBlock) start() int { return b.cells[0].start }
func (b rowBlock) end() int   { return b.cells[len(b.cells)-1].end }
func (b rowBlock) texts() []string {
	out := make([]string, len(b.cells))
	for i, c := range b.cells {
		out[i] = c.text
	}
	return out
}

// buildTabTable reads a shape-A or shape-B table whose first content line
// is lines[j] and whose caption (if any) is lines[start].
func buildTabTable(lines []string, start, j int, id, caption string) (Span, bool) {
	var blocks []rowBlock
	if isRowLine(lines[j]) {
		blocks = readRowLines(lines, j)
	} else {
		blocks = readCellLines(lines, j)
	}
	if len(blocks) == 1 && len(blocks[0].cells) > 0 && isSeqLabel(blocks[0].cells[0].text) {
		// No blank lines between rows: read it like shape C, from the 序号
		// sequence.
		cells := blocks[0].cells
		for x, c := range cells {
			if c.text == "1" && x >= 2 {
				labels := rowBlock{cells: cells[:x]}.texts()
				return seqAssemble(labels, cells[x:], start, cells[x-1].end, id, caption)
			}
		}
		return Span{}, false
	}
	return assemble(lines, start, blocks, id, caption)
}

// readCellLines reads shape A: one cell per TAB-prefixed line, a blank line
// before a TAB line starts a new row, short lines without TAB continue the
// previous cell.
func readCellLines(lines []string, j int) []rowBlock {
	var blocks []rowBlock
	sawBlank := false
	for k := j; k < len(lines); {
		line := lines[k]
		if tableBlank(line) {
			sawBlank = true
			k++
			continue
		}
		if isCellLine(line) {
			text := strings.TrimSpace(line[1:])
			if len(blocks) == 0 || sawBlank {
				if len(blocks) > 0 && looksLikeCaption(text) {
					break // ⇥表6 … starts the next table
				}
				blocks = append(blocks, rowBlock{})
			}
			b := &blocks[len(blocks)-1]
			b.cells = append(b.cells, cellSpan{text: text, start: k, end: k + 1})
			sawBlank = false
			k++
			continue
		}
		if len(blocks) > 0 && !strings.ContainsRune(line, '\t') {
			if n := continuationRun(lines, k, len(blocks) == 1); n > 0 {
				b := &blocks[len(blocks)-1]
				c := &b.cells[len(b.cells)-1]
				for m := k; m < k+n; m++ {
					if !tableBlank(lines[m]) {
						c.text = joinCell(c.text, strings.TrimSpace(lines[m]))
						c.end = m + 1
					}
				}
				k += n
				sawBlank = false
				continue
			}
		}
		break
	}
	return blocks
}

// continuationRun reports how many lines starting at k continue the
// current cell: a run of at most maxContLines short non-heading lines
// (blank lines allowed between) that is followed by another cell of the
// table. A run set off by blank lines on both sides only continues a
// header cell (wuxi 表1 "“十三五”" "" "变化情况" ""); in the body it would
// more likely be a note or the caption of the next table. It returns 0
// when lines[k] is not a continuation.
func continuationRun(lines []string, k int, inHeader bool) int {
	sepBefore := k > 0 && tableBlank(lines[k-1])
	count, last := 0, -1
	for m := k; m < len(lines) && m < k+4*maxContLines; m++ {
		line := lines[m]
		if tableBlank(line) {
			continue
		}
		if strings.ContainsRune(line, '\t') {
			if last < 0 || !isCellLine(line) || looksLikeCaption(strings.TrimSpace(line[1:])) {
				return 0
			}
			if sepBefore && !inHeader && tableBlank(lines[m-1]) {
				return 0
			}
			return last + 1 - k
		}
		s := cleanCaption(line)
		if count == maxContLines || utf8.RuneCountInString(s) > maxContRunes || headingRe.MatchString(s) {
			return 0
		}
		if sepBefore && strings.HasSuffix(s, "表") {
			return 0 // "附表 一览表": the caption of the next table
		}
		count++
		last = m
	}
	return 0
}

// joinCell appends a continuation line to a cell: Chinese text joins
// without separator, two ASCII words get a space.
func joinCell(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if cellASCIIWord(ra) && cellASCIIWord(rb) {
		return a + " " + b
	}
	return a + b
}

func cellASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// readRowLines reads shape B: one row per line, cells separated by TABs;
// the table ends at the first non-blank line without TAB or at a caption.
func readRowLines(lines []string, j int) []rowBlock {
	var blocks []rowBlock
	sawBlank := false
	for k := j; k < len(lines); k++ {
		line := lines[k]
		if tableBlank(line) {
			sawBlank = true
			continue
		}
		if !isTabLine(line) {
			break
		}
		parts := strings.Split(line, "\t")
		cells := make([]cellSpan, len(parts))
		for x, p := range parts {
			cells[x] = cellSpan{text: strings.TrimSpace(p), start: k, end: k + 1}
		}
		if len(blocks) > 0 && sawBlank && looksLikeCaption(firstCellText(cells)) {
			break
		}
		blocks = append(blocks, rowBlock{cells: cells})
		sawBlank = false
	}
	return blocks
}

func firstCellText(cells []cellSpan) string {
	for _, c := range cells {
		if c.text != "" {
			return c.text
		}
	}
	return ""
}

// bodyRow is a body row with the lines [start, end) it covers.
type bodyRow struct {
	cells      []string
	start, end int
}

// assemble turns the blocks read from the text into a table: header rows,
// repeated headers, body rows of uniform width, merged cells filled.
//
// Repeated header (shapingba 专栏1 continues after a page break with a copy
// of its two header rows): the copy is not a data row, so it does not
// become a row of Table.Rows; its lines are given to the span of the next
// body row, so that the partition of the text stays exact and the table
// keeps all its body rows under one id. A copy with no body row after it
// ends the table before it.
func assemble(lines []string, start int, blocks []rowBlock, id, caption string) (Span, bool) {
	if len(blocks) < 2 {
		return Span{}, false
	}
	width := modeWidth(blocks[1:], len(blocks[0].cells))
	if hw := len(blocks[0].cells); len(blocks) == 2 && hw >= 2 && width > hw && width%hw == 0 && !hasEmptyCell(blocks[0].cells) {
		// A header and one block of k×header cells: the blank lines
		// between rows were lost; splitBlock cuts it into rows.
		width = hw
	}
	if width < 2 {
		return Span{}, false
	}
	head := []rowBlock{blocks[0]}
	body := blocks[1:]
	for len(body) > 0 {
		last := head[len(head)-1]
		b := body[0]
		if b.cells[0].text != "" {
			break
		}
		wider := len(last.cells) < width && len(b.cells) > len(last.cells)
		spanned := len(head) == 1 && hasEmptyCell(last.cells) && !hasNumericCell(b.cells)
		if !wider && !spanned {
			break
		}
		head = append(head, b)
		body = body[1:]
	}
	headRows := make([][]string, len(head))
	for x, h := range head {
		headRows[x] = h.texts()
	}
	header := buildHeader(headRows)

	// Body rows: skip repeated headers, split blocks that hold several rows.
	var rows []bodyRow
	pending := -1 // first line of a repeated header waiting for the next row
	for x := 0; x < len(body); x++ {
		b := body[x]
		if isHeaderCopy(b, head[0]) {
			if pending < 0 {
				pending = b.start()
			}
			// The copy's continuation rows follow it.
			for n := 1; n < len(head) && x+1 < len(body) && body[x+1].cells[0].text == "" && !hasNumericCell(body[x+1].cells); n++ {
				x++
			}
			continue
		}
		for _, part := range splitBlock(b, width) {
			r := bodyRow{cells: part.texts(), start: part.start(), end: part.end()}
			if pending >= 0 {
				r.start = pending
				pending = -1
			}
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 || isTOC(headRows, rows) {
		return Span{}, false
	}
	width = max(width, len(header))
	header = restoreHeader(header, width)
	cells := make([][]string, len(rows))
	spans := make([]RowSpan, len(rows))
	for x, r := range rows {
		cells[x] = fitRow(r.cells, width)
		spans[x] = RowSpan{Start: r.start, End: r.end}
	}
	fillMerged(header, cells)
	return Span{
		ID:      id,
		Caption: caption,
		Start:   start,
		HeadEnd: head[len(head)-1].end(),
		Rows:    spans,
		End:     spans[len(spans)-1].End,
		Table:   &corpus.Table{ID: id, Caption: caption, Header: header, Rows: cells},
	}, true
}

// leaderRe matches the dot leaders of a table of contents: "总体要求.....⇥6".
var leaderRe = regexp.MustCompile(`(\.{3,}|…{2,}|·{3,})$`)

// isTOC reports whether the "table" is a table of contents whose entries
// are separated from their page numbers by a TAB: most rows end a cell
// with dot leaders.
func isTOC(head [][]string, rows []bodyRow) bool {
	n, all := 0, 0
	count := func(cells []string) {
		all++
		for _, c := range cells {
			if leaderRe.MatchString(c) {
				n++
				return
			}
		}
	}
	for _, h := range head {
		count(h)
	}
	for _, r := range rows {
		count(r.cells)
	}
	return 2*n > all
}

// modeWidth returns the most frequent row width; on ties the header width
// wins, then the larger width.
func modeWidth(blocks []rowBlock, headWidth int) int {
	count := map[int]int{}
	for _, b := range blocks {
		count[len(b.cells)]++
	}
	best, bestN := 0, 0
	for w, n := range count {
		better := n > bestN
		if n == bestN && best != headWidth {
			better = w == headWidth || w > best
		}
		if better {
			best, bestN = w, n
		}
	}
	return best
}

func hasEmptyCell(cells []cellSpan) bool {
	for _, c := range cells {
		if c.text == "" {
			return true
		}
	}
	return false
}

func hasNumericCell(cells []cellSpan) bool {
	for _, c := range cells {
		if isNumericCell(c.text) {
			return true
		}
	}
	return false
}

func isNumericCell(s string) bool { return s != "" && numericRe.MatchString(s) }

// isHeaderCopy reports whether a body block repeats the first header row.
func isHeaderCopy(b, head rowBlock) bool {
	if len(b.cells) < 2 || len(head.cells) < 2 {
		return false
	}
	for x := 0; x < 2; x++ {
		a, h := squeezeSpace(b.cells[x].text), squeezeSpace(head.cells[x].text)
		if a == "" || a != h {
			return false
		}
	}
	return true
}

// squeezeSpace removes all whitespace.
func squeezeSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// splitBlock splits a block holding k×width cells (rows whose separating
// blank line was lost) into k rows; other blocks are returned unchanged.
func splitBlock(b rowBlock, width int) []rowBlock {
	n := len(b.cells)
	if width < 2 || n <= width || n%width != 0 {
		return []rowBlock{b}
	}
	for x := width; x < n; x += width {
		if b.cells[x].start < b.cells[x-1].end {
			return []rowBlock{b} // cells of one line (shape B) are one row
		}
	}
	out := make([]rowBlock, 0, n/width)
	for x := 0; x < n; x += width {
		out = append(out, rowBlock{cells: b.cells[x : x+width]})
	}
	return out
}

// fitRow pads a short row with empty cells and folds the cells of a long
// row beyond width into its last cell, so that no text is dropped.
func fitRow(cells []string, width int) []string {
	out := make([]string, width)
	copy(out, cells)
	if len(cells) > width {
		extra := []string{out[width-1]}
		for _, c := range cells[width:] {
			if c != "" {
				extra = append(extra, c)
			}
		}
		out[width-1] = strings.TrimSpace(strings.Join(extra, " "))
	}
	return out
}

// fillMerged fills vertically merged cells of the first column: an empty
// 分类 cell means "same as above". Sequence-number columns are not filled.
func fillMerged(header []string, rows [][]string) {
	if len(header) == 0 || isSeqLabel(header[0]) {
		return
	}
	prev := ""
	for _, r := range rows {
		if r[0] == "" {
			r[0] = prev
		} else {
			prev = r[0]
		}
	}
}

// buildHeader joins multi-row header labels with "·". Each header row is
// aligned with the columns built so far: a row with more cells than
// columns subdivides the columns above its runs of non-empty cells (an
// empty cell continues the column above it: vertical merge); a row of
// the same width combines position by position, and an empty label next
// to a subdivided label inherits its left neighbour (horizontal merge).
func buildHeader(rows [][]string) []string {
	if len(rows) == 0 {
		return nil
	}
	paths := make([][]string, len(rows[0]))
	for x, c := range rows[0] {
		if l := cleanHeaderLabel(c); l != "" {
			paths[x] = []string{l}
		}
	}
	for _, row := range rows[1:] {
		labels := make([]string, len(row))
		for x, c := range row {
			labels[x] = cleanHeaderLabel(c)
		}
		if next, ok := alignWider(paths, labels); ok {
			paths = next
			continue
		}
		paths = alignPositional(paths, labels)
	}
	out := make([]string, len(paths))
	for x, p := range paths {
		out[x] = strings.Join(dedupeLabels(p), "·")
	}
	return out
}

// alignWider aligns a header row that has more cells than there are
// columns: empty cells map one-to-one onto columns that end above, runs
// of labels subdivide the remaining columns evenly.
func alignWider(paths [][]string, row []string) ([][]string, bool) {
	if len(row) <= len(paths) {
		return nil, false
	}
	type run struct{ start, n int }
	var runs []run
	empties := 0
	for x := 0; x < len(row); {
		if row[x] == "" {
			empties++
			x++
			continue
		}
		r := run{start: x}
		for x < len(row) && row[x] != "" {
			x++
			r.n++
		}
		runs = append(runs, r)
	}
	avail := len(paths) - empties
	if len(runs) == 0 || avail < len(runs) {
		return nil, false
	}
	groups := make([]int, len(runs))
	switch {
	case len(runs) == 1:
		groups[0] = avail
	case avail == len(runs):
		for x := range groups {
			groups[x] = 1
		}
	default:
		return nil, false
	}
	for x, r := range runs {
		if r.n%groups[x] != 0 {
			return nil, false
		}
	}
	var out [][]string
	p, ri := 0, 0
	for x := 0; x < len(row); {
		if row[x] == "" {
			out = append(out, cloneLabelPath(paths[p]))
			p++
			x++
			continue
		}
		r, g := runs[ri], groups[ri]
		per := r.n / g
		for y := 0; y < r.n; y++ {
			out = append(out, append(cloneLabelPath(paths[p+y/per]), row[x+y]))
		}
		p += g
		x += r.n
		ri++
	}
	return out, true
}

// alignPositional combines a header row with the columns position by
// position, filling horizontally merged labels from the left.
func alignPositional(paths [][]string, row []string) [][]string {
	n := max(len(paths), len(row))
	prev := make([][]string, n)
	copy(prev, paths)
	out := make([][]string, n)
	for x := 0; x < n; x++ {
		base := prev[x]
		label := ""
		if x < len(row) {
			label = row[x]
		}
		if len(base) == 0 && label != "" && x > 0 && len(prev[x-1]) > 0 && x-1 < len(row) && row[x-1] != "" {
			base = prev[x-1] // horizontal merge: 指标值 spans two sub-columns
			prev[x] = base
		}
		out[x] = cloneLabelPath(base)
		if label != "" {
			out[x] = append(out[x], label)
		}
	}
	return out
}

func cloneLabelPath(p []string) []string { return append([]string(nil), p...) }

func dedupeLabels(p []string) []string {
	var out []string
	for _, s := range p {
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// cleanHeaderLabel trims a header label and removes the spacing used to stretch
// Chinese labels ("指    标" → 指标), keeping single spaces between ASCII
// words.
func cleanHeaderLabel(s string) string {
	f := strings.Fields(s)
	if len(f) <= 1 {
		return strings.Join(f, "")
	}
	out := f[0]
	for _, w := range f[1:] {
		ra, _ := utf8.DecodeLastRuneInString(out)
		rb, _ := utf8.DecodeRuneInString(w)
		if cellASCIIWord(ra) && cellASCIIWord(rb) {
			out += " "
		}
		out += w
	}
	return out
}

// restoreHeader gives every column a label: a header that lost exactly one
// label after 序号 gets 指标 there (liangjiang-2022 表1); other missing or
// empty labels become 第N列.
func restoreHeader(header []string, width int) []string {
	h := append([]string(nil), header...)
	if len(h) == width-1 && len(h) > 0 && isSeqLabel(h[0]) && !hasNameLabel(h) {
		h = append(h[:1], append([]string{"指标"}, h[1:]...)...)
	}
	for len(h) < width {
		h = append(h, "")
	}
	for x := range h {
		if h[x] == "" {
			h[x] = fmt.Sprintf("第%d列", x+1)
		}
	}
	return h
}

// hasNameLabel reports whether a header already names its indicator or
// item column.
func hasNameLabel(h []string) bool {
	for _, l := range h {
		if strings.Contains(l, "指标") || strings.Contains(l, "名称") || strings.Contains(l, "项目") {
			return true
		}
	}
	return false
}

// buildSeqTable reads shape C: caption at lines[start], header labels one
// per line from lines[j] up to the first 序号 value "1", then cells one per
// line. The row width is the distance between consecutive 序号 values;
// rows are taken while the sequence continues.
func buildSeqTable(lines []string, start, j int, id, caption string) (Span, bool) {
	var labels []string
	headEnd := -1
	k := j
	for ; k < len(lines); k++ {
		if tableBlank(lines[k]) {
			continue
		}
		s := strings.TrimSpace(lines[k])
		if s == "1" {
			break
		}
		if len(labels) == maxSeqHeaderCells || strings.ContainsRune(lines[k], '\t') || utf8.RuneCountInString(s) > maxContRunes {
			return Span{}, false
		}
		labels = append(labels, s)
		headEnd = k + 1
	}
	if k >= len(lines) || len(labels) < 2 {
		return Span{}, false
	}
	// Cells: one per non-blank line, stopping at a TAB line, a long line
	// or a heading.
	var cells []cellSpan
	for m := k; m < len(lines) && len(cells) < maxSeqCells; m++ {
		// A TAB-only line is an empty cell of another shape, not a blank
		// line: it ends the cells (tableBlank), so no line inside the span
		// is left without a unit.
		if tableBlank(lines[m]) {
			continue
		}
		s := strings.TrimSpace(lines[m])
		if strings.ContainsRune(lines[m], '\t') || utf8.RuneCountInString(s) > maxSeqCellRunes || (headingRe.MatchString(s) && !isNumericCell(s)) {
			break
		}
		cells = append(cells, cellSpan{text: s, start: m, end: m + 1})
	}
	return seqAssemble(labels, cells, start, headEnd, id, caption)
}

// seqAssemble builds a table from header labels and a flat list of cells
// that starts with the 序号 value "1": the row width is the distance to the
// cell "2" (trying every candidate and keeping the one that gives most
// rows while the sequence 1, 2, 3 … continues).
func seqAssemble(labels []string, cells []cellSpan, start, headEnd int, id, caption string) (Span, bool) {
	// Try every width at which "2" appears; keep the one giving most rows.
	bestW, bestRows := 0, 0
	for w := len(labels); w <= len(labels)+2 && w < len(cells); w++ {
		if cells[w].text != "2" {
			continue
		}
		n := 0
		for n*w+w <= len(cells) && cells[n*w].text == strconv.Itoa(n+1) {
			n++
		}
		if n > bestRows {
			bestW, bestRows = w, n
		}
	}
	if bestRows < 2 {
		return Span{}, false
	}
	header := restoreHeader(buildHeader([][]string{labels}), bestW)
	var rows [][]string
	var spans []RowSpan
	for r := 0; r < bestRows; r++ {
		part := cells[r*bestW : (r+1)*bestW]
		if r == bestRows-1 && !saneLastRow(part) {
			break
		}
		rows = append(rows, rowBlock{cells: part}.texts())
		spans = append(spans, RowSpan{Start: part[0].start, End: part[len(part)-1].end})
	}
	fillMerged(header, rows)
	return Span{
		ID:      id,
		Caption: caption,
		Start:   start,
		HeadEnd: headEnd,
		Rows:    spans,
		End:     spans[len(spans)-1].End,
		Table:   &corpus.Table{ID: id, Caption: caption, Header: header, Rows: rows},
	}, true
}

// saneLastRow checks the last row of a shape-C table, whose end is not
// confirmed by a following 序号: no cell may be a heading.
func saneLastRow(cells []cellSpan) bool {
	for _, c := range cells[1:] {
		if headingRe.MatchString(c.text) && !isNumericCell(c.text) {
			return false
		}
	}
	return true
}
