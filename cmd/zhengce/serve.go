package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
	"github.com/zhengce/zhengce/web"
)

// runServe implements `zhengce serve [--addr 127.0.0.1:8080] [--index DIR]
// [--corpus DIR] [--watch DIR]`: it serves the self-contained index in
// the index directory (building it first from --corpus, or from the
// embedded seeds when there is none), with the web application and the
// JSON API, until ctx is cancelled.
func (m *Main) runServe(ctx context.Context, args []string) (err error) {
	fs := m.flagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址（主机:端口）")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	corpusDir := fs.String("corpus", "", "语料目录：索引与它不一致时先重新建立（默认直接使用索引目录中的文档；没有索引时使用内置语料）")
	watch := fs.String("watch", "", "监视此目录：其中新增、修改、删除的文件在 2 秒内同步到索引")
	rate := fs.Float64("rate-limit", 0, "每个客户端 IP 每秒允许的请求数，超出返回 429（0 表示不限）")
	burst := fs.Int("rate-burst", 0, "每个客户端 IP 允许的瞬时请求数（默认为 rate-limit 的两倍）")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce serve [--addr 127.0.0.1:8080] [--index DIR] [--corpus DIR] [--watch DIR] [--rate-limit N] [--rate-burst N]")
		fs.PrintDefaults()
		fmt.Fprintln(m.Stderr, "环境变量 ZHENGCE_ADMIN_TOKEN：设置后开启管理页面 /admin、POST /api/documents、DELETE /api/documents/{id} 与 POST /api/admin/reindex（请求头 Authorization: Bearer 令牌）")
		fmt.Fprintln(m.Stderr, "信号 SIGHUP：重新加载索引目录中的当前索引（例如在运行 zhengce index 之后），不中断服务")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return corpus.Errorf(corpus.EINVALID, "多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	if *rate < 0 || *burst < 0 {
		return corpus.Errorf(corpus.EINVALID, "--rate-limit 与 --rate-burst 不能为负数")
	}
	if *burst == 0 {
		*burst = int(2 * *rate)
	}
	dir := m.indexDir(*indexDir)

	loader, closeLoader := m.fileLoader()
	defer func() {
		if cerr := closeLoader(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	live, err := m.openServed(ctx, dir, *corpusDir, loader)
	if err != nil {
		return err
	}
	if m.Getenv("GOMEMLIMIT") == "" {
		change, stopLimit := followLiveHeap(ctx, memoryLimitEvery)
		defer stopLimit()
		live.SetChangeHook(change)
	}
	defer func() {
		if cerr := live.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
	}()
	if *watch != "" {
		stopWatch, err := m.startWatch(ctx, *watch, dir, live)
		if err != nil {
			return err
		}
		defer stopWatch()
	}

	logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	live.SetLogger(logger)
	pages := time.NewTicker(pagesEvery)
	defer pages.Stop()
	keeper := newPageKeeper(live.DropPages, logger)
	defer keeper.Close()
	defer handBackPages(pages.C, keeper)()
	// the checksums of every index file, read in the background: opening
	// checked that each file is there with its size; first answers go
	// before it
	go func() {
		select {
		case <-ctx.Done():
			return
		case <-time.After(verifyDelay):
		}
		if err := live.Verify(); err != nil {
			logger.Error("index files damaged: rebuild with zhengce index", "dir", dir, "err", err)
		}
	}()
	srv, err := web.New(web.Config{Collection: live, Searcher: live, Logger: logger, IndexDir: dir, RateLimit: *rate, RateBurst: *burst,
		AdminToken: m.Getenv("ZHENGCE_ADMIN_TOKEN"), Reindexer: live, Settle: keeper.settle})
	if err != nil {
		return err
	}
	stopReload := reloadOnHangup(ctx, live, logger)
	defer stopReload()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法监听地址：" + *addr, Err: err}
	}
	fmt.Fprintf(m.Stderr, "政策检索已启动：http://%s/ （索引 %s，按 Ctrl-C 停止）\n", ln.Addr(), dir)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	m.serving.Store(true) // from now on an interrupt shuts down gracefully
	// the garbage of opening goes back to the system, and the collector's
	// headroom follows the heap it leaves, while the first answers go
	// out (a full collection is tens of milliseconds of start-up)
	go func() {
		debug.FreeOSMemory()
		if m.Getenv("GOGC") == "" {
			setGCHeadroom()
		}
	}()
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(m.Stderr, "政策检索已停止")
	return err
}

// reloadOnHangup reloads the index of live on every SIGHUP until ctx is
// done or the returned function is called (which waits for a reload in
// progress). A failed reload is logged and the old index keeps serving.
func reloadOnHangup(ctx context.Context, live *search.Live, log *slog.Logger) func() {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			start := time.Now()
			if err := live.Reload(ctx); err != nil {
				log.Error("index reload failed; still serving the previous index", "dir", live.Dir(), "err", err)
				continue
			}
			log.Info("index reloaded", "dir", live.Dir(), "built", live.Meta().Built, "duration", time.Since(start))
		}
	}()
	return func() {
		signal.Stop(hup)
		cancel()
		<-done
	}
}

// serveMemoryFloor is the least soft memory limit of a server.
const serveMemoryFloor = 96 << 20

// memoryLimitEvery is how often the server's soft memory limit follows
// its live heap.
const memoryLimitEvery = 10 * time.Second

// memoryLimit is the soft memory limit for a live heap of live bytes:
// twice the live heap, and at least serveMemoryFloor. The heap holds the
// documents' metadata, the columns and the dictionaries; the texts and
// postings are files outside it, and what a search allocates is
// short-lived. Near the limit the collector runs more often instead of
// letting GOGC's headroom (setGCHeadroom) double the heap: on the laws
// corpus (live heap 41 MB) the anonymous memory after a 20 s load run of
// 8 clients is 89–96 MB instead of about 150 MB with a 160 MB floor, for
// a few percent of throughput. Twice the live heap bounds the collector's work to about
// one collection per live heap allocated.
func memoryLimit(live uint64) int64 {
	return max(serveMemoryFloor, int64(min(live, math.MaxInt64/2))*2)
}

// memoryLimiter keeps the soft memory limit at memoryLimit of the live
// heap: now, then every period (documents added to a running server grow
// the live heap, and a limit fixed at start would make the collector run
// without end), and lifted for the length of a change (see
// search.Live.SetChangeHook). An explicit GOMEMLIMIT is left alone (the
// caller checks).
type memoryLimiter struct {
	mu       sync.Mutex
	changing int
	sample   []metrics.Sample
}

// set sets the limit from the live heap, unless a change is under way.
func (m *memoryLimiter) set() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.changing > 0 {
		return
	}
	metrics.Read(m.sample)
	if m.sample[0].Value.Kind() == metrics.KindUint64 {
		debug.SetMemoryLimit(memoryLimit(m.sample[0].Value.Uint64()))
	}
}

// change lifts the limit when a change begins and sets it again when the
// last one ends.
func (m *memoryLimiter) change(begin bool) {
	m.mu.Lock()
	if begin {
		m.changing++
		debug.SetMemoryLimit(math.MaxInt64)
		m.mu.Unlock()
		return
	}
	m.changing--
	m.mu.Unlock()
	m.set()
}

// followLiveHeap starts a memoryLimiter: it sets the limit now and every
// period until ctx is done or the returned stop function is called; the
// change function is for search.Live.SetChangeHook.
func followLiveHeap(ctx context.Context, every time.Duration) (change func(bool), stop func()) {
	m := &memoryLimiter{sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	m.set()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.set()
			}
		}
	}()
	return m.change, func() {
		cancel()
		<-done
	}
}

// verifyDelay is how long after start serve checks the checksums of the
// index files.
const verifyDelay = 3 * time.Second

// gcHeadroom is the least heap growth between two garbage collections of
// the server, and maxGCPercent the most GOGC it sets to get it.
const (
	gcHeadroom   = 128 << 20
	maxGCPercent = 400
)

// setGCHeadroom lets the heap grow by at least gcHeadroom between
// collections. A search allocates a few hundred KB of short-lived memory
// (hit texts, highlights, JSON, gzip) over a small live heap (≈ 25 MB for
// the seeds): with Go's default GOGC=100 the collector then runs every
// few dozen requests and its pauses and CPU show in the latency tail.
// With a large corpus the live heap is big enough that the default
// already gives this headroom, and GOGC stays 100. An explicit GOGC in
// the environment is left alone. It reads the live heap as the last
// collection left it: the caller has just collected (releaseFullDictionary
// ends with debug.FreeOSMemory; a second full collection of a 1.4 GB heap
// cost 0.4 s of start-up at 2,000 documents).
func setGCHeadroom() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	live := max(ms.HeapAlloc, 1)
	pct := min(maxGCPercent, max(100, int(gcHeadroom*100/live)))
	debug.SetGCPercent(pct)
}
