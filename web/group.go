package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// GroupSearcher is a Searcher that also answers grouped by document
// (search.Service does); /api/search?group=doc and the search page's
// document view need it.
type GroupSearcher interface {
	SearchGrouped(ctx context.Context, req search.Request) (*search.GroupedResponse, error)
}

// TitleSuggester offers titles as a query is typed (search.Service does);
// GET /api/suggest needs it.
type TitleSuggester interface {
	Suggest(q string, limit int) []search.Suggestion
}

// groupParam reads group: "" for hits, "doc" for documents.
func groupParam(c echo.Context) (bool, error) {
	switch g := c.QueryParam("group"); g {
	case "":
		return false, nil
	case "doc":
		return true, nil
	default:
		return false, corpus.Errorf(corpus.EINVALID, "参数 group 只能是 doc（按文件分组）或留空（按条款列出）")
	}
}

// grouper returns the grouped search of the server's searcher.
func (s *Server) grouper() (GroupSearcher, error) {
	g, ok := s.searcher.(GroupSearcher)
	if !ok {
		return nil, corpus.Errorf(corpus.EINVALID, "本服务不支持按文件分组，请去掉参数 group")
	}
	return g, nil
}

// writeGroupedJSON answers a grouped /api/search: exactly
// search.GroupedResponse.
func (s *Server) writeGroupedJSON(c echo.Context, req search.Request) error {
	g, err := s.grouper()
	if err != nil {
		return err
	}
	resp, err := g.SearchGrouped(c.Request().Context(), req)
	if err != nil {
		return err
	}
	b, err := resp.AppendJSON(make([]byte, 0, 16<<10))
	if err != nil {
		return fmt.Errorf("encode grouped search response: %w", err)
	}
	b = append(b, '\n')
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}

// maxSuggestQuery bounds the q of /api/suggest, in characters.
const maxSuggestQuery = 100

// suggestResponse is the body of GET /api/suggest.
type suggestResponse struct {
	Query       string              `json:"query"`
	Suggestions []search.Suggestion `json:"suggestions"`
}

// handleAPISuggest answers GET /api/suggest?q=: at most 10 titles and
// short names beginning with or containing q.
func (s *Server) handleAPISuggest(c echo.Context) error {
	q := c.QueryParam("q")
	if !utf8.ValidString(q) {
		return corpus.Errorf(corpus.EINVALID, "参数 q 不是有效的 UTF-8 文本")
	}
	if utf8.RuneCountInString(q) > maxSuggestQuery {
		return corpus.Errorf(corpus.ETOOLARGE, "参数 q 过长：最多 %d 个字符", maxSuggestQuery)
	}
	out := suggestResponse{Query: q, Suggestions: []search.Suggestion{}}
	if ts, ok := s.searcher.(TitleSuggester); ok && strings.TrimSpace(q) != "" {
		out.Suggestions = ts.Suggest(q, search.MaxSuggestions)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=60")
	return c.JSON(http.StatusOK, out)
}

// groupView is one document of the search page's document view.
type groupView struct {
	search.DocGroup
	Hits []hitView
	// More is the number of matching units not shown; MoreURL opens the
	// document in the reader with the query highlighted.
	More     int
	MoreURL  string
	Versions []versionView
}

// versionView is another version of a grouped document's work.
type versionView struct {
	search.VersionMatch
	Link string // the version in the reader, with the query
}

// viewParam is the view parameter the page's links carry: none for the
// default document view.
func (p *searchPage) viewParam() []string {
	if p.View == "clause" {
		return []string{"view", "clause"}
	}
	return nil
}

// searchView runs the search of the page in its view: grouped by
// document (the default, when the searcher can) or clause by clause
// (view=clause). It fills the hits or groups of p and returns the
// response (Hits empty in the document view) and the number of results
// the pages count (units or documents).
func (s *Server) searchView(c echo.Context, p *searchPage, q query, page int) (*search.Response, uint64, error) {
	ctx := c.Request().Context()
	req := q.request(PageSize, (page-1)*PageSize)
	switch v := c.QueryParam("view"); v {
	case "", "doc":
	case "clause":
		p.View = v
	default:
		return nil, 0, corpus.Errorf(corpus.EINVALID, "参数 view 只能是 doc（按文件）或 clause（按条款）")
	}
	p.DocViewURL = q.url("/search")
	p.ClauseViewURL = q.url("/search", "view", "clause")
	g, ok := s.searcher.(GroupSearcher)
	if p.View == "clause" || !ok {
		resp, err := s.searcher.Search(ctx, req)
		if err != nil {
			return nil, 0, err
		}
		p.Resp = resp
		for _, h := range resp.Hits {
			p.Hits = append(p.Hits, newHitView(h, q.Q))
		}
		return resp, resp.Total, nil
	}
	gr, err := g.SearchGrouped(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	p.Grouped = true
	resp := &search.Response{Query: gr.Query, Total: gr.Total, TookMS: gr.TookMS, Hits: []search.Hit{},
		Facets: gr.Facets, Terms: gr.Terms, Notice: gr.Notice, Jump: gr.Jump}
	p.Resp = resp
	for _, d := range gr.Documents {
		gv := groupView{DocGroup: d, More: int(d.Total) - len(d.Hits), MoreURL: readerLink(d.DocID, q.Q)}
		for _, h := range d.Hits {
			gv.Hits = append(gv.Hits, newHitView(h, q.Q))
		}
		for _, v := range d.Versions {
			gv.Versions = append(gv.Versions, versionView{VersionMatch: v, Link: readerLink(v.DocID, q.Q)})
		}
		p.Groups = append(p.Groups, gv)
	}
	return resp, gr.TotalDocuments, nil
}

// readerLink is the reader page of a document, carrying the query so
// the reader highlights it.
func readerLink(docID, q string) string {
	link := "/d/" + url.PathEscape(docID)
	if q != "" {
		link += "?q=" + url.QueryEscape(q)
	}
	return link
}
