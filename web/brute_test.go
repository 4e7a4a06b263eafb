package web

import (
	"context"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
)

// bruteSearcher answers queries by scanning every unit: a reference
// implementation for tests of the HTTP layer that must not depend on the
// ranking of the real engine (escaping of arbitrary documents).
type bruteSearcher struct {
	c *corpus.Corpus
}

func (b bruteSearcher) Search(ctx context.Context, req search.Request) (*search.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	terms := queryTerms(req.Query)
	resp := &search.Response{Query: req.Query, Terms: terms, Hits: []search.Hit{}}
	counts := map[string]map[string]int{"district": {}, "theme": {}, "section": {}, "type": {}}
	in := func(vs []string, v string) bool { return len(vs) == 0 || contains(vs, v) }
	for _, d := range b.c.Documents() {
		for _, u := range d.Units {
			n := corpus.Normalize(u.Text)
			ok := len(terms) > 0
			for _, t := range terms {
				ok = ok && strings.Contains(n, t)
			}
			if !ok || !in(req.Districts, d.District) || !in(req.Sections, u.Part) || !in(req.Types, string(u.Type)) {
				continue
			}
			if len(req.Themes) > 0 && !search.ThemeSelects(u.Themes, req.Themes) {
				continue
			}
			resp.Total++
			counts["district"][d.District]++
			counts["section"][u.Part]++
			counts["type"][string(u.Type)]++
			for _, th := range u.Themes {
				counts["theme"][th]++
			}
			if int(resp.Total) > req.Offset && len(resp.Hits) < max(req.Limit, 1) {
				h := string(highlight(u.Text, terms))
				resp.Hits = append(resp.Hits, search.Hit{
					ID: u.ID, DocID: d.ID, DocTitle: d.Title, District: d.District, Type: string(u.Type),
					Section: u.Part, Themes: u.Themes, Path: u.Path, Breadcrumb: u.Breadcrumb,
					Citation: u.Citation, URL: permalink(u), Text: u.Text, Highlight: h, Fragments: []string{h}, Score: 1,
				})
			}
		}
	}
	facet := func(m map[string]int) []search.FacetValue {
		out := []search.FacetValue{}
		for v, n := range m {
			out = append(out, search.FacetValue{Value: v, Count: n})
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Value < out[j].Value
		})
		return out
	}
	resp.Facets = search.Facets{District: facet(counts["district"]), Theme: facet(counts["theme"]), Section: facet(counts["section"]), Type: facet(counts["type"])}
	return resp, nil
}
