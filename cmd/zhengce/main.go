// Command zhengce indexes and serves Chinese policy documents.
//
// Usage:
//
//	zhengce docs     [--corpus DIR] [--json]
//	zhengce outline  [--corpus DIR] [--json] DOC_ID
//	zhengce index    [--corpus DIR] [--index DIR]
//	zhengce add      [--index DIR] [--json] PATH…
//	zhengce remove   [--index DIR] [--json] ID…
//	zhengce search   [--index DIR] [--json] [--limit N] [--offset N] [filters] QUERY
//	zhengce targets  [--corpus DIR] [--json|--csv] [--district D] [--compare NAME] [QUERY]
//	zhengce serve    [--addr 127.0.0.1:8080] [--index DIR] [--corpus DIR] [--watch DIR]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ingest"
	"github.com/zhengce/zhengce/corpus/parse"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	go m.exitAfterInterrupt(ctx)
	err := m.Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "zhengce:", describe(err))
		}
		os.Exit(exitCode(err))
	}
}

// interruptGrace is how long the process waits after Ctrl-C or SIGTERM
// for a command to stop by itself (every stage checks its context: about
// 0.1–0.3 s) before it exits regardless: a batch of the index builder or
// its final merge cannot be interrupted and takes up to a second or two
// on a large corpus. Exiting then is safe: a build is atomic and
// crash-safe (guarantee 1.1).
const interruptGrace = 300 * time.Millisecond

// exitAfterInterrupt exits the process interruptGrace after ctx (the
// signal context) is done, unless a server is serving: its graceful
// shutdown lets requests in flight finish (web.ShutdownTimeout).
func (m *Main) exitAfterInterrupt(ctx context.Context) {
	<-ctx.Done()
	time.Sleep(interruptGrace)
	if m.serving.Load() {
		return
	}
	fmt.Fprintln(m.Stderr, "zhengce: 已中断（收到 Ctrl-C 或终止信号），未完成的工作已放弃；索引保持原样")
	os.Exit(exitInterrupted)
}

// exitInterrupted is the exit status of a process stopped by a signal
// before its command returned (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// Main is the zhengce program. Its fields are the process environment, so
// end-to-end tests can run the real program in-process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, is called by serve with the address it listens on
	// once the server accepts connections.
	Ready func(addr string)

	// serving is set while serve accepts connections: an interrupt then
	// shuts the server down gracefully instead of exiting at once.
	serving atomic.Bool
}

// command is one subcommand of the program.
type command struct {
	name    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func (m *Main) commands() []command {
	return []command{
		{"docs", "列出语料中的文档及其元数据", (*Main).runDocs},
		{"outline", "显示文档的标题层级", (*Main).runOutline},
		{"index", "为语料建立检索索引", (*Main).runIndex},
		{"add", "向索引添加或替换文件（文件或目录）", (*Main).runAdd},
		{"remove", "从索引中删除文档", (*Main).runRemove},
		{"search", "在索引中检索", (*Main).runSearch},
		{"targets", "列出并比较各区县的目标指标", (*Main).runTargets},
		{"serve", "启动网页与 JSON API 服务", (*Main).runServe},
	}
}

// Run runs the program with the given arguments (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage()
		if len(args) == 0 {
			return corpus.Errorf(corpus.EINVALID, "缺少子命令")
		}
		return nil
	}
	for _, c := range m.commands() {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	m.usage()
	return corpus.Errorf(corpus.EINVALID, "未知子命令：%s", args[0])
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, "用法：zhengce <子命令> [参数]")
	fmt.Fprintln(m.Stderr)
	for _, c := range m.commands() {
		fmt.Fprintf(m.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(m.Stderr)
	fmt.Fprintln(m.Stderr, "运行 zhengce <子命令> --help 查看各子命令的参数。")
}

// flagSet returns a FlagSet for a subcommand that reports errors instead of
// exiting and prints its usage to m.Stderr.
func (m *Main) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("zhengce "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// describe renders an error for the terminal: the user-facing message of a
// corpus.Error, with its cause when there is one.
func describe(err error) string {
	var e *corpus.Error
	if errors.As(err, &e) {
		if errors.Is(e.Err, context.Canceled) {
			return e.Message + "（收到中断信号）"
		}
		if e.Err != nil {
			return e.Message + "（" + e.Err.Error() + "）"
		}
		return e.Message
	}
	return err.Error()
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if corpus.ErrorCode(err) == corpus.EINVALID {
		return 2
	}
	return 1
}

// loadCorpus loads the corpus folder dir in every supported format, or
// the embedded seeds when dir is empty. Files that cannot be read are
// listed in the corpus (Rejected) and reported on standard error; they
// never fail the command. The format readers are released once the folder
// is read: pdfium is started only when the folder holds a PDF.
func (m *Main) loadCorpus(ctx context.Context, dir string) (*corpus.Corpus, error) {
	if dir == "" {
		return parse.Seeds()
	}
	p, err := parse.Default()
	if err != nil {
		return nil, err
	}
	r := ingest.New(ingest.Options{Parser: p, NoOCR: m.Getenv("ZHENGCE_NO_OCR") != ""})
	c, err := r.Loader().LoadDir(ctx, dir)
	if cerr := r.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	m.reportLoad(c)
	return c, nil
}

// reportLoad prints the files of a corpus folder that were not indexed,
// and the remarks about those that were, on standard error.
func (m *Main) reportLoad(c *corpus.Corpus) {
	m.reportRejected(c.Rejected(), c.Warnings())
}

// reportRejected prints the files not indexed and the remarks about
// those that were, on standard error.
func (m *Main) reportRejected(rejected []corpus.Rejection, warnings []corpus.Warning) {
	if n := len(rejected); n > 0 {
		fmt.Fprintf(m.Stderr, "未收录 %d 个文件：\n", n)
		for _, r := range rejected {
			fmt.Fprintf(m.Stderr, "  %s：%s\n", r.Source, r.Reason)
		}
	}
	for _, w := range warnings {
		fmt.Fprintf(m.Stderr, "注意：%s：%s\n", w.Source, w.Message)
	}
}
