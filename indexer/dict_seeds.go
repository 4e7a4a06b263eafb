package indexer

import (
	_ "embed"

	"github.com/zhengce/zhengce/corpus"
)

// seedDict is the domain dictionary of the embedded seed corpus, derived
// from gse's full dictionary and kept current by TestSeedDomainDict
// (go test ./indexer -run TestSeedDomainDict -update).
//
//go:embed dict_seeds.txt
var seedDict []byte

// SeedSegmenter returns the domain segmenter shipped for the embedded seed
// corpus when c's indexed texts are exactly those it was derived from and
// the options match (EINVALID otherwise). It lets a first start on the
// seeds build its index without loading gse's full dictionary: the
// segmentation is identical (TestDomainDictIdentical).
func SeedSegmenter(c *corpus.Corpus, opts ...Option) (*Segmenter, error) {
	return parseDomainDict(seedDict, "dict_seeds.txt", c, opts)
}
