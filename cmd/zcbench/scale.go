package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer"
)

// scaleRow is one corpus size of a scale run.
type scaleRow struct {
	Docs        int
	Synthetic   bool
	CorpusBytes int64
	IndexWall   time.Duration // `zhengce index`: parse + dictionary + build
	IndexRSS    int           // KiB, peak of the index process
	IndexBytes  int64         // on disk
	Units       int
	Startup     time.Duration // serve with the index → first search
	Load        loadResult
	ServeRSS    int // KiB after the load run
	Mem         growth
}

// runScale implements `zcbench scale`: for each corpus size, generate a
// synthetic corpus (5 = the real seeds), index it with the real binary,
// serve it and run the load generator; print a table.
func runScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("zcbench scale", flag.ContinueOnError)
	fl.SetOutput(stderr)
	bin := fl.String("bin", "bin/zhengce", "zhengce binary")
	sizes := fl.String("sizes", "5,200,2000", "corpus sizes in documents (5 = the real seed corpus)")
	conc := fl.Int("c", 8, "concurrent clients of each load run")
	dur := fl.Duration("d", 10*time.Second, "duration of each load run")
	kb := fl.Int("kb", 100, "approximate size of each synthetic document in KB")
	work := fl.String("dir", "", "work directory (default: a temp dir, removed afterwards)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	var ns []int
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -sizes %q", *sizes)
		}
		ns = append(ns, n)
	}
	if *work == "" {
		tmp, err := os.MkdirTemp("", "zcbench-scale-")
		if err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		defer os.RemoveAll(tmp)
		*work = tmp
	}
	var rows []scaleRow
	for _, n := range ns {
		row, err := scaleOne(ctx, *bin, *work, n, *kb, *conc, *dur, stdout, stderr)
		if err != nil {
			return fmt.Errorf("%d documents: %w", n, err)
		}
		rows = append(rows, row)
		printScale(stderr, rows) // partial results survive an interrupted run
		// the corpus and index of this size are not needed any more
		os.RemoveAll(filepath.Join(*work, fmt.Sprintf("corpus-%d", n)))
		os.RemoveAll(filepath.Join(*work, fmt.Sprintf("index-%d", n)))
		os.RemoveAll(filepath.Join(*work, fmt.Sprintf(".index-%d.versions", n)))
	}
	printScale(stdout, rows)
	return nil
}

func scaleOne(ctx context.Context, bin, work string, n, kb, conc int, dur time.Duration, stdout, stderr io.Writer) (scaleRow, error) {
	row := scaleRow{Docs: n}
	corpusDir := ""
	if n == 5 {
		size, err := seedBytes()
		if err != nil {
			return row, err
		}
		row.CorpusBytes = size
	} else {
		row.Synthetic = true
		corpusDir = filepath.Join(work, fmt.Sprintf("corpus-%d", n))
		if err := runSynth(ctx, []string{"-n", strconv.Itoa(n), "-out", corpusDir, "-kb", strconv.Itoa(kb)}, stderr, stderr); err != nil {
			return row, err
		}
		size, err := dirBytes(corpusDir)
		if err != nil {
			return row, err
		}
		row.CorpusBytes = size
	}
	idx := filepath.Join(work, fmt.Sprintf("index-%d", n))
	args := []string{"index", "--index", idx}
	if corpusDir != "" {
		args = append(args, "--corpus", corpusDir)
	}
	fmt.Fprintf(stderr, "== %d documents (%.1f MB): %s %s\n", n, float64(row.CorpusBytes)/1e6, bin, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return row, fmt.Errorf("index: %w", err)
	}
	row.IndexWall = time.Since(t0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		row.IndexRSS = int(ru.Maxrss) // KiB on Linux
	}
	size, err := dirBytes(idx)
	if err != nil {
		return row, err
	}
	row.IndexBytes = size
	if meta, err := indexer.ReadMeta(idx); err == nil {
		row.Units = meta.Stats.Units + meta.Stats.Targets
	}
	s, err := startServer(ctx, bin, idx, corpusDir, 15*time.Minute)
	if err != nil {
		return row, err
	}
	defer s.stop()
	row.Startup = s.ready
	m := sampleRSS(s.cmd.Process.Pid, time.Second)
	row.Load = load(ctx, s.base, conc, dur, 0)
	row.Mem = summarise(m.stop())
	row.Load.print(stdout)
	if row.ServeRSS, err = s.rssKB(); err != nil {
		return row, err
	}
	if row.Load.Errors > 0 {
		return row, fmt.Errorf("%d requests failed (first: %s)", row.Load.Errors, row.Load.FirstErr)
	}
	return row, nil
}

func printScale(w io.Writer, rows []scaleRow) {
	fmt.Fprintln(w, "| documents | text | index time | throughput | index peak RSS | index on disk | index entries | serve start-up | p50 | p99 | req/s | serve RSS after load | RSS drift |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		label := strconv.Itoa(r.Docs) + " (seeds)"
		if r.Synthetic {
			label = strconv.Itoa(r.Docs) + " (synthetic)"
		}
		mbs := float64(r.CorpusBytes) / 1e6
		fmt.Fprintf(w, "| %s | %.1f MB | %.1f s | %.2f MB/s | %s | %.1f MB | %d | %s | %s | %s | %.0f | %s | %+.1f MB |\n",
			label, mbs, r.IndexWall.Seconds(), mbs/r.IndexWall.Seconds(), mb(r.IndexRSS), float64(r.IndexBytes)/1e6, r.Units,
			r.Startup.Round(time.Millisecond), r.Load.p(50), r.Load.p(99), float64(len(r.Load.Lat))/r.Load.Elapsed.Seconds(),
			mb(r.ServeRSS), float64(r.Mem.Drift)/1024)
	}
}

// seedBytes is the size of the embedded seed documents.
func seedBytes() (int64, error) {
	var total int64
	err := fs.WalkDir(corpus.Embedded(), "seeds", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".txt") && !strings.HasSuffix(p, ".md") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("seed sizes: %w", err)
	}
	return total, nil
}

// dirBytes is the total size of the regular files under dir; a missing
// directory has size 0.
func dirBytes(dir string) (int64, error) {
	n, err := indexer.DiskSize(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	return n, err
}
