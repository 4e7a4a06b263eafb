package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
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
// each at an 8-byte boundary.
const servedMagic = "ZCSERV02"

// servedHeader is the header's size: magic, key (32), n, themes (8 each),
// CRC-32C of everything after the header (4), padding (4).
const servedHeader = 8 + 32 + 8 + 8 + 4 + 4

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
	fmt.Fprintf(h, "%s %d %d %d %d %d %d %d %d %d %d %d %d\n", servedMagic, unsafe.Sizeof(e),
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

// servedLayout returns the offsets of the arrays of a served file of n
// entries and t themes, and its size.
func servedLayout(n, t int) (ord, seq, e, themes, size int) {
	align := func(x int) int { return (x + 7) &^ 7 }
	ord = servedHeader
	seq = align(ord + 4*n)
	e = align(seq + 4*n)
	themes = align(e + n*int(unsafe.Sizeof(entryCols{})))
	size = themes + 2*t
	return ord, seq, e, themes, size
}

// writeServed writes the served part of c, for the state key, to w.
func writeServed(w io.Writer, key [32]byte, c *columns) error {
	if !indexer.LittleEndian() {
		return errors.New("served columns are kept on little-endian machines only")
	}
	n, t := c.n, len(c.themeIDs)
	ordAt, seqAt, eAt, themesAt, size := servedLayout(n, t)
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
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	for _, b := range runs {
		crc.Write(b)
	}
	var head [servedHeader]byte
	copy(head[:], servedMagic)
	copy(head[8:], key[:])
	binary.LittleEndian.PutUint64(head[40:], uint64(n))
	binary.LittleEndian.PutUint64(head[48:], uint64(t))
	binary.LittleEndian.PutUint32(head[56:], crc.Sum32())
	written := 0
	for _, b := range append([][]byte{head[:]}, runs...) {
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
// state or layout; an error when its shape is wrong. Its values are
// checked by served.check, which is what keeps every index inside its
// table; its checksum by servedSumOK, in the background with the rest of
// the index's files (Live.Verify), as reading 260 MB at 1 GB would be a
// third of start-up.
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
	ordAt, seqAt, eAt, themesAt, size := servedLayout(n, t)
	if len(data) != size {
		return nil, fmt.Errorf("served columns: %d bytes, want %d", len(data), size)
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

// servedSumOK reports whether the CRC-32C of the mapped served file data
// (whose shape parseServed accepted) matches its header.
func servedSumOK(data []byte) bool {
	return crc32.Checksum(data[servedHeader:], crc32.MakeTable(crc32.Castagnoli)) == binary.LittleEndian.Uint32(data[56:])
}

// check verifies every value the searches index with against the
// columns c built around s: ord and seq inverse permutations; each entry's document,
// section, type, themes and stray title inside their tables; every theme
// a known one.
func (s *served) check(c *columns) error {
	// on every core: each a contiguous run of the entries
	n := c.n
	docs, sections, types := uint32(len(c.docDistrict)), uint16(len(c.sectionDict.names)), uint16(len(c.typeDict.names))
	var mu sync.Mutex
	var first error
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
	}
	parallelRange(n, func(lo, hi int) {
		// ord and seq are inverse permutations when each undoes the other
		for q := lo; q < hi; q++ {
			if o := s.ord[q]; o < 0 || int(o) >= n || s.seq[o] != uint32(q) {
				fail(fmt.Errorf("served columns: ordinal %d of entry %d", o, q))
				return
			}
		}
		for o := lo; o < hi; o++ {
			e := &s.e[o]
			switch {
			case e.doc >= docs, e.section >= sections, e.typ >= types,
				uint64(e.themeOff)+uint64(e.themeN) > uint64(len(s.themeIDs)),
				e.titleOff == indexer.TitleElsewhere && int(e.titleLen) >= len(c.titlesElsewhere):
				fail(fmt.Errorf("served columns: entry %d outside the tables", o))
				return
			}
		}
	})
	if first != nil {
		return first
	}
	themes := uint16(len(c.themeDict.names))
	for i, t := range s.themeIDs {
		if t >= themes {
			return fmt.Errorf("served columns: theme %d of the table unknown", i)
		}
	}
	return nil
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
