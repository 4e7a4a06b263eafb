package indexer_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

// TestDomainDictSearchResults runs every query of the relevance goldens,
// every quoted phrase of testdata/phrases.json and queries made of words
// that occur nowhere in the corpus, once with gse's full dictionary and
// once with the domain dictionary saved in the index, and compares totals
// and hit ids in order.
//
// Words of the corpus segment identically (TestDomainDictIdentical), so
// every query whose words occur in the corpus must answer identically.
// A query word the corpus never contains is matched verbatim first (tier
// 1, no segmenter) like any other; its tier-2 words may differ, because
// the full dictionary keeps an unknown word whole (then it matches
// nothing) where the domain dictionary cuts it into corpus words. Those
// differences are listed in the log; the queries with unknown words must
// still never match fewer units than with the full dictionary.
func TestDomainDictSearchResults(t *testing.T) {
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	full, err := indexer.NewSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := indexer.Build(context.Background(), dir, c, full, nil); err != nil {
		t.Fatal(err)
	}
	dom, err := indexer.LoadDomainSegmenter(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	svcFull, err := search.Open(dir, c, full)
	if err != nil {
		t.Fatal(err)
	}
	defer svcFull.Close()
	svcDom, err := search.Open(dir, c, dom)
	if err != nil {
		t.Fatal(err)
	}
	defer svcDom.Close()

	var golden []struct {
		Request struct {
			Query string `json:"query"`
		} `json:"request"`
	}
	readJSON(t, "../testdata/search/searches.json", &golden)
	var phrases map[string]map[string]int
	readJSON(t, "../testdata/phrases.json", &phrases)
	known := []string{}
	for _, g := range golden {
		known = append(known, g.Request.Query)
	}
	// quoted phrases never reach the segmenter: only bare words here
	for p := range phrases {
		known = append(known, p)
	}
	// words (or word runs) that do not occur in the seed corpus
	unknown := []string{"元宇宙 教育", "人工智能大模型", "课后托管服务", "区块链", "碳中和 校园", "数字孪生校园", "新冠疫情防控"}

	ctx := context.Background()
	same := 0
	for _, q := range append(known, unknown...) {
		isUnknown := slices.Contains(unknown, q)
		a, errA := svcFull.Search(ctx, search.Request{Query: q, Limit: 20})
		b, errB := svcDom.Search(ctx, search.Request{Query: q, Limit: 20})
		if (errA == nil) != (errB == nil) {
			t.Errorf("%q: error %v with the full dictionary, %v with the domain dictionary", q, errA, errB)
			continue
		}
		if errA != nil {
			continue
		}
		if isUnknown {
			t.Logf("unknown words %q: full dictionary %d hits, terms %v; domain dictionary %d hits, terms %v", q, a.Total, a.Terms, b.Total, b.Terms)
		}
		if a.Total == b.Total && slices.Equal(ids(a), ids(b)) {
			same++
			continue
		}
		if !isUnknown {
			t.Errorf("%q: full dictionary %d hits %v…, domain dictionary %d hits %v…", q, a.Total, head(ids(a)), b.Total, head(ids(b)))
			continue
		}
		if b.Total < a.Total {
			t.Errorf("%q: the domain dictionary finds fewer units (%d) than the full one (%d)", q, b.Total, a.Total)
		}
	}
	t.Logf("%d of %d queries answered identically", same, len(known)+len(unknown))
}

func ids(r *search.Response) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func head(s []string) []string { return s[:min(3, len(s))] }

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
