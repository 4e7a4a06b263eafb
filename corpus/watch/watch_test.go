package watch_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/watch"
)

// t0 is the time of the tests that step the watcher's clock.
var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

// old is the modification time of files written long before a pass.
var old = t0.Add(-time.Hour)

// env is a watched folder, its collection and a watcher whose clock the
// test sets.
type env struct {
	dir  string
	coll *memColl
	w    *watch.Watcher
	now  time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: t.TempDir(), coll: newMemColl(), now: t0}
	e.w = &watch.Watcher{Dir: e.dir, Coll: e.coll, Logger: testLogger(t)}
	watch.SetClock(e.w, func() time.Time { return e.now })
	return e
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// write writes the file name (slash-separated) of the folder with the
// modification time mtime.
func (e *env) write(t *testing.T, name, content string, mtime time.Time) {
	t.Helper()
	p := filepath.Join(e.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// sync makes one pass, which must succeed.
func (e *env) sync(t *testing.T) watch.Report {
	t.Helper()
	rep, err := e.w.Sync(context.Background())
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return rep
}

// counts is the counters of a report, for comparisons.
type counts struct{ added, changed, removed, rejected, pending int }

func countsOf(r watch.Report) counts {
	return counts{r.Added, r.Changed, r.Removed, r.Rejected, r.Pending}
}

func TestSyncLifecycle(t *testing.T) {
	e := newEnv(t)
	e.write(t, "通知.txt", "第一版", old)

	if got, want := countsOf(e.sync(t)), (counts{added: 1}); got != want {
		t.Fatalf("new file: %+v, want %+v", got, want)
	}
	if got, _ := e.coll.content("通知.txt"); got != "第一版" {
		t.Fatalf("indexed %q, want 第一版", got)
	}
	origin, err := watch.Origin(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if e.coll.origins[0] != origin || origin != "watch:"+e.dir {
		t.Errorf("origin %q, want %q", e.coll.origins[0], "watch:"+e.dir)
	}

	t.Run("unchanged", func(t *testing.T) {
		if rep := e.sync(t); !rep.Empty() || rep.Pending != 0 {
			t.Errorf("second pass: %+v, want nothing", countsOf(rep))
		}
		if adds, removes := e.coll.calls(); adds != 1 || removes != 0 {
			t.Errorf("calls: %d adds, %d removes, want 1 and 0", adds, removes)
		}
	})
	t.Run("touched", func(t *testing.T) {
		touched := old.Add(10 * time.Minute)
		if err := os.Chtimes(filepath.Join(e.dir, "通知.txt"), touched, touched); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if rep := e.sync(t); !rep.Empty() {
				t.Errorf("touched file: %+v, want nothing", countsOf(rep))
			}
		}
		if adds, _ := e.coll.calls(); adds != 1 {
			t.Errorf("%d adds, want 1: touching must not re-index", adds)
		}
	})
	t.Run("changed", func(t *testing.T) {
		e.write(t, "通知.txt", "第二版", old.Add(20*time.Minute))
		if got, want := countsOf(e.sync(t)), (counts{changed: 1}); got != want {
			t.Fatalf("changed file: %+v, want %+v", got, want)
		}
		if got, _ := e.coll.content("通知.txt"); got != "第二版" {
			t.Fatalf("indexed %q, want 第二版", got)
		}
	})
	t.Run("changed, same size", func(t *testing.T) {
		e.write(t, "通知.txt", "第三版", old.Add(30*time.Minute))
		if got, want := countsOf(e.sync(t)), (counts{changed: 1}); got != want {
			t.Fatalf("changed file: %+v, want %+v", got, want)
		}
		if got, _ := e.coll.content("通知.txt"); got != "第三版" {
			t.Fatalf("indexed %q, want 第三版", got)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		if err := os.Remove(filepath.Join(e.dir, "通知.txt")); err != nil {
			t.Fatal(err)
		}
		rep := e.sync(t)
		if got, want := countsOf(rep), (counts{removed: 1}); got != want {
			t.Fatalf("deleted file: %+v, want %+v", got, want)
		}
		if got := e.coll.removes; len(got) != 1 || !slices.Equal(got[0], []string{"通知"}) {
			t.Errorf("removes %v, want [[通知]]", got)
		}
		if r := rep.Results; len(r) != 1 || r[0].Status != corpus.ChangeRemoved || r[0].Source != "通知.txt" {
			t.Errorf("results %+v, want 通知.txt removed", r)
		}
		if rep := e.sync(t); !rep.Empty() {
			t.Errorf("pass after removal: %+v, want nothing", countsOf(rep))
		}
	})
}

func TestSyncSettle(t *testing.T) {
	e := newEnv(t)
	e.write(t, "半截.txt", "第一部分", t0)
	if got, want := countsOf(e.sync(t)), (counts{pending: 1}); got != want {
		t.Fatalf("fresh file: %+v, want %+v", got, want)
	}
	// The copy goes on: the file grows within Settle.
	e.now = t0.Add(100 * time.Millisecond)
	e.write(t, "半截.txt", "第一部分第二部分", e.now)
	if got, want := countsOf(e.sync(t)), (counts{pending: 1}); got != want {
		t.Fatalf("growing file: %+v, want %+v", got, want)
	}
	e.now = e.now.Add(watch.DefaultSettle - time.Millisecond)
	if got, want := countsOf(e.sync(t)), (counts{pending: 1}); got != want {
		t.Fatalf("not yet settled: %+v, want %+v", got, want)
	}
	e.now = e.now.Add(time.Millisecond)
	if got, want := countsOf(e.sync(t)), (counts{added: 1}); got != want {
		t.Fatalf("settled file: %+v, want %+v", got, want)
	}
	if got, _ := e.coll.content("半截.txt"); got != "第一部分第二部分" {
		t.Errorf("indexed %q, want the whole file", got)
	}
	if adds, _ := e.coll.calls(); adds != 1 {
		t.Errorf("%d adds, want 1", adds)
	}
}

func TestSyncNegativeSettleReadsAtOnce(t *testing.T) {
	e := newEnv(t)
	e.w.Settle = -1
	e.write(t, "a.txt", "内容", t0)
	if got, want := countsOf(e.sync(t)), (counts{added: 1}); got != want {
		t.Fatalf("%+v, want %+v", got, want)
	}
}

func TestSyncWhichFiles(t *testing.T) {
	e := newEnv(t)
	outside := filepath.Join(t.TempDir(), "外部.txt")
	if err := os.WriteFile(outside, []byte("目录之外"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"a.txt", "sub/b.txt", "sub/deeper/c.md",
		".hidden.txt", "sub/.#d.txt", "~$e.docx", "sub/~$f.doc", "._g.txt",
		".git/h.txt", "sub/.cache/i.txt", "manifest.json", ".DS_Store", "Thumbs.db",
	} {
		e.write(t, name, "内容 "+name, old)
	}
	for link, target := range map[string]string{
		"out.txt":      outside,
		"in.txt":       filepath.Join(e.dir, "a.txt"),
		"sub/loop.txt": filepath.Join(e.dir, "sub/loop.txt"),
		"dirlink":      filepath.Join(e.dir, "sub"),
	} {
		if err := os.Symlink(target, filepath.Join(e.dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("no symbolic links: %v", err)
		}
	}
	rep := e.sync(t)
	want := []string{"a.txt", "in.txt", "sub/b.txt", "sub/deeper/c.md"}
	if got := e.coll.names(); !slices.Equal(got, want) {
		t.Errorf("indexed %v, want %v", got, want)
	}
	var rejected []string
	for _, r := range rep.Results {
		if r.Status == corpus.ChangeRejected {
			rejected = append(rejected, r.Source+"："+r.Reason)
		}
	}
	slices.Sort(rejected)
	wantRejected := []string{
		"out.txt：符号链接指向监视目录之外，出于安全考虑未读取",
		"sub/loop.txt：符号链接无效（目标不存在或链接成环），未读取",
	}
	if !slices.Equal(rejected, wantRejected) {
		t.Errorf("rejected %q, want %q", rejected, wantRejected)
	}
	if rep := e.sync(t); !rep.Empty() {
		t.Errorf("second pass: %+v, want nothing (rejections are reported once)", countsOf(rep))
	}
}

func TestSyncRejected(t *testing.T) {
	e := newEnv(t)
	e.w.MaxFileSize = 10
	e.write(t, "坏.txt", "BAD 内容", old)
	e.write(t, "大.txt", "十个字节以上的内容", old)
	rep := e.sync(t)
	if got, want := countsOf(rep), (counts{rejected: 2}); got != want {
		t.Fatalf("%+v, want %+v", got, want)
	}
	if adds, _ := e.coll.calls(); adds != 1 || len(e.coll.adds[0]) != 1 || e.coll.adds[0][0].Name != "坏.txt" {
		t.Errorf("adds %d, want one of 坏.txt only: a file over MaxFileSize is not read", adds)
	}
	if rep := e.sync(t); !rep.Empty() {
		t.Errorf("second pass: %+v, want nothing", countsOf(rep))
	}
	e.write(t, "坏.txt", "好内容", old.Add(time.Minute))
	if got, want := countsOf(e.sync(t)), (counts{added: 1}); got != want {
		t.Errorf("fixed file: %+v, want %+v", got, want)
	}
}

func TestSyncRename(t *testing.T) {
	e := newEnv(t)
	e.write(t, "旧名.txt", "内容", old)
	e.sync(t)
	if err := os.Rename(filepath.Join(e.dir, "旧名.txt"), filepath.Join(e.dir, "新名.txt")); err != nil {
		t.Fatal(err)
	}
	if got, want := countsOf(e.sync(t)), (counts{added: 1, removed: 1}); got != want {
		t.Fatalf("%+v, want %+v", got, want)
	}
	if got, want := e.coll.names(), []string{"新名.txt"}; !slices.Equal(got, want) {
		t.Errorf("indexed %v, want %v", got, want)
	}
}

func TestSyncMoveKeepsID(t *testing.T) {
	// A file moved to a sub-folder keeps its id: the removal must come
	// before the addition, or it would remove the document just added.
	e := newEnv(t)
	e.write(t, "通知.txt", "内容", old)
	e.sync(t)
	if err := os.Mkdir(filepath.Join(e.dir, "2024"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(e.dir, "通知.txt"), filepath.Join(e.dir, "2024", "通知.txt")); err != nil {
		t.Fatal(err)
	}
	e.sync(t)
	if got, want := e.coll.names(), []string{"2024/通知.txt"}; !slices.Equal(got, want) {
		t.Errorf("indexed %v, want %v", got, want)
	}
}

func TestSyncBatches(t *testing.T) {
	t.Run("files", func(t *testing.T) {
		e := newEnv(t)
		n := 2*watch.DefaultBatchFiles + 6
		for i := range n {
			e.write(t, filepath.Join("批", strings.Repeat("x", i+1)+".txt"), "内容", old)
		}
		if got, want := countsOf(e.sync(t)), (counts{added: n}); got != want {
			t.Fatalf("%+v, want %+v", got, want)
		}
		var sizes []int
		for _, a := range e.coll.adds {
			sizes = append(sizes, len(a))
		}
		if want := []int{watch.DefaultBatchFiles, watch.DefaultBatchFiles, 6}; !slices.Equal(sizes, want) {
			t.Errorf("batches of %v files, want %v", sizes, want)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		e := newEnv(t)
		e.w.BatchBytes = 100
		for _, name := range []string{"a.txt", "b.txt", "c.txt", "d.txt"} {
			e.write(t, name, strings.Repeat("字", 15), old) // 45 bytes
		}
		e.write(t, "e.txt", strings.Repeat("字", 50), old) // 150 bytes: alone
		e.write(t, "f.txt", "字", old)
		e.sync(t)
		var sizes []int
		for _, a := range e.coll.adds {
			sizes = append(sizes, len(a))
		}
		if want := []int{2, 2, 1, 1}; !slices.Equal(sizes, want) {
			t.Errorf("batches of %v files, want %v (at most 100 bytes each)", sizes, want)
		}
	})
}

func TestSyncDirMissing(t *testing.T) {
	e := newEnv(t)
	e.write(t, "a.txt", "内容", old)
	e.sync(t)
	if err := os.RemoveAll(e.dir); err != nil {
		t.Fatal(err)
	}
	_, err := e.w.Sync(context.Background())
	var ce *corpus.Error
	if !errors.As(err, &ce) || ce.Code != corpus.EINVALID || !strings.Contains(ce.Message, "监视目录不存在") {
		t.Fatalf("error %v, want an EINVALID *corpus.Error saying the folder is missing", err)
	}
	if _, removes := e.coll.calls(); removes != 0 {
		t.Errorf("%d removes, want none: a missing folder removes nothing", removes)
	}
}

func TestSyncNotADir(t *testing.T) {
	p := filepath.Join(t.TempDir(), "file.txt")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := &watch.Watcher{Dir: p, Coll: newMemColl()}
	if _, err := w.Sync(context.Background()); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
}

func TestSyncUnreadableSubfolderRemovesNothing(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every folder")
	}
	e := newEnv(t)
	e.write(t, "sub/a.txt", "内容", old)
	e.sync(t)
	sub := filepath.Join(e.dir, "sub")
	if err := os.Chmod(sub, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(sub, 0o755) })
	if rep := e.sync(t); rep.Removed != 0 {
		t.Errorf("%d removed, want 0: files of an unreadable folder are not known to be gone", rep.Removed)
	}
}

func TestSyncRemoveSkipsDocumentsGoneMeanwhile(t *testing.T) {
	e := newEnv(t)
	e.write(t, "a.txt", "内容", old)
	e.sync(t)
	e.coll.ghosts = map[string]corpus.Stamp{"幽灵.txt": {ID: "幽灵", Size: 1}}
	if err := os.Remove(filepath.Join(e.dir, "a.txt")); err != nil {
		t.Fatal(err)
	}
	rep := e.sync(t)
	if rep.Removed != 1 {
		t.Errorf("%d removed, want 1", rep.Removed)
	}
	if got := e.coll.names(); len(got) != 0 {
		t.Errorf("still indexed: %v", got)
	}
}

func TestSyncCollectionErrorIsRetried(t *testing.T) {
	e := newEnv(t)
	e.write(t, "a.txt", "内容", old)
	e.coll.addErr = errors.New("disk full")
	if _, err := e.w.Sync(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the collection's", err)
	}
	if got, want := countsOf(e.sync(t)), (counts{added: 1}); got != want {
		t.Errorf("next pass: %+v, want %+v", got, want)
	}
}

func TestSyncExclude(t *testing.T) {
	e := newEnv(t)
	e.write(t, "a.txt", "内容", old)
	e.write(t, "index/store.txt", "索引文件", old)
	e.w.Exclude = []string{filepath.Join(e.dir, "index")}
	e.sync(t)
	if got, want := e.coll.names(), []string{"a.txt"}; !slices.Equal(got, want) {
		t.Errorf("indexed %v, want %v", got, want)
	}
}

func TestSyncSetup(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    *watch.Watcher
		code string
	}{
		{"no collection", &watch.Watcher{Dir: t.TempDir()}, corpus.EINTERNAL},
		{"no folder", &watch.Watcher{Coll: newMemColl()}, corpus.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.w.Sync(context.Background()); corpus.ErrorCode(err) != tc.code {
				t.Errorf("Sync: %v, want %s", err, tc.code)
			}
			if err := tc.w.Run(context.Background()); corpus.ErrorCode(err) != tc.code {
				t.Errorf("Run: %v, want %s", err, tc.code)
			}
		})
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run starts w.Run and returns a function that stops it and waits for
// it to return.
func run(t *testing.T, w *watch.Watcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("Run did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func TestRunAppliesChangesWithin2s(t *testing.T) {
	dir := t.TempDir()
	coll := newMemColl()
	w := &watch.Watcher{Dir: dir, Coll: coll, Logger: testLogger(t)} // default Interval and Settle
	run(t, w)
	p := filepath.Join(dir, "新文件.txt")
	if err := os.WriteFile(p, []byte("内容"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "new file indexed", func() bool { _, ok := coll.content("新文件.txt"); return ok })
	if err := os.WriteFile(p, []byte("新内容，长一些"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "changed file indexed", func() bool { s, _ := coll.content("新文件.txt"); return s == "新内容，长一些" })
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "deleted file removed", func() bool { _, ok := coll.content("新文件.txt"); return !ok })
}

func TestRunRetriesMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "later")
	coll := newMemColl()
	w := &watch.Watcher{Dir: dir, Coll: coll, Interval: 20 * time.Millisecond, Settle: -1, Logger: testLogger(t)}
	run(t, w)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("内容"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "file of a folder created later indexed", func() bool { _, ok := coll.content("a.txt"); return ok })
}

func TestRunStopsOnCancel(t *testing.T) {
	w := &watch.Watcher{Dir: t.TempDir(), Coll: newMemColl(), Interval: time.Hour, Logger: testLogger(t)}
	stop := run(t, w)
	start := time.Now()
	stop()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Run returned %s after cancel, want promptly", d)
	}
}

func TestConcurrentSyncs(t *testing.T) {
	e := newEnv(t)
	for i := range 10 {
		e.write(t, strings.Repeat("f", i+1)+".txt", "内容", old)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := e.w.Sync(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := len(e.coll.names()); got != 10 {
		t.Errorf("%d indexed, want 10", got)
	}
	if adds, _ := e.coll.calls(); adds != 1 {
		t.Errorf("%d adds, want 1: passes run one at a time", adds)
	}
}

func TestSyncTouchedFileIsHashedOnce(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	e := newEnv(t)
	e.write(t, "a.txt", "内容", old)
	e.sync(t)
	p := filepath.Join(e.dir, "a.txt")
	touched := old.Add(time.Minute)
	if err := os.Chtimes(p, touched, touched); err != nil {
		t.Fatal(err)
	}
	e.sync(t) // reads the file: same content
	// A file that can no longer be opened would be reported as rejected
	// if a pass read it again.
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(p, 0o644) })
	if rep := e.sync(t); !rep.Empty() {
		t.Errorf("%+v %+v, want nothing: a touched file is hashed once, not at every pass", countsOf(rep), rep.Results)
	}
}
