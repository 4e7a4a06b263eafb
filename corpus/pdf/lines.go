package pdf

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus/ocr"
)

// glyph is a run of characters of a page's text layer that PDFium puts on
// one line (a single character at least), with its box in page space
// turned so that Y grows downwards (top < bottom). The box comes from
// PDFium's loose character boxes of its first and last characters: the
// font's ascent to descent, the same for every glyph of a font and size,
// so that the runs of one visual line share a band.
type glyph struct {
	text                     string
	first, last              rune // first and last rune of text
	idx                      int  // PDFium's index of the first character, to query the baseline
	left, right, top, bottom float64
}

func (g *glyph) height() float64 { return g.bottom - g.top }
func (g *glyph) center() float64 { return (g.top + g.bottom) / 2 }

// line is one visual line built from glyphs, left to right.
type line struct {
	glyphs []glyph
	text   string
	x0, x1 float64
	top    float64
	bottom float64
	size   float64 // median glyph height
}

// mapRune maps a character of PDFium's text layer to the rune to keep, or
// -1 to drop it: control characters, PDFium's generated line breaks,
// unmapped characters (0, U+FFFD, private use), zero-width and
// non-characters. PDFium reports a hyphen that ends a line as 0x02; it is
// a real hyphen in Chinese documents (2024-2026), so it becomes '-'.
// Spaces are dropped too: buildLines puts them back from the geometry.
func mapRune(u uint) (r rune, unmapped bool) {
	switch {
	case u == 0x02:
		return '-', false
	case u == 0 || u == 0xFFFD || u > unicode.MaxRune:
		return -1, true
	case u >= 0xE000 && u <= 0xF8FF, u >= 0xF0000: // private use
		return -1, true
	case u < 0x20, u >= 0x7F && u <= 0x9F:
		return -1, false
	case u >= 0xD800 && u <= 0xDFFF, u&0xFFFE == 0xFFFE, u >= 0xFDD0 && u <= 0xFDEF:
		return -1, true
	case u == 0x200B, u == 0x200C, u == 0x200D, u == 0x2060, u == 0xFEFF, u == 0xAD:
		return -1, false
	}
	r = rune(u)
	if unicode.IsSpace(r) {
		return -1, false
	}
	return r, false
}

// buildLines groups the glyphs of a page into visual lines in reading
// order, top to bottom and left to right within a line. Glyphs belong to
// one line when their vertical centres lie within 0.4 of the larger height
// of the line's first glyph, so that characters set slightly off the
// baseline, smaller digits and mixed fonts stay on their line.
func buildLines(gs []glyph) []line {
	if len(gs) == 0 {
		return nil
	}
	slices.SortStableFunc(gs, func(a, b glyph) int {
		return cmpFloat(a.center(), b.center())
	})
	var (
		lines []line
		start int
	)
	for i := 1; i <= len(gs); i++ {
		if i < len(gs) {
			first := &gs[start]
			tol := 0.4 * max(first.height(), gs[i].height())
			if gs[i].center()-first.center() <= tol {
				continue
			}
		}
		lines = append(lines, makeLine(gs[start:i]))
		start = i
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if c := cmpFloat(a.bottom, b.bottom); c != 0 {
			return c
		}
		return cmpFloat(a.x0, b.x0)
	})
	return lines
}

// cmpFloat compares two floats for sorting.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// makeLine orders one band's runs left to right, drops runs drawn twice
// on top of each other (fake bold), and joins them: a space only between
// two non-CJK characters separated by a gap of at least 0.2 of the glyph
// height (a word space), or wherever the gap is wider than 1.5 heights
// (separate columns or fields).
func makeLine(band []glyph) line {
	slices.SortStableFunc(band, func(a, b glyph) int { return cmpFloat(a.left, b.left) })
	gs := make([]glyph, 0, len(band))
	for _, g := range band {
		if n := len(gs); n > 0 && duplicate(&gs[n-1], &g) {
			continue
		}
		gs = append(gs, g)
	}
	var b strings.Builder
	l := line{glyphs: gs, x0: gs[0].left, x1: gs[0].right, top: gs[0].top, bottom: gs[0].bottom}
	heights := make([]float64, 0, len(gs))
	for i := range gs {
		g := &gs[i]
		if i > 0 {
			p := &gs[i-1]
			em := max(p.height(), g.height())
			gap := g.left - p.right
			if gap > 1.5*em || gap > 0.2*em && !ocr.IsCJK(p.last) && !ocr.IsCJK(g.first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.text)
		l.x0, l.x1 = min(l.x0, g.left), max(l.x1, g.right)
		l.top, l.bottom = min(l.top, g.top), max(l.bottom, g.bottom)
		heights = append(heights, g.height())
	}
	slices.Sort(heights)
	l.size = heights[len(heights)/2]
	l.text = b.String()
	return l
}

// duplicate reports whether g repeats p at (almost) the same place: the
// same character overprinted to fake a bold face.
func duplicate(p, g *glyph) bool {
	if p.text != g.text {
		return false
	}
	w := max(p.right-p.left, g.right-g.left, 0.1)
	return math.Abs(p.left-g.left) < 0.3*w && math.Abs(p.top-g.top) < 0.3*max(p.height(), 0.1)
}
