package search

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// goldenFile holds the relevance set, in the style of bleve's
// test/tests/*/searches.json: a request and the expected result. With
// -update the measured fields (total, top, facet counts) are rewritten;
// the reviewed fields (comment, must_contain, every_hit_contains,
// no_hit_contains, top_contains) are kept and always checked.
const goldenFile = "../testdata/search/searches.json"

// goldenTop is how many leading hits are pinned in order.
const goldenTop = 5

type goldenCase struct {
	Comment string `json:"comment"`
	Request struct {
		Query     string   `json:"query"`
		Districts []string `json:"district,omitempty"`
		Themes    []string `json:"theme,omitempty"`
		Sections  []string `json:"section,omitempty"`
		Types     []string `json:"type,omitempty"`
		TargetMin *float64 `json:"target_min,omitempty"`
		TargetMax *float64 `json:"target_max,omitempty"`
	} `json:"request"`
	Result struct {
		Total uint64 `json:"total"`
		// Top is the ids of the first hits, in order.
		Top []string `json:"top"`
		// Districts is the district facet: value → count.
		Districts map[string]int `json:"districts"`
	} `json:"result"`
	// MustContain are ids a reviewer confirmed relevant by reading them.
	MustContain []string `json:"must_contain,omitempty"`
	// TopContains: each of the first goldenTop hits contains this text
	// (normalised), i.e. verbatim matches rank first.
	TopContains string `json:"top_contains,omitempty"`
	// EveryHitContains / NoHitContains hold for every hit.
	EveryHitContains []string `json:"every_hit_contains,omitempty"`
	NoHitContains    []string `json:"no_hit_contains,omitempty"`
}

func (g *goldenCase) request(limit int) Request {
	r := g.Request
	return Request{Query: r.Query, Districts: r.Districts, Themes: r.Themes, Sections: r.Sections, Types: r.Types,
		TargetMin: r.TargetMin, TargetMax: r.TargetMax, Limit: limit}
}

func TestRelevanceGolden(t *testing.T) {
	f := seeds(t)
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Errorf("%d golden searches, want at least 30", len(cases))
	}
	for _, g := range cases {
		t.Run(g.Request.Query, func(t *testing.T) {
			res := search(t, f.svc, g.request(MaxLimit))
			var top []string
			for i, h := range res.Hits {
				if i < goldenTop {
					top = append(top, h.ID)
				}
			}
			districts := map[string]int{}
			for _, v := range res.Facets.District {
				districts[v.Value] = v.Count
			}
			if *update {
				g.Result.Total, g.Result.Top, g.Result.Districts = res.Total, top, districts
			} else {
				if res.Total != g.Result.Total {
					t.Errorf("total %d, golden %d", res.Total, g.Result.Total)
				}
				if !slices.Equal(top, g.Result.Top) {
					t.Errorf("top hits %v, golden %v", top, g.Result.Top)
				}
				for d, n := range g.Result.Districts {
					if districts[d] != n {
						t.Errorf("district %s: %d, golden %d", d, districts[d], n)
					}
				}
			}
			ids := map[string]bool{}
			for i, h := range res.Hits {
				ids[h.ID] = true
				norm := corpus.Normalize(h.Text)
				for _, s := range g.EveryHitContains {
					if !strings.Contains(norm, corpus.Normalize(s)) {
						t.Errorf("hit %s lacks %q", h.ID, s)
					}
				}
				for _, s := range g.NoHitContains {
					if strings.Contains(norm, corpus.Normalize(s)) {
						t.Errorf("hit %s contains %q", h.ID, s)
					}
				}
				if g.TopContains != "" && i < goldenTop && !strings.Contains(norm, corpus.Normalize(g.TopContains)) {
					t.Errorf("top hit %d (%s) lacks %q", i, h.ID, g.TopContains)
				}
			}
			for _, id := range g.MustContain {
				if _, err := f.c.Unit(id); err != nil && !strings.Contains(id, "#") {
					t.Errorf("must_contain %s is not a unit of the corpus (ids changed? review)", id)
				}
				if !ids[id] {
					t.Errorf("reviewed relevant unit %s missing", id)
				}
			}
		})
	}
	if *update {
		out, err := json.MarshalIndent(cases, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
