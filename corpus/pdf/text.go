package pdf

import (
	"fmt"
	"strings"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/zhengce/zhengce/corpus/ocr"
)

// pageChars returns the characters of a text page, one rune per PDFium
// character index. One FPDFText_GetText call fetches them all; when its
// output does not line up with the character indexes (characters outside
// the BMP), they are fetched one by one.
func pageChars(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, count int) ([]rune, error) {
	if count <= 0 {
		return nil, nil
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp, StartIndex: 0, Count: count})
	if err != nil {
		return nil, fmt.Errorf("text: %w", err)
	}
	rs := []rune(strings.TrimRight(t.Text, "\x00"))
	if len(rs) == count {
		return rs, nil
	}
	rs = make([]rune, count)
	for j := range count {
		u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp, Index: j})
		if err != nil {
			return nil, fmt.Errorf("char %d: %w", j, err)
		}
		rs[j] = rune(min(u.Unicode, 0x7FFFFFFF))
		if u.Unicode > 0x10FFFF {
			rs[j] = 0xFFFD
		}
	}
	return rs, nil
}

// looseBox returns the loose box of character j, Y turned downwards.
func looseBox(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, j int, height float64) (left, right, top, bottom float64, ok bool) {
	b, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp, Index: j})
	if err != nil {
		return 0, 0, 0, 0, false
	}
	rc := b.Rect
	left, right = float64(min(rc.Left, rc.Right)), float64(max(rc.Left, rc.Right))
	top, bottom = height-float64(max(rc.Top, rc.Bottom)), height-float64(min(rc.Top, rc.Bottom))
	if bottom-top <= 0 || bottom-top > 2*height {
		return 0, 0, 0, 0, false
	}
	return left, right, top, bottom, true
}

// runs splits a text page into PDFium's lines (its generated and real line
// breaks) and returns each as a glyph run with its box, together with the
// number of characters kept and of characters without a Unicode mapping.
// Spaces between two CJK characters are dropped unless the gap they fill
// is wider than 1.5 glyph heights; other spaces are kept, one at a time.
func runs(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, count int, height float64) (gs []glyph, kept, unmapped int, err error) {
	rs, err := pageChars(inst, tp, count)
	if err != nil {
		return nil, 0, 0, err
	}
	type char struct {
		r   rune
		idx int
	}
	var cur []char // kept characters of the current run; ' ' marks a space
	flush := func() {
		// Trim spaces at both ends.
		for len(cur) > 0 && cur[0].r == ' ' {
			cur = cur[1:]
		}
		for len(cur) > 0 && cur[len(cur)-1].r == ' ' {
			cur = cur[:len(cur)-1]
		}
		if len(cur) == 0 {
			return
		}
		first, last := cur[0], cur[len(cur)-1]
		l, _, t, b, ok := looseBox(inst, tp, first.idx, height)
		if !ok {
			cur = cur[:0]
			return
		}
		_, r, t2, b2, ok := looseBox(inst, tp, last.idx, height)
		if !ok || r < l {
			r = l + (b-t)*float64(len(cur))
		} else {
			t, b = min(t, t2), max(b, b2)
		}
		var sb strings.Builder
		for k, c := range cur {
			if c.r == ' ' {
				p, n := cur[k-1], cur[k+1]
				if n.r == ' ' {
					continue
				}
				if (ocr.IsCJK(p.r) || ocr.IsCJK(n.r)) && !wideGap(inst, tp, p.idx, n.idx, height) {
					continue
				}
			}
			sb.WriteRune(c.r)
		}
		text := sb.String()
		gs = append(gs, glyph{text: text, first: first.r, last: last.r, idx: first.idx,
			left: l, right: r, top: t, bottom: b})
		cur = cur[:0]
	}
	for j, u := range rs {
		if u == '\r' || u == '\n' {
			flush()
			continue
		}
		if u == ' ' || u == 0x3000 || u == 0xA0 {
			if len(cur) > 0 {
				cur = append(cur, char{' ', j})
			}
			continue
		}
		r, bad := mapRune(uint(u))
		if bad {
			unmapped++
		}
		if r < 0 {
			continue
		}
		kept++
		cur = append(cur, char{r, j})
	}
	flush()
	return gs, kept, unmapped, nil
}

// wideGap reports whether the characters i and j are more than 1.5 glyph
// heights apart: a space there separates fields, not letters.
func wideGap(inst pdfium.Pdfium, tp references.FPDF_TEXTPAGE, i, j int, height float64) bool {
	_, r, t, b, ok := looseBox(inst, tp, i, height)
	if !ok {
		return false
	}
	l, _, _, _, ok := looseBox(inst, tp, j, height)
	return ok && l-r > 1.5*(b-t)
}
