package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/zhengce/zhengce/indexer"
)

// servedFile keeps the served columns of the library's state beside its
// segments: the entries' values in bleve's ordinal order (entryCols), the
// ordinal of each sequence number and the reverse, and the themes of every
// entry. Opening
// builds them from the segments' columns, writing every entry into fresh
// memory (at 1 GB of text, 200 MB: most of start-up); when this file
// belongs to the state being opened it is mapped and used in place
// instead. It is derived data: written after a start-up that built the
// columns and by `zhengce index`, ignored when it belongs to another
// state, another layout or is damaged, and never needed.
const servedFile = "zhengce-served.bin"

// servedMagic starts the file: header, then ord, seq, e and themeIDs,
// each at an 8-byte boundary, then the CRC-32C of each servedBlock of
// what lies between the header and the sums. A change of what a value
// means changes the magic (the key holds it).
const servedMagic = "ZCSERV03"

// servedHeader is the header's size: magic, key (32), n, themes (8 each),
// CRC-32C of the block sums (4), padding (4).
const servedHeader = 8 + 32 + 8 + 8 + 4 + 4

// servedBlock is the span of each checksum: the blocks are checked on
// every core at open.
const servedBlock = 4 << 20

// castagnoli is the CRC-32C table (SSE 4.2 on amd64, ARMv8 CRC).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// served is the part of columns a served file holds.
type served struct {
	ord      []int32
	seq      []uint32
	e        []entryCols
	themeIDs []uint16
}

// servedKey identifies what a served file holds: the layout of entryCols,
// the segments in order (a segment never changes) and the documents of
// their spans (removed ones included), which number the entries'
// documents.
func servedKey(segments []string, spans []docSpan) [32]byte {
	h := sha256.New()
	var e entryCols
	fmt.Fprintf(h, "%s %s %d %d %d %d %d %d %d %d %d %d %d %d\n", servedMagic, buildIdentity(), unsafe.Sizeof(e),
		unsafe.Offsetof(e.target), unsafe.Offsetof(e.static), unsafe.Offsetof(e.content), unsafe.Offsetof(e.runes),
		unsafe.Offsetof(e.titleOff), unsafe.Offsetof(e.titleLen), unsafe.Offsetof(e.themeOff), unsafe.Offsetof(e.themeN),
		unsafe.Offsetof(e.doc), unsafe.Offsetof(e.section), unsafe.Offsetof(e.typ))
	for _, s := range segments {
		fmt.Fprintf(h, "segment %q\n", s)
	}
	for _, sp := range spans {
		fmt.Fprintf(h, "span %q %t %d %d\n", sp.doc.ID, sp.dead, sp.start, sp.n)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// buildIdentity names the build of this program when Go stamped it (the
// version control revision, and whether the tree was modified): served
// columns are used only by the build that wrote them, so an upgrade
// builds them once instead of reading values whose meaning changed.
func buildIdentity() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	id := bi.GoVersion + " " + bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			id += " " + s.Value
		}
	}
	return id
}

// servedLayout returns the offsets of the arrays of a served file of n
// entries and t themes, of its block sums, and its size.
func servedLayout(n, t int) (ord, seq, e, themes, sums, size int) {
	align := func(x int) int { return (x + 7) &^ 7 }
	ord = servedHeader
	seq = align(ord + 4*n)
	e = align(seq + 4*n)
	themes = align(e + n*int(unsafe.Sizeof(entryCols{})))
	sums = align(themes + 2*t)
	size = sums + 4*servedBlocks(sums)
	return ord, seq, e, themes, sums, size
}

// servedBlocks is the number of checksum blocks of a file whose sums
// start at sums.
func servedBlocks(sums int) int { return (sums - servedHeader + servedBlock - 1) / servedBlock }

// writeServed writes the served part of c, for the state key, to w.
func writeServed(w io.Writer, key [32]byte, c *columns) error {
	if !indexer.LittleEndian() {
		return errors.New("served columns are kept on little-endian machines only")
	}
	n, t := c.n, len(c.themeIDs)
	ordAt, seqAt, eAt, themesAt, sumsAt, size := servedLayout(n, t)
	// the file's byte runs, in order: ord, padding, seq, padding, e,
	// padding, themes — the arrays as their chunks
	var runs [][]byte
	runs = appendBytes(runs, c.ord)
	runs = append(runs, make([]byte, seqAt-ordAt-4*n))
	runs = appendBytes(runs, c.seq)
	runs = append(runs, make([]byte, eAt-seqAt-4*n))
	runs = appendBytes(runs, c.e)
	runs = append(runs, make([]byte, themesAt-eAt-n*int(unsafe.Sizeof(entryCols{}))))
	runs = append(runs, sliceBytes(c.themeIDs))
	runs = append(runs, make([]byte, sumsAt-themesAt-2*t))
	// the sum of each block, the runs cut at the blocks' bounds
	sums := make([]byte, 0, size-sumsAt)
	var crc uint32
	in := 0 // bytes of the current block summed
	for _, b := range runs {
		for len(b) > 0 {
			k := min(len(b), servedBlock-in)
			crc = crc32.Update(crc, castagnoli, b[:k])
			b, in = b[k:], in+k
			if in == servedBlock {
				sums, crc, in = binary.LittleEndian.AppendUint32(sums, crc), 0, 0
			}
		}
	}
	if in > 0 {
		sums = binary.LittleEndian.AppendUint32(sums, crc)
	}
	var head [servedHeader]byte
	copy(head[:], servedMagic)
	copy(head[8:], key[:])
	binary.LittleEndian.PutUint64(head[40:], uint64(n))
	binary.LittleEndian.PutUint64(head[48:], uint64(t))
	binary.LittleEndian.PutUint32(head[56:], crc32.Checksum(sums, castagnoli))
	written := 0
	for _, b := range append(append([][]byte{head[:]}, runs...), sums) {
		k, err := w.Write(b)
		written += k
		if err != nil {
			return err
		}
	}
	if written != size {
		return fmt.Errorf("served columns: wrote %d bytes of %d", written, size)
	}
	return nil
}

// sliceBytes returns the memory of s as bytes.
func sliceBytes[T any](s []T) []byte {
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(zero)))
}

// appendBytes appends the memory of each chunk of a to runs.
func appendBytes[T any](runs [][]byte, a chunked[T]) [][]byte {
	for _, c := range a.c {
		runs = append(runs, sliceBytes(c))
	}
	return runs
}

// parseServed returns the served columns in data, the mapped file, when
// it holds the state key of n entries: nil, nil when it belongs to another
// state, layout or build; an error when its shape is wrong. Its content
// is trusted only once servedSumsOK has read it (the key names the build
// and state that wrote it; the sums say it is what they wrote): the
// values index tables, and are not checked one by one.
func parseServed(data []byte, key [32]byte, n int) (*served, error) {
	if !indexer.LittleEndian() || len(data) < servedHeader || string(data[:8]) != servedMagic {
		return nil, nil
	}
	if !bytes.Equal(data[8:40], key[:]) {
		return nil, nil
	}
	if got := binary.LittleEndian.Uint64(data[40:]); got != uint64(n) {
		return nil, fmt.Errorf("served columns of %d entries, the index has %d", got, n)
	}
	t64 := binary.LittleEndian.Uint64(data[48:])
	if t64 > uint64(len(data)) {
		return nil, fmt.Errorf("served columns: %d themes in %d bytes", t64, len(data))
	}
	t := int(t64)
	ordAt, seqAt, eAt, themesAt, sumsAt, size := servedLayout(n, t)
	if len(data) != size {
		return nil, fmt.Errorf("served columns: %d bytes, want %d", len(data), size)
	}
	if crc32.Checksum(data[sumsAt:], castagnoli) != binary.LittleEndian.Uint32(data[56:]) {
		return nil, errors.New("served columns: block sums damaged")
	}
	s := &served{}
	if n > 0 {
		s.ord = unsafe.Slice((*int32)(unsafe.Pointer(&data[ordAt])), n)
		s.seq = unsafe.Slice((*uint32)(unsafe.Pointer(&data[seqAt])), n)
		s.e = unsafe.Slice((*entryCols)(unsafe.Pointer(&data[eAt])), n)
	}
	if t > 0 {
		s.themeIDs = unsafe.Slice((*uint16)(unsafe.Pointer(&data[themesAt])), t)
	}
	return s, nil
}

// servedSumsOK reads the served file of size bytes whose shape
// parseServed accepted, on every core (with pread, not through the
// mapping: what it reads stays out of the process), and reports whether
// every block matches its sum. A read error counts as a mismatch.
func servedSumsOK(r io.ReaderAt, size int) bool {
	n, t := int(readUint64(r, 40)), int(readUint64(r, 48))
	_, _, _, _, sumsAt, want := servedLayout(n, t)
	if want != size {
		return false
	}
	sums := make([]byte, size-sumsAt)
	if _, err := r.ReadAt(sums, int64(sumsAt)); err != nil {
		return false
	}
	blocks := len(sums) / 4
	var bad atomic.Bool
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), blocks) {
		wg.Go(func() {
			buf := make([]byte, 1<<20)
			for b := int(next.Add(1) - 1); b < blocks && !bad.Load(); b = int(next.Add(1) - 1) {
				lo, hi := servedHeader+b*servedBlock, min(servedHeader+(b+1)*servedBlock, sumsAt)
				var crc uint32
				for off := lo; off < hi; off += len(buf) {
					k := min(len(buf), hi-off)
					if _, err := r.ReadAt(buf[:k], int64(off)); err != nil {
						bad.Store(true)
						return
					}
					crc = crc32.Update(crc, castagnoli, buf[:k])
				}
				if crc != binary.LittleEndian.Uint32(sums[4*b:]) {
					bad.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return !bad.Load()
}

// readUint64 reads the little-endian uint64 at off of r; 0 when it cannot.
func readUint64(r io.ReaderAt, off int64) uint64 {
	var b [8]byte
	if _, err := r.ReadAt(b[:], off); err != nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b[:])
}

// sharedMapping is a mapped served file and the Services that read it: the
// one that mapped it and those changes built after it, which share its
// chunks (see newColumns). The last to close unmaps it.
type sharedMapping struct {
	m    *indexer.Mapping
	refs atomic.Int32
}

func newSharedMapping(m *indexer.Mapping) *sharedMapping {
	s := &sharedMapping{m: m}
	s.refs.Store(1)
	return s
}

// acquire takes a reference for another Service.
func (s *sharedMapping) acquire() *sharedMapping {
	s.refs.Add(1)
	return s
}

// release gives back a reference; the last unmaps the file.
func (s *sharedMapping) release() error {
	if s.refs.Add(-1) == 0 {
		return s.m.Close()
	}
	return nil
}
