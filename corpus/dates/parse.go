// Package dates reads the dates written in Chinese policy and legal
// documents — 2022年2月21日, 二〇二二年二月二十一日, ２０２２年２月２１日,
// 2022-10-19, 2022.10.19, 2022/10/19 — and the event each one records in a
// law's or notice's date block (通过, 公布, 发布, 施行, 修正, 修订, 成文,
// 印发, 废止).
//
// Parse reads one date; FromLines reads the date block of a document (the
// lines between its title and its body) into a list of dated events;
// IssueDate and Effective pick the dates a search index files a document
// under.
package dates

import (
	"regexp"
	"strconv"
	"strings"
)

// dateRe matches one written date in text whose full-width digits and
// separators were folded to ASCII (see fold). Groups: 1-3 an Arabic
// 年/月/日 date, 4-6 a Chinese-numeral one, 7-9 a numeric 2022-10-19,
// 2022.10.19 or 2022/10/19 date. The day is optional in the first two forms
// (2022年2月).
var dateRe = regexp.MustCompile(
	`(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?` +
		`|([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十廿卅]{1,3})\s*[日号])?` +
		`|(\d{4})([-./])(\d{1,2})([-./])(\d{1,2})`)

// yearRe matches a string that is only a year: 2022年, 2022, 二〇二二年.
var yearRe = regexp.MustCompile(`^\s*(\d{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年?度?\s*$`)

// match is one date found in a folded string: its byte span and value.
type match struct {
	start, end int
	date       string
}

// Parse reads the first date written in s and returns it as YYYY-MM-DD, or
// YYYY-MM when s gives no day, or YYYY when s is only a year (2022年). Text
// around the date is ignored: Parse("2022年2月21日印发") is "2022-02-21".
// Years outside 1800–2199, months outside 1–12 and days outside 1–31 are
// not dates; the day is not checked against the month's length, so a
// misprinted 2月30日 is still read.
func Parse(s string) (string, bool) {
	f, _ := fold(s)
	if ms := scan(f); len(ms) > 0 {
		return ms[0].date, true
	}
	if m := yearRe.FindStringSubmatch(f); m != nil {
		if y := number(m[1]); y >= 1800 && y < 2200 {
			return strconv.Itoa(y), true
		}
	}
	return "", false
}

// scan returns every valid date in the folded string f, in order.
func scan(f string) []match {
	var out []match
	for _, ix := range dateRe.FindAllStringSubmatchIndex(f, -1) {
		g := func(i int) string {
			if ix[2*i] < 0 {
				return ""
			}
			return f[ix[2*i]:ix[2*i+1]]
		}
		var y, mo, d int
		switch {
		case ix[2] >= 0:
			y, mo, d = number(g(1)), number(g(2)), number(g(3))
		case ix[8] >= 0:
			y, mo, d = number(g(4)), number(g(5)), number(g(6))
		default:
			// 2022-10-19: both separators alike, and not part of a longer
			// number (a standard's code such as GB 50016-2014.1.2).
			if g(8) != g(10) || digitAt(f, ix[0]-1) || digitAt(f, ix[1]) ||
				sepDigit(f, ix[1], 1) || sepDigit(f, ix[0]-1, -1) {
				continue
			}
			y, mo, d = number(g(7)), number(g(9)), number(g(11))
		}
		if ix[0] > 0 && digitAt(f, ix[0]-1) {
			continue // 12022年… is not a year
		}
		ds, ok := format(y, mo, d)
		if !ok {
			continue
		}
		out = append(out, match{start: ix[0], end: ix[1], date: ds})
	}
	return out
}

// sepDigit reports whether f has a separator (-./) at byte i followed, in
// direction dir, by a digit: the date is part of a longer dotted number.
func sepDigit(f string, i, dir int) bool {
	if i < 0 || i >= len(f) || (f[i] != '-' && f[i] != '.' && f[i] != '/') {
		return false
	}
	return digitAt(f, i+dir)
}

// digitAt reports whether f has an ASCII digit at byte i.
func digitAt(f string, i int) bool {
	return i >= 0 && i < len(f) && f[i] >= '0' && f[i] <= '9'
}

// format renders a date, d == 0 meaning no day.
func format(y, mo, d int) (string, bool) {
	if y < 1800 || y >= 2200 || mo < 1 || mo > 12 || d < 0 || d > 31 {
		return "", false
	}
	var b strings.Builder
	b.Grow(10)
	b.WriteString(strconv.Itoa(y))
	b.WriteByte('-')
	two(&b, mo)
	if d > 0 {
		b.WriteByte('-')
		two(&b, d)
	}
	return b.String(), true
}

func two(b *strings.Builder, n int) {
	b.WriteByte(byte('0' + n/10))
	b.WriteByte(byte('0' + n%10))
}

// number reads an ASCII or Chinese numeral: 2022, 二〇二二 (digit by digit),
// 十二, 二十一, 廿一, 三十. It returns 0 for "" and -1 for anything else.
func number(s string) int {
	if s == "" {
		return 0
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	rs := []rune(s)
	if len(rs) == 4 { // a year written digit by digit
		n := 0
		for _, r := range rs {
			v := cnDigit(r)
			if v < 0 {
				return -1
			}
			n = n*10 + v
		}
		return n
	}
	n, cur := 0, 0
	for _, r := range rs {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
		case '廿':
			n += 20
		case '卅':
			n += 30
		default:
			v := cnDigit(r)
			if v < 0 {
				return -1
			}
			cur = v
		}
	}
	return n + cur
}

// cnDigit is the value of a Chinese digit, -1 if r is none.
func cnDigit(r rune) int {
	switch r {
	case '〇', '○', '零', 'Ｏ':
		return 0
	case '一':
		return 1
	case '二':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

// fold maps full-width digits, separators and spaces to ASCII so that one
// set of patterns reads every form. It returns the folded string and, for
// each of its bytes, the byte offset in s it came from (plus a final entry
// len(s)), so spans found in the folded string can be cut from s.
func fold(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
			offs = append(offs, i)
			continue
		case r == '\u3000' || r == '\u00a0' || r == '\t':
			r = ' '
		case r == '－' || r == '—' || r == '–':
			r = '-'
		case r == '．':
			r = '.'
		case r == '／':
			r = '/'
		}
		n := b.Len()
		b.WriteRune(r)
		for j := n; j < b.Len(); j++ {
			offs = append(offs, i)
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}
