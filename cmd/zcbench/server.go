package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/search"
)

// server is a zhengce serve process started for a measurement.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	started time.Time
	// probe is start → the first answer of probeQuery: the index opened
	// and searchable, whatever the size of the corpus
	probe time.Duration
	ready time.Duration // start → first answer of startupQuery, asked right after
	cpu   time.Duration // CPU time (user+system) of the server by then
	log   *bytes.Buffer
	done  chan error
}

// probeQuery is polled until the server answers: a quoted phrase no
// document holds, so its answer costs the same on any corpus and measures
// opening the index. startupQuery follows: bare words, which need the
// segmenter, and which hold in most texts of a synthetic corpus, so its
// first answer adds what one broad query costs on the corpus served.
const (
	probeQuery   = "q=" + `"启动探测用的不存在短语"`
	startupQuery = "q=" + "学前教育 普惠"
)

// startServer starts `bin serve` on a free loopback port and waits until
// /api/search answers 200, or until timeout. Without corpusDir the server
// is given no --corpus: it serves the index directory as it is (or builds
// it from the embedded seeds when there is none). env is added to the
// server's environment.
func startServer(ctx context.Context, bin, index, corpusDir string, env []string, timeout time.Duration) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", "127.0.0.1:" + strconv.Itoa(port), "--index", index}
	if corpusDir != "" {
		args = append(args, "--corpus", corpusDir)
	}
	s := &server{base: "http://127.0.0.1:" + strconv.Itoa(port), log: &bytes.Buffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, args...)
	if len(env) > 0 {
		s.cmd.Env = append(os.Environ(), env...)
	}
	s.cmd.Stdout = &lockedWriter{w: s.log}
	s.cmd.Stderr = s.cmd.Stdout
	s.started = time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.After(timeout)
	for {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server exited before answering: %v\n%s", err, s.logText())
		case <-deadline:
			s.stop()
			return nil, fmt.Errorf("server not ready after %s\n%s", timeout, s.logText())
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if get(ctx, client, s.base+"/api/search?"+encode(probeQuery)) == nil {
			s.probe = time.Since(s.started)
			if err := get(ctx, client, s.base+"/api/search?"+encode(startupQuery)); err != nil {
				s.stop()
				return nil, fmt.Errorf("first search: %w\n%s", err, s.logText())
			}
			s.ready = time.Since(s.started)
			s.cpu, _ = procCPU(s.cmd.Process.Pid)
			return s, nil
		}
	}
}

func (s *server) logText() string {
	w := s.cmd.Stdout.(*lockedWriter)
	w.mu.Lock()
	defer w.mu.Unlock()
	return s.log.String()
}

// stop ends the server with SIGTERM (SIGKILL after 10 s) and waits.
func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// rssKB is the resident set of the server in KiB.
func (s *server) rssKB() (int, error) { return procRSS(s.cmd.Process.Pid) }

// settleAfter is how long after a load run the settled resident set is
// read: longer than the period at which a server hands the pages of its
// mapped index files back to the page cache (2 s, cmd/zhengce).
const settleAfter = 3 * time.Second

// settledRSS waits settleAfter with no request and returns the server's
// resident set and its anonymous part, in KiB: what the process holds
// once the pages the last requests mapped have been handed back.
func settledRSS(ctx context.Context, s *server) (rss, anon int, err error) {
	select {
	case <-ctx.Done():
		return 0, 0, ctx.Err()
	case <-time.After(settleAfter):
	}
	if rss, err = s.rssKB(); err != nil {
		return 0, 0, err
	}
	return rss, s.anonKB(), nil
}

// anonKB is the resident anonymous memory of the server in KiB (0 when
// the kernel does not report it).
func (s *server) anonKB() int {
	kb, _ := procAnon(s.cmd.Process.Pid)
	return kb
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// procRSS reads VmRSS of a process in KiB.
func procRSS(pid int) (int, error) { return procStatus(pid, "VmRSS:") }

// procAnon reads RssAnon of a process in KiB: its resident memory less
// the pages of mapped files (the index's mmapped segments and store),
// which the kernel can drop and read again.
func procAnon(pid int) (int, error) { return procStatus(pid, "RssAnon:") }

// procStatus reads one KiB figure of /proc/PID/status.
func procStatus(pid int, key string) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read status of %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			return strconv.Atoi(f[1])
		}
	}
	return 0, fmt.Errorf("no %s for %d", key, pid)
}

// procCPU reads the user+system CPU time of a process from /proc (the
// figure that does not depend on other load on the machine).
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read stat of %d: %w", pid, err)
	}
	// fields after the command name, which is in parentheses
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, fmt.Errorf("bad stat of %d", pid)
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("bad stat of %d", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad stat of %d", pid)
	}
	const hz = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / hz, nil
}

// memSampler samples a process's RSS every interval until stopped.
type memSampler struct {
	mu      sync.Mutex
	samples []int // KiB
	stopc   chan struct{}
	wg      sync.WaitGroup
}

func sampleRSS(pid int, every time.Duration) *memSampler {
	m := &memSampler{stopc: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if kb, err := procRSS(pid); err == nil {
				m.mu.Lock()
				m.samples = append(m.samples, kb)
				m.mu.Unlock()
			}
			select {
			case <-m.stopc:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memSampler) stop() []int {
	close(m.stopc)
	m.wg.Wait()
	return m.samples
}

// growth summarises RSS samples: first, max and last value, and the
// change between the mean of the second quarter and of the last quarter
// of the run (the first quarter is warm-up: caches, GC pacing).
type growth struct {
	First, Max, Last int // KiB
	Drift            int // KiB, mean of last quarter − mean of second quarter
}

func summarise(samples []int) growth {
	if len(samples) == 0 {
		return growth{}
	}
	g := growth{First: samples[0], Max: slices.Max(samples), Last: samples[len(samples)-1]}
	q := len(samples) / 4
	if q > 0 {
		g.Drift = mean(samples[len(samples)-q:]) - mean(samples[q:2*q])
	}
	return g
}

func mean(s []int) int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t / len(s)
}

func mb(kb int) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

// runServeBench implements `zcbench serve`: start-up with no index (the
// server builds it) and of `serve --index DIR` with no corpus folder (the
// self-contained index: no corpus is parsed), then a load run with memory
// sampling, against the real binary on a loopback port. An index
// directory without a document store is first built with `zhengce index`.
func runServeBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("zcbench serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	bin := fl.String("bin", "bin/zhengce", "zhengce binary")
	corpusDir := fl.String("corpus", "", "corpus directory the index is built from (default: the embedded seeds); never given to the measured start-ups")
	index := fl.String("index", "", "index directory (default: a fresh temp dir, removed afterwards); an existing self-contained index is served as it is")
	conc := fl.Int("c", 8, "concurrent clients of the load run")
	dur := fl.Duration("d", 20*time.Second, "duration of the load run (0: no load run)")
	warm := fl.Int("warm", 3, "start-ups with an existing index (the median is reported)")
	cold := fl.Bool("cold", true, "measure a start-up without an index first (the server builds it; removes -index)")
	mix := fl.String("mix", "default", "query mix of the load run: default or costly (see zcbench load)")
	doc := fl.String("doc", "", "document id the costly mix reads with highlighting")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *index == "" {
		tmp, err := os.MkdirTemp("", "zcbench-index-")
		if err != nil {
			return fmt.Errorf("temp index: %w", err)
		}
		defer os.RemoveAll(tmp)
		*index = filepath.Join(tmp, "index")
	}
	timeout := 10 * time.Minute
	if *cold {
		if err := removeIndex(*index); err != nil {
			return err
		}
		s, err := startServer(ctx, *bin, *index, *corpusDir, nil, timeout)
		if err != nil {
			return err
		}
		rss, _ := s.rssKB()
		s.stop()
		fmt.Fprintf(stdout, "startup without index (serve builds it): %s to first search, %s CPU (rss %s)\n", s.ready.Round(time.Millisecond), s.cpu, mb(rss))
	}
	if !search.HasLibrary(*index) {
		b, err := buildIndex(ctx, *bin, *index, *corpusDir, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "index built: %s wall, peak RSS %s, %.1f MB on disk\n", b.Wall.Round(time.Millisecond), mb(b.PeakRSS), float64(b.Disk)/1e6)
	}
	var probes, times, cpus []time.Duration
	var last *server
	for i := 0; i < max(1, *warm); i++ {
		s, err := startServer(ctx, *bin, *index, "", nil, timeout)
		if err != nil {
			return err
		}
		probes = append(probes, s.probe)
		times = append(times, s.ready)
		cpus = append(cpus, s.cpu)
		if i < max(1, *warm)-1 {
			s.stop()
		} else {
			last = s
		}
	}
	defer last.stop()
	slices.Sort(probes)
	slices.Sort(times)
	slices.Sort(cpus)
	rss, err := last.rssKB()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "startup with index (serve --index, no corpus folder): ready (first answer of a probe phrase) median %s of %d (min %s, max %s); first answer of %s median %s (min %s, max %s), median %s CPU, rss after first search %s (anonymous %s)\n",
		probes[len(probes)/2].Round(time.Millisecond), len(probes), probes[0].Round(time.Millisecond), probes[len(probes)-1].Round(time.Millisecond),
		startupQuery, times[len(times)/2].Round(time.Millisecond), times[0].Round(time.Millisecond),
		times[len(times)-1].Round(time.Millisecond), cpus[len(cpus)/2], mb(rss), mb(last.anonKB()))
	if *dur <= 0 {
		return nil
	}
	m := sampleRSS(last.cmd.Process.Pid, time.Second)
	loadErr := runLoad(ctx, []string{"-url", last.base, "-c", strconv.Itoa(*conc), "-d", dur.String(), "-mix", *mix, "-doc", *doc}, stdout, stderr)
	g := summarise(m.stop())
	after, err := last.rssKB()
	if err != nil {
		return err
	}
	anon := last.anonKB()
	settled, settledAnon, err := settledRSS(ctx, last)
	if err != nil {
		return errors.Join(loadErr, err)
	}
	fmt.Fprintf(stdout, "memory during load: first %s, max %s, last %s, drift %+.1f MB (last quarter − second quarter); rss after load %s (anonymous %s), %s later %s (anonymous %s)\n",
		mb(g.First), mb(g.Max), mb(g.Last), float64(g.Drift)/1024, mb(after), mb(anon), settleAfter, mb(settled), mb(settledAnon))
	return loadErr
}

// built is the outcome of one `zhengce index` run.
type built struct {
	Wall    time.Duration
	CPU     time.Duration // user + system
	PeakRSS int           // KiB: the index process's maxrss (wait4 rusage)
	Disk    int64         // bytes of the index version directory
}

// buildIndex runs `bin index --index dir [--corpus corpusDir]`.
func buildIndex(ctx context.Context, bin, dir, corpusDir string, log io.Writer) (built, error) {
	var b built
	args := []string{"index", "--index", dir}
	if corpusDir != "" {
		args = append(args, "--corpus", corpusDir)
	}
	fmt.Fprintf(log, "%s %s\n", bin, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		return b, fmt.Errorf("index: %w", err)
	}
	b.Wall = time.Since(t0)
	b.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		b.PeakRSS = int(ru.Maxrss) // KiB on Linux
	}
	size, err := dirBytes(dir)
	if err != nil {
		return b, err
	}
	b.Disk = size
	return b, nil
}

// removeIndex removes an index directory: the link, or the directory,
// and the versions beside it (.NAME.versions).
func removeIndex(dir string) error {
	versions := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".versions")
	for _, p := range []string{dir, versions} {
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("remove index: %w", err)
		}
	}
	return nil
}

// errNotLoopback guards the load generator.
var errNotLoopback = errors.New("load runs only against loopback addresses")

func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("bad -url: %w", err)
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return errNotLoopback
	}
	return nil
}
