package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
	"github.com/zhengce/zhengce/search/export"
)

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func decodeObject(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not a JSON object: %v: %.200s", err, body)
	}
	return m
}

// TestAPISearchIsSearchResponse checks that /api/search returns exactly
// the search service's response for the same request.
func TestAPISearchIsSearchResponse(t *testing.T) {
	f := seedFixture(t)
	tests := []struct {
		name, params string
		req          search.Request
	}{
		{"phrase", "q=" + q(`"集团化办学"`) + "&limit=1000", search.Request{Query: `"集团化办学"`, Limit: 1000}},
		{"filters", "q=" + q("教师") + "&district=" + q("巫溪县") + "&district=" + q("永川区") + "&type=task&limit=5&offset=2",
			search.Request{Query: "教师", Districts: []string{"巫溪县", "永川区"}, Types: []string{"task"}, Limit: 5, Offset: 2}},
		{"default limit", "q=" + q("双减"), search.Request{Query: "双减"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := get(t, f.server, "/api/search?"+tt.params)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			var got search.Response
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			want, err := f.server.searcher.Search(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got.TookMS, want.TookMS = 0, 0
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if string(gb) != string(wb) {
				t.Errorf("API response differs from the service's:\n got %.400s\nwant %.400s", gb, wb)
			}
			m := decodeObject(t, body)
			if k := strings.Join(keys(m), ","); k != "facets,hits,query,terms,took_ms,total" {
				t.Errorf("top-level keys %s", k)
			}
			hits, _ := m["hits"].([]any)
			if len(hits) == 0 {
				t.Fatal("no hits")
			}
			hit := hits[0].(map[string]any)
			for _, k := range []string{"id", "doc_id", "district", "type", "section", "themes", "path", "citation", "url", "text", "highlight", "score"} {
				if _, ok := hit[k]; !ok {
					t.Errorf("hit lacks %q", k)
				}
			}
			facets := m["facets"].(map[string]any)
			if k := strings.Join(keys(facets), ","); k != "district,doctype,level,region,section,status,theme,type,year" {
				t.Errorf("facet keys %s", k)
			}
		})
	}
}

func TestAPIShapes(t *testing.T) {
	f := seedFixture(t)
	u := firstUnit(t, f.corpus, func(u *corpus.Unit) bool { return u.Type == corpus.TypeTask })
	tests := []struct {
		target string
		keys   string
	}{
		{"/healthz", "documents,status,targets,units"},
		{"/api/docs", "documents,rejected"},
		{"/api/docs/" + u.DocID, "district,doc_number,format,id,issue_date,issuer,outline,source,status,tables,targets,title,units,url,year"},
		{"/api/units/" + u.DocID + "/" + u.Path, "breadcrumb,citation,district,doc_id,doc_title,id,label,path,responsible,section,seq,text,themes,title,type,url"},
		{"/api/targets?q=" + q("毛入园率"), "targets"},
		{"/api/targets?compare=" + q("毛入园率"), "comparisons"},
		{"/api/compare?q=" + q("集团化办学"), "districts,query,terms"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res, body := get(t, f.server, tt.target)
			if res.StatusCode != 200 {
				t.Fatalf("status %d: %.200s", res.StatusCode, body)
			}
			m := decodeObject(t, body)
			if got := strings.Join(keys(m), ","); !sameKeys(got, tt.keys) {
				t.Errorf("keys %s, want %s", got, tt.keys)
			}
		})
	}
	// Counts agree with the corpus.
	_, body := get(t, f.server, "/api/docs")
	var docs struct {
		Documents []docSummary `json:"documents"`
	}
	if err := json.Unmarshal([]byte(body), &docs); err != nil {
		t.Fatal(err)
	}
	if len(docs.Documents) != len(f.corpus.Documents()) {
		t.Fatalf("%d documents, corpus has %d", len(docs.Documents), len(f.corpus.Documents()))
	}
	for i, d := range f.corpus.Documents() {
		got := docs.Documents[i]
		if got.ID != d.ID || got.Units != len(d.Units) || got.Tables != len(d.Tables) || got.Targets != len(d.Targets) {
			t.Errorf("document %d: %+v, corpus %s with %d units", i, got, d.ID, len(d.Units))
		}
	}
	_, body = get(t, f.server, "/api/targets?q="+q("毛入园率"))
	var ts struct {
		Targets []*corpus.Target `json:"targets"`
	}
	if err := json.Unmarshal([]byte(body), &ts); err != nil {
		t.Fatal(err)
	}
	if want := f.corpus.Targets(corpus.TargetFilter{Query: "毛入园率"}); len(ts.Targets) != len(want) || len(want) == 0 {
		t.Errorf("%d targets, corpus query gives %d", len(ts.Targets), len(want))
	}
	_, body = get(t, f.server, "/api/compare?q="+q("集团化办学"))
	var cmp compareResult
	if err := json.Unmarshal([]byte(body), &cmp); err != nil {
		t.Fatal(err)
	}
	if len(cmp.Districts) != len(f.corpus.Districts()) {
		t.Errorf("%d districts compared, corpus has %d", len(cmp.Districts), len(f.corpus.Districts()))
	}
	for _, d := range cmp.Districts {
		for _, h := range d.Hits {
			if h.District != d.District || h.Type == string(corpus.TypeTarget) {
				t.Errorf("%s column holds %s hit of type %s", d.District, h.District, h.Type)
			}
		}
		if d.Total > 0 && len(d.Hits) == 0 {
			t.Errorf("%s: total %d but no hits", d.District, d.Total)
		}
	}
}

// sameKeys compares comma-separated key lists, tolerating optional keys
// that are empty in this corpus (omitempty).
func sameKeys(got, want string) bool {
	g := map[string]bool{}
	for _, k := range strings.Split(got, ",") {
		g[k] = true
	}
	optional := map[string]bool{"doc_number": true, "responsible": true, "label": true, "title": true, "level": true, "table": true, "cells": true, "issuer": true, "issue_date": true, "year": true, "source": true,
		"doctype": true, "jurisdiction": true, "dates": true, "subject": true, "effective": true, "versions": true, "pages": true, "ocr": true}
	for _, k := range strings.Split(want, ",") {
		if !g[k] && !optional[k] {
			return false
		}
		delete(g, k)
	}
	for k := range g {
		if !optional[k] {
			return false
		}
	}
	return true
}

func TestTargetsCSV(t *testing.T) {
	f := seedFixture(t)
	for _, target := range []string{"/targets.csv?q=" + q("毛入园率"), "/api/targets?format=csv&q=" + q("毛入园率"), "/targets.csv"} {
		t.Run(target, func(t *testing.T) {
			res, body := get(t, f.server, target)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d, type %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			if !strings.HasPrefix(body, "\uFEFF") {
				t.Fatal("no byte order mark")
			}
			if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Error("not offered as a download")
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(rows[0], ",") != strings.Join(export.TargetHeader(), ",") {
				t.Errorf("header %v", rows[0])
			}
			query := ""
			if strings.Contains(target, "q=") {
				query = "毛入园率"
			}
			want := f.corpus.Targets(corpus.TargetFilter{Query: query})
			if len(rows)-1 != len(want) || len(want) == 0 {
				t.Fatalf("%d rows, want %d", len(rows)-1, len(want))
			}
			for i, tg := range want {
				r := rows[i+1]
				if r[2] != tg.District || r[3] != tg.Indicator || r[12] != numText(tg.Target.Value) || r[21] != "/c/"+tg.UnitID {
					t.Errorf("row %d = %v, target %+v", i, r, tg)
				}
			}
		})
	}
}

// numText is a value as the CSV writes it.
func numText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func TestSecurityHeaders(t *testing.T) {
	f := seedFixture(t)
	for _, target := range []string{"/", "/api/search?q=a", "/static/app.css", "/nope", "/api/docs/nope"} {
		res, _ := get(t, f.server, target)
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", target, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", target)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", target, res.Header)
		}
	}
}

// TestNoInlineCode checks every page for inline scripts, inline event
// handlers and style attributes, which the CSP would block.
func TestNoInlineCode(t *testing.T) {
	f := seedFixture(t)
	u := firstUnit(t, f.corpus, func(u *corpus.Unit) bool { return u.Type == corpus.TypeTask })
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\son[a-z]+=|\sstyle=|javascript:`)
	for _, target := range []string{"/", "/search?q=" + q("集团化办学"), "/search?q=zzzzqqq&district=" + q("巫溪县"), "/d/" + u.DocID, "/c/" + u.DocID + "/" + u.Path, "/compare?q=" + q("集团化办学"), "/targets?q=" + q("毛入园率"), "/docs", "/help", "/nope", "/c/" + u.DocID + "/9.9"} {
		_, body := get(t, f.server, target)
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s: inline code %q", target, m)
		}
	}
}

// TestOpenAPICoversRoutes checks that docs/openapi.yaml documents every
// JSON route the server registers.
func TestOpenAPICoversRoutes(t *testing.T) {
	f := seedFixture(t)
	spec, err := os.ReadFile("../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// With an admin token, the admin routes exist too.
	s, err := New(Config{Corpus: f.corpus, Searcher: f.server.searcher, AdminToken: "t", Reindexer: noReindexer{}})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`/[:*][a-z]*`)
	n := 0
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound || !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/metrics" {
			continue
		}
		n++
		pattern := "\n  " + regexp.QuoteMeta(param.ReplaceAllString(r.Path, "/\x00")) + ":"
		pattern = strings.ReplaceAll(pattern, "\x00", `\{[a-z_]+\}`)
		if !regexp.MustCompile(pattern).Match(spec) {
			t.Errorf("route %s %s not in docs/openapi.yaml", r.Method, r.Path)
		}
	}
	if n < 9 {
		t.Errorf("only %d API routes found", n)
	}
}

// noReindexer is a Reindexer that is never asked to rebuild.
type noReindexer struct{}

func (noReindexer) Rebuild(context.Context, indexer.Progress) error { return nil }
func (noReindexer) Meta() *indexer.Meta                             { return nil }

func TestPointText(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	tests := []struct {
		p    corpus.Point
		unit string
		want string
	}{
		{corpus.Point{Value: v(99.5), Comparator: "="}, "%", "99.5%"},
		{corpus.Point{Value: v(93), Comparator: "≥"}, "%", "≥93%"},
		{corpus.Point{Value: v(3), Max: v(5), Comparator: "range"}, "所", "3–5所"},
		{corpus.Point{Value: v(-0.07)}, "", "-0.07"},
		{corpus.Point{Raw: "约三成", Unparsed: true}, "", "约三成（原文，未能解析）"},
		{corpus.Point{}, "%", "—"},
	}
	for _, tt := range tests {
		if got := pointText(tt.p, tt.unit); got != tt.want {
			t.Errorf("pointText(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
