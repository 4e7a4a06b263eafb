package doc

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/unicode/norm"
)

// formats is the folder of the real sample files.
const formats = "../../testdata/formats"

// expectation is one entry of testdata/formats/expected.json.
type expectation struct {
	Kind        string   `json:"kind"`
	MustFind    []string `json:"must_find"`
	MustNotFind []string `json:"must_not_find"`
}

// samples returns the .doc samples and their expectations, keyed by path.
func samples(t testing.TB) map[string]expectation {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(formats, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]expectation
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]expectation)
	for k, v := range all {
		if strings.HasPrefix(k, "doc/") {
			out[k] = v
		}
	}
	if len(out) < 4 {
		t.Fatalf("expected.json lists %d doc files, want 4", len(out))
	}
	return out
}

// sample returns the bytes of the sample whose name starts with prefix.
func sample(t testing.TB, prefix string) []byte {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(formats, "doc", prefix+"*.doc"))
	if err != nil || len(m) != 1 {
		t.Fatalf("sample %s: %v %v", prefix, m, err)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// squash is the text phrases are matched in: NFKC without whitespace.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

// allText concatenates the text of every block, table cells included.
func allText(src *corpus.Source) string {
	var sb strings.Builder
	for _, b := range src.Blocks {
		sb.WriteString(b.Text)
		sb.WriteByte('\n')
		for _, r := range b.Rows {
			for _, c := range r {
				sb.WriteString(c.Text)
				sb.WriteByte('\n')
			}
		}
	}
	return sb.String()
}

func TestReadSamples(t *testing.T) {
	for path, want := range samples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(formats, path))
			if err != nil {
				t.Fatal(err)
			}
			src, err := New().Read(context.Background(), data, corpus.DefaultLimits())
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if src.Format != corpus.FormatDOC {
				t.Errorf("Format = %q", src.Format)
			}
			text := allText(src)
			flat := squash(text)
			for _, p := range want.MustFind {
				if !strings.Contains(flat, squash(p)) {
					t.Errorf("must_find %q missing", p)
				}
			}
			for _, p := range append(want.MustNotFind, "MERGEFIELD", "MERGEFORMAT", "HYPERLINK", "PAGE", "EMBED", "FORMTEXT") {
				if strings.Contains(flat, squash(p)) {
					t.Errorf("must_not_find %q present", p)
				}
			}
			if !utf8.ValidString(text) || strings.ContainsRune(text, utf8.RuneError) {
				t.Error("text holds invalid UTF-8 or U+FFFD")
			}
			for _, r := range text {
				if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7F && r < 0xA0 || r >= 0xF000 && r <= 0xF0FF {
					t.Errorf("control or symbol-font character %U in the text", r)
					break
				}
			}
			for i, b := range src.Blocks {
				if b.Kind != corpus.BlockTable && strings.TrimSpace(b.Text) != b.Text {
					t.Errorf("block %d not trimmed: %q", i, b.Text)
				}
				if b.Kind != corpus.BlockTable && b.Text == "" {
					t.Errorf("block %d empty", i)
				}
			}
		})
	}
}

// TestMixedPieces checks that d03, a WPS file that catdoc turns into
// mojibake, decodes to Chinese text without replacement characters or
// stray Latin-1 letters.
func TestMixedPieces(t *testing.T) {
	src, err := New().Read(context.Background(), sample(t, "d03"), corpus.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	text := allText(src)
	var han, latin1 int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r >= 0xC0 && r <= 0xFF:
			latin1++
		}
	}
	if han < 1500 || latin1 > 0 {
		t.Errorf("%d Han characters (want ≥ 1500), %d Latin-1 letters (want 0: mojibake)", han, latin1)
	}
	if want := "关于提示异地贷款业务风险的通知"; src.Blocks[0].Text != want {
		t.Errorf("first block %q, want %q", src.Blocks[0].Text, want)
	}
}

// TestTables checks the tables of d02, a report template made of them.
func TestTables(t *testing.T) {
	src, err := New().Read(context.Background(), sample(t, "d02"), corpus.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var tables [][][]corpus.Cell
	for _, b := range src.Blocks {
		if b.Kind == corpus.BlockTable {
			tables = append(tables, b.Rows)
			if b.Text != "" {
				t.Errorf("table block with text %q", b.Text)
			}
		}
	}
	if len(tables) != 3 {
		t.Fatalf("%d tables, want 3", len(tables))
	}
	cells := func(rows [][]corpus.Cell) map[string]bool {
		m := make(map[string]bool)
		for _, r := range rows {
			for _, c := range r {
				if c.RowSpan != 1 || c.ColSpan != 1 {
					t.Errorf("cell %q spans %d×%d", c.Text, c.RowSpan, c.ColSpan)
				}
				m[squash(c.Text)] = true
			}
		}
		return m
	}
	tests := []struct {
		table      int
		rows, cols int // rows, cells of the first row
		cells      []string
	}{
		{0, 6, 5, []string{"期末余额", "资产总额", "其中：贴现及转贴现余额", "所有者权益"}},
		{1, 6, 11, []string{"买断", "交易量", "其中：**分部"}},
		{2, 8, 4, []string{"收入项目（本年累计）", "2、买入返售利息收入", "净利润"}},
	}
	for _, tt := range tests {
		rows := tables[tt.table]
		if len(rows) != tt.rows || len(rows[0]) != tt.cols {
			t.Errorf("table %d: %d rows, first of %d cells; want %d, %d", tt.table, len(rows), len(rows[0]), tt.rows, tt.cols)
		}
		m := cells(rows)
		for _, c := range tt.cells {
			if !m[squash(c)] {
				t.Errorf("table %d: no cell %q", tt.table, c)
			}
		}
	}
	// Table cells are not repeated as paragraphs.
	for _, b := range src.Blocks {
		if b.Kind == corpus.BlockParagraph && (b.Text == "所有者权益" || b.Text == "期末余额") {
			t.Errorf("cell text %q emitted as a paragraph", b.Text)
		}
	}
}

func TestMeta(t *testing.T) {
	src, err := New().Read(context.Background(), sample(t, "d01"), corpus.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if src.Meta.Strong {
		t.Error("Meta.Strong is true for a Word title")
	}
	if d := src.Meta.Date; d != "" && (len(d) != 10 || d[4] != '-' || d[7] != '-') {
		t.Errorf("Meta.Date = %q, want YYYY-MM-DD", d)
	}
	if !utf8.ValidString(src.Meta.Title) || strings.ContainsRune(src.Meta.Title, utf8.RuneError) {
		t.Errorf("Meta.Title = %q", src.Meta.Title)
	}
}

// findFIB returns the file offset of the FIB of a sample: the first
// sector that starts with the Word 97 identifier and nFib.
func findFIB(t *testing.T, data []byte) int {
	t.Helper()
	for off := 512; off+512 <= len(data); off += 512 {
		if data[off] == 0xEC && data[off+1] == 0xA5 && binary.LittleEndian.Uint16(data[off+2:]) >= 101 {
			return off
		}
	}
	t.Fatal("no FIB found")
	return 0
}

// renameStream returns a copy of data whose directory entry named from is
// renamed to to.
func renameStream(t *testing.T, data []byte, from, to string) []byte {
	t.Helper()
	enc := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
		return append(b, 0, 0)
	}
	out := bytes.Clone(data)
	i := bytes.Index(out, enc(from))
	if i < 0 || i%128 != 0 || len(to) > 31 {
		t.Fatalf("directory entry %q not found", from)
	}
	clear(out[i : i+64])
	copy(out[i:], enc(to))
	binary.LittleEndian.PutUint16(out[i+64:], uint16(2*(len(to)+1)))
	return out
}

func TestHostile(t *testing.T) {
	d01 := sample(t, "d01")
	d07 := sample(t, "d07")
	fib := findFIB(t, d01)
	patch := func(off int, v uint32) []byte {
		b := bytes.Clone(d01)
		binary.LittleEndian.PutUint32(b[fib+off:], v)
		return b
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	copy(random, oleMagic)
	encrypted := bytes.Clone(d01)
	encrypted[fib+0x0A] |= 1 // fEncrypted is bit 8 of the flags word
	encrypted[fib+0x0B] |= 1
	tiny := corpus.DefaultLimits()
	tiny.MaxFileSize = 1 << 10
	noText := corpus.DefaultLimits()
	noText.MaxTextSize = 1 << 10

	tests := []struct {
		name string
		data []byte
		lim  corpus.Limits
		code string
		msg  string // part of the message, if any
	}{
		{"empty", nil, corpus.DefaultLimits(), corpus.EINVALID, "空"},
		{"not OLE2", []byte("hello, world"), corpus.DefaultLimits(), corpus.EINVALID, ".doc"},
		{"magic only", []byte(oleMagic), corpus.DefaultLimits(), corpus.EINVALID, "损坏"},
		{"truncated 4 KB", d07[:4096], corpus.DefaultLimits(), corpus.EINVALID, ""},
		{"truncated half", d07[:len(d07)/2], corpus.DefaultLimits(), corpus.EINVALID, ""},
		{"random with magic", random, corpus.DefaultLimits(), corpus.EINVALID, ""},
		{"no WordDocument", renameStream(t, d01, "WordDocument", "WordDocumenX"), corpus.DefaultLimits(), corpus.EINVALID, "WordDocument"},
		{"Excel workbook", renameStream(t, d01, "WordDocument", "Workbook"), corpus.DefaultLimits(), corpus.EINVALID, "Excel"},
		{"encrypted", encrypted, corpus.DefaultLimits(), corpus.EINVALID, "加密"},
		{"huge ccpText", patch(0x4C, 0xFFFFFFF0), corpus.DefaultLimits(), "", ""},
		{"huge lcbClx", patch(0x1A6, 0x7FFFFFFF), corpus.DefaultLimits(), "", ""},
		{"fcClx past the stream", patch(0x1A2, 0x7FFFFFF0), corpus.DefaultLimits(), "", ""},
		{"Word 6", func() []byte { b := bytes.Clone(d01); b[fib+2], b[fib+3] = 101-1, 0; return b }(), corpus.DefaultLimits(), corpus.EINVALID, "Word 6.0/95"},
		{"file too large", d01, tiny, corpus.ETOOLARGE, "MB"},
		{"text too large", d01, noText, corpus.ETOOLARGE, "文字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := New().Read(context.Background(), tt.data, tt.lim)
			if tt.code == "" {
				// Damaged but recoverable: either text or a clean error.
				if err != nil && corpus.ErrorCode(err) != corpus.EINVALID {
					t.Fatalf("error %v, want text or EINVALID", err)
				}
				if err == nil && len(src.Blocks) == 0 {
					t.Fatal("no error and no blocks")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", tt.code)
			}
			var ce *corpus.Error
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("error %v, want *corpus.Error %s", err, tt.code)
			}
			if strings.Contains(err.Error(), "panic") {
				t.Fatalf("recovered panic: %v", err)
			}
			if !strings.Contains(ce.Message, tt.msg) {
				t.Errorf("message %q does not mention %q", ce.Message, tt.msg)
			}
			if src != nil {
				t.Error("source returned with an error")
			}
		})
	}
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Read(ctx, sample(t, "d01"), corpus.DefaultLimits())
	if corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Errorf("canceled context: %v, want ETIMEOUT", err)
	}
}

func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"d01", "d02", "d03", "d07"} {
		data := sample(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New().Read(context.Background(), data, corpus.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	// The real files, and a truncated one. The fuzzer runs slowly on
	// inputs this large; the smaller d03 and d02 mutate fastest.
	for _, name := range []string{"d03", "d02", "d01", "d07"} {
		f.Add(sample(f, name))
	}
	f.Add(sample(f, "d03")[:12<<10])
	f.Add([]byte(oleMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := corpus.DefaultLimits()
		src, err := New().Read(context.Background(), data, lim)
		if err != nil {
			var ce *corpus.Error
			if !errors.As(err, &ce) || ce.Code == corpus.EINTERNAL {
				t.Fatalf("not a user error: %v", err)
			}
			if strings.Contains(err.Error(), "doc: panic") {
				t.Fatalf("panic: %v", err)
			}
			return
		}
		if len(src.Blocks) == 0 {
			t.Fatal("no error and no blocks")
		}
		for _, b := range src.Blocks {
			if !utf8.ValidString(b.Text) {
				t.Fatalf("invalid UTF-8 in %q", b.Text)
			}
		}
	})
}
