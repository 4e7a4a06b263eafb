package docx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/zipfile"
)

// field states of a complex field (w:fldChar begin … separate … end):
// its instruction is skipped, its result kept, except the result of a
// TOC field: a table of contents repeats the headings with page numbers.
const (
	fieldCode = iota
	fieldResult
	fieldHidden
)

// maxInstr is how much of a field instruction is kept to tell its kind.
const maxInstr = 16

// field is an open complex field.
type field struct {
	state int
	instr []byte
}

// para is a paragraph being read.
type para struct {
	segs    []string // text before each w:br, w:cr
	cur     strings.Builder
	style   string
	outline int // own w:outlineLvl as outlineLevel returns it
	numID   string
	ilvl    int
	hasNum  bool
}

// cellB is a table cell being read.
type cellB struct {
	lines []string
	span  int
	merge int // 0 none, 1 restart, 2 continue
}

const (
	mergeNone = iota
	mergeRestart
	mergeContinue
)

// tableB is the outermost table being read; nested tables flatten into
// its cells.
type tableB struct {
	rows   [][]corpus.Cell
	row    []corpus.Cell
	col    int // grid column of the next cell
	cell   *cellB
	origin map[int][2]int // grid column → row, index of a vMerge restart cell
}

// walker turns the body of document.xml (or footnotes.xml, endnotes.xml)
// into blocks.
type walker struct {
	st      *styles
	num     *numbering
	maxText int64
	text    int64
	hasText bool
	blocks  []corpus.Block

	paras  []*para
	tables []*tableB
	fields []field
	alts   []bool // per open mc:AlternateContent: a branch was taken
	inText bool   // inside w:t (or a:t, m:t) whose text counts
	hidden bool   // the current run is hidden (w:vanish)
	runDep int
}

func newWalker(st *styles, num *numbering, maxText int64) *walker {
	return &walker{st: st, num: num, maxText: maxText}
}

// walkPart reads the part called name and appends its blocks.
func (w *walker) walkPart(ctx context.Context, a *zipfile.Archive, name string) error {
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return err
	}
	w.paras, w.tables, w.fields, w.alts = nil, nil, nil, nil
	w.inText, w.hidden = false, false
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch k {
		case zipfile.Start:
			if err := w.start(d); err != nil {
				return err
			}
		case zipfile.End:
			if err := w.end(d); err != nil {
				return err
			}
		case zipfile.Text:
			if w.inText && !w.hidden && w.visible() && len(w.paras) > 0 {
				w.paras[len(w.paras)-1].cur.Write(d.Text())
			}
		}
	}
}

// visible reports whether text at this point is shown: not inside a field
// instruction.
func (w *walker) visible() bool {
	for _, f := range w.fields {
		if f.state != fieldResult {
			return false
		}
	}
	return true
}

func (w *walker) top() *para {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *walker) start(d *zipfile.Decoder) error {
	p := w.top()
	switch d.Local() {
	case "p":
		w.paras = append(w.paras, &para{})
	case "pStyle":
		if p != nil {
			p.style = d.Attr("val")
		}
	case "outlineLvl":
		if p != nil {
			p.outline = outlineLevel(d.Attr("val"))
		}
	case "numId":
		if p != nil {
			p.numID, p.hasNum = d.Attr("val"), true
		}
	case "ilvl":
		if p != nil {
			p.ilvl, _ = strconv.Atoi(d.Attr("val"))
		}
	case "instrText":
		raw, err := d.SkipRaw()
		if err != nil {
			return err
		}
		if n := len(w.fields); n > 0 && len(w.fields[n-1].instr) < maxInstr {
			f := &w.fields[n-1]
			f.instr = append(f.instr, raw[:min(len(raw), maxInstr)]...)
		}
	case "del", "moveFrom", "delText", "delInstrText", "rt",
		"pPrChange", "rPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
		"tabs", "sdtPr", "sdtEndPr", "footnotePr", "endnotePr", "sectPr":
		return d.Skip()
	case "footnote", "endnote":
		switch d.Attr("type") {
		case "separator", "continuationSeparator", "continuationNotice":
			return d.Skip()
		}
	case "AlternateContent":
		w.alts = append(w.alts, false)
	case "Choice", "Fallback":
		if n := len(w.alts); n > 0 {
			if w.alts[n-1] {
				return d.Skip()
			}
			w.alts[n-1] = true
		}
	case "r":
		w.hidden, w.runDep = false, d.Depth()
	case "rPr":
		raw, err := d.SkipRaw()
		if err != nil {
			return err
		}
		if vanish(raw) {
			w.hidden = true
		}
	case "t":
		w.inText = true
	case "tab", "ptab":
		w.write("\t")
	case "noBreakHyphen":
		w.write("-")
	case "sym":
		if c, err := strconv.ParseUint(d.Attr("char"), 16, 32); err == nil && (c < 0xE000 || c > 0xF8FF) && utf8.ValidRune(rune(c)) {
			w.write(string(rune(c)))
		}
	case "br", "cr":
		if p != nil && !w.hidden && w.visible() {
			p.segs = append(p.segs, p.cur.String())
			p.cur.Reset()
		}
	case "fldChar":
		switch d.Attr("fldCharType") {
		case "begin":
			w.fields = append(w.fields, field{state: fieldCode})
		case "separate":
			if n := len(w.fields); n > 0 {
				f := &w.fields[n-1]
				f.state = fieldResult
				if bytes.HasPrefix(bytes.TrimSpace(f.instr), []byte("TOC")) {
					f.state = fieldHidden
				}
			}
		case "end":
			if n := len(w.fields); n > 0 {
				w.fields = w.fields[:n-1]
			}
		}
	case "tbl":
		w.tables = append(w.tables, &tableB{origin: map[int][2]int{}})
	case "tr":
		if tb := w.outer(); tb != nil {
			tb.row, tb.col = nil, 0
		}
	case "gridBefore":
		if tb := w.outer(); tb != nil {
			n, _ := strconv.Atoi(d.Attr("val"))
			tb.col += max(0, min(n, 1000))
		}
	case "tc":
		if tb := w.outer(); tb != nil {
			tb.cell = &cellB{span: 1}
		}
	case "gridSpan":
		if tb := w.outer(); tb != nil && tb.cell != nil {
			n, _ := strconv.Atoi(d.Attr("val"))
			tb.cell.span = max(1, min(n, 1000))
		}
	case "vMerge":
		if tb := w.outer(); tb != nil && tb.cell != nil {
			if d.Attr("val") == "restart" {
				tb.cell.merge = mergeRestart
			} else {
				tb.cell.merge = mergeContinue
			}
		}
	}
	return nil
}

// outer returns the outermost open table when the element just started
// (tr, tc, or one of their properties) belongs to it, not to a nested
// table; nil otherwise.
func (w *walker) outer() *tableB {
	if len(w.tables) != 1 {
		return nil
	}
	return w.tables[0]
}

// write appends text to the current paragraph unless it is hidden.
func (w *walker) write(s string) {
	if p := w.top(); p != nil && !w.hidden && w.visible() {
		p.cur.WriteString(s)
	}
}

// vanish reports whether the raw content of a w:rPr holds a w:vanish
// that is not switched off (w:val="0", "false", "off"); the formatting
// before a tracked change (w:rPrChange, always the last child) does not
// count.
func vanish(raw []byte) bool {
	if i := bytes.Index(raw, []byte("rPrChange")); i >= 0 {
		raw = raw[:i]
	}
	for {
		i := bytes.Index(raw, []byte("vanish"))
		if i < 0 {
			return false
		}
		if i > 0 && (raw[i-1] == ':' || raw[i-1] == '<') {
			end := bytes.IndexByte(raw[i:], '>')
			if end < 0 {
				return false
			}
			tag := raw[i : i+end]
			off := false
			for _, v := range []string{"0", "false", "off"} {
				if bytes.Contains(tag, []byte(`val="`+v+`"`)) || bytes.Contains(tag, []byte(`val='`+v+`'`)) {
					off = true
				}
			}
			if !off {
				return true
			}
		}
		raw = raw[i+len("vanish"):]
	}
}

func (w *walker) end(d *zipfile.Decoder) error {
	switch d.Local() {
	case "t":
		w.inText = false
	case "r":
		w.hidden = false
	case "AlternateContent":
		if n := len(w.alts); n > 0 {
			w.alts = w.alts[:n-1]
		}
	case "p":
		if n := len(w.paras); n > 0 {
			p := w.paras[n-1]
			w.paras = w.paras[:n-1]
			return w.endPara(p)
		}
	case "tc":
		if tb := w.outer(); tb != nil && tb.cell != nil {
			tb.endCell()
		}
	case "tr":
		if tb := w.outer(); tb != nil {
			if tb.cell != nil {
				tb.endCell()
			}
			tb.rows = append(tb.rows, tb.row)
			tb.row = nil
		}
	case "tbl":
		if n := len(w.tables); n > 0 {
			tb := w.tables[n-1]
			w.tables = w.tables[:n-1]
			if n == 1 {
				return w.endTable(tb)
			}
		}
	}
	return nil
}

// endCell closes the current cell: a vMerge continuation extends the cell
// it continues, any other cell joins the row.
func (tb *tableB) endCell() {
	c := tb.cell
	tb.cell = nil
	text := strings.Join(c.lines, "\n")
	if c.merge == mergeContinue {
		if o, ok := tb.origin[tb.col]; ok && o[0] < len(tb.rows) && o[1] < len(tb.rows[o[0]]) {
			oc := &tb.rows[o[0]][o[1]]
			oc.RowSpan++
			if text != "" {
				oc.Text = strings.TrimPrefix(oc.Text+"\n"+text, "\n")
			}
			tb.col += c.span
			return
		}
	}
	for i := tb.col; i < tb.col+c.span; i++ {
		delete(tb.origin, i)
	}
	if c.merge == mergeRestart {
		tb.origin[tb.col] = [2]int{len(tb.rows), len(tb.row)}
	}
	tb.row = append(tb.row, corpus.Cell{Text: text, RowSpan: 1, ColSpan: c.span})
	tb.col += c.span
}

// endPara finishes a paragraph: in a table cell its text is a line of the
// cell; elsewhere it becomes a heading or paragraph blocks, one per manual
// line break.
func (w *walker) endPara(p *para) error {
	segs := append(p.segs, p.cur.String())
	for i := range segs {
		segs[i] = strings.TrimSpace(segs[i])
	}
	numID, ilvl, hasNum := p.numID, p.ilvl, p.hasNum
	if !hasNum {
		numID, ilvl, hasNum = w.st.numbering(p.style)
	}
	label := ""
	if hasNum && numID != "0" && nonEmpty(segs) {
		label = w.num.label(numID, ilvl)
	}
	if len(w.tables) > 0 {
		tb := w.tables[0]
		if tb.cell == nil {
			return nil
		}
		var lines []string
		for _, s := range segs {
			if s != "" {
				lines = append(lines, s)
			}
		}
		if len(lines) == 0 {
			return nil
		}
		lines[0] = label + lines[0]
		tb.cell.lines = append(tb.cell.lines, lines...)
		return w.count(strings.Join(lines, "\n"))
	}
	if lvl := w.st.headingLevel(p.style, p.outline); lvl > 0 {
		text := ""
		for _, s := range segs {
			text = joinCJK(text, s)
		}
		if text == "" {
			return nil
		}
		return w.emit(corpus.Block{Kind: corpus.BlockHeading, Text: label + text, Level: lvl})
	}
	for _, s := range segs {
		if s == "" {
			continue
		}
		if err := w.emit(corpus.Block{Kind: corpus.BlockParagraph, Text: label + s}); err != nil {
			return err
		}
		label = ""
	}
	return nil
}

func nonEmpty(segs []string) bool {
	for _, s := range segs {
		if s != "" {
			return true
		}
	}
	return false
}

// endTable emits the outermost table: a table of one cell (a frame
// around text) as its paragraphs, a table without text not at all.
func (w *walker) endTable(tb *tableB) error {
	if tb.cell != nil {
		tb.endCell()
	}
	if tb.row != nil {
		tb.rows = append(tb.rows, tb.row)
	}
	var cells []corpus.Cell
	for _, r := range tb.rows {
		for _, c := range r {
			if c.Text != "" {
				cells = append(cells, c)
			}
		}
	}
	switch {
	case len(cells) == 0:
		return nil
	case len(cells) == 1 && len(tb.rows) <= 1 && len(tb.rows[0]) == 1:
		for _, line := range strings.Split(cells[0].Text, "\n") {
			if err := w.emit(corpus.Block{Kind: corpus.BlockParagraph, Text: line}); err != nil {
				return err
			}
		}
		return nil
	}
	w.hasText = true
	w.blocks = append(w.blocks, corpus.Block{Kind: corpus.BlockTable, Rows: tb.rows})
	return nil
}

// emit appends a block of text.
func (w *walker) emit(b corpus.Block) error {
	if err := w.count(b.Text); err != nil {
		return err
	}
	w.hasText = true
	w.blocks = append(w.blocks, b)
	return nil
}

// count adds text to the extracted size and fails over the limit.
func (w *walker) count(s string) error {
	w.text += int64(len(s))
	if w.text > w.maxText {
		return corpus.Errorf(corpus.ETOOLARGE, "DOCX 文件的文字超过 %s 上限；请拆分后再上传", zipfile.MB(w.maxText))
	}
	return nil
}

// joinCJK joins two pieces of a line broken by a manual line break: with
// a space between Latin letters or digits, directly otherwise.
func joinCJK(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	r1, _ := utf8.DecodeLastRuneInString(a)
	r2, _ := utf8.DecodeRuneInString(b)
	if isLatin(r1) && isLatin(r2) {
		return a + " " + b
	}
	return a + b
}

func isLatin(r rune) bool {
	return r < 0x2E80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
