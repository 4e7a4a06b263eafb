package indexer

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seedRoot != "" {
		os.RemoveAll(seedRoot)
	}
	os.Exit(code)
}

// seedRoot holds seedIndex; TestMain removes it.
var seedRoot string

// seedIndex is one index of the seed corpus built for this file's tests;
// tests copy its current version instead of building again.
var seedIndex = sync.OnceValues(func() (string, error) {
	s, err := testSeg()
	if err != nil {
		return "", err
	}
	c, err := parse.Seeds()
	if err != nil {
		return "", err
	}
	seedRoot, err = os.MkdirTemp("", "zhengce-swap-test-")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(seedRoot, "idx")
	if _, err := Build(context.Background(), dir, c, s, nil); err != nil {
		return "", err
	}
	return dir, nil
})

func builtIndex(t *testing.T) string {
	t.Helper()
	dir, err := seedIndex()
	if err != nil {
		t.Fatalf("seed index: %v", err)
	}
	return dir
}

// copyIndex copies the current version of src into a fresh index
// directory with the versioned layout and returns that directory.
func copyIndex(t *testing.T, src string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	dst := filepath.Join(versionsDir(dir), "v-copy")
	err := filepath.WalkDir(src+"/", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(filepath.Base(versionsDir(dir)), "v-copy"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// zapFile is the largest file of the index: bleve's segment.
func zapFile(t *testing.T, dir string) string {
	t.Helper()
	m, err := ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	var best FileSum
	for _, f := range m.Files {
		if f.Size > best.Size {
			best = f
		}
	}
	if best.Name == "" {
		t.Fatal("index has no manifest")
	}
	return filepath.Join(dir, best.Name)
}

// TestCorruptIndexDetected damages a copy of a good index in several ways;
// OpenIndex must refuse each with EINVALID, a message naming the
// directory and `zhengce index`, and ErrCorrupt in the chain. A fresh
// Build over the damaged directory repairs it.
func TestCorruptIndexDetected(t *testing.T) {
	good := builtIndex(t)
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"truncated segment", func(t *testing.T, dir string) {
			p := zapFile(t, dir)
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, st.Size()/2); err != nil {
				t.Fatal(err)
			}
		}},
		{"flipped byte", func(t *testing.T, dir string) {
			p := zapFile(t, dir)
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b := make([]byte, 1)
			if _, err := f.ReadAt(b, 1000); err != nil {
				t.Fatal(err)
			}
			b[0] ^= 0xff
			if _, err := f.WriteAt(b, 1000); err != nil {
				t.Fatal(err)
			}
		}},
		{"missing file", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "shard-0", "store", "root.bolt")); err != nil {
				t.Fatal(err)
			}
		}},
		{"empty domain dictionary", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, DictFile), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyIndex(t, good)
			if idx, _, err := OpenIndex(dir); err != nil {
				t.Fatalf("undamaged copy: %v", err)
			} else {
				idx.Close()
			}
			tt.damage(t, dir)
			idx, _, err := OpenIndex(dir)
			if err == nil {
				idx.Close()
				t.Fatal("damaged index opened without error")
			}
			if !errors.Is(err, ErrCorrupt) || corpus.ErrorCode(err) != corpus.EINVALID {
				t.Fatalf("error %v: want EINVALID wrapping ErrCorrupt", err)
			}
			msg := corpus.ErrorMessage(err)
			for _, want := range []string{dir, "zhengce index", "损坏"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
	// A rebuild repairs a damaged index, here one of the layout before
	// versions (a plain directory), which it also migrates.
	t.Run("rebuild repairs and migrates", func(t *testing.T) {
		link := copyIndex(t, good)
		dir := filepath.Join(t.TempDir(), "plain")
		if err := os.Rename(filepath.Join(versionsDir(link), "v-copy"), dir); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(zapFile(t, dir), 100); err != nil {
			t.Fatal(err)
		}
		c, err := parse.Seeds()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(context.Background(), dir, c, segmenter(t), nil); err != nil {
			t.Fatalf("rebuild over a damaged index: %v", err)
		}
		if !isOurLink(dir) {
			t.Error("index directory is not a link into the version store after a build")
		}
		checkSound(t, dir)
	})
}

// checkSound opens the index in dir and checks it holds every unit and
// target its description counts.
func checkSound(t *testing.T, dir string) {
	t.Helper()
	idx, m, err := OpenIndex(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	defer idx.Close()
	if n, err := idx.DocCount(); err != nil || int(n) != m.Stats.Units+m.Stats.Targets {
		t.Errorf("index holds %d documents (%v), want %d", n, err, m.Stats.Units+m.Stats.Targets)
	}
}

// crashEnv makes the test binary, re-executed, the build that is killed.
const crashEnv = "ZHENGCE_TEST_CRASH_BUILD"

// TestCrashBuildChild is the child of TestKillDuringBuild: it rebuilds the
// index named by crashEnv and parks in the middle of the build, after
// telling the parent, until it is killed.
func TestCrashBuildChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestKillDuringBuild")
	}
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := LoadDomainSegmenter(dir, c) // fast: the index's own dictionary
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), dir, c, seg, func(done, total int) {
		if done > 0 && done < total {
			os.Stdout.WriteString("MID-BUILD\n")
			time.Sleep(time.Minute)
		}
	})
	t.Fatalf("build was not killed: %v", err)
}

// TestKillDuringBuild kills (SIGKILL) a real process in the middle of a
// rebuild. The previous index must still answer through a handle opened
// before the crash, reopen cleanly with its manifest intact, and a later
// build must succeed and clean up the killed build's leftovers.
func TestKillDuringBuild(t *testing.T) {
	dir := copyIndex(t, builtIndex(t))
	before, err := ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	open, _, err := OpenIndex(dir) // a server holding the old index
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashBuildChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	mid := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "MID-BUILD" {
				mid <- true
				io.Copy(io.Discard, out)
				return
			}
		}
		mid <- false
	}()
	select {
	case ok := <-mid:
		if !ok {
			cmd.Wait()
			t.Fatal("child ended without reaching the middle of the build")
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not reach the middle of the build")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed by SIGKILL: %v", err)
	}

	// The killed build left its work directory behind …
	leftovers, _ := filepath.Glob(filepath.Join(versionsDir(dir), "build-*"))
	if len(leftovers) == 0 {
		t.Fatal("no build directory: the child was not killed mid-build")
	}
	// … and the handle opened before still serves the whole index.
	want := uint64(before.Stats.Units + before.Stats.Targets)
	all, err := open.Postings(context.Background(), query.NewMatchAllQuery(), false)
	if err != nil || uint64(len(all)) != want {
		t.Fatalf("old handle after the crash: %d matches, err %v; want %d", len(all), err, want)
	}
	// Reopening gets the previous version, intact.
	idx, after, err := OpenIndex(dir)
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	n, err := idx.DocCount()
	idx.Close()
	if err != nil || n != want || !after.Built.Equal(before.Built) {
		t.Fatalf("after the crash: %d documents built %v (err %v), want %d built %v", n, after.Built, err, want, before.Built)
	}
	// A later build succeeds and removes the dead build's leftovers and
	// versions older than the previous one.
	old := time.Now().Add(-2 * minBuildAge)
	for _, l := range leftovers {
		if err := os.Chtimes(l, old, old); err != nil {
			t.Fatal(err)
		}
	}
	ancient := filepath.Join(versionsDir(dir), "v-20000101T000000.000000000")
	if err := os.Mkdir(ancient, 0o755); err != nil {
		t.Fatal(err)
	}
	leftovers = append(leftovers, ancient)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := LoadDomainSegmenter(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), dir, c, seg, nil); err != nil {
		t.Fatalf("build after the crash: %v", err)
	}
	for _, l := range leftovers {
		if _, err := os.Stat(l); err == nil {
			t.Errorf("leftover %s not collected", l)
		}
	}
	// the store keeps the current and the previous version only
	versions, err := filepath.Glob(filepath.Join(versionsDir(dir), "[vb]*"))
	if err != nil || len(versions) != 2 {
		t.Errorf("version store holds %v (%v), want the current and the previous version", versions, err)
	}
}

// TestCollect: the collection after an install removes older versions and
// the directories of dead builds, and never a live build's directory (one
// whose lock is held) nor one just created.
func TestCollect(t *testing.T) {
	if !lockSupported {
		t.Skip("no flock on this system")
	}
	vs := t.TempDir()
	old := time.Now().Add(-2 * minBuildAge)
	for _, n := range []string{"v-2", "v-1", "v-0", "build-dead", "build-live", "build-young"} {
		if err := os.Mkdir(filepath.Join(vs, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	release, ok, err := lockFile(filepath.Join(vs, "build-live", lockName), false)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer release()
	for _, n := range []string{"build-dead", "build-live"} {
		if err := os.Chtimes(filepath.Join(vs, n), old, old); err != nil {
			t.Fatal(err)
		}
	}
	collect(vs, "v-2", "v-1")
	for n, want := range map[string]bool{"v-2": true, "v-1": true, "v-0": false, "build-dead": false, "build-live": true, "build-young": true} {
		_, err := os.Stat(filepath.Join(vs, n))
		if got := err == nil; got != want {
			t.Errorf("%s present %v, want %v", n, got, want)
		}
	}
}

// BenchmarkVerify measures the manifest check OpenIndex makes on every
// open (size and CRC-32C of every file of the seed index).
func BenchmarkVerify(b *testing.B) {
	dir, err := seedIndex()
	if err != nil {
		b.Fatal(err)
	}
	m, err := ReadMeta(dir)
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	b.SetBytes(size)
	for b.Loop() {
		if err := Verify(dir, m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentBuilds: two builds into the same directory at once both
// succeed and leave one sound index (the store lock serialises installs).
func TestConcurrentBuilds(t *testing.T) {
	dir := copyIndex(t, builtIndex(t))
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	seg, err := LoadDomainSegmenter(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := Build(context.Background(), dir, c, seg, nil)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent build: %v", err)
		}
	}
	checkSound(t, dir)
}

// TestManifestWith checks that a known checksum is taken for a file of
// its size, not read again, and that a file whose size changed is read.
func TestManifestWith(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "part", "000001"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"a.bin": "abc", "part/000001/b.bin": "defg", "part/000001/c.bin": "hi"} {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read, err := manifest(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(read) != 3 {
		t.Fatalf("manifest lists %v, want 3 files", read)
	}
	known := map[string]FileSum{
		"part/000001/b.bin": {Name: "part/000001/b.bin", Size: 4, CRC32C: 7}, // taken: same size
		"part/000001/c.bin": {Name: "part/000001/c.bin", Size: 5, CRC32C: 9}, // read: the size differs
	}
	got, err := manifestWith(root, known)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(read)
	for i := range want {
		if want[i].Name == "part/000001/b.bin" {
			want[i].CRC32C = 7
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("manifestWith = %v, want %v", got, want)
	}
}
