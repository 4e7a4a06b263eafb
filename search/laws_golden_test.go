package search

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// lawsGoldenFile is the relevance set for laws, run on the laws sample
// (see laws): names (known items), article jumps in three forms and
// topics. With -update the measured fields (result) are rewritten; the
// reviewed fields (first_doc, jump, top_docs_include) are kept and always
// checked.
const lawsGoldenFile = "../testdata/search/laws.json"

type lawsCase struct {
	Comment string `json:"comment"`
	Request struct {
		Query string `json:"query"`
		InDoc string `json:"in_doc,omitempty"`
	} `json:"request"`
	// FirstDoc is the document of the first hit and the first document
	// of the grouped answer.
	FirstDoc string `json:"first_doc,omitempty"`
	// Jump is the unit the query names: the jump and the first hit.
	Jump string `json:"jump,omitempty"`
	// TopDocsInclude are documents among the first max(3, n) of the
	// grouped answer.
	TopDocsInclude []string `json:"top_docs_include,omitempty"`
	Result         struct {
		Total     uint64   `json:"total"`
		Top       []string `json:"top"`       // ids of the first hits
		Documents []string `json:"documents"` // the first documents of the grouped answer
	} `json:"result"`
}

func TestRelevanceGoldenLaws(t *testing.T) {
	f := laws(t)
	data, err := os.ReadFile(lawsGoldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases []*lawsCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Errorf("%d golden searches for laws, want at least 40", len(cases))
	}
	for _, g := range cases {
		t.Run(g.Request.Query, func(t *testing.T) {
			req := Request{Query: g.Request.Query, InDoc: g.Request.InDoc, Limit: 50}
			res := search(t, f.svc, req)
			req.Limit = 10
			grouped, err := f.svc.SearchGrouped(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			var top, docs []string
			for i, h := range res.Hits {
				if i < goldenTop {
					top = append(top, h.ID)
				}
			}
			for i, d := range grouped.Documents {
				if i < goldenTop {
					docs = append(docs, d.DocID)
				}
			}
			if *update {
				g.Result.Total, g.Result.Top, g.Result.Documents = res.Total, top, docs
			} else {
				if res.Total != g.Result.Total {
					t.Errorf("total %d, golden %d", res.Total, g.Result.Total)
				}
				if !slices.Equal(top, g.Result.Top) {
					t.Errorf("top hits %v, golden %v", top, g.Result.Top)
				}
				if !slices.Equal(docs, g.Result.Documents) {
					t.Errorf("top documents %v, golden %v", docs, g.Result.Documents)
				}
			}
			if len(res.Hits) == 0 || len(grouped.Documents) == 0 {
				t.Fatalf("no hits")
			}
			if g.FirstDoc != "" {
				if res.Hits[0].DocID != g.FirstDoc {
					t.Errorf("first hit %s, want in %s", res.Hits[0].ID, g.FirstDoc)
				}
				if grouped.Documents[0].DocID != g.FirstDoc {
					t.Errorf("first document %s, want %s", grouped.Documents[0].DocID, g.FirstDoc)
				}
			}
			if g.Jump != "" {
				if res.Jump == nil || res.Jump.UnitID != g.Jump || res.Hits[0].ID != g.Jump {
					t.Errorf("jump %+v, first hit %s, want %s", res.Jump, res.Hits[0].ID, g.Jump)
				}
				if grouped.Jump == nil || grouped.Documents[0].Hits[0].ID != g.Jump {
					t.Errorf("grouped: jump %+v, first hit %s, want %s", grouped.Jump, grouped.Documents[0].Hits[0].ID, g.Jump)
				}
			}
			n := max(3, len(g.TopDocsInclude))
			for _, d := range g.TopDocsInclude {
				if i := slices.Index(docs, d); i < 0 || i >= n {
					if i := slices.IndexFunc(grouped.Documents[:min(n, len(grouped.Documents))], func(x DocGroup) bool { return x.DocID == d }); i < 0 {
						t.Errorf("document %s not among the first %d: %v", d, n, docs)
					}
				}
			}
			if q := g.Request.Query; strings.HasPrefix(q, `"`) && strings.HasSuffix(q, `"`) {
				phrase := corpus.Normalize(strings.Trim(q, `"`))
				for _, h := range res.Hits {
					if !strings.Contains(corpus.Normalize(h.Text), phrase) {
						t.Errorf("hit %s lacks the phrase", h.ID)
					}
				}
			}
		})
	}
	if *update {
		out, err := json.MarshalIndent(cases, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(lawsGoldenFile, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
