package web

import (
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// healthz is the body of GET /healthz.
type healthz struct {
	Status    string `json:"status"`
	Documents int    `json:"documents"`
	Units     int    `json:"units"`
	Targets   int    `json:"targets"`
}

func (s *Server) handleHealthz(c echo.Context) error {
	st := s.stats()
	return c.JSON(http.StatusOK, healthz{Status: "ok", Documents: st.Documents, Units: st.Units, Targets: st.Targets})
}

// searchRequest validates the parameters of /api/search and /search.
func searchRequest(c echo.Context, defLimit int) (query, search.Request, error) {
	q, err := parseQuery(c)
	if err != nil {
		return q, search.Request{}, err
	}
	vals := c.QueryParams()
	limit, err := intParam(vals, "limit", defLimit, 0, search.MaxLimit)
	if err != nil {
		return q, search.Request{}, err
	}
	offset, err := intParam(vals, "offset", 0, 0, search.MaxOffset)
	if err != nil {
		return q, search.Request{}, err
	}
	req := q.request(limit, offset)
	if req.TargetMin, err = floatParam(vals, "target_min"); err != nil {
		return q, req, err
	}
	if req.TargetMax, err = floatParam(vals, "target_max"); err != nil {
		return q, req, err
	}
	return q, req, nil
}

// handleAPISearch answers GET /api/search with exactly search.Response,
// or with search.GroupedResponse for group=doc.
func (s *Server) handleAPISearch(c echo.Context) error {
	_, req, err := searchRequest(c, search.DefaultLimit)
	if err != nil {
		return err
	}
	grouped, err := groupParam(c)
	if err != nil {
		return err
	}
	if grouped {
		return s.writeGroupedJSON(c, req)
	}
	resp, err := s.searcher.Search(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return s.writeSearchJSON(c, resp)
}

// maxPooledJSON is the largest response buffer kept for reuse; a rare
// huge answer (limit=1000) does not pin its buffer.
const maxPooledJSON = 1 << 20

// writeSearchJSON writes resp as JSON, encoded without reflection into a
// recycled buffer: the bytes are those of c.JSON.
func (s *Server) writeSearchJSON(c echo.Context, resp *search.Response) error {
	bp, _ := s.jsonBufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b, err := resp.AppendJSON((*bp)[:0])
	if err != nil {
		return fmt.Errorf("encode search response: %w", err)
	}
	b = append(b, '\n') // as json.Encoder ends a value
	defer func() {
		if cap(b) <= maxPooledJSON {
			*bp = b
			s.jsonBufs.Put(bp)
		}
	}()
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}

// docSummary is one entry of GET /api/docs.
type docSummary struct {
	corpus.Meta
	URL     string `json:"url"`
	Units   int    `json:"units"`
	Tables  int    `json:"tables"`
	Targets int    `json:"targets"`
}

func summarize(d *corpus.Document) docSummary {
	n := d.Counts() // a served index lists stubs: the counts, not the body
	return docSummary{Meta: d.Meta, URL: "/d/" + url.PathEscape(d.ID), Units: n.Units, Tables: n.Tables, Targets: n.Targets}
}

func (s *Server) handleAPIDocs(c echo.Context) error {
	cp := s.docs()
	docs := cp.Documents()
	out := struct {
		Documents []docSummary       `json:"documents"`
		Rejected  []corpus.Rejection `json:"rejected"`
	}{Documents: make([]docSummary, 0, len(docs)), Rejected: nonNil(cp.Rejected())}
	for _, d := range docs {
		out.Documents = append(out.Documents, summarize(d))
	}
	return c.JSON(http.StatusOK, out)
}

// docDetail is the body of GET /api/docs/{id}.
type docDetail struct {
	docSummary
	Outline []*corpus.Section `json:"outline"`
	Units   []docUnit         `json:"units"`
	Tables  []*corpus.Table   `json:"tables"`
}

// docUnit is a unit of GET /api/docs/{id}: the unit with its document's
// jurisdiction, as every unit and hit of the API carries it.
type docUnit struct {
	*corpus.Unit
	Jurisdiction *corpus.Jurisdiction `json:"jurisdiction,omitempty"`
}

func (s *Server) handleAPIDoc(c echo.Context) error {
	d, err := s.docParam(c)
	if err != nil {
		return err
	}
	units := make([]docUnit, len(d.Units))
	for i, u := range d.Units {
		units[i] = docUnit{Unit: u, Jurisdiction: d.Jurisdiction}
	}
	return c.JSON(http.StatusOK, docDetail{
		docSummary: summarize(d),
		Outline:    nonNil(d.Outline),
		Units:      units,
		Tables:     nonNil(d.Tables),
	})
}

// unitDetail is the body of GET /api/units/{doc_id}/{path}.
type unitDetail struct {
	*corpus.Unit
	DocTitle     string               `json:"doc_title"`
	District     string               `json:"district"`
	Jurisdiction *corpus.Jurisdiction `json:"jurisdiction,omitempty"`
	URL          string               `json:"url"`
}

func (s *Server) handleAPIUnit(c echo.Context) error {
	cp := s.docs()
	d, err := docParamIn(c, cp)
	if err != nil {
		return err
	}
	p, err := pathParam(c)
	if err != nil {
		return err
	}
	u, err := cp.Unit(d.ID + "/" + p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, unitDetail{Unit: u, DocTitle: d.Title, District: d.District, Jurisdiction: d.Jurisdiction, URL: permalink(u)})
}

// handleAPITargets answers GET /api/targets: {"targets":[…]} (the JSON of
// `zhengce targets --json`), CSV with format=csv, or the per-indicator
// comparison across districts {"comparisons":[…]} with compare=NAME.
func (s *Server) handleAPITargets(c echo.Context) error {
	f, err := parseTargetFilter(c)
	if err != nil {
		return err
	}
	switch format := c.QueryParam("format"); format {
	case "", "json":
	case "csv":
		return s.writeTargetsCSV(c, f)
	default:
		return corpus.Errorf(corpus.EINVALID, "不支持的格式：%s（可选 json、csv）", truncate(format, 20))
	}
	if _, ok := c.QueryParams()["compare"]; ok {
		name, err := textParam(c.QueryParams(), "compare", search.MaxQueryRunes, "指标名称")
		if err != nil {
			return err
		}
		if strings.TrimSpace(name) == "" {
			return corpus.Errorf(corpus.EINVALID, "请给出要对比的指标名称，例如 compare=毛入园率")
		}
		out := struct {
			Comparisons []corpus.Comparison `json:"comparisons"`
		}{Comparisons: nonNil(s.docs().CompareTargets(name))}
		return c.JSON(http.StatusOK, out)
	}
	out := struct {
		Targets []*corpus.Target `json:"targets"`
	}{Targets: nonNil(s.docs().Targets(f))}
	return c.JSON(http.StatusOK, out)
}

// compareResult is the body of GET /api/compare: every district of the
// corpus with its matching units.
type compareResult struct {
	Query     string         `json:"query"`
	Terms     []string       `json:"terms"`
	Districts []districtHits `json:"districts"`
}

// districtHits are the matching units of one district.
type districtHits struct {
	District string       `json:"district"`
	Total    uint64       `json:"total"`
	Hits     []search.Hit `json:"hits"`
}

// textTypes are the unit types that partition a document's text.
var textTypes = []string{string(corpus.TypeSection), string(corpus.TypeClause), string(corpus.TypeTask), string(corpus.TypeTableRow)}

// Per-district limits of the comparison.
const (
	DefaultCompareLimit = 10
	MaxCompareLimit     = 100
)

func (s *Server) handleAPICompare(c echo.Context) error {
	res, err := s.compare(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// compare runs the query once per district of the corpus.
func (s *Server) compare(c echo.Context) (*compareResult, error) {
	q, err := parseQuery(c)
	if err != nil {
		return nil, err
	}
	if q.Q == "" {
		return nil, corpus.Errorf(corpus.EINVALID, "请输入要对比的查询词，例如 集团化办学")
	}
	limit, err := intParam(c.QueryParams(), "limit", DefaultCompareLimit, 1, MaxCompareLimit)
	if err != nil {
		return nil, err
	}
	districts := s.docs().Districts()
	if sel := q.Filters["district"]; len(sel) > 0 {
		districts = sel
	}
	res := &compareResult{Query: q.Q, Terms: []string{}, Districts: make([]districtHits, len(districts))}
	errs := make([]error, len(districts))
	terms := make([][]string, len(districts))
	ctx := c.Request().Context()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, d := range districts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			defer func() {
				// A panic here would escape the request's recovery.
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("compare %s: panic: %v\n%s", d, r, debug.Stack())
				}
			}()
			req := q.request(limit, 0)
			req.Districts = []string{d}
			if len(req.Types) == 0 {
				// Targets repeat the text of the unit they come from: the
				// comparison shows each passage once.
				req.Types = textTypes
			}
			resp, err := s.searcher.Search(ctx, req)
			if err != nil {
				errs[i] = err
				return
			}
			res.Districts[i] = districtHits{District: d, Total: resp.Total, Hits: nonNil(resp.Hits)}
			terms[i] = resp.Terms
		}()
	}
	wg.Wait()
	for i := range districts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if len(res.Terms) == 0 && len(terms[i]) > 0 {
			res.Terms = terms[i]
		}
	}
	return res, nil
}

// docParam returns the document named by the :doc route parameter.
func (s *Server) docParam(c echo.Context) (*corpus.Document, error) {
	return docParamIn(c, s.docs())
}

// docParamIn returns the document named by the :doc route parameter in
// the snapshot cp.
func docParamIn(c echo.Context, cp *corpus.Corpus) (*corpus.Document, error) {
	id, err := idParam(c.Param("doc"), "文档编号")
	if err != nil {
		return nil, err
	}
	return cp.Document(id)
}

// pathParam returns the unit path of the wildcard route parameter.
func pathParam(c echo.Context) (string, error) {
	p, err := idParam(strings.TrimSuffix(c.Param("*"), "/"), "条目路径")
	if err != nil {
		return "", err
	}
	return p, nil
}

// idParam unescapes and validates a document id or unit path. A valid id
// is one corpus.SanitizeID leaves unchanged (no / \\ ? # %, control,
// format or space characters, no leading dot), at most 200 bytes of UTF-8;
// ids are lookup keys only and never name a file.
func idParam(raw, name string) (string, error) {
	v, err := url.PathUnescape(raw)
	if err != nil {
		return "", corpus.Errorf(corpus.EINVALID, "%s格式无效", name)
	}
	if v == "" {
		return "", corpus.Errorf(corpus.EINVALID, "缺少%s", name)
	}
	if len(v) > 200 || !utf8.ValidString(v) {
		return "", corpus.Errorf(corpus.EINVALID, "%s格式无效", name)
	}
	if corpus.SanitizeID(v) != v {
		return "", corpus.Errorf(corpus.EINVALID, "%s格式无效：%s", name, strings.ToValidUTF8(v, ""))
	}
	return v, nil
}

// permalink is the clause permalink of a unit.
func permalink(u *corpus.Unit) string {
	return "/c/" + url.PathEscape(u.DocID) + "/" + url.PathEscape(u.Path)
}

// nonNil returns s, or an empty slice when s is nil, so JSON shows [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
