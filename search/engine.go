package search

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// How a query is answered. bleve supplies postings and scores; the rest
// is set arithmetic over ordinals and the in-memory columns:
//
//   - each item of a group yields its verbatim matches (the conjunction
//     of its character bigrams, each candidate verified against the
//     normalised text; one character is a scan of the texts) and, for a
//     bare word, its word matches (the conjunction of its gse words);
//   - a group is the union of its items' matches, the query the
//     intersection of its groups, minus the verbatim matches of every
//     exclusion; filters and facets read the columns;
//   - a match is tier 1 when every group matched verbatim, tier 2 when a
//     group matched by words only. Hits are ranked tier 1 first, then by
//     score (the sum of bleve's scores of the matching items, raised when
//     the title contains the item), then in document order.

// Title boosts: the score is multiplied by 1 + boost for each item whose
// text (boostTitlePhrase) or every segmented word (boostTitleWords)
// occurs in the unit's title.
const (
	boostTitlePhrase = 0.5
	boostTitleWords  = 0.25
)

// maxGramTerms bounds the bigrams of a phrase looked up: candidates
// are verified against the text anyway, so a long phrase is pinned by a
// spread of its bigrams.
const maxGramTerms = 8

// cand is a match being evaluated.
type cand struct {
	ord   int32
	score float32
	exact bool // every group so far matched verbatim
}

// compile prepares a parsed query.
func (s *Service) compile(q *Query) *plan {
	p := &plan{q: q, seg: s.seg.Load()}
	for _, g := range q.Groups {
		for _, it := range g {
			if it.Phrase {
				p.terms = append(p.terms, `"`+it.Text+`"`)
			} else {
				p.terms = append(p.terms, it.Text)
			}
			if it.Phrase || p.seg == nil {
				p.words = append(p.words, nil)
				continue
			}
			words := uniq(p.seg.Terms(it.Text))
			p.words = append(p.words, words)
			if len(words) > 1 || (len(words) == 1 && words[0] != strings.ToLower(it.Text)) {
				p.terms = append(p.terms, words...)
			}
		}
	}
	p.terms = uniq(p.terms)
	p.hideTargets = !slices.Contains(q.Types, string(corpus.TypeTarget)) && q.TargetMin == nil && q.TargetMax == nil
	p.filter = s.cols.compileFilter(q, p.hideTargets)
	return p
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

// run evaluates the plan: the page of hits (ordinals with scores), the
// total and the facets over every match.
func (s *Service) run(ctx context.Context, p *plan, offset, limit int) ([]cand, uint64, Facets, error) {
	c := s.cols
	fc := c.newCounter()
	k := offset + limit
	var total uint64
	var page []cand // filters only: the page, in document order
	top := &topK{k: k, c: c, prio: c.rank.prio}
	maxBoost := p.maxTitleBoost()
	err := s.visit(ctx, p, fc, func(m cand, scored bool) {
		if !scored {
			if int(total) >= offset && len(page) < limit {
				page = append(page, m)
			}
			total++
			return
		}
		total++
		if k > 0 {
			if len(top.h) == k && !top.better(cand{ord: m.ord, score: m.score * maxBoost, exact: m.exact}, top.h[0]) {
				return
			}
			m.score *= s.titleBoost(p, m.ord) * s.shape(p, m.ord)
			top.push(m)
		}
	})
	if err != nil {
		return nil, 0, Facets{}, err
	}
	if len(p.q.Groups) == 0 {
		return page, total, fc.facets(c), nil
	}
	sorted := top.sorted()
	if offset >= len(sorted) {
		return nil, total, fc.facets(c), nil
	}
	return sorted[offset:], total, fc.facets(c), nil
}

// maxTitleBoost bounds the factor titleBoost gives a match of p: a match
// that cannot reach the page even so is not looked at.
func (p *plan) maxTitleBoost() float32 {
	b := float32(1)
	for _, g := range p.q.Groups {
		for range g {
			b *= 1 + boostTitlePhrase
		}
	}
	return b
}

// visit calls fn for every entry p matches, in ordinal order (scored) —
// or every entry in document order when p has filters only (not scored)
// — that passes p's filters and is not a target hidden from the hits;
// every entry that passes the filters is counted in fc. ctx is checked
// every ctxCheckEvery entries.
func (s *Service) visit(ctx context.Context, p *plan, fc *facetCounter, fn func(m cand, scored bool)) error {
	c := s.cols
	one := func(m cand, scored bool) {
		if c.dead != nil && c.dead[m.ord] {
			return
		}
		if !c.pass(p.filter, m.ord) {
			return
		}
		hidden := c.isHiddenTarget(p.filter, m.ord)
		fc.add(c, m.ord, hidden)
		if !hidden {
			fn(m, scored)
		}
	}
	if len(p.q.Groups) == 0 {
		// filters alone: the entries in sequence order, of the documents
		// that can pass only (columns.scanRanges)
		lo, hi := c.scanRanges(p.filter)
		visited := 0
		for i := range lo {
			for seq := lo[i]; seq < hi[i]; seq++ {
				if visited%ctxCheckEvery == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				visited++
				one(cand{ord: *c.ord.at(seq)}, false)
			}
		}
		return nil
	}
	matches, err := s.matches(ctx, p)
	if err != nil {
		return err
	}
	for i, m := range matches {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		one(m, true)
	}
	return nil
}

// matches returns every entry matching the groups and no exclusion,
// in ordinal order.
func (s *Service) matches(ctx context.Context, p *plan) ([]cand, error) {
	var acc []cand
	first := firstItems(p.q.Groups)
	for i, gi := range s.groupOrder(p, first) {
		g := p.q.Groups[gi]
		k := first[gi]
		// after the first group only entries already matching can
		// match: later groups verify just those
		var within []cand
		if i > 0 {
			within = acc
		}
		var group []cand
		for _, it := range g {
			ex, err := s.exact(ctx, it.Text, true, within)
			if err != nil {
				return nil, err
			}
			group = union(group, toCands(ex, true))
			if words := p.words[k]; len(words) > 0 {
				w, err := s.wordMatches(ctx, words, within)
				if err != nil {
					return nil, err
				}
				group = union(group, toCands(w, false))
			}
			k++
		}
		if i == 0 {
			acc = group
		} else {
			acc = intersect(acc, group)
		}
		if len(acc) == 0 {
			return nil, nil
		}
	}
	for _, e := range p.q.Exclude {
		ex, err := s.exact(ctx, e, false, acc)
		if err != nil {
			return nil, err
		}
		acc = subtract(acc, ex)
	}
	return acc, nil
}

// firstItems returns the index of each group's first item among all the
// items of the groups, in order (the index into plan.words).
func firstItems(groups []Group) []int {
	out := make([]int, len(groups))
	n := 0
	for i, g := range groups {
		out[i] = n
		n += len(g)
	}
	return out
}

// groupOrder returns the order in which to evaluate the groups of p:
// cheapest first, so that the expensive ones verify only the entries
// that already match. A group's cost is bounded by its candidates: for
// each item, the fewest texts holding one of its bigrams, plus the same
// for its words; an item of one character, or a word of one, is a scan.
// The intersection does not depend on the order.
func (s *Service) groupOrder(p *plan, first []int) []int {
	order := make([]int, len(p.q.Groups))
	cost := make([]int, len(p.q.Groups))
	bound := func(text string) int {
		keys := indexer.GramKeys(text)
		if len(keys) == 0 {
			return s.cols.n
		}
		return s.ix.GramCount(keys)
	}
	for gi, g := range p.q.Groups {
		order[gi] = gi
		for j, it := range g {
			cost[gi] += bound(it.Text)
			for _, w := range p.words[first[gi]+j] {
				cost[gi] += bound(w)
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cost[a] - cost[b] })
	return order
}

// exact returns the entries whose normalised text contains norm, in
// ordinal order; when within is not nil, only those among within. The
// index's bigram postings yield the candidates (the texts holding all of
// norm's bigrams, or a spread of them); each is verified and its
// occurrences counted in the text, which gives the score: the tf-idf shape
// bleve uses, √tf · idf² / √length, with tf the number of occurrences of
// the whole phrase and idf from the number of candidate texts over the
// whole index (the same in every shard, and known before verification, so
// a group verified only within the matches of earlier groups scores
// alike). A two-character phrase is one bigram, exact without
// verification; it is scored with tf 1 rather than scanning every text
// that contains it. A single character is found by a scan of the texts
// (the postings hold no single characters: they would double their size
// for a rare kind of query).
func (s *Service) exact(ctx context.Context, norm string, score bool, within []cand) ([]indexer.Posting, error) {
	c := s.cols
	var out []indexer.Posting
	df := -1         // texts containing norm, or its bigram candidates; -1: len(out)
	var ords []int32 // the texts to verify
	switch n := utf8.RuneCountInString(norm); {
	case n == 0:
		return nil, nil
	case n == 1 && within != nil:
		ords = make([]int32, len(within))
		for i, m := range within {
			ords[i] = m.ord
		}
	case n == 1:
		ords = make([]int32, c.n)
		for o := range ords {
			ords[o] = int32(o)
		}
	default:
		keys := indexer.GramKeys(norm)
		if len(keys) > maxGramTerms {
			picked := make([]uint64, 0, maxGramTerms)
			for i := range maxGramTerms {
				picked = append(picked, keys[i*(len(keys)-1)/(maxGramTerms-1)])
			}
			keys = slices.Compact(picked)
		}
		var err error
		if ords, err = s.ix.Candidates(keys); err != nil {
			return nil, err
		}
		df = len(ords)
		if within != nil {
			ords = keep(ords, within)
		}
		if n == 2 { // one bigram: every candidate holds it
			out = make([]indexer.Posting, len(ords))
			for i, o := range ords {
				out[i] = indexer.Posting{Ord: o, Score: 1}
			}
			ords = nil
		}
	}
	if ords != nil {
		var err error
		if out, err = s.verify(ctx, ords, norm); err != nil {
			return nil, err
		}
	}
	if !score {
		return out, nil
	}
	if df < 0 {
		df = len(out)
	}
	idf := 1 + math.Log(float64(c.n)/float64(df+1))
	for i, m := range out {
		l := max(1, c.e.at(m.Ord).runes)
		out[i].Score = float32(math.Sqrt(float64(m.Score)) * idf * idf / math.Sqrt(float64(l)))
	}
	return out, nil
}

// verifyChunk is the number of candidates verified between checks of the
// context, and the least a core is given when verification is split.
const verifyChunk = 2048

// verify returns the entries of ords (in increasing order) whose
// normalised text contains norm, in the same order, each scored with its
// number of occurrences. Many candidates are split over the cores: each
// verifies a contiguous run, and the runs are joined in order.
func (s *Service) verify(ctx context.Context, ords []int32, norm string) ([]indexer.Posting, error) {
	c := s.cols
	pos := c.rarestByte(norm)
	run := func(ords []int32) ([]indexer.Posting, error) {
		out := make([]indexer.Posting, 0, min(len(ords), 1<<16))
		for i, o := range ords {
			if i%verifyChunk == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if n := countAt(c.norm(o), norm, pos); n > 0 {
				out = append(out, indexer.Posting{Ord: o, Score: float32(n)})
			}
		}
		return out, nil
	}
	k := min(runtime.GOMAXPROCS(0), len(ords)/verifyChunk)
	if k <= 1 {
		return run(ords)
	}
	parts := make([][]indexer.Posting, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	for w := range k {
		wg.Go(func() {
			parts[w], errs[w] = run(ords[w*len(ords)/k : (w+1)*len(ords)/k])
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// keep returns the ordinals of ords that are in within (both in
// increasing order).
func keep(ords []int32, within []cand) []int32 {
	out := ords[:0]
	j := 0
	for _, o := range ords {
		for j < len(within) && within[j].ord < o {
			j++
		}
		if j < len(within) && within[j].ord == o {
			out = append(out, o)
		}
	}
	return out
}

// wordMatches returns the entries containing every word, with scores;
// when within is not nil, only those among within.
func (s *Service) wordMatches(ctx context.Context, words []string, within []cand) ([]indexer.Posting, error) {
	qs := make([]query.Query, len(words))
	for i, w := range words {
		tq := query.NewTermQuery(w)
		tq.SetField(indexer.FieldWords)
		qs[i] = tq
	}
	var q query.Query = qs[0]
	if len(qs) > 1 {
		q = query.NewConjunctionQuery(qs)
	}
	if within == nil {
		return s.ix.Postings(ctx, q, true)
	}
	ords := make([]int32, len(within))
	for i, m := range within {
		ords[i] = m.ord
	}
	return s.ix.PostingsWithin(ctx, q, true, ords)
}

// titleBoost is the factor for the entry's title: an item verbatim in the
// title, or all its words.
func (s *Service) titleBoost(p *plan, o int32) float32 {
	if !s.cols.hasTitle(o) {
		return 1
	}
	title := s.cols.title(o, s.cols.norm(o))
	if title == "" {
		return 1
	}
	f := float32(1)
	k := 0
	for _, g := range p.q.Groups {
		for _, it := range g {
			switch {
			case strings.Contains(title, it.Text):
				f *= 1 + boostTitlePhrase
			case len(p.words[k]) > 0 && allIn(title, p.words[k]):
				f *= 1 + boostTitleWords
			}
			k++
		}
	}
	return f
}

func allIn(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func toCands(ps []indexer.Posting, exact bool) []cand {
	out := make([]cand, len(ps))
	for i, m := range ps {
		out[i] = cand{ord: m.Ord, score: m.Score, exact: exact}
	}
	return out
}

// union merges two ordinal-sorted lists: an entry in both scores the sum
// and is verbatim when either is.
func union(a, b []cand) []cand {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]cand, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].ord < b[j].ord:
			out = append(out, a[i])
			i++
		case a[i].ord > b[j].ord:
			out = append(out, b[j])
			j++
		default:
			out = append(out, cand{ord: a[i].ord, score: a[i].score + b[j].score, exact: a[i].exact || b[j].exact})
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// intersect keeps the entries in both lists: scores add, verbatim when
// both are.
func intersect(a, b []cand) []cand {
	out := a[:0]
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].ord < b[j].ord:
			i++
		case a[i].ord > b[j].ord:
			j++
		default:
			out = append(out, cand{ord: a[i].ord, score: a[i].score + b[j].score, exact: a[i].exact && b[j].exact})
			i++
			j++
		}
	}
	return out
}

// subtract removes the entries of b from a.
func subtract(a []cand, b []indexer.Posting) []cand {
	out := a[:0]
	j := 0
	for _, m := range a {
		for j < len(b) && b[j].Ord < m.ord {
			j++
		}
		if j < len(b) && b[j].Ord == m.ord {
			continue
		}
		out = append(out, m)
	}
	return out
}

// topK keeps the k best matches: tier 1 first, then by score, then by
// the priority of the document (see docPriority), then in document order.
type topK struct {
	k    int
	c    *columns
	prio []uint8 // by document index
	h    []cand  // a heap with the worst kept match at the root
}

// better reports whether a ranks before b.
func (t *topK) better(a, b cand) bool {
	if a.exact != b.exact {
		return a.exact
	}
	if a.score != b.score {
		return a.score > b.score
	}
	if pa, pb := t.prio[t.c.e.at(a.ord).doc], t.prio[t.c.e.at(b.ord).doc]; pa != pb {
		return pa > pb
	}
	return *t.c.seq.at(a.ord) < *t.c.seq.at(b.ord)
}

func (t *topK) Len() int           { return len(t.h) }
func (t *topK) Less(i, j int) bool { return t.better(t.h[j], t.h[i]) }
func (t *topK) Swap(i, j int)      { t.h[i], t.h[j] = t.h[j], t.h[i] }
func (t *topK) Push(x any)         { t.h = append(t.h, x.(cand)) }
func (t *topK) Pop() any {
	x := t.h[len(t.h)-1]
	t.h = t.h[:len(t.h)-1]
	return x
}

func (t *topK) push(m cand) {
	if len(t.h) < t.k {
		heap.Push(t, m)
		return
	}
	if t.better(m, t.h[0]) {
		t.h[0] = m
		heap.Fix(t, 0)
	}
}

// sorted returns the kept matches, best first.
func (t *topK) sorted() []cand {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b cand) int {
		if t.better(a, b) {
			return -1
		}
		if t.better(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// ctxCheckEvery is how many entries a scan passes between checks of the
// context.
const ctxCheckEvery = 4096
