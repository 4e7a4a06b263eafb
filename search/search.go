// Package search answers queries against a zhengce index: it parses the
// user's query language, runs exact-phrase and ranked word searches on the
// bleve index built by package indexer, computes facets and highlights.
// The CLI and the HTTP server share it.
package search

// Request is one search.
type Request struct {
	Query     string   // user query in zhengce's query language
	Districts []string // district filter (OR within, AND across facets)
	Themes    []string // theme filter
	Sections  []string // part filter (发展基础, 总体要求, 主要任务, 保障措施, 附件)
	Types     []string // unit type filter
	Limit     int      // page size, 1..MaxLimit; 0 means DefaultLimit
	Offset    int      // hits to skip
	// TargetMin and TargetMax, when set, keep only targets whose promised
	// value lies in the closed range.
	TargetMin *float64
	TargetMax *float64
}

// Limits on requests.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// Response is the answer to a Request; its JSON form is the public API.
type Response struct {
	Query  string  `json:"query"`
	Total  uint64  `json:"total"`
	TookMS float64 `json:"took_ms"`
	Hits   []Hit   `json:"hits"`
	Facets Facets  `json:"facets"`
	// Terms is how the query was understood: phrases and segmented words,
	// shown to users when nothing matched.
	Terms []string `json:"terms"`
	// Notice, when set, is a message for the user about the answer, e.g.
	// that bare words are matched verbatim only while the segmenter loads.
	Notice string `json:"notice,omitempty"`
}

// Hit is one matching unit.
type Hit struct {
	ID         string   `json:"id"`
	DocID      string   `json:"doc_id"`
	DocTitle   string   `json:"doc_title"`
	District   string   `json:"district"`
	Type       string   `json:"type"`
	Section    string   `json:"section"`
	Themes     []string `json:"themes"`
	Path       string   `json:"path"`
	Breadcrumb []string `json:"breadcrumb"`
	Citation   string   `json:"citation"`
	URL        string   `json:"url"`       // permalink /c/{doc_id}/{path}
	Text       string   `json:"text"`      // full display text of the unit
	Highlight  string   `json:"highlight"` // HTML-escaped full text, matches in <mark>
	Fragments  []string `json:"fragments"` // short HTML-escaped fragments around matches
	Score      float64  `json:"score"`
}

// Facets holds the value counts of every facet over all matching units.
type Facets struct {
	District []FacetValue `json:"district"`
	Theme    []FacetValue `json:"theme"`
	Section  []FacetValue `json:"section"`
	Type     []FacetValue `json:"type"`
}

// FacetValue is one value of a facet with the number of matching units.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}
