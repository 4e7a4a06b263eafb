package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// errorPage is the data of the generic error page.
type errorPage struct {
	layout
	Status  int
	Code    string
	Message string
}

// example is a sample query shown on the home page and in the help.
type example struct {
	Query string
	Note  string
}

var examples = []example{
	{"集团化办学", "所有区县中含“集团化办学”的条目"},
	{`"学前三年毛入园率"`, "引号：精确短语"},
	{"双减 district:巫溪县", "只看巫溪县"},
	{"产教融合 OR 校企合作", "OR：任一即可"},
	{"教师 -幼儿园", "减号：排除"},
	{"type:task 劳动教育", "只看任务条目"},
}

// searchPage is the data of / and /search.
type searchPage struct {
	layout
	Query       query
	Searched    bool
	Error       string
	Resp        *search.Response
	Hits        []hitView
	Facets      []facetView
	Chips       []activeFilter
	Page, Pages int
	From, To    int
	PrevURL     string
	NextURL     string
	FirstURL    string
	PageLinks   []pageLink
	Suggestions []suggestion
	Examples    []example
	Docs        []docSummary
	// Grouped is the document view (the default): Groups instead of
	// Hits; View is the view asked for ("" or "clause"), DocViewURL and
	// ClauseViewURL switch between the views.
	Grouped                   bool
	View                      string
	Groups                    []groupView
	DocViewURL, ClauseViewURL string
}

type hitView struct {
	search.Hit
	Link      string
	Fragments []template.HTML
	// OtherVersions is the number of other versions of the hit's work
	// (0 when it has one); VersionsURL lists them on the reader page.
	OtherVersions int
	VersionsURL   string
}

type facetView struct {
	Key, Name string
	Values    []facetValue
	// Tree is set for the region and theme facets: Values then holds
	// the roots.
	Tree bool
}

type facetValue struct {
	ID      string
	Value   string
	Label   string
	Count   int
	Checked bool
	// Children are the values below a value of a tree (the divisions
	// below a region, the second-level themes below a theme); Open is
	// set when one of them (at any depth) is checked, so the tree shows
	// the choice. Key is the facet's parameter and Sub names the
	// children (下级地区, 下级主题).
	Children []facetValue
	Open     bool
	Key, Sub string
}

type activeFilter struct {
	Name, Value, DropURL string
}

type pageLink struct {
	N       int
	URL     string
	Current bool
}

type suggestion struct {
	Text  string
	URL   string
	Count uint64
}

func (s *Server) docSummaries() []docSummary {
	var out []docSummary
	for _, d := range s.docs().Documents() {
		out = append(out, summarize(d))
	}
	return out
}

// handleSearchPage renders / (home, or results when q or filters are set)
// and /search.
func (s *Server) handleSearchPage(c echo.Context) error {
	p := searchPage{layout: s.layout("检索", "search"), Examples: examples}
	q, err := parseQuery(c)
	if err != nil {
		return s.searchError(c, p, q, err)
	}
	p.Query = q
	p.Q = q.Q
	page, err := intParam(c.QueryParams(), "page", 1, 1, search.MaxOffset/PageSize+1)
	if err != nil {
		return s.searchError(c, p, q, err)
	}
	if q.Q == "" && len(q.Filters) == 0 {
		p.Docs = s.docSummaries()
		return s.render(c, http.StatusOK, "search", p)
	}
	p.Title = q.Q + " - 检索"
	p.Searched = true
	resp, total, err := s.searchView(c, &p, q, page)
	if err != nil {
		return s.searchError(c, p, q, err)
	}
	p.Facets = facetViews(q, resp.Facets)
	for _, f := range filterParams {
		for _, v := range q.Filters[f.Key] {
			p.Chips = append(p.Chips, activeFilter{Name: f.Name, Value: facetLabel(f.Key, v), DropURL: q.without(f.Key, v).url("/search")})
		}
	}
	p.Page = page
	p.Pages = int((total + PageSize - 1) / PageSize)
	if maxPages := search.MaxOffset/PageSize + 1; p.Pages > maxPages {
		p.Pages = maxPages
	}
	if n := len(resp.Hits) + len(p.Groups); n > 0 {
		p.From = (page-1)*PageSize + 1
		p.To = p.From + n - 1
	}
	p.FirstURL = q.url("/search", p.viewParam()...)
	if page > 1 && page-1 <= p.Pages {
		p.PrevURL = q.url("/search", append(p.viewParam(), "page", fmt.Sprint(page-1))...)
	}
	if page < p.Pages {
		p.NextURL = q.url("/search", append(p.viewParam(), "page", fmt.Sprint(page+1))...)
	}
	if p.Pages > 1 {
		lo, hi := max(1, page-4), min(p.Pages, page+4)
		for n := lo; n <= hi; n++ {
			p.PageLinks = append(p.PageLinks, pageLink{N: n, URL: q.url("/search", append(p.viewParam(), "page", fmt.Sprint(n))...), Current: n == page})
		}
	}
	if resp.Total == 0 {
		p.Suggestions = s.suggestions(c, q)
	}
	return s.render(c, http.StatusOK, "search", p)
}

// searchError shows a user error (bad query) on the search page itself
// with its status; internal errors go to the error handler.
func (s *Server) searchError(c echo.Context, p searchPage, q query, err error) error {
	status := httpStatus(err)
	if status >= 500 {
		return err
	}
	p.Query = q
	p.Searched = true
	p.Error = errorMessage(err)
	return s.render(c, status, "search", p)
}

// suggestions tell a user with zero results which filter to drop, with
// the number of results each change would give.
func (s *Server) suggestions(c echo.Context, q query) []suggestion {
	ctx := c.Request().Context()
	count := func(alt query) (uint64, bool) {
		resp, err := s.searcher.Search(ctx, alt.request(1, 0))
		if err != nil {
			return 0, false
		}
		return resp.Total, true
	}
	var out []suggestion
	for _, f := range filterParams {
		for _, v := range q.Filters[f.Key] {
			alt := q.without(f.Key, v)
			if n, ok := count(alt); ok {
				out = append(out, suggestion{Text: fmt.Sprintf("去掉筛选“%s：%s”", f.Name, facetLabel(f.Key, v)), URL: alt.url("/search"), Count: n})
			}
		}
	}
	if len(q.Filters) > 1 {
		alt := query{Q: q.Q, Filters: map[string][]string{}}
		if n, ok := count(alt); ok {
			out = append(out, suggestion{Text: "去掉全部筛选", URL: alt.url("/search"), Count: n})
		}
	}
	if unq := strings.NewReplacer(`"`, " ", "“", " ", "”", " ").Replace(q.Q); unq != q.Q && strings.TrimSpace(unq) != "" {
		alt := query{Q: strings.Join(strings.Fields(unq), " "), Filters: q.Filters}
		if n, ok := count(alt); ok {
			out = append(out, suggestion{Text: fmt.Sprintf("不加引号检索 %s", alt.Q), URL: alt.url("/search"), Count: n})
		}
	}
	return out
}

// newHitView prepares a hit for display.
func newHitView(h search.Hit, q string) hitView {
	v := hitView{Hit: h, Link: hitLink(h, q), Fragments: fragments(h)}
	if len(h.Versions) > 1 {
		v.OtherVersions = len(h.Versions) - 1
		v.VersionsURL = "/d/" + url.PathEscape(h.DocID) + "#versions"
	}
	return v
}

// hitLink is the permalink of a hit, carrying the query so the reader
// highlights it.
func hitLink(h search.Hit, q string) string {
	link, _, _ := strings.Cut(h.URL, "#") // a target's URL names its source unit, then #n
	if !strings.HasPrefix(link, "/c/") {
		link = "/c/" + url.PathEscape(h.DocID) + "/" + url.PathEscape(h.Path)
	}
	if q != "" {
		link += "?q=" + url.QueryEscape(q)
	}
	return link
}

// fragments are the hit's highlighted fragments, or its whole highlighted
// text when the engine gave none.
func fragments(h search.Hit) []template.HTML {
	var out []template.HTML
	for _, f := range h.Fragments {
		out = append(out, markedHTML(f))
	}
	if len(out) == 0 {
		if h.Highlight != "" {
			out = append(out, markedHTML(h.Highlight))
		} else {
			out = append(out, template.HTML(template.HTMLEscapeString(h.Text)))
		}
	}
	return out
}

// facetViews turns the engine's facet counts into checkbox lists; selected
// values are always listed, even with no count.
func facetViews(q query, f search.Facets) []facetView {
	lists := map[string][]search.FacetValue{
		"district": f.District, "theme": f.Theme, "section": f.Section, "type": f.Type,
		"doctype": f.DocType, "level": f.Level, "status": f.Status, "year": f.Year,
	}
	var out []facetView
	for _, p := range filterParams {
		if p.Key == "region" || p.Key == "theme" {
			vals, sub := f.Region, "下级地区"
			if p.Key == "theme" {
				vals, sub = f.Theme, "下级主题"
			}
			if fv := treeView(q, p.Key, p.Name, sub, vals); len(fv.Values) > 0 {
				out = append(out, fv)
			}
			continue
		}
		if p.Key == "date" {
			continue // typed in the query or the URL, shown as a chip
		}
		fv := facetView{Key: p.Key, Name: p.Name}
		listed := map[string]bool{}
		for _, v := range lists[p.Key] {
			listed[v.Value] = true
			fv.Values = append(fv.Values, facetValue{Value: v.Value, Label: facetLabel(p.Key, v.Value), Count: v.Count, Checked: q.has(p.Key, v.Value)})
		}
		for _, v := range q.Filters[p.Key] {
			if !listed[v] {
				fv.Values = append(fv.Values, facetValue{Value: v, Label: facetLabel(p.Key, v), Checked: true})
			}
		}
		for i := range fv.Values {
			// Ids follow the value, so focus can return to the same box
			// after the page reloads with another facet order.
			fv.Values[i].ID = facetID(p.Key, fv.Values[i].Value)
		}
		if len(fv.Values) > 0 {
			out = append(out, fv)
		}
	}
	return out
}

// treeView is a tree facet (region, theme) as a tree of checkboxes: each
// value is its path joined by / (what the filter takes: region=山东省/东营市,
// theme=教育/学前教育); a box is checked when the filter names its path or,
// for a region at the top level and a theme at any level, its name. A
// selected value the facet no longer lists is shown at the top level.
func treeView(q query, key, name, sub string, vals []search.FacetValue) facetView {
	fv := facetView{Key: key, Name: name, Tree: true}
	listed := map[string]bool{}
	var build func(vals []search.FacetValue) ([]facetValue, bool)
	build = func(vals []search.FacetValue) ([]facetValue, bool) {
		var out []facetValue
		anyChecked := false
		for _, v := range vals {
			path := strings.Join(v.Path, "/")
			if path == "" {
				path = v.Value
			}
			listed[path] = true
			checked := q.has(key, path) || (len(v.Path) <= 1 || key == "theme") && q.has(key, v.Value)
			children, open := build(v.Children)
			out = append(out, facetValue{ID: facetID(key, path), Value: path, Label: v.Value, Count: v.Count,
				Checked: checked, Children: children, Open: open, Key: key, Sub: sub})
			anyChecked = anyChecked || checked || open
		}
		return out, anyChecked
	}
	fv.Values, _ = build(vals)
	for _, v := range q.Filters[key] {
		if !listed[v] {
			fv.Values = append(fv.Values, facetValue{ID: facetID(key, v), Value: v, Label: facetLabel(key, v), Checked: true, Key: key, Sub: sub})
		}
	}
	return fv
}

// themeTags are the labels of a hit's themes: a second-level theme by
// its name (学前教育), a top-level theme only when none of its children
// is listed.
func themeTags(themes []string) []string {
	var out []string
	for _, th := range themes {
		if i := strings.LastIndex(th, "/"); i >= 0 {
			out = append(out, th[i+1:])
			continue
		}
		if !slices.ContainsFunc(themes, func(c string) bool { return strings.HasPrefix(c, th+"/") }) {
			out = append(out, th)
		}
	}
	return out
}

// facetID is the element id of a facet checkbox: it follows the value,
// so focus can return to the same box after the page reloads. The / of a
// region path becomes ›, so the id is a plain CSS identifier.
func facetID(key, v string) string {
	return "f-" + key + "-" + strings.ReplaceAll(strings.Join(strings.Fields(v), "_"), "/", "›")
}

// facetLabel is the display label of a facet value.
func facetLabel(key, v string) string {
	switch key {
	case "type":
		return typeName(v)
	case "region", "theme":
		return strings.ReplaceAll(v, "/", " › ")
	}
	return v
}

// docsPage is the data of /docs.
type docsPage struct {
	layout
	Docs []docSummary
}

func (s *Server) handleDocsPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "docs", docsPage{layout: s.layout("文档", "docs"), Docs: s.docSummaries()})
}

// helpPage is the data of /help.
type helpPage struct {
	layout
	Examples []example
}

func (s *Server) handleHelpPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "help", helpPage{layout: s.layout("使用说明", "help"), Examples: examples})
}

// comparePage is the data of /compare.
type comparePage struct {
	layout
	Query     query
	Error     string
	Result    *compareResult
	Districts []compareColumn
}

type compareColumn struct {
	District string
	Total    uint64
	Hits     []hitView
	MoreURL  string
}

func (s *Server) handleComparePage(c echo.Context) error {
	p := comparePage{layout: s.layout("区县对比", "compare")}
	q, err := parseQuery(c)
	if err == nil && q.Q == "" {
		return s.render(c, http.StatusOK, "compare", p)
	}
	var res *compareResult
	if err == nil {
		res, err = s.compare(c)
	}
	if err != nil {
		status := httpStatus(err)
		if status >= 500 {
			return err
		}
		p.Query, p.Error = q, errorMessage(err)
		return s.render(c, status, "compare", p)
	}
	p.Query, p.Q, p.Result = q, q.Q, res
	p.Title = q.Q + " - 区县对比"
	for _, d := range res.Districts {
		col := compareColumn{District: d.District, Total: d.Total}
		for _, h := range d.Hits {
			col.Hits = append(col.Hits, newHitView(h, q.Q))
		}
		if d.Total > uint64(len(d.Hits)) {
			alt := query{Q: q.Q, Filters: map[string][]string{"district": {d.District}}}
			for k, v := range q.Filters {
				if k != "district" {
					alt.Filters[k] = v
				}
			}
			col.MoreURL = alt.url("/search")
		}
		p.Districts = append(p.Districts, col)
	}
	return s.render(c, http.StatusOK, "compare", p)
}

// targetsPage is the data of /targets.
type targetsPage struct {
	layout
	Filter      corpus.TargetFilter
	Error       string
	Districts   []facetValue
	Targets     []*corpus.Target
	Comparisons []corpus.Comparison
	CSVURL      string
	Examples    []string
}

func (s *Server) handleTargetsPage(c echo.Context) error {
	p := targetsPage{layout: s.layout("目标指标", "targets"), Examples: []string{"毛入园率", "巩固率", "集团化办学覆盖率", "教师", "特殊教育"}}
	cp := s.docs()
	for i, d := range cp.Districts() {
		p.Districts = append(p.Districts, facetValue{ID: fmt.Sprintf("td-%d", i), Value: d, Label: d})
	}
	f, err := parseTargetFilter(c)
	if err != nil {
		p.Error = errorMessage(err)
		return s.render(c, httpStatus(err), "targets", p)
	}
	p.Filter, p.Q = f, f.Query
	for i := range p.Districts {
		p.Districts[i].Checked = contains(f.Districts, p.Districts[i].Value)
	}
	p.Targets = cp.Targets(f)
	if f.Query != "" {
		p.Title = f.Query + " - 目标指标"
		p.Comparisons = cp.CompareTargets(f.Query)
	}
	p.CSVURL = "/targets.csv"
	if v := targetValues(f); len(v) > 0 {
		p.CSVURL += "?" + v.Encode()
	}
	return s.render(c, http.StatusOK, "targets", p)
}
