package search

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/indexer"
)

// TestShardedSameResults: the seeds indexed as 1 shard (the fixture) and
// as 3 shards find the same entries with the same facets for the query
// mix and queries with later groups and exclusions (the paths that skip
// to given documents in every shard). Scores may differ: bleve's word
// statistics are per shard.
func TestShardedSameResults(t *testing.T) {
	f := seeds(t)
	dir := filepath.Join(t.TempDir(), "sharded")
	if _, err := indexer.BuildShards(context.Background(), dir, f.c, f.seg, nil, 3); err != nil {
		t.Fatal(err)
	}
	m, err := indexer.ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Shards) != 3 {
		t.Fatalf("%d shards, want 3", len(m.Shards))
	}
	sharded, err := Open(dir, f.c, f.seg)
	if err != nil {
		t.Fatal(err)
	}
	defer sharded.Close()
	reqs := queryMix(t)
	for _, q := range []string{"教师 培训 乡村", "学前教育 普惠", "职业教育 -高职", "双减 OR 课后服务 学校", `"教育" 发展 质量`, "type:target 毛入园率", "的 学校",
		"学校 培训教师", "教育 双减课后", "质量 乡村教师培训", "普惠 幼儿园学前教育"} {
		reqs = append(reqs, Request{Query: q})
	}
	for _, r := range reqs {
		r.Limit = MaxLimit
		t.Run(r.Query, func(t *testing.T) {
			want := search(t, f.svc, r)
			got := search(t, sharded, r)
			if got.Total != want.Total || fmt.Sprint(got.Facets) != fmt.Sprint(want.Facets) {
				t.Fatalf("3 shards: total %d facets %v; 1 shard: %d %v", got.Total, got.Facets, want.Total, want.Facets)
			}
			if want.Total <= MaxLimit && fmt.Sprint(hitIDs(got)) != fmt.Sprint(hitIDs(want)) {
				t.Errorf("3 shards find other hits")
			}
		})
	}
}
