package indexer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// GramsFile is the file of an index that holds, for every character
// bigram of the normalised texts, the ordinals of the texts containing it.
// It answers "which texts contain all these bigrams" — the candidates of
// an exact phrase, which package search then verifies against the text.
//
// Layout (little-endian): the magic "ZCGRAMS1"; uint32 documents; uint32
// n, the number of bigrams; n uint64 bigram keys in increasing order (see
// gramKey); n+1 uint64 offsets of the posting lists, relative to the
// first list; the lists. A list starts with one byte: listRaw followed by
// its ordinals as uint32s, in increasing order, or listRoaring followed by
// a serialised roaring bitmap.
const GramsFile = "zhengce-grams.bin"

const gramsMagic = "ZCGRAMS1"

// Encodings of a posting list.
const (
	listRaw     = 0
	listRoaring = 1
)

// rawMax is the longest posting list stored as raw ordinals: below it a
// roaring bitmap's header costs more than it saves.
const rawMax = 24

// gramKey packs the bigram (a, b) into one integer: runes have 21 bits.
func gramKey(a, b rune) uint64 { return uint64(a)<<21 | uint64(b) }

// GramKeys returns the distinct bigram keys of an already normalised
// string in order of first occurrence, for Grams.Candidates.
func GramKeys(norm string) []uint64 {
	var out []uint64
	prev := rune(-1)
	for _, r := range norm {
		if prev >= 0 {
			k := gramKey(prev, r)
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		prev = r
	}
	return out
}

// writeGrams writes the bigram postings of texts (normalised, by ordinal)
// to path, using up to workers goroutines. It checks ctx between chunks.
func writeGrams(ctx context.Context, path string, texts []string, workers int) error {
	workers = max(1, min(workers, len(texts)/1024+1))
	parts := make([]*gramTable, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(texts)/workers, (w+1)*len(texts)/workers
		wg.Go(func() {
			m := newGramTable(1 << 16)
			for o := lo; o < hi; o++ {
				if (o-lo)%progressStep == 0 {
					if err := ctx.Err(); err != nil {
						errs[w] = err
						return
					}
				}
				prev := rune(-1)
				for _, r := range texts[o] {
					if prev >= 0 {
						m.add(gramKey(prev, r), uint32(o))
					}
					prev = r
				}
			}
			parts[w] = m
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	// the lists of part w hold only ordinals below those of part w+1, so
	// a key's list is its lists of every part, in part order
	var keys []uint64
	for _, m := range parts {
		keys = m.appendKeys(keys)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)

	// encode runs of keys on every core, then join them
	chunks := make([]bytes.Buffer, workers)
	offs := make([]uint64, len(keys)+1)
	encErrs := make([]error, workers)
	for w := range workers {
		lo, hi := w*len(keys)/workers, (w+1)*len(keys)/workers
		wg.Go(func() {
			buf := &chunks[w]
			// about two bytes per posting and a header per list: one
			// allocation instead of a doubling series
			size := 0
			for i := lo; i < hi; i++ {
				for _, m := range parts {
					size += m.count(keys[i])
				}
			}
			buf.Grow(2*size + 16*(hi-lo))
			bm := roaring.New()
			var list []uint32
			for i := lo; i < hi; i++ {
				offs[i] = uint64(buf.Len()) // relative to the chunk, fixed below
				list = list[:0]
				for _, m := range parts {
					list = m.appendList(list, keys[i])
				}
				if len(list) <= rawMax {
					buf.WriteByte(listRaw)
					for _, o := range list {
						var b [4]byte
						binary.LittleEndian.PutUint32(b[:], o)
						buf.Write(b[:])
					}
					continue
				}
				buf.WriteByte(listRoaring)
				bm.Clear()
				bm.AddMany(list)
				bm.RunOptimize()
				if _, err := bm.WriteTo(buf); err != nil {
					encErrs[w] = fmt.Errorf("encode bigram postings: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(encErrs...); err != nil {
		return err
	}
	base := uint64(0)
	for w := range workers {
		lo, hi := w*len(keys)/workers, (w+1)*len(keys)/workers
		for i := lo; i < hi; i++ {
			offs[i] += base
		}
		base += uint64(chunks[w].Len())
	}
	offs[len(keys)] = base

	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write bigram postings: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	head := make([]byte, 0, 16+16*len(keys)+8)
	head = append(head, gramsMagic...)
	head = binary.LittleEndian.AppendUint32(head, uint32(len(texts)))
	head = binary.LittleEndian.AppendUint32(head, uint32(len(keys)))
	for _, k := range keys {
		head = binary.LittleEndian.AppendUint64(head, k)
	}
	for _, o := range offs {
		head = binary.LittleEndian.AppendUint64(head, o)
	}
	if _, err := w.Write(head); err != nil {
		f.Close()
		return fmt.Errorf("write bigram postings: %w", err)
	}
	for i := range chunks {
		if _, err := chunks[i].WriteTo(w); err != nil {
			f.Close()
			return fmt.Errorf("write bigram postings: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write bigram postings: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write bigram postings: %w", err)
	}
	return nil
}

// gramTable maps bigram keys to posting lists while writeGrams builds
// them: open addressing with linear probing, which costs a fraction of a
// Go map's access for the tens of millions of bigrams of a large corpus.
// The lists are chains of chunks in one arena rather than a slice each: a
// list grows without copying or allocating, and whether a text already
// added a key is read from its slot, not from its list. A list's first
// chunk holds gramChunkMin ordinals, each next one as many as the list
// holds already, up to gramChunkMax: most lists stay in one small chunk,
// and a long one is read in a few runs instead of a cache miss every
// seven ordinals.
type gramTable struct {
	keys  []uint64 // key | occupied; 0 = empty
	slots []gramSlot
	n     int
	shift uint // 64 − log2(len(keys))
	// arena holds the chunks, in blocks of gramArenaBlock words: a chunk
	// is its ordinals, then the arena address (block·gramArenaBlock +
	// offset) of the next chunk; used is the words taken in the last block
	arena [][]uint32
	used  int
}

// gramSlot is a key's posting list in a gramTable's arena.
type gramSlot struct {
	head, tail uint32 // arena addresses of the first and last chunk
	n          uint32 // ordinals in the list
	last       uint32 // the ordinal added last
	size, room uint16 // ordinals the tail chunk holds, and can still take
}

// Chunk sizes of a posting list, in ordinals, and the words of an arena
// block.
const (
	gramChunkMin   = 7
	gramChunkMax   = 1023
	gramArenaBlock = 1 << 16
)

const gramOccupied = 1 << 63 // keys have 42 bits (gramKey)

func newGramTable(size int) *gramTable {
	bits := 4
	for 1<<bits < size {
		bits++
	}
	return &gramTable{keys: make([]uint64, 1<<bits), slots: make([]gramSlot, 1<<bits), shift: uint(64 - bits)}
}

func (t *gramTable) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> t.shift }

// chunkSize is the number of ordinals of the chunk a list of n ordinals
// adds when its chunks are full: as many as it holds, within bounds.
func chunkSize(n uint32) uint32 { return min(max(n, gramChunkMin), gramChunkMax) }

// chunk adds a chunk of size ordinals to the arena and returns its
// address.
func (t *gramTable) chunk(size uint32) uint32 {
	need := int(size) + 1
	if len(t.arena) == 0 || t.used+need > gramArenaBlock {
		t.arena = append(t.arena, make([]uint32, gramArenaBlock))
		t.used = 0
	}
	c := uint32((len(t.arena)-1)*gramArenaBlock + t.used)
	t.used += need
	return c
}

// word returns the arena word at address a.
func (t *gramTable) word(a uint32) *uint32 { return &t.arena[a/gramArenaBlock][a%gramArenaBlock] }

// at returns the chunk of size ordinals at address c, and its link to
// the next one.
func (t *gramTable) at(c, size uint32) []uint32 {
	i := c % gramArenaBlock
	return t.arena[c/gramArenaBlock][i : i+size+1 : i+size+1]
}

// add appends o to k's list unless the list already ends with it (the
// bigram occurred earlier in the same text).
func (t *gramTable) add(k uint64, o uint32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	m := k | gramOccupied
	mask := uint64(len(t.keys) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case 0:
			t.keys[i] = m
			c := t.chunk(gramChunkMin)
			*t.word(c) = o
			t.slots[i] = gramSlot{head: c, tail: c, n: 1, last: o, size: gramChunkMin, room: gramChunkMin - 1}
			t.n++
			return
		case m:
			sl := &t.slots[i]
			if sl.last == o {
				return
			}
			if sl.room == 0 { // the tail chunk is full: link a new one
				size := chunkSize(sl.n)
				c := t.chunk(size)
				*t.word(sl.tail + uint32(sl.size)) = c
				sl.tail, sl.size, sl.room = c, uint16(size), uint16(size)
			}
			*t.word(sl.tail + uint32(sl.size-sl.room)) = o
			sl.room--
			sl.n++
			sl.last = o
			return
		}
	}
}

// find returns k's slot, or nil.
func (t *gramTable) find(k uint64) *gramSlot {
	m := k | gramOccupied
	mask := uint64(len(t.keys) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case 0:
			return nil
		case m:
			return &t.slots[i]
		}
	}
}

// count returns the length of k's list.
func (t *gramTable) count(k uint64) int {
	if sl := t.find(k); sl != nil {
		return int(sl.n)
	}
	return 0
}

// appendList appends k's list to out.
func (t *gramTable) appendList(out []uint32, k uint64) []uint32 {
	sl := t.find(k)
	if sl == nil {
		return out
	}
	c, held, size := sl.head, uint32(0), uint32(gramChunkMin)
	for held < sl.n {
		ch := t.at(c, size)
		take := min(sl.n-held, size)
		out = append(out, ch[:take]...)
		held += take
		c, size = ch[size], chunkSize(held)
	}
	return out
}

func (t *gramTable) grow() {
	old := *t
	*t = *newGramTable(2 * len(old.keys))
	t.arena, t.used = old.arena, old.used
	mask := uint64(len(t.keys) - 1)
	for j, m := range old.keys {
		if m == 0 {
			continue
		}
		i := t.slot(m &^ gramOccupied)
		for t.keys[i] != 0 {
			i = (i + 1) & mask
		}
		t.keys[i], t.slots[i] = m, old.slots[j]
		t.n++
	}
}

// appendKeys appends the keys of t to out, in no order.
func (t *gramTable) appendKeys(out []uint64) []uint64 {
	for _, m := range t.keys {
		if m != 0 {
			out = append(out, m&^gramOccupied)
		}
	}
	return out
}

// Grams is the opened bigram postings file of an index. It is immutable
// and safe for concurrent use.
type Grams struct {
	// file is the mapped postings file, nil for postings in memory
	file *Blobs
	docs int
	n    int
	// the keys (n uint64), the offsets (n+1 uint64) and the lists: in
	// the file's mapping (the lists only bound there: they are read with
	// pread from listsAt), or in memory
	keys, offs, lists []byte
	listsAt           int64
	// sparse holds every block-th key (gramBlock), in memory: a lookup
	// searches it, then one block of the keys (one page of the mapping)
	sparse []uint64
	block  int
}

// gramBlock is the number of keys of a block (4 KB) that a lookup
// searches after the sparse keys.
const gramBlock = 512

// readGrams maps and checks the bigram postings of an index of docs
// documents. A lookup searches the sparse keys in memory, then one block
// of the mapped keys and the mapped offsets, and reads the list with one
// pread: three preads a bigram (a block of keys, the offsets, the list)
// were most of the CPU time of a selective phrase at 1 GB of text, 33
// segments of postings, and the lists read through the mapping would stay
// resident until the next hand-back — on the laws corpus 35 MB more at the
// last answer of a load run (docs/scaling.md). The pages the check read
// are handed back at once, and those of the keys and offsets a search
// reads go with the index's other mapped pages (Index.DropPages).
func readGrams(path string, docs int) (*Grams, error) {
	return openGrams(path, docs, gramBlock)
}

// openGrams is readGrams with blocks of block keys.
func openGrams(path string, docs, block int) (*Grams, error) {
	b, err := openBlobFile(path)
	if err != nil {
		return nil, err
	}
	g, err := parseGrams(b.m, docs)
	if err == nil {
		g.block = block
		g.sparse = make([]uint64, 0, (g.n+block-1)/block)
		for i := 0; i < g.n; i += block {
			g.sparse = append(g.sparse, binary.LittleEndian.Uint64(g.keys[8*i:]))
		}
		g.listsAt = int64(len(b.m) - len(g.lists))
		err = b.DropPages()
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	g.file = b
	return g, nil
}

// Close closes the postings file.
func (g *Grams) Close() error {
	if g.file == nil {
		return nil
	}
	return g.file.Close()
}

// DropPages hands the pages of a mapped postings file back to the page
// cache (see Blobs.DropPages).
func (g *Grams) DropPages() error {
	if g.file == nil {
		return nil
	}
	return g.file.DropPages()
}

func parseGrams(data []byte, docs int) (*Grams, error) {
	if len(data) < 16 || string(data[:8]) != gramsMagic {
		return nil, errors.New("not a bigram postings file")
	}
	g := &Grams{docs: int(binary.LittleEndian.Uint32(data[8:])), n: int(binary.LittleEndian.Uint32(data[12:]))}
	if g.docs != docs {
		return nil, fmt.Errorf("bigram postings of %d documents, index has %d", g.docs, docs)
	}
	head := 16 + 8*g.n + 8*(g.n+1)
	if g.n < 0 || head > len(data) {
		return nil, errors.New("bigram postings truncated")
	}
	g.keys = data[16 : 16+8*g.n]
	g.offs = data[16+8*g.n : head]
	g.lists = data[head:]
	var prevKey, prevOff uint64
	for i := 0; i <= g.n; i++ {
		off := binary.LittleEndian.Uint64(g.offs[8*i:])
		if off < prevOff || off > uint64(len(g.lists)) || (i > 0 && off == prevOff) {
			return nil, fmt.Errorf("bigram postings: bad offset %d of list %d", off, i)
		}
		prevOff = off
		if i < g.n {
			k := binary.LittleEndian.Uint64(g.keys[8*i:])
			if i > 0 && k <= prevKey {
				return nil, fmt.Errorf("bigram postings: keys out of order at %d", i)
			}
			prevKey = k
		}
	}
	if prevOff != uint64(len(g.lists)) {
		return nil, errors.New("bigram postings: trailing bytes")
	}
	return g, nil
}

// locate returns where the list of key lies in the lists, false when
// the key is not there.
func (g *Grams) locate(key uint64) (lo, hi uint64, ok bool) {
	keys, first := g.keys, 0
	if g.sparse != nil {
		// the block whose first key is the last one ≤ key
		j := sort.Search(len(g.sparse), func(j int) bool { return g.sparse[j] > key })
		if j == 0 {
			return 0, 0, false
		}
		first = (j - 1) * g.block
		keys = g.keys[8*first : 8*min(g.n, first+g.block)]
	}
	i, ok := searchKeys(keys, key)
	if !ok {
		return 0, 0, false
	}
	i += first
	return binary.LittleEndian.Uint64(g.offs[8*i:]), binary.LittleEndian.Uint64(g.offs[8*i+8:]), true
}

// read returns the encoded posting list of key, nil when there is none:
// a slice of the lists in memory, or for a file a copy of the list read
// with pread (never modified).
func (g *Grams) read(key uint64) ([]byte, error) {
	lo, hi, ok := g.locate(key)
	if !ok {
		return nil, nil
	}
	if g.file == nil {
		return g.lists[lo:hi:hi], nil
	}
	return g.readAt(lo, int(hi-lo))
}

// readAt reads n bytes of a postings file's lists from offset lo.
func (g *Grams) readAt(lo uint64, n int) ([]byte, error) {
	out := make([]byte, n)
	if _, err := g.file.f.ReadAt(out, g.listsAt+int64(lo)); err != nil {
		err = fmt.Errorf("read bigram postings of %s: %w", g.file.f.Name(), err)
		g.file.err.CompareAndSwap(nil, &err)
		return nil, err
	}
	return out, nil
}

// searchKeys returns the index of key in keys, sorted uint64s, and
// whether it is there.
func searchKeys(keys []byte, key uint64) (int, bool) {
	i, j := 0, len(keys)/8
	for i < j {
		h := int(uint(i+j) >> 1)
		if binary.LittleEndian.Uint64(keys[8*h:]) < key {
			i = h + 1
		} else {
			j = h
		}
	}
	return i, i < len(keys)/8 && binary.LittleEndian.Uint64(keys[8*i:]) == key
}

// postingList is one decoded posting list: raw ordinals or a bitmap,
// both reading the encoded list in place.
type postingList struct {
	raw []byte // a raw list's ordinals, little-endian uint32s
	bm  *roaring.Bitmap
}

func (p postingList) card() int {
	if p.bm != nil {
		return int(p.bm.GetCardinality())
	}
	return len(p.raw) / 4
}

func (p postingList) contains(o uint32) bool {
	if p.bm != nil {
		return p.bm.Contains(o)
	}
	i, j := 0, len(p.raw)/4
	for i < j {
		h := int(uint(i+j) >> 1)
		if binary.LittleEndian.Uint32(p.raw[4*h:]) < o {
			i = h + 1
		} else {
			j = h
		}
	}
	return i < len(p.raw)/4 && binary.LittleEndian.Uint32(p.raw[4*i:]) == o
}

// ordinals returns the list's ordinals in a new slice.
func (p postingList) ordinals() []uint32 {
	if p.bm != nil {
		return p.bm.ToArray()
	}
	out := make([]uint32, len(p.raw)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(p.raw[4*i:])
	}
	return out
}

// decode decodes the encoded list b without copying it: the list reads
// b (a roaring bitmap copies a container before it would change it), for
// as long as it is used.
func (g *Grams) decode(b []byte) (postingList, error) {
	switch b[0] {
	case listRaw:
		if (len(b)-1)%4 != 0 {
			return postingList{}, errors.New("bigram postings: bad raw list")
		}
		return postingList{raw: b[1:]}, nil
	case listRoaring:
		bm := roaring.New()
		if _, err := bm.FromBuffer(b[1:]); err != nil {
			return postingList{}, fmt.Errorf("bigram postings: %w", err)
		}
		return postingList{bm: bm}, nil
	default:
		return postingList{}, fmt.Errorf("bigram postings: unknown list encoding %d", b[0])
	}
}

// Count returns the fewest texts holding one of the bigrams of keys (0
// when one occurs nowhere, or keys is empty, or a list is damaged).
func (g *Grams) Count(keys []uint64) int {
	least := -1
	for _, k := range keys {
		n, ok := g.count(k)
		if !ok {
			return 0
		}
		if least < 0 || n < least {
			least = n
		}
	}
	return max(least, 0)
}

// count returns the length of the posting list of key, false when there
// is none or it is damaged, from the head of the list: a raw list's
// length follows from its size, a roaring bitmap's from its descriptive
// header, the only part of it read from a file.
func (g *Grams) count(key uint64) (int, bool) {
	lo, hi, ok := g.locate(key)
	if !ok {
		return 0, false
	}
	size := int(hi - lo)
	if g.file == nil {
		return listCount(g.lists[lo:hi], size)
	}
	head, err := g.readAt(lo, min(size, 64))
	for err == nil {
		n, ok := listCount(head, size)
		if ok || len(head) == size {
			return n, ok
		}
		need := roaringHeadSize(head[1:]) + 1
		if need <= len(head) || need > size {
			return 0, false
		}
		head, err = g.readAt(lo, need)
	}
	return 0, false
}

// Err returns the first error reading a posting list from a file, nil
// when there was none.
func (g *Grams) Err() error {
	if g.file == nil {
		return nil
	}
	return g.file.Err()
}

// listCount returns the length of an encoded posting list of size bytes
// from its first bytes head; false when head is too short to tell or the
// list is damaged.
func listCount(head []byte, size int) (int, bool) {
	if len(head) == 0 {
		return 0, false
	}
	switch head[0] {
	case listRaw:
		return (size - 1) / 4, true
	case listRoaring:
		return roaringCardinality(head[1:])
	}
	return 0, false
}

// Cookies of the portable serialisation of a roaring bitmap
// (https://github.com/RoaringBitmap/RoaringFormatSpec).
const (
	roaringCookieNoRun = 12346
	roaringCookie      = 12347
)

// roaringHeadSize returns the bytes of b's header up to the end of its
// descriptive header (keys and cardinalities), 0 when b is too short to
// tell or not a roaring bitmap.
func roaringHeadSize(b []byte) int {
	if len(b) < 4 {
		return 0
	}
	cookie := binary.LittleEndian.Uint32(b)
	switch {
	case cookie&0xffff == roaringCookie:
		n := int(cookie>>16) + 1
		return 4 + (n+7)/8 + 4*n
	case cookie == roaringCookieNoRun:
		if len(b) < 8 {
			return 0
		}
		n := binary.LittleEndian.Uint32(b[4:])
		if n > 1<<16 {
			return 0
		}
		return 8 + 4*int(n)
	}
	return 0
}

// roaringCardinality returns the cardinality of the roaring bitmap
// serialised at the start of b, read from its descriptive header; false
// when b is too short or not a roaring bitmap.
func roaringCardinality(b []byte) (int, bool) {
	size := roaringHeadSize(b)
	if size == 0 || size > len(b) {
		return 0, false
	}
	var n, at int
	if binary.LittleEndian.Uint32(b)&0xffff == roaringCookie {
		c := int(binary.LittleEndian.Uint32(b)>>16) + 1
		n, at = c, 4+(c+7)/8
	} else {
		n, at = int(binary.LittleEndian.Uint32(b[4:])), 8
	}
	card := 0
	for i := range n {
		card += int(binary.LittleEndian.Uint16(b[at+4*i+2:])) + 1
	}
	return card, true
}

// Candidates returns the ordinals of the texts containing every bigram of
// keys, in increasing order (nil when a bigram occurs nowhere).
func (g *Grams) Candidates(keys []uint64) ([]int32, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ls := make([]postingList, 0, len(keys))
	for _, k := range keys {
		b, err := g.read(k)
		if err != nil {
			return nil, err
		}
		if b == nil {
			return nil, nil
		}
		l, err := g.decode(b)
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b postingList) int { return a.card() - b.card() })
	var acc []uint32
	if ls[0].bm != nil && ls[0].card() > 4096 {
		// every list is large: intersect the bitmaps container by container
		bms := make([]*roaring.Bitmap, len(ls))
		for i, l := range ls {
			bms[i] = l.bm
		}
		acc = roaring.FastAnd(bms...).ToArray()
	} else {
		acc = ls[0].ordinals()
		for _, l := range ls[1:] {
			out := acc[:0] // acc is always a fresh slice
			for _, o := range acc {
				if l.contains(o) {
					out = append(out, o)
				}
			}
			acc = out
			if len(acc) == 0 {
				return nil, nil
			}
		}
	}
	out := make([]int32, len(acc))
	for i, o := range acc {
		if int(o) >= g.docs {
			return nil, fmt.Errorf("bigram postings: ordinal %d of %d documents", o, g.docs)
		}
		out[i] = int32(o)
	}
	return out, nil
}
