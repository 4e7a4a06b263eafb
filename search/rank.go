package search

import (
	"math"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

// Ranking of units that say something. bleve's scores and the verbatim
// scores of exact are tf-idf with a length norm of 1/√length, which
// favours the shortest units: a heading 第二章 养犬登记 or a bare list
// item （一）办理养犬登记； would outrank every article about dogs. The
// score of a unit is therefore multiplied by
//
//   - a length factor √(length / max(length, minNormRunes)): below
//     minNormRunes characters a unit is scored as if it had that many;
//   - headingFactor for a heading (type section): a heading match still
//     counts, for its document and when nothing else matches, but an
//     article about the words comes first;
//   - a content factor: the characters of the unit that are neither its
//     label, punctuation nor occurrences of the query, over
//     contentRunes (at most 1, at least minContent): a unit that only
//     repeats the query says nothing about it.
//
// The title unit of a document (the known item) and targets keep their
// score. Every factor is at most 1, so the bound a match is pruned with
// still holds. Equal scores go to the current version (现行 before
// 已修改), then to the more specific jurisdiction, then document order.
const (
	minNormRunes  = 20
	headingFactor = 0.6
	contentRunes  = 12
	minContent    = 0.25
)

// ranking holds the priority of each document (by document index, see
// columns.e) on ties; the shaping factors of each entry are in its
// columns (entryCols.static, entryCols.content).
type ranking struct {
	prio []uint8 // by document index: current version, then depth of the jurisdiction
	// docs are the documents by document index, work the document index
	// of each one's current version (itself for a work of one version),
	// docIdx the document index of each id
	docs   []*corpus.Document
	work   []int32
	docIdx map[string]int32
}

// newRanking computes the document priorities of the documents of spans.
// A document's index is its span's, as in newColumns; a removed
// document's span keeps its index, with the placeholder document.
func newRanking(spans []docSpan) *ranking {
	r := &ranking{docIdx: make(map[string]int32, len(spans)), docs: make([]*corpus.Document, len(spans)), prio: make([]uint8, len(spans))}
	for i, sp := range spans {
		d := sp.doc
		r.docs[i], r.prio[i] = d, docPriority(d)
		if !sp.dead {
			r.docIdx[d.ID] = int32(i)
		}
	}
	r.work = make([]int32, len(r.docs))
	for i, d := range r.docs {
		r.work[i] = int32(i)
		if len(d.Versions) > 0 {
			if w, ok := r.docIdx[d.Versions[0]]; ok {
				r.work[i] = w
			}
		}
	}
	return r
}

// staticFactor is the length and heading factor of an entry of runes
// characters that is shaped (see above).
func staticFactor(runes int32, heading bool) float32 {
	n := float64(runes)
	f := math.Sqrt(n / math.Max(n, minNormRunes))
	if heading {
		f *= headingFactor
	}
	return float32(f)
}

// docPriority orders the versions and jurisdictions of equal scores: the
// current version (or a document of one version) first, then the more
// specific jurisdiction.
func docPriority(d *corpus.Document) uint8 {
	var p uint8
	if d.Status != corpus.StatusAmended {
		p = 1 << 4
	}
	if j := d.Jurisdiction; j != nil && j.Level != "national" {
		p |= uint8(min(len(j.Path), 15))
	}
	return p
}

// contentCount counts the characters of s that are not punctuation,
// symbols or spaces.
func contentCount(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r) {
			n++
		}
	}
	return n
}

// shape is the factor of the ranking for the entry o under plan p (see
// above): at most 1.
func (s *Service) shape(p *plan, o int32) float32 {
	e := s.cols.e.at(o)
	f := e.static
	content := e.content
	if content < 0 {
		return f
	}
	norm := s.cols.norm(o)
	rest := int(content)
	k := 0
	for _, g := range p.q.Groups {
		for _, it := range g {
			used := strings.Count(norm, it.Text) * contentCount(it.Text)
			if words := p.words[k]; len(words) > 0 {
				w := 0
				for _, x := range words {
					w += strings.Count(norm, x) * contentCount(x)
				}
				used = max(used, w)
			}
			rest -= used
			k++
		}
	}
	cf := float32(rest) / contentRunes
	switch {
	case cf > 1:
		cf = 1
	case cf < minContent:
		cf = minContent
	}
	return f * cf
}
