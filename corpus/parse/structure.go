package parse

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Heading recognition. A heading is a line (or the start of a paragraph,
// for run-in headings) that begins with a numbering label. The label's
// style, not markdown's # count, decides the level: styles get levels in
// order of first appearance, and a style seen before pops back to its
// level (see builder.place).

// Label styles.
const (
	styleChapter = "chapter" // 第三章
	styleSection = "section" // 第二节
	styleArticle = "article" // 第三条
	styleCN      = "cn"      // 一、
	stylePCN     = "pcn"     // （一） (一)
	styleNumDot  = "num."    // 1. 1．
	styleNumComa = "num、"    // 1、
	stylePNum    = "pnum"    // （1） (1)
	styleCircle  = "circle"  // ①
	stylePreface = "preface" // 序言
	styleAnnex   = "annex"   // 附件, 附件2
	styleBox     = "box"     // 专栏4
	styleItem    = "item"    // 项目8 (inside a 专栏)
	styleMD      = "md"      // markdown heading without a label (# 前言)
)

// styleRank orders styles from coarse to fine. A style never nests under
// a finer one: 一、 after （一） closes the （一） section.
var styleRank = map[string]int{
	stylePreface: 1, styleChapter: 1, styleSection: 2, styleArticle: 3, styleCN: 3, stylePCN: 4,
	styleNumDot: 5, styleNumComa: 5, stylePNum: 6, styleCircle: 7,
}

const cnDigits = `[` + cnDigitRunes + `]`

// cnDigitRunes are the runes of cnDigits.
const cnDigitRunes = "一二三四五六七八九十百千零〇两"

var (
	chapterRe = regexp.MustCompile(`^第\s*(` + cnDigits + `+|\d{1,3})\s*章\s*(.*)$`)
	sectionRe = regexp.MustCompile(`^第\s*(` + cnDigits + `+|\d{1,3})\s*节\s*(.*)$`)
	articleRe = regexp.MustCompile(`^第\s*(` + cnDigits + `+|\d{1,4})\s*条[\s\x{3000}]+(.*)$`)
	prefaceRe = regexp.MustCompile(`^(序\s*言|前\s*言|引\s*言)$`)
	annexRe   = regexp.MustCompile(`^附\s*件\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*([:：])?\s*(.*)$`)
	boxRe     = regexp.MustCompile(`^专栏\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[:：.．]?\s*(.*)$`)
	cnRe      = regexp.MustCompile(`^(` + cnDigits + `{1,4})\s*、\s*(.*)$`)
	pcnRe     = regexp.MustCompile(`^[（(]\s*(` + cnDigits + `{1,4})\s*[）)]\s*(.*)$`)
	numRe     = regexp.MustCompile(`^(\d{1,3})\s*([.．、])\s*(.*)$`)
	pnumRe    = regexp.MustCompile(`^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$`)
	circleRe  = regexp.MustCompile(`^([①-⑳])\s*(.*)$`)
	itemRe    = regexp.MustCompile(`^项目\s*(\d{1,3})\s*[:：.．、]?\s*(.*)$`)
	mdRe      = regexp.MustCompile(`^(#{1,6})\s*(.*)$`)
	// gradeRe matches the rest of 一、二年级 / 三、四月: numerals listed
	// with 、 rather than a label.
	gradeRe = regexp.MustCompile(`^[一二三四五六七八九十]+(?:年级|年|月|个|类|级|、)`)
	// boldLeadRe matches a paragraph opening with a bold run:
	// **党对教育工作的领导全面加强。**区委…
	boldLeadRe = regexp.MustCompile(`^\*\*([^*]+?)\*\*(.*)$`)
)

// heading is a recognised numbering label with the title that follows it.
type heading struct {
	style string
	label string // as written: 第三章, （一）, 1., 专栏4, 附件
	n     int    // number of the label; 0 when it has none
	title string // heading text without label and final 。
	body  string // text after the title of a run-in heading
	runIn bool   // the paragraph continues after the title
	// decimal is set for 1.2035远景目标: a number directly after "1.",
	// which may also be a decimal number opening a sentence.
	decimal bool
	hashes  int // markdown # count, 0 when none
	// num is the number of the label as written, the first group of the
	// label's regexp, when matched by match
	num string
}

// structural reports whether the heading opens a node of the outline that
// ends a document's cover block.
func (h heading) structural() bool {
	return h.style != styleMD && h.style != styleItem
}

// parseHeading recognises a numbering label at the start of a display
// line (markup already removed by displayLine except for the markdown
// hashes, which are passed in via parseHeadingMD).
func parseHeading(s string) (heading, bool) {
	return parseHeadingMD(s, 0)
}

// parseHeadingMD is parseHeading for a line that had hashes markdown
// heading markers.
func parseHeadingMD(s string, hashes int) (heading, bool) {
	s = strings.TrimSpace(s)
	if s == "" || hashes == 0 && !maybeLabel(s) {
		return heading{}, false
	}
	h := heading{hashes: hashes}
	var rest string
	var m [4]string // numLabel's groups
	switch {
	case ordinalLabel(s, '章', 3, false, &h, styleChapter, &rest):
		h.label = "第" + spaceless(h.num) + "章"
	case ordinalLabel(s, '节', 3, false, &h, styleSection, &rest):
		h.label = "第" + spaceless(h.num) + "节"
	case ordinalLabel(s, '条', 4, true, &h, styleArticle, &rest):
		h.label = "第" + spaceless(h.num) + "条"
	case prefaceRe.MatchString(s):
		h.style, h.label, h.title = stylePreface, spaceless(s), ""
		return h, true
	case annexRe.MatchString(s) && utf8.RuneCountInString(s) <= 80 && !strings.Contains(s, "。"):
		m := annexRe.FindStringSubmatch(s)
		if m[1] == "" && m[2] == "" && m[3] != "" {
			return heading{}, false // 附件内容…: a sentence, not an annex
		}
		h.style, h.n = styleAnnex, cnNumber(m[1])
		h.label = "附件" + m[1]
		h.title = strings.TrimSpace(m[3])
		return h, true
	case match(boxRe, s, &h, styleBox, &rest):
		h.label = "专栏" + firstGroup(boxRe, s)
		h.n = cnNumber(firstGroup(boxRe, s))
		h.title = trimTitle(rest)
		return h, true
	case match(cnRe, s, &h, styleCN, &rest):
		if gradeRe.MatchString(rest) {
			return heading{}, false // 一、二年级学生…: an enumeration, not a label
		}
		h.label = firstGroup(cnRe, s) + "、"
	case match(pcnRe, s, &h, stylePCN, &rest):
		h.label = labelOf(s, rest)
	case numLabel(s, &m):
		h.style, h.n, rest = styleNumDot, cnNumber(m[1]), m[3]
		if m[2] == "、" {
			h.style = styleNumComa
		}
		h.label = m[1] + m[2]
		if rest == "" {
			return heading{}, false
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsDigit(r) && m[2] != "、" {
			if isDecimalTail(rest) {
				return heading{}, false // 1.5万人…: a number opening a sentence
			}
			h.decimal = true
		}
		if r == '%' || r == '％' {
			return heading{}, false
		}
	case match(pnumRe, s, &h, stylePNum, &rest):
		h.label = labelOf(s, rest)
	case match(circleRe, s, &h, styleCircle, &rest):
		h.label = labelOf(s, rest)
		h.n = int([]rune(h.label)[0]-'①') + 1
	case match(itemRe, s, &h, styleItem, &rest):
		h.label = "项目" + firstGroup(itemRe, s)
	case hashes > 0:
		h.style, rest = styleMD, s
	default:
		return heading{}, false
	}
	if h.n == 0 && h.style != styleMD && h.style != styleCircle {
		num := h.num // the first group of regexpOf(h.style), when matched
		if num == "" {
			num = firstGroup(regexpOf(h.style), s)
		}
		h.n = cnNumber(num)
	}
	h.title, h.body = splitTitle(rest)
	h.runIn = h.body != ""
	if h.title == "" && h.style != styleChapter && h.style != styleSection && h.style != styleMD {
		return heading{}, false
	}
	return h, true
}

// decimalUnits are the units and measure words that follow a number.
const decimalUnits = "万亿千百个人所%％‰倍元年次项名家座间台套米平亩公吨小分秒天周月岁级班"

// isDecimalTail reports whether rest (the text after "1.") continues a
// decimal number (5万人…, 25%…) rather than starting a title (2035远景目标,
// 2035年远景目标).
func isDecimalTail(rest string) bool {
	digits := 0
	for digits < len(rest) && rest[digits] >= '0' && rest[digits] <= '9' {
		digits++
	}
	r, _ := utf8.DecodeRuneInString(rest[digits:])
	if digits == 4 && r == '年' {
		return false
	}
	return digits == len(rest) || strings.ContainsRune(decimalUnits, r) || r == '.' || r == '．'
}

// labelStarts are the runes a numbering label can start with.
const labelStarts = "第序前引附专一二三四五六七八九十百零〇两（(项0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

// maybeLabel is the cheap pre-filter of parseHeading: whether s starts
// with a rune a label can start with.
func maybeLabel(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune(labelStarts, r)
}

func regexpOf(style string) *regexp.Regexp {
	switch style {
	case styleChapter:
		return chapterRe
	case styleSection:
		return sectionRe
	case styleArticle:
		return articleRe
	case styleCN:
		return cnRe
	case stylePCN:
		return pcnRe
	case stylePNum:
		return pnumRe
	case styleItem:
		return itemRe
	}
	return numRe
}

// match applies re to s; on success it sets the style and the text after
// the label.
func match(re *regexp.Regexp, s string, h *heading, style string, rest *string) bool {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	h.style = style
	*rest = m[len(m)-1]
	if len(m) > 2 {
		h.num = m[1]
	}
	return true
}

// numLabel is numRe.FindStringSubmatch(s) into *m, without a regexp
// (most lines that open with digits are sentences, and the regexp's
// trailing (.*)$ walked each of them to its end); it reports whether s
// matched. TestNumLabel compares the two.
func numLabel(s string, m *[4]string) bool {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 3 { // \d{1,3} and then no digit
		return false
	}
	j := skipPerlSpace(s, i)
	var sep string
	for _, p := range []string{".", "．", "、"} {
		if strings.HasPrefix(s[j:], p) {
			sep = p
		}
	}
	if sep == "" {
		return false
	}
	k := skipPerlSpace(s, j+len(sep))
	if strings.Contains(s[k:], "\n") { // . matches no newline
		return false
	}
	*m = [4]string{s, s[:i], sep, s[k:]}
	return true
}

// ordinalLabel is match(re, s, h, style, rest) for the regexps of the
// ordinal labels 第…章, 第…节 and 第…条 (chapterRe, sectionRe, articleRe:
// `^第\s*(cnDigits+|\d{1,maxDigits})\s*UNIT` then `\s*(.*)$`, or, when
// spaced, `[\s\x{3000}]+(.*)$`), without a regexp: statutes are mostly
// such lines, long ones, and the regexps walked each to its end twice.
// TestOrdinalLabel compares the two.
func ordinalLabel(s string, unit rune, maxDigits int, spaced bool, h *heading, style string, rest *string) bool {
	const lead = "第"
	if !strings.HasPrefix(s, lead) {
		return false
	}
	i := skipPerlSpace(s, len(lead))
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !strings.ContainsRune(cnDigitRunes, r) {
			break
		}
		j += size
	}
	if j == i { // no Chinese numeral: 1 to maxDigits ASCII digits
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		if j == i || j-i > maxDigits {
			return false
		}
	}
	k := skipPerlSpace(s, j)
	r, size := utf8.DecodeRuneInString(s[k:])
	if r != unit {
		return false
	}
	k += size
	if spaced {
		from := k
		for {
			if n := skipPerlSpace(s, k); n > k {
				k = n
			} else if strings.HasPrefix(s[k:], "\u3000") {
				k += len("\u3000")
			} else {
				break
			}
		}
		if k == from {
			return false
		}
	} else {
		k = skipPerlSpace(s, k)
	}
	if strings.IndexByte(s[k:], '\n') >= 0 { // (.*)$ stops at a line break
		return false
	}
	h.style, h.num, *rest = style, s[i:j], s[k:]
	return true
}

// skipPerlSpace returns the offset after the run of \s (ASCII white
// space: tab, newline, form feed, carriage return, space) at s[i:].
func skipPerlSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f' || s[i] == '\r') {
		i++
	}
	return i
}

func firstGroup(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	if m == nil || len(m) < 2 {
		return ""
	}
	return m[1]
}

// labelOf returns the label of s: its prefix before rest, without spaces.
func labelOf(s, rest string) string {
	return spaceless(strings.TrimSuffix(s, rest))
}

func spaceless(s string) string { return strings.Join(strings.Fields(s), "") }

// maxTitleRunes bounds the title of a heading without sentence
// punctuation; longer text is a numbered paragraph whose title is its
// first clause.
const maxTitleRunes = 60

// splitTitle splits the text after a label into the heading title and the
// run-in body: the title runs to the first 。！？ (excluded); a heading
// with no sentence end is all title.
func splitTitle(rest string) (title, body string) {
	rest = strings.TrimSpace(rest)
	if i := strings.IndexFunc(rest, isSentenceEnd); i >= 0 {
		_, size := utf8.DecodeRuneInString(rest[i:])
		title, body = rest[:i], strings.TrimSpace(rest[i+size:])
		// 新建：凤凰湖萱花中学、…: a colon ends a list item's title.
		if j := strings.IndexFunc(title, isColon); j > 0 {
			return trimTitle(title[:j]), strings.TrimSpace(rest[j:])
		}
		return trimTitle(title), body
	}
	if utf8.RuneCountInString(rest) <= maxTitleRunes {
		return trimTitle(rest), ""
	}
	// A long numbered line without sentence end: its first clause.
	if i := strings.IndexAny(rest, "：:；;，,"); i > 0 && utf8.RuneCountInString(rest[:i]) <= maxTitleRunes {
		_, size := utf8.DecodeRuneInString(rest[i:])
		return trimTitle(rest[:i]), strings.TrimSpace(rest[i+size:])
	}
	return trimTitle(string([]rune(rest)[:maxTitleRunes])), string([]rune(rest)[maxTitleRunes:])
}

// isSentenceEnd reports whether r ends a heading's title: 。！？!?
// (strings.IndexAny with these decodes and looks up every rune of the
// line in the set; a statute's article is mostly such lines).
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?':
		return true
	}
	return false
}

// isColon reports whether r is a colon, full-width or not.
func isColon(r rune) bool { return r == '：' || r == ':' }

// runInTitle returns the title of an unnumbered paragraph that opens with
// a short sentence without commas (提升学生思想道德水平。把…), or "".
func runInTitle(text string) string {
	i := strings.Index(text, "。")
	if i <= 0 || strings.TrimSpace(text[i+len("。"):]) == "" {
		return ""
	}
	t := strings.TrimLeft(text[:i], "—-－ ")
	if t == "" || utf8.RuneCountInString(t) > 24 || strings.ContainsAny(t, "，,、；;：:“”《》（）()") {
		return ""
	}
	return strings.TrimSpace(t)
}

func trimTitle(s string) string {
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), "。：:；;，,"))
}

// displayLine returns a line as displayed: markdown heading markers and
// bold markers removed, surrounding space trimmed.
func displayLine(l string) string {
	s := strings.TrimSpace(l)
	if strings.HasPrefix(s, "#") {
		s = strings.TrimSpace(strings.TrimLeft(s, "#"))
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	return strings.TrimSpace(s)
}

// lineHeading parses the heading of a raw line: markdown hashes are
// counted, markup removed, and a leading bold run without a label is
// returned as boldTitle (a clause with a run-in title).
func lineHeading(raw string) (h heading, ok bool, boldTitle string) {
	s := strings.TrimSpace(raw)
	hashes := 0
	// the prefix checks skip regexps that cannot match
	if strings.HasPrefix(s, "#") {
		if m := mdRe.FindStringSubmatch(s); m != nil {
			hashes = len(m[1])
			s = m[2]
		}
	}
	if strings.HasPrefix(s, "**") {
		if m := boldLeadRe.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[2]) != "" {
			boldTitle = trimTitle(m[1])
		}
	}
	h, ok = parseHeadingMD(displayLine(s), hashes)
	if ok {
		boldTitle = ""
	}
	return h, ok, boldTitle
}

// blankLine reports whether a line holds nothing but white space.
func blankLine(l string) bool { return strings.TrimSpace(l) == "" }

// closers are the runes that can end a paragraph. A paragraph ending with
// anything else (a Han character, a digit, 、 or ，) was cut by a page break.
const closers = "。！？；：…”’）)】」』》.!?;:%％"

// softClosers end a quotation or parenthesis rather than a sentence; a
// paragraph ending with one continues when the next line starts with a
// rune no sentence starts with (破除“唯分数…”|的顽瘴痼疾).
const softClosers = "”’）)】」』》"

// midRunes never start a sentence.
const midRunes = "的地得，,。、；;：:）)》」』”’%％"

// startsMid reports whether s starts with a rune no sentence starts with.
func startsMid(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return strings.ContainsRune(midRunes, r)
}

// endsSoft reports whether s ends with a closing quote or bracket.
func endsSoft(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(s))
	return strings.ContainsRune(softClosers, r)
}

// endsOpen reports whether a paragraph ends without closing punctuation.
func endsOpen(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return !strings.ContainsRune(closers, r)
}

// alignedRe matches text laid out with runs of spaces (name lists,
// signature blocks), which is never a page-break fragment.
var alignedRe = regexp.MustCompile(`\S(?:[ \x{3000}]{2,}|\t)\S`)

// keyLineRe matches list lines like 组  长：… or 牵头单位：….
var keyLineRe = regexp.MustCompile(`^[\p{Han} \x{3000}]{1,8}[:：]`)

// tocEntryRe matches a table-of-contents entry: a title, dot leaders and a
// page number.
var tocEntryRe = regexp.MustCompile(`^.{1,80}?(?:\.{3,}|…{2,}|·{3,}|-{4,}|_{4,})\s*\d{1,4}$`)

func isTOCEntry(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || s[len(s)-1] < '0' || s[len(s)-1] > '9' || !strings.ContainsAny(s, ".…·-_") {
		return false
	}
	return tocEntryRe.MatchString(s)
}

func isTOCTitle(s string) bool {
	if !strings.Contains(s, "目") { // most lines: displayLine only removes
		return false
	}
	s = spaceless(displayLine(s))
	return s == "目录" || s == "目次"
}
