package main

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
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

// handBackPages calls drop at every tick until stop is called; the first
// failure is logged (a later one would say the same).
func handBackPages(tick <-chan time.Time, drop func() error, log *slog.Logger) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		logged := false
		for {
			select {
			case <-quit:
				return
			case <-tick:
				if err := drop(); err != nil && !logged {
					log.Warn("cannot hand the index's pages back to the page cache", "err", err)
					logged = true
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}
