package targets

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

// foldNumRune maps the full-width and look-alike characters used in numbers
// and comparators to their ASCII forms, one rune for one rune, so that
// positions in the folded text are positions in the original.
func foldNumRune(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + (r - '０')
	case r == '．':
		return '.'
	case r == '％':
		return '%'
	case r == '＞':
		return '>'
	case r == '＜':
		return '<'
	case r == '＝':
		return '='
	case r == '≧':
		return '≥'
	case r == '≦':
		return '≤'
	case r == '～' || r == '〜':
		return '~'
	case r == '－' || r == '–' || r == '−' || r == '‐' || r == '‑':
		return '-'
	}
	return r
}

func foldNum(s string) string { return strings.Map(foldNumRune, s) }

// isDash reports whether r separates a range or marks a negative number in
// the corpus: ASCII hyphen, em dash, en dash and their full-width forms.
func isDash(r rune) bool {
	return r == '-' || r == '—' || r == '–' || r == '－' || r == '−' || r == '―'
}

// comparator prefixes, longest first within a shared start.
var valuePrefixes = []struct{ text, cmp string }{
	{">=", corpus.CmpGE}, {"<=", corpus.CmpLE}, {"≥", corpus.CmpGE}, {"≤", corpus.CmpLE}, {">", corpus.CmpGT}, {"<", corpus.CmpLT}, {"=", corpus.CmpEQ},
	{"不低于", corpus.CmpGE}, {"不少于", corpus.CmpGE}, {"不小于", corpus.CmpGE}, {"至少", corpus.CmpGE},
	{"不高于", corpus.CmpLE}, {"不超过", corpus.CmpLE}, {"不多于", corpus.CmpLE}, {"不大于", corpus.CmpLE},
	{"超过", corpus.CmpGT}, {"大于", corpus.CmpGT}, {"高于", corpus.CmpGT}, {"低于", corpus.CmpLT}, {"小于", corpus.CmpLT},
}

// value suffixes that carry a comparator, longest first.
var valueSuffixes = []struct{ text, cmp string }{
	{"及以上", corpus.CmpGE}, {"以上", corpus.CmpGE}, {"及以下", corpus.CmpLE}, {"以下", corpus.CmpLE}, {"以内", corpus.CmpLE}, {"左右", corpus.CmpApprox},
}

// emptyCells are table cells meaning "no value".
var emptyCells = map[string]bool{"": true, "-": true, "—": true, "——": true, "/": true, "／": true, "无": true, "…": true}

// ParseValue parses a value as the corpus writes it — 99.5, 98%, ＞93.0,
// >25, ≥90%, —0.07 (negative), 45 万人次, 1.2353, 3-5所, 93%以上 — into a
// Point (Year left 0) and the unit written with it (%, 万人次, 所). An
// empty cell gives a Point with no value and no Raw. A value that cannot be
// parsed keeps its Raw text and is flagged Unparsed; it is never dropped or
// zeroed.
func ParseValue(raw string) (corpus.Point, string) {
	p := corpus.Point{Raw: strings.TrimSpace(raw)}
	s := strings.TrimSpace(foldNum(raw))
	s = strings.Join(strings.Fields(s), "")
	if emptyCells[s] {
		return corpus.Point{}, ""
	}
	for _, pre := range valuePrefixes {
		if strings.HasPrefix(s, pre.text) {
			p.Comparator = pre.cmp
			s = s[len(pre.text):]
			break
		}
	}
	for _, suf := range valueSuffixes {
		if strings.HasSuffix(s, suf.text) {
			if p.Comparator == "" {
				p.Comparator = suf.cmp
			}
			s = s[:len(s)-len(suf.text)]
			break
		}
	}
	lo, rest, ok := leadingNumber(s, true)
	if !ok {
		p.Unparsed = true
		return p, ""
	}
	p.Value = &lo
	if r, size := firstRune(rest); size > 0 && (isDash(r) || r == '~' || r == '至' || r == '到') {
		if hi, after, ok := leadingNumber(rest[size:], false); ok {
			if p.Comparator != "" && p.Comparator != corpus.CmpEQ {
				// ≥3-5 has no meaning we can represent: keep it raw.
				return corpus.Point{Raw: p.Raw, Unparsed: true}, ""
			}
			p.Max = &hi
			p.Comparator = corpus.CmpRange
			rest = after
		}
	}
	// A range may repeat its unit after the lower bound: 45%-50%.
	unit := strings.TrimSpace(rest)
	if !validUnit(unit) {
		return corpus.Point{Raw: p.Raw, Unparsed: true}, ""
	}
	if p.Comparator == "" {
		p.Comparator = corpus.CmpEQ
	}
	return p, unit
}

// leadingNumber reads a decimal number at the start of s, with an optional
// leading dash meaning minus when neg is set.
func leadingNumber(s string, neg bool) (float64, string, bool) {
	sign := 1.0
	if neg {
		if r, size := firstRune(s); size > 0 && isDash(r) {
			sign = -1
			s = s[size:]
		}
	}
	end := 0
	dot := false
	for end < len(s) {
		c := s[end]
		if c >= '0' && c <= '9' {
			end++
			continue
		}
		if c == '.' && !dot && end > 0 && end+1 < len(s) && s[end+1] >= '0' && s[end+1] <= '9' {
			dot = true
			end++
			continue
		}
		break
	}
	if end == 0 {
		return 0, s, false
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0, s, false
	}
	return sign * v, s[end:], true
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// validUnit reports whether u can be the unit written after a number: empty,
// %, ‰, or a short run of letters (个, 万人次, 万m², 个百分点).
func validUnit(u string) bool {
	if u == "" || u == "%" || u == "‰" {
		return true
	}
	n := 0
	for _, r := range u {
		n++
		if !(unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || r == '²' || r == '³') {
			return false
		}
	}
	return n <= 6
}
