package parse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// Metadata inference. Official documents carry their metadata in a cover
// block before the body (issuing body, 关于印发…的通知, addressees, the
// signing body and date) or, for web-page copies, in a breadcrumb header of
// "[ 字段 ] 值" pairs. inferMeta reads them; the manifest overrides any
// field it sets (applyManifest).

var (
	// docNumberRe matches a document number: 巫溪府发〔2022〕14号,
	// 渝两江党办发﹝2022﹞44号, 渝府发[2021]3号.
	docNumberRe = regexp.MustCompile(`\p{Han}{1,12}[〔﹝\[【(（]\s*(\d{4})\s*[〕﹞\]】)）]\s*\d{1,4}\s*号`)
	// headerFieldRe matches one "[ 成文日期 ] 2022-10-19" pair of a web
	// page's metadata header.
	headerFieldRe = regexp.MustCompile(`\[\s*([^\[\]]{2,8}?)\s*\]\s*([^\[\]]*)`)
	// dateRe matches 2022年3月31日, 2022-10-19, 2022.3.31 and 2022/3/31.
	dateRe = regexp.MustCompile(`(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?|[-./](\d{1,2})[-./](\d{1,2}))`)
	// cnDateRe matches 二〇二一年六月 and 二〇二二年三月三十一日.
	cnDateRe = regexp.MustCompile(`([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*日)?`)
	// dateLineRe matches a line that is only a date (a signature date).
	dateLineRe = regexp.MustCompile(`^(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[〇零一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月(?:\s*[一二三四五六七八九十]{1,3}\s*日)?|\d{4}-\d{1,2}-\d{1,2})$`)
	// garbledLineRe matches cover remnants that lost their Han characters in
	// a web copy: "20212025年)", "20229".
	garbledLineRe = regexp.MustCompile(`^[\d\s年月日()（）—–\-.]{1,20}$`)
	// orgSuffixRe matches the end of an organisation name.
	orgSuffixRe = regexp.MustCompile(`(人民政府|政府|管理委员会|管委会|委员会|领导小组|办公室|办公厅|秘书组|教育委员会|教委|教育局|工作委员会|党委|县委|区委|市委|局|厅)$`)
	// noticeTitleRe matches 关于印发《X》的通知 and 关于印发X的通知.
	noticeTitleRe = regexp.MustCompile(`关于印发\s*《?(.+?)》?\s*的通知`)
	// noticeQuoteRe matches the 《X》 a notice paragraph issues:
	// 现将《X》印发给你们, 《X》已经…同意，现印发给你们.
	noticeQuoteRe = regexp.MustCompile(`《([^《》]{4,80})》[^《》。]{0,24}印发`)
	// titleWordRe matches words that end a document title.
	titleWordRe = regexp.MustCompile(`(规划|方案|意见|计划|办法|纲要|通知|决定|规定|细则|要点|条例|报告|措施|指南|指引|清单|总结|安排|通告|公告|通报|批复|复函|函|请示|决议|公报|命令|纪要|章程|规则|准则|守则|标准|制度|解释|答复)`)
	// periodLineRe matches a title's period line: （2021—2025年）.
	periodLineRe = regexp.MustCompile(`^[（(]\s*\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*年?\s*[）)]$`)
	// districtRe finds a district or county after 重庆 or a city (市).
	districtRe = regexp.MustCompile(`(?:重庆市?|\p{Han}市)(\p{Han}{2,8}?(?:新区|自治县|县|区))`)
	// districtStartRe finds a district at the start of a title or issuer.
	districtStartRe = regexp.MustCompile(`^(\p{Han}{2,7}?(?:新区|自治县|县|区))`)
)

// inferMeta extracts metadata from the document's lines: header fields of
// a web copy, the document number, issuing body, title, date, year and
// district.
func inferMeta(lines []string, fields map[string]string) corpus.Meta {
	var m corpus.Meta
	front := frontLines(lines)

	// Document number: the header field, else a short line of the cover.
	if v := fields["发文字号"]; docNumberRe.MatchString(v) {
		m.DocNumber = docNumberRe.FindString(v)
	}
	for _, l := range front {
		if m.DocNumber != "" {
			break
		}
		if s := docNumberRe.FindString(l); s != "" && utf8.RuneCountInString(l) <= 40 {
			m.DocNumber = strings.Join(strings.Fields(s), "")
		}
	}

	// Issuing body: the first line of the cover that is only an
	// organisation name; else the header's 发布机构.
	for _, l := range front {
		if isOrgLine(l) {
			m.Issuer = l
			break
		}
	}
	if m.Issuer == "" {
		m.Issuer = strings.TrimSpace(fields["发布机构"])
	}

	m.Title = markdownTitle(lines)
	if m.Title == "" {
		m.Title = inferTitle(front)
	}

	// Date: 成文日期 of a web copy, else the cover's signature date, else
	// the date of the 印发 trailer, else 发布日期.
	if d := parseDate(fields["成文日期"]); d != "" {
		m.IssueDate = d
	}
	for _, l := range front {
		if m.IssueDate != "" {
			break
		}
		if dateLineRe.MatchString(l) {
			m.IssueDate = parseDate(l)
		}
	}
	if m.IssueDate == "" {
		for _, l := range lines {
			if l = strings.TrimSpace(l); strings.HasSuffix(l, "印发") {
				if d := parseDate(l); d != "" {
					m.IssueDate = d
					break
				}
			}
		}
	}
	if m.IssueDate == "" {
		m.IssueDate = parseDate(fields["发布日期"])
	}
	m.Year = yearOf(m.IssueDate, m.DocNumber)
	// Subject: the 主题分类 of a disclosure page's header, as written.
	m.Subject = strings.TrimSpace(fields["主题分类"])
	// The district is the jurisdiction's name (classify), never a word of
	// the body.
	return m
}

// markdownTitle returns the text of a markdown level-1 heading opening the
// document (# 中华人民共和国民法典) when it is not a numbered heading
// (# 第一章 总则), or "". Date lines and 修正/修订 notes are never titles.
func markdownTitle(lines []string) string {
	for _, l := range lines {
		s := strings.TrimSpace(l)
		if s == "" {
			continue
		}
		if !strings.HasPrefix(s, "# ") {
			return ""
		}
		t := strings.TrimSpace(s[2:])
		if h, ok := parseHeading(t); ok && h.structural() {
			return ""
		}
		if t == "" || utf8.RuneCountInString(t) > 120 || isDateBlockLine(t) || dateLineRe.MatchString(t) {
			return ""
		}
		return tidyTitle(t)
	}
	return ""
}

// frontLines returns the trimmed, non-blank lines before the first
// structural heading (at most 60), with markdown markers removed: the
// cover block where metadata lives.
func frontLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if len(out) >= 60 {
			break
		}
		s := displayLine(l)
		if s == "" {
			continue
		}
		if isTOCEntry(s) || isTOCTitle(s) || headerFieldLine(s) || breadcrumbRe.MatchString(s) {
			continue
		}
		if h, ok := parseHeading(s); ok && h.structural() {
			break
		}
		out = append(out, s)
	}
	return out
}

// inferTitle finds the document title in the cover lines: the 《X》 of the
// notice paragraph, else X of 关于印发X的通知, else the first title-like
// line (with its period line, e.g. （2021—2025年）).
func inferTitle(front []string) string {
	// 关于印发… may be split over several lines; join the cover.
	for _, l := range front {
		// The notice formula: 现将《X》印发给你们. A 《…》 naming another
		// document (根据《…关于印发…的通知》) is not this one's title.
		if strings.Contains(l, "印发") && utf8.RuneCountInString(l) > 20 {
			if m := noticeQuoteRe.FindStringSubmatch(l); m != nil && titleWordRe.MatchString(m[1]) {
				return tidyTitle(m[1])
			}
		}
	}
	joined := ""
	for _, l := range front {
		if strings.Contains(joined, "关于印发") || strings.Contains(l, "关于印发") {
			joined += l
			if strings.Contains(l, "通知") {
				break
			}
		}
	}
	if m := noticeTitleRe.FindStringSubmatch(joined); m != nil {
		return tidyTitle(m[1])
	}
	for i, l := range front {
		if isCoverLine(l) || strings.Contains(l, "关于印发") {
			continue
		}
		if utf8.RuneCountInString(l) > 60 || strings.ContainsAny(l, "。；：:") || !titleWordRe.MatchString(l) {
			continue
		}
		t := l
		// A title set on two lines: the first holds no kind word
		// (上海保险分支机构高级管理人员 / 任职资格考试管理办法).
		if i > 0 && titleHead(front[i-1]) && (i == 1 || isCoverLine(front[i-2])) {
			t = front[i-1] + t
		}
		if i+1 < len(front) && periodLineRe.MatchString(front[i+1]) {
			t += front[i+1]
		}
		return tidyTitle(t)
	}
	return ""
}

// titleHead reports whether l can be the first line of a title set on two
// lines: short, no punctuation, no kind word, not a cover line.
func titleHead(l string) bool {
	n := utf8.RuneCountInString(l)
	return n >= 4 && n <= 40 && !strings.ContainsAny(l, "。；：:，,、") && !titleWordRe.MatchString(l) && !isCoverLine(l) && !strings.Contains(l, "关于印发")
}

// tidyTitle removes markup and spaces from a title and writes the
// half-width brackets of web copies as full-width ones.
func tidyTitle(t string) string {
	t = strings.Join(strings.Fields(displayLine(t)), "")
	t = halfWidthParens.Replace(t)
	return strings.Trim(t, "《》")
}

// isOrgLine reports whether l is only an organisation name: short, no
// punctuation, ending like 人民政府 / 管理委员会 / 领导小组.
func isOrgLine(l string) bool {
	n := utf8.RuneCountInString(l)
	return n >= 4 && n <= 40 && !strings.ContainsAny(l, "。，,；;：:、《》“”") && orgSuffixRe.MatchString(l) && !titleWordRe.MatchString(l)
}

// isCoverLine reports whether l is a cover-block line carrying only
// metadata: an organisation, a date, a document number, a publication mark
// or a garbled remnant of one.
func isCoverLine(l string) bool {
	if isOrgLine(l) || dateLineRe.MatchString(l) || isGarbled(l) {
		return true
	}
	if s := docNumberRe.FindString(l); s != "" && utf8.RuneCountInString(l) <= 40 && !strings.ContainsAny(l, "。，；") &&
		utf8.RuneCountInString(l)-utf8.RuneCountInString(s) <= 12 {
		// A line that is a document number (with a label or a signing
		// body), not a sentence citing one (你院《…》（…〔2011〕10号）收悉。).
		return true
	}
	return isPublicationMark(l)
}

// isGarbled reports whether l is a cover remnant that lost its Han
// characters: "20212025年)", "20229". Plain numbers of up to four digits
// are not (they may be table cells).
func isGarbled(l string) bool {
	if !garbledLineRe.MatchString(l) {
		return false
	}
	digits := 0
	for _, r := range l {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return strings.ContainsAny(l, "年月日") || digits >= 5
}

// isPublicationMark reports whether l is a mark like （此件公开发布）.
func isPublicationMark(l string) bool {
	l = strings.Trim(l, "（）() ")
	return l == "此件公开发布" || l == "此件主动公开" || l == "此件依申请公开" || l == "此件不公开"
}

// parseDate returns the first date in s as YYYY-MM-DD, or YYYY-MM when the
// day is not given; "" when there is none.
func parseDate(s string) string {
	if m := dateRe.FindStringSubmatch(s); m != nil {
		y := m[1]
		mo, d := m[2], m[3]
		if m[4] != "" {
			mo, d = m[4], m[5]
		}
		if mo == "" {
			return ""
		}
		return formatDate(atoiSafe(y), atoiSafe(mo), atoiSafe(d))
	}
	if m := cnDateRe.FindStringSubmatch(s); m != nil {
		return formatDate(cnNumber(m[1]), cnNumber(m[2]), cnNumber(m[3]))
	}
	return ""
}

func formatDate(y, mo, d int) string {
	if y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 0 || d > 31 {
		return ""
	}
	if d == 0 {
		return fmt.Sprintf("%04d-%02d", y, mo)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// yearOf returns the year of an ISO date, else of the document number.
func yearOf(date, docNumber string) int {
	if len(date) >= 4 {
		if y := atoiSafe(date[:4]); y > 0 {
			return y
		}
	}
	if m := docNumberRe.FindStringSubmatch(docNumber); m != nil {
		return atoiSafe(m[1])
	}
	return 0
}

// applyManifest returns inferred with every non-empty field of man
// overriding it.
func applyManifest(inferred, man corpus.Meta) corpus.Meta {
	m := inferred
	m.ID, m.Source = man.ID, man.Source
	if man.District != "" {
		m.District = man.District
	}
	if man.Title != "" {
		m.Title = man.Title
	}
	if man.Issuer != "" {
		m.Issuer = man.Issuer
	}
	if man.DocNumber != "" {
		m.DocNumber = man.DocNumber
	}
	if man.IssueDate != "" {
		m.IssueDate = man.IssueDate
	}
	if man.Subject != "" {
		m.Subject = man.Subject
	}
	if man.Year != 0 {
		m.Year = man.Year
	} else if man.IssueDate != "" {
		m.Year = yearOf(man.IssueDate, m.DocNumber)
	}
	return m
}

func atoiSafe(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// cnNumber parses a number written in Chinese numerals (十四, 二十三,
// 一百零五) or digit by digit (二〇二一), or in ASCII digits.
func cnNumber(s string) int {
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digit := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十', '百', '千':
			unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			if cur == 0 {
				cur = 1
			}
			total += cur * unit
			cur = 0
		default:
			d, ok := digit[r]
			if !ok {
				if r >= '0' && r <= '9' {
					d = int(r - '0')
				} else {
					return 0
				}
			}
			cur = cur*10 + d
			if cur > 1e6 {
				return 0
			}
		}
	}
	return total + cur
}

// applyHints fills the fields the text left empty from what the file said
// about itself; a strong title (a web page's ArticleTitle) overrides the
// inferred one.
func applyHints(inferred corpus.Meta, h corpus.SourceMeta) corpus.Meta {
	m := inferred
	title := tidyTitle(h.Title)
	if title != "" && (h.Strong || m.Title == "") && plausibleTitle(title) {
		m.Title = title
	}
	if m.Issuer == "" {
		m.Issuer = strings.TrimSpace(h.Issuer)
	}
	if m.DocNumber == "" {
		m.DocNumber = strings.Join(strings.Fields(h.DocNumber), "")
	}
	if m.IssueDate == "" {
		m.IssueDate = parseDate(h.Date)
		if m.IssueDate == "" && len(h.Date) == 10 && h.Date[4] == '-' && h.Date[7] == '-' {
			m.IssueDate = h.Date
		}
	}
	if m.Year == 0 {
		m.Year = yearOf(m.IssueDate, m.DocNumber)
	}
	if m.Subject == "" {
		m.Subject = strings.TrimSpace(h.Subject)
	}
	return m
}

// plausibleTitle rejects the leftovers word processors write into title
// properties: file names, template names, "Microsoft Word - …".
func plausibleTitle(t string) bool {
	n := utf8.RuneCountInString(t)
	if n < 4 || n > 120 {
		return false
	}
	low := strings.ToLower(t)
	for _, junk := range []string{"microsoft word", ".doc", ".pdf", ".wps", "untitled", "无标题", "模板", "normal"} {
		if strings.Contains(low, junk) {
			return false
		}
	}
	han := 0
	for _, r := range t {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	return han*2 >= n
}
