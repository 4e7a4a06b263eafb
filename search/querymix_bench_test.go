package search

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// queryMix reads the fixed query mix of the performance measurements
// (testdata/querymix.txt, shared with `zcbench load`) as requests.
func queryMix(b testing.TB) []Request {
	b.Helper()
	data, err := os.ReadFile("../testdata/querymix.txt")
	if err != nil {
		b.Fatal(err)
	}
	var out []Request
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var r Request
		for _, kv := range strings.Split(line, "&") {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "q":
				r.Query = v
			case "district":
				r.Districts = append(r.Districts, v)
			case "theme":
				r.Themes = append(r.Themes, v)
			case "section":
				r.Sections = append(r.Sections, v)
			case "type":
				r.Types = append(r.Types, v)
			case "limit", "offset":
				n, err := strconv.Atoi(v)
				if err != nil {
					b.Fatalf("querymix.txt: %s", line)
				}
				if k == "limit" {
					r.Limit = n
				} else {
					r.Offset = n
				}
			default:
				b.Fatalf("querymix.txt: unknown parameter %q", k)
			}
		}
		out = append(out, r)
	}
	return out
}

// BenchmarkQueryMix runs the fixed query mix (phrases, multi-word, OR,
// exclusion, facets on every query, filters, paging, highlighting of every
// hit) over the seed index in turn, one query per iteration, and reports
// the latency percentiles of single queries besides the mean.
func BenchmarkQueryMix(b *testing.B) {
	f := seeds(b)
	mix := queryMix(b)
	ctx := context.Background()
	// warm-up: first use of each query path
	for _, r := range mix {
		if _, err := f.svc.Search(ctx, r); err != nil {
			b.Fatalf("%+v: %v", r, err)
		}
	}
	var lat []time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := f.svc.Search(ctx, mix[i%len(mix)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		i++
	}
	reportPercentiles(b, lat)
}

// BenchmarkQueryMixParallel runs the mix from GOMAXPROCS goroutines.
func BenchmarkQueryMixParallel(b *testing.B) {
	f := seeds(b)
	mix := queryMix(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := f.svc.Search(ctx, mix[i%len(mix)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		i := int(float64(len(lat))*p+0.999999) - 1
		return float64(lat[min(max(i, 0), len(lat)-1)].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
