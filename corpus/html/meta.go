package html

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// metaLabels are the field labels of the metadata boxes of government
// disclosure pages ([索引号] [发文机关] …), white space removed.
var metaLabels = []string{
	"索引号", "发文字号", "文号", "发文机关", "发布机关", "发文单位", "成文日期",
	"发文日期", "发布日期", "生成日期", "主题分类", "主题词", "统一编号", "实施日期",
	"生效日期", "失效日期", "废止日期", "有效性", "时效性", "文件状态", "公开方式",
	"公开范围", "公开时限", "信息分类", "体裁分类", "服务对象", "组配分类", "所属主题",
	"信息来源", "来源", "文件编号", "登记号", "效力状态", "发布时间", "标题", "名称",
}

// labelRe finds a metadata label followed by its separator: brackets or
// a colon, or a tab (the cell boundary of a label cell). Spaces, ideographic
// spaces and no-break spaces may stand between the label's characters.
var labelRe = regexp.MustCompile(func() string {
	alts := make([]string, len(metaLabels))
	for i, l := range metaLabels {
		rs := []rune(l)
		parts := make([]string, len(rs))
		for j, r := range rs {
			parts[j] = regexp.QuoteMeta(string(r))
		}
		alts[i] = strings.Join(parts, `[ \x{3000}\x{a0}]*`)
	}
	return `[\[【]?[ \x{3000}\x{a0}]*(` + strings.Join(alts, "|") + `)[ \x{3000}\x{a0}]*(?:[\]】][ \x{3000}\x{a0}]*[:：]?|[:：]|\t)`
}())

// countMetaLabels counts the distinct metadata labels (with separators)
// in text.
func countMetaLabels(text string) int {
	if !strings.ContainsAny(text, ":：]】") {
		return 0
	}
	seen := map[string]bool{}
	for _, m := range labelRe.FindAllStringSubmatch(text, 16) {
		seen[m[1]] = true
	}
	return len(seen)
}

// meta reads what the page says about the document: <meta> fields, the
// title near the body, <title>, and the fields of metadata boxes.
func (p *page) meta(body *region) corpus.SourceMeta {
	var m corpus.SourceMeta
	metas := map[string]string{}
	var title string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				name := strings.ToLower(strings.TrimSpace(attr(n, "name")))
				if name == "" {
					name = strings.ToLower(strings.TrimSpace(attr(n, "property")))
				}
				if v := strings.TrimSpace(attr(n, "content")); name != "" && v != "" {
					if _, ok := metas[name]; !ok {
						metas[name] = v
					}
				}
			case atom.Title:
				if title == "" && n.FirstChild != nil {
					title = collapse(n.FirstChild.Data)
				}
			case atom.Svg, atom.Math:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)

	if t := collapse(metas["articletitle"]); t != "" {
		m.Title, m.Strong = t, true
	} else if t := p.headingTitle(body); t != "" {
		m.Title = t
	} else {
		m.Title = stripSiteName(title, metas["sitename"])
	}

	fields := p.fields()
	m.DocNumber = fields["DocNumber"]
	m.Subject = fields["Subject"]
	m.Issuer = fields["Issuer"]
	if m.Issuer == "" {
		for _, k := range []string{"contentsource", "source", "dc.publisher"} {
			if v := collapse(metas[k]); isIssuer(v) {
				m.Issuer = v
				break
			}
		}
	}
	m.Date = fields["Date"]
	if m.Date == "" {
		for _, k := range []string{"pubdate", "publishdate", "firstpublishedtime", "publishtime", "dc.date", "article:published_time"} {
			if d := normDate(metas[k]); d != "" {
				m.Date = d
				break
			}
		}
	}
	if m.Date == "" {
		m.Date = fields["PubDate"]
	}
	return m
}

// collapse trims s and collapses its runs of white space to one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// isIssuer reports whether a source field names an issuing body rather
// than the site itself.
func isIssuer(v string) bool {
	if v == "" || runes(v) > 60 {
		return false
	}
	switch v {
	case "本网", "本站", "原创", "网站", "本网站", "未知", "其他", "无":
		return false
	}
	return !strings.Contains(v, "网站") && !strings.Contains(v, "http")
}

// headingTitle returns the article's heading near the body: the last
// h1–h3 or element named "title" before the body inside the body's
// nearest ancestors, or the first heading inside the body.
func (p *page) headingTitle(body *region) string {
	if body == nil {
		return ""
	}
	start := p.info[body.first()]
	if start == nil {
		return ""
	}
	scope := body.first().Parent
	for i := 0; i < 3 && scope != nil; i++ {
		var best string
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			in := p.info[n]
			if in == nil || in.skip || in.chrome || in.order >= start.order {
				return
			}
			if isTitleElement(n) {
				if t := titleText(n); t != "" {
					best = t
					return
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		for c := scope.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if best != "" {
			return best
		}
		scope = scope.Parent
	}
	var inside string
	var find func(*html.Node) bool
	find = func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return false
		}
		if in := p.info[n]; in == nil || in.skip || in.chrome {
			return false
		}
		if headingLevel(n.DataAtom) > 0 && headingLevel(n.DataAtom) <= 3 {
			inside = titleText(n)
			return inside != ""
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c) {
				return true
			}
		}
		return false
	}
	for _, n := range body.nodes {
		if find(n) {
			break
		}
	}
	return inside
}

// isTitleElement reports whether n is a heading or named like a title
// (not a subtitle).
func isTitleElement(n *html.Node) bool {
	if l := headingLevel(n.DataAtom); l > 0 && l <= 3 {
		return true
	}
	for _, tok := range strings.Fields(strings.ToLower(attr(n, "id") + " " + attr(n, "class"))) {
		if strings.Contains(tok, "title") && !strings.Contains(tok, "sub") {
			return true
		}
	}
	return false
}

// titleText returns an element's text when it reads like a document title.
func titleText(n *html.Node) string {
	t := headText(n, 201)
	switch c := runes(t); {
	case c < 4 || c > 200:
		return ""
	case isBreadcrumb(t) || hasRelatedLabel(t) || isToolText(t):
		return ""
	}
	return collapse(textOf(n))
}

// textOf returns the visible text of n with white space collapsed and
// spaces next to CJK text removed.
func textOf(n *html.Node) string {
	var buf []rune
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			for _, r := range n.Data {
				if isSpace(r) {
					r = ' '
				}
				buf = append(buf, r)
			}
		case isSkipped(n):
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(n)
	return cleanText([]rune(collapse(string(buf))))
}

// strongSeps split a <title> into the document title and the names of
// the column and the site; weakSeps (a bare hyphen) only where one side is
// a site's name, as dates and ranges in titles use hyphens too.
var (
	strongSeps = regexp.MustCompile(`\s*[_|｜]\s*|\s+[-–—]{1,2}\s+`)
	weakSeps   = regexp.MustCompile(`\s*[-–]\s*`)
)

// stripSiteName removes the site and column names that sites add to
// <title> before or after the document title ("标题_栏目_某某市人民政府门户网站",
// "某某局网站-标题").
func stripSiteName(title, site string) string {
	title = collapse(title)
	if title == "" {
		return ""
	}
	isSite := func(s string) bool {
		s = strings.TrimSpace(s)
		for _, suffix := range []string{"网站", "门户", "政府网", "网", "官网", "人民政府", "平台", "频道", "首页"} {
			if strings.HasSuffix(s, suffix) {
				return true
			}
		}
		return s == "" || s == site || strings.Contains(s, ".gov.cn") || strings.Contains(s, "首页")
	}
	parts := splitKeep(title, strongSeps)
	var kept []string
	for _, p := range parts {
		if !isSite(p) {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return title
	}
	// Of title, column and section names, the title is the longest.
	best := kept[0]
	for _, p := range kept[1:] {
		if runes(p) > runes(best) {
			best = p
		}
	}
	weak := splitKeep(best, weakSeps)
	i, j := 0, len(weak)
	for i < j-1 && isSite(weak[i]) {
		i++
	}
	for j > i+1 && isSite(weak[j-1]) {
		j--
	}
	if i == 0 && j == len(weak) {
		return best
	}
	locs := weakSeps.FindAllStringIndex(best, -1)
	start, end := 0, len(best)
	if i > 0 {
		start = locs[i-1][1]
	}
	if j < len(weak) {
		end = locs[j-1][0]
	}
	return strings.TrimSpace(best[start:end])
}

// splitKeep splits s at the matches of re, trimming the parts.
func splitKeep(s string, re *regexp.Regexp) []string {
	parts := re.Split(s, -1)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// fields reads the label: value fields of the page's metadata boxes.
// Keys: DocNumber, Issuer, Date (成文日期), PubDate (发布日期), Subject.
func (p *page) fields() map[string]string {
	lines := p.fieldLines()
	out := map[string]string{}
	for _, line := range lines {
		if !strings.ContainsAny(line, ":：]】\t") || !strings.ContainsAny(line, "号关位期类题间") {
			continue
		}
		ms := labelRe.FindAllStringSubmatchIndex(line, 32)
		for k, m := range ms {
			end := len(line)
			if k+1 < len(ms) {
				end = ms[k+1][0]
			}
			label := strings.Map(func(r rune) rune {
				if isSpace(r) {
					return -1
				}
				return r
			}, line[m[2]:m[3]])
			value := strings.Trim(collapse(strings.ReplaceAll(line[m[1]:end], "\t", " ")), " :：[]【】")
			if value == "" {
				continue
			}
			setField(out, label, value)
		}
	}
	return out
}

// docNumberRe matches a document number (穗府办规〔2021〕7号, 国务院令第746号).
var docNumberRe = regexp.MustCompile(`[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号|第\s*\d+\s*号|\d{4}\s*[〕\]］)）】]?\s*\d+\s*号`)

// setField stores the value of a label under its key unless the key is
// already set or the value does not fit.
func setField(out map[string]string, label, value string) {
	var key string
	switch label {
	case "发文字号", "文号", "文件编号":
		if !docNumberRe.MatchString(value) || runes(value) > 40 {
			return
		}
		key = "DocNumber"
	case "发文机关", "发布机关", "发文单位":
		if runes(value) > 60 {
			return
		}
		key = "Issuer"
	case "成文日期", "发文日期":
		value = normDate(value)
		key = "Date"
	case "发布日期", "发布时间":
		value = normDate(value)
		key = "PubDate"
	case "主题分类", "所属主题":
		if runes(value) > 40 {
			return
		}
		key = "Subject"
	default:
		return
	}
	if value != "" && out[key] == "" {
		out[key] = value
	}
}

// fieldLines returns the page's text as lines: block elements and rows end
// a line, table cells are separated by tabs. Only lines short enough to
// be metadata are kept.
func (p *page) fieldLines() []string {
	var lines []string
	var cur []rune
	end := func() {
		if s := strings.TrimSpace(string(cur)); s != "" && runes(s) <= 400 {
			lines = append(lines, s)
		}
		cur = cur[:0]
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if !p.tick() {
			return
		}
		switch n.Type {
		case html.TextNode:
			if len(cur) < 4000 {
				for _, r := range n.Data {
					if r == '\n' || r == '\r' || r == '\t' {
						r = ' '
					}
					cur = append(cur, r)
				}
			}
			return
		case html.ElementNode:
			if isSkipped(n) {
				return
			}
			switch {
			case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
				cur = append(cur, '\t')
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
				cur = append(cur, '\t')
				return
			case n.DataAtom == atom.Br || blockTags[n.DataAtom] && n.DataAtom != atom.Table && n.DataAtom != atom.Tbody:
				end()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && blockTags[n.DataAtom] && n.DataAtom != atom.Td && n.DataAtom != atom.Th {
			end()
		}
	}
	walk(p.root)
	end()
	return lines
}

// dateRe matches a date written 2021-07-30, 2021/7/30, 2021.07.30 or
// 2021年7月30日.
var dateRe = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)

// normDate returns the first date in s as YYYY-MM-DD, or "".
func normDate(s string) string {
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}
