package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/corpus/parse"
)

// BenchmarkBuildDir builds the index of the corpus in $ZHENGCE_BENCH_CORPUS
// (for example a synthetic corpus from `zcbench synth`), to profile
// indexing at scale:
//
//	zcbench synth -n 20 -kb 100 -out /tmp/syn20
//	ZHENGCE_BENCH_CORPUS=/tmp/syn20 go test ./indexer -run '^$' -bench BuildDir -benchtime 1x -cpuprofile cpu.out
func BenchmarkBuildDir(b *testing.B) {
	dir := os.Getenv("ZHENGCE_BENCH_CORPUS")
	if dir == "" {
		b.Skip("ZHENGCE_BENCH_CORPUS not set")
	}
	c, err := parse.LoadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	s := segmenter(b)
	var size int64
	for _, d := range c.Documents() {
		for _, u := range d.Units {
			size += int64(len(u.Text))
		}
	}
	b.SetBytes(size)
	out := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(context.Background(), filepath.Join(out, "idx"), c, s, nil); err != nil {
			b.Fatal(err)
		}
	}
}
