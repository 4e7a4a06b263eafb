package indexer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/zhengce/zhengce/corpus"
)

// TestShardOrder: a shard's entries are indexed under their position in
// it (shardDocID), and shardOrder maps bleve's numbering back to sequence
// numbers; a shard of another size is refused.
func TestShardOrder(t *testing.T) {
	seg, im := testMapping(t)
	d := &corpus.Document{Meta: corpus.Meta{ID: "d"}}
	var entries []Entry
	var norms []string
	for i := range 300 {
		u := &corpus.Unit{ID: fmt.Sprintf("d/%d", i), Text: fmt.Sprintf("第%d条 推进集团化办学", i)}
		entries = append(entries, Entry{Doc: d, Unit: u})
		norms = append(norms, corpus.Normalize(u.Text))
	}
	dir := filepath.Join(t.TempDir(), "shard-0")
	if err := buildShard(context.Background(), dir, t.TempDir(), buildMapping{IndexMappingImpl: im, seg: seg}, entryIDs(entries), norms, func(int) error { return nil }); err != nil {
		t.Fatal(err)
	}
	order, err := shardOrder(dir, 1000, len(entries))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint32]bool{}
	for _, q := range order {
		if q < 1000 || q >= 1000+uint32(len(entries)) || seen[q] {
			t.Fatalf("order %v: sequence number %d out of range or repeated", order, q)
		}
		seen[q] = true
	}
	if _, err := shardOrder(dir, 0, len(entries)+1); err == nil {
		t.Error("a shard of another size was accepted")
	}
	for i, want := range map[int]string{0: "0", 35: "z", 36: "10", 1295: "zz"} {
		if got := shardDocID(i); got != want {
			t.Errorf("shardDocID(%d) = %q, want %q", i, got, want)
		}
	}
}

// testMapping returns the test segmenter and the index mapping of it,
// with the analyzers registered.
func testMapping(t *testing.T) (*Segmenter, *mapping.IndexMappingImpl) {
	t.Helper()
	seg := segmenter(t)
	if err := Register(); err != nil {
		t.Fatal(err)
	}
	im, err := newMapping(seg)
	if err != nil {
		t.Fatal(err)
	}
	return seg, im
}

// TestBuildShardRecycles builds a shard of several of bleve's batches,
// whose words fields are recycled for later texts once bleve has written
// their batch (analyzed.recycle), and checks every posting against the
// segmentation of each text: a field reused while bleve still held it
// would index one text's words under another. The texts vary in size
// (so fields move between size classes) and come in runs of equal texts
// (which share a field, recycled once).
func TestBuildShardRecycles(t *testing.T) {
	if batchSize%analyzeChunk != 0 {
		t.Fatalf("batchSize %d is not a multiple of analyzeChunk %d: a field shared by equal texts could span two batches", batchSize, analyzeChunk)
	}
	seg, im := testMapping(t)
	phrases := []string{"推进集团化办学", "学前三年毛入园率达到百分之九十三", "完善教师队伍建设", "加强校园安全管理"}
	n := 3*batchSize + 300
	norms := make([]string, n)
	for i := range norms {
		k := i
		if i%7 == 1 || i%7 == 2 {
			k = i - i%7 // runs of three equal texts
		}
		norms[i] = corpus.Normalize(fmt.Sprintf("第%d条%s", k, strings.Repeat(phrases[k%len(phrases)], 1+k%5*k%40)))
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("d/%d", i)
	}
	dir := filepath.Join(t.TempDir(), "shard-0")
	if err := buildShard(context.Background(), dir, t.TempDir(), buildMapping{IndexMappingImpl: im, seg: seg}, ids, norms, func(int) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// the documents that hold each word, by segmentation
	want := map[string]map[string]bool{}
	for i, text := range norms {
		seg.eachToken(text, func(tk Token) {
			if want[tk.Term] == nil {
				want[tk.Term] = map[string]bool{}
			}
			want[tk.Term][shardDocID(i)] = true
		})
	}
	idx, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for term, docs := range want {
		q := bleve.NewTermQuery(term)
		q.SetField(FieldWords)
		req := bleve.NewSearchRequestOptions(q, n, 0, false)
		res, err := idx.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		if int(res.Total) != len(docs) {
			t.Errorf("%q: in %d documents, want %d", term, res.Total, len(docs))
			continue
		}
		for _, h := range res.Hits {
			if !docs[h.ID] {
				t.Errorf("%q: in document %s, which does not hold it", term, h.ID)
			}
		}
	}
	if len(want) < n/7 {
		t.Fatalf("only %d distinct words: the texts do not tell documents apart", len(want))
	}
}
