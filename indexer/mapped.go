package indexer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"

	mmap "github.com/blevesearch/mmap-go"
)

// Mapping is a read-only file mapped into memory, for state a server
// derives from an index and keeps beside it (search's served columns):
// used in place, its pages handed back to the page cache when not needed.
type Mapping struct {
	m      mmap.MMap
	f      *os.File
	closed atomic.Bool
}

// MapFile maps the file at path read-only. An empty file cannot be mapped
// and is an error.
func MapFile(path string) (*Mapping, error) {
	m, f, _, err := mapPrefix(path, func(size uint64) (uint64, error) {
		if size == 0 {
			return 0, errors.New("empty file")
		}
		return size, nil
	})
	if err != nil {
		return nil, err
	}
	return &Mapping{m: m, f: f}, nil
}

// mapPrefix opens the file at path and maps, read-only, the number of its
// first bytes that length returns for its size (an error from length
// refuses the file). It returns the mapping, the open file and its size.
func mapPrefix(path string, length func(size uint64) (uint64, error)) (mmap.MMap, *os.File, uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, fmt.Errorf("map %s: %w", path, err)
	}
	size := uint64(st.Size())
	n, err := length(size)
	if err != nil {
		f.Close()
		return nil, nil, 0, fmt.Errorf("map %s: %w", path, err)
	}
	m, err := mmap.MapRegion(f, int(n), mmap.RDONLY, 0, 0)
	if err != nil {
		f.Close()
		return nil, nil, 0, fmt.Errorf("map %s: %w", path, err)
	}
	return m, f, size, nil
}

// Bytes returns the mapped file: valid until Close, never to be modified.
func (m *Mapping) Bytes() []byte { return m.m }

// DropPages hands the mapping's pages back to the page cache: they leave
// the process's resident memory and a later read maps them again.
func (m *Mapping) DropPages() error { return dropPages(m.m) }

// ReadAt reads the file at off with pread, not through the mapping: the
// pages it reads are not mapped into the process.
func (m *Mapping) ReadAt(p []byte, off int64) (int, error) { return m.f.ReadAt(p, off) }

// Close unmaps the file and closes it; closing again does nothing.
func (m *Mapping) Close() error {
	if m.closed.Swap(true) {
		return nil
	}
	return errors.Join(m.m.Unmap(), m.f.Close())
}

// WriteFileAtomic writes a file through write: into a temporary file in
// the same directory, synced, then renamed over path, so that a reader
// finds the old file, the new one or none, never a part of one.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err = write(w); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
