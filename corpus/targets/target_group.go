package targets

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// IndicatorGroups maps the wordings of an indicator used by different
// districts to one canonical name. The default grouping is the editable
// file corpus/targets/indicators.json, embedded at build time.
type IndicatorGroups struct {
	prefixes []string
	exact    map[string]string // normalised name → canonical
}

// indicatorFiles holds the editable indicator grouping, beside the code
// that reads it.
//
//go:embed indicators.json
var indicatorFiles embed.FS

type indicatorFile struct {
	StripPrefixes []string `json:"strip_prefixes"`
	Indicators    []struct {
		Canonical string   `json:"canonical"`
		Variants  []string `json:"variants"`
		Exact     []string `json:"exact"`
	} `json:"indicators"`
}

// ParseIndicatorGroups reads a grouping file in the format of
// corpus/targets/indicators.json.
func ParseIndicatorGroups(data []byte) (*IndicatorGroups, error) {
	var f indicatorFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "指标分组文件格式错误", Err: err}
	}
	g := &IndicatorGroups{exact: map[string]string{}}
	for _, p := range f.StripPrefixes {
		if p = corpus.Normalize(p); p != "" {
			g.prefixes = append(g.prefixes, p)
		}
	}
	sort.SliceStable(g.prefixes, func(i, j int) bool { return len(g.prefixes[i]) > len(g.prefixes[j]) })
	for _, ind := range f.Indicators {
		c := strings.TrimSpace(ind.Canonical)
		if c == "" {
			return nil, corpus.Errorf(corpus.EINVALID, "指标分组文件中有缺少 canonical 的条目")
		}
		for _, v := range append([]string{c}, ind.Variants...) {
			k := g.key(v)
			if prev, dup := g.exact[k]; dup && prev != c {
				return nil, corpus.Errorf(corpus.EINVALID, "指标写法“%s”同时属于“%s”和“%s”", v, prev, c)
			}
			g.exact[k] = c
		}
		for _, v := range ind.Exact {
			k := g.key(v)
			if prev, dup := g.exact[k]; dup && prev != c {
				return nil, corpus.Errorf(corpus.EINVALID, "指标写法“%s”同时属于“%s”和“%s”", v, prev, c)
			}
			g.exact[k] = c
		}
	}
	return g, nil
}

// DefaultIndicatorGroups parses the grouping embedded from
// corpus/targets/indicators.json. Each call parses the file afresh: build
// it once (parse.Default does) and share it; an IndicatorGroups is never
// modified once parsed.
func DefaultIndicatorGroups() (*IndicatorGroups, error) {
	data, err := indicatorFiles.ReadFile("indicators.json")
	if err != nil {
		return nil, fmt.Errorf("read indicators.json: %w", err)
	}
	return ParseIndicatorGroups(data)
}

// quoteMarks removes quotation marks and title marks. A strings.Replacer
// is immutable and safe for concurrent use; building one per call cost a
// twentieth of parsing a large corpus.
var quoteMarks = strings.NewReplacer("“", "", "”", "", "\"", "", "‘", "", "’", "", "'", "", "《", "", "》", "")

// key is the normalised form of an indicator name used for matching:
// Normalize, quotes and a trailing unit in parentheses removed, a leading
// 其中: and district prefixes dropped.
func (g *IndicatorGroups) key(name string) string {
	n := corpus.Normalize(name)
	n = quoteMarks.Replace(n)
	if m := unitInParens.FindStringSubmatchIndex(n); m != nil && plausibleUnit(n[m[2]:m[3]]) {
		n = n[:m[0]]
	}
	cat, ind, hasCat := strings.Cut(n, "·")
	if !hasCat {
		ind, cat = n, ""
	}
	ind = strings.TrimPrefix(ind, "其中:")
	for _, p := range g.prefixes {
		if strings.HasPrefix(ind, p) && len(ind) > len(p) {
			ind = ind[len(p):]
			break
		}
	}
	if cat != "" {
		return cat + "·" + ind
	}
	return ind
}

// Canonical returns the canonical name of an indicator as worded in a
// document (with its table category first, 义务教育·在校学生数, when it has
// one): the group it belongs to, else its own normalised name.
func (g *IndicatorGroups) Canonical(indicator string) string {
	k := g.key(indicator)
	if c, ok := g.exact[k]; ok {
		return c
	}
	bare := k
	if _, ind, ok := strings.Cut(k, "·"); ok {
		bare = ind
		if c, ok := g.exact[bare]; ok {
			return c
		}
	}
	return k
}
