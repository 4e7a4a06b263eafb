package search

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// liveDir is one index of the seeds for the Live tests, built once with
// the domain dictionary of the fixture's index (fast, identical analyzer).
var liveDir = sync.OnceValues(func() (string, error) {
	seg, err := indexer.LoadDomainSegmenter(fix.dir, fix.c)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(tmpRoot, "live")
	if _, err := indexer.Build(context.Background(), dir, fix.c, seg, nil); err != nil {
		return "", err
	}
	return dir, nil
})

// liveIndex returns a Live serving the shared live index, with the
// domain segmenter (so that Rebuild can build).
func liveIndex(t *testing.T) *Live {
	t.Helper()
	f := seeds(t)
	dir, err := liveDir()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := indexer.LoadDomainSegmenter(dir, f.c)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := Open(dir, f.c, seg)
	if err != nil {
		t.Fatal(err)
	}
	l := NewLive(dir, f.c, svc)
	t.Cleanup(func() { l.Close() })
	return l
}

// TestLiveSwapUnderLoad searches in a loop from several goroutines while
// the index is rebuilt and reloaded several times: every response must be
// complete (the full expected total, every hit returned), never empty,
// partial or an error.
func TestLiveSwapUnderLoad(t *testing.T) {
	f := seeds(t)
	l := liveIndex(t)
	reqs := []Request{
		{Query: `"集团化办学"`, Limit: 1000},
		{Query: `学前教育 普惠`, Limit: 1000},
		{Types: []string{"task"}, Limit: 1000},
	}
	want := make([]uint64, len(reqs))
	for i, r := range reqs {
		want[i] = search(t, f.svc, r).Total
		if want[i] == 0 {
			t.Fatalf("baseline %+v has no hits", r)
		}
	}
	stop := make(chan struct{})
	var searches atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := i % len(reqs)
				res, err := l.Search(context.Background(), reqs[k])
				if err != nil {
					errc <- err
					return
				}
				if res.Total != want[k] || uint64(len(res.Hits)) != want[k] {
					errc <- errors.New("incomplete response during a swap: " + reqs[k].Query)
					return
				}
				searches.Add(1)
			}
		}()
	}
	swaps := []func() error{
		func() error { return l.Reload(context.Background()) },
		func() error { return l.Rebuild(context.Background(), nil) },
		func() error { return l.Reload(context.Background()) },
		func() error { return l.Reload(context.Background()) },
	}
	built := l.Meta().Built
	for i, swap := range swaps {
		before := searches.Load()
		if err := swap(); err != nil {
			t.Fatalf("swap %d: %v", i, err)
		}
		// let the searchers run on the new index before the next swap
		for deadline := time.Now().Add(10 * time.Second); searches.Load() < before+8 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	close(stop)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if !l.Meta().Built.After(built) {
		t.Errorf("the rebuilt index is not the one served")
	}
	t.Logf("%d searches across %d swaps", searches.Load(), len(swaps))
}

// TestLiveSwapDrains: a swap waits for the searches in flight on the old
// index, then closes it; new searches use the new index at once.
func TestLiveSwapDrains(t *testing.T) {
	l := liveIndex(t)
	inflight := l.acquire() // a search in progress on the old index
	old := inflight.svc
	done := make(chan error, 1)
	go func() { done <- l.Reload(context.Background()) }()
	for l.cur.Load().svc == old {
		time.Sleep(time.Millisecond)
	}
	if _, err := l.Search(context.Background(), Request{Query: `"集团化办学"`}); err != nil {
		t.Fatalf("new search during the drain: %v", err)
	}
	select {
	case err := <-done:
		t.Fatalf("swap finished while a search was in flight: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if _, err := old.Search(context.Background(), Request{Query: `"集团化办学"`}); err != nil {
		t.Fatalf("in-flight search on the old index: %v", err)
	}
	inflight.mu.RUnlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := old.Search(context.Background(), Request{Query: `"集团化办学"`}); err == nil {
		t.Error("old index still open after the drain")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Search(context.Background(), Request{Query: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after Close: %v, want ErrClosed", err)
	}
}

// TestLiveReloadRefusesStale: a reload of an index that cannot serve this
// corpus keeps the old index serving.
func TestLiveReloadRefusesStale(t *testing.T) {
	f := seeds(t)
	l := liveIndex(t)
	sub, err := corpus.New(f.c.Documents()[:1])
	if err != nil {
		t.Fatal(err)
	}
	other := NewLive(l.Dir(), sub, l.cur.Load().svc)
	if err := other.Reload(context.Background()); !errors.Is(err, ErrStale) {
		t.Fatalf("reload for another corpus: %v, want ErrStale", err)
	}
	if _, err := l.Search(context.Background(), Request{Query: `"集团化办学"`}); err != nil {
		t.Fatalf("old index after a refused reload: %v", err)
	}
}
