package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// DefaultTimeout bounds a search whose context has no deadline.
const DefaultTimeout = 5 * time.Second

// maxClauses bounds bleve disjunctions. zhengce only builds term and
// phrase queries from at most MaxQueryTerms terms, so the limit is a guard
// against future query types that expand terms (prefix, fuzzy, regexp).
const maxClauses = 1024

// ErrStale marks an index built from another corpus, analyzer or format.
var ErrStale = errors.New("index is stale")

// setClauseLimit sets bleve's process-wide DisjunctionMaxClauseCount once.
var setClauseLimit = sync.OnceFunc(func() { searcher.DisjunctionMaxClauseCount = maxClauses })

// Boosts of the ranking.
const (
	boostTitlePhrase = 3.0 // the query occurs verbatim in the heading/task title
	boostTitleWords  = 1.5 // a query word is a word of the title
)

// Service answers searches over one opened index and the corpus it was
// built from. It is safe for concurrent use.
type Service struct {
	idx     bleve.Index
	meta    *indexer.Meta
	c       *corpus.Corpus
	seg     atomic.Pointer[indexer.Segmenter]
	docs    map[string]*corpus.Document
	targets map[string]*targetRef
}

type targetRef struct {
	t   *corpus.Target
	src *corpus.Unit
}

// Open opens the existing index in dir for querying corpus c. seg may be
// nil: quoted phrases, exclusions and filters need no segmenter, and bare
// words are then matched as exact substrings only until SetSegmenter
// supplies one (so a server can answer while the dictionary loads). An
// index built from another corpus or analyzer is refused with ErrStale.
func Open(dir string, c *corpus.Corpus, seg *indexer.Segmenter) (*Service, error) {
	setClauseLimit()
	idx, meta, err := indexer.OpenIndex(dir)
	if err != nil {
		return nil, err
	}
	fp := ""
	if seg != nil {
		fp = seg.Fingerprint()
	}
	if !meta.Fresh(c, fp) {
		idx.Close()
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引与当前语料或分词器不一致，请重新运行 zhengce index", Err: ErrStale}
	}
	s := &Service{idx: idx, meta: meta, c: c, docs: map[string]*corpus.Document{}, targets: map[string]*targetRef{}}
	for _, d := range c.Documents() {
		s.docs[d.ID] = d
		for _, t := range d.Targets {
			src, _ := c.Unit(t.UnitID)
			s.targets[t.ID] = &targetRef{t: t, src: src}
		}
	}
	if seg != nil {
		s.seg.Store(seg)
	}
	return s, nil
}

// Ensure opens the index in dir, building it first with seg when it is
// missing, stale (another corpus, analyzer or format) or damaged
// (indexer.ErrCorrupt). seg may be nil
// only when the index is known to be fresh; then it can be supplied later
// with SetSegmenter.
func Ensure(ctx context.Context, dir string, c *corpus.Corpus, seg *indexer.Segmenter, p indexer.Progress) (*Service, error) {
	fp := ""
	if seg != nil {
		fp = seg.Fingerprint()
	}
	m, err := indexer.ReadMeta(dir)
	if err == nil && m.Fresh(c, fp) {
		svc, err := Open(dir, c, seg)
		if err == nil || seg == nil || !errors.Is(err, indexer.ErrCorrupt) {
			return svc, err
		}
		// a damaged index is rebuilt like a missing one
	} else if err != nil && corpus.ErrorCode(err) != corpus.ENOTFOUND && corpus.ErrorCode(err) != corpus.EINVALID {
		return nil, err
	}
	if seg == nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "索引需要重新建立，但分词器尚未加载", Err: ErrStale}
	}
	if _, err := indexer.Build(ctx, dir, c, seg, p); err != nil {
		return nil, err
	}
	return Open(dir, c, seg)
}

// SetSegmenter supplies the segmenter to a service opened without one. It
// must be the analyzer the index was built with.
func (s *Service) SetSegmenter(seg *indexer.Segmenter) error {
	if seg == nil {
		return nil
	}
	if seg.Fingerprint() != s.meta.Analyzer {
		return &corpus.Error{Code: corpus.EINVALID, Message: "分词器与索引不一致，请重新运行 zhengce index", Err: ErrStale}
	}
	s.seg.Store(seg)
	return nil
}

// Meta describes the opened index.
func (s *Service) Meta() *indexer.Meta { return s.meta }

// Close closes the index.
func (s *Service) Close() error { return s.idx.Close() }

// plan is a request compiled to bleve queries.
type plan struct {
	q      *Query
	seg    *indexer.Segmenter
	words  [][]string // segmented words of each item, by group then item order
	filter []query.Query
	// exact is the query where every group matches verbatim (tier 1);
	// full adds matching by segmented words (tier 1 ∪ tier 2).
	exact, full query.Query
	tiered      bool // full differs from exact
	// hideTargets: targets are excluded from hits; targets matches just
	// the targets that full would match without that, for the type facet.
	hideTargets bool
	targets     query.Query
	terms       []string
}

// Search runs a request. Errors a user can cause are *corpus.Error with
// EINVALID or ETOOLARGE; a search over its deadline fails with ETIMEOUT.
func (s *Service) Search(ctx context.Context, r Request) (*Response, error) {
	start := time.Now()
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
	if err := mergeFilters(q, r); err != nil {
		return nil, err
	}
	if q.Empty() {
		return nil, corpus.Errorf(corpus.EINVALID, "请输入检索词或筛选条件")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	p := s.compile(q)
	resp := &Response{Query: r.Query, Hits: []Hit{}, Terms: p.terms}
	if resp.Terms == nil {
		resp.Terms = []string{} // JSON [] rather than null: a filter-only query has no terms
	}
	if p.seg == nil && p.needsWords() {
		resp.Notice = "分词词典正在加载，暂时只按原文逐字匹配"
	}
	hits, total, facets, err := s.run(ctx, p, r.Offset, r.Limit)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	resp.Total = total
	resp.Facets = facets
	dropped := 0
	for _, h := range hits {
		hit, ok := s.hit(p, h)
		if !ok {
			dropped++
			continue
		}
		resp.Hits = append(resp.Hits, hit)
	}
	if dropped > 0 {
		resp.Total -= uint64(dropped)
		resp.Notice = "部分结果未通过原文校验，计数可能不准确"
	}
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// mergeFilters adds the request's facet filters to those of the query.
func mergeFilters(q *Query, r Request) error {
	for _, f := range []struct {
		vals []string
		key  string
	}{{r.Districts, "district"}, {r.Themes, "theme"}, {r.Sections, "section"}, {r.Types, "type"}} {
		if len(f.vals) > MaxFilterValue {
			return corpus.Errorf(corpus.ETOOLARGE, "筛选值过多：每类最多 %d 个", MaxFilterValue)
		}
		for _, v := range f.vals {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if err := q.addFilter(token{key: f.key, text: v}); err != nil {
				return err
			}
		}
	}
	for _, v := range []*float64{r.TargetMin, r.TargetMax} {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			return corpus.Errorf(corpus.EINVALID, "目标值范围无效")
		}
	}
	q.TargetMin = maxPtr(q.TargetMin, r.TargetMin)
	q.TargetMax = minPtr(q.TargetMax, r.TargetMax)
	return nil
}

func searchError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "检索超时，请缩小检索范围后重试", Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(ctx.Err(), context.Canceled) {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "检索已取消", Err: err}
	}
	if strings.Contains(err.Error(), "TooManyClauses") {
		return &corpus.Error{Code: corpus.ETOOLARGE, Message: "查询过于复杂，请减少检索条件", Err: err}
	}
	return fmt.Errorf("search: %w", err)
}

func (p *plan) needsWords() bool {
	for _, g := range p.q.Groups {
		for _, it := range g {
			if !it.Phrase {
				return true
			}
		}
	}
	return false
}

// exactQuery matches the units whose normalised text contains norm: the
// unigram field for one character, else a phrase of character bigrams at
// consecutive positions, which holds exactly when the text contains norm.
// Long phrases use every other bigram (plus the last one) with
// placeholders between: adjacent non-overlapping bigrams still pin every
// character.
func exactQuery(norm string, field string) query.Query {
	grams := indexer.Grams(norm, 2)
	if len(grams) == 0 {
		tq := query.NewTermQuery(norm)
		tq.SetField(indexer.FieldChars)
		if field == indexer.FieldTGrams {
			return nil
		}
		return tq
	}
	if len(grams) == 1 {
		tq := query.NewTermQuery(grams[0])
		tq.SetField(field)
		return tq
	}
	terms := grams
	if len(grams) > 8 {
		terms = make([]string, len(grams))
		for i, g := range grams {
			if i%2 == 0 || i == len(grams)-1 {
				terms[i] = g
			}
		}
	}
	return query.NewPhraseQuery(terms, field)
}

func termQuery(field, term string, boost float64) query.Query {
	tq := query.NewTermQuery(term)
	tq.SetField(field)
	if boost != 0 {
		tq.SetBoost(boost)
	}
	return tq
}

func anyOf(field string, vals []string) query.Query {
	qs := make([]query.Query, len(vals))
	for i, v := range vals {
		qs[i] = termQuery(field, v, 0)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// compile turns a parsed query into bleve queries.
func (s *Service) compile(q *Query) *plan {
	p := &plan{q: q, seg: s.seg.Load()}
	if len(q.Districts) > 0 {
		p.filter = append(p.filter, anyOf(indexer.FieldDistrict, q.Districts))
	}
	if len(q.Themes) > 0 {
		p.filter = append(p.filter, anyOf(indexer.FieldTheme, q.Themes))
	}
	if len(q.Sections) > 0 {
		p.filter = append(p.filter, anyOf(indexer.FieldSection, q.Sections))
	}
	if len(q.Types) > 0 {
		p.filter = append(p.filter, anyOf(indexer.FieldType, q.Types))
	}
	if q.TargetMin != nil || q.TargetMax != nil {
		incl := true
		nr := query.NewNumericRangeInclusiveQuery(q.TargetMin, q.TargetMax, &incl, &incl)
		nr.SetField(indexer.FieldTarget)
		p.filter = append(p.filter, nr)
	}
	var exactMust, fullMust, should []query.Query
	for _, g := range q.Groups {
		var ex, full []query.Query
		for _, it := range g {
			e := exactQuery(it.Text, indexer.FieldGrams)
			ex = append(ex, e)
			full = append(full, e)
			if it.Phrase {
				p.terms = append(p.terms, `"`+it.Text+`"`)
			} else {
				p.terms = append(p.terms, it.Text)
			}
			if t := exactQuery(it.Text, indexer.FieldTGrams); t != nil {
				if b, ok := t.(query.BoostableQuery); ok {
					b.SetBoost(boostTitlePhrase)
				}
				should = append(should, t)
			}
			if it.Phrase || p.seg == nil {
				p.words = append(p.words, nil)
				continue
			}
			words := uniq(p.seg.Terms(it.Text))
			p.words = append(p.words, words)
			if len(words) == 0 {
				continue
			}
			if len(words) > 1 || words[0] != strings.ToLower(it.Text) {
				p.terms = append(p.terms, words...)
			}
			conj := make([]query.Query, len(words))
			for i, w := range words {
				conj[i] = termQuery(indexer.FieldWords, w, 0)
				should = append(should, termQuery(indexer.FieldTitle, w, boostTitleWords))
			}
			full = append(full, query.NewConjunctionQuery(conj))
			p.tiered = true
		}
		exactMust = append(exactMust, disjunction(ex))
		fullMust = append(fullMust, disjunction(full))
	}
	var excl []query.Query
	for _, e := range q.Exclude {
		excl = append(excl, exactQuery(e, indexer.FieldGrams))
	}
	// Targets repeat text of their source unit: they are hits only when
	// asked for (type:target or a target range). The type facet still
	// counts them, so a client can offer the filter.
	p.hideTargets = !slices.Contains(q.Types, string(corpus.TypeTarget)) && q.TargetMin == nil && q.TargetMax == nil
	build := func(must []query.Query, hide bool, extraFilter query.Query) query.Query {
		b := query.NewBooleanQuery(nil, nil, nil)
		if len(must) == 0 {
			must = []query.Query{query.NewMatchAllQuery()}
		}
		b.AddMust(must...)
		filters := p.filter
		if extraFilter != nil {
			filters = append(append([]query.Query{}, filters...), extraFilter)
		}
		if len(filters) > 0 {
			// filters restrict without scoring
			b.AddFilter(query.NewConjunctionQuery(filters))
		}
		if len(should) > 0 {
			b.AddShould(should...)
		}
		not := append([]query.Query{}, excl...)
		if hide {
			not = append(not, termQuery(indexer.FieldType, string(corpus.TypeTarget), 0))
		}
		if len(not) > 0 {
			b.AddMustNot(not...)
		}
		return b
	}
	p.exact = build(exactMust, p.hideTargets, nil)
	p.full = p.exact
	if p.tiered {
		p.full = build(fullMust, p.hideTargets, nil)
	}
	if p.hideTargets {
		must := exactMust
		if p.tiered {
			must = fullMust
		}
		p.targets = build(must, false, termQuery(indexer.FieldType, string(corpus.TypeTarget), 0))
	}
	return p
}

func disjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func uniq(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// run executes the plan: total and facets over the full result set, hits
// of the requested page with tier-1 (verbatim) matches before tier-2 (all
// segmented words) matches, each tier by score, ties in document order.
func (s *Service) run(ctx context.Context, p *plan, offset, limit int) ([]*bsearch.DocumentMatch, uint64, Facets, error) {
	// seq is unique (document order): ties break deterministically
	sortBy := []string{"-_score", indexer.FieldSeq}
	if len(p.q.Groups) == 0 {
		sortBy = []string{indexer.FieldSeq}
	}
	facetReq := func(req *bleve.SearchRequest) {
		for _, f := range []string{indexer.FieldDistrict, indexer.FieldTheme, indexer.FieldSection, indexer.FieldType} {
			req.AddFacet(f, bleve.NewFacetRequest(f, 1000))
		}
	}
	hits, total, fs, err := s.runHits(ctx, p, offset, limit, sortBy, facetReq)
	if err != nil || !p.hideTargets {
		return hits, total, fs, err
	}
	// a count, no doc values: cheaper than a second facet request
	req := bleve.NewSearchRequestOptions(p.targets, 0, 0, false)
	req.Score = "none"
	res, err := s.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, Facets{}, err
	}
	if res.Total > 0 {
		fs.Type = append(fs.Type, FacetValue{Value: string(corpus.TypeTarget), Count: int(res.Total)})
		sortFacet(fs.Type)
	}
	return hits, total, fs, nil
}

// runHits runs the searches for the page, the total and the facets.
func (s *Service) runHits(ctx context.Context, p *plan, offset, limit int, sortBy []string, facetReq func(*bleve.SearchRequest)) ([]*bsearch.DocumentMatch, uint64, Facets, error) {
	if !p.tiered {
		req := bleve.NewSearchRequestOptions(p.exact, limit, offset, false)
		req.SortBy(sortBy)
		facetReq(req)
		res, err := s.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, 0, Facets{}, err
		}
		return res.Hits, res.Total, facets(res.Facets), nil
	}
	// tier 1: verbatim matches, enough for the page
	req1 := bleve.NewSearchRequestOptions(p.exact, offset+limit, 0, false)
	req1.SortBy(sortBy)
	res1, err := s.idx.SearchInContext(ctx, req1)
	if err != nil {
		return nil, 0, Facets{}, err
	}
	// everything: total and facets only
	reqAll := bleve.NewSearchRequestOptions(p.full, 0, 0, false)
	reqAll.Score = "none"
	facetReq(reqAll)
	resAll, err := s.idx.SearchInContext(ctx, reqAll)
	if err != nil {
		return nil, 0, Facets{}, err
	}
	n1 := int(res1.Total)
	var hits []*bsearch.DocumentMatch
	if offset < len(res1.Hits) {
		hits = append(hits, res1.Hits[offset:]...)
	}
	if need := offset + limit - max(offset, n1); need > 0 && resAll.Total > res1.Total {
		// tier 2: the rest, ranked among themselves
		not := exactCondition(p)
		b := query.NewBooleanQuery([]query.Query{p.full}, nil, []query.Query{not})
		req2 := bleve.NewSearchRequestOptions(b, need, max(0, offset-n1), false)
		req2.SortBy(sortBy)
		res2, err := s.idx.SearchInContext(ctx, req2)
		if err != nil {
			return nil, 0, Facets{}, err
		}
		hits = append(hits, res2.Hits...)
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, resAll.Total, facets(resAll.Facets), nil
}

// exactCondition is the tier-1 condition alone: every group verbatim.
func exactCondition(p *plan) query.Query {
	var must []query.Query
	for _, g := range p.q.Groups {
		var ex []query.Query
		for _, it := range g {
			ex = append(ex, exactQuery(it.Text, indexer.FieldGrams))
		}
		must = append(must, disjunction(ex))
	}
	return query.NewConjunctionQuery(must)
}

func facets(fr bsearch.FacetResults) Facets {
	get := func(name string) []FacetValue {
		out := []FacetValue{}
		f, ok := fr[name]
		if !ok || f == nil || f.Terms == nil {
			return out
		}
		for _, t := range f.Terms.Terms() {
			if t.Count > 0 {
				out = append(out, FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		sortFacet(out)
		return out
	}
	return Facets{
		District: get(indexer.FieldDistrict),
		Theme:    get(indexer.FieldTheme),
		Section:  get(indexer.FieldSection),
		Type:     get(indexer.FieldType),
	}
}

// sortFacet orders facet values by count, then value.
func sortFacet(vals []FacetValue) {
	sort.Slice(vals, func(i, j int) bool {
		if vals[i].Count != vals[j].Count {
			return vals[i].Count > vals[j].Count
		}
		return vals[i].Value < vals[j].Value
	})
}
