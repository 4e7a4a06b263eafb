package search

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// columns hold, by ordinal (see indexer.Index), what a search needs of
// each index entry besides bleve's postings: the normalised text to
// verify phrases, the normalised title for the title boost, and the facet
// values as small integers. Facets, filters and document order are
// computed from them instead of from bleve's doc values, which cost a
// snappy-decoded chunk per match.
type columns struct {
	n   int
	ix  *indexer.Index  // the texts, by sequence number (see norm)
	seq chunked[uint32] // ordinal → sequence number (position in entries)
	ord chunked[int32]  // sequence number → ordinal
	// e holds the values of each entry by ordinal, together: a search
	// reads several of them per entry, and opening writes them in bleve's
	// ordinal order, which is not the order of the segments' columns (one
	// cache miss per entry instead of one per value). The three are kept
	// in chunks that the Service a change builds shares (see newColumns).
	e chunked[entryCols]
	// titlesElsewhere holds the titles that are not in their entry's text
	// (see indexer.Columns.TitleOff)
	titlesElsewhere []string
	// themeIDs holds the themes of every entry (see entryThemes)
	themeIDs []uint16
	// docDistrict is the district of each document, by document index
	docDistrict []uint16
	// docStart holds where each document's entries start, by document
	// index, in sequence numbers, and the number of entries last: a query
	// of filters alone visits the entries of the documents that pass the
	// document filters only (see scanRanges)
	docStart                                       []int32
	districtDict, sectionDict, typeDict, themeDict dict
	docs                                           docColumns
	// bytes counts each byte value over the normalised texts (every 8th
	// text): phrase verification looks for the phrase's rarest byte
	bytes [256]uint64
	// dead marks the entries of documents removed or replaced since
	// their segment was built (nil when there are none): they match
	// nothing
	dead []bool
	// rank shapes scores (see rank.go); titles answers suggestions
	rank   *ranking
	titles *future[*suggester]
	// written counts the entries whose values this build wrote: all of
	// them, those a change added, or none (mapped)
	written int
}

// entryCols are the columns of one entry.
type entryCols struct {
	// target is a target's value, NaN for units and unparsed values
	target float64
	// static is the length and heading factor of the ranking, content
	// the characters besides the label and punctuation (-1: not shaped;
	// see rank.go)
	static  float32
	content int32
	// runes counts the characters of the normalised text
	runes int32
	// titleOff, titleLen place corpus.Normalize(title) in the entry's
	// normalised text, or in titlesElsewhere (indexer.Columns.TitleOff)
	titleOff, titleLen uint32
	// the entry's themes are themeIDs[themeOff : themeOff+themeN]
	themeOff uint32
	themeN   uint16
	// doc is the entry's document index (into docs): the index of its
	// span, which a later change keeps (a removed document's span stays,
	// dead, until its segment goes). The document facets (district,
	// region, doctype, level, status, year) and the date filter are held
	// once per document
	doc          uint32
	section, typ uint16
}

// dict numbers the values of one facet.
type dict struct {
	names []string
	ids   map[string]uint16
}

func (d *dict) id(v string) uint16 {
	if d.ids == nil {
		d.ids = map[string]uint16{}
	}
	if id, ok := d.ids[v]; ok {
		return id
	}
	id := uint16(len(d.names))
	d.ids[v] = id
	d.names = append(d.names, v)
	return id
}

// maxFacetValues bounds the distinct values of one facet (uint16 ids).
const maxFacetValues = math.MaxUint16

// docSpan is one document of an index, in sequence order: its entries
// are the sequence numbers start … start+n-1. A removed document (dead)
// keeps its span, with a placeholder document, until its segment goes.
type docSpan struct {
	doc      *corpus.Document
	start, n int32
	dead     bool
}

// newColumns builds the columns of the entries of ix from its segments'
// persisted columns, with the document of each span: no text is read.
// With sv, the served columns of this very state (see servedFile), the
// entries' values are sv's, checked, and only what is per document or per
// segment is built. With prev, the columns of the Service before a change
// whose index is a prefix of ix (the same segments, with ix's added after
// them; see library.service), prev's chunks are shared and only the
// entries of the added segments are written: a change costs its own
// entries and the per-document columns, not the whole collection.
func newColumns(ix *indexer.Index, spans []docSpan, sv *served, prev *columns) (*columns, error) {
	n := ix.Len()
	c := &columns{n: n, ix: ix}
	from := 0 // entries before from are prev's, or sv's
	switch {
	case sv != nil:
		if len(sv.ord) != n || len(sv.seq) != n || len(sv.e) != n {
			return nil, fmt.Errorf("served columns of %d entries for %d", len(sv.e), n)
		}
		c.ord, c.seq, c.e = chunksOf(sv.ord), chunksOf(sv.seq), chunksOf(sv.e)
		from = n
	case prev != nil:
		if prev.n > n {
			return nil, fmt.Errorf("columns of %d entries extended to %d", prev.n, n)
		}
		c.ord, c.seq, c.e = prev.ord.grown(n), prev.seq.grown(n), prev.e.grown(n)
		from = prev.n
	default:
		c.ord, c.seq, c.e = newChunked[int32](n), newChunked[uint32](n), newChunked[entryCols](n)
	}
	c.written = n - from
	if from < n {
		ix.SegmentSeqs(func(base int, seq []uint32) {
			if base < from {
				return
			}
			for lo, q := range seq {
				o, s := int32(base+lo), int32(base)+int32(q)
				*c.seq.at(o), *c.ord.at(s) = uint32(s), o
			}
		})
	}
	// the document index of an entry is its span's
	next := int32(0)
	for i, sp := range spans {
		if sp.start != next || int(sp.start+sp.n) > n {
			return nil, corpus.Errorf(corpus.EINTERNAL, "文档 %d 的条目范围无效", i)
		}
		next = sp.start + sp.n
		c.docStart = append(c.docStart, sp.start)
		c.docs.add(sp.doc)
		c.docDistrict = append(c.docDistrict, c.districtDict.id(sp.doc.District))
	}
	if int(next) != n {
		return nil, corpus.Errorf(corpus.EINTERNAL, "索引有 %d 条，文档共 %d 条", n, next)
	}
	c.docStart = append(c.docStart, next)
	var spanOfSeq []uint32 // for the entries from on
	if from < n {
		spanOfSeq = make([]uint32, n-from)
		for i, sp := range spans {
			for q := max(int(sp.start), from); q < int(sp.start+sp.n); q++ {
				spanOfSeq[q-from] = uint32(i)
			}
		}
	}
	// the themes and stray titles of the parts not yet in prev are
	// appended: sized once, so that no part copies the ones before it
	// (prev's are shared when they leave room: prev reads only its own)
	themes, titles := 0, 0
	ix.Parts(func(_ int, pc *indexer.Columns) {
		themes += len(pc.Theme)
		titles += len(pc.Titles)
	})
	if uint64(themes) > math.MaxUint32 {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "主题标注过多")
	}
	switch {
	case sv != nil:
		if len(sv.themeIDs) != themes {
			return nil, fmt.Errorf("served columns of %d themes for %d", len(sv.themeIDs), themes)
		}
		c.themeIDs = sv.themeIDs
	case prev != nil:
		c.themeIDs = slices.Grow(prev.themeIDs, themes-len(prev.themeIDs))
		c.bytes = prev.bytes
		for _, d := range []struct{ to, from *dict }{{&c.sectionDict, &prev.sectionDict}, {&c.typeDict, &prev.typeDict}, {&c.themeDict, &prev.themeDict}} {
			d.to.names, d.to.ids = slices.Clone(d.from.names), maps.Clone(d.from.ids)
		}
	default:
		// room for the themes of a few changes, which then share them
		c.themeIDs = make([]uint16, 0, themes+themes/8)
	}
	c.titlesElsewhere = make([]string, 0, titles)
	if prev != nil {
		c.titlesElsewhere = append(c.titlesElsewhere, prev.titlesElsewhere...)
	}
	var err error
	ix.Parts(func(base int, pc *indexer.Columns) {
		if err != nil || prev != nil && base < from {
			return
		}
		// the parts sv holds give their dictionaries, titles and bytes
		// only; the parts not in prev are built
		build := base >= from
		if build {
			// the per-entry arrays are read below
			if cerr := pc.Check(); cerr != nil {
				err = &corpus.Error{Code: corpus.EINVALID, Message: "索引已损坏（条目列无效），请运行 zhengce index 重新建立索引", Err: cerr}
				return
			}
		}
		remap := func(names []string, d *dict) []uint16 {
			out := make([]uint16, len(names))
			for i, v := range names {
				out[i] = d.id(v)
			}
			return out
		}
		types, parts, themes := remap(pc.Types, &c.typeDict), remap(pc.Parts, &c.sectionDict), remap(pc.Themes, &c.themeDict)
		// the part's titles found elsewhere, renumbered into c.titles
		elsewhere := uint32(len(c.titlesElsewhere))
		c.titlesElsewhere = append(c.titlesElsewhere, pc.Titles...)
		for b, k := range pc.Bytes {
			c.bytes[b] += k
		}
		if !build {
			return
		}
		isSection := make([]bool, len(pc.Types))
		for i, t := range pc.Types {
			isSection[i] = t == string(corpus.TypeSection)
		}
		// the themes of the part in this Service's numbering, appended to
		// themeIDs: each entry's themes are a run of it
		if uint64(len(c.themeIDs))+uint64(len(pc.Theme)) > math.MaxUint32 {
			err = corpus.Errorf(corpus.ETOOLARGE, "主题标注过多")
			return
		}
		at := uint32(len(c.themeIDs))
		for _, t := range pc.Theme {
			c.themeIDs = append(c.themeIDs, themes[t])
		}
		parallelRange(pc.Len(), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				a, b := pc.ThemeStart[i], pc.ThemeStart[i+1]
				e := entryCols{
					target: pc.Target[i], static: 1, content: pc.Content[i], runes: pc.Runes[i],
					titleOff: pc.TitleOff[i], titleLen: pc.TitleLen[i],
					themeOff: at + a, themeN: uint16(min(b-a, math.MaxUint16)),
					doc: spanOfSeq[base+i-from], section: parts[pc.Part[i]], typ: types[pc.Type[i]],
				}
				if e.titleOff == indexer.TitleElsewhere {
					e.titleLen += elsewhere
				}
				if e.content >= 0 {
					e.static = staticFactor(e.runes, isSection[pc.Type[i]])
				}
				*c.e.at(*c.ord.at(int32(base + i))) = e
			}
		})
	})
	if err != nil {
		return nil, err
	}
	for _, d := range []*dict{&c.districtDict, &c.sectionDict, &c.typeDict, &c.themeDict, &c.docs.doctypeDict, &c.docs.levelDict, &c.docs.statusDict} {
		if len(d.names) > maxFacetValues {
			return nil, corpus.Errorf(corpus.ETOOLARGE, "分面取值过多：%d", len(d.names))
		}
	}
	c.rank = newRanking(spans)
	rank := c.rank
	c.titles = goFuture(func() *suggester { return newSuggester(rank) })
	// the segments' columns were read once; their pages go back to the
	// page cache
	if err := ix.DropColumnPages(); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	return c, nil
}

// norm returns the normalised text of the entry with ordinal o. It
// shares the index's mapping: valid while the search holds the Service.
func (c *columns) norm(o int32) string { return c.ix.NormText(int(*c.seq.at(o))) }

// title returns the normalised title of the entry with ordinal o ("" for
// none), in its normalised text n (c.norm(o)).
func (c *columns) title(o int32, n string) string {
	return indexer.TitleIn(c.e.at(o).titleOff, c.e.at(o).titleLen, n, c.titlesElsewhere)
}

// entryThemes returns the theme ids of the entry with ordinal o.
func (c *columns) entryThemes(o int32) []uint16 {
	a := c.e.at(o).themeOff
	return c.themeIDs[a : a+uint32(c.e.at(o).themeN)]
}

// hasTitle reports whether the entry with ordinal o has a title.
func (c *columns) hasTitle(o int32) bool { return c.e.at(o).titleOff != indexer.NoTitle }

// lookup returns the ids of the named facet values; unknown names match
// nothing and are left out.
func (d *dict) lookup(names []string) []uint16 {
	var out []uint16
	for _, v := range names {
		if id, ok := d.ids[v]; ok {
			out = append(out, id)
		}
	}
	return out
}

// filter is a compiled set of facet filters and a target range.
type filter struct {
	district, section, typ, theme []uint16
	hasDistrict, hasSection       bool
	hasType, hasTheme             bool
	min, max                      *float64
	hideTargets                   bool
	targetType                    uint16
	hasTargetType                 bool
	// docPass, when not nil, tells by document index whether the
	// document passes the document filters
	docPass []bool
}

func (c *columns) compileFilter(q *Query, hideTargets bool) *filter {
	f := &filter{
		hasDistrict: len(q.Districts) > 0, district: c.districtDict.lookup(q.Districts),
		hasSection: len(q.Sections) > 0, section: c.sectionDict.lookup(q.Sections),
		hasType: len(q.Types) > 0, typ: c.typeDict.lookup(q.Types),
		hasTheme: len(q.Themes) > 0, theme: themeFilter(&c.themeDict, q.Themes),
		min: q.TargetMin, max: q.TargetMax, hideTargets: hideTargets,
	}
	f.targetType, f.hasTargetType = c.typeDict.ids[string(corpus.TypeTarget)]
	if q.hasDocFilters() {
		f.docPass = c.docs.pass(q)
	}
	return f
}

// scanRanges returns the ranges of sequence numbers [lo[i], hi[i]), in
// order, that hold every entry that can pass f: all entries, or, when f
// filters by document (district, or the document facets and dates), the
// entries of the documents that pass those filters — a query of filters
// alone then costs the entries of a district, not of the collection.
func (c *columns) scanRanges(f *filter) (lo, hi []int32) {
	if !f.hasDistrict && f.docPass == nil {
		return []int32{0}, []int32{int32(c.n)}
	}
	for d := range len(c.docStart) - 1 {
		if c.docPasses(f, d) {
			lo, hi = append(lo, c.docStart[d]), append(hi, c.docStart[d+1])
		}
	}
	return lo, hi
}

// docPasses reports whether the document with index d passes the
// document filters of f (pass checks them for each of its entries).
func (c *columns) docPasses(f *filter, d int) bool {
	if f.docPass != nil && !f.docPass[d] {
		return false
	}
	return !f.hasDistrict || slices.Contains(f.district, c.docDistrict[d])
}

// pass reports whether the entry with ordinal o passes the filters (the
// hiding of targets aside: see isHiddenTarget).
func (c *columns) pass(f *filter, o int32) bool {
	e := c.e.at(o)
	if !c.docPasses(f, int(e.doc)) {
		return false
	}
	if f.hasSection && !slices.Contains(f.section, e.section) {
		return false
	}
	if f.hasType && !slices.Contains(f.typ, e.typ) {
		return false
	}
	if f.hasTheme {
		ok := false
		for _, t := range c.entryThemes(o) {
			if slices.Contains(f.theme, t) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if f.min != nil || f.max != nil {
		v := e.target
		if math.IsNaN(v) || (f.min != nil && v < *f.min) || (f.max != nil && v > *f.max) {
			return false
		}
	}
	return true
}

// isHiddenTarget reports whether o is a target hidden from the hits (it
// still counts in the type facet).
func (c *columns) isHiddenTarget(f *filter, o int32) bool {
	return f.hideTargets && f.hasTargetType && c.e.at(o).typ == f.targetType
}

// facetCounter counts facet values over matches.
type facetCounter struct {
	district, section, typ, theme []int
	doc                           []int // matches by document index
}

func (c *columns) newCounter() *facetCounter {
	return &facetCounter{
		district: make([]int, len(c.districtDict.names)), section: make([]int, len(c.sectionDict.names)),
		typ: make([]int, len(c.typeDict.names)), theme: make([]int, len(c.themeDict.names)),
		doc: make([]int, len(c.docs.region)),
	}
}

// add counts o; a hidden target counts in the type facet only.
func (fc *facetCounter) add(c *columns, o int32, hidden bool) {
	e := c.e.at(o)
	fc.typ[e.typ]++
	if hidden {
		return
	}
	fc.district[c.docDistrict[e.doc]]++
	fc.doc[e.doc]++
	fc.section[e.section]++
	for _, t := range c.entryThemes(o) {
		fc.theme[t]++
	}
}

func (fc *facetCounter) facets(c *columns) Facets {
	get := func(counts []int, d *dict) []FacetValue {
		out := []FacetValue{}
		for id, n := range counts {
			if n > 0 && d.names[id] != "" {
				out = append(out, FacetValue{Value: d.names[id], Count: n})
			}
		}
		sortFacet(out)
		return out
	}
	out := Facets{
		District: get(fc.district, &c.districtDict),
		Theme:    themeTree(fc.theme, &c.themeDict),
		Section:  get(fc.section, &c.sectionDict),
		Type:     get(fc.typ, &c.typeDict),
	}
	c.docs.facets(fc.doc, &out)
	return out
}

// rarestByte returns the position in sep of its byte that is rarest in
// the texts.
func (c *columns) rarestByte(sep string) int {
	best := 0
	for i := 1; i < len(sep); i++ {
		if c.bytes[sep[i]] < c.bytes[sep[best]] {
			best = i
		}
	}
	return best
}

// countAt is strings.Count(s, sep) for a non-empty sep, found by its byte
// at position pos (the rarest, see rarestByte): in Chinese text the first
// byte of a character is shared by thousands of characters, so
// strings.Count's first-byte scan stops every few bytes, while a
// continuation byte is far rarer. Occurrences are counted leftmost first
// and without overlap, like strings.Count (TestCountAt).
func countAt(s, sep string, pos int) int {
	n, i := 0, 0
	b := sep[pos]
	for i+len(sep) <= len(s) {
		j := strings.IndexByte(s[i+pos:], b)
		if j < 0 {
			break
		}
		start := i + j // sep would start here
		if start+len(sep) > len(s) {
			break
		}
		if s[start:start+len(sep)] == sep {
			n++
			i = start + len(sep)
		} else {
			i = start + 1
		}
	}
	return n
}

// parallelRange calls fn on contiguous ranges covering [0, n), one per
// core when n is large enough to pay for it.
func parallelRange(n int, fn func(lo, hi int)) {
	k := min(runtime.GOMAXPROCS(0), n/(1<<15))
	if k <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range k {
		wg.Go(func() { fn(w*n/k, (w+1)*n/k) })
	}
	wg.Wait()
}
