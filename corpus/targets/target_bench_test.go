package targets_test

import (
	"testing"

	"github.com/zhengce/zhengce/corpus/targets"
)

// BenchmarkExtractTargets measures target extraction (tables and prose,
// with the indicator grouping read from the embedded file) over the five
// seed documents.
func BenchmarkExtractTargets(b *testing.B) {
	c := seedCorpus(b)
	groups, err := targets.DefaultIndicatorGroups()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		n = 0
		for _, d := range c.Documents() {
			n += len(targets.Extract(d, groups))
		}
	}
	b.ReportMetric(float64(n), "targets/op")
}

// BenchmarkCompareTargets measures one cross-district comparison.
func BenchmarkCompareTargets(b *testing.B) {
	c := seedCorpus(b)
	for b.Loop() {
		if len(c.CompareTargets("毛入园率")) == 0 {
			b.Fatal("no comparison")
		}
	}
}
