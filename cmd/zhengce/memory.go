package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// buildMemoryShare is the share of the machine's memory (or of the
// container's limit, when lower) that `zhengce index` lets its heap reach
// before collecting more often than indexGCPercent says. At GOGC 200 the
// heap peaks near three times the live data (4.4 GB for 2,000 documents);
// on a smaller machine, or with a larger corpus, the soft limit makes the
// collector work harder instead of the build running out of memory.
const buildMemoryShare = 0.5

// setBuildMemoryLimit sets the soft memory limit of an index build unless
// GOMEMLIMIT is set or the machine's memory cannot be read.
func (m *Main) setBuildMemoryLimit() {
	if m.Getenv("GOMEMLIMIT") != "" {
		return
	}
	total, ok := systemMemory(os.ReadFile)
	if !ok {
		return
	}
	debug.SetMemoryLimit(int64(float64(total) * buildMemoryShare))
}

// systemMemory returns the memory available to the process: the lower of
// the machine's total (/proc/meminfo) and the cgroup v2 limit
// (/sys/fs/cgroup/memory.max). ok is false where neither can be read (not
// Linux).
func systemMemory(read func(string) ([]byte, error)) (total uint64, ok bool) {
	if data, err := read("/proc/meminfo"); err == nil {
		if t, found := memTotal(data); found {
			total, ok = t, true
		}
	}
	if data, err := read("/sys/fs/cgroup/memory.max"); err == nil {
		if limit, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64); err == nil && limit > 0 && (!ok || limit < total) {
			total, ok = limit, true // "max" (no limit) does not parse
		}
	}
	return total, ok
}

// memTotal reads MemTotal from the content of /proc/meminfo.
func memTotal(meminfo []byte) (uint64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "MemTotal:" && f[2] == "kB" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			return kb << 10, err == nil && kb > 0
		}
	}
	return 0, false
}

// pagesEvery is how often a server hands the pages of its mapped index
// files back to the page cache (search.Live.DropPages): its resident
// memory then holds the pages the searches of the last seconds read, not
// every page any search ever read (at 1 GB of text a few broad queries
// touch most of the 1.3 GB of texts). The pages stay cached by the kernel;
// reading one again costs a minor fault.
const pagesEvery = 2 * time.Second

// settledPages is the resident memory of file mappings (the binary, the
// store, the index's files) above which a server that goes idle hands
// its index's pages back at once (pageKeeper.settle) rather than at the
// next tick: the binary and the store map some 45 MB, so an idle server
// keeps its resident memory within its heap and this bound.
const settledPages = 96 << 20

// settleEvery is the least time between two hand-backs by settle. A
// single client asking back to back leaves the server idle between its
// requests; handing the pages back after each of them made every request
// map again the columns and texts it reads (at 1 GB of text, server CPU
// per query +37 %, `make bench-scale`). At most once a second, the next
// request pays that, and the ticker does the rest.
const settleEvery = time.Second

// pageKeeper hands the pages of the index's mapped files back to the page
// cache (drop): at every tick of handBackPages, and when the server goes
// idle with more than settledPages of file pages resident (settle). The
// first failure is logged (a later one would say the same).
type pageKeeper struct {
	drop func() error
	// filePages returns the process's resident file-backed memory in
	// bytes; ok false when it cannot be read
	filePages func() (uint64, bool)
	now       func() time.Time
	statm     *os.File // /proc/self/statm, or nil
	log       *slog.Logger
	mu        sync.Mutex // held while dropping
	settled   time.Time  // the last hand-back by settle, under mu
	logged    atomic.Bool
}

// newPageKeeper returns the keeper of drop, reading the process's
// resident file pages from /proc/self/statm, kept open (a read is then a
// microsecond or two; where it cannot be opened, settle never drops).
// Close closes it.
func newPageKeeper(drop func() error, log *slog.Logger) *pageKeeper {
	k := &pageKeeper{drop: drop, log: log, now: time.Now, filePages: func() (uint64, bool) { return 0, false }}
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return k
	}
	k.statm = f
	k.filePages = func() (uint64, bool) {
		var buf [128]byte
		n, err := f.ReadAt(buf[:], 0)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, false
		}
		return statmFilePages(buf[:n], os.Getpagesize())
	}
	return k
}

// Close closes what newPageKeeper opened.
func (k *pageKeeper) Close() error {
	if k.statm == nil {
		return nil
	}
	return k.statm.Close()
}

// dropNow hands the pages back unless another call is doing it.
func (k *pageKeeper) dropNow() {
	if !k.mu.TryLock() {
		return
	}
	defer k.mu.Unlock()
	k.dropLocked()
}

// dropLocked hands the pages back; k.mu is held.
func (k *pageKeeper) dropLocked() {
	if err := k.drop(); err != nil && !k.logged.Swap(true) {
		k.log.Warn("cannot hand the index's pages back to the page cache", "err", err)
	}
}

// settle hands the pages back when more than settledPages of file pages
// are resident, unless it did less than settleEvery ago or another call
// is doing it (web.Config.Settle: the last search running is about to
// answer). Reading the figure costs a microsecond or two.
func (k *pageKeeper) settle() {
	if n, ok := k.filePages(); !ok || n <= settledPages {
		return
	}
	if !k.mu.TryLock() {
		return
	}
	defer k.mu.Unlock()
	if now := k.now(); now.Sub(k.settled) >= settleEvery {
		k.settled = now
		k.dropLocked()
	}
}

// statmFilePages returns the resident file-backed (and shared) memory in
// bytes from the content of /proc/PID/statm: its third field, in pages.
func statmFilePages(statm []byte, pageSize int) (uint64, bool) {
	f := strings.Fields(string(statm))
	if len(f) < 3 {
		return 0, false
	}
	n, err := strconv.ParseUint(f[2], 10, 64)
	if err != nil {
		return 0, false
	}
	return n * uint64(pageSize), true
}

// handBackPages calls k.dropNow at every tick until stop is called.
func handBackPages(tick <-chan time.Time, k *pageKeeper) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-quit:
				return
			case <-tick:
				k.dropNow()
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}
