package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSystemMemory(t *testing.T) {
	const meminfo = "MemTotal:       24576000 kB\nMemFree:        18000000 kB\n"
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			if s, ok := m[name]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  uint64
		ok    bool
	}{
		{"machine only", map[string]string{"/proc/meminfo": meminfo}, 24576000 << 10, true},
		{"cgroup lower", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "2147483648\n"}, 2 << 30, true},
		{"cgroup higher", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "99999999999999\n"}, 24576000 << 10, true},
		{"cgroup unlimited", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, 24576000 << 10, true},
		{"cgroup only", map[string]string{"/sys/fs/cgroup/memory.max": "1073741824"}, 1 << 30, true},
		{"garbled meminfo", map[string]string{"/proc/meminfo": "MemTotal: lots\n"}, 0, false},
		{"nothing", map[string]string{}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := systemMemory(files(tc.files))
			if got != tc.want || ok != tc.ok {
				t.Errorf("systemMemory = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := systemMemory(func(string) ([]byte, error) { return nil, errors.New("denied") }); ok {
		t.Error("systemMemory reported memory it could not read")
	}
}

// TestMemoryLimit checks the server's soft memory limit: twice the live
// heap, never below the floor, never overflowing.
func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		live uint64
		want int64
	}{
		{0, serveMemoryFloor},
		{serveMemoryFloor / 2, serveMemoryFloor},
		{51 << 20, 102 << 20},
		{1 << 30, 2 << 30},
		{math.MaxUint64, math.MaxInt64 - 1},
	} {
		if got := memoryLimit(tc.live); got != tc.want {
			t.Errorf("memoryLimit(%d) = %d, want %d", tc.live, got, tc.want)
		}
	}
}

// TestFollowLiveHeap checks that the limit follows a live heap that
// grows while the server runs, and is lifted for the length of a change.
func TestFollowLiveHeap(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	change, stop := followLiveHeap(context.Background(), 10*time.Millisecond)
	defer stop()
	if got := debug.SetMemoryLimit(-1); got < serveMemoryFloor || got == old {
		t.Fatalf("limit %d after start, want at least %d", got, serveMemoryFloor)
	}
	// grow the live heap past half the floor: the limit follows it
	grown := make([][]byte, 0, 128)
	for range 128 {
		grown = append(grown, make([]byte, 1<<20))
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 2*128<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("limit %d with a live heap over 128 MB", debug.SetMemoryLimit(-1))
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(grown)
	// a change lifts the limit, the periodic setting leaves it lifted,
	// the end of the change sets it again from the live heap
	change(true)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d during a change, want none", got)
	}
	time.Sleep(50 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit %d set again during a change", got)
	}
	change(false)
	if got := debug.SetMemoryLimit(-1); got == math.MaxInt64 || got < serveMemoryFloor {
		t.Errorf("limit %d after the change, want twice the live heap", got)
	}
}

// TestHandBackPages checks that the server's page hand-back runs once per
// tick, logs the first failure only, and stops.
func TestHandBackPages(t *testing.T) {
	tick := make(chan time.Time)
	var calls atomic.Int32
	var logBuf bytes.Buffer
	k := &pageKeeper{drop: func() error {
		calls.Add(1)
		return errors.New("madvise: no")
	}, log: slog.New(slog.NewTextHandler(&logBuf, nil))}
	stop := handBackPages(tick, k)
	for range 3 {
		tick <- time.Now() // unbuffered: each send is taken by the loop
	}
	stop()
	// the third call may still be running when the third send returns;
	// stop waits for the loop
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls for 3 ticks", n)
	}
	if n := strings.Count(logBuf.String(), "cannot hand the index's pages back"); n != 1 {
		t.Errorf("failure logged %d times, want once:\n%s", n, logBuf.String())
	}
}

// TestPageKeeperSettle checks that a server going idle hands the pages
// back only above settledPages of resident file pages (and not when the
// figure cannot be read), at most once per settleEvery whatever the
// ticker does, and that two concurrent calls do not both drop.
func TestPageKeeperSettle(t *testing.T) {
	var calls atomic.Int32
	resident, readable := uint64(0), true
	clock := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	k := &pageKeeper{drop: func() error { calls.Add(1); return nil },
		filePages: func() (uint64, bool) { return resident, readable },
		now:       func() time.Time { return clock },
		log:       slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, c := range []struct {
		name     string
		after    time.Duration // the clock moves on by this much first
		resident uint64
		readable bool
		want     int32
	}{
		{"at the bound", 0, settledPages, true, 0},
		{"over it", 0, settledPages + 1, true, 1},
		{"again at once", time.Millisecond, 2 << 30, true, 0},
		{"just before settleEvery", settleEvery - 2*time.Millisecond, 2 << 30, true, 0},
		{"unreadable", time.Hour, 2 << 30, false, 0},
		{"settleEvery later", 0, 2 << 30, true, 1},
	} {
		calls.Store(0)
		clock = clock.Add(c.after)
		resident, readable = c.resident, c.readable
		if c.name == "just before settleEvery" {
			k.dropNow() // a tick does not delay settle
			calls.Store(0)
		}
		k.settle()
		if n := calls.Load(); n != c.want {
			t.Errorf("%s: %d bytes resident (readable %v): %d drops, want %d", c.name, c.resident, c.readable, n, c.want)
		}
	}
	// a drop in progress: a second caller returns at once
	calls.Store(0)
	clock = clock.Add(time.Hour)
	entered, release := make(chan struct{}), make(chan struct{})
	k.drop = func() error {
		calls.Add(1)
		close(entered)
		<-release
		return nil
	}
	done := make(chan struct{})
	go func() { k.settle(); close(done) }()
	<-entered
	k.settle()
	k.dropNow()
	close(release)
	<-done
	if n := calls.Load(); n != 1 {
		t.Errorf("settle, then settle and a tick while it drops: %d drops, want 1", n)
	}
}

// TestStatmFilePages reads the third field of /proc/PID/statm, and this
// process's own.
func TestStatmFilePages(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"311297 40551 11237 3345 0 54432 0\n", 11237 * 4096, true},
		{"311297 40551", 0, false},
		{"a b c d", 0, false},
		{"", 0, false},
	} {
		got, ok := statmFilePages([]byte(c.in), 4096)
		if got != c.want || ok != c.ok {
			t.Errorf("statmFilePages(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if runtime.GOOS == "linux" {
		k := newPageKeeper(func() error { return nil }, nil)
		for range 2 { // the file is read again from its start
			if n, ok := k.filePages(); !ok || n == 0 {
				t.Errorf("this process: %d bytes of file pages, %v", n, ok)
			}
		}
		if err := k.Close(); err != nil {
			t.Error(err)
		}
	}
}
