package indexer

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"unsafe"

	mmap "github.com/blevesearch/mmap-go"
)

// blobsMagic starts a blob file: a table of n+1 offsets and n records.
// A segment keeps two: the normalised text of each entry (TextsFile),
// verified against phrases, and the entry itself (UnitsFile), shown in
// hits. Both are by sequence number within the segment. The offset table
// is mapped. The texts are mapped too: phrase verification and ranking
// read one per candidate. An entry is read with one pread into memory of
// its own, so the entries live in the kernel's page cache, not in the
// process: they cost neither heap nor resident memory. (Mapped entries
// counted every page a load touched in the server's resident memory; see
// openBlobs.)
const blobsMagic = "ZCBLOB01"

// Blob files of a segment.
const (
	TextsFile = "zhengce-texts.bin"
	UnitsFile = "zhengce-units.bin"
)

// writeBlobs writes n records, record(i) for i in [0, n), to path: each
// is asked for once, in order, and written before the next is asked for
// (so record may build each in the same buffer); an error of record
// stops the write and is returned.
func writeBlobs(path string, n int, record func(i int) ([]byte, error)) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
	}()
	// the records go after the header and the offsets, each encoded
	// when it is written (none is kept); the offsets are written last
	head := make([]byte, 16+8*(n+1))
	copy(head, blobsMagic)
	binary.LittleEndian.PutUint64(head[8:], uint64(n))
	if _, err := f.Seek(int64(len(head)), io.SeekStart); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	off := uint64(0)
	for i := range n {
		binary.LittleEndian.PutUint64(head[16+8*i:], off)
		rec, err := record(i)
		if err != nil {
			return err
		}
		if _, err := w.Write(rec); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		off += uint64(len(rec))
	}
	binary.LittleEndian.PutUint64(head[16+8*n:], off)
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.WriteAt(head, 0); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Blobs is an opened blob file. It is immutable and safe for concurrent
// use until Close.
type Blobs struct {
	m    mmap.MMap
	f    *os.File
	n    int
	offs []byte
	// at is the file offset of the records, size their length
	at, size uint64
	// data is the mapping of the records when they are read through it
	// (openBlobs with mapped), nil when each is read with a pread
	data []byte
	// err is the first read error, kept for Err
	err atomic.Pointer[error]
}

// openBlobs opens the blob file at path, which must hold n records.
// With mapped, the file is mapped and records are read through the
// mapping (no copy, no system call; the pages a search touches count in
// the process's resident memory): for the texts, which phrase
// verification and ranking read for every candidate. Without, only the
// offsets are mapped and a record costs one pread: for the entries, read
// only for the hits a page shows.
func openBlobs(path string, n int, mapped bool) (*Blobs, error) {
	at := 16 + 8*(uint64(n)+1)
	m, f, size, err := mapPrefix(path, func(size uint64) (uint64, error) {
		if n < 0 || at > size {
			return 0, errors.New("blob file truncated")
		}
		if mapped {
			return size, nil
		}
		return at, nil
	})
	if err != nil {
		return nil, err
	}
	b := &Blobs{m: m, f: f, n: n, offs: m[16:at], at: at, size: size - at}
	fail := func(why string) (*Blobs, error) {
		b.Close()
		return nil, errors.New(why)
	}
	if string(m[:8]) != blobsMagic {
		return fail("not a blob file")
	}
	if got := binary.LittleEndian.Uint64(m[8:]); got != uint64(n) {
		return fail(fmt.Sprintf("%d records, want %d", got, n))
	}
	if binary.LittleEndian.Uint64(b.offs[8*n:]) != b.size {
		return fail("blob file truncated")
	}
	if mapped {
		b.data = m[at:]
	}
	return b, nil
}

// DropPages hands the pages of the mapping (the offsets, and the records
// when they are mapped) back to the page cache: they leave the process's
// resident memory, and the next read maps them again.
func (b *Blobs) DropPages() error {
	if b == nil || b.m == nil {
		return nil
	}
	return dropPages(b.m)
}

// openBlobFile maps the file at path, read-only.
func openBlobFile(path string) (*Blobs, error) {
	m, err := MapFile(path)
	if err != nil {
		return nil, err
	}
	if len(m.m) < 16 {
		m.Close()
		return nil, errors.New("blob file truncated")
	}
	return &Blobs{m: m.m, f: m.f}, nil
}

// Len is the number of records.
func (b *Blobs) Len() int { return b.n }

// Bytes returns record i: pointing into the mapping when the records
// are mapped (valid until Close, never to be modified), else a copy read
// from the file. A damaged offset or a failed read gives nil (an empty
// record); the read error is kept for Err.
func (b *Blobs) Bytes(i int) []byte {
	lo := binary.LittleEndian.Uint64(b.offs[8*i:])
	hi := binary.LittleEndian.Uint64(b.offs[8*i+8:])
	if lo > hi || hi > b.size {
		return nil // damaged: treated as empty
	}
	if b.data != nil {
		return b.data[lo:hi:hi]
	}
	if lo == hi {
		return nil
	}
	out := make([]byte, hi-lo)
	if _, err := b.f.ReadAt(out, int64(b.at+lo)); err != nil {
		err = fmt.Errorf("read record %d of %s: %w", i, b.f.Name(), err)
		b.err.CompareAndSwap(nil, &err)
		return nil
	}
	return out
}

// String returns record i as a string (see Bytes).
func (b *Blobs) String(i int) string {
	r := b.Bytes(i)
	if len(r) == 0 {
		return ""
	}
	return unsafe.String(&r[0], len(r))
}

// Err returns the first error reading a record, nil when there was none.
func (b *Blobs) Err() error {
	if p := b.err.Load(); p != nil {
		return *p
	}
	return nil
}

// Close unmaps the file.
func (b *Blobs) Close() error {
	var errs []error
	if b.m != nil {
		errs = append(errs, b.m.Unmap())
		b.m = nil
	}
	if b.f != nil {
		errs = append(errs, b.f.Close())
		b.f = nil
	}
	return errors.Join(errs...)
}
