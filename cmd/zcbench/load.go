package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// QueryMix is the fixed query mix (testdata/querymix.txt) of the load run and of the in-process
// benchmarks: quoted phrases, multi-word queries, OR and exclusion, facet
// filters and paging. Each entry is a raw query string for /api/search.
var QueryMix = []string{
	`q="集团化办学"`,
	`q="五育并举"`,
	`q="99%"`,
	`q="1+X"`,
	`q="校园纠纷调解委员会"`,
	`q=学前教育 普惠`,
	`q=教师 培训 乡村`,
	`q=双减 OR 课后服务`,
	`q=职业教育 -高职`,
	`q=智慧教育&district=两江新区`,
	`q=心理健康&type=task`,
	`q=毛入园率&section=总体要求`,
	`q=民办&theme=民办教育&limit=50`,
	`q=劳动教育&offset=20`,
	`q=district:巫溪县 学区制`,
	`q="教育督导"&district=永川区&district=巫溪县`,
	`q=毛入园率 type:target target>=90`,
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("zcbench load", flag.ContinueOnError)
	fl.SetOutput(stderr)
	base := fl.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	conc := fl.Int("c", 8, "concurrent clients")
	dur := fl.Duration("d", 20*time.Second, "duration of the run (bounded)")
	maxReq := fl.Int("n", 0, "stop after this many requests in all (0: no limit)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*base); err != nil {
		return err
	}
	if *dur > 10*time.Minute {
		return errors.New("-d is capped at 10m")
	}
	res := load(ctx, *base, *conc, *dur, *maxReq)
	res.print(stdout)
	if res.Errors > 0 {
		return fmt.Errorf("%d requests failed (first: %s)", res.Errors, res.FirstErr)
	}
	return nil
}

// loadResult is the outcome of a load run.
type loadResult struct {
	Clients int
	Elapsed time.Duration
	Lat     []time.Duration // sorted latencies of the successful requests
	// ByQuery holds the sorted latencies of each query of QueryMix.
	ByQuery  [][]time.Duration
	Errors   int
	FirstErr string
}

func (r loadResult) p(q int) time.Duration {
	if len(r.Lat) == 0 {
		return 0
	}
	return pct(r.Lat, q)
}

func (r loadResult) print(w io.Writer) {
	fmt.Fprintf(w, "load: %d clients, %.1fs, %d ok, %d errors, %.0f req/s\n",
		r.Clients, r.Elapsed.Seconds(), len(r.Lat), r.Errors, float64(len(r.Lat))/r.Elapsed.Seconds())
	if len(r.Lat) > 0 {
		fmt.Fprintf(w, "load latency: p50 %s  p90 %s  p99 %s  max %s\n",
			r.p(50), r.p(90), r.p(99), r.Lat[len(r.Lat)-1])
	}
	// The queries with the highest p99: what bounds the tail.
	type q struct {
		i        int
		p50, p99 time.Duration
	}
	var qs []q
	for i, l := range r.ByQuery {
		if len(l) > 0 {
			qs = append(qs, q{i, pct(l, 50), pct(l, 99)})
		}
	}
	slices.SortFunc(qs, func(a, b q) int { return int(b.p99 - a.p99) })
	for _, x := range qs[:min(3, len(qs))] {
		fmt.Fprintf(w, "load slowest: p50 %s  p99 %s  %s\n", x.p50, x.p99, QueryMix[x.i])
	}
}

// load runs conc clients issuing the query mix against base for dur (or
// maxReq requests in all when > 0).
func load(ctx context.Context, base string, conc int, dur time.Duration, maxReq int) loadResult {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}

	var (
		mu      sync.Mutex
		lat     []time.Duration
		byQuery = make([][]time.Duration, len(QueryMix))
		errs    int
		firstEr string
		issued  int
	)
	next := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if maxReq > 0 && issued >= maxReq {
			return 0, false
		}
		issued++
		return issued, true
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i, ok := next()
				if !ok {
					return
				}
				qi := i % len(QueryMix)
				q := QueryMix[qi]
				t0 := time.Now()
				err := get(ctx, client, base+"/api/search?"+encode(q))
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // the run ended mid-request: not a server error
				}
				mu.Lock()
				if err != nil {
					errs++
					if firstEr == "" {
						firstEr = err.Error()
					}
				} else {
					lat = append(lat, d)
					byQuery[qi] = append(byQuery[qi], d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	for _, l := range byQuery {
		slices.Sort(l)
	}
	return loadResult{Clients: conc, Elapsed: time.Since(start), Lat: lat, ByQuery: byQuery, Errors: errs, FirstErr: firstEr}
}

// encode escapes the values of a raw query string like q=a b&district=x.
func encode(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		parts[i] = k + "=" + url.QueryEscape(v)
	}
	return strings.Join(parts, "&")
}

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", u, resp.StatusCode)
	}
	return nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i > 0 {
		i--
	}
	return sorted[min(i, len(sorted)-1)].Round(10 * time.Microsecond)
}

func runRSS(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("zcbench rss", flag.ContinueOnError)
	fl.SetOutput(stderr)
	pid := fl.Int("pid", 0, "process id")
	if err := fl.Parse(args); err != nil {
		return err
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", *pid))
	if err != nil {
		return fmt.Errorf("read status of %d: %w", *pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
			fmt.Fprintln(stdout, "memory", strings.Join(strings.Fields(line), " "))
		}
	}
	return nil
}
