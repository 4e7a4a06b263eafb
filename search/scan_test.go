package search

import (
	"fmt"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestScanRanges: a query of filters alone visits the entries of the
// documents that pass its document filters only, and finds every entry a
// scan of the whole collection finds.
func TestScanRanges(t *testing.T) {
	f := seeds(t)
	c := f.svc.cols
	var queries []Query
	ds := f.c.Districts()
	for _, d := range ds {
		queries = append(queries, Query{Districts: []string{d}}, Query{Districts: []string{d}, Types: []string{string(corpus.TypeTask)}})
	}
	queries = append(queries,
		Query{Districts: ds[:2]},
		Query{Districts: []string{"无此区县"}},
		Query{Years: []int{2021}},
		Query{Years: []int{2021}, Districts: ds[:1]},
		Query{Types: []string{string(corpus.TypeTask)}},
		Query{Sections: []string{corpus.PartTasks}},
	)
	for _, q := range queries {
		t.Run(fmt.Sprintf("%v%v%v%v", q.Districts, q.Years, q.Types, q.Sections), func(t *testing.T) {
			fl := c.compileFilter(&q, false)
			lo, hi := c.scanRanges(fl)
			in := make([]bool, c.n)
			visited := 0
			for i := range lo {
				for seq := lo[i]; seq < hi[i]; seq++ {
					in[seq] = true
					visited++
				}
			}
			passing := 0
			for seq := range c.n {
				o := *c.ord.at(int32(seq))
				if !c.pass(fl, o) {
					continue
				}
				passing++
				if !in[seq] {
					t.Fatalf("entry %d passes the filters outside the ranges", seq)
				}
			}
			// a document filter confines the ranges to the documents
			// that pass it
			if len(q.Districts)+len(q.Years) > 0 {
				for seq := range c.n {
					d := int(c.e.at(*c.ord.at(int32(seq))).doc)
					if in[seq] != c.docPasses(fl, d) {
						t.Fatalf("entry %d of document %d: in the ranges %v, document passes %v", seq, d, in[seq], c.docPasses(fl, d))
					}
				}
				if visited == c.n && passing < c.n {
					t.Errorf("ranges hold all %d entries for %d passing", c.n, passing)
				}
			} else if visited != c.n {
				t.Errorf("ranges of %d entries without a document filter, want all %d", visited, c.n)
			}
		})
	}
}
