package doc

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// utf16le encodes s as UTF-16LE.
func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// blocksOf runs the builder over the characters of s, stored as one
// UTF-16 piece without paragraph properties.
func blocksOf(t *testing.T, s string) []corpus.Block {
	t.Helper()
	w := utf16le(s)
	n := uint32(len(w) / 2)
	dec := &decoder{w: w, pieces: []piece{{cp0: 0, cp1: n, wide: true}}}
	b := &builder{ctx: context.Background(), budget: int64(n) + 1}
	if err := b.story(dec, 0, n); err != nil {
		t.Fatal(err)
	}
	return b.blocks
}

// para is a paragraph block.
func para(s string) corpus.Block { return corpus.Block{Kind: corpus.BlockParagraph, Text: s} }

// table is a table block of the given rows of cell texts.
func table(rows ...[]string) corpus.Block {
	out := make([][]corpus.Cell, len(rows))
	for i, r := range rows {
		for _, c := range r {
			out[i] = append(out[i], corpus.Cell{Text: c, RowSpan: 1, ColSpan: 1})
		}
	}
	return corpus.Block{Kind: corpus.BlockTable, Rows: out}
}

func TestCharacters(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []corpus.Block
	}{
		{"paragraphs", "第一段\r第二段\r", []corpus.Block{para("第一段"), para("第二段")}},
		{"line and page breaks", "甲\v乙\f丙\r", []corpus.Block{para("甲"), para("乙"), para("丙")}},
		{"field result kept", "见\x13 HYPERLINK \"http://x\" \x14网站\x15。\r", []corpus.Block{para("见网站。")}},
		{"field without result", "第\x13 PAGE \x15页\r", []corpus.Block{para("第页")}},
		{"nested fields", "\x13 IF \x13 MERGEFIELD a \x14甲\x15 = 1 \x14\x13 MERGEFIELD b \\* MERGEFORMAT \x14乙\x15\x15\r", []corpus.Block{para("乙")}},
		{"placeholders", "图\x01\x08注\x02\x05文\r", []corpus.Block{para("图注文")}},
		{"hyphens and spaces", "a\x1Eb\x1Fc\u00A0d\r", []corpus.Block{para("a-bc d")}},
		{"symbol font", "\uF06C 条目\r", []corpus.Block{para("条目")}},
		{"blank paragraphs dropped", "\r  \r\u3000\r文\r", []corpus.Block{para("文")}},
		{"table by cell marks", "前\r甲\a乙\a\a丙\a丁\a\a后\r",
			[]corpus.Block{para("前"), table([]string{"甲", "乙"}, []string{"丙", "丁"}), para("后")}},
		{"cell with two paragraphs", "甲\r一\a乙\a\a", []corpus.Block{para("甲"), table([]string{"一", "乙"})}},
		{"unterminated field", "\x13" + strings.Repeat("x", maxInstrRunes+1) + "正文\r", []corpus.Block{para("x正文")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := blocksOf(t, tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestTableMarks checks tables told by their paragraph properties: empty
// cells do not end rows, cell paragraphs stay in their cell.
func TestTableMarks(t *testing.T) {
	s := "甲\a\a\a乙\r丙\a\a\a"
	w := utf16le(s)
	// Paragraph marks at CPs 1, 2 (empty cell), 3 (row end), 5 (cell
	// paragraph), 7 (cell), 8 (empty cell), 9 (row end).
	in := paraProps{inTable: true, itap: 1}
	end := paraProps{inTable: true, ttp: true, itap: 1}
	at := func(cp uint32) uint32 { return 2 * cp }
	papx := papxTable{
		{at(0), at(2), in}, {at(2), at(3), in}, {at(3), at(4), end},
		{at(4), at(6), in}, {at(6), at(8), in}, {at(8), at(9), in}, {at(9), at(10), end},
	}
	n := uint32(len(w) / 2)
	dec := &decoder{w: w, pieces: []piece{{cp0: 0, cp1: n, wide: true}}}
	b := &builder{ctx: context.Background(), budget: int64(n) + 1, papx: papx}
	if err := b.story(dec, 0, n); err != nil {
		t.Fatal(err)
	}
	want := []corpus.Block{table([]string{"甲", ""}, []string{"乙\n丙", ""})}
	if !reflect.DeepEqual(b.blocks, want) {
		t.Errorf("got %+v\nwant %+v", b.blocks, want)
	}
}

func TestEightBit(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("关于印发通知")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  string
		lid  uint16
		want string
	}{
		{"cp1252", "caf\xe9 \x93q\x94\r", 0x0409, "café “q”"},
		{"GBK in a Chinese document", gbk + "\r", 0x0804, "关于印发通知"},
		{"GBK in any document", gbk + gbk + "\r", 0x0409, "关于印发通知关于印发通知"},
		{"Latin-1 in a Chinese document", "na\xefve 25\xb0C \xb15%\r", 0x0804, "naïve 25°C ±5%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := []byte(tt.raw)
			ps := []piece{{cp0: 0, cp1: uint32(len(w)), off: 0}}
			dec := newDecoder(&fib{lid: tt.lid}, w, ps)
			b := &builder{ctx: context.Background(), budget: int64(len(w)) + 1}
			if err := b.story(dec, 0, uint32(len(w))); err != nil {
				t.Fatal(err)
			}
			if len(b.blocks) != 1 || b.blocks[0].Text != tt.want {
				t.Errorf("got %+v, want %q", b.blocks, tt.want)
			}
		})
	}
}

// TestDeleted checks that text deleted under revision marking is dropped.
func TestDeleted(t *testing.T) {
	for _, tt := range []struct {
		grpprl []byte
		want   bool
	}{
		{[]byte{0x00, 0x08, 0x01}, true},
		{[]byte{0x00, 0x08, 0x81}, true},
		{[]byte{0x00, 0x08, 0x00}, false},
		{[]byte{0x35, 0x08, 0x01, 0x00, 0x08, 0x01}, true}, // bold, deleted
		{[]byte{0x00, 0x08}, false},                        // truncated
	} {
		if got := chpxDeleted(tt.grpprl); got != tt.want {
			t.Errorf("chpxDeleted(% x) = %v, want %v", tt.grpprl, got, tt.want)
		}
	}
	w := utf16le("保留删除文字\r")
	n := uint32(len(w) / 2)
	dec := &decoder{w: w, pieces: []piece{{cp0: 0, cp1: n, wide: true}}}
	b := &builder{ctx: context.Background(), budget: int64(n) + 1, deleted: deletedRuns{{4, 8}}}
	if err := b.story(dec, 0, n); err != nil {
		t.Fatal(err)
	}
	if want := []corpus.Block{para("保留文字")}; !reflect.DeepEqual(b.blocks, want) {
		t.Errorf("got %+v, want %+v", b.blocks, want)
	}
}
