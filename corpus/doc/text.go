package doc

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding"
)

// maxFieldDepth bounds the nesting of fields tracked; deeper fields are
// counted but not told apart.
const maxFieldDepth = 64

// maxInstrRunes is the longest field instruction accepted: past it the
// field is taken to be broken (a begin mark without an end) and its text is
// kept rather than lose the rest of the document.
const maxInstrRunes = 1 << 15

// ctxEvery is how many characters are decoded between checks of ctx.
const ctxEvery = 1 << 16

// parseDocument extracts the blocks of the document in st.
func parseDocument(ctx context.Context, st *streams, lim corpus.Limits) ([]corpus.Block, error) {
	f, err := parseFIB(st.word)
	if err != nil {
		return nil, err
	}
	tbl, err := st.table(f.flags&fWhichTblStm != 0)
	if err != nil {
		return nil, err
	}
	pieces, err := parsePieces(f, st.word, tbl)
	if err != nil {
		return nil, err
	}
	b := &builder{
		ctx:     ctx,
		papx:    parsePapx(f, st.word, tbl, st.data),
		deleted: parseDeleted(f, st.word, tbl),
		maxText: lim.MaxTextSize,
		budget:  int64(len(st.word)) + 1024,
	}
	dec := newDecoder(f, st.word, pieces)
	// Stories in CP order; headers, macros and annotations are skipped.
	var cp uint32
	for s := range nStories {
		n := f.ccp[s]
		from, to := cp, cp+n
		if to < from { // overflow: a damaged count
			to = ^uint32(0)
		}
		cp = to
		switch s {
		case storyMain, storyFtn, storyEdn, storyTxbx:
		default:
			continue
		}
		if n == 0 {
			continue
		}
		if err := b.story(dec, from, to); err != nil {
			return nil, err
		}
		if to == ^uint32(0) {
			break
		}
	}
	if len(b.blocks) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "此 Word 文档中没有可提取的文字（可能只有图片或扫描件）。请上传含文字的版本，或另存为 PDF 后重试。")
	}
	return b.blocks, nil
}

// builder turns the characters of the document into blocks.
type builder struct {
	ctx     context.Context
	papx    papxTable
	deleted deletedRuns // text deleted under revision marking
	maxText int64
	text    int64 // bytes of text emitted
	budget  int64 // characters left to decode
	count   int   // characters since the last ctx check

	blocks []corpus.Block
	para   []rune // text of the current paragraph; '\n' at line breaks

	fields []bool // open fields: true while in the instruction part
	deep   int    // fields opened past maxFieldDepth
	instr  int    // runes dropped in the current instruction

	// Table state: rows of the current table, cells of the current row,
	// paragraphs of the current cell.
	rows      [][]corpus.Cell
	row       []corpus.Cell
	cell      []string
	afterCell bool // the last paragraph ended with a cell mark
}

// story emits the blocks of CPs [from, to).
func (b *builder) story(dec *decoder, from, to uint32) error {
	b.fields = b.fields[:0]
	b.deep, b.instr = 0, 0
	err := dec.walk(from, to, b.char)
	if err != nil {
		return err
	}
	b.endPara(0, false, false)
	b.flushTable()
	if b.maxText > 0 && b.text > b.maxText {
		return b.tooLarge()
	}
	return nil
}

// tooLarge is the error of a document whose text exceeds MaxTextSize.
func (b *builder) tooLarge() error {
	return corpus.Errorf(corpus.ETOOLARGE, "Word 文档的文字过多（超过 %d MB），请拆分文档后再上传。", b.maxText>>20)
}

// inInstr reports whether the current character is inside a field
// instruction.
func (b *builder) inInstr() bool {
	for _, in := range b.fields {
		if in {
			return true
		}
	}
	return false
}

// char handles character c stored at byte offset fc.
func (b *builder) char(c rune, fc uint32) error {
	b.budget--
	if b.budget < 0 {
		return corrupt(fmt.Errorf("doc: more characters than the stream holds"))
	}
	b.count++
	if b.count >= ctxEvery {
		b.count = 0
		if err := b.ctx.Err(); err != nil {
			return ctxError(err)
		}
		if b.maxText > 0 && b.text > b.maxText {
			return b.tooLarge()
		}
	}
	if c != 0x07 && b.deleted.contains(fc) {
		// Deleted text of tracked changes; cell marks are kept so that
		// tables keep their shape.
		return nil
	}
	switch c {
	case 0x13: // field begin
		if len(b.fields) < maxFieldDepth {
			b.fields = append(b.fields, true)
		} else {
			b.deep++
		}
		return nil
	case 0x14: // field separator: the result follows
		if b.deep == 0 && len(b.fields) > 0 {
			b.fields[len(b.fields)-1] = false
		}
		b.instr = 0
		return nil
	case 0x15: // field end
		if b.deep > 0 {
			b.deep--
		} else if len(b.fields) > 0 {
			b.fields = b.fields[:len(b.fields)-1]
		}
		b.instr = 0
		return nil
	case 0x0D:
		b.endPara(fc, false, true)
		return nil
	case 0x07:
		b.endPara(fc, true, true)
		return nil
	}
	if len(b.fields) > 0 && b.inInstr() {
		b.instr++
		if b.instr > maxInstrRunes {
			// A field that never ends: keep the text from here on.
			b.fields = b.fields[:0]
			b.deep, b.instr = 0, 0
		} else {
			return nil
		}
	}
	switch {
	case c == 0x0B || c == 0x0C: // line, page or section break
		b.para = append(b.para, '\n')
	case c == 0x09:
		b.para = append(b.para, '\t')
	case c == 0x1E: // non-breaking hyphen
		b.para = append(b.para, '-')
	case c == 0xA0:
		b.para = append(b.para, ' ')
	case c < 0x20, c == 0x1F, c >= 0x7F && c < 0xA0,
		c >= 0xF000 && c <= 0xF0FF, // symbol-font characters
		c == 0xFFFD, c == 0xFEFF, c == 0xFFFE, c == 0xFFFF:
		// Object placeholders, optional hyphens, control characters.
	default:
		b.para = append(b.para, c)
	}
	return nil
}

// endPara ends the current paragraph, whose mark (a cell mark when cell
// is true) is at byte offset fc; mark is false at the end of a story.
func (b *builder) endPara(fc uint32, cell, mark bool) {
	text := string(b.para)
	b.para = b.para[:0]
	props, known := paraProps{}, false
	if mark {
		props, known = b.papx.lookup(fc)
	}
	switch {
	case cell && known && (props.ttp || !props.inTable && props.itap == 0):
		// A row end mark; a cell mark outside a table can only be one
		// whose table properties were not found. Row end marks hold no
		// text; any there is kept as a last cell.
		if t := cleanCell(text); t != "" {
			b.cell = append(b.cell, t)
		}
		b.endRow()
	case cell && !known && b.afterCell && strings.TrimSpace(text) == "" && len(b.cell) == 0:
		// Guess without paragraph properties: an empty paragraph that is
		// just a cell mark right after a cell ends the row.
		b.endRow()
	case cell:
		b.cell = append(b.cell, cleanCell(text))
		b.row = append(b.row, corpus.Cell{Text: strings.Join(nonEmpty(b.cell), "\n"), RowSpan: 1, ColSpan: 1})
		b.cell = b.cell[:0]
		b.afterCell = true
		return
	case known && (props.inTable || props.itap > 0), !known && len(b.row) > 0:
		// A paragraph inside a cell (not its last one).
		b.cell = append(b.cell, cleanCell(text))
		return
	default:
		b.flushTable()
		b.paragraphs(text)
	}
	b.afterCell = false
}

// endRow ends the current table row.
func (b *builder) endRow() {
	if len(b.cell) > 0 {
		b.row = append(b.row, corpus.Cell{Text: strings.Join(nonEmpty(b.cell), "\n"), RowSpan: 1, ColSpan: 1})
		b.cell = b.cell[:0]
	}
	if len(b.row) > 0 {
		b.rows = append(b.rows, b.row)
		b.row = nil
	}
	b.afterCell = false
}

// flushTable emits the current table, if any.
func (b *builder) flushTable() {
	b.endRow()
	if len(b.rows) == 0 {
		return
	}
	for _, r := range b.rows {
		for _, c := range r {
			b.text += int64(len(c.Text))
		}
	}
	b.blocks = append(b.blocks, corpus.Block{Kind: corpus.BlockTable, Rows: b.rows})
	b.rows = nil
}

// paragraphs emits text, split at its line breaks, as paragraphs. Word
// heading styles are not turned into headings: WPS files put document
// numbers and dates in them; the text parser finds headings by their
// labels.
func (b *builder) paragraphs(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		b.text += int64(len(line))
		b.blocks = append(b.blocks, corpus.Block{Kind: corpus.BlockParagraph, Text: line})
	}
}

// cleanCell trims the text of one paragraph of a cell.
func cleanCell(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\t", " "))
}

// nonEmpty returns the non-empty strings of ss.
func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// decoder yields the characters of CP ranges from the piece table.
type decoder struct {
	w      []byte
	pieces []piece
	gbk    *encoding.Decoder // non-nil when 8-bit pieces hold GBK text
}

// walk calls fn for every character of CPs [from, to) in order, with the
// byte offset of its (last) byte.
func (d *decoder) walk(from, to uint32, fn func(rune, uint32) error) error {
	for _, p := range d.pieces {
		if p.cp1 <= from || p.cp0 >= to {
			continue
		}
		lo, hi := max(p.cp0, from), min(p.cp1, to)
		start := p.off + (lo-p.cp0)*p.width()
		end := p.off + (hi-p.cp0)*p.width()
		if err := d.run(p.wide, start, end, fn); err != nil {
			return err
		}
	}
	return nil
}

// run decodes w[start:end] (inside w: pieces are clamped).
func (d *decoder) run(wide bool, start, end uint32, fn func(rune, uint32) error) error {
	b := d.w[start:end]
	if wide {
		for i := 0; i+1 < len(b); i += 2 {
			u := rune(b[i]) | rune(b[i+1])<<8
			fc := start + uint32(i)
			if utf16.IsSurrogate(u) {
				if u < 0xDC00 && i+3 < len(b) {
					u2 := rune(b[i+2]) | rune(b[i+3])<<8
					if r := utf16.DecodeRune(u, u2); r != utf8.RuneError {
						i += 2
						if err := fn(r, fc); err != nil {
							return err
						}
						continue
					}
				}
				u = utf8.RuneError
			}
			if err := fn(u, fc); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		fc := start + uint32(i)
		var r rune
		switch {
		case c < 0x80:
			r = rune(c)
		case d.gbk != nil && c > 0x80 && c < 0xFF && i+1 < len(b) && gbkTrail(b[i+1]):
			r = decodeGBK(d.gbk, c, b[i+1])
			i++
		case d.gbk != nil:
			r = utf8.RuneError
		default:
			r = cp1252(c)
		}
		if err := fn(r, fc); err != nil {
			return err
		}
	}
	return nil
}
