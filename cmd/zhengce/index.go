package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/ingest"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer"
	"github.com/zhengce/zhengce/search"
)

// runIndex implements `zhengce index`: build the search index of a corpus
// (default: the embedded seeds) into a directory (default:
// indexer.DefaultDir, or $ZHENGCE_INDEX), replacing any previous index
// only once the new one is complete.
func (m *Main) runIndex(ctx context.Context, args []string) (err error) {
	fs := m.flagSet("index")
	corpusDir := fs.String("corpus", "", "语料目录（默认使用内置语料）")
	indexDir := fs.String("index", "", "索引目录（默认 $ZHENGCE_INDEX 或 "+indexer.DefaultDir()+"）")
	cpuProfile := fs.String("cpuprofile", "", "把整个建立过程的 CPU 剖析（pprof）写入此文件")
	memProfile := fs.String("memprofile", "", "把整个建立过程的内存分配剖析（pprof）写入此文件")
	fs.Usage = func() {
		fmt.Fprintln(m.Stderr, "用法：zhengce index [--corpus DIR] [--index DIR] [--cpuprofile FILE] [--memprofile FILE]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return corpus.Errorf(corpus.EINVALID, "多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer func() {
			if perr := stop(); perr != nil && err == nil {
				err = perr
			}
		}()
	}
	if *memProfile != "" {
		// created now, so a path that cannot be written fails before the build
		f, err := os.Create(*memProfile)
		if err != nil {
			return &corpus.Error{Code: corpus.EINVALID, Message: "无法创建剖析文件：" + *memProfile, Err: err}
		}
		defer func() {
			if perr := writeAllocProfile(f); perr != nil && err == nil {
				err = perr
			}
		}()
	}
	if m.Getenv("GOGC") == "" {
		debug.SetGCPercent(indexGCPercent)
	}
	m.setBuildMemoryLimit()
	dir := m.indexDir(*indexDir)
	// gse's full dictionary, when needed, loads while the corpus is parsed
	if *corpusDir != "" {
		return m.streamIndex(ctx, *corpusDir, dir)
	}
	early := m.prefetchSegmenter(dir, *corpusDir)
	start := time.Now()
	c, err := m.loadCorpus(ctx, *corpusDir)
	if err != nil {
		return err
	}
	parsed := time.Since(start)
	// the domain dictionary of a previous index of c, else the full one
	seg, err := m.segmenterFor(dir, c, early)
	if err != nil {
		return err
	}
	st, err := indexer.Build(ctx, dir, c, seg, m.progress("建立索引"))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "索引已建立：%s\n", dir)
	fmt.Fprintf(m.Stdout, "文档 %d 篇，条目 %d 条（%s），目标 %d 条\n", st.Documents, st.Units, byType(st.ByType), st.Targets)
	fmt.Fprintf(m.Stdout, "文本 %.1f KB，用时 %.2f 秒\n", float64(st.Bytes)/1024, st.Seconds)
	var phases []string
	for _, ph := range st.Phases {
		phases = append(phases, fmt.Sprintf("%s %.2f", phaseName(ph.Name), ph.Seconds))
	}
	fmt.Fprintf(m.Stdout, "各阶段（秒）：解析语料 %.2f，%s\n", parsed.Seconds(), strings.Join(phases, "，"))
	return nil
}

// streamMemoryLimit is the soft memory limit of a streamed build, which
// runs at indexGCPercent under it. Its live heap (the segmenter's tables,
// one batch parsed, one being indexed and stored) is at most about
// 0.5 GB whatever the corpus size; the collector runs when the heap
// reaches three times the live heap or the limit, whichever comes first.
// A small collection collects half as often as at GOGC 100 — the laws
// corpus 7.3–7.4 s instead of 7.7–8.1 s, 1.0 CPU-s less, for a peak of
// 1.13–1.15 GB instead of 0.97 GB — and a large one runs at the limit:
// 1 GB of text in 152 s (peak 1.18 GB) against 159 s (1.30 GB) at GOGC
// 100 under 1.25 GiB, whose larger heap cost the kernel 16 s more of
// page faults (docs/scaling.md).
const streamMemoryLimit = 1100 << 20

// streamIndex builds the index of the folder corpusDir into dir in
// bounded memory: the folder is parsed in batches (corpus.StreamBatchBytes
// of files), each indexed as a segment and stored while the next is
// parsed.
func (m *Main) streamIndex(ctx context.Context, corpusDir, dir string) error {
	start := time.Now()
	// a streamed build's live heap does not grow with the corpus: its
	// soft limit bounds the collector's slack (GOMEMLIMIT wins when set;
	// the GOGC is Run's, indexGCPercent unless GOGC is set)
	if m.Getenv("GOMEMLIMIT") == "" {
		if total, ok := systemMemory(os.ReadFile); ok {
			debug.SetMemoryLimit(min(int64(float64(total)*buildMemoryShare), streamMemoryLimit))
		}
	}
	p, err := parse.Default()
	if err != nil {
		return err
	}
	r := ingest.New(ingest.Options{Parser: p, NoOCR: m.Getenv("ZHENGCE_NO_OCR") != ""})
	defer r.Close()
	// gse's dictionary loads while the first batch is parsed
	b, err := indexer.NewStreamBuilderLoading(ctx, dir, loadInBackground(m.loadSegmenter), nil)
	if err != nil {
		return err
	}
	tty := isTerminal(m.Stderr)
	docs, bytes := 0, int64(0)
	l := r.Loader()
	l.Cores = b.Cores() // parsing yields a core to bleve's builder
	rejected, warnings, err := l.StreamDir(ctx, corpusDir, func(batch *corpus.Corpus) error {
		if err := b.Add(batch); err != nil {
			return err
		}
		for _, d := range batch.Documents() {
			docs++
			for _, u := range d.Units {
				bytes += int64(len(u.Text))
			}
		}
		line := fmt.Sprintf("建立索引：已处理 %d 篇文档，%.1f MB 文本，%.1f 秒", docs, float64(bytes)/(1<<20), time.Since(start).Seconds())
		if tty {
			fmt.Fprint(m.Stderr, "\r"+line)
		} else {
			fmt.Fprintln(m.Stderr, line)
		}
		return nil
	})
	if tty && docs > 0 {
		fmt.Fprintln(m.Stderr)
	}
	if err != nil {
		return errors.Join(err, b.Abort())
	}
	m.reportRejected(rejected, warnings)
	st, err := b.Finish(rejected, warnings)
	if err != nil {
		return err
	}
	// the columns a server builds at start, built once here: every start
	// maps them. The build's heap, garbage now, goes back to the system
	// first: mapping the index on top of it made the build's peak (at
	// 1 GB of text 1.42 GB, 1.34 GB with this)
	debug.FreeOSMemory()
	if err := saveServed(dir); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "索引已建立：%s\n", dir)
	fmt.Fprintf(m.Stdout, "文档 %d 篇，条目 %d 条（%s），目标 %d 条\n", st.Documents, st.Units, byType(st.ByType), st.Targets)
	fmt.Fprintf(m.Stdout, "文本 %.1f KB，用时 %.2f 秒（%.1f MB/秒）\n", float64(st.Bytes)/1024, st.Seconds, float64(st.Bytes)/(1<<20)/max(st.Seconds, 1e-9))
	return nil
}

// indexGCPercent is the GOGC of `zhengce index` unless GOGC is set: a
// build allocates several times its live heap (tokens, postings, segments)
// and with the default of 100 the collector took about a tenth of its CPU
// time at 2,000 documents; 200 halves its cycles for a larger peak heap.
const indexGCPercent = 200

// phaseName is the Chinese name of a phase of indexer.Build.
func phaseName(name string) string {
	switch name {
	case "normalize":
		return "规范化"
	case "words":
		return "词索引（同时写条目文件）"
	case "bigrams":
		return "二元组"
	case "domain-dict":
		return "领域词典"
	case "manifest":
		return "校验清单"
	case "store":
		return "文档库"
	case "install":
		return "启用"
	}
	return name
}

// parseFlags parses a subcommand's flags, reporting bad ones as EINVALID.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &corpus.Error{Code: corpus.EINVALID, Message: "参数错误", Err: err}
	}
	return nil
}

// indexDir resolves the index directory: the flag, else $ZHENGCE_INDEX,
// else indexer.DefaultDir.
func (m *Main) indexDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := m.Getenv("ZHENGCE_INDEX"); v != "" {
		return v
	}
	return indexer.DefaultDir()
}

// loadSegmenter loads the gse dictionary, telling the user why they wait.
func (m *Main) loadSegmenter() (*indexer.Segmenter, error) {
	start := time.Now()
	if isTerminal(m.Stderr) {
		fmt.Fprint(m.Stderr, "加载分词词典…")
		defer func() { fmt.Fprintf(m.Stderr, "\r加载分词词典：%.1f 秒\n", time.Since(start).Seconds()) }()
	}
	seg, err := indexer.NewSegmenter()
	if err != nil {
		return nil, fmt.Errorf("load segmenter: %w", err)
	}
	return seg, nil
}

func byType(m map[string]int) string {
	order := []string{string(corpus.TypeSection), string(corpus.TypeClause), string(corpus.TypeTask), string(corpus.TypeTableRow)}
	var keys []string
	for k := range m {
		if k != string(corpus.TypeTarget) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := indexOf(order, keys[i]), indexOf(order, keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, "，")
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return len(s)
}

// progress returns an indexer.Progress for stderr: a redrawn bar on a
// terminal, a few plain lines otherwise.
func (m *Main) progress(label string) indexer.Progress {
	tty := isTerminal(m.Stderr)
	lastQuarter := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if tty {
			const width = 30
			n := done * width / total
			fmt.Fprintf(m.Stderr, "\r%s [%s%s] %3d%% %d/%d", label, strings.Repeat("█", n), strings.Repeat("·", width-n), pct, done, total)
			if done == total {
				fmt.Fprintln(m.Stderr)
			}
			return
		}
		if q := pct / 25; q != lastQuarter {
			lastQuarter = q
			fmt.Fprintf(m.Stderr, "%s：%d/%d（%d%%）\n", label, done, total, pct)
		}
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// startCPUProfile starts a CPU profile written to path and returns the
// function that stops it and closes the file.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法创建剖析文件：" + path, Err: err}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("write cpu profile: %w", err)
		}
		return nil
	}, nil
}

// writeAllocProfile writes the allocation profile of the process so far
// (pprof's "allocs": every allocation since start, sampled) to f and
// closes it.
func writeAllocProfile(f *os.File) error {
	err := pprof.Lookup("allocs").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write memory profile: %w", err)
	}
	return nil
}

// saveServed opens the index just built in dir and keeps its served
// columns beside it (search.Live.SaveServed).
func saveServed(dir string) error {
	l, err := search.OpenLibraryReadOnly(dir, nil)
	if err != nil {
		return err
	}
	return errors.Join(l.SaveServed(), l.Close())
}
