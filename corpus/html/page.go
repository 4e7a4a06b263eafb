package html

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// info is what the reader knows about one element of the page.
type info struct {
	order  int  // position in document order
	kind   int  // container kind of the element's name
	skip   bool // never text: scripts, styles, form controls, hidden elements
	chrome bool // site chrome: navigation, breadcrumbs, widgets, footers
	inner  bool // a specific article container is under the element
	text   int  // runes of visible text under the element, chrome excluded
	link   int  // runes of that text inside links
}

// page is one parsed page being read.
type page struct {
	ctx   context.Context
	lim   corpus.Limits
	root  *html.Node
	info  map[*html.Node]*info
	order int
	steps int
	err   error
}

func newPage(ctx context.Context, root *html.Node, lim corpus.Limits) *page {
	return &page{ctx: ctx, lim: lim, root: root, info: make(map[*html.Node]*info, 1024)}
}

// tick counts work and checks the context every 4096 steps.
func (p *page) tick() bool {
	if p.err != nil {
		return false
	}
	p.steps++
	if p.steps&4095 == 0 {
		if err := ctxErr(p.ctx); err != nil {
			p.err = err
			return false
		}
	}
	return true
}

// read runs the whole extraction.
func (p *page) read() (*corpus.Source, error) {
	p.measure(p.root, false)
	if p.err != nil {
		return nil, p.err
	}
	src := &corpus.Source{Format: corpus.FormatHTML}
	body := p.findBody()
	if p.err != nil {
		return nil, p.err
	}
	if body != nil {
		e := newEmitter(p)
		for _, n := range body.nodes {
			e.walk(n)
		}
		e.flush()
		if e.err != nil {
			return nil, e.err
		}
		src.Blocks = e.blocks
	}
	if len(src.Blocks) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "网页中没有找到正文：页面只有导航、链接或脚本等内容。请打开文件所在的具体文章页面（不是栏目或首页），保存后重新上传。")
	}
	src.Meta = p.meta(body)
	if p.err != nil {
		return nil, p.err
	}
	return src, nil
}

// skipTags are elements whose content is never text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true,
	atom.Canvas: true, atom.Head: true, atom.Select: true, atom.Option: true,
	atom.Textarea: true, atom.Button: true, atom.Input: true, atom.Map: true,
	atom.Audio: true, atom.Video: true, atom.Title: true, atom.Math: true,
	atom.Datalist: true, atom.Dialog: true,
}

// chromeTags are HTML5 elements that hold site chrome by definition.
var chromeTags = map[atom.Atom]bool{atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true}

// isSkipped reports whether n's content is never text.
func isSkipped(n *html.Node) bool {
	if n.Type == html.CommentNode || n.Type == html.DoctypeNode {
		return true
	}
	if n.Type != html.ElementNode {
		return false
	}
	if skipTags[n.DataAtom] || n.Namespace != "" {
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	if st := attr(n, "style"); st != "" && len(st) < 4096 {
		if strings.ContainsAny(st, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			st = strings.ToLower(st)
		}
		return styleHides(st, "display", "none") || styleHides(st, "visibility", "hidden")
	}
	return false
}

// styleHides reports whether the lower-case inline style st sets the
// property prop to value.
func styleHides(st, prop, value string) bool {
	for {
		i := strings.Index(st, prop)
		if i < 0 {
			return false
		}
		st = strings.TrimLeft(st[i+len(prop):], " \t\r\n")
		if strings.HasPrefix(st, ":") {
			rest := strings.TrimLeft(st[1:], " \t\r\n")
			if strings.HasPrefix(rest, value) {
				return true
			}
		}
	}
}

// measure fills the info of every element under n and returns the text
// and link-text rune counts n contributes to its parent.
func (p *page) measure(n *html.Node, inLink bool) (text, link int) {
	if !p.tick() {
		return 0, 0
	}
	switch n.Type {
	case html.TextNode:
		c := visibleRunes(n.Data)
		if inLink {
			return c, c
		}
		return c, 0
	case html.CommentNode, html.DoctypeNode:
		return 0, 0
	}
	in := &info{order: p.order}
	p.order++
	if n.Type == html.ElementNode {
		p.info[n] = in
		if isSkipped(n) {
			in.skip = true
			return 0, 0
		}
		if n.DataAtom == atom.A {
			inLink = true
		}
		in.kind = containerKind(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l := p.measure(c, inLink)
		in.text += t
		in.link += l
		if ci := p.info[c]; ci != nil && !ci.skip && !ci.chrome && (ci.inner || ci.kind == kindSpecific) {
			in.inner = true
		}
	}
	if n.Type == html.ElementNode && p.isChrome(n, in) {
		in.chrome = true
		return 0, 0
	}
	return in.text, in.link
}

// visibleRunes counts the runes of s that are not white space.
func visibleRunes(s string) int {
	c := 0
	for _, r := range s {
		if !isSpace(r) {
			c++
		}
	}
	return c
}

// isSpace reports whether r is white space of any kind, the ideographic
// space and no-break space included.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xA0, 0x3000, 0x200B, 0xFEFF, 0x2002, 0x2003, 0x2009:
		return true
	}
	return false
}

// isChrome decides whether element n, whose text is already measured, is
// site chrome: by tag, by its id and class names, or by what its text
// starts with.
func (p *page) isChrome(n *html.Node, in *info) bool {
	switch n.DataAtom {
	case atom.Html, atom.Body:
		return false
	}
	if in.kind != kindNone {
		return false
	}
	if chromeTags[n.DataAtom] && !inArticle(n) || chromeName(n) {
		// A wrapper named like chrome that holds the article is not chrome.
		return !in.inner && (in.text <= 1500 || in.link*4 >= in.text)
	}
	if in.text == 0 || in.text > 800 {
		return false
	}
	boxy := false
	switch n.DataAtom {
	case atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.Div, atom.Section:
		boxy = true
	}
	max := 48
	if boxy && in.text <= 60*8 {
		max = 60 * 8
	}
	head := p.headText(n, max)
	switch {
	case isBreadcrumb(head):
		return in.text <= 300 && (in.link*10 >= in.text*3 || in.text <= 60)
	case hasRelatedLabel(head):
		return in.link*2 >= in.text || in.text <= 60
	case in.text <= 40 && isToolText(head):
		return true
	}
	if boxy && in.text <= 60*8 {
		if k := countMetaLabels(head); k >= 3 && in.text <= 60*k {
			return true
		}
	}
	return false
}

// chromeExact are class or id names (whole tokens) of chrome elements.
var chromeExact = map[string]bool{
	"nav": true, "navbar": true, "menu": true, "mainnav": true, "subnav": true,
	"header": true, "head": true, "top": true, "footer": true, "foot": true,
	"bottom": true, "crumb": true, "crumbs": true, "curb": true, "curmb": true,
	"position": true, "location": true, "weizhi": true, "dqwz": true, "local": true,
	"share": true, "fenxiang": true, "fx": true, "print": true, "dayin": true,
	"search": true, "sousuo": true, "ss": true, "login": true, "copyright": true,
	"banner": true, "sidebar": true, "ewm": true, "qrcode": true, "erweima": true,
	"toolbar": true, "tools": true, "btn": true, "setfont": true, "fontsize": true,
	"related": true, "xgwj": true, "xgwz": true, "xglj": true, "xgxx": true,
	"llcs": true, "view": true, "views": true, "hits": true, "close": true,
	"gbck": true, "hotkey": true, "hotword": true, "friendlink": true, "links": true,
	"yqlj": true, "skip": true, "wza": true, "modal": true,
}

// chromeParts are substrings of class or id names of chrome elements.
var chromeParts = []string{
	"share", "breadcrumb", "crumb", "footer", "copyright", "navbar", "mainnav",
	"qrcode", "qr_container", "erweima", "fontsize", "setfont", "relat",
	"xgwj", "xgwz", "xglj", "search", "login", "hidebox", "friendlink",
	"easybtn", "zoom-controls", "_attr", "-attr", "attr_", "article-btn",
	"wzbs", "jiucuo", "menu",
}

// chromeName reports whether n's id or class names chrome.
func chromeName(n *html.Node) bool {
	id, class := attr(n, "id"), attr(n, "class")
	if id == "" && class == "" {
		return false
	}
	for _, tok := range strings.Fields(strings.ToLower(id + " " + class)) {
		if chromeExact[tok] {
			return true
		}
		for _, part := range chromeParts {
			if strings.Contains(tok, part) {
				return true
			}
		}
	}
	return false
}

// inArticle reports whether n is inside an <article> or <main> element,
// where <header> and <footer> belong to the article.
func inArticle(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.DataAtom == atom.Article || a.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// Container kinds, best first.
const (
	kindNone     = 0
	kindSpecific = 2 // a body container of a government CMS
	kindGeneric  = 1 // a name many sites give their article
)

// specificParts are substrings of the id or class of the elements the
// content management systems of Chinese government sites put the article
// body in (TRS, Hanweb, NFCMS, Ucap, …).
var specificParts = []string{
	"ucap-content", "trs_editor", "trs_ueditor", "info_cont", "zoomcon",
	"content_article", "article-content", "article_content", "articlecontent",
	"pages_content", "pages-content", "xxgk_content", "xxgk-content", "con_con",
	"art_con", "article_con", "article-con", "news_content", "news-content",
	"newscontent", "content_text", "text_content", "detail_content",
	"details_content", "detail-content", "zwnr", "zw_content", "zhengwen",
	"article_body", "article-body", "articlebody", "main_content_text",
	"wzcon", "bt_content", "view_content", "contenttext",
}

// genericNames are whole id or class tokens many sites give the element
// holding the article, checked only when no specific container is found.
var genericNames = map[string]bool{
	"zw": true, "article": true, "content": true, "contents": true, "text": true,
	"detail": true, "details": true, "nr": true, "con": true, "main-text": true,
	"maintext": true, "entry": true, "post": true, "body": true, "wz": true,
}

// containerKind tells whether n is named like an article container.
func containerKind(n *html.Node) int {
	if n.Type != html.ElementNode {
		return kindNone
	}
	id, class := strings.ToLower(attr(n, "id")), strings.ToLower(attr(n, "class"))
	kind := kindNone
	if n.DataAtom == atom.Article {
		kind = kindGeneric
	}
	if id == "" && class == "" {
		return kind
	}
	for _, tok := range strings.Fields(id + " " + class) {
		for _, part := range specificParts {
			if strings.Contains(tok, part) {
				return kindSpecific
			}
		}
		if genericNames[tok] {
			kind = kindGeneric
		}
	}
	return kind
}

// headText is the package function headText with the skipped elements
// already known.
func (p *page) headText(n *html.Node, max int) string {
	var b strings.Builder
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if isSpace(r) {
					continue
				}
				b.WriteRune(r)
				count++
				if count >= max {
					return false
				}
			}
			return true
		case html.ElementNode:
			if in := p.info[n]; in == nil || in.skip {
				return true
			}
		case html.CommentNode, html.DoctypeNode:
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return b.String()
}

// headText returns the first max runes of n's visible text (not of
// skipped elements), white space removed.
func headText(n *html.Node, max int) string {
	var b strings.Builder
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch {
		case n.Type == html.TextNode:
			for _, r := range n.Data {
				if isSpace(r) {
					continue
				}
				b.WriteRune(r)
				count++
				if count >= max {
					return false
				}
			}
		case isSkipped(n):
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if !walk(c) {
					return false
				}
			}
		}
		return true
	}
	walk(n)
	return b.String()
}

// breadcrumbPrefixes start the "you are here" line of a page.
var breadcrumbPrefixes = []string{
	"当前位置", "您当前的位置", "您现在的位置", "您所在的位置", "您当前所在的位置",
	"当前所在位置", "所在位置", "您的位置", "你的位置", "您当前位置", "您现在所在的位置",
	"现在位置", "位置：", "位置:",
}

// isBreadcrumb reports whether text (white space removed) starts like a
// breadcrumb.
func isBreadcrumb(text string) bool {
	for _, p := range breadcrumbPrefixes {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	return false
}

// relatedLabels head the lists of related documents, interpretations and
// links that follow or precede an article.
var relatedLabels = []string{
	"相关文件", "相关政策", "政策解读", "相关链接", "相关附件", "相关阅读", "相关新闻",
	"相关解读", "相关信息", "相关稿件", "相关文章", "相关专题", "延伸阅读", "推荐阅读",
	"热点推荐", "友情链接", "热门文章", "最新文章", "热点新闻", "图片新闻", "猜你喜欢",
	"上一篇", "下一篇", "扫一扫", "分享到", "附件下载",
}

// hasRelatedLabel reports whether text (white space removed) starts with
// a related-list label, maybe inside brackets.
func hasRelatedLabel(text string) bool {
	text = strings.TrimLeft(text, "【[〖「『<《")
	for _, l := range relatedLabels {
		if strings.HasPrefix(text, l) {
			return true
		}
	}
	return false
}

// runes returns the rune count of s.
func runes(s string) int { return utf8.RuneCountInString(s) }
