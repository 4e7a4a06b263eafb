package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/searcher"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// DefaultTimeout bounds a search whose context has no deadline; the web
// server's request deadline is the same.
const DefaultTimeout = 5 * time.Second

// hitCheckEvery is how many hits are highlighted between checks of the
// context.
const hitCheckEvery = 64

// maxClauses bounds bleve disjunctions. zhengce only builds term and
// phrase queries from at most MaxQueryTerms terms, so the limit is a guard
// against future query types that expand terms (prefix, fuzzy, regexp).
const maxClauses = 1024

// ErrStale marks an index built from another corpus, analyzer or format.
var ErrStale = errors.New("index is stale")

// setClauseLimit sets bleve's process-wide DisjunctionMaxClauseCount once.
var setClauseLimit = sync.OnceFunc(func() { searcher.DisjunctionMaxClauseCount = maxClauses })

// Service answers searches over one opened index and the corpus it was
// built from. It is safe for concurrent use.
type Service struct {
	ix     *indexer.Index
	meta   *indexer.Meta
	c      *corpus.Corpus
	seg    atomic.Pointer[indexer.Segmenter]
	spans  []docSpan        // the documents, in sequence order
	spanOf map[string]int32 // the span of each live document id
	cols   *columns         // by ordinal
	jumps  *future[*jumps]  // titles and articles, for queries naming an article
	// served is the mapped file some of the entries' columns are read
	// from (see servedFile), nil when they were all built in memory;
	// fromFile tells that all of them are, for this very state
	served   *sharedMapping
	fromFile bool
	// servedKey identifies the library state this Service serves (see
	// servedKey); zero outside a library
	servedKey [32]byte
	// segments are the names of the library's segments this Service
	// serves, in order: a change that adds segments after them builds on
	// this Service's columns (see library.service)
	segments []string
}

// Open opens the existing index in dir for querying corpus c. seg may be
// nil: quoted phrases, exclusions and filters need no segmenter, and bare
// words are then matched as exact substrings only until SetSegmenter
// supplies one (so a server can answer while the dictionary loads). An
// index built from another corpus or analyzer is refused with ErrStale.
func Open(dir string, c *corpus.Corpus, seg *indexer.Segmenter) (*Service, error) {
	return open(dir, c, indexer.CorpusFingerprint(c), seg)
}

// open is Open with the corpus fingerprint of c already computed.
func open(dir string, c *corpus.Corpus, corpusFP string, seg *indexer.Segmenter) (*Service, error) {
	setClauseLimit()
	ix, meta, err := indexer.OpenIndex(dir)
	if err != nil {
		return nil, err
	}
	fp := ""
	if seg != nil {
		fp = seg.Fingerprint()
	}
	// the index read now, not only the one Ensure looked at: a rebuild
	// may have replaced it in between
	if !meta.FreshFor(corpusFP, fp) {
		ix.Close()
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引与当前语料或分词器不一致，请重新运行 zhengce index", Err: ErrStale}
	}
	spans := make([]docSpan, 0, len(c.Documents()))
	start := int32(0)
	for _, d := range c.Documents() {
		n := int32(indexer.EntryCount(d))
		spans = append(spans, docSpan{doc: d, start: start, n: n})
		start += n
	}
	s, err := newService(ix, meta, c, spans, seg, nil, nil)
	if err != nil {
		ix.Close()
		return nil, err
	}
	return s, nil
}

// newService returns the Service of ix, whose entries are those of the
// documents of spans, in order; a dead span's entries match nothing.
func newService(ix *indexer.Index, meta *indexer.Meta, c *corpus.Corpus, spans []docSpan, seg *indexer.Segmenter, sv *served, prev *columns) (*Service, error) {
	// the titles are indexed while the columns are built
	jumps := goFuture(func() *jumps { return newJumps(c) })
	cols, err := newColumns(ix, spans, sv, prev)
	if err != nil {
		jumps.get() // not left running
		return nil, err
	}
	s := &Service{ix: ix, meta: meta, c: c, spans: spans, spanOf: make(map[string]int32, len(spans)), cols: cols, jumps: jumps}
	for i, sp := range spans {
		if sp.dead {
			if cols.dead == nil {
				cols.dead = make([]bool, cols.n)
			}
			for q := sp.start; q < sp.start+sp.n; q++ {
				cols.dead[*cols.ord.at(q)] = true
			}
			continue
		}
		s.spanOf[sp.doc.ID] = int32(i)
	}
	if seg != nil {
		s.seg.Store(seg)
	}
	return s, nil
}

// entryAt returns the entry with sequence number seq and its document;
// false for the entry of a removed document or a damaged record.
func (s *Service) entryAt(seq int) (indexer.Entry, bool) {
	i, ok := slices.BinarySearchFunc(s.spans, int32(seq), func(sp docSpan, q int32) int {
		switch {
		case q < sp.start:
			return 1
		case q >= sp.start+sp.n:
			return -1
		}
		return 0
	})
	if !ok || s.spans[i].dead {
		return indexer.Entry{}, false
	}
	e, err := s.ix.Entry(seq)
	if err != nil {
		return indexer.Entry{}, false
	}
	e.Doc = s.spans[i].doc
	return e, true
}

// seqOf returns the sequence number of the unit with the given id.
func (s *Service) seqOf(id string) (int, bool) {
	docID, _, ok := strings.Cut(id, "/")
	if !ok {
		return 0, false
	}
	i, ok := s.spanOf[docID]
	if !ok {
		return 0, false
	}
	sp := s.spans[i]
	for q := sp.start; q < sp.start+sp.n; q++ {
		if uid, ok := s.ix.UnitID(int(q)); ok && uid == id {
			return int(q), true
		}
	}
	return 0, false
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
	corpusFP := indexer.CorpusFingerprint(c) // hashed once for both checks
	m, err := indexer.ReadMeta(dir)
	if err == nil && m.FreshFor(corpusFP, fp) {
		svc, err := open(dir, c, corpusFP, seg)
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
	return open(dir, c, corpusFP, seg)
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

// DropPages hands the pages of the Service's mapped files (its index's
// and its served columns) back to the page cache (see
// indexer.Index.DropPages).
func (s *Service) DropPages() error {
	err := s.ix.DropPages()
	if s.served != nil {
		err = errors.Join(err, s.served.m.DropPages())
	}
	return err
}

// Close closes the index and the served columns' mapping.
func (s *Service) Close() error {
	if s.served != nil {
		return errors.Join(s.ix.Close(), s.served.release())
	}
	return s.ix.Close()
}

// plan is a compiled request.
type plan struct {
	q     *Query
	seg   *indexer.Segmenter
	words [][]string // segmented words of each item, by group then item order
	terms []string
	// hideTargets: targets are not hits (they repeat text of their source
	// unit) unless asked for with type:target or a target range; they
	// still count in the type facet, so a client can offer the filter.
	hideTargets bool
	filter      *filter
	// buf is scratch space for building the highlights of the hits,
	// which are made one at a time.
	buf []byte
}

// Search runs a request. Errors a user can cause are *corpus.Error with
// EINVALID or ETOOLARGE; a search over its deadline fails with ETIMEOUT.
func (s *Service) Search(ctx context.Context, r Request) (*Response, error) {
	start := time.Now()
	p, err := s.prepare(&r)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	resp := &Response{Query: r.Query, Hits: []Hit{}, Terms: p.responseTerms()}
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
	for i, h := range hits {
		if i%hitCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, searchError(ctx, err)
			}
		}
		hit, ok := s.hit(p, int(*s.cols.seq.at(h.ord)), h.score)
		if !ok {
			dropped++
			continue
		}
		resp.Hits = append(resp.Hits, hit)
	}
	if err := s.ix.ReadErr(); err != nil {
		// an entry, text or posting list could not be read (verification,
		// hits, postings: every path of a search ends here): no answer
		// rather than one missing hits
		return nil, fmt.Errorf("search: %w", err)
	}
	if dropped > 0 {
		resp.Total -= uint64(dropped)
		resp.Notice = "部分结果未通过原文校验，计数可能不准确"
	}
	s.addJump(resp, r)
	resp.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return resp, nil
}

// mergeFilters adds the request's facet filters to those of the query.
func mergeFilters(q *Query, r Request) error {
	for _, f := range []struct {
		vals []string
		key  string
	}{{r.Districts, "district"}, {r.Themes, "theme"}, {r.Sections, "section"}, {r.Types, "type"},
		{r.Regions, "region"}, {r.DocTypes, "doctype"}, {r.Levels, "level"}, {r.Statuses, "status"}} {
		if len(f.vals) > MaxFilterValue {
			return corpus.Errorf(corpus.ETOOLARGE, "筛选值过多：每类最多 %d 个", MaxFilterValue)
		}
		for _, v := range f.vals {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if len(v) > 4*MaxFilterRunes || utf8.RuneCountInString(v) > MaxFilterRunes {
				return corpus.Errorf(corpus.ETOOLARGE, "筛选值过长：最多 %d 个字符", MaxFilterRunes)
			}
			if err := q.addFilter(token{key: f.key, text: v}); err != nil {
				return err
			}
		}
	}
	if len(r.Years) > MaxFilterValue {
		return corpus.Errorf(corpus.ETOOLARGE, "筛选值过多：每类最多 %d 个", MaxFilterValue)
	}
	for _, y := range r.Years {
		if y < MinYear || y > MaxYear {
			return corpus.Errorf(corpus.EINVALID, "年份无效：%d（%d–%d）", y, MinYear, MaxYear)
		}
		if !slices.Contains(q.Years, y) {
			q.Years = append(q.Years, y)
		}
	}
	if r.DateFrom != "" || r.DateTo != "" {
		if len(r.DateFrom) > MaxFilterRunes || len(r.DateTo) > MaxFilterRunes {
			return corpus.Errorf(corpus.ETOOLARGE, "筛选值过长：最多 %d 个字符", MaxFilterRunes)
		}
		from, to, err := ParseDateRange(r.DateFrom + ".." + r.DateTo)
		if err != nil {
			return err
		}
		q.narrowDates(from, to)
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

// sortFacet orders facet values by count, then value.
func sortFacet(vals []FacetValue) {
	sort.Slice(vals, func(i, j int) bool {
		if vals[i].Count != vals[j].Count {
			return vals[i].Count > vals[j].Count
		}
		return vals[i].Value < vals[j].Value
	})
}

// addJump answers a query that names an article (《数据安全法》第二十一条,
// 民法典 第1032条, or 第21条 within one document): the article is the
// response's Jump and, on the first page, its first hit; the same unit
// further down is not repeated.
func (s *Service) addJump(resp *Response, r Request) {
	j := s.jumps.get().resolve(r.Query, r.InDoc)
	if j == nil {
		// A query that is a document's title or short name (水文条例 is
		// 中华人民共和国水文条例's) ranks that document's title first.
		d := s.jumps.get().named(r.Query)
		if d == nil || r.Offset > 0 {
			return
		}
		if _, ok := s.seqOf(d.ID + "/" + corpus.PathTitle); !ok {
			return
		}
		s.putFirst(resp, r, d.ID+"/"+corpus.PathTitle, "/c/"+url.PathEscape(d.ID)+"/"+corpus.PathTitle)
		return
	}
	resp.Jump = j
	if r.Offset > 0 {
		return
	}
	s.putFirst(resp, r, j.UnitID, j.URL)
}

// putFirst makes the unit id the first hit of resp, removing it from
// further down.
func (s *Service) putFirst(resp *Response, r Request, id, link string) {
	seq, ok := s.seqOf(id)
	if !ok {
		return
	}
	e, ok := s.entryAt(seq)
	if !ok {
		return
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
	if len(resp.Hits) > 0 {
		h.Score = resp.Hits[0].Score + 1
	} else {
		h.Score = 1
	}
	hits := []Hit{h}
	found := false
	for _, x := range resp.Hits {
		if x.ID == h.ID {
			found = true
			continue
		}
		hits = append(hits, x)
	}
	if len(hits) > r.Limit {
		hits = hits[:r.Limit]
	}
	resp.Hits = hits
	if !found {
		resp.Total++
	}
}

// withDeadline gives ctx the default search deadline when it has none.
func withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}

// responseTerms is how the query was understood, for a response: [] rather
// than null in JSON when a filter-only query has no terms.
func (p *plan) responseTerms() []string {
	if p.terms == nil {
		return []string{}
	}
	return p.terms
}
