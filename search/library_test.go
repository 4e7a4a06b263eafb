package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math/rand"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ingest"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/indexer/store"
)

// libLoader returns the loader zhengce gives a served index: the
// default parser and every format reader, without OCR.
func libLoader(t *testing.T) *corpus.Loader {
	t.Helper()
	p, err := parse.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := ingest.New(ingest.Options{Parser: p, NoOCR: true})
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r.Loader()
}

// buildLibrary builds a self-contained index of files into a new
// directory with the full segmenter (shared with the seeds fixture) and
// returns the directory.
func buildLibrary(t *testing.T, loader *corpus.Loader, files []corpus.File) string {
	t.Helper()
	docs, rejected, _, err := loader.LoadFiles(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	if len(rejected) > 0 {
		t.Fatalf("base files rejected: %v", rejected)
	}
	c, err := corpus.New(docs)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), dir, c, seeds(t).seg, nil); err != nil {
		t.Fatalf("Build: %v", err)
	}
	return dir
}

// loaderOf returns loader as OpenLibrary takes it.
func loaderOf(loader *corpus.Loader) func() (*corpus.Loader, error) {
	return func() (*corpus.Loader, error) { return loader, nil }
}

// openLibrary opens the index in dir, closed when the test ends.
func openLibrary(t *testing.T, dir string, loader *corpus.Loader) *Live {
	t.Helper()
	l, err := OpenLibrary(dir, loaderOf(loader), seeds(t).seg)
	if err != nil {
		t.Fatalf("OpenLibrary: %v", err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// synth writes short policy documents from a small vocabulary, so that
// phrases of two or three words occur in many units of many documents.
type synth struct {
	rng *rand.Rand
}

var (
	synthPlaces = []string{"东营市", "垦利区", "沙坪坝区", "两江新区", "山东省", ""}
	synthKinds  = []string{"通知", "意见", "方案", "办法", "规划"}
	synthWords  = []string{"教育", "学校", "质量", "发展", "管理", "改革", "创新", "推进", "提升", "加强"}
	synthNums   = []string{"一", "二", "三", "四"}
)

// words returns n random words run together.
func (s synth) words(n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(synthWords[s.rng.Intn(len(synthWords))])
	}
	return b.String()
}

// text returns a document: a title naming a place and a kind, a date
// line (mostly), and one to three numbered sections of sentences.
func (s synth) text() string {
	var b strings.Builder
	place := synthPlaces[s.rng.Intn(len(synthPlaces))]
	fmt.Fprintf(&b, "%s关于%s的%s\n", place, s.words(2), synthKinds[s.rng.Intn(len(synthKinds))])
	if s.rng.Intn(4) > 0 {
		fmt.Fprintf(&b, "%d年%d月%d日\n", 2016+s.rng.Intn(9), 1+s.rng.Intn(12), 1+s.rng.Intn(28))
	}
	for i := range 1 + s.rng.Intn(3) {
		fmt.Fprintf(&b, "%s、%s\n", synthNums[i], s.words(2))
		for range 1 + s.rng.Intn(2) {
			for range 1 + s.rng.Intn(3) {
				b.WriteString(s.words(2 + s.rng.Intn(4)))
				b.WriteString("，")
				b.WriteString(s.words(1 + s.rng.Intn(3)))
				b.WriteString("。")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// synthLibrary builds a library of n synthetic files named prefix… from
// seed: its directory, the loader it was built with, and the generator
// for more text.
func synthLibrary(t *testing.T, seed int64, prefix string, n int) (string, *corpus.Loader, synth) {
	t.Helper()
	s := synth{rand.New(rand.NewSource(seed))}
	loader := libLoader(t)
	return buildLibrary(t, loader, s.files(prefix, n)), loader, s
}

// files returns n synthetic documents named prefix0.txt, prefix1.txt …
func (s synth) files(prefix string, n int) []corpus.File {
	out := make([]corpus.File, n)
	for i := range out {
		out[i] = corpus.File{Name: prefix + strconv.Itoa(i) + ".txt", Data: []byte(s.text())}
	}
	return out
}

// libPhrases are the quoted phrases the property test checks: frequent
// pairs and triples of the vocabulary, ones spanning punctuation, one no
// document has.
var libPhrases = []string{"教育质量", "学校管理", "推进改革", "创新发展", "质量提升", "加强学校管理", "改革创新教育", "管理，", "。推进", "教育", "不存在的短语"}

// fullDocs returns the documents of c with their bodies: a served
// corpus lists stubs.
func fullDocs(t *testing.T, c *corpus.Corpus) []*corpus.Document {
	t.Helper()
	var out []*corpus.Document
	for _, stub := range c.Documents() {
		d, err := c.Document(stub.ID)
		if err != nil {
			t.Fatalf("document %s: %v", stub.ID, err)
		}
		if d.IsStub() || d.Counts() != stub.Counts() || d.Title != stub.Title {
			t.Fatalf("document %s loaded as %+v (stub %+v)", stub.ID, d.Counts(), stub.Counts())
		}
		out = append(out, d)
	}
	return out
}

// bruteHits returns the ids of the units of docs whose normalised text
// contains the normalised phrase, sorted: what a quoted search returns
// (targets are hidden from it).
func bruteHits(docs []*corpus.Document, phrase string) []string {
	p := corpus.Normalize(phrase)
	var out []string
	for _, d := range docs {
		for _, u := range d.Units {
			if strings.Contains(corpus.Normalize(u.Text), p) {
				out = append(out, u.ID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// bruteFacets counts the matching units of phrase by the district,
// doctype and year of their document, as the facets of a search do.
func bruteFacets(docs []*corpus.Document, phrase string) map[string]map[string]int {
	p := corpus.Normalize(phrase)
	out := map[string]map[string]int{"district": {}, "doctype": {}, "year": {}}
	for _, d := range docs {
		n := 0
		for _, u := range d.Units {
			if strings.Contains(corpus.Normalize(u.Text), p) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		if d.District != "" {
			out["district"][d.District] += n
		}
		if d.DocType != "" {
			out["doctype"][d.DocType] += n
		}
		y := d.Year
		if y == 0 && len(d.IssueDate) >= 4 {
			y, _ = strconv.Atoi(d.IssueDate[:4])
		}
		if y >= MinYear && y <= MaxYear {
			out["year"][strconv.Itoa(y)] += n
		}
	}
	return out
}

func facetMap(vals []FacetValue) map[string]int {
	out := map[string]int{}
	for _, v := range vals {
		out[v.Value] = v.Count
	}
	return out
}

// phraseHits searches the quoted phrase, pages of size page through all
// its hits, and returns their ids sorted and the first page's response.
func phraseHits(t *testing.T, l *Live, phrase string, page int) ([]string, *Response) {
	t.Helper()
	var ids []string
	var first *Response
	seen := map[string]bool{}
	for off := 0; ; off += page {
		res, err := l.Search(context.Background(), Request{Query: `"` + phrase + `"`, Limit: page, Offset: off})
		if err != nil {
			t.Fatalf("search %q: %v", phrase, err)
		}
		if first == nil {
			first = res
		} else if res.Total != first.Total {
			t.Fatalf("%q: total %d on the page at %d, %d on the first", phrase, res.Total, off, first.Total)
		}
		for _, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("%q: hit %s on two pages", phrase, h.ID)
			}
			seen[h.ID] = true
			ids = append(ids, h.ID)
			if !strings.Contains(corpus.Normalize(h.Text), corpus.Normalize(phrase)) {
				t.Errorf("%q: hit %s lacks it: %q", phrase, h.ID, h.Text)
			}
		}
		if len(res.Hits) < page || off+page >= int(res.Total) {
			break
		}
	}
	if uint64(len(ids)) != first.Total {
		t.Errorf("%q: %d hits paged through, total %d", phrase, len(ids), first.Total)
	}
	slices.Sort(ids)
	return ids, first
}

// checkPhrases compares every phrase's search with brute force over the
// documents l serves.
func checkPhrases(t *testing.T, l *Live, page int, when string) {
	t.Helper()
	docs := fullDocs(t, l.Corpus())
	for _, p := range libPhrases {
		got, res := phraseHits(t, l, p, page)
		if want := bruteHits(docs, p); !slices.Equal(got, want) {
			t.Errorf("%s: %q: %d hits, brute force %d\n got  %v\n want %v", when, p, len(got), len(want), got, want)
			continue
		}
		want := bruteFacets(docs, p)
		for name, vals := range map[string][]FacetValue{"district": res.Facets.District, "doctype": res.Facets.DocType, "year": res.Facets.Year} {
			if got := facetMap(vals); !maps.Equal(got, want[name]) {
				t.Errorf("%s: %q: %s facet %v, brute force %v", when, p, name, got, want[name])
			}
		}
	}
}

// sameStamps compares sources, their times by instant.
func sameStamps(a, b map[string]corpus.Stamp) bool {
	return maps.EqualFunc(a, b, func(x, y corpus.Stamp) bool {
		return x.ID == y.ID && x.Size == y.Size && x.SHA256 == y.SHA256 && x.ModTime.Equal(y.ModTime)
	})
}

// docIDs returns the ids of the documents of c.
func docIDs(c *corpus.Corpus) []string {
	var out []string
	for _, d := range c.Documents() {
		out = append(out, d.ID)
	}
	return out
}

// libModel is what the property test expects the index to hold: the
// title line of every document by id.
type libModel map[string]string

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimPrefix(line, "# ")
}

// check compares the documents l serves with the model.
func (m libModel) check(t *testing.T, l *Live, when string) {
	t.Helper()
	c := l.Corpus()
	if got, want := docIDs(c), slices.Sorted(maps.Keys(m)); !slices.Equal(got, want) {
		t.Fatalf("%s: documents %v, want %v", when, got, want)
	}
	for _, d := range c.Documents() {
		if !strings.HasPrefix(m[d.ID], d.Title) {
			t.Errorf("%s: %s has the title %q, want %q", when, d.ID, d.Title, m[d.ID])
		}
	}
}

// TestLibraryProperty applies a random sequence of additions,
// replacements and removals to a served index and checks after every
// few of them that quoted searches (every hit, paged through) and their
// facets equal a brute-force scan of the documents served; then that
// the index reopened, and one rebuilt from scratch from those documents,
// give the same answers.
func TestLibraryProperty(t *testing.T) {
	const ops = 200
	rng := rand.New(rand.NewSource(20260601))
	s := synth{rng}
	loader := libLoader(t)
	model := libModel{}
	var base []corpus.File
	for i := range 8 {
		txt := s.text()
		name := fmt.Sprintf("base%02d.txt", i)
		base = append(base, corpus.File{Name: name, Data: []byte(txt)})
		model[strings.TrimSuffix(name, ".txt")] = firstLine(txt)
	}
	dir := buildLibrary(t, loader, base)
	l, err := OpenLibrary(dir, loaderOf(loader), seeds(t).seg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { l.Close() }()
	model.check(t, l, "opened")
	checkPhrases(t, l, MaxLimit, "opened")
	ctx := context.Background()
	next := 0
	counts := map[string]int{}
	for op := 1; op <= ops; op++ {
		ids := slices.Sorted(maps.Keys(model))
		switch k := rng.Intn(20); {
		case k < 9 || len(ids) < 3: // add one to three new documents
			var files []corpus.File
			for range 1 + rng.Intn(3) {
				ext := []string{".txt", ".md"}[rng.Intn(2)]
				name := fmt.Sprintf("new%03d%s", next, ext)
				next++
				txt := s.text()
				if ext == ".md" {
					txt = "# " + txt
				}
				files = append(files, corpus.File{Name: name, Data: []byte(txt), ModTime: time.Unix(int64(1700000000+op), 0)})
			}
			res, err := l.Add(ctx, "cli", files)
			if err != nil {
				t.Fatalf("op %d: Add: %v", op, err)
			}
			if len(res) != len(files) {
				t.Fatalf("op %d: %d results for %d files: %+v", op, len(res), len(files), res)
			}
			for i, r := range res {
				id := strings.TrimSuffix(strings.TrimSuffix(files[i].Name, ".txt"), ".md")
				if r.Status != corpus.ChangeIndexed || r.ID != id || r.Source != files[i].Name || r.Replaced {
					t.Fatalf("op %d: result %+v for %s", op, r, files[i].Name)
				}
				model[id] = firstLine(string(files[i].Data))
			}
			counts["add"]++
		case k < 14: // replace an existing document with a new text
			id := ids[rng.Intn(len(ids))]
			txt := s.text()
			res, err := l.Add(ctx, "cli", []corpus.File{{Name: id + ".txt", Data: []byte(txt)}})
			if err != nil {
				t.Fatalf("op %d: replace %s: %v", op, id, err)
			}
			if len(res) != 1 || res[0].ID != id || res[0].Status != corpus.ChangeIndexed || !res[0].Replaced {
				t.Fatalf("op %d: replace %s: %+v", op, id, res)
			}
			model[id] = firstLine(txt)
			counts["replace"]++
		default: // remove one or two documents
			var rm []string
			for range 1 + rng.Intn(2) {
				rm = append(rm, ids[rng.Intn(len(ids))])
			}
			res, err := l.Remove(ctx, rm)
			if err != nil {
				t.Fatalf("op %d: Remove %v: %v", op, rm, err)
			}
			rm = slices.Compact(slices.Sorted(slices.Values(rm)))
			if len(res) != len(rm) {
				t.Fatalf("op %d: Remove %v: %+v", op, rm, res)
			}
			for i, r := range res {
				if r.ID != rm[i] || r.Status != corpus.ChangeRemoved {
					t.Fatalf("op %d: Remove %v: %+v", op, rm, res)
				}
				delete(model, r.ID)
			}
			counts["remove"]++
		}
		if op%20 == 0 || op == ops {
			when := fmt.Sprintf("after op %d", op)
			model.check(t, l, when)
			checkPhrases(t, l, MaxLimit, when)
			if t.Failed() {
				t.FailNow()
			}
		}
	}
	t.Logf("operations: %v; %d documents", counts, len(model))
	checkPhrases(t, l, 7, "paged by 7")
	want := map[string][]string{}
	for _, p := range libPhrases {
		want[p], _ = phraseHits(t, l, p, MaxLimit)
	}
	sources := l.Sources("cli")
	if len(sources) == 0 {
		t.Error("no sources of origin cli")
	}

	// reopened: the same documents, sources and answers
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l = openLibrary(t, dir, loader)
	model.check(t, l, "reopened")
	checkPhrases(t, l, MaxLimit, "reopened")
	for _, p := range libPhrases {
		if got, _ := phraseHits(t, l, p, MaxLimit); !slices.Equal(got, want[p]) {
			t.Errorf("reopened: %q: %v, before %v", p, got, want[p])
		}
	}
	if got := l.Sources("cli"); !sameStamps(got, sources) {
		t.Errorf("reopened: sources differ:\n%v\n%v", got, sources)
	}

	// rebuilt from scratch from the documents served
	c, err := corpus.New(fullDocs(t, l.Corpus()))
	if err != nil {
		t.Fatal(err)
	}
	dir2 := filepath.Join(t.TempDir(), "rebuilt")
	if _, err := indexer.Build(ctx, dir2, c, seeds(t).seg, nil); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	l2 := openLibrary(t, dir2, loader)
	model.check(t, l2, "rebuilt")
	for _, p := range libPhrases {
		if got, _ := phraseHits(t, l2, p, MaxLimit); !slices.Equal(got, want[p]) {
			t.Errorf("rebuilt: %q: %v, incremental %v", p, got, want[p])
		}
	}
	checkPhrases(t, l2, MaxLimit, "rebuilt")
}

// TestLibraryAtomicUnderSearch searches in a loop from several
// goroutines while documents sharing a phrase are added together,
// replaced and removed: every search sees the index before or after a
// change, never between (the phrase's total is always one of the
// states'), and a change is visible as soon as it returns.
func TestLibraryAtomicUnderSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	s := synth{rng}
	loader := libLoader(t)
	var base []corpus.File
	for i := range 4 {
		base = append(base, corpus.File{Name: fmt.Sprintf("b%d.txt", i), Data: []byte(s.text())})
	}
	l := openLibrary(t, buildLibrary(t, loader, base), loader)
	const mark = "甲乙丙丁戊"
	// a document with the mark in n paragraphs (and a title without)
	doc := func(name string, n int) corpus.File {
		var b strings.Builder
		fmt.Fprintf(&b, "东营市关于%s的通知\n", s.words(2))
		for i := range n {
			fmt.Fprintf(&b, "%s、%s\n%s，%s%s。\n", synthNums[i], s.words(2), s.words(3), mark, s.words(2))
		}
		return corpus.File{Name: name, Data: []byte(b.String())}
	}
	ctx := context.Background()
	total := func() uint64 {
		res, err := l.Search(ctx, Request{Query: `"` + mark + `"`, Limit: MaxLimit})
		if err != nil {
			t.Errorf("search: %v", err)
			return 0
		}
		if uint64(len(res.Hits)) != res.Total {
			t.Errorf("%d hits, total %d", len(res.Hits), res.Total)
		}
		return res.Total
	}
	// the states: nothing (0); x with 3 and y with 2 (5); x replaced by
	// one with 1 (3)
	allowed := map[uint64]bool{0: true, 5: true, 3: true}
	stop := make(chan struct{})
	var searches atomic.Int64
	var bad sync.Map
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := total()
				searches.Add(1)
				if !allowed[n] {
					bad.Store(n, true)
				}
			}
		})
	}
	steps := []struct {
		name string
		do   func() error
		want uint64
	}{
		{"add x and y", func() error {
			_, err := l.Add(ctx, "upload", []corpus.File{doc("x.txt", 3), doc("y.txt", 2)})
			return err
		}, 5},
		{"replace x", func() error {
			res, err := l.Add(ctx, "upload", []corpus.File{doc("x.txt", 1)})
			if err == nil && (len(res) != 1 || !res[0].Replaced) {
				err = fmt.Errorf("results %+v", res)
			}
			return err
		}, 3},
		{"remove x and y", func() error {
			_, err := l.Remove(ctx, []string{"x", "y"})
			return err
		}, 0},
	}
	for round := range 4 {
		for _, st := range steps {
			if err := st.do(); err != nil {
				close(stop)
				wg.Wait()
				t.Fatalf("round %d: %s: %v", round, st.name, err)
			}
			// visible when the change returns
			if n := total(); n != st.want {
				t.Errorf("round %d: after %s: total %d, want %d", round, st.name, n, st.want)
			}
		}
	}
	close(stop)
	wg.Wait()
	bad.Range(func(k, _ any) bool {
		t.Errorf("a search saw a total of %v: a change seen in part", k)
		return true
	})
	if searches.Load() < 10 {
		t.Errorf("only %d searches ran during the changes", searches.Load())
	}
	t.Logf("%d searches during %d changes", searches.Load(), 4*len(steps))
}

// TestLibraryChanges checks the outcomes of single changes: rejected
// files change nothing, a file of an existing id replaces it, sources
// carry stamps, an unknown id removes nothing, the index can be emptied
// and filled again, and it is locked while open.
func TestLibraryChanges(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	s := synth{rng}
	loader := libLoader(t)
	base := []corpus.File{
		{Name: "a.txt", Data: []byte("东营市关于推进教育发展的通知\n2021年3月5日\n一、总体要求\n推进教育发展，提高学校质量。\n")},
		{Name: "b.txt", Data: []byte(s.text())},
	}
	dir := buildLibrary(t, loader, base)
	l := openLibrary(t, dir, loader)
	ctx := context.Background()
	hits := func(phrase string) []string {
		t.Helper()
		ids, _ := phraseHits(t, l, phrase, MaxLimit)
		return ids
	}

	t.Run("change hook", func(t *testing.T) {
		var calls []bool
		l.SetChangeHook(func(changing bool) { calls = append(calls, changing) })
		defer l.SetChangeHook(nil)
		added, err := l.Add(ctx, "upload", []corpus.File{{Name: "hook.txt", Data: []byte("东营市关于钩子的通知\n推进钩子测试。\n")}})
		if err != nil || len(added) != 1 || added[0].Status != corpus.ChangeIndexed {
			t.Fatalf("Add: %+v, %v", added, err)
		}
		if res, err := l.Remove(ctx, []string{added[0].ID}); err != nil || len(res) != 1 || res[0].Status != corpus.ChangeRemoved {
			t.Fatalf("Remove: %+v, %v", res, err)
		}
		if want := []bool{true, false, true, false}; !slices.Equal(calls, want) {
			t.Errorf("hook calls %v, want %v (begin and end of each change)", calls, want)
		}
	})

	t.Run("rejected", func(t *testing.T) {
		before := l.Corpus()
		srcBefore := l.Sources("upload")
		res, err := l.Add(ctx, "upload", []corpus.File{
			{Name: "empty.txt", Data: nil},
			{Name: "binary.txt", Data: []byte{0, 1, 2, 0xff, 0xfe, 0, 0, 7, 0x80, 0, 3, 4}},
		})
		if err != nil {
			t.Fatalf("Add: %v", err)
		}
		if len(res) != 2 {
			t.Fatalf("results %+v", res)
		}
		for _, r := range res {
			if r.Status != corpus.ChangeRejected || r.Reason == "" || r.Source == "" {
				t.Errorf("result %+v, want rejected with a reason", r)
			}
		}
		if l.Corpus() != before {
			t.Error("a change of rejected files only changed the corpus")
		}
		if got := l.Sources("upload"); !sameStamps(got, srcBefore) {
			t.Errorf("sources %v, want %v", got, srcBefore)
		}
		if res, err := l.Add(ctx, "upload", nil); err != nil || len(res) != 0 {
			t.Errorf("Add of no files: %+v, %v", res, err)
		}
	})

	t.Run("mixed", func(t *testing.T) {
		res, err := l.Add(ctx, "upload", []corpus.File{
			{Name: "c.txt", Data: []byte("垦利区学校管理办法\n学校管理改革，丙丁标记。\n")},
			{Name: "bad.txt", Data: nil},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 2 || res[0].Source != "bad.txt" || res[0].Status != corpus.ChangeRejected ||
			res[1].Source != "c.txt" || res[1].Status != corpus.ChangeIndexed || res[1].ID != "c" || res[1].Replaced {
			t.Fatalf("results %+v", res)
		}
		if got := hits("丙丁标记"); len(got) != 1 || !strings.HasPrefix(got[0], "c/") {
			t.Errorf("hits of the added document %v", got)
		}
	})

	t.Run("replace", func(t *testing.T) {
		if got := hits("提高学校质量"); len(got) != 1 {
			t.Fatalf("before: hits %v", got)
		}
		data := []byte("东营市关于推进教育发展的通知\n2022年4月1日\n一、总体要求\n全面改写后的戊己内容。\n")
		mtime := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
		res, err := l.Add(ctx, "cli", []corpus.File{{Name: "a.txt", Data: data, ModTime: mtime}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].ID != "a" || res[0].Status != corpus.ChangeIndexed || !res[0].Replaced || res[0].Source != "a.txt" {
			t.Fatalf("results %+v", res)
		}
		if got := hits("提高学校质量"); len(got) != 0 {
			t.Errorf("the old text is still found: %v", got)
		}
		if got := hits("戊己内容"); len(got) != 1 || got[0] != "a/1.p1" {
			t.Errorf("the new text: hits %v", got)
		}
		d, err := l.Corpus().Document("a")
		if err != nil || d.IssueDate != "2022-04-01" {
			t.Errorf("document a: %v, issue date %q", err, d.IssueDate)
		}
		sum := sha256.Sum256(data)
		want := corpus.Stamp{ID: "a", Size: int64(len(data)), ModTime: mtime, SHA256: hex.EncodeToString(sum[:])}
		if got := l.Sources("cli")["a.txt"]; !sameStamps(map[string]corpus.Stamp{"": got}, map[string]corpus.Stamp{"": want}) {
			t.Errorf("stamp %+v, want %+v", got, want)
		}
		if _, ok := l.Sources("build")["a.txt"]; ok {
			t.Error("the replaced document is still a source of the build")
		}
		if _, ok := l.Sources("build")["b.txt"]; !ok {
			t.Errorf("sources of the build %v lack b.txt", l.Sources("build"))
		}
		if src := l.Sources("upload"); len(src) != 1 || src["c.txt"].ID != "c" {
			t.Errorf("sources of uploads %v, want c.txt", src)
		}
		orig, _, err := l.Corpus().Original(ctx, "a")
		if err != nil || string(orig) != string(data) {
			t.Errorf("original of a: %q, %v", orig, err)
		}
	})

	t.Run("remove unknown", func(t *testing.T) {
		before := l.Corpus()
		_, err := l.Remove(ctx, []string{"c", "nope"})
		var ce *corpus.Error
		if !errors.As(err, &ce) || ce.Code != corpus.ENOTFOUND {
			t.Fatalf("Remove with an unknown id: %v, want ENOTFOUND", err)
		}
		if l.Corpus() != before || len(hits("丙丁标记")) != 1 {
			t.Error("a failed removal removed something")
		}
		if res, err := l.Remove(ctx, nil); err != nil || len(res) != 0 {
			t.Errorf("Remove of no ids: %+v, %v", res, err)
		}
	})

	t.Run("remove", func(t *testing.T) {
		res, err := l.Remove(ctx, []string{"c", "c"})
		if err != nil || len(res) != 1 || res[0].ID != "c" || res[0].Status != corpus.ChangeRemoved || res[0].Source != "c.txt" {
			t.Fatalf("Remove: %+v, %v", res, err)
		}
		if got := hits("丙丁标记"); len(got) != 0 {
			t.Errorf("removed document still found: %v", got)
		}
		if src := l.Sources("upload"); len(src) != 0 {
			t.Errorf("sources of uploads %v after removing c", src)
		}
		if _, err := l.Corpus().Document("c"); err == nil {
			t.Error("removed document still in the corpus")
		}
	})

	t.Run("remove everything", func(t *testing.T) {
		if _, err := l.Remove(ctx, docIDs(l.Corpus())); err != nil {
			t.Fatal(err)
		}
		if n := len(l.Corpus().Documents()); n != 0 {
			t.Fatalf("%d documents left", n)
		}
		res, err := l.Search(ctx, Request{Query: `"教育"`})
		if err != nil || res.Total != 0 {
			t.Fatalf("search of an empty index: %+v, %v", res, err)
		}
		if _, err := l.Add(ctx, "cli", []corpus.File{{Name: "d.txt", Data: []byte("沙坪坝区关于教育的意见\n重新开始的庚辛文字。\n")}}); err != nil {
			t.Fatal(err)
		}
		if got := hits("庚辛文字"); len(got) != 1 {
			t.Errorf("hits %v", got)
		}
	})

	t.Run("locked", func(t *testing.T) {
		_, err := OpenLibrary(dir, loaderOf(loader), seeds(t).seg)
		if !errors.Is(err, store.ErrLocked) {
			t.Errorf("second OpenLibrary: %v, want ErrLocked", err)
		}
	})

	t.Run("reopened", func(t *testing.T) {
		before := docIDs(l.Corpus())
		src := l.Sources("cli")
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		l = openLibrary(t, dir, loader)
		if got := docIDs(l.Corpus()); !slices.Equal(got, before) {
			t.Errorf("documents %v, want %v", got, before)
		}
		if got := l.Sources("cli"); !sameStamps(got, src) {
			t.Errorf("sources %v, want %v", got, src)
		}
		if got := hits("庚辛文字"); len(got) != 1 {
			t.Errorf("hits %v", got)
		}
	})
}
