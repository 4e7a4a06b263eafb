package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
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
	mix := fl.String("mix", "default", "query mix: default (QueryMix) or costly (CostlyMix; 503 busy and 504 timeout are expected answers)")
	doc := fl.String("doc", "", "document id read with highlighting by the costly mix (/d/ID?q=…)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if err := checkLoopback(*base); err != nil {
		return err
	}
	if *dur > 10*time.Minute {
		return errors.New("-d is capped at 10m")
	}
	var res loadResult
	switch *mix {
	case "default":
		res = load(ctx, *base, *conc, *dur, *maxReq)
	case "costly":
		res = loadMix(ctx, *base, costlyMix(*doc), *conc, *dur, *maxReq, true)
	default:
		return fmt.Errorf("unknown -mix %q: default or costly", *mix)
	}
	res.print(stdout)
	if res.Errors > 0 {
		return fmt.Errorf("%d requests failed (first: %s)", res.Errors, res.FirstErr)
	}
	if res.Deadline > 0 && res.Max > res.Deadline {
		return fmt.Errorf("slowest answer after %s, later than the deadline %s", res.Max, res.Deadline)
	}
	return nil
}

// CostlyMix is the query mix of a cost test (zcbench load -mix costly):
// the most frequent single characters, long OR chains, many terms, the
// search page and a long document read with highlighting. Entries are
// paths with raw query strings; %s in an entry is the document id.
var CostlyMix = []string{
	`/api/search?q=的`,
	`/api/search?q=是`,
	`/api/search?q=的 是 在 和 了 有 为 与 及 对 按 由`,
	`/api/search?q=教育 OR 学校 OR 教师 OR 学生 OR 法律 OR 规定 OR 管理 OR 国家 OR 人民 OR 政府 OR 单位 OR 责任`,
	`/api/search?q=的 OR 是 OR 在 OR 和 OR 了 OR 有&limit=1000`,
	`/search?q=的 规定`,
	`/d/%s?q=的 是 在 和`,
}

// costlyMix is CostlyMix with the reader entry for doc (left out when doc
// is empty).
func costlyMix(doc string) []string {
	var out []string
	for _, m := range CostlyMix {
		if strings.Contains(m, "%s") {
			if doc == "" {
				continue
			}
			m = fmt.Sprintf(m, url.PathEscape(doc))
		}
		out = append(out, m)
	}
	return out
}

// costDeadline is the latest a costly request may answer: the server's
// 5 s deadline plus 0.5 s (docs/guarantees.md 4.2).
const costDeadline = 5500 * time.Millisecond

// loadMix runs conc clients issuing the requests of mix (paths with raw
// query strings) against base, like load. With busyOK, 503 (busy) and 504
// (timeout) are counted by status and are no errors, and every answer's
// latency counts towards Max.
func loadMix(ctx context.Context, base string, mix []string, conc int, dur time.Duration, maxReq int, busyOK bool) loadResult {
	end := time.Now().Add(dur)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	var (
		mu      sync.Mutex
		lat     []time.Duration
		byQuery = make([][]time.Duration, len(mix))
		status  = map[int]int{}
		errs    int
		firstEr string
		issued  int
		slowest time.Duration
	)
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(end) {
				mu.Lock()
				if maxReq > 0 && issued >= maxReq {
					mu.Unlock()
					return
				}
				issued++
				qi := issued % len(mix)
				mu.Unlock()
				path, raw, _ := strings.Cut(mix[qi], "?")
				t0 := time.Now()
				code, err := getStatus(ctx, client, base+path+"?"+encode(raw))
				d := time.Since(t0)
				if ctx.Err() != nil {
					return // interrupted: not a server error
				}
				mu.Lock()
				status[code]++
				slowest = max(slowest, d)
				switch {
				case err == nil && code == http.StatusOK:
					lat = append(lat, d)
					byQuery[qi] = append(byQuery[qi], d)
				case err == nil && busyOK && (code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout):
				default:
					errs++
					if firstEr == "" {
						firstEr = fmt.Sprintf("%s: status %d %v", mix[qi], code, err)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(lat)
	for _, l := range byQuery {
		slices.Sort(l)
	}
	r := loadResult{Clients: conc, Elapsed: time.Since(start), Lat: lat, ByQuery: byQuery, Errors: errs, FirstErr: firstEr,
		Mix: mix, Status: status, Max: slowest}
	if busyOK {
		r.Deadline = costDeadline
	}
	return r
}

// getStatus is get returning the status code instead of failing on it.
func getStatus(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, fmt.Errorf("request: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, fmt.Errorf("read body: %w", err)
	}
	return resp.StatusCode, nil
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
	// Mix is the request mix ByQuery is indexed by (nil: QueryMix).
	Mix []string
	// Status counts the answers by HTTP status (costly mix only).
	Status map[int]int
	// Max is the slowest answer of any status, Deadline the latest one
	// allowed (0: none).
	Max, Deadline time.Duration
}

func (r loadResult) p(q int) time.Duration {
	if len(r.Lat) == 0 {
		return 0
	}
	return pct(r.Lat, q)
}

// rate is the successful requests per second.
func (r loadResult) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Lat)) / r.Elapsed.Seconds()
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
	mix := r.Mix
	if mix == nil {
		mix = QueryMix
	}
	for _, x := range qs[:min(3, len(qs))] {
		fmt.Fprintf(w, "load slowest: p50 %s  p99 %s  %s\n", x.p50, x.p99, mix[x.i])
	}
	if r.Status != nil {
		codes := slices.Sorted(maps.Keys(r.Status))
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d×%d", c, r.Status[c]))
		}
		fmt.Fprintf(w, "load statuses: %s; slowest answer %s (deadline %s)\n", strings.Join(parts, " "), r.Max.Round(time.Millisecond), r.Deadline)
	}
}

// load runs conc clients issuing the query mix against base for dur (or
// maxReq requests in all when > 0). A request issued before dur has
// passed is answered and counted: the run ends with the last answer, so
// the server is idle when it returns (a figure read then, such as RSS
// after load, is not that of a server still busy with abandoned requests).
func load(ctx context.Context, base string, conc int, dur time.Duration, maxReq int) loadResult {
	end := time.Now().Add(dur)
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
			for ctx.Err() == nil && time.Now().Before(end) {
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
					return // interrupted: not a server error
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
