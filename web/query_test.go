package web

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/search"
)

// agreeDoc holds every term of TestHighlightAgreesWithSearch in one
// paragraph, so each query's hit marks all its terms.
const agreeDoc = "第一章　总则\n\n" +
	"一、基本原则\n\n" +
	"推进集团化办学，落实“双减”要求，集团化办学的覆盖率达到80%。\n\n" +
	"二、保障\n\n" +
	"加强教师队伍建设。\n"

const agreeManifest = `{"documents":[{"id":"agree-2024","district":"测试县","title":"测试规划","source":"agree-2024.txt"}]}`

var markRE = regexp.MustCompile(`<mark>(.*?)</mark>`)

// marks returns the distinct normalised texts inside <mark> in s.
func marks(s string) []string {
	var out []string
	for _, m := range markRE.FindAllStringSubmatch(s, -1) {
		t := corpus.Normalize(html.UnescapeString(m[1]))
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// TestHighlightAgreesWithSearch: the reader's highlighting (web) and the
// search engine read a query the same way, because both use
// search.ParseQuery: AND, the Chinese filter keys (区县:), curly and corner
// quotes, and one length limit. Over real HTTP, the texts the reader marks
// are exactly those the engine marks in its hits.
func TestHighlightAgreesWithSearch(t *testing.T) {
	c, err := parse.Load(fstest.MapFS{
		"agree-2024.txt": {Data: []byte(agreeDoc)},
		"manifest.json":  {Data: []byte(agreeManifest)},
	})
	if err != nil {
		t.Fatal(err)
	}
	searcher, err := hostileSearcher(t, c)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Corpus: c, Searcher: searcher})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, q string
		want    []string // the marked texts, sorted
	}{
		{"AND is a connective, not a word", `"集团化办学" AND "覆盖率"`, []string{"覆盖率", "集团化办学"}},
		{"区县 filter is not marked", `区县:测试县 "集团化办学"`, []string{"集团化办学"}},
		{"full-width colon filter", `区县：测试县 "覆盖率"`, []string{"覆盖率"}},
		{"curly quotes make a phrase", `“集团化办学”`, []string{"集团化办学"}},
		{"corner brackets make a phrase", `「双减」`, []string{"双减"}},
		{"exclusion is not marked", `"集团化办学" -"教师"`, []string{"集团化办学"}},
		{"repeated terms mark once", `"双减" "双减" "双减"`, []string{"双减"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pq, err := search.ParseQuery(tc.q)
			if err != nil {
				t.Fatalf("search.ParseQuery(%q): %v", tc.q, err)
			}
			if got := slices.Sorted(slices.Values(queryTerms(tc.q))); !slices.Equal(got, slices.Sorted(slices.Values(pq.Terms()))) {
				t.Errorf("web terms %q, search terms %q", got, pq.Terms())
			}
			res, body := get(t, s, "/api/search?limit=100&q="+q(tc.q))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("/api/search: status %d: %s", res.StatusCode, body)
			}
			var resp search.Response
			if err := json.Unmarshal([]byte(body), &resp); err != nil {
				t.Fatal(err)
			}
			if resp.Total == 0 {
				t.Fatalf("no hits for %q", tc.q)
			}
			var engine strings.Builder
			for _, h := range resp.Hits {
				engine.WriteString(h.Highlight)
			}
			if got := marks(engine.String()); !slices.Equal(got, tc.want) {
				t.Errorf("engine marks %q, want %q", got, tc.want)
			}
			res, body = get(t, s, "/d/agree-2024?q="+q(tc.q))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("reader: status %d", res.StatusCode)
			}
			if got := marks(body); !slices.Equal(got, tc.want) {
				t.Errorf("reader marks %q, want %q", got, tc.want)
			}
		})
	}
	// One length limit: search.MaxQueryRunes is accepted everywhere, one
	// more character is refused everywhere with the same code.
	long := `"` + strings.Repeat("教", search.MaxQueryRunes-2) + `"`
	for _, tc := range []struct {
		name, q string
		status  int
	}{
		{"at the limit", long, http.StatusOK},
		{"over the limit", long + "育", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, perr := search.ParseQuery(tc.q)
			if (perr == nil) != (tc.status == http.StatusOK) {
				t.Fatalf("search.ParseQuery: %v, want status %d", perr, tc.status)
			}
			for _, p := range []string{"/api/search?q=", "/d/agree-2024?q=", "/search?q=", "/api/compare?q="} {
				res, body := get(t, s, p+q(tc.q))
				if res.StatusCode != tc.status {
					t.Errorf("%s: status %d, want %d: %.200s", p, res.StatusCode, tc.status, body)
				}
			}
		})
	}
}
