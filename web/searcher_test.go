package web

import "github.com/zhengce/zhengce/corpus"

// realSearcher returns the searcher the tests run against.
func realSearcher(c *corpus.Corpus) (Searcher, error) { return bruteSearcher{c}, nil }
