package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// TestUnreadableEntries cuts the entries file of an opened index (damage
// from outside: zhengce never modifies a written segment): the entries are
// read with preads, so a search then fails with an error wrapping
// indexer.ErrCorrupt instead of answering without the hits it could not
// read, and the process does not fault.
func TestUnreadableEntries(t *testing.T) {
	loader := libLoader(t)
	dir := buildLibrary(t, loader, []corpus.File{
		{Name: "a.txt", Data: []byte("东营市关于推进教育发展的通知\n2021年3月5日\n一、总体要求\n推进教育发展，提高学校质量。\n二、主要任务\n推进教育发展，建设高质量学校。\n")},
	})
	l := openLibrary(t, dir, loader)
	ctx := context.Background()
	res, err := l.Search(ctx, Request{Query: `"推进教育发展"`})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("before the damage: %v, %+v", err, res)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(root, indexer.UnitsFile), 64); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`"推进教育发展"`, `"提高学校质量"`} {
		if res, err := l.Search(ctx, Request{Query: q}); !errors.Is(err, indexer.ErrCorrupt) {
			t.Errorf("search %s after the entries file was cut: %v, %+v; want an error wrapping ErrCorrupt", q, err, res)
		}
		if res, err := l.SearchGrouped(ctx, Request{Query: q}); !errors.Is(err, indexer.ErrCorrupt) {
			t.Errorf("grouped search %s after the entries file was cut: %v, %+v; want an error wrapping ErrCorrupt", q, err, res)
		}
	}
}
