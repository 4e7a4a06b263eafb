package indexer

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"unsafe"

	mmap "github.com/blevesearch/mmap-go"
)

// blobsMagic starts a blob file: a table of n+1 offsets and n records,
// read through mmap. A segment keeps two: the normalised text of each
// entry (TextsFile), verified against phrases, and the entry itself
// (UnitsFile), shown in hits. Both are by sequence number within the
// segment. Being mapped, not read, they cost no heap: the kernel keeps
// the pages searches touch and drops them under memory pressure.
const blobsMagic = "ZCBLOB01"

// Blob files of a segment.
const (
	TextsFile = "zhengce-texts.bin"
	UnitsFile = "zhengce-units.bin"
)

// writeBlobs writes n records, record(i) for i in [0, n), to path.
func writeBlobs(path string, n int, record func(i int) []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var head [16]byte
	copy(head[:], blobsMagic)
	binary.LittleEndian.PutUint64(head[8:], uint64(n))
	w.Write(head[:])
	// offsets first: a pass to size the records
	off := uint64(0)
	var b [8]byte
	sizes := make([]uint32, n)
	for i := range n {
		sizes[i] = uint32(len(record(i)))
	}
	for i := 0; i <= n; i++ {
		binary.LittleEndian.PutUint64(b[:], off)
		w.Write(b[:])
		if i < n {
			off += uint64(sizes[i])
		}
	}
	for i := range n {
		w.Write(record(i))
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
	data []byte
}

// openBlobs maps the blob file at path, which must hold n records.
func openBlobs(path string, n int) (*Blobs, error) {
	b, err := openBlobFile(path)
	if err != nil {
		return nil, err
	}
	m := b.m
	fail := func(why string) (*Blobs, error) {
		b.Close()
		return nil, errors.New(why)
	}
	if string(m[:8]) != blobsMagic {
		return fail("not a blob file")
	}
	b.n = int(binary.LittleEndian.Uint64(m[8:]))
	if b.n != n {
		return fail(fmt.Sprintf("%d records, want %d", b.n, n))
	}
	head := 16 + 8*(uint64(n)+1)
	if head > uint64(len(m)) {
		return fail("blob file truncated")
	}
	b.offs, b.data = m[16:head], m[head:]
	if last := binary.LittleEndian.Uint64(b.offs[8*n:]); last != uint64(len(b.data)) {
		return fail("blob file truncated")
	}
	return b, nil
}

// openBlobFile maps the file at path, read-only.
func openBlobFile(path string) (*Blobs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() < 16 {
		f.Close()
		return nil, errors.New("blob file truncated")
	}
	m, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	return &Blobs{m: m, f: f}, nil
}

// Len is the number of records.
func (b *Blobs) Len() int { return b.n }

// Bytes returns record i, pointing into the mapping: valid until Close,
// never to be modified.
func (b *Blobs) Bytes(i int) []byte {
	lo := binary.LittleEndian.Uint64(b.offs[8*i:])
	hi := binary.LittleEndian.Uint64(b.offs[8*i+8:])
	if lo > hi || hi > uint64(len(b.data)) {
		return nil // damaged: treated as empty
	}
	return b.data[lo:hi:hi]
}

// String returns record i as a string sharing the mapping: valid until
// Close.
func (b *Blobs) String(i int) string {
	r := b.Bytes(i)
	if len(r) == 0 {
		return ""
	}
	return unsafe.String(&r[0], len(r))
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
