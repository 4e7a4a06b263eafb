package search

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
)

// BenchmarkQueryMixDir runs the query mix over an existing index of a
// larger corpus, to profile search at scale:
//
//	zcbench synth -n 200 -kb 100 -out /tmp/syn200
//	zhengce index --corpus /tmp/syn200 --index /tmp/idx200
//	ZHENGCE_BENCH_CORPUS=/tmp/syn200 ZHENGCE_BENCH_INDEX=/tmp/idx200 \
//	  go test ./search -run '^$' -bench QueryMixDir -cpuprofile cpu.out
func BenchmarkQueryMixDir(b *testing.B) {
	dir, idx := os.Getenv("ZHENGCE_BENCH_CORPUS"), os.Getenv("ZHENGCE_BENCH_INDEX")
	if dir == "" || idx == "" {
		b.Skip("ZHENGCE_BENCH_CORPUS or ZHENGCE_BENCH_INDEX not set")
	}
	c, err := parse.LoadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	seg, err := indexer.LoadDomainSegmenter(idx, c)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := Open(idx, c, seg)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	mix := queryMix(b)
	// ZHENGCE_BENCH_QUERIES="q1|q2" keeps only those queries of the mix,
	// to profile them
	if only := os.Getenv("ZHENGCE_BENCH_QUERIES"); only != "" {
		keep := strings.Split(only, "|")
		mix = slices.DeleteFunc(mix, func(r Request) bool { return !slices.Contains(keep, r.Query) })
		if len(mix) == 0 {
			b.Fatalf("no query of the mix is in ZHENGCE_BENCH_QUERIES=%q", only)
		}
	}
	ctx := context.Background()
	for _, r := range mix { // warm-up
		if _, err := svc.Search(ctx, r); err != nil {
			b.Fatalf("%+v: %v", r, err)
		}
	}
	per := make([]time.Duration, len(mix))
	var lat []time.Duration
	i := 0
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if _, err := svc.Search(ctx, mix[i%len(mix)]); err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		lat = append(lat, d)
		per[i%len(mix)] += d
		i++
	}
	b.StopTimer()
	if i >= len(mix) {
		for k, r := range mix {
			b.Logf("%8.1f ms  %q %v %v %v %v", float64(per[k].Microseconds())/1000/float64((i-k+len(mix)-1)/len(mix)), r.Query, r.Districts, r.Themes, r.Sections, r.Types)
		}
	}
	reportPercentiles(b, lat)
}
