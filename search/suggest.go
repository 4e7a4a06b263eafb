package search

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// MaxSuggestions is the most suggestions Suggest returns.
const MaxSuggestions = 10

// maxSuggestRunes bounds the text Suggest looks up.
const maxSuggestRunes = 100

// Suggestion is a document offered while a query is typed: a title or
// short name (the title without 中华人民共和国) that begins with or
// contains what was typed. A work with several versions is offered
// once, as its current version.
type Suggestion struct {
	Title string `json:"title"`
	// Short is the short name (民法典 for 中华人民共和国民法典), when it
	// differs from the title.
	Short  string `json:"short,omitempty"`
	DocID  string `json:"doc_id"`
	URL    string `json:"url"` // the document's reader page
	Status string `json:"status,omitempty"`
	// Versions is the number of versions of the work, when more than one.
	Versions int `json:"versions,omitempty"`
}

// suggester is an in-memory index of titles: the lookup keys of every
// work (normalised full title and short name, see jumpKey) sorted for
// prefix search, and the distinct keys in one list for substring search.
type suggester struct {
	keys  []sugKey           // sorted by key
	works []*corpus.Document // current version of each work, in corpus order
}

// sugKey is one lookup key of a work.
type sugKey struct {
	key   string
	work  int32
	short bool
}

// newSuggester indexes the titles of the documents of r.
func newSuggester(r *ranking) *suggester {
	s := &suggester{}
	idx := map[string]int32{} // work id (current version) → index
	for i := range r.docs {
		cur := r.docs[r.work[i]]
		if _, ok := idx[cur.ID]; ok {
			continue
		}
		w := int32(len(s.works))
		idx[cur.ID] = w
		s.works = append(s.works, cur)
		for i, k := range titleKeys(cur.Title) {
			s.keys = append(s.keys, sugKey{key: strings.ToLower(k), work: w, short: i > 0})
		}
	}
	slices.SortFunc(s.keys, func(a, b sugKey) int { return strings.Compare(a.key, b.key) })
	return s
}

// Suggest returns at most limit (1..MaxSuggestions; 0 means
// MaxSuggestions) documents whose title or short name matches q: an
// exact name first, then names beginning with q, then names containing
// it; shorter names first within each, then in corpus order. q is
// normalised like a title (NFKC, without 《》, punctuation and spaces).
func (s *Service) Suggest(q string, limit int) []Suggestion {
	if limit <= 0 || limit > MaxSuggestions {
		limit = MaxSuggestions
	}
	if utf8.RuneCountInString(q) > maxSuggestRunes {
		return []Suggestion{}
	}
	return s.cols.titles.get().lookup(strings.ToLower(jumpKey(q)), limit)
}

// lookup returns the suggestions for a normalised key.
func (s *suggester) lookup(q string, limit int) []Suggestion {
	out := []Suggestion{}
	if q == "" {
		return out
	}
	type found struct {
		work        int32
		class, size int
	}
	best := map[int32]found{}
	add := func(k sugKey, class int) {
		f := found{work: k.work, class: class, size: len(k.key)}
		if b, ok := best[k.work]; ok && (b.class < f.class || b.class == f.class && b.size <= f.size) {
			return
		}
		best[k.work] = f
	}
	// prefix matches: a run of the sorted keys
	i := sort.Search(len(s.keys), func(i int) bool { return s.keys[i].key >= q })
	for ; i < len(s.keys) && strings.HasPrefix(s.keys[i].key, q); i++ {
		if s.keys[i].key == q {
			add(s.keys[i], 0)
		} else {
			add(s.keys[i], 1)
		}
	}
	// substring matches: a scan, needed only when the prefixes leave room
	if len(best) < limit {
		for _, k := range s.keys {
			if _, ok := best[k.work]; !ok && strings.Contains(k.key, q) {
				add(k, 2)
			}
		}
	}
	fs := make([]found, 0, len(best))
	for _, f := range best {
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(a, b found) int {
		if a.class != b.class {
			return a.class - b.class
		}
		if a.size != b.size {
			return a.size - b.size
		}
		return int(a.work - b.work)
	})
	for _, f := range fs[:min(len(fs), limit)] {
		d := s.works[f.work]
		sg := Suggestion{Title: d.Title, DocID: d.ID, URL: "/d/" + url.PathEscape(d.ID), Status: d.Status}
		if short := strings.TrimPrefix(d.Title, "中华人民共和国"); short != d.Title && short != "" {
			sg.Short = short
		}
		if len(d.Versions) > 1 {
			sg.Versions = len(d.Versions)
		}
		out = append(out, sg)
	}
	return out
}
