package ofd

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// Line building tolerances, as fractions of the font size.
const (
	baselineTol = 0.3 // runs whose baselines differ less share a line
	spaceGap    = 0.6 // a wider gap between Latin or digit runs is a space
	footerZone  = 0.8 // page numbers are looked for below this fraction of the height
)

// buildLines groups the runs of a page into visual lines: by baseline
// (within a tolerance, since digits are often separate objects set a
// little off the baseline of the Chinese text around them), top to
// bottom, each left to right. Page-number footers are left out.
func buildLines(runs []run, height float64) []corpus.Block {
	if len(runs) == 0 {
		return nil
	}
	slices.SortStableFunc(runs, func(a, b run) int {
		switch {
		case a.y < b.y:
			return -1
		case a.y > b.y:
			return 1
		}
		return 0
	})
	var out []corpus.Block
	start := 0
	for i := 1; i <= len(runs); i++ {
		if i < len(runs) {
			tol := baselineTol * max(runs[start].size, runs[i].size)
			if math.Abs(runs[i].y-runs[start].y) <= tol {
				continue
			}
		}
		for _, seg := range splitColumns(runs[start:i]) {
			if b, ok := makeLine(seg); ok && !(b.Y > footerZone*height && isPageNumber(b.Text)) {
				out = append(out, b)
			}
		}
		start = i
	}
	return out
}

// columnGap is the horizontal gap, as a multiple of the font size, that
// separates two pieces of text sharing a baseline into two lines: fields
// laid out in columns (an invoice's 发票代码 beside its title, a signature
// beside its date), never the spacing of justified text.
const columnGap = 3.0

// splitColumns sorts the runs of one baseline left to right and splits
// them where a gap wider than columnGap font sizes separates them.
func splitColumns(runs []run) [][]run {
	slices.SortStableFunc(runs, func(a, b run) int {
		switch {
		case a.x0 < b.x0:
			return -1
		case a.x0 > b.x0:
			return 1
		}
		return 0
	})
	var out [][]run
	start := 0
	right := math.Inf(-1)
	for i := range runs {
		if i > start && runs[i].x0-right > columnGap*max(runs[i].size, runs[i-1].size) {
			out = append(out, runs[start:i])
			start = i
			right = math.Inf(-1)
		}
		right = max(right, runs[i].x1)
	}
	return append(out, runs[start:])
}

// makeLine joins the runs of one line left to right.
func makeLine(runs []run) (corpus.Block, bool) {
	slices.SortStableFunc(runs, func(a, b run) int {
		switch {
		case a.x0 < b.x0:
			return -1
		case a.x0 > b.x0:
			return 1
		}
		return 0
	})
	var b strings.Builder
	line := corpus.Block{Kind: corpus.BlockLine, X0: math.Inf(1), X1: math.Inf(-1)}
	var ySum float64
	var n, most int
	var prev *run
	for i := range runs {
		r := &runs[i]
		if prev != nil && r.text == prev.text && math.Abs(r.x0-prev.x0) < 0.5*r.size {
			continue // the same text drawn twice (fake bold, shadow)
		}
		if prev != nil && r.x0-prev.x1 > spaceGap*max(r.size, prev.size) && latinEnd(prev.text) && latinStart(r.text) {
			b.WriteByte(' ')
		}
		b.WriteString(r.text)
		line.X0 = min(line.X0, r.x0)
		line.X1 = max(line.X1, r.x1)
		ySum += r.y * float64(r.n)
		n += r.n
		if r.n > most {
			most, line.Size = r.n, r.size
		}
		prev = r
	}
	if n == 0 {
		return line, false
	}
	line.Text = b.String()
	line.Y = ySum / float64(n)
	return line, true
}

// isLatin reports whether r is a letter or digit of a script written with
// spaces between words, or ASCII punctuation.
func isLatin(r rune) bool {
	return r < 0x2E80 && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r < 0x80 && unicode.IsPunct(r))
}

func latinEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isLatin(r)
}

func latinStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isLatin(r)
}

// isPageNumber reports whether a line is a page number: "— 1 —", "- 2 -",
// "3", "第 4 页", "第4页 共9页", "5/9", "Page 6".
func isPageNumber(s string) bool {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("-—–－−~～_·•", r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(strings.ToLower(s), "page")
	digits := func(t string) (string, bool) {
		i := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		return t[i:], i > 0 && i <= 4
	}
	if rest, ok := strings.CutPrefix(s, "第"); ok {
		rest, ok = digits(rest)
		if !ok {
			return false
		}
		rest, ok = strings.CutPrefix(rest, "页")
		if !ok {
			return false
		}
		if rest == "" {
			return true
		}
		rest, ok = strings.CutPrefix(rest, "共")
		if !ok {
			return false
		}
		rest, ok = digits(rest)
		return ok && rest == "页"
	}
	rest, ok := digits(s)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	if rest, ok = strings.CutPrefix(rest, "/"); !ok {
		rest, ok = strings.CutPrefix(rest, "／")
	}
	if !ok {
		return false
	}
	rest, ok = digits(rest)
	return ok && rest == ""
}
