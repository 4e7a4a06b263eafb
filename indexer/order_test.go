package indexer

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

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
