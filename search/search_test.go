package search

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// fixture is the seed corpus, its segmenter and index, built once per
// package run.
type fixture struct {
	c   *corpus.Corpus
	seg *indexer.Segmenter
	dir string
	svc *Service
}

var (
	fixOnce sync.Once
	fix     fixture
	fixErr  error
	tmpRoot string
)

func TestMain(m *testing.M) {
	flag.Parse()
	var err error
	tmpRoot, err = os.MkdirTemp("", "zhengce-search-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if fix.svc != nil {
		fix.svc.Close()
	}
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

func seeds(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		fix.c, fixErr = parse.Seeds()
		if fixErr != nil {
			return
		}
		fix.seg, fixErr = indexer.NewSegmenter()
		if fixErr != nil {
			return
		}
		fix.dir = filepath.Join(tmpRoot, "seeds")
		fix.svc, fixErr = Ensure(context.Background(), fix.dir, fix.c, fix.seg, nil)
	})
	if fixErr != nil {
		t.Fatalf("fixture: %v", fixErr)
	}
	return &fix
}

func search(t testing.TB, s *Service, r Request) *Response {
	t.Helper()
	res, err := s.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	return res
}

// allTexts is the normalised text of every unit: what a search returns
// unless targets are asked for.
func allTexts(c *corpus.Corpus) map[string]string {
	out := map[string]string{}
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			out[u.ID] = corpus.Normalize(u.Text)
		}
	}
	return out
}

// targetTexts is the normalised text of every target.
func targetTexts(c *corpus.Corpus) map[string]string {
	out := map[string]string{}
	for _, d := range c.Documents() {
		for _, t := range d.Targets {
			out[t.ID] = corpus.Normalize(t.Text)
		}
	}
	return out
}

// brute returns the ids of the texts containing phrase, sorted.
func brute(texts map[string]string, phrase string) []string {
	var out []string
	for id, txt := range texts {
		if strings.Contains(txt, phrase) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func hitIDs(res *Response) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

// TestDevPhrases is the acceptance check of testdata/phrases.json: every
// counted occurrence is found (recall 1) and every hit contains the phrase
// (precision 1); the hit set is exactly the brute-force set.
func TestDevPhrases(t *testing.T) {
	f := seeds(t)
	data, err := os.ReadFile("../testdata/phrases.json")
	if err != nil {
		t.Fatal(err)
	}
	var gold map[string]map[string]int
	if err := json.Unmarshal(data, &gold); err != nil {
		t.Fatal(err)
	}
	texts := allTexts(f.c)
	found, expected, hits, bad := 0, 0, 0, 0
	for phrase, perDoc := range gold {
		res := search(t, f.svc, Request{Query: `"` + phrase + `"`, Limit: MaxLimit})
		got := map[string]int{}
		for _, h := range res.Hits {
			n := strings.Count(corpus.Normalize(h.Text), corpus.Normalize(phrase))
			hits++
			if n == 0 {
				bad++
			}
			got[h.DocID] += n
		}
		for d, c := range perDoc {
			found += min(got[d], c)
			expected += c
			if got[d] < c {
				t.Errorf("%s in %s: found %d of %d occurrences", phrase, d, got[d], c)
			}
		}
		if want := brute(texts, corpus.Normalize(phrase)); !slices.Equal(hitIDs(res), want) || res.Total != uint64(len(want)) {
			t.Errorf("%s: %d hits (total %d), brute force %d", phrase, len(res.Hits), res.Total, len(want))
		}
	}
	t.Logf("dev phrase recall %d/%d; precision %d/%d", found, expected, hits-bad, hits)
	if bad > 0 {
		t.Errorf("%d hits without their phrase", bad)
	}
}

// TestPhraseProperty samples substrings of the normalised unit texts —
// many across removed whitespace (former line and page breaks) and around
// digits and symbols — and checks quoted search against a brute-force scan.
func TestPhraseProperty(t *testing.T) {
	f := seeds(t)
	texts := allTexts(f.c)
	var units []*corpus.Unit
	for _, d := range f.c.Documents() {
		units = append(units, d.Units...)
	}
	rng := rand.New(rand.NewSource(20260522))
	var samples []string
	kinds := map[string]int{}
	for tries := 0; len(samples) < 400 && tries < 100000; tries++ {
		u := units[rng.Intn(len(units))]
		m := newNormMap(u.Text)
		runes := []rune(m.norm)
		if len(runes) < 2 {
			continue
		}
		n := 2 + rng.Intn(11)
		if n > len(runes) {
			n = len(runes)
		}
		start := rng.Intn(len(runes) - n + 1)
		kind := "random"
		switch len(samples) % 4 {
		case 1: // across removed whitespace
			i := crossingWhitespace(u.Text, m, rng)
			if i < 0 {
				continue // try another unit
			}
			start = max(1, i-rng.Intn(n-1)) - 1
			start = min(start, len(runes)-n)
			kind = "whitespace"
		case 2: // around a digit or symbol
			var at []int
			for i, r := range runes {
				if unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
					at = append(at, i)
				}
			}
			if len(at) == 0 {
				continue
			}
			i := at[rng.Intn(len(at))]
			start = max(0, min(i-rng.Intn(n), len(runes)-n))
			kind = "digit/symbol"
		}
		p := string(runes[start : start+n])
		if strings.Contains(p, `"`) {
			continue
		}
		samples = append(samples, p)
		kinds[kind]++
	}
	t.Logf("samples by kind: %v", kinds)
	if kinds["whitespace"] < 50 || kinds["digit/symbol"] < 50 {
		t.Fatalf("too few targeted samples: %v", kinds)
	}
	for _, p := range samples {
		want := brute(texts, p)
		res := search(t, f.svc, Request{Query: `"` + p + `"`, Limit: MaxLimit})
		if res.Total != uint64(len(want)) {
			t.Errorf("%q: total %d, brute force %d", p, res.Total, len(want))
			continue
		}
		if len(want) <= MaxLimit && !slices.Equal(hitIDs(res), want) {
			t.Errorf("%q: hits differ from brute force", p)
		}
		for _, h := range res.Hits {
			if !strings.Contains(corpus.Normalize(h.Text), p) {
				t.Errorf("%q: hit %s lacks it", p, h.ID)
			}
		}
	}
}

// crossingWhitespace returns the index (in runes of m.norm) of a character
// that followed removed whitespace in the original text, or -1.
func crossingWhitespace(orig string, m normMap, rng *rand.Rand) int {
	var at []int
	ri := 0
	for i := 0; i < len(m.norm); {
		_, size := utf8.DecodeRuneInString(m.norm[i:])
		if i > 0 && m.start[i] > m.end[i-1] && strings.TrimSpace(orig[m.end[i-1]:m.start[i]]) == "" {
			at = append(at, ri)
		}
		i += size
		ri++
	}
	if len(at) == 0 {
		return -1
	}
	return at[rng.Intn(len(at))]
}

// TestTargetPhrases: with type:target, quoted search is exact over the
// targets' texts.
func TestTargetPhrases(t *testing.T) {
	f := seeds(t)
	texts := targetTexts(f.c)
	if len(texts) == 0 {
		t.Skip("corpus has no targets yet")
	}
	for _, p := range []string{"毛入园率", "99.5%", "45万人次", "以上", "%"} {
		want := brute(texts, corpus.Normalize(p))
		res := search(t, f.svc, Request{Query: `type:target "` + p + `"`, Limit: MaxLimit})
		if res.Total != uint64(len(want)) || (len(want) <= MaxLimit && !slices.Equal(hitIDs(res), want)) {
			t.Errorf("%s: total %d, brute force %d", p, res.Total, len(want))
		}
	}
}

func TestSpecialPhrases(t *testing.T) {
	f := seeds(t)
	texts := allTexts(f.c)
	for _, p := range []string{"1+X", "99.5%", "0.5个百分点", "45万人次", "45 万人次", "五育并举", "产教融合", "双师型", "区管校聘", "学"} {
		t.Run(p, func(t *testing.T) {
			want := brute(texts, corpus.Normalize(p))
			res := search(t, f.svc, Request{Query: `"` + p + `"`, Limit: MaxLimit})
			if res.Total != uint64(len(want)) || (len(want) <= MaxLimit && !slices.Equal(hitIDs(res), want)) {
				t.Errorf("total %d hits %d, brute force %d", res.Total, len(res.Hits), len(want))
			}
		})
	}
}

// TestWordRanking: units containing the bare query verbatim rank before
// those matching only its segmented words.
func TestWordRanking(t *testing.T) {
	f := seeds(t)
	for _, q := range []string{"集团化办学", "学前教育普及", "教师培训", "教育信息化"} {
		t.Run(q, func(t *testing.T) {
			res := search(t, f.svc, Request{Query: q, Limit: MaxLimit})
			if res.Total == 0 {
				t.Fatalf("no hits")
			}
			verbatim := true
			for i, h := range res.Hits {
				has := strings.Contains(corpus.Normalize(h.Text), corpus.Normalize(q))
				if has && !verbatim {
					t.Fatalf("hit %d (%s) contains %q after hits that do not", i, h.ID, q)
				}
				verbatim = has
			}
			exact := search(t, f.svc, Request{Query: `"` + q + `"`, Limit: MaxLimit})
			if res.Total < exact.Total {
				t.Errorf("bare %q: %d hits, fewer than the %d verbatim ones", q, res.Total, exact.Total)
			}
		})
	}
}

// TestFacetCounts: each facet value's count equals the number of matching
// units with that value, and filtering by it returns that many.
func TestFacetCounts(t *testing.T) {
	f := seeds(t)
	for _, q := range []string{`"教育"`, "职业教育", "双减 OR 课后服务", "学前教育 -幼儿园", "type:task", "section:保障措施 教师"} {
		t.Run(q, func(t *testing.T) {
			res := search(t, f.svc, Request{Query: q, Limit: MaxLimit})
			if res.Total > MaxLimit {
				t.Skipf("%d hits, over one page", res.Total)
			}
			if uint64(len(res.Hits)) != res.Total {
				t.Fatalf("%d hits, total %d", len(res.Hits), res.Total)
			}
			count := map[string]map[string]int{"district": {}, "theme": {}, "section": {}, "type": {}}
			for _, h := range res.Hits {
				count["district"][h.District]++
				count["section"][h.Section]++
				count["type"][h.Type]++
				for _, th := range h.Themes {
					count["theme"][th]++
				}
			}
			check := func(name string, vals []FacetValue, filter func(v string) Request) {
				// a tree (theme) is flattened to its paths
				got := map[string]int{}
				var flat []FacetValue
				var walk func(vals []FacetValue)
				walk = func(vals []FacetValue) {
					for _, v := range vals {
						if len(v.Path) > 0 {
							v.Value = strings.Join(v.Path, "/")
						}
						got[v.Value] = v.Count
						flat = append(flat, v)
						walk(v.Children)
					}
				}
				walk(vals)
				vals = flat
				delete(count[name], "")
				if name == "type" {
					// targets are hits only on request, but counted
					delete(got, string(corpus.TypeTarget))
				}
				if fmt.Sprint(got) != fmt.Sprint(count[name]) {
					t.Errorf("facet %s = %v, hits say %v", name, got, count[name])
				}
				for _, v := range vals {
					r := search(t, f.svc, filter(v.Value))
					if r.Total != uint64(v.Count) {
						t.Errorf("filter %s=%s: total %d, facet count %d", name, v.Value, r.Total, v.Count)
					}
				}
			}
			check("district", res.Facets.District, func(v string) Request { return Request{Query: q, Districts: []string{v}} })
			check("theme", res.Facets.Theme, func(v string) Request { return Request{Query: q, Themes: []string{v}} })
			check("section", res.Facets.Section, func(v string) Request { return Request{Query: q, Sections: []string{v}} })
			check("type", res.Facets.Type, func(v string) Request { return Request{Query: q, Types: []string{v}} })
		})
	}
}

// TestFilterCombination: values of one facet are ORed, facets are ANDed;
// query filters and request filters combine the same way.
func TestFilterCombination(t *testing.T) {
	f := seeds(t)
	all := search(t, f.svc, Request{Query: "教育", Limit: MaxLimit})
	if all.Total > MaxLimit {
		t.Skip("over one page")
	}
	count := func(pred func(h Hit) bool) uint64 {
		n := uint64(0)
		for _, h := range all.Hits {
			if pred(h) {
				n++
			}
		}
		return n
	}
	ds := f.c.Districts()
	if len(ds) < 2 {
		t.Fatal("need two districts")
	}
	a, b := ds[0], ds[1]
	for _, tc := range []struct {
		name string
		r    Request
		pred func(Hit) bool
	}{
		{"or within district", Request{Query: "教育", Districts: []string{a, b}}, func(h Hit) bool { return h.District == a || h.District == b }},
		{"query and request filters", Request{Query: "教育 district:" + a, Districts: []string{b}}, func(h Hit) bool { return h.District == a || h.District == b }},
		{"and across", Request{Query: "教育", Districts: []string{a}, Sections: []string{corpus.PartTasks}}, func(h Hit) bool { return h.District == a && h.Section == corpus.PartTasks }},
		{"themes or", Request{Query: "教育 theme:职业教育 theme:学前教育"}, func(h Hit) bool {
			return slices.Contains(h.Themes, "教育/职业教育") || slices.Contains(h.Themes, "教育/学前教育")
		}},
		{"theme and type", Request{Query: "教育 theme:教师队伍", Types: []string{"clause", "task"}}, func(h Hit) bool {
			return slices.Contains(h.Themes, "教育/教师队伍") && (h.Type == "clause" || h.Type == "task")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, f.svc, tc.r)
			if want := count(tc.pred); res.Total != want {
				t.Errorf("total %d, want %d", res.Total, want)
			}
		})
	}
}

func TestExclusion(t *testing.T) {
	f := seeds(t)
	res := search(t, f.svc, Request{Query: "职业教育 -高职", Limit: MaxLimit})
	if res.Total == 0 {
		t.Fatal("no hits")
	}
	for _, h := range res.Hits {
		if strings.Contains(corpus.Normalize(h.Text), "高职") {
			t.Errorf("%s contains the excluded 高职", h.ID)
		}
	}
	with := search(t, f.svc, Request{Query: `"职业教育" "高职"`, Limit: MaxLimit})
	plain := search(t, f.svc, Request{Query: `"职业教育"`, Limit: MaxLimit})
	without := search(t, f.svc, Request{Query: `"职业教育" -高职`, Limit: MaxLimit})
	if with.Total+without.Total != plain.Total {
		t.Errorf("with %d + without %d != all %d", with.Total, without.Total, plain.Total)
	}
}

func TestPagination(t *testing.T) {
	f := seeds(t)
	for _, q := range []string{"教师培训", `"学校"`} {
		all := search(t, f.svc, Request{Query: q, Limit: MaxLimit})
		var paged []string
		for off := 0; off < len(all.Hits); off += 7 {
			res := search(t, f.svc, Request{Query: q, Limit: 7, Offset: off})
			if res.Total != all.Total {
				t.Fatalf("%s: total %d on page at %d, %d overall", q, res.Total, off, all.Total)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ID)
			}
		}
		var want []string
		for _, h := range all.Hits {
			want = append(want, h.ID)
		}
		if !slices.Equal(paged, want) {
			t.Errorf("%s: pages differ from one page of all hits", q)
		}
	}
}

var markRE = regexp.MustCompile(`<mark>(.*?)</mark>`)

// TestHighlightMarksExactly: the highlight is the escaped text with
// exactly the phrase occurrences marked.
func TestHighlightMarksExactly(t *testing.T) {
	f := seeds(t)
	for _, p := range []string{"45万人次", "五育并举", "1+X", "99.5%"} {
		res := search(t, f.svc, Request{Query: `"` + p + `"`, Limit: MaxLimit})
		if len(res.Hits) == 0 {
			t.Errorf("%s: no hits to check", p)
		}
		for _, h := range res.Hits {
			plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Highlight))
			if plain != h.Text {
				t.Errorf("%s: highlight without marks differs from text", h.ID)
			}
			marks := markRE.FindAllStringSubmatch(h.Highlight, -1)
			n := strings.Count(corpus.Normalize(h.Text), corpus.Normalize(p))
			if len(marks) == 0 || len(marks) > n {
				t.Errorf("%s: %d marks for %d occurrences", h.ID, len(marks), n)
			}
			for _, m := range marks {
				if !strings.Contains(corpus.Normalize(html.UnescapeString(m[1])), corpus.Normalize(p)) {
					t.Errorf("%s: mark %q is not the phrase %q", h.ID, m[1], p)
				}
			}
			if len(h.Fragments) == 0 || !strings.Contains(h.Fragments[0], "<mark>") {
				t.Errorf("%s: fragments %q lack a mark", h.ID, h.Fragments)
			}
		}
	}
}

// miniCorpus is a hand-made corpus for escaping and degraded-mode tests.
func miniCorpus(t *testing.T) *corpus.Corpus {
	t.Helper()
	mk := func(doc, path, text string, typ corpus.UnitType, seq int) *corpus.Unit {
		return &corpus.Unit{ID: doc + "/" + path, DocID: doc, Path: path, Type: typ, Seq: seq, Text: text, Part: corpus.PartTasks, Citation: "《测试》"}
	}
	d := &corpus.Document{Meta: corpus.Meta{ID: "mini-2024", District: "测试区", Title: "测试文件"}}
	d.Units = []*corpus.Unit{
		mk(d.ID, "1", "推进集团化办学", corpus.TypeSection, 0),
		mk(d.ID, "1.p1", "<script>alert('x')</script> 集团化\n办学 & “五育并举”，新增学位４５ 万人次。", corpus.TypeClause, 1),
		mk(d.ID, "1.p2", "推进学校集团化发展，扩大优质办学资源。", corpus.TypeClause, 2),
	}
	c, err := corpus.New([]*corpus.Document{d})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHighlightEscapes(t *testing.T) {
	f := seeds(t)
	c := miniCorpus(t)
	svc, err := Ensure(context.Background(), filepath.Join(t.TempDir(), "idx"), c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	res := search(t, svc, Request{Query: `"集团化办学" "45万人次"`})
	if res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("total %d, want 1", res.Total)
	}
	h := res.Hits[0]
	if strings.Contains(h.Highlight, "<script>") || !strings.Contains(h.Highlight, "&lt;script&gt;") {
		t.Errorf("highlight not escaped: %s", h.Highlight)
	}
	for _, want := range []string{"<mark>集团化\n办学</mark>", "<mark>４５ 万人次</mark>", "&amp;"} {
		if !strings.Contains(h.Highlight, want) {
			t.Errorf("highlight %q lacks %q", h.Highlight, want)
		}
	}
	for _, fr := range h.Fragments {
		if strings.Contains(fr, "<script>") {
			t.Errorf("fragment not escaped: %s", fr)
		}
	}
	if h.URL != "/c/mini-2024/1.p1" {
		t.Errorf("url %s", h.URL)
	}
}

// TestWithoutSegmenter: a service opened without a segmenter answers
// phrases exactly and bare words verbatim, says so, and accepts the
// segmenter later.
func TestWithoutSegmenter(t *testing.T) {
	f := seeds(t)
	svc, err := Open(f.dir, f.c, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	p := search(t, svc, Request{Query: `"五育并举"`})
	want := search(t, f.svc, Request{Query: `"五育并举"`})
	if p.Total != want.Total || p.Notice != "" {
		t.Errorf("phrase without segmenter: total %d notice %q, want %d", p.Total, p.Notice, want.Total)
	}
	w := search(t, svc, Request{Query: "集团化办学", Limit: MaxLimit})
	verbatim := search(t, f.svc, Request{Query: `"集团化办学"`})
	if w.Total != verbatim.Total || w.Notice == "" {
		t.Errorf("bare word without segmenter: total %d notice %q, want %d verbatim hits and a notice", w.Total, w.Notice, verbatim.Total)
	}
	// a segmenter other than the index's is refused
	built := svc.meta.Analyzer
	svc.meta.Analyzer = "another-analyzer"
	if err := svc.SetSegmenter(f.seg); !errors.Is(err, ErrStale) {
		t.Errorf("SetSegmenter with another analyzer: %v, want ErrStale", err)
	}
	svc.meta.Analyzer = built
	if err := svc.SetSegmenter(f.seg); err != nil {
		t.Fatal(err)
	}
	full := search(t, svc, Request{Query: "集团化办学"})
	if full.Notice != "" || full.Total < w.Total {
		t.Errorf("after SetSegmenter: total %d notice %q", full.Total, full.Notice)
	}
}

func TestEnsureRebuildsStale(t *testing.T) {
	f := seeds(t)
	c := miniCorpus(t)
	dir := filepath.Join(t.TempDir(), "idx")
	svc, err := Ensure(context.Background(), dir, c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
	// the seed corpus is another corpus: Open refuses, Ensure rebuilds
	if _, err := Open(dir, f.c, f.seg); !errors.Is(err, ErrStale) {
		t.Fatalf("Open of a stale index: %v, want ErrStale", err)
	}
	if _, err := Ensure(context.Background(), dir, f.c, nil, nil); !errors.Is(err, ErrStale) {
		t.Fatalf("Ensure of a stale index without segmenter: %v, want ErrStale", err)
	}
	svc, err = Ensure(context.Background(), dir, f.c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if res := search(t, svc, Request{Query: `"五育并举"`}); res.Total == 0 {
		t.Errorf("rebuilt index finds nothing")
	}
}

func TestBadRequests(t *testing.T) {
	f := seeds(t)
	ors := strings.TrimSuffix(strings.Repeat("教育 OR ", 1000), " OR ")
	for _, tc := range []struct {
		name string
		r    Request
		code string
	}{
		{"unbalanced quote", Request{Query: `"五育并举`}, corpus.EINVALID},
		{"only exclusions", Request{Query: "-高职 -中职"}, corpus.EINVALID},
		{"empty", Request{Query: "  "}, corpus.EINVALID},
		{"10 KB", Request{Query: strings.Repeat("教", 10240/3)}, corpus.ETOOLARGE},
		{"1000 ORs", Request{Query: ors}, corpus.ETOOLARGE},
		{"many short terms", Request{Query: strings.Repeat("a ", 100)}, corpus.ETOOLARGE},
		{"invalid utf-8", Request{Query: "教育\xff\xfe"}, corpus.EINVALID},
		{"dangling OR", Request{Query: "教育 OR"}, corpus.EINVALID},
		{"OR exclusion", Request{Query: "教育 OR -高职"}, corpus.EINVALID},
		{"unknown type", Request{Query: "type:foo 教育"}, corpus.EINVALID},
		{"unknown section", Request{Query: "section:第一章"}, corpus.EINVALID},
		{"bad target", Request{Query: "target>=abc"}, corpus.EINVALID},
		{"limit over 1000", Request{Query: "教育", Limit: 1001}, corpus.ETOOLARGE},
		{"negative offset", Request{Query: "教育", Offset: -1}, corpus.EINVALID},
		{"too many filter values", Request{Query: "教育", Districts: make([]string, 65)}, corpus.ETOOLARGE},
		{"empty phrase", Request{Query: `"" 教育`}, corpus.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Search(context.Background(), tc.r)
			if corpus.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if msg := corpus.ErrorMessage(err); !hasHan(msg) {
				t.Errorf("message %q is not Chinese", msg)
			}
		})
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func TestDeadline(t *testing.T) {
	f := seeds(t)
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	_, err := f.svc.Search(ctx, Request{Query: "教育"})
	if corpus.ErrorCode(err) != corpus.ETIMEOUT {
		t.Fatalf("expired deadline: %v, want ETIMEOUT", err)
	}
}

func TestParseQuery(t *testing.T) {
	f99, f100 := 99.0, 100.0
	for _, tc := range []struct {
		in   string
		want Query
	}{
		{`"五育并举" 集团化办学`, Query{Groups: []Group{{{Text: "五育并举", Phrase: true}}, {{Text: "集团化办学"}}}}},
		{`双减 OR 课后服务 -高职`, Query{Groups: []Group{{{Text: "双减"}, {Text: "课后服务"}}}, Exclude: []string{"高职"}}},
		{`"45 万人次" ＂１＋Ｘ＂`, Query{Groups: []Group{{{Text: "45万人次", Phrase: true}}, {{Text: "1+X", Phrase: true}}}}},
		{`district:巫溪县 学前教育 区县：永川区`, Query{Groups: []Group{{{Text: "学前教育"}}}, Districts: []string{"巫溪县", "永川区"}}},
		{`type:task 责任单位 section:主要任务 theme:"职业教育"`, Query{Groups: []Group{{{Text: "责任单位"}}}, Types: []string{"task"}, Sections: []string{"主要任务"}, Themes: []string{"职业教育"}}},
		{`target>=99 target<=100 毛入园率`, Query{Groups: []Group{{{Text: "毛入园率"}}}, TargetMin: &f99, TargetMax: &f100}},
		{`target:99..100`, Query{TargetMin: &f99, TargetMax: &f100}},
		{`10:00 http://x`, Query{Groups: []Group{{{Text: "10:00"}}, {{Text: "http://x"}}}}},
		{`學前教育`, Query{Groups: []Group{{{Text: "学前教育"}}}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			q, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(q)
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Errorf("ParseQuery(%q)\n got %s\nwant %s", tc.in, got, want)
			}
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`"五育并举" 集团化办学`, `双减 OR 课后服务 -高职`, `district:巫溪县 type:task`, `target>=99`, `"unbalanced`, `OR OR`, `-"x" -y`, "\xff", `target:..5`, `a:"b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if c := corpus.ErrorCode(err); c != corpus.EINVALID && c != corpus.ETOOLARGE {
				t.Fatalf("ParseQuery(%q): code %s: %v", s, c, err)
			}
			return
		}
		for _, g := range q.Groups {
			if len(g) == 0 {
				t.Fatalf("ParseQuery(%q): empty group", s)
			}
			for _, it := range g {
				if it.Text == "" || it.Text != corpus.Normalize(it.Text) {
					t.Fatalf("ParseQuery(%q): item %q not normalised", s, it.Text)
				}
			}
		}
	})
}

// BenchmarkSearch runs the query mix of the performance target:
// phrases, multi-word queries, OR, exclusions, facets, filters and
// highlighting, one query per iteration in turn.
func BenchmarkSearch(b *testing.B) {
	f := seeds(b)
	mix := []Request{
		{Query: `"五育并举"`},
		{Query: `"学前三年毛入园率"`},
		{Query: `"1+X"`},
		{Query: "集团化办学"},
		{Query: "教师队伍建设 乡村"},
		{Query: "双减 OR 课后服务"},
		{Query: "职业教育 -高职"},
		{Query: "学前教育", Districts: []string{"巫溪县"}},
		{Query: "type:task 责任单位"},
		{Query: "教育", Themes: []string{"教育信息化"}, Sections: []string{corpus.PartTasks}},
	}
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := f.svc.Search(ctx, mix[i%len(mix)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// TestTargetRange: a numeric range keeps exactly the targets whose
// promised value lies in it.
func TestTargetRange(t *testing.T) {
	f := seeds(t)
	lo, hi := 90.0, 99.5
	want := map[string]bool{}
	for _, d := range f.c.Documents() {
		for _, tg := range d.Targets {
			if v := tg.Target.Value; v != nil && *v >= lo && *v <= hi && strings.Contains(corpus.Normalize(tg.Text), "毛入园率") {
				want[tg.ID] = true
			}
		}
	}
	if len(want) == 0 {
		t.Skip("no targets in range yet")
	}
	for _, r := range []Request{
		{Query: `"毛入园率"`, TargetMin: &lo, TargetMax: &hi, Limit: MaxLimit},
		{Query: `"毛入园率" target:90..99.5`, Limit: MaxLimit},
		{Query: `"毛入园率" target>=90 target<=99.5`, Limit: MaxLimit},
	} {
		res := search(t, f.svc, r)
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
			if h.Type != string(corpus.TypeTarget) {
				t.Errorf("%s: hit %s of type %s", r.Query, h.ID, h.Type)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: hits %v, want %v", r.Query, got, want)
		}
	}
}

// TestConcurrentSearch runs the query mix from several goroutines (run
// with -race): the service and the segmenter are shared read-only.
func TestConcurrentSearch(t *testing.T) {
	f := seeds(t)
	queries := []string{`"五育并举"`, "集团化办学", "双减 OR 课后服务", "职业教育 -高职", "district:巫溪县 学前教育", "type:target 毛入园率"}
	want := map[string]uint64{}
	for _, q := range queries {
		want[q] = search(t, f.svc, Request{Query: q}).Total
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 12; i++ {
				q := queries[(g+i)%len(queries)]
				res, err := f.svc.Search(context.Background(), Request{Query: q})
				if err != nil {
					errs <- err
					return
				}
				if res.Total != want[q] {
					errs <- fmt.Errorf("%s: total %d, want %d", q, res.Total, want[q])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestNormMap: every unit's text maps to its normalised form with every
// normalised byte pointing at the original characters it came from.
func TestNormMap(t *testing.T) {
	// whitespace between combining marks of different classes or Hangul
	// jamo: the text Normalize gives, without offsets
	for _, text := range []string{"\u0362 \u036e", "\u1100 \u1161"} {
		if m := newNormMap(text); m.norm != corpus.Normalize(text) {
			t.Errorf("newNormMap(%q) = %q, want %q", text, m.norm, corpus.Normalize(text))
		}
	}
	f := seeds(t)
	for _, d := range f.c.Documents() {
		for _, u := range d.Units {
			m := newNormMap(u.Text)
			if m.norm != corpus.Normalize(u.Text) || len(m.start) != len(m.norm) {
				t.Fatalf("%s: no offset map", u.ID)
			}
			for i := 0; i < len(m.norm); {
				r, size := utf8.DecodeRuneInString(m.norm[i:])
				if src := corpus.Normalize(u.Text[m.start[i]:m.end[i]]); !strings.ContainsRune(src, r) {
					t.Fatalf("%s: %q maps to %q", u.ID, r, u.Text[m.start[i]:m.end[i]])
				}
				i += size
			}
		}
	}
}

// TestQuickNormMap: the rune-by-rune map that highlighting tries first
// agrees with newNormMap (the NFKC segment walk) on every unit and target
// text of the seeds and on hostile strings, and applies to almost all
// seed texts (else it would be no shortcut).
func TestQuickNormMap(t *testing.T) {
	f := seeds(t)
	texts := []string{"  全角１２３ＡＢＣ，（注）\u3000㎡ 學前教育\t",
		"e\u0301 combining", "\xff\xfe invalid", "ﬁ ligature ½", ""}
	for _, text := range allTexts(f.c) {
		texts = append(texts, text)
	}
	quick := 0
	for _, text := range texts {
		want := corpus.Normalize(text)
		q, ok := quickNormMap(text, want)
		if !ok {
			continue
		}
		quick++
		slow := newNormMap(text)
		if q.norm != slow.norm || !slices.Equal(q.start, slow.start) || !slices.Equal(q.end, slow.end) {
			t.Errorf("quickNormMap(%q) differs from newNormMap", text)
		}
	}
	if quick < len(texts)*9/10 {
		t.Errorf("quickNormMap applies to %d of %d texts", quick, len(texts))
	}
	t.Logf("quickNormMap applies to %d of %d texts", quick, len(texts))
}
