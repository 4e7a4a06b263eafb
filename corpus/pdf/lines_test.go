package pdf

import (
	"testing"
)

// run is a glyph run of text at x, on a line whose loose box spans
// top..top+h.
func run(text string, x, w, top, h float64) glyph {
	rs := []rune(text)
	return glyph{text: text, first: rs[0], last: rs[len(rs)-1], left: x, right: x + w, top: top, bottom: top + h}
}

func TestBuildLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []glyph
		want []string
	}{
		{"CJK runs join without spaces",
			[]glyph{run("农机购置", 100, 40, 100, 10), run("与应用补贴", 141, 50, 100, 10)},
			[]string{"农机购置与应用补贴"}},
		{"Latin words keep their space",
			[]glyph{run("GDP", 100, 20, 100, 10), run("growth", 123, 30, 100, 10)},
			[]string{"GDP growth"}},
		{"Latin letters without a gap stay one word",
			[]glyph{run("GD", 100, 12, 100, 10), run("P", 112.5, 6, 100, 10)},
			[]string{"GDP"}},
		{"digits next to CJK get no space",
			[]glyph{run("补贴", 100, 20, 100, 10), run("5", 123, 5, 100, 10), run("万元", 130, 20, 100, 10)},
			[]string{"补贴5万元"}},
		{"wide gap separates fields",
			[]glyph{run("海南省农业农村厅", 100, 80, 100, 10), run("海南省财政厅", 220, 60, 100, 10)},
			[]string{"海南省农业农村厅 海南省财政厅"}},
		{"content order is not reading order",
			[]glyph{run("第二行", 100, 30, 120, 10), run("第一行右", 141, 40, 100, 10), run("第一行左", 100, 40, 100, 10)},
			[]string{"第一行左第一行右", "第二行"}},
		{"slightly raised digits stay on their line",
			[]glyph{run("共", 100, 10, 100, 10), run("21", 111, 10, 98.5, 9), run("大类", 122, 20, 100, 10)},
			[]string{"共21大类"}},
		{"overprinted fake bold is dropped",
			[]glyph{run("通知", 100, 20, 100, 10), run("通知", 100.3, 20, 100, 10)},
			[]string{"通知"}},
		{"separate lines at normal spacing",
			[]glyph{run("一", 100, 10, 100, 10), run("二", 100, 10, 115, 10), run("三", 100, 10, 130, 10)},
			[]string{"一", "二", "三"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := buildLines(tc.in)
			var got []string
			for _, l := range lines {
				got = append(got, l.text)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("line %d: %q, want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestMapRune(t *testing.T) {
	for _, tc := range []struct {
		u        uint
		want     rune
		unmapped bool
	}{
		{'农', '农', false},
		{'A', 'A', false},
		{0x02, '-', false}, // PDFium's hyphen at the end of a line
		{0, -1, true},
		{0xFFFD, -1, true},
		{0xE001, -1, true}, // private use: a glyph without a mapping
		{'\r', -1, false},
		{'\t', -1, false},
		{0x200B, -1, false},
		{0xFEFF, -1, false},
		{0xFFFF, -1, true},
		{0x110000, -1, true},
		{' ', -1, false},
		{0x3000, -1, false},
	} {
		got, bad := mapRune(tc.u)
		if got != tc.want || bad != tc.unmapped {
			t.Errorf("mapRune(%#x) = %q, %v; want %q, %v", tc.u, got, bad, tc.want, tc.unmapped)
		}
	}
}

func TestMetadataParsing(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"D:20240701093000+08'00'", "2024-07-01"},
		{"20260112", "2026-01-12"},
		{"D:2024", ""},
		{"D:19000101", ""},
		{"D:20241341", ""},
		{"", ""},
	} {
		if got := pdfDate(tc.in); got != tc.want {
			t.Errorf("pdfDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"Microsoft Word - 关于印发补贴方案的通知.docx", "关于印发补贴方案的通知"},
		{"  2026年中央一号文件  ", "2026年中央一号文件"},
		{"方案\x00\x01", "方案"},
		{"abc\uFFFD", ""},
		{"x.pdf", "x"},
	} {
		if got := cleanTitle(tc.in); got != tc.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
