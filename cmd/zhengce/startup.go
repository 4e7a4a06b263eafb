package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

// serveSegmenter returns the segmenter for serving corpus c from the index
// in dir: the domain dictionary saved in the index (tens of milliseconds,
// a few MB) when it matches c, else gse's full dictionary (over a second,
// about 135 MB), which building the index needs anyway.
func (m *Main) serveSegmenter(dir string, c *corpus.Corpus) (*indexer.Segmenter, error) {
	return m.segmenterFor(dir, c, nil)
}

// segmenterFor is serveSegmenter where early, when not nil, is the full
// dictionary already loading (prefetchSegmenter).
func (m *Main) segmenterFor(dir string, c *corpus.Corpus, early func() (*indexer.Segmenter, error)) (*indexer.Segmenter, error) {
	if seg, err := indexer.LoadDomainSegmenter(dir, c); err == nil {
		return seg, nil
	}
	// the embedded seed corpus ships its domain dictionary: a first start
	// on it builds the index without gse's full dictionary
	if seg, err := indexer.SeedSegmenter(c); err == nil {
		return seg, nil
	}
	if early != nil {
		seg, err := early()
		if err != nil {
			return nil, fmt.Errorf("load segmenter: %w", err)
		}
		return seg, nil
	}
	return m.loadSegmenter()
}

// prefetchSegmenter starts loading gse's full dictionary in the background
// when the index in dir has no domain dictionary (no index yet, or an old
// one) and the corpus is a user's folder (corpusDir; the embedded seeds
// ship theirs), so that it overlaps with parsing the corpus on another
// core. It returns nil when there is nothing to prefetch.
func (m *Main) prefetchSegmenter(dir, corpusDir string) func() (*indexer.Segmenter, error) {
	if corpusDir == "" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, indexer.DictFile)); err == nil {
		return nil
	}
	return loadInBackground(func() (*indexer.Segmenter, error) { return indexer.NewSegmenter() })
}

// loadInBackground starts load on its own goroutine and returns a
// function that waits for its result.
func loadInBackground(load func() (*indexer.Segmenter, error)) func() (*indexer.Segmenter, error) {
	var (
		seg  *indexer.Segmenter
		err  error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		seg, err = load()
	}()
	return func() (*indexer.Segmenter, error) {
		<-done
		return seg, err
	}
}

// releaseFullDictionary switches svc from gse's full dictionary, used to
// build the index on this start, to the domain dictionary the build saved
// in dir (the segmentation is identical: indexer.TestDomainDictIdentical),
// and returns the memory of the dictionary and of the build to the system.
func releaseFullDictionary(svc *search.Service, dir string, c *corpus.Corpus, seg *indexer.Segmenter) {
	if seg != nil && !seg.Domain() {
		dom, err := indexer.LoadDomainSegmenter(dir, c)
		if err == nil && svc.SetSegmenter(dom) != nil {
			return // keep serving with the full dictionary
		}
	}
	debug.FreeOSMemory()
}
