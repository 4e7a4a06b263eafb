package main

import (
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
	if seg, err := indexer.LoadDomainSegmenter(dir, c); err == nil {
		return seg, nil
	}
	return m.loadSegmenter()
}

// releaseFullDictionary switches svc from gse's full dictionary, used to
// build the index on this start, to the domain dictionary the build saved
// in dir, and returns the full dictionary's memory to the system. The
// segmentation is identical (indexer.TestDomainDictIdentical). It does
// nothing when seg is already a domain dictionary or none was saved.
func releaseFullDictionary(svc *search.Service, dir string, c *corpus.Corpus, seg *indexer.Segmenter) {
	if seg == nil || seg.Domain() {
		return
	}
	dom, err := indexer.LoadDomainSegmenter(dir, c)
	if err != nil || svc.SetSegmenter(dom) != nil {
		return // keep serving with the full dictionary
	}
	debug.FreeOSMemory()
}
