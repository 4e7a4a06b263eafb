package parse

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// Cleaning: non-content lines are blanked before structure is parsed, so
// they are neither headings nor searchable. What counts as non-content:
//
//   - the breadcrumb header of a web-page copy (您当前的位置…, "[ 索引号 ] …"
//     field lines — read for metadata first) and its footer (扫一扫,
//     网站地图, 版权所有, ICP备案号 …);
//   - a table of contents (目录 and its dot-leader entries);
//   - the cover block of an official document: issuing body, document
//     number, 关于印发…的通知 title, addressees, signing body, dates,
//     （此件公开发布）, and the document title lines (they are metadata);
//     the notice paragraph itself is kept as preamble content;
//   - distribution trailers (抄送：…, "…办公室 2022年2月23日印发"), page
//     numbers (— 12 —) and image placeholders ([image: image3]).
//
// Lines are blanked rather than removed, so paragraph boundaries and line
// indexes are preserved.

// stripReason says why a line was removed.
type stripReason string

const (
	stripChrome   stripReason = "网页页眉页脚"
	stripTOC      stripReason = "目录"
	stripCover    stripReason = "封面与发文信息"
	stripTitle    stripReason = "文档标题"
	stripTrailer  stripReason = "抄送与印发"
	stripArtefact stripReason = "版面残留"
)

// strippedLine is a line removed by clean, for tests and golden files.
type strippedLine struct {
	Line   int
	Text   string
	Reason stripReason
}

var (
	breadcrumbRe = regexp.MustCompile(`^(您当前的位置|当前位置|您的位置|首页\s*[>＞›»])`)
	footerRe     = regexp.MustCompile(`(扫一扫|网站地图|版权所有|版权声明|联系我们|我要写信|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持|办公室主办|打印本页|关闭窗口|【打印】|【关闭】|分享到)`)
	trailerRe    = regexp.MustCompile(`^(抄送|抄报|分送)\s*[:：]|印发$`)
	pageNumRe    = regexp.MustCompile(`^(?:[—\-－–]\s*\d{1,4}\s*[—\-－–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$`)
	// htmlCommentRe matches a line that is an HTML comment
	// (<!-- INFO END --> of markdown exports): never text.
	htmlCommentRe = regexp.MustCompile(`^<!--.*-->$`)
	imageRe       = regexp.MustCompile(`^\[(?:image|图片|img)[:：][^\]]*\]$`)
	addresseeRe   = regexp.MustCompile(`^(各|区委|县委|市委|区政府|县政府|市政府)[^。]{0,60}[:：]$`)
)

// cleaned is the outcome of clean.
type cleaned struct {
	lines    []string          // the input lines, non-content lines blanked
	stripped []strippedLine    // what was blanked, in order
	fields   map[string]string // web header fields: 索引号, 发文字号, 成文日期 …
}

// readHeaderFields returns the "[ 字段 ] 值" pairs of a web-page header.
func readHeaderFields(lines []string) map[string]string {
	fields := map[string]string{}
	for i, l := range lines {
		if i > 40 {
			break
		}
		s := strings.TrimSpace(l)
		if !strings.HasPrefix(s, "[") {
			continue
		}
		for _, m := range headerFieldRe.FindAllStringSubmatch(s, -1) {
			k := spaceless(m[1])
			if _, dup := fields[k]; !dup {
				fields[k] = strings.TrimSpace(m[2])
			}
		}
	}
	return fields
}

// clean blanks the non-content lines of a document; titles are the known
// titles of the document (manifest and inferred), whose lines in the cover
// block are metadata.
func clean(raw []string, fields map[string]string, titles ...string) cleaned {
	c := cleaned{lines: append([]string(nil), raw...), fields: fields}
	strip := func(i int, why stripReason) {
		if c.lines[i] == "" && raw[i] == "" {
			return
		}
		if !blankLine(raw[i]) {
			c.stripped = append(c.stripped, strippedLine{Line: i, Text: raw[i], Reason: why})
		}
		c.lines[i] = ""
	}

	// Web chrome: the leading breadcrumb/field block and the trailing footer.
	for i, l := range raw {
		s := strings.TrimSpace(l)
		if s == "" {
			continue
		}
		if breadcrumbRe.MatchString(s) || headerFieldLine(s) {
			strip(i, stripChrome)
			continue
		}
		break
	}
	footerFrom := len(raw)
	for i := len(raw) - 1; i >= 0 && len(raw)-i <= 40; i-- {
		s := strings.TrimSpace(raw[i])
		if s == "" {
			continue
		}
		if footerLine(s) || strings.HasPrefix(s, "•") && utf8.RuneCountInString(s) < 60 {
			footerFrom = i
			continue
		}
		break
	}
	for i := footerFrom; i < len(raw); i++ {
		strip(i, stripChrome)
	}

	// Tables of contents, trailers and layout artefacts, anywhere.
	inTOC := false
	for i, l := range c.lines {
		if !strings.HasPrefix(l, "\t") && blankLine(l) {
			continue
		}
		s := displayLine(l)
		switch {
		case isTOCTitle(s):
			inTOC = true
			strip(i, stripTOC)
			continue
		case isTOCEntry(s):
			strip(i, stripTOC)
			continue
		case inTOC:
			inTOC = false
		}
		switch {
		case isTrailer(s):
			strip(i, stripTrailer)
		case pageNumRe.MatchString(s), imageRe.MatchString(s), isPublicationMark(s), htmlCommentRe.MatchString(s):
			strip(i, stripArtefact)
		}
	}

	// The cover block: lines before the first structural heading.
	normTitles := make([]string, 0, len(titles))
	for _, t := range titles {
		if t = corpus.Normalize(t); t != "" {
			normTitles = append(normTitles, t)
		}
	}
	inNotice := false
	sawNotice := false
	front := coverEnd(c.lines)
	cover := make([]string, front)
	for i := range cover {
		if !blankLine(c.lines[i]) && !strings.HasPrefix(c.lines[i], "\t") {
			cover[i] = displayLine(c.lines[i])
		}
	}
	_, inBlock := dateBlock(cover)
	seen := 0
	for i := 0; i < front && seen < maxCoverLines; i++ {
		if blankLine(c.lines[i]) || strings.HasPrefix(c.lines[i], "\t") {
			continue
		}
		seen++
		s := displayLine(c.lines[i])
		switch {
		case inNotice || strings.Contains(s, "关于印发") && !strings.Contains(s, "。"):
			// The notice title, possibly split over lines.
			strip(i, stripCover)
			inNotice = !strings.Contains(s, "通知")
			sawNotice = true
		case isTitleLine(s, normTitles):
			strip(i, stripTitle)
		case isCoverLine(s), inBlock[i]:
			strip(i, stripCover)
		case addresseeRe.MatchString(s) && sawNotice:
			strip(i, stripCover)
		}
	}
	// Running headers: the title repeated on its own line in the body
	// (documents copied from paginated PDFs).
	for i := front; i < len(c.lines); i++ {
		if blankLine(c.lines[i]) || strings.HasPrefix(c.lines[i], "\t") {
			continue
		}
		d := displayLine(c.lines[i])
		if len(d) > 2*maxTitleBytes(normTitles) {
			continue
		}
		n := corpus.Normalize(d)
		for _, t := range normTitles {
			if n == t {
				strip(i, stripTitle)
				break
			}
		}
	}
	// A signature block closing the document: organisation and date lines
	// after the last paragraph.
	for i := len(c.lines) - 1; i >= front; i-- {
		if blankLine(c.lines[i]) {
			continue
		}
		s := displayLine(c.lines[i])
		if isOrgLine(s) || dateLineRe.MatchString(s) {
			strip(i, stripCover)
			continue
		}
		break
	}
	sort.Slice(c.stripped, func(i, j int) bool { return c.stripped[i].Line < c.stripped[j].Line })
	return c
}

// footerLine reports whether s is a line of a web page's footer: a short
// line naming the site's chrome (主办单位, 版权所有, ICP备 …) that is not a
// sentence and not a numbered article or item. A sentence of the body
// that mentions the organiser of an event (…主办单位应当…) is content.
func footerLine(s string) bool {
	if !footerRe.MatchString(s) || utf8.RuneCountInString(s) > 80 || strings.ContainsAny(s, "。；;！？") {
		return false
	}
	if h, ok := parseHeading(s); ok && (h.structural() || h.style == styleArticle) {
		return false
	}
	return true
}

// maxCoverLines bounds the cover block of a document without headings.
const maxCoverLines = 40

// isTrailer reports whether s is a distribution trailer: 抄送：… or a short
// line ending in 印发 with a date ("…办公室 2022年2月23日印发").
func isTrailer(s string) bool {
	// the cheap tests first: most lines neither end with 印发 nor start
	// with 抄 or 分
	suffix := strings.HasSuffix(s, "印发")
	if !suffix && !strings.HasPrefix(s, "抄") && !strings.HasPrefix(s, "分") {
		return false
	}
	if utf8.RuneCountInString(s) > 160 {
		return false
	}
	if suffix {
		return dateRe.MatchString(s) && !strings.ContainsAny(s, "。；")
	}
	return trailerRe.MatchString(s)
}

// headerFieldLine reports whether s is a line of "[ 字段 ] 值" pairs.
func headerFieldLine(s string) bool {
	return strings.HasPrefix(s, "[") && headerFieldRe.MatchString(s) && !imageRe.MatchString(s)
}

// coverEnd returns the index of the first structural heading (or
// len(lines) when there is none): the cover block and preamble precede it.
func coverEnd(lines []string) int {
	for i, l := range lines {
		if blankLine(l) || strings.HasPrefix(l, "\t") {
			continue
		}
		if h, ok, _ := lineHeading(l); ok && h.structural() {
			return i
		}
	}
	return len(lines)
}

// isTitleLine reports whether s is (part of) one of the document's titles:
// its normalised text is a substring of a normalised title and it is not
// a sentence.
func isTitleLine(s string, titles []string) bool {
	n := corpus.Normalize(s)
	if n == "" || strings.ContainsAny(s, "。；") {
		return false
	}
	for _, t := range titles {
		if n == t || strings.Contains(t, n) && (utf8.RuneCountInString(n) >= 6 || periodLineRe.MatchString(s)) {
			return true
		}
	}
	return false
}

// maxTitleBytes is the length of the longest title, in bytes.
func maxTitleBytes(titles []string) int {
	n := 0
	for _, t := range titles {
		n = max(n, len(t))
	}
	return n
}
