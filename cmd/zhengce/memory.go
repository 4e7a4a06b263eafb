package main

import (
	"bufio"
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
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
