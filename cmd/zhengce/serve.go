package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
	"github.com/zhengce/zhengce/web"
)

// runServe implements `zhengce serve [--addr 127.0.0.1:8080] [--index DIR]
// [--corpus DIR]`: it loads the corpus, opens the index (building it on
// first start, with progress on the terminal), and serves the web
// application and the JSON API until ctx is cancelled.
func (m *Main) runServe(ctx context.Context, args []string) (err error) {
	fs := m.flagSet("serve")
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址（主机:端口）")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	corpusDir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	rate := fs.Float64("rate-limit", 0, "每个客户端 IP 每秒允许的请求数，超出返回 429（0 表示不限）")
	burst := fs.Int("rate-burst", 0, "每个客户端 IP 允许的瞬时请求数（默认为 rate-limit 的两倍）")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce serve [--addr 127.0.0.1:8080] [--index DIR] [--corpus DIR] [--rate-limit N] [--rate-burst N]")
		fs.PrintDefaults()
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

	early := m.prefetchSegmenter(dir) // overlaps with parsing the corpus
	c, err := loadCorpus(*corpusDir)
	if err != nil {
		return err
	}
	seg, err := m.segmenterFor(dir, c, early)
	if err != nil {
		return err
	}
	svc, err := search.Ensure(ctx, dir, c, seg, m.progress("建立索引"))
	if err != nil {
		return err
	}
	releaseFullDictionary(svc, dir, c, seg)
	defer func() {
		if cerr := svc.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
	}()

	logger := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	srv, err := web.New(web.Config{Corpus: c, Searcher: svc, Logger: logger, IndexDir: dir, RateLimit: *rate, RateBurst: *burst})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法监听地址：" + *addr, Err: err}
	}
	fmt.Fprintf(m.Stderr, "政策检索已启动：http://%s/ （索引 %s，按 Ctrl-C 停止）\n", ln.Addr(), dir)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(m.Stderr, "政策检索已停止")
	return err
}
