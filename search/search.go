// Package search answers queries against a zhengce index: it parses the
// user's query language, runs exact-phrase and ranked word searches on the
// bleve index built by package indexer, computes facets and highlights.
// The CLI and the HTTP server share it.
package search

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

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
	// Document filters (see Query): Regions include everything below
	// the named division; DateFrom and DateTo take what a date filter of
	// the query language takes (2020, 2021-06, 2021-06-30) and bound the
	// issue date inclusively.
	Regions  []string // 地区: 山东省, 山东省/东营市, 370500; 全国 is national documents only
	DocTypes []string // 文种
	Levels   []string // 效力级别, one of Levels
	Statuses []string // 现行, 已修改
	Years    []int    // years of issue
	DateFrom string
	DateTo   string
	// InDoc is the document a query is asked within (the reader's search
	// box, `zhengce search --in DOC`): a query 第21条 then names its
	// article. It does not filter the other hits.
	InDoc string
}

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
	// Jump, when the query names an article (《数据安全法》第二十一条),
	// is that unit; it is also the first hit of the first page.
	Jump *Jump `json:"jump,omitempty"`
}

// Hit is one matching unit.
type Hit struct {
	ID       string `json:"id"`
	DocID    string `json:"doc_id"`
	DocTitle string `json:"doc_title"`
	District string `json:"district"`
	// Jurisdiction, DocType, Level, Status and Versions are those of the
	// hit's document (see corpus.Meta); each is left out when unknown,
	// Versions when the work has one version only.
	Jurisdiction *corpus.Jurisdiction `json:"jurisdiction,omitempty"`
	DocType      string               `json:"doctype,omitempty"`
	Level        string               `json:"level,omitempty"`
	Status       string               `json:"status,omitempty"`
	Versions     []string             `json:"versions,omitempty"`
	Type         string               `json:"type"`
	Section      string               `json:"section"`
	Themes       []string             `json:"themes"`
	Path         string               `json:"path"`
	Breadcrumb   []string             `json:"breadcrumb"`
	Citation     string               `json:"citation"`
	URL          string               `json:"url"`       // permalink /c/{doc_id}/{path}
	Text         string               `json:"text"`      // full display text of the unit
	Highlight    string               `json:"highlight"` // HTML-escaped full text, matches in <mark>
	Fragments    []string             `json:"fragments"` // short HTML-escaped fragments around matches
	Score        float64              `json:"score"`
}

// Facets holds the value counts of every facet over all matching units.
// Region is a tree: each division with its count (its own documents'
// matches and those of every division below it) and its children; the
// other facets are flat lists. Lists are ordered by count, then value;
// Level by legal force (法律 before 行政法规 …) and Year newest first.
type Facets struct {
	District []FacetValue `json:"district"`
	Theme    []FacetValue `json:"theme"`
	Section  []FacetValue `json:"section"`
	Type     []FacetValue `json:"type"`
	Region   []FacetValue `json:"region"`
	DocType  []FacetValue `json:"doctype"`
	Level    []FacetValue `json:"level"`
	Status   []FacetValue `json:"status"`
	Year     []FacetValue `json:"year"`
}

// FacetValue is one value of a facet with the number of matching units.
// A region value has its path from the root (山东省, 东营市: the filter
// value region=山东省/东营市) and the divisions below it that have
// matches.
type FacetValue struct {
	Value    string       `json:"value"`
	Count    int          `json:"count"`
	Path     []string     `json:"path,omitempty"`
	Children []FacetValue `json:"children,omitempty"`
}

// AppendJSON appends the JSON form of r to b: byte for byte what
// encoding/json's Marshal gives (HTML-sensitive characters escaped too),
// written without reflection, since the API encodes a response per
// request. A score or time that is NaN or infinite is an error, as with
// encoding/json.
func (r *Response) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"query":`...)
	b = appendJSONString(b, r.Query)
	b = append(b, `,"total":`...)
	b = strconv.AppendUint(b, r.Total, 10)
	b = append(b, `,"took_ms":`...)
	if b, err = appendJSONFloat(b, r.TookMS); err != nil {
		return b, err
	}
	b = append(b, `,"hits":`...)
	if r.Hits == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Hits {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = r.Hits[i].appendJSON(b); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"facets":{"district":`...)
	b = appendFacetJSON(b, r.Facets.District)
	b = append(b, `,"theme":`...)
	b = appendFacetJSON(b, r.Facets.Theme)
	b = append(b, `,"section":`...)
	b = appendFacetJSON(b, r.Facets.Section)
	b = append(b, `,"type":`...)
	b = appendFacetJSON(b, r.Facets.Type)
	b = append(b, `,"region":`...)
	b = appendFacetJSON(b, r.Facets.Region)
	b = append(b, `,"doctype":`...)
	b = appendFacetJSON(b, r.Facets.DocType)
	b = append(b, `,"level":`...)
	b = appendFacetJSON(b, r.Facets.Level)
	b = append(b, `,"status":`...)
	b = appendFacetJSON(b, r.Facets.Status)
	b = append(b, `,"year":`...)
	b = appendFacetJSON(b, r.Facets.Year)
	b = append(b, `},"terms":`...)
	b = appendJSONStrings(b, r.Terms)
	if r.Notice != "" {
		b = append(b, `,"notice":`...)
		b = appendJSONString(b, r.Notice)
	}
	if j := r.Jump; j != nil {
		for i, kv := range [][2]string{{"doc_id", j.DocID}, {"title", j.Title}, {"article", j.Article}, {"unit_id", j.UnitID},
			{"url", j.URL}, {"citation", j.Citation}, {"text", j.Text}} {
			if i == 0 {
				b = append(b, `,"jump":{`...)
			} else {
				b = append(b, ',')
			}
			b = appendJSONString(b, kv[0])
			b = append(b, ':')
			b = appendJSONString(b, kv[1])
		}
		b = append(b, '}')
	}
	return append(b, '}'), nil
}

func (h *Hit) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, h.ID)
	b = append(b, `,"doc_id":`...)
	b = appendJSONString(b, h.DocID)
	b = append(b, `,"doc_title":`...)
	b = appendJSONString(b, h.DocTitle)
	b = append(b, `,"district":`...)
	b = appendJSONString(b, h.District)
	if j := h.Jurisdiction; j != nil {
		b = append(b, `,"jurisdiction":{"code":`...)
		b = appendJSONString(b, j.Code)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, j.Name)
		b = append(b, `,"level":`...)
		b = appendJSONString(b, j.Level)
		b = append(b, `,"path":`...)
		b = appendJSONStrings(b, j.Path)
		b = append(b, '}')
	}
	for _, f := range []struct{ key, val string }{{`,"doctype":`, h.DocType}, {`,"level":`, h.Level}, {`,"status":`, h.Status}} {
		if f.val != "" {
			b = append(b, f.key...)
			b = appendJSONString(b, f.val)
		}
	}
	if len(h.Versions) > 0 {
		b = append(b, `,"versions":`...)
		b = appendJSONStrings(b, h.Versions)
	}
	b = append(b, `,"type":`...)
	b = appendJSONString(b, h.Type)
	b = append(b, `,"section":`...)
	b = appendJSONString(b, h.Section)
	b = append(b, `,"themes":`...)
	b = appendJSONStrings(b, h.Themes)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, h.Path)
	b = append(b, `,"breadcrumb":`...)
	b = appendJSONStrings(b, h.Breadcrumb)
	b = append(b, `,"citation":`...)
	b = appendJSONString(b, h.Citation)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, h.URL)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, h.Text)
	b = append(b, `,"highlight":`...)
	b = appendJSONString(b, h.Highlight)
	b = append(b, `,"fragments":`...)
	b = appendJSONStrings(b, h.Fragments)
	b = append(b, `,"score":`...)
	b, err := appendJSONFloat(b, h.Score)
	return append(b, '}'), err
}

// appendFacetJSON appends vals as a JSON array of {"value","count"}
// objects (with "path" and "children" when set), null for nil.
func appendFacetJSON(b []byte, vals []FacetValue) []byte {
	return appendJSONArray(b, vals, func(b []byte, v FacetValue) []byte {
		b = append(b, `{"value":`...)
		b = appendJSONString(b, v.Value)
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(v.Count), 10)
		if len(v.Path) > 0 {
			b = append(b, `,"path":`...)
			b = appendJSONStrings(b, v.Path)
		}
		if len(v.Children) > 0 {
			b = append(b, `,"children":`...)
			b = appendFacetJSON(b, v.Children)
		}
		return append(b, '}')
	})
}

// appendJSONStrings appends ss as a JSON array of strings, null for nil.
func appendJSONStrings(b []byte, ss []string) []byte {
	return appendJSONArray(b, ss, appendJSONString)
}

// appendJSONArray appends xs as a JSON array, each element by elem, or
// null for a nil slice, as encoding/json does.
func appendJSONArray[T any](b []byte, xs []T, elem func([]byte, T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, x)
	}
	return append(b, ']')
}

func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("json: unsupported value: %v", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// jsonSafe marks the ASCII bytes encoding/json writes as they are when
// it escapes HTML: printable characters but " \ < > &.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return t
}()

// appendJSONString appends s as a JSON string escaped like encoding/json
// with HTML escaping: control characters, " \ < > & and U+2028, U+2029
// escaped, invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		if c >= 0xE0 && c < 0xF0 && i+2 < len(s) {
			// a well-formed three-byte character (CJK, full-width
			// punctuation) is copied, but for U+2028 and U+2029
			c1, c2 := s[i+1], s[i+2]
			if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && (c != 0xE0 || c1 >= 0xA0) && (c != 0xED || c1 < 0xA0) {
				if c == 0xE2 && c1 == 0x80 && c2&^1 == 0xA8 {
					b = append(b, s[start:i]...)
					b = append(b, '\\', 'u', '2', '0', '2', hex[c2&1+8])
					start = i + 3
				}
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
