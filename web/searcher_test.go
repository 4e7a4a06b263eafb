package web

import (
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// realSearcher returns the searcher the tests run against.
func realSearcher(c *corpus.Corpus) (Searcher, error) { return bruteSearcher{c}, nil }

// hostileSearcher returns a searcher over a small test corpus.
func hostileSearcher(t *testing.T, c *corpus.Corpus) (Searcher, error) { return bruteSearcher{c}, nil }
