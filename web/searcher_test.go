package web

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

// indexRoot holds the indexes the tests build; TestMain removes it.
var (
	indexRootOnce sync.Once
	indexRoot     string
	indexRootErr  error
	segOnce       sync.Once
	segVal        *indexer.Segmenter
	segErr        error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if indexRoot != "" {
		os.RemoveAll(indexRoot)
	}
	os.Exit(code)
}

func segmenter() (*indexer.Segmenter, error) {
	segOnce.Do(func() { segVal, segErr = indexer.NewSegmenter() })
	return segVal, segErr
}

// buildService builds a real index of c under the test index root and
// opens the search service on it.
func buildService(name string, c *corpus.Corpus) (*search.Service, error) {
	indexRootOnce.Do(func() { indexRoot, indexRootErr = os.MkdirTemp("", "zhengce-web-test-") })
	if indexRootErr != nil {
		return nil, indexRootErr
	}
	seg, err := segmenter()
	if err != nil {
		return nil, err
	}
	return search.Ensure(context.Background(), filepath.Join(indexRoot, name), c, seg, nil)
}

// realSearcher returns the real search service over the seed corpus.
func realSearcher(c *corpus.Corpus) (Searcher, error) { return buildService("seeds", c) }

// hostileSearcher returns the real search service over a small test
// corpus, with its own index.
func hostileSearcher(t *testing.T, c *corpus.Corpus) (Searcher, error) {
	svc, err := buildService(t.Name(), c)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		if err := svc.Close(); err != nil {
			t.Error(err)
		}
	})
	return svc, nil
}
