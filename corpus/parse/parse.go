package parse

import (
	"path"
	"regexp"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/kinds"
)

// parseStructure is Parse without themes and targets: decoding, cleaning,
// metadata, outline, units and tables.
func parseStructure(meta corpus.Meta, data []byte) (*corpus.Document, error) {
	return parseStructureWith(Vocabulary{}, meta, data)
}

// parseStructureWith is parseStructure with a vocabulary (the gazetteer
// for jurisdictions).
func parseStructureWith(v Vocabulary, meta corpus.Meta, data []byte) (*corpus.Document, error) {
	text, err := decode(meta.Source, data)
	if err != nil {
		return nil, err
	}
	return parseText(v, meta, text, nil)
}

// parseText is parseStructure of decoded text. hints, when not nil, is
// what the file said about itself (a format reader's SourceMeta): it fills
// the fields the text leaves empty, and a strong title overrides the
// inferred one; the manifest (meta) still overrides both.
func parseText(v Vocabulary, meta corpus.Meta, text string, hints *corpus.SourceMeta) (*corpus.Document, error) {
	if meta.ID == "" {
		meta.ID = docIDFromSource(meta.Source)
	}
	raw := strings.Split(text, "\n")
	fields := readHeaderFields(raw)
	inferred := inferMeta(raw, fields)
	withHints := inferred
	if hints != nil {
		withHints = applyHints(inferred, *hints)
	}
	m := applyManifest(withHints, meta)
	if m.Title == "" {
		m.Title = m.ID
	}
	classify(&m, raw, meta, v)
	c := clean(raw, fields, m.Title, inferred.Title)

	d := &corpus.Document{Meta: m, Raw: text, Outline: []*corpus.Section{}}
	b := newBuilder(d, c.lines)
	b.run()
	b.finish()
	d.Body = strings.Join(b.body, "\n")
	addDocumentUnits(d, c)
	return d, nil
}

// addDocumentUnits adds the title unit first and the head and foot units
// around the body: the cover, signature and trailer lines cleaning took
// out of the body stay searchable there (a document number, a signing
// date), as does the title with its document number.
func addDocumentUnits(d *corpus.Document, c cleaned) {
	first, last := -1, -1
	for i, l := range c.lines {
		if !blankLine(l) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	normTitle := corpus.Normalize(d.Title)
	var head, foot []string
	for _, s := range c.stripped {
		switch s.Reason {
		case stripCover, stripTrailer, stripTitle:
		default:
			continue
		}
		text := displayLine(s.Text)
		if text == "" {
			continue
		}
		inTitle := strings.Contains(normTitle, corpus.Normalize(text))
		if first < 0 || s.Line < first {
			if !inTitle {
				head = append(head, text)
			}
		} else if s.Line > last && s.Reason != stripTitle {
			foot = append(foot, text)
		} else if s.Reason != stripTitle && !inTitle {
			foot = append(foot, text)
		}
	}
	mk := func(path string, typ corpus.UnitType, text string, cite string) *corpus.Unit {
		return &corpus.Unit{ID: d.ID + "/" + path, DocID: d.ID, Path: path, Type: typ, Text: text,
			Breadcrumb: []string{}, Citation: "《" + d.Title + "》" + cite, Themes: []string{}}
	}
	headText := strings.Join(head, "\n")
	title := d.Title
	if d.DocNumber != "" && !strings.Contains(corpus.Normalize(headText), corpus.Normalize(d.DocNumber)) {
		title += "（" + d.DocNumber + "）"
	}
	t := mk(corpus.PathTitle, corpus.TypeTitle, title, "")
	t.Title = d.Title
	units := make([]*corpus.Unit, 0, len(d.Units)+3)
	units = append(units, t)
	if len(head) > 0 {
		units = append(units, mk(corpus.PathHead, corpus.TypeMeta, headText, "版头"))
	}
	units = append(units, d.Units...)
	if len(foot) > 0 {
		units = append(units, mk(corpus.PathFoot, corpus.TypeMeta, strings.Join(foot, "\n"), "版记"))
	}
	for i, u := range units {
		u.Seq = i
	}
	d.Units = units
}

// docIDFromSource returns the file name without extension, or "doc".
func docIDFromSource(source string) string {
	base := strings.TrimSuffix(path.Base(source), path.Ext(source))
	if base == "" || base == "." || base == "/" {
		return "doc"
	}
	return base
}

// finish assigns parts, unit types, owners and citations once the whole
// outline is known, and stores the units in the document.
func (b *builder) finish() {
	hasHeadings := len(b.d.Outline) > 0
	parts := map[*node]string{}
	for i, u := range b.units {
		owner, own := b.owner[i], b.own[i]
		nd := owner
		if own != nil {
			nd = own
		}
		p, ok := parts[nd]
		if !ok {
			p = b.partOf(nd, hasHeadings)
			parts[nd] = p
		}
		u.Part = p
		if own != nil && own.kind == kindHeading {
			switch {
			case u.Part == corpus.PartTasks && own.headings == 0 && own.level >= 2 && (isArabicStyle(own.style) || own.runIn || own.style == styleArticle):
				u.Type = corpus.TypeTask
			case own.runIn || own.style == styleArticle:
				// A run-in heading or an article (第三条 …) is a paragraph
				// of content, not a bare heading line.
				u.Type = corpus.TypeClause
			}
		}
		if u.Type == corpus.TypeTask {
			u.Owners = ownersOf(u.Text)
		}
		loc := nd.cite + b.suffix[i]
		if own == nil && owner.kind == kindRoot && owner.cite == "" && hasHeadings {
			loc = "开篇" + b.suffix[i]
		}
		u.Citation = "《" + b.d.Title + "》" + loc
		if u.Themes == nil {
			u.Themes = []string{}
		}
	}
	b.d.Units = b.units
}

func isArabicStyle(s string) bool {
	return s == styleNumDot || s == styleNumComa || s == stylePNum || s == styleCircle
}

// Part keywords, checked in this order against a heading title.
var partRules = []struct {
	part string
	re   *regexp.Regexp
}{
	{corpus.PartSafeguards, regexp.MustCompile(`保障措施|组织实施|组织保障|实施保障|保障机制|规划实施|实施机制|附则`)},
	{corpus.PartBasis, regexp.MustCompile(`发展基础|发展成就|主要成就|发展成效|成效和经验|成效与经验|发展现状|现状|发展形势|面临形势|面临的|机遇|挑战|回顾|存在的问题|主要问题|发展环境|发展背景|规划背景`)},
	{corpus.PartRequirements, regexp.MustCompile(`总体要求|指导思想|基本原则|发展原则|发展目标|主要目标|总体目标|目标任务|基本思路|总体思路|发展理念|战略定位|总则|工作目标|远景目标`)},
	{corpus.PartTasks, regexp.MustCompile(`主要任务|重点任务|工作举措|主要举措|重点工程|任务|举措|工程|行动`)},
}

// classifyPart returns the part a heading title names, or "".
func classifyPart(title string) string {
	for _, r := range partRules {
		if r.re.MatchString(title) {
			return r.part
		}
	}
	return ""
}

// partOf returns the part of the units of node nd. Parts come from the
// top-level heading titles by keyword (classifyPart); a top-level heading
// that names no part (liangjiang-2022's 第一章全面推进新区教育进入新阶段)
// passes the decision to its sub-headings, each of which takes its own
// keyword part or that of the nearest earlier sibling that has one.
// Chapters naming nothing are 主要任务 (thematic task chapters), annexes
// and everything after them 附件, and the preamble 发展基础 (主要任务 in
// a document without headings).
func (b *builder) partOf(nd *node, hasHeadings bool) string {
	if t := b.d.DocType; t != "" && !kinds.Plan(t) {
		return kindPart(nd)
	}
	if nd == nil || nd.kind == kindRoot {
		if nd != nil && nd.annex {
			return corpus.PartAnnex
		}
		if hasHeadings {
			return corpus.PartBasis
		}
		return corpus.PartTasks
	}
	if nd.annex {
		return corpus.PartAnnex
	}
	chain := []*node{}
	for x := nd; x != nil && x.kind != kindRoot; x = x.parent {
		chain = append(chain, x)
	}
	top := chain[len(chain)-1]
	if top.style == stylePreface {
		return corpus.PartBasis
	}
	if p := b.classify(top.title); p != "" {
		return p
	}
	if len(chain) == 1 {
		for _, c := range top.children {
			if c.kind == kindHeading {
				return b.siblingPart(c)
			}
		}
		return corpus.PartTasks
	}
	return b.siblingPart(chain[len(chain)-2])
}

// Parts of documents other than plans.
const (
	partBody  = "正文" // a regulation without chapters, or text before the first chapter
	partAnnex = corpus.PartAnnex
)

// kindPart is the part of a unit of a regulation, notice or any document
// that is not a plan: the title of its top-level heading — a law's
// chapters (总则, 法律责任, 附则 …), a notice's 一、二、 sections — or 正文
// before and without them; annexes are 附件.
func kindPart(nd *node) string {
	if nd == nil {
		return partBody
	}
	if nd.annex {
		return partAnnex
	}
	var top *node
	for x := nd; x != nil && x.kind != kindRoot; x = x.parent {
		if x.kind == kindHeading && x.style != styleArticle {
			top = x
		}
	}
	if top == nil {
		return partBody
	}
	if t := strings.TrimSpace(top.title); t != "" {
		return t
	}
	return strings.TrimSpace(top.crumb)
}

// classify is classifyPart, memoised per document: every unit asks for the
// part of the few headings above it.
func (b *builder) classify(title string) string {
	if p, ok := b.parts[title]; ok {
		return p
	}
	if b.parts == nil {
		b.parts = map[string]string{}
	}
	p := classifyPart(title)
	b.parts[title] = p
	return p
}

// siblingPart is the keyword part of heading c, else of its nearest
// earlier sibling heading that has one, else 主要任务. Results are
// memoised per parent, so a long list of siblings is walked once.
func (b *builder) siblingPart(c *node) string {
	p := c.parent
	if b.sibParts == nil {
		b.sibParts = map[*node]string{}
	}
	if part, ok := b.sibParts[c]; ok {
		return part
	}
	cur := corpus.PartTasks
	found := false
	for _, s := range p.children {
		if s.kind == kindHeading {
			if k := b.classify(s.title); k != "" {
				cur, found = k, true
			}
		}
		if found {
			b.sibParts[s] = cur
		} else {
			b.sibParts[s] = corpus.PartTasks
		}
	}
	return b.sibParts[c]
}

// ownersRe matches a task's list of responsible units:
// （责任单位：区教委、区发展改革委）.
var ownersRe = regexp.MustCompile(`[（(]\s*(?:责任单位|牵头单位|责任部门|牵头部门)\s*[:：]\s*([^（）()]+)[）)]`)

// ownersOf returns the responsible units named in a task's text.
func ownersOf(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range ownersRe.FindAllStringSubmatch(text, -1) {
		for _, o := range strings.FieldsFunc(m[1], func(r rune) bool { return strings.ContainsRune("、，,；;", r) }) {
			if o = strings.TrimSpace(o); o != "" && !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}
