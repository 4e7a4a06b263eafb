package indexer

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
)

// On-disk layout. An index "dir" is a symbolic link into a version store
// beside it; every build writes a complete new version and then replaces
// the link with one atomic rename(2):
//
//	parent/idx -> .idx.versions/v-20261122T061500.123456789
//	parent/.idx.versions/v-…      complete, fsynced index versions
//	parent/.idx.versions/build-…  builds in progress (or killed)
//
// A reader that opens dir always gets one complete version: the old one
// until the rename, the new one after it. A build killed at any moment
// leaves the link pointing at the previous version; its leftovers are
// removed by a later build. The current and the previous version are
// kept, so a server that has not reloaded yet still has its files.
//
// Concurrent builds (two `zhengce index`, or one and a server's reindex)
// are safe: each build holds a lock (flock) on its build directory, so
// only dead builds are collected, and installing a version (rename, link,
// collection) holds the store's lock, so one build never collects a
// version another is about to link.

// ErrCorrupt marks an index directory whose files do not match the
// manifest written when it was built (truncated, damaged or missing).
var ErrCorrupt = errors.New("index is corrupt")

// ErrFormat is wrapped, with ErrCorrupt, by the error of opening a
// segment written by another version of zhengce in another format: its
// index files are rebuilt from the document store like damaged ones, and
// the user is told it is an upgrade, not damage.
var ErrFormat = errors.New("index written in another format")

// FileSum is one file of an index version as written by Build: its path
// relative to the index directory, size and CRC-32C.
type FileSum struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	CRC32C uint32 `json:"crc32c"`
}

// Leftover build directories: one younger than minBuildAge is never
// touched (its build may not hold its lock yet); older ones are removed
// when their lock is free (the build died). Where there is no flock, only
// those older than staleBuildAge are removed.
const (
	minBuildAge   = time.Minute
	staleBuildAge = time.Hour
)

// lockName is the lock file of the version store and of each build
// directory.
const lockName = ".lock"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// versionsDir is the version store of the index dir.
func versionsDir(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".versions")
}

// newWorkDir creates a fresh build directory in dir's version store and
// locks it for the duration of the build (until release).
func newWorkDir(dir string) (work string, release func(), err error) {
	vs := versionsDir(dir)
	if err := os.MkdirAll(vs, 0o755); err != nil {
		return "", nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法创建索引目录：" + vs, Err: err}
	}
	work, err = os.MkdirTemp(vs, "build-")
	if err != nil {
		return "", nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法创建索引目录：" + vs, Err: err}
	}
	release, _, err = lockFile(filepath.Join(work, lockName), true)
	if err != nil {
		os.RemoveAll(work)
		return "", nil, err
	}
	return work, release, nil
}

// isOurLink reports whether dir is a symbolic link into its version store.
func isOurLink(dir string) bool {
	target, err := os.Readlink(dir)
	if err != nil {
		return false
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(dir), target)
	}
	return filepath.Dir(filepath.Clean(target)) == versionsDir(dir)
}

// manifest lists every regular file under root with size and checksum.
func manifest(root string) ([]FileSum, error) {
	return manifestWith(root, nil)
}

// manifestWith is manifest with the checksums of known (by name, as in
// the manifest) taken as they are, not read again, for a file of the
// same size: the files of a streamed build's parts, summed when each
// part was written and never changed since.
func manifestWith(root string, known map[string]FileSum) ([]FileSum, error) {
	var out []FileSum
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if rel == store.File {
			return nil // the document store changes with every change of the index
		}
		if k, ok := known[filepath.ToSlash(rel)]; ok {
			info, err := d.Info()
			if err != nil {
				return err
			}
			if info.Size() == k.Size {
				out = append(out, k)
				return nil
			}
		}
		size, sum, err := checksum(path)
		if err != nil {
			return err
		}
		out = append(out, FileSum{Name: filepath.ToSlash(rel), Size: size, CRC32C: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index manifest: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func checksum(path string) (int64, uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	h := crc32.New(castagnoli)
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, 0, err
	}
	return n, h.Sum32(), nil
}

// Verify checks the files of the index in dir against the manifest of m:
// every file present with its size and checksum. An index built before
// manifests existed (m.Files empty) is not checked. A mismatch is an
// EINVALID *corpus.Error wrapping ErrCorrupt that names the directory and
// tells the user how to rebuild.
func Verify(dir string, m *Meta) error {
	for _, f := range m.Files {
		size, sum, err := checksum(filepath.Join(dir, filepath.FromSlash(f.Name)))
		why := ""
		switch {
		case errors.Is(err, fs.ErrNotExist):
			why = "缺少文件 " + f.Name
		case err != nil:
			why = "无法读取文件 " + f.Name
		case size != f.Size:
			why = fmt.Sprintf("文件 %s 大小为 %d 字节，应为 %d 字节", f.Name, size, f.Size)
		case sum != f.CRC32C:
			why = "文件 " + f.Name + " 校验和不符"
		}
		if why != "" {
			if err == nil {
				err = ErrCorrupt
			} else {
				err = fmt.Errorf("%w: %w", ErrCorrupt, err)
			}
			return corruptError(dir, why, err)
		}
	}
	return nil
}

// VerifySizes is the quick part of Verify: every file of the manifest
// present with its size. Opening an index to serve it checks this much,
// reading no file (a full Verify reads the whole index; serve runs it in
// the background).
func VerifySizes(dir string, m *Meta) error {
	for _, f := range m.Files {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Name)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return corruptError(dir, "缺少文件 "+f.Name, fmt.Errorf("%w: %w", ErrCorrupt, err))
		case err != nil:
			return corruptError(dir, "无法读取文件 "+f.Name, fmt.Errorf("%w: %w", ErrCorrupt, err))
		case st.Size() != f.Size:
			return corruptError(dir, fmt.Sprintf("文件 %s 大小为 %d 字节，应为 %d 字节", f.Name, st.Size(), f.Size), ErrCorrupt)
		}
	}
	return nil
}

// corruptError is the error of a damaged index.
func corruptError(dir, why string, err error) error {
	if !errors.Is(err, ErrCorrupt) {
		err = fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return &corpus.Error{Code: corpus.EINVALID,
		Message: fmt.Sprintf("索引已损坏：%s（%s），请运行 zhengce index 重新建立索引", dir, why), Err: err}
}

// install makes the complete index in built the current version of dir:
// it syncs built to disk, moves it into the version store, atomically
// points dir at it and removes versions older than the previous one.
func install(dir, built string) error {
	if err := syncTree(built); err != nil {
		return fmt.Errorf("sync new index: %w", err)
	}
	vs := versionsDir(dir)
	release, _, err := lockFile(filepath.Join(vs, lockName), true)
	if err != nil {
		return err
	}
	defer release()
	name := "v-" + time.Now().UTC().Format("20060102T150405.000000000")
	if err := os.Rename(built, filepath.Join(vs, name)); err != nil {
		return fmt.Errorf("store new index version: %w", err)
	}
	if err := syncDir(vs); err != nil {
		return err
	}
	prev := ""
	if target, err := os.Readlink(dir); err == nil {
		prev = filepath.Base(target)
	} else if st, err := os.Lstat(dir); err == nil && st.IsDir() {
		// an index of the layout before versions: keep it as the
		// previous version (an empty directory is just removed)
		if err := os.Remove(dir); err != nil {
			prev = "legacy-" + name
			if err := os.Rename(dir, filepath.Join(vs, prev)); err != nil {
				return fmt.Errorf("move old index into the version store: %w", err)
			}
		}
	}
	links := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".link-")
	if old, err := filepath.Glob(links + "*"); err == nil {
		for _, l := range old { // left by a build killed before its switch
			os.Remove(l)
		}
	}
	link := links + name
	rel := filepath.Join(filepath.Base(vs), name)
	if err := os.Symlink(rel, link); err != nil {
		return fmt.Errorf("link new index: %w", err)
	}
	if err := os.Rename(link, dir); err != nil {
		os.Remove(link)
		return fmt.Errorf("switch to new index: %w", err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return err
	}
	collect(vs, name, prev)
	return nil
}

// collect removes from the version store every version other than keep
// and prev, and build directories old enough to be leftovers of a killed
// build. Failures are ignored: the next build tries again.
func collect(vs, keep, prev string) {
	entries, err := os.ReadDir(vs)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if n == keep || n == prev || n == lockName {
			continue
		}
		path := filepath.Join(vs, n)
		if strings.HasPrefix(n, "build-") {
			info, err := e.Info()
			if err != nil || time.Since(info.ModTime()) < minBuildAge ||
				!lockSupported && time.Since(info.ModTime()) < staleBuildAge {
				continue
			}
			release, ok, err := lockFile(filepath.Join(path, lockName), false)
			if err != nil || !ok {
				continue // a live build
			}
			os.RemoveAll(path)
			release()
			continue
		}
		os.RemoveAll(path)
	}
}

// syncTree fsyncs every file and directory under root.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(path)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		serr := f.Sync()
		cerr := f.Close()
		return errors.Join(serr, cerr)
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// DiskSize returns the total size of the regular files under dir. dir may
// be a symbolic link, as an index path is (to its current version).
func DiskSize(dir string) (int64, error) {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	var n int64
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return n, nil
}
