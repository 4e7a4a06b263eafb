package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// readerPage is the data of /d/{doc_id} and /c/{doc_id}/{path}.
type readerPage struct {
	layout
	Doc      *corpus.Document
	DocURL   string
	TOC      []*tocEntry
	Blocks   []block
	Terms    []string
	Matches  int
	Target   *corpus.Unit
	TargetID string
	// OriginalURL downloads the file the document was read from.
	OriginalURL string
	// Versions are the versions of the document's work, newest first,
	// when there is more than one.
	Versions []versionLink
}

// versionLink is one version of a work on the reader page.
type versionLink struct {
	ID, URL, Title, IssueDate, Status string
	Current                           bool // the version shown
}

// versionsOf lists the versions of d's work.
func (s *Server) versionsOf(d *corpus.Document) []versionLink {
	if len(d.Versions) < 2 {
		return nil
	}
	var out []versionLink
	for _, id := range d.Versions {
		v, err := s.docs().Document(id)
		if err != nil {
			continue // a version the corpus does not hold is not linked
		}
		out = append(out, versionLink{ID: v.ID, URL: "/d/" + url.PathEscape(v.ID), Title: v.Title, IssueDate: v.IssueDate, Status: v.Status, Current: v.ID == d.ID})
	}
	return out
}

// tocEntry is one heading of the table of contents.
type tocEntry struct {
	Label, Title, Href string
	Children           []*tocEntry
}

// block is one displayed piece of a document: a unit, or a whole table
// with its row units.
type block struct {
	Kind     string // heading, clause, task, table, row (a table row outside a table)
	Unit     *corpus.Unit
	Anchor   string
	Level    int // heading level 2..6 for headings
	HTML     template.HTML
	Link     string // permalink
	Cite     string // citation text
	IsTarget bool
	Table    *tableView
}

// tableView is a table ready for display: multi-level header rows with
// spans, and body rows that are units.
type tableView struct {
	ID      string
	Header  [][]headCell
	Rows    []rowView
	Columns int
}

type headCell struct {
	Text             string
	Colspan, Rowspan int
}

type rowView struct {
	Unit     *corpus.Unit
	Anchor   string
	Cells    []template.HTML
	Link     string
	Cite     string
	IsTarget bool
}

// readerCheckEvery is how many units the reader highlights between checks
// of the request's deadline.
const readerCheckEvery = 64

// anchorOf is the element id of a unit in the reader.
func anchorOf(path string) string { return "u-" + path }

func (s *Server) handleReader(c echo.Context) error {
	id, err := idParam(c.Param("doc"), "文档编号")
	if err != nil {
		return err
	}
	d, err := s.docs().Document(id)
	if err != nil {
		return s.notFound(c, id, "", err)
	}
	q, err := textParam(c.QueryParams(), "q", search.MaxQueryRunes, "查询")
	if err != nil {
		return err
	}
	p, err := s.reader(c.Request().Context(), d, nil, q, s.termsOf(c, q))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "reader", p)
}

func (s *Server) handlePermalink(c echo.Context) error {
	id, err := idParam(c.Param("doc"), "文档编号")
	if err != nil {
		return err
	}
	p, err := pathParam(c)
	if err != nil {
		return err
	}
	cp := s.docs()
	d, err := cp.Document(id)
	if err != nil {
		return s.notFound(c, id, p, err)
	}
	u, err := cp.Unit(d.ID + "/" + p)
	if err != nil {
		return s.notFound(c, id, p, err)
	}
	q, err := textParam(c.QueryParams(), "q", search.MaxQueryRunes, "查询")
	if err != nil {
		return err
	}
	page, err := s.reader(c.Request().Context(), d, u, q, s.termsOf(c, q))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "reader", page)
}

// termsOf returns the normalised terms to highlight for query q: how the
// search engine understood it (phrases and segmented words), so the reader
// marks what the search matched; the parsed query's own terms when the
// search fails; none when the query does not parse.
func (s *Server) termsOf(c echo.Context, q string) []string {
	terms := queryTerms(q)
	if len(terms) == 0 {
		return nil
	}
	resp, err := s.searcher.Search(c.Request().Context(), search.Request{Query: q, Limit: 1})
	if err != nil || len(resp.Terms) == 0 {
		return terms
	}
	return search.TermTexts(resp.Terms)
}

// reader builds the reader page of d, with target marked when set and
// terms highlighted. Highlighting a long document observes ctx.
func (s *Server) reader(ctx context.Context, d *corpus.Document, target *corpus.Unit, q string, terms []string) (readerPage, error) {
	p := readerPage{layout: s.layout(d.Title, "docs"), Doc: d, DocURL: "/d/" + url.PathEscape(d.ID), Target: target,
		OriginalURL: originalURL(d), Versions: s.versionsOf(d)}
	p.Q = q
	if target != nil {
		p.TargetID = anchorOf(target.Path)
		p.Title = citationOf(d, target)
	}
	p.Terms = terms
	p.TOC = tocOf(d.Outline, d.ID)
	tables := map[string]*corpus.Table{}
	tableOfCaption := map[string]*corpus.Table{}
	for _, t := range d.Tables {
		tables[t.ID] = t
		if t.UnitID != "" {
			tableOfCaption[t.UnitID] = t
		}
	}
	done := map[string]bool{} // units already shown inside a table
	mark := func(text string) template.HTML {
		h := highlight(text, p.Terms)
		if len(p.Terms) > 0 {
			p.Matches += strings.Count(string(h), "<mark>")
		}
		return h
	}
	for i, u := range d.Units {
		if len(terms) > 0 && i%readerCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p, err
			}
		}
		if done[u.ID] {
			continue
		}
		b := block{Unit: u, Anchor: anchorOf(u.Path), Link: permalink(u), Cite: citationOf(d, u), IsTarget: target != nil && target.ID == u.ID}
		if t := tableOfCaption[u.ID]; t != nil {
			b.Kind, b.HTML = "table", mark(u.Text)
			b.Table = s.tableView(d, t, target, mark, done)
			p.Blocks = append(p.Blocks, b)
			continue
		}
		if u.Type == corpus.TypeTableRow && u.Table != "" && tables[u.Table] != nil && !done[u.ID] {
			// A table without a caption unit: shown at its first row.
			t := tables[u.Table]
			b.Kind = "table"
			b.Table = s.tableView(d, t, target, mark, done)
			if done[u.ID] {
				b.Anchor = "" // the row carries the anchor
				p.Blocks = append(p.Blocks, b)
				continue
			}
		}
		switch u.Type {
		case corpus.TypeTitle:
			continue // the page's heading
		case corpus.TypeMeta:
			b.Kind = "meta" // cover block or signature, set apart
		case corpus.TypeSection:
			b.Kind = "heading"
			b.Level = min(max(u.Level+1, 2), 6)
		case corpus.TypeTask:
			b.Kind = "task"
		case corpus.TypeTableRow:
			b.Kind = "row"
		default:
			b.Kind = "clause"
		}
		b.HTML = mark(u.Text)
		p.Blocks = append(p.Blocks, b)
	}
	return p, nil
}

// tableView builds the display of table t; its row units are recorded in
// done.
func (s *Server) tableView(d *corpus.Document, t *corpus.Table, target *corpus.Unit, mark func(string) template.HTML, done map[string]bool) *tableView {
	tv := &tableView{ID: t.ID, Header: headerRows(t.Header), Columns: len(t.Header)}
	for i, row := range t.Rows {
		rv := rowView{}
		if i < len(t.RowIDs) {
			if u, err := s.docs().Unit(t.RowIDs[i]); err == nil {
				rv.Unit = u
				rv.Anchor = anchorOf(u.Path)
				rv.Link = permalink(u)
				rv.Cite = citationOf(d, u)
				rv.IsTarget = target != nil && target.ID == u.ID
				done[u.ID] = true
			}
		}
		for _, cell := range row {
			rv.Cells = append(rv.Cells, mark(cell))
		}
		if len(row) > tv.Columns {
			tv.Columns = len(row)
		}
		tv.Rows = append(tv.Rows, rv)
	}
	return tv
}

// headerRows turns column labels whose levels are joined with '·' (a
// multi-row header flattened by the parser) back into header rows with
// column and row spans: 2025年·目标值 and 2025年·属性 share one 2025年 cell.
func headerRows(header []string) [][]headCell {
	if len(header) == 0 {
		return nil
	}
	levels := make([][]string, len(header))
	depth := 1
	for i, h := range header {
		levels[i] = strings.Split(h, "·")
		depth = max(depth, len(levels[i]))
	}
	rows := make([][]headCell, depth)
	for r := 0; r < depth; r++ {
		for i := 0; i < len(header); {
			lv := levels[i]
			if r >= len(lv) {
				i++
				continue
			}
			cell := headCell{Text: lv[r], Colspan: 1, Rowspan: 1}
			leaf := r == len(lv)-1
			if leaf {
				cell.Rowspan = depth - r
			}
			j := i + 1
			if !leaf {
				for j < len(header) && len(levels[j]) > r+1 && samePrefix(levels[j], lv, r+1) {
					j++
				}
			}
			cell.Colspan = j - i
			rows[r] = append(rows[r], cell)
			i = j
		}
	}
	return rows
}

func samePrefix(a, b []string, n int) bool {
	for k := 0; k < n; k++ {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// tocOf converts the outline into table-of-contents entries linking to the
// heading units' anchors.
func tocOf(secs []*corpus.Section, docID string) []*tocEntry {
	var out []*tocEntry
	for _, sec := range secs {
		_, path, ok := corpus.SplitUnitID(sec.ID)
		e := &tocEntry{Label: sec.Label, Title: sec.Title, Children: tocOf(sec.Children, docID)}
		if ok {
			e.Href = "#" + anchorOf(path)
		}
		out = append(out, e)
	}
	return out
}

// citationOf is the citation of a unit: the parser's, or the document
// title in 《》 when it has none.
func citationOf(d *corpus.Document, u *corpus.Unit) string {
	if u.Citation != "" {
		return u.Citation
	}
	return "《" + d.Title + "》"
}

// notFoundPage is the data of the helpful 404 page of /d/ and /c/.
type notFoundPage struct {
	layout
	DocID, Path string
	Message     string
	Doc         *corpus.Document
	DocURL      string
	Nearest     *corpus.Unit
	NearestURL  string
	Docs        []docSummary
	Similar     []docLink
}

// docLink is a link to a document, or to the same path inside it.
type docLink struct {
	Text, URL string
}

// similarDocs returns links to the documents whose id shares its first
// part with id (wuxi → wuxi-2022, wuxi-2021 → wuxi-2022), to the unit at
// path in them when it exists.
func (s *Server) similarDocs(id, path string) []docLink {
	id = strings.ToLower(id)
	head, _, _ := strings.Cut(id, "-")
	var out []docLink
	cp := s.docs()
	for _, d := range cp.Documents() {
		dh, _, _ := strings.Cut(strings.ToLower(d.ID), "-")
		if head == "" || dh != head && !strings.HasPrefix(strings.ToLower(d.ID), id) {
			continue
		}
		l := docLink{Text: d.District + " · " + d.Title, URL: "/d/" + url.PathEscape(d.ID)}
		if u, err := cp.Unit(d.ID + "/" + path); err == nil && path != "" {
			l = docLink{Text: citationOf(d, u), URL: permalink(u)}
		}
		out = append(out, l)
	}
	return out
}

// notFound renders the 404 page for an unknown document or unit, pointing
// at the nearest existing unit (longest existing path prefix) and the
// document.
func (s *Server) notFound(c echo.Context, docID, path string, err error) error {
	p := notFoundPage{layout: s.layout("未找到", ""), DocID: docID, Path: path, Message: errorMessage(err)}
	if d, derr := s.docs().Document(docID); derr == nil {
		p.Doc = d
		p.DocURL = "/d/" + url.PathEscape(d.ID)
		if u := s.nearestUnit(d, path); u != nil {
			p.Nearest = u
			p.NearestURL = permalink(u)
		}
	} else {
		p.Docs = s.docSummaries()
		p.Similar = s.similarDocs(docID, path)
	}
	return s.render(c, httpStatus(err), "notfound", p)
}

// nearestUnit returns the unit of d whose path is the longest existing
// prefix of path (3.2.9 → 3.2 → 3), or nil.
func (s *Server) nearestUnit(d *corpus.Document, path string) *corpus.Unit {
	for path != "" {
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
		if u, err := s.docs().Unit(d.ID + "/" + path); err == nil {
			return u
		}
	}
	return nil
}
