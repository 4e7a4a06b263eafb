package search

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"slices"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// GroupHits is the most units shown under one document of a grouped
// answer.
const GroupHits = 3

// restWeight is the weight of a document's second and third best units in
// its score: a document is ranked by its best unit, raised a little by
// further good matches.
const restWeight = 0.25

// GroupedResponse is the answer to a Request grouped by document
// (/api/search?group=doc, zhengce search --group doc): each matching work
// once, as its current version (or its newest matching version), with its
// best units and the other versions listed. Offset and Limit count
// documents. Its JSON form is the public API.
type GroupedResponse struct {
	Query string `json:"query"`
	// Total is the number of matching units, as in Response.
	Total uint64 `json:"total"`
	// TotalDocuments is the number of groups (works) with a match.
	TotalDocuments uint64     `json:"total_documents"`
	TookMS         float64    `json:"took_ms"`
	Documents      []DocGroup `json:"documents"`
	Facets         Facets     `json:"facets"`
	Terms          []string   `json:"terms"`
	Notice         string     `json:"notice,omitempty"`
	Jump           *Jump      `json:"jump,omitempty"`
}

// DocGroup is one document of a grouped answer.
type DocGroup struct {
	DocID     string `json:"doc_id"`
	Title     string `json:"title"`
	District  string `json:"district"`
	Status    string `json:"status,omitempty"`
	IssueDate string `json:"issue_date,omitempty"`
	URL       string `json:"url"` // the document's reader page
	// Total is the number of matching units of this version; Hits are
	// the best of them (at most GroupHits), best first.
	Total uint64  `json:"total"`
	Score float64 `json:"score"`
	Hits  []Hit   `json:"hits"`
	// Versions are the other versions of the work, newest first, each
	// with its number of matching units; left out for a work of one
	// version.
	Versions []VersionMatch `json:"versions,omitempty"`
}

// VersionMatch is another version of a grouped document's work.
type VersionMatch struct {
	DocID     string `json:"doc_id"`
	Status    string `json:"status,omitempty"`
	IssueDate string `json:"issue_date,omitempty"`
	URL       string `json:"url"`
	Total     uint64 `json:"total"`
}

// docAgg gathers the matches of one document.
type docAgg struct {
	doc   int32
	n     uint64
	exact bool
	top   []cand // best first, at most GroupHits
	score float32
}

// SearchGrouped runs a request and groups its hits by document (see
// GroupedResponse). Errors are those of Search.
func (s *Service) SearchGrouped(ctx context.Context, r Request) (*GroupedResponse, error) {
	start := time.Now()
	p, err := s.prepare(&r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	resp := &GroupedResponse{Query: r.Query, Documents: []DocGroup{}, Terms: p.responseTerms()}
	if p.seg == nil && p.needsWords() {
		resp.Notice = "分词词典正在加载，暂时只按原文逐字匹配"
	}
	aggs, total, facets, err := s.runGrouped(ctx, p)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	resp.Total, resp.Facets = total, facets
	works := s.foldVersions(aggs)
	resp.TotalDocuments = uint64(len(works))
	// a query naming an article (the jump) or a document (its title)
	// puts that document first and the unit first within it
	j := s.jumps.get().resolve(r.Query, r.InDoc)
	resp.Jump = j
	var pinID, pinURL string
	switch {
	case j != nil:
		pinID, pinURL = j.UnitID, j.URL
	default:
		if d := s.jumps.get().named(r.Query); d != nil {
			pinID, pinURL = d.ID+"/"+corpus.PathTitle, "/c/"+url.PathEscape(d.ID)+"/"+corpus.PathTitle
		}
	}
	var pinned *docAgg
	if pinID != "" && r.Offset == 0 {
		seq, ok := s.seqOf(pinID)
		var jd int32
		if ok {
			jd = int32(s.cols.e.at(*s.cols.ord.at(int32(seq))).doc)
		}
		if ok {
			o := *s.cols.ord.at(int32(seq))
			w := s.cols.rank.work[jd]
			if i := slices.IndexFunc(works, func(a *docAgg) bool { return s.cols.rank.work[a.doc] == w }); i >= 0 {
				works = slices.Delete(works, i, i+1)
			} else {
				resp.TotalDocuments++
			}
			if pinned = aggs[jd]; pinned == nil {
				pinned = &docAgg{doc: jd}
			}
			top := []cand{{ord: o, exact: true, score: pinned.score + 1}}
			if pinned.n == 0 || !slices.ContainsFunc(pinned.top, func(c cand) bool { return c.ord == o }) {
				pinned.n++
				resp.Total++
			}
			for _, c := range pinned.top {
				if c.ord != o && len(top) < GroupHits {
					top = append(top, c)
				}
			}
			pinned.top = top
			works = slices.Insert(works, 0, pinned)
		}
	}
	if r.Offset >= len(works) {
		works = nil
	} else {
		works = works[r.Offset:min(len(works), r.Offset+r.Limit)]
	}
	dropped := 0
	for i, a := range works {
		if i%hitCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, searchError(ctx, err)
			}
		}
		g := s.docGroup(a, aggs)
		g.Hits = make([]Hit, 0, len(a.top))
		for k, c := range a.top {
			seq := int(*s.cols.seq.at(c.ord))
			if a == pinned && k == 0 {
				if h, ok := s.unitHit(seq, pinURL); ok {
					h.Score = float64(c.score)
					g.Hits = append(g.Hits, h)
				}
				continue
			}
			h, ok := s.hit(p, seq, c.score)
			if !ok {
				dropped++
				g.Total--
				continue
			}
			g.Hits = append(g.Hits, h)
		}
		resp.Documents = append(resp.Documents, g)
	}
	if err := s.ix.ReadErr(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if dropped > 0 {
		resp.Total -= uint64(dropped)
		resp.Notice = "部分结果未通过原文校验，计数可能不准确"
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// runGrouped evaluates the plan over every match: the matches of each
// document (by document index; nil for a document without any), the
// total and the facets.
func (s *Service) runGrouped(ctx context.Context, p *plan) ([]*docAgg, uint64, Facets, error) {
	c := s.cols
	fc := c.newCounter()
	aggs := make([]*docAgg, len(c.rank.docs))
	var total uint64
	better := (&topK{c: c, prio: c.rank.prio}).better
	add := func(m cand, shape bool, maxBoost float32) {
		d := c.e.at(m.ord).doc
		a := aggs[d]
		if a == nil {
			a = &docAgg{doc: int32(d)}
			aggs[d] = a
		}
		a.n++
		a.exact = a.exact || m.exact
		if len(a.top) == GroupHits && !better(cand{ord: m.ord, score: m.score * maxBoost, exact: m.exact}, a.top[GroupHits-1]) {
			return
		}
		if shape {
			m.score *= s.titleBoost(p, m.ord) * s.shape(p, m.ord)
		}
		i, _ := slices.BinarySearchFunc(a.top, m, func(x, y cand) int {
			if better(x, y) {
				return -1
			}
			return 1
		})
		if i < GroupHits {
			a.top = slices.Insert(a.top, i, m)
			if len(a.top) > GroupHits {
				a.top = a.top[:GroupHits]
			}
		}
	}
	maxBoost := p.maxTitleBoost()
	if err := s.visit(ctx, p, fc, func(m cand, scored bool) {
		total++
		if scored {
			add(m, true, maxBoost)
		} else {
			add(m, false, 1)
		}
	}); err != nil {
		return nil, 0, Facets{}, err
	}
	for _, a := range aggs {
		if a == nil {
			continue
		}
		for i, m := range a.top {
			switch i {
			case 0:
				a.score = m.score
			default:
				a.score += restWeight * m.score
			}
		}
	}
	return aggs, total, fc.facets(c), nil
}

// foldVersions returns one aggregate per work with a match, best first:
// the current version when it matches, else the newest matching version
// (the versions are ranked by document priority). A work is ranked by the
// best of its versions: verbatim matches first, then score, then the
// document's priority, then corpus order.
func (s *Service) foldVersions(aggs []*docAgg) []*docAgg {
	rk := s.cols.rank
	type work struct {
		rep   *docAgg
		exact bool
		score float32
	}
	byWork := map[int32]*work{}
	var order []int32
	for _, a := range aggs {
		if a == nil {
			continue
		}
		w := rk.work[a.doc]
		x, ok := byWork[w]
		if !ok {
			x = &work{rep: a, exact: a.exact, score: a.score}
			byWork[w] = x
			order = append(order, w)
			continue
		}
		if rk.prio[a.doc] > rk.prio[x.rep.doc] || rk.prio[a.doc] == rk.prio[x.rep.doc] && rk.docs[a.doc].IssueDate > rk.docs[x.rep.doc].IssueDate {
			x.rep = a
		}
		x.exact = x.exact || a.exact
		x.score = max(x.score, a.score)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		x, y := byWork[a], byWork[b]
		switch {
		case x.exact != y.exact:
			if x.exact {
				return -1
			}
			return 1
		case x.score != y.score:
			if x.score > y.score {
				return -1
			}
			return 1
		case rk.prio[x.rep.doc] != rk.prio[y.rep.doc]:
			return int(rk.prio[y.rep.doc]) - int(rk.prio[x.rep.doc])
		}
		return int(x.rep.doc - y.rep.doc)
	})
	out := make([]*docAgg, len(order))
	for i, w := range order {
		out[i] = byWork[w].rep
	}
	return out
}

// docGroup is the group of a document's aggregate, without hits, with its
// other versions and their matches.
func (s *Service) docGroup(a *docAgg, aggs []*docAgg) DocGroup {
	rk := s.cols.rank
	d := rk.docs[a.doc]
	g := DocGroup{DocID: d.ID, Title: d.Title, District: d.District, Status: d.Status, IssueDate: d.IssueDate,
		URL: "/d/" + url.PathEscape(d.ID), Total: a.n, Score: float64(a.score)}
	if len(d.Versions) > 1 {
		g.Versions = []VersionMatch{}
		for _, id := range d.Versions {
			if id == d.ID {
				continue
			}
			v := VersionMatch{DocID: id, URL: "/d/" + url.PathEscape(id)}
			if i, ok := rk.docIdx[id]; ok {
				vd := rk.docs[i]
				v.Status, v.IssueDate = vd.Status, vd.IssueDate
				if aggs[i] != nil {
					v.Total = aggs[i].n
				}
			}
			g.Versions = append(g.Versions, v)
		}
	}
	return g
}

// unitHit is the hit of the unit at seq with the given link, its text
// unmarked (a jump's unit need not match the query's words).
func (s *Service) unitHit(seq int, link string) (Hit, bool) {
	e, ok := s.entryAt(seq)
	if !ok || e.Unit == nil {
		return Hit{}, false
	}
	u, d := e.Unit, e.Doc
	h := Hit{ID: u.ID, DocID: u.DocID, Type: string(u.Type), Section: u.Part, Themes: u.Themes, Path: u.Path,
		Breadcrumb: u.Breadcrumb, Citation: u.Citation, Text: u.Text, DocTitle: d.Title, District: d.District,
		URL: link, Highlight: html.EscapeString(u.Text)}
	h.Jurisdiction, h.DocType, h.Level, h.Status, h.Versions = d.Jurisdiction, d.DocType, d.Level, d.Status, d.Versions
	if h.Themes == nil {
		h.Themes = []string{}
	}
	if h.Breadcrumb == nil {
		h.Breadcrumb = []string{}
	}
	return h, true
}

// prepare checks the paging of r (setting the default limit), parses its
// query with its filters and compiles it, as Search does.
func (s *Service) prepare(r *Request) (*plan, error) {
	// a closed Service's mappings are gone: Close must not race with
	// searches (Live waits for them), and a search after it fails here
	if s.ix.Closed() {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "检索服务已关闭", Err: indexer.ErrClosed}
	}
	if r.Limit == 0 {
		r.Limit = DefaultLimit
	}
	if r.Limit < 0 || r.Offset < 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "分页参数不能为负数")
	}
	if r.Limit > MaxLimit {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "每页最多 %d 条结果", MaxLimit)
	}
	if r.Offset > MaxOffset {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "最多翻到第 %d 条结果", MaxOffset)
	}
	q, err := ParseQuery(r.Query)
	if err != nil {
		return nil, err
	}
	if err := mergeFilters(q, *r); err != nil {
		return nil, err
	}
	if q.Empty() {
		return nil, corpus.Errorf(corpus.EINVALID, "请输入检索词或筛选条件")
	}
	return s.compile(q), nil
}
