package parse

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/tables"
)

// The builder walks the cleaned lines once, in order, and turns them into
// the outline (heading nodes) and the units that partition the body.
//
// Unit paths come from numbering labels, never from positions, so editing
// one paragraph leaves the ids of other numbered nodes unchanged:
//
//	第三章第二节1.        3.2.1        heading and its subtree
//	unnumbered paragraph  3.2.p1       k-th unnumbered paragraph of its node
//	before any heading    p1           preamble
//	序言                  preface      and preface.p1 …
//	专栏4 / 项目8          box4 / box4.8 (item number from its label)
//	附件2                 a2           and a2.1 …; an annex without heading
//	                                   (numbering restarting after the body)
//	                                   gets a1.1, a1.2 …
//	表2 / its 5th row     t2 / t2.r5   (ids from the table recogniser)
//
// A path used twice (a document repeating 4.) gets a suffix: 4-2.
//
// Citations name the document and the location from the labels, the way a
// reader would quote it:
//
//	《巫溪县教育事业发展“十四五”规划（2021—2025年）》第三章第二节第1条
//	第三章 / 第二节 / 第三条 as written; 一、→第一部分; （一）→第（一）项;
//	1.→第1条; （1）→第（1）款; ①→第①目; an unnumbered paragraph adds
//	第k段 (开篇第k段 before the first heading, 序言第k段 in a 序言);
//	专栏4, 专栏2项目8, 专栏1第2条; 表2, 表2第5行; 附件, 附件1, and
//	附件第一部分… for an annex without heading.

type nodeKind int

const (
	kindRoot nodeKind = iota
	kindHeading
	kindBox
	kindTable
)

// node is a heading, box or table of the document being built, or the
// root (and the pseudo-root of an annex without heading).
type node struct {
	kind      nodeKind
	parent    *node
	children  []*node
	sec       *corpus.Section
	unit      *corpus.Unit
	style     string
	n         int
	path      string
	cite      string   // location in a citation: 第三章第二节
	trail     []string // breadcrumb of units inside the node (ancestors and itself)
	crumb     string   // "label title"
	level     int
	title     string
	runIn     bool
	annex     bool
	paras     int            // unnumbered paragraphs so far
	mds       int            // unnumbered markdown headings so far
	last      map[string]int // last label number per child style
	headings  int            // heading children
	itemStyle string         // boxes: label style of their items
}

// pageJoin records a paragraph rejoined across a page break.
type pageJoin struct {
	Line          int    // line index of the continuation
	Before, After string // the end of the first part and the start of the second
}

type builder struct {
	parts     map[string]string // classifyPart of heading titles (classify)
	d         *corpus.Document
	lines     []string
	headOf    []int32    // index in heads of each line's heading, -1 for none (b.lineHeading)
	heads     []lineHead // the lines that open a heading or a bold title
	root      *node
	annexRoot *node // parent of the top-level nodes of an annex without heading
	stack     []*node
	box       *node
	used      map[string]bool
	suffixes  map[string]int // next suffix to try per duplicated path
	annexN    int
	units     []*corpus.Unit
	owner     []*node // per unit: the node it belongs to
	own       []*node // per unit: the node whose heading it is, or nil
	suffix    []string
	body      []string
	joins     []pageJoin
	lastBare  int // index of the last bare 附件 line, -1 when none
	cur       int // last line of the paragraph being handled
	sibParts  map[*node]string
}

func newBuilder(d *corpus.Document, lines []string) *builder {
	b := &builder{
		d:        d,
		lines:    lines,
		root:     &node{kind: kindRoot, last: map[string]int{}},
		used:     map[string]bool{},
		suffixes: map[string]int{},
	}
	b.lastBare = -1
	b.headOf = make([]int32, len(lines))
	for i, l := range lines {
		h, ok, bold := lineHeading(l)
		if !ok && bold == "" {
			b.headOf[i] = -1
			continue
		}
		b.headOf[i] = int32(len(b.heads))
		b.heads = append(b.heads, lineHead{h, ok, bold})
		if ok && h.style == styleAnnex && h.title == "" {
			b.lastBare = i
		}
	}
	return b
}

// lineHead is lineHeading of a line, computed once per line (the builder
// asks for it when it reaches the line and when it looks ahead to it).
type lineHead struct {
	h    heading
	ok   bool
	bold string
}

// lineHeading returns lineHeading(b.lines[i]).
func (b *builder) lineHeading(i int) (heading, bool, string) {
	k := b.headOf[i]
	if k < 0 {
		return heading{}, false, ""
	}
	lh := &b.heads[k]
	return lh.h, lh.ok, lh.bold
}

// run builds the outline and the units.
func (b *builder) run() {
	lines := b.lines
	for i := 0; i < len(lines); {
		if blankLine(lines[i]) && !strings.HasPrefix(lines[i], "\t") {
			i++
			continue
		}
		if sp, ok := b.table(i); ok {
			b.emitTable(sp)
			i = sp.End
			continue
		}
		if blankLine(lines[i]) {
			i++
			continue
		}
		h, isHead, bold := b.lineHeading(i)
		if strings.HasPrefix(lines[i], "\t") && isHead && h.style != styleBox {
			isHead = false // a stray table cell, not a heading
		}
		text := displayLine(lines[i])
		j := i + 1
		last := text // the last fragment of the paragraph
		for joins := 0; joins < maxJoins && b.canJoin(last, h, isHead); joins++ {
			k := j
			for k < len(lines) && blankLine(lines[k]) && !strings.HasPrefix(lines[k], "\t") {
				k++
			}
			if k >= len(lines) || !b.continues(k) || !endsOpen(last) && !startsMid(lines[k]) {
				break
			}
			next := displayLine(lines[k])
			b.joins = append(b.joins, pageJoin{Line: k, Before: lastRunes(last, 8), After: firstRunes(next, 8)})
			text = joinBroken(text, next)
			last = next
			if isHead {
				h, isHead, _ = lineHeading(text)
			}
			j = k + 1
		}
		b.body = append(b.body, text)
		b.cur = j - 1
		b.paragraph(i, text, h, isHead, bold)
		i = j
	}
}

// maxJoins bounds the page breaks one paragraph may span: lines without
// punctuation beyond that are a list, not a broken paragraph.
const maxJoins = 6

// table returns the valid table span starting at line i, if any.
func (b *builder) table(i int) (tables.Span, bool) {
	sp, ok := tables.Find(b.lines, i)
	if !ok || sp.Start != i || sp.HeadEnd < sp.Start || sp.End <= sp.Start || sp.End > len(b.lines) || sp.HeadEnd > sp.End || sp.ID == "" {
		return tables.Span{}, false
	}
	prev := sp.HeadEnd
	for _, r := range sp.Rows {
		if r.Start < prev || r.End <= r.Start || r.End > sp.End {
			return tables.Span{}, false
		}
		prev = r.End
	}
	return sp, true
}

// canJoin reports whether the paragraph text may continue on a later line:
// it ends without closing punctuation and is not a standalone heading or
// laid out in columns.
func (b *builder) canJoin(text string, h heading, isHead bool) bool {
	if isHead && (!h.runIn || h.style == styleBox || h.style == styleAnnex) {
		return false
	}
	return (endsOpen(text) || endsSoft(text)) && !alignedRe.MatchString(text)
}

// continues reports whether line k continues the previous paragraph: an
// ordinary text line that opens no heading, list item, table or box.
func (b *builder) continues(k int) bool {
	raw := b.lines[k]
	if strings.HasPrefix(raw, "\t") || strings.ContainsRune(raw, '\t') {
		return false
	}
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, "**") || strings.HasPrefix(s, "—") || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "•") {
		return false
	}
	if _, ok, _ := b.lineHeading(k); ok {
		return false
	}
	if alignedRe.MatchString(s) || keyLineRe.MatchString(s) || figureRe.MatchString(s) {
		return false
	}
	if _, ok := b.table(k); ok {
		return false
	}
	return true
}

// figureRe matches a table or figure caption: 表2 …, 图1 ….
var figureRe = regexp.MustCompile(`^(表|图)\s*\d`)

// joinBroken joins the two parts of a paragraph broken by a page break:
// directly, or with a space between two Latin letters or digits.
func joinBroken(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra < utf8.RuneSelf && rb < utf8.RuneSelf && (unicode.IsLetter(ra) || unicode.IsDigit(ra)) && (unicode.IsLetter(rb) || unicode.IsDigit(rb)) {
		return a + " " + b
	}
	return a + b
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// paragraph dispatches one paragraph (starting at line i) to a heading,
// box, box item, annex or clause.
func (b *builder) paragraph(i int, text string, h heading, isHead bool, bold string) {
	if !isHead {
		b.clause(text, bold)
		return
	}
	switch h.style {
	case styleBox:
		b.openBox(h, text)
		return
	case styleAnnex:
		if h.title != "" && b.lastBare > i {
			// 附件：X listed at the end of the body; the annex itself
			// follows under a bare 附件 line.
			b.clause(text, "")
			return
		}
		b.heading(h, text)
		return
	case styleItem:
		if b.box == nil {
			b.clause(text, "")
			return
		}
	}
	if b.box != nil {
		if b.boxItem(h, text) {
			return
		}
		b.box = nil
	}
	if h.style == styleItem {
		b.clause(text, "")
		return
	}
	b.heading(h, text)
}

// topParent is the parent of level-1 nodes: the root, or the pseudo-root
// of an annex without heading.
func (b *builder) topParent() *node {
	if b.annexRoot != nil {
		return b.annexRoot
	}
	return b.root
}

// current is the node new paragraphs belong to.
func (b *builder) current() *node {
	if b.box != nil {
		return b.box
	}
	if len(b.stack) > 0 {
		return b.stack[len(b.stack)-1]
	}
	return b.topParent()
}

func rankOf(nd *node) int {
	if nd.style == styleMD {
		return nd.n
	}
	return styleRank[nd.style]
}

// place returns where a heading of style s goes: its parent and the stack
// depth it is pushed at. A style already open pops back to its level; a
// new style nests under the innermost open heading unless that one is of
// a finer (or equal) rank.
func (b *builder) place(h heading) (*node, int) {
	parentAt := func(k int) *node {
		if k == 0 {
			return b.topParent()
		}
		return b.stack[k-1]
	}
	if h.style == stylePreface || h.style == styleAnnex {
		return parentAt(0), 0
	}
	style := h.style
	for k, nd := range b.stack {
		if nd.style == style && (style != styleMD || nd.n == h.hashes) {
			return parentAt(k), k
		}
	}
	rank := styleRank[style]
	if style == styleMD {
		rank = h.hashes
	}
	k := len(b.stack)
	for k > 0 && rankOf(b.stack[k-1]) >= rank && rank > 0 {
		k--
	}
	return parentAt(k), k
}

// heading opens a heading node.
func (b *builder) heading(h heading, text string) {
	parent, k := b.place(h)
	if h.decimal && h.n != parent.last[h.style]+1 {
		// "1.5万人…": a sentence opening with a decimal number.
		b.clause(text, "")
		return
	}
	if k == 0 && h.style != styleAnnex && h.style != stylePreface && len(b.stack) > 0 &&
		b.stack[0].style == h.style && !b.stack[0].annex && h.n == 1 && parent.last[h.style] >= 2 {
		// Numbering restarting at the top level after the body: an annex
		// without heading (qianjiang-2023's 领导小组 lists).
		b.annexN++
		cite := "附件"
		if b.annexN > 1 {
			cite += strconv.Itoa(b.annexN)
		}
		b.annexRoot = &node{kind: kindRoot, path: "a" + strconv.Itoa(b.annexN), cite: cite, annex: true, last: map[string]int{}}
		parent = b.annexRoot
	}
	b.stack = b.stack[:k]
	b.box = nil

	nd := &node{kind: kindHeading, parent: parent, style: h.style, n: h.n, title: h.title, runIn: h.runIn,
		annex: parent.annex || h.style == styleAnnex, level: k + 1, last: map[string]int{}}
	if h.style == styleMD {
		nd.n = h.hashes
	}
	var comp, cite string
	switch h.style {
	case stylePreface:
		nd.path = b.unique("preface")
		cite = "序言"
	case styleAnnex:
		n := h.n
		if n == 0 {
			n = b.annexN + 1
		}
		if h.title == "" {
			h.title = b.annexTitle()
		}
		b.annexN = max(b.annexN, n)
		nd.path = b.unique("a" + strconv.Itoa(n))
		cite = h.label
		b.annexRoot = nil
	case styleMD:
		parent.mds++
		comp = "h" + strconv.Itoa(parent.mds)
		cite = "“" + h.title + "”部分"
	case styleArticle:
		// Articles are numbered through the whole law: 第七条 is art7
		// and cited 《…》第七条 whatever chapter holds it, so its link
		// survives a change of chapters.
		nd.path = b.unique("art" + strconv.Itoa(h.n))
		cite = h.label
	default:
		comp = strconv.Itoa(h.n)
		cite = citeComponent(h)
	}
	if comp != "" {
		nd.path = b.unique(joinPath(parent.path, comp))
	}
	nd.title = h.title
	nd.cite = parent.cite + cite
	if h.style == styleArticle {
		nd.cite = cite
	}
	nd.crumb = crumbOf(h.label, h.title, h.style)
	parent.last[h.style] = h.n
	b.attach(parent, nd, h.label, h.title)
	u := b.addUnit(nd.path, corpus.TypeSection, text, parent, nd, "")
	u.Label, u.Title, u.Level = h.label, h.title, nd.level
	nd.unit = u
	b.stack = append(b.stack, nd)
}

// annexTitle returns the title of a bare 附件 heading: the caption of the
// table or the short title line that follows it (which stays a unit of
// its own).
func (b *builder) annexTitle() string {
	for k := b.cur + 1; k < len(b.lines) && k <= b.cur+4; k++ {
		if blankLine(b.lines[k]) {
			continue
		}
		if sp, ok := b.table(k); ok {
			return strings.TrimSpace(sp.Caption)
		}
		s := displayLine(b.lines[k])
		if _, ok, _ := b.lineHeading(k); !ok && utf8.RuneCountInString(s) <= maxTitleRunes && !strings.ContainsAny(s, "。；") {
			return s
		}
		return ""
	}
	return ""
}

// attach links nd under parent in the node tree and the outline.
func (b *builder) attach(parent, nd *node, label, title string) {
	nd.trail = append(append([]string(nil), parent.trail...), nd.crumb)
	nd.sec = &corpus.Section{ID: b.d.ID + "/" + nd.path, Label: label, Title: title, Level: nd.level, Children: []*corpus.Section{}}
	parent.children = append(parent.children, nd)
	if nd.kind == kindHeading {
		parent.headings++
	}
	if parent.sec != nil {
		parent.sec.Children = append(parent.sec.Children, nd.sec)
	} else {
		b.d.Outline = append(b.d.Outline, nd.sec)
	}
}

// openBox opens a 专栏 box: a section unit whose items are tasks.
func (b *builder) openBox(h heading, text string) {
	b.box = nil
	parent := b.current()
	n := h.n
	nd := &node{kind: kindBox, parent: parent, style: styleBox, n: n, title: h.title, annex: parent.annex,
		level: parent.level + 1, last: map[string]int{}}
	nd.path = b.unique("box" + strconv.Itoa(n))
	nd.cite = h.label
	nd.crumb = crumbOf(h.label, h.title, styleBox)
	b.attach(parent, nd, h.label, h.title)
	u := b.addUnit(nd.path, corpus.TypeSection, text, parent, nd, "")
	u.Label, u.Title, u.Level = h.label, h.title, nd.level
	nd.unit = u
	b.box = nd
}

// boxItem adds a numbered item to the open box and reports whether the
// heading was one; a heading of another style closes the box.
func (b *builder) boxItem(h heading, text string) bool {
	box := b.box
	switch h.style {
	case styleNumDot, styleNumComa, stylePNum, styleCircle, styleItem:
	default:
		return false
	}
	if box.itemStyle == "" {
		// A numbered line continuing the list the box interrupted is not
		// an item.
		for _, nd := range b.stack {
			if nd.style == h.style && h.n > 1 && nd.parent.last[h.style]+1 == h.n {
				return false
			}
		}
		box.itemStyle = h.style
	}
	if h.style != box.itemStyle {
		return false
	}
	path := b.unique(box.path + "." + strconv.Itoa(h.n))
	cite := citeComponent(h)
	if h.style == styleItem {
		cite = h.label
	}
	u := b.addUnit(path, corpus.TypeTask, text, box, nil, cite)
	u.Label, u.Title, u.Level = h.label, h.title, box.level+1
	box.last[h.style] = h.n
	return true
}

// clause adds an unnumbered paragraph to the current node.
func (b *builder) clause(text, boldTitle string) {
	parent := b.current()
	parent.paras++
	p := "p" + strconv.Itoa(parent.paras)
	typ := corpus.TypeClause
	if parent.kind == kindBox {
		typ = corpus.TypeTask
	}
	suffix := "第" + strconv.Itoa(parent.paras) + "段"
	if parent.style == styleArticle {
		// The article's own line is its first paragraph (款).
		suffix = "第" + cnOrdinal(parent.paras+1) + "款"
	}
	u := b.addUnit(b.unique(joinPath(parent.path, p)), typ, text, parent, nil, suffix)
	u.Title = boldTitle
	if u.Title == "" {
		u.Title = runInTitle(text)
	}
	u.Level = parent.level + 1
}

// emitTable adds a table: a section unit for its caption and header, one
// table_row unit per body row.
func (b *builder) emitTable(sp tables.Span) {
	parent := b.current()
	t := sp.Table
	if t == nil {
		t = &corpus.Table{ID: sp.ID, Caption: sp.Caption}
	}
	label, title := captionLabel(sp.Caption)
	nd := &node{kind: kindTable, parent: parent, style: "table", title: title, annex: parent.annex,
		level: parent.level + 1, last: map[string]int{}}
	nd.path = b.unique(sp.ID)
	t.ID = nd.path
	switch {
	case label != "":
		nd.cite = label
	case sp.Caption != "" && sp.Caption == parent.title:
		nd.cite = parent.cite + "表格"
	case sp.Caption != "":
		nd.cite = parent.cite + "“" + sp.Caption + "”"
	default:
		nd.cite = parent.cite + "表格"
	}
	nd.crumb = crumbOf(label, title, "table")
	if nd.crumb == "" {
		nd.crumb = "表格"
	}
	b.attach(parent, nd, label, title)
	head := b.tableText(sp.Start, sp.HeadEnd)
	u := b.addUnit(nd.path, corpus.TypeSection, head, parent, nd, "")
	u.Label, u.Title, u.Level = label, title, nd.level
	nd.unit = u
	t.UnitID = u.ID
	t.RowIDs = t.RowIDs[:0]
	prev := u
	next := sp.HeadEnd
	for n, r := range sp.Rows {
		if r.Start > next {
			b.appendStray(prev, next, r.Start)
		}
		text := b.tableText(r.Start, r.End)
		ru := b.addUnit(b.unique(nd.path+".r"+strconv.Itoa(n+1)), corpus.TypeTableRow, text, nd, nil, "第"+strconv.Itoa(n+1)+"行")
		ru.Table = nd.path
		ru.Level = nd.level + 1
		if n < len(t.Rows) {
			ru.Cells = t.Rows[n]
		}
		t.RowIDs = append(t.RowIDs, ru.ID)
		prev, next = ru, r.End
	}
	if sp.End > next {
		b.appendStray(prev, next, sp.End)
	}
	for k := sp.Start; k < sp.End; k++ {
		if s := tableLine(b.lines[k]); s != "" {
			b.body = append(b.body, s)
		}
	}
	b.d.Tables = append(b.d.Tables, t)
}

// appendStray appends the non-blank lines [from, to) of a table that no
// row covers (a header repeated after a page break) to unit u, so that no
// text is lost.
func (b *builder) appendStray(u *corpus.Unit, from, to int) {
	if s := b.tableText(from, to); s != "" {
		if u.Text != "" {
			u.Text += "\n"
		}
		u.Text += s
	}
}

// tableText returns the display text of table lines [from, to): lines
// joined with "\n", TABs kept, markdown markers removed, blank lines
// dropped.
func (b *builder) tableText(from, to int) string {
	var out []string
	for k := from; k < to && k < len(b.lines); k++ {
		if s := tableLine(b.lines[k]); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

func tableLine(l string) string {
	if strings.TrimSpace(l) == "" && !strings.ContainsRune(l, '\t') {
		return ""
	}
	s := strings.TrimRight(l, " \u3000")
	if strings.HasPrefix(strings.TrimSpace(s), "#") || strings.Contains(s, "**") {
		lead := s[:len(s)-len(strings.TrimLeft(s, "\t"))]
		s = lead + displayLine(s)
	}
	if strings.TrimSpace(s) == "" {
		return "\t"
	}
	return s
}

// captionLabel splits a caption into its label (表2, 专栏1) and title.
var captionLabelRe = regexp.MustCompile(`^(表|专栏)\s*(\d{1,3})\s*[:：.．]?\s*(.*)$`)

func captionLabel(caption string) (label, title string) {
	c := strings.TrimSpace(caption)
	if m := captionLabelRe.FindStringSubmatch(c); m != nil {
		return m[1] + m[2], strings.TrimSpace(m[3])
	}
	if tables.IsSeqCaption(c) {
		// "1 两江新区…主要指标": a caption that lost its 表.
		num := strings.Fields(c)[0]
		return "表" + num, strings.TrimSpace(strings.TrimPrefix(c, num))
	}
	return "", c
}

// addUnit appends a unit. owner is the node it belongs to; own is the node
// whose heading it is (nil for paragraphs, items and rows); suffix is the
// citation after the owner's location (第2段, 第5行).
func (b *builder) addUnit(path string, typ corpus.UnitType, text string, owner, own *node, suffix string) *corpus.Unit {
	u := &corpus.Unit{
		ID:    b.d.ID + "/" + path,
		DocID: b.d.ID,
		Path:  path,
		Type:  typ,
		Seq:   len(b.units),
		Text:  text,
	}
	if own != nil {
		u.Breadcrumb = append([]string{}, owner.trail...)
	} else {
		u.Breadcrumb = append([]string{}, owner.trail...)
	}
	b.units = append(b.units, u)
	b.owner = append(b.owner, owner)
	b.own = append(b.own, own)
	b.suffix = append(b.suffix, suffix)
	return u
}

// unique returns path, or path with the first free suffix -2, -3 … when a
// node with the same path exists (a document repeating a number).
func (b *builder) unique(path string) string {
	p := path
	if b.used[p] {
		n := max(b.suffixes[path], 2)
		for p = path + "-" + strconv.Itoa(n); b.used[p]; n++ {
			p = path + "-" + strconv.Itoa(n+1)
		}
		b.suffixes[path] = n + 1
	}
	b.used[p] = true
	return p
}

func joinPath(prefix, comp string) string {
	if prefix == "" {
		return comp
	}
	return prefix + "." + comp
}

// crumbOf returns the breadcrumb text of a heading: label and title, with
// a space after word labels (第三章 主要任务, 专栏4 …) and none after
// punctuated ones (三、主要任务, （一）立德树人工程).
func crumbOf(label, title, style string) string {
	switch {
	case title == "":
		return label
	case label == "":
		return title
	}
	switch style {
	case styleChapter, styleSection, styleArticle, styleBox, styleAnnex, stylePreface, "table":
		return label + " " + title
	}
	return label + title
}

// citeComponent returns the citation of one numbering level:
//
//	第三章 → 第三章, 第二节 → 第二节, 一、 → 第一部分, （一） → 第（一）项,
//	1. → 第1条, （1） → 第（1）款, ① → 第①目.
func citeComponent(h heading) string {
	switch h.style {
	case styleChapter, styleSection, styleArticle:
		return h.label
	case styleCN:
		return "第" + strings.TrimSuffix(h.label, "、") + "部分"
	case stylePCN:
		return "第" + fullWidthParens(h.label) + "项"
	case styleNumDot, styleNumComa:
		return "第" + strconv.Itoa(h.n) + "条"
	case stylePNum:
		return "第（" + strconv.Itoa(h.n) + "）款"
	case styleCircle:
		return "第" + h.label + "目"
	}
	return h.label
}

// halfWidthParens writes half-width parentheses as full-width ones
// (immutable, safe for concurrent use).
var halfWidthParens = strings.NewReplacer("(", "（", ")", "）")

func fullWidthParens(s string) string {
	return halfWidthParens.Replace(s)
}

// cnOrdinal writes n (1–99) in Chinese numerals as law citations do: 二,
// 十, 十二, 二十一.
func cnOrdinal(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n-10]
	case n%10 == 0:
		return digits[n/10] + "十"
	}
	return digits[n/10] + "十" + digits[n%10]
}
