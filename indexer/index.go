package indexer

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/zhengce/zhengce/corpus"
)

// OrderFile is the file of an index that maps the documents, in the order
// bleve numbers them, to their sequence numbers (positions in Entries):
// one little-endian uint32 per document, shard after shard.
const OrderFile = "zhengce-order.u32"

// Index is an opened zhengce index: one or more bleve indexes (shards),
// each holding a contiguous run of the entries, built in parallel. It
// answers queries with Postings; it is safe for concurrent use.
//
// A match is reported by its ordinal: the bleve document number within
// its shard plus the shard's base. Ordinals are dense (0 … Len()-1), and
// SeqTable maps an ordinal to the entry's sequence number in Entries.
type Index struct {
	shards []shard
	grams  []gramsPart
	parts  []part
	n      int // entries
	// seq maps ordinals to sequence numbers; an Index combined from
	// segments builds it from theirs on the first SeqTable (a server that
	// maps its columns never asks)
	seq      []uint32
	seqOnce  sync.Once
	seqParts []*Index // the segments' indexes, for SeqTable
	// order is the mapped order file seq is read from, nil when seq was
	// decoded into memory
	order  *Mapping
	closed atomic.Bool
	// release, when set, replaces closing the shards: an Index combined
	// from segments releases its references to them (see Combine)
	release func() error
}

// gramsPart is the bigram postings of one segment, whose ordinals start
// at base.
type gramsPart struct {
	g    *Grams
	base int32
}

// part is what one segment of an Index keeps by sequence number: its
// texts, entries and columns, from sequence number base on.
type part struct {
	base  int
	texts *Blobs
	units *Blobs
	cols  *Columns
}

// ErrClosed is returned by a search of a closed Index.
var ErrClosed = errors.New("index is closed")

type shard struct {
	idx  bleve.Index
	base int // ordinal of the shard's first document
	n    int
	// maps are the mapped files of the shard's bleve segments (see
	// segmentMaps), whose pages DropPages hands back
	maps [][]byte
}

// ShardMeta describes one shard of an index on disk.
type ShardMeta struct {
	Dir  string `json:"dir"`  // bleve index directory, relative to the index
	Docs int    `json:"docs"` // documents in the shard
}

// Len returns the number of documents in the index.
func (ix *Index) Len() int { return ix.n }

// SeqTable returns the ordinal → sequence number table. The caller must
// not modify it.
func (ix *Index) SeqTable() []uint32 {
	ix.seqOnce.Do(func() {
		if ix.seqParts == nil {
			return
		}
		seq := make([]uint32, 0, ix.n)
		base := 0
		for _, p := range ix.seqParts {
			for _, q := range p.SeqTable() {
				seq = append(seq, q+uint32(base))
			}
			base += p.Len()
		}
		ix.seq = seq
	})
	return ix.seq
}

// DocCount returns the number of documents bleve holds, over all shards.
func (ix *Index) DocCount() (uint64, error) {
	var n uint64
	for _, s := range ix.shards {
		c, err := s.idx.DocCount()
		if err != nil {
			return 0, fmt.Errorf("count documents: %w", err)
		}
		n += c
	}
	return n, nil
}

// Closed reports whether Close was called.
func (ix *Index) Closed() bool { return ix.closed.Load() }

// Close closes every shard.
func (ix *Index) Close() error {
	if ix.closed.Swap(true) {
		return nil
	}
	if ix.release != nil {
		return ix.release()
	}
	var errs []error
	for _, p := range ix.parts {
		errs = append(errs, p.texts.Close(), p.units.Close(), p.cols.Close())
	}
	for _, g := range ix.grams {
		errs = append(errs, g.g.Close())
	}
	for _, s := range ix.shards {
		if err := s.idx.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if ix.order != nil {
		errs = append(errs, ix.order.Close())
	}
	return errors.Join(errs...)
}

// Posting is one match of a query: the document's ordinal and bleve's
// score for it.
type Posting struct {
	Ord   int32
	Score float32
}

// Candidates returns, in ordinal order, the documents whose normalised
// text contains every bigram of keys (from GramKeys).
func (ix *Index) Candidates(keys []uint64) ([]int32, error) {
	if ix.closed.Load() {
		return nil, ErrClosed
	}
	if len(ix.grams) == 1 && ix.grams[0].base == 0 {
		return ix.grams[0].g.Candidates(keys)
	}
	var out []int32
	for _, p := range ix.grams {
		c, err := p.g.Candidates(keys)
		if err != nil {
			return nil, err
		}
		for _, o := range c {
			out = append(out, o+p.base)
		}
	}
	return out, nil
}

// GramCount returns the fewest documents holding one of the bigrams of
// keys: a bound on Candidates(keys) that costs no intersection.
func (ix *Index) GramCount(keys []uint64) int {
	n := 0
	for _, p := range ix.grams {
		n += p.g.Count(keys)
	}
	return n
}

// ctxCheckEvery is how many matches pass between checks of the context.
const ctxCheckEvery = 1024

// Postings runs q over every shard and returns all its matches in ordinal
// order, with scores when score is true. The shards are searched
// concurrently (a shard per core). It checks ctx as it goes.
func (ix *Index) Postings(ctx context.Context, q query.Query, score bool) ([]Posting, error) {
	return ix.eachShard(ctx, q, score, func(s *shard, sr bsearch.Searcher, sctx *bsearch.SearchContext) ([]Posting, error) {
		return s.all(ctx, sr, sctx)
	})
}

// PostingsWithin is Postings restricted to the documents within (ordinals,
// in increasing order): the searchers skip to each of them instead of
// walking every posting, which costs far less when within is a small
// share of q's matches.
func (ix *Index) PostingsWithin(ctx context.Context, q query.Query, score bool, within []int32) ([]Posting, error) {
	return ix.eachShard(ctx, q, score, func(s *shard, sr bsearch.Searcher, sctx *bsearch.SearchContext) ([]Posting, error) {
		lo, _ := slices.BinarySearch(within, int32(s.base))
		hi, _ := slices.BinarySearch(within, int32(s.base+s.n))
		if lo == hi {
			return nil, nil
		}
		return s.among(ctx, sr, sctx, within[lo:hi])
	})
}

// eachShard runs q's searcher on every shard, concurrently when there are
// several, through collect, and joins what collect returns in shard
// (ordinal) order.
func (ix *Index) eachShard(ctx context.Context, q query.Query, score bool, collect func(*shard, bsearch.Searcher, *bsearch.SearchContext) ([]Posting, error)) ([]Posting, error) {
	opts := bsearch.SearcherOptions{}
	if !score {
		opts.Score = "none"
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if ix.closed.Load() {
		return nil, ErrClosed
	}
	if len(ix.shards) == 1 {
		return ix.shards[0].search(ctx, q, opts, collect)
	}
	parts := make([][]Posting, len(ix.shards))
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for i := range ix.shards {
		wg.Go(func() {
			parts[i], errs[i] = ix.shards[i].search(ctx, q, opts, collect)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return slices.Concat(parts...), nil
}

// search opens a snapshot of the shard and q's searcher on it, and hands
// both to collect.
func (s *shard) search(ctx context.Context, q query.Query, opts bsearch.SearcherOptions, collect func(*shard, bsearch.Searcher, *bsearch.SearchContext) ([]Posting, error)) ([]Posting, error) {
	adv, err := s.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index reader: %w", err)
	}
	if r == nil { // scorch hands out no snapshot once closed
		return nil, ErrClosed
	}
	defer r.Close()
	sr, err := q.Searcher(ctx, r, s.idx.Mapping(), opts)
	if err != nil {
		return nil, fmt.Errorf("searcher: %w", err)
	}
	defer sr.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(sr.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	return collect(s, sr, sctx)
}

// number returns the document number of a match, checked to lie in the
// shard.
func (s *shard) number(m *bsearch.DocumentMatch) (int, error) {
	n, ok := docNumber(m.IndexInternalID)
	if !ok || n >= s.n {
		return 0, fmt.Errorf("search: document number %x outside the shard of %d", []byte(m.IndexInternalID), s.n)
	}
	return n, nil
}

// all returns every match of the searcher, in ordinal order.
func (s *shard) all(ctx context.Context, sr bsearch.Searcher, sctx *bsearch.SearchContext) ([]Posting, error) {
	// Count is the searcher's estimate of its matches (exact for a term)
	out := make([]Posting, 0, int(min(sr.Count(), uint64(s.n))))
	for i := 0; ; i++ {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		m, err := sr.Next(sctx)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if m == nil {
			return out, nil
		}
		n, err := s.number(m)
		if err != nil {
			return nil, err
		}
		out = append(out, Posting{Ord: int32(s.base + n), Score: float32(m.Score)})
		sctx.DocumentMatchPool.Put(m)
	}
}

// among returns the matches of the searcher among within, ordinals of this
// shard in increasing order: a leapfrog of within and the searcher.
func (s *shard) among(ctx context.Context, sr bsearch.Searcher, sctx *bsearch.SearchContext, within []int32) ([]Posting, error) {
	out := make([]Posting, 0, len(within))
	var cur *bsearch.DocumentMatch // the searcher's current match, at number at
	at := -1
	id := make([]byte, 8)
	for i, o := range within {
		if i%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		n := int(o) - s.base
		if at < n {
			if cur != nil {
				sctx.DocumentMatchPool.Put(cur)
			}
			binary.BigEndian.PutUint64(id, uint64(n))
			var err error
			if cur, err = sr.Advance(sctx, id); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			if cur == nil {
				break // no match at or after n
			}
			if at, err = s.number(cur); err != nil {
				return nil, err
			}
			if at < n {
				return nil, fmt.Errorf("search: advancing to document %d gave %d", n, at)
			}
		}
		if at == n {
			out = append(out, Posting{Ord: o, Score: float32(cur.Score)})
		}
	}
	return out, nil
}

// docNumber decodes scorch's internal id: the document number within the
// index, big-endian.
func docNumber(id index.IndexInternalID) (int, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return int(binary.BigEndian.Uint64(id)), true
}

// openIndex opens the shards of m in dir read-only and reads the order
// file, checking that it covers every document exactly once.
func openIndex(dir string, m *Meta) (*Index, error) {
	if len(m.Shards) == 0 {
		return nil, corruptError(dir, "索引描述中没有分片", ErrCorrupt)
	}
	ix := &Index{}
	total := 0
	for _, sm := range m.Shards {
		idx, err := bleve.OpenUsing(filepath.Join(dir, sm.Dir), map[string]interface{}{"read_only": true, "bolt_timeout": "5s"})
		if err != nil {
			ix.Close()
			return nil, corruptError(dir, "无法打开", err)
		}
		maps, err := segmentMaps(idx)
		if err != nil {
			idx.Close()
			ix.Close()
			return nil, corruptError(dir, "无法打开", err)
		}
		ix.shards = append(ix.shards, shard{idx: idx, base: total, n: sm.Docs, maps: maps})
		total += sm.Docs
	}
	ix.n = total
	seq, order, err := openOrder(filepath.Join(dir, OrderFile), total)
	if err != nil {
		ix.Close()
		return nil, corruptError(dir, "文件 "+OrderFile+" 无效", fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	ix.seq, ix.order = seq, order
	g, err := readGrams(filepath.Join(dir, GramsFile), total)
	if err != nil {
		ix.Close()
		return nil, corruptError(dir, "文件 "+GramsFile+" 无效", fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	ix.grams = []gramsPart{{g: g}}
	texts, err := openBlobs(filepath.Join(dir, TextsFile), total, true)
	if err != nil {
		ix.Close()
		return nil, corruptError(dir, "文件 "+TextsFile+" 无效", fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	units, err := openBlobs(filepath.Join(dir, UnitsFile), total, false)
	if err != nil {
		texts.Close()
		ix.Close()
		return nil, corruptError(dir, "文件 "+UnitsFile+" 无效", fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	cols, err := readColumns(filepath.Join(dir, ColumnsFile), total)
	if err != nil {
		texts.Close()
		units.Close()
		ix.Close()
		return nil, corruptError(dir, "文件 "+ColumnsFile+" 无效", fmt.Errorf("%w: %w", ErrCorrupt, err))
	}
	ix.parts = []part{{texts: texts, units: units, cols: cols}}
	return ix, nil
}

// ReadErr returns the first error reading a text, an entry or a posting
// list of the index from its files (such a record reads as empty), nil
// when there was none.
func (ix *Index) ReadErr() error {
	for _, p := range ix.parts {
		if err := errors.Join(p.texts.Err(), p.units.Err()); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	}
	for _, g := range ix.grams {
		if err := g.g.Err(); err != nil {
			return fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	}
	return nil
}

// NormText returns the normalised text of the entry with sequence number
// seq. It shares the index's mapping: it must not be kept after the
// Index is closed.
func (ix *Index) NormText(seq int) string {
	p := ix.partOf(seq)
	return p.texts.String(seq - p.base)
}

// Entry decodes the entry with sequence number seq (without its
// document, which the caller knows).
func (ix *Index) Entry(seq int) (Entry, error) {
	p := ix.partOf(seq)
	e, err := DecodeEntry(p.units.Bytes(seq - p.base))
	if err != nil {
		return Entry{}, fmt.Errorf("%w: entry %d: %w", ErrCorrupt, seq, err)
	}
	return e, nil
}

// UnitID returns the id of the unit with sequence number seq without
// decoding the rest of it; false for a target.
func (ix *Index) UnitID(seq int) (string, bool) {
	p := ix.partOf(seq)
	b := p.units.Bytes(seq - p.base)
	if len(b) == 0 || b[0] != recUnit {
		return "", false
	}
	// the record starts with the unit's id (store.AppendUnit)
	n, k := binary.Uvarint(b[1:])
	switch {
	case k <= 0 || n > uint64(len(b)-1-k):
		return "", false
	case n == 0:
		return "", true
	}
	return unsafe.String(&b[1+k], int(n)), true
}

// DropColumnPages calls Columns.DropPages on the columns of every segment.
func (ix *Index) DropColumnPages() error {
	var errs []error
	for _, p := range ix.parts {
		errs = append(errs, p.cols.DropPages())
	}
	return errors.Join(errs...)
}

// SegmentSeqs calls fn with the ordinal → sequence number table of each
// segment of the index and the ordinal (equally, the sequence number) its
// entries start at, in order: a Service built after a change maps only
// the entries of the segments it added.
func (ix *Index) SegmentSeqs(fn func(base int, seq []uint32)) {
	if ix.seqParts == nil {
		fn(0, ix.SeqTable())
		return
	}
	base := 0
	for _, p := range ix.seqParts {
		fn(base, p.SeqTable())
		base += p.Len()
	}
}

// DropPages hands the pages of the index's mapped files — the texts, the
// entries' offsets, the columns, the bigram postings, the order files and
// bleve's segment files — back to the page cache: they leave the process's resident
// memory and stay cached by the kernel, and the next read maps them again
// (a minor fault). Safe while the index serves: the files never change,
// and the mappings stay in place until the index is closed (its shards
// are opened read-only, so bleve never replaces a segment).
func (ix *Index) DropPages() error {
	var errs []error
	for _, s := range ix.shards {
		for _, m := range s.maps {
			errs = append(errs, dropPages(m))
		}
	}
	for _, p := range ix.parts {
		errs = append(errs, p.texts.DropPages(), p.units.DropPages(), p.cols.DropPages())
	}
	for _, g := range ix.grams {
		errs = append(errs, g.g.DropPages())
	}
	if ix.order != nil {
		errs = append(errs, ix.order.DropPages())
	}
	for _, p := range ix.seqParts {
		if p.order != nil {
			errs = append(errs, p.order.DropPages())
		}
	}
	return errors.Join(errs...)
}

// Parts calls fn with each segment's columns and the sequence number of
// its first entry, in order.
func (ix *Index) Parts(fn func(base int, c *Columns)) {
	for _, p := range ix.parts {
		fn(p.base, p.cols)
	}
}

// partOf returns the part holding sequence number seq.
func (ix *Index) partOf(seq int) *part {
	i, j := 0, len(ix.parts)
	for j-i > 1 {
		h := (i + j) / 2
		if ix.parts[h].base <= seq {
			i = h
		} else {
			j = h
		}
	}
	return &ix.parts[i]
}

// openOrder reads the order file at path of an index of n documents, a
// permutation of 0 … n-1, checked: mapped and used in place (its pages
// handed back to the page cache once checked) on a little-endian
// machine, else decoded. An empty index has an empty file, which is not
// mapped.
func openOrder(path string, n int) ([]uint32, *Mapping, error) {
	if n == 0 || !LittleEndian() {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		seq, err := decodeOrder(data, n)
		return seq, nil, err
	}
	m, err := MapFile(path)
	if err != nil {
		return nil, nil, err
	}
	data := m.Bytes()
	if len(data) != 4*n {
		m.Close()
		return nil, nil, fmt.Errorf("%d bytes for %d documents", len(data), n)
	}
	seq := unsafe.Slice((*uint32)(unsafe.Pointer(&data[0])), n)
	if err := checkPermutation(seq); err != nil {
		m.Close()
		return nil, nil, err
	}
	if err := m.DropPages(); err != nil {
		m.Close()
		return nil, nil, err
	}
	return seq, m, nil
}

// checkPermutation reports whether seq is a permutation of 0 … len-1.
func checkPermutation(seq []uint32) error {
	seen := make([]uint64, (len(seq)+63)/64)
	for i, v := range seq {
		if int(v) >= len(seq) || seen[v/64]&(1<<(v%64)) != 0 {
			return fmt.Errorf("entry %d: %d is not part of a permutation", i, v)
		}
		seen[v/64] |= 1 << (v % 64)
	}
	return nil
}

// decodeOrder decodes the order file of an index of n documents: a
// permutation of 0 … n-1.
func decodeOrder(data []byte, n int) ([]uint32, error) {
	if len(data) != 4*n {
		return nil, fmt.Errorf("%d bytes for %d documents", len(data), n)
	}
	seq := make([]uint32, n)
	for i := range seq {
		seq[i] = binary.LittleEndian.Uint32(data[4*i:])
	}
	if err := checkPermutation(seq); err != nil {
		return nil, err
	}
	return seq, nil
}

// encodeOrder is the inverse of decodeOrder.
func encodeOrder(seq []uint32) []byte {
	out := make([]byte, 4*len(seq))
	for i, v := range seq {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// shardOrder reads back the document numbering bleve chose for the shard
// in dir, which holds n entries from seq first on, each indexed under
// shardDocID of its position in the shard: bleve's builder merges
// segments in batches, so the numbering need not be the insertion order.
// It returns, for each document number, the entry's sequence number.
func shardOrder(dir string, first, n int) ([]uint32, error) {
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("reopen shard: %w", err)
	}
	defer idx.Close()
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("reopen shard: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("reopen shard: %w", err)
	}
	defer r.Close()
	count, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("count shard: %w", err)
	}
	if int(count) != n {
		return nil, corpus.Errorf(corpus.EINTERNAL, "分片包含 %d 条，应为 %d 条", count, n)
	}
	out := make([]uint32, n)
	seen := make([]bool, n)
	buf := make([]byte, 8)
	for i := range out {
		binary.BigEndian.PutUint64(buf, uint64(i))
		id, err := r.ExternalID(index.IndexInternalID(buf))
		if err != nil {
			return nil, fmt.Errorf("document %d of shard: %w", i, err)
		}
		p, err := strconv.ParseUint(id, shardIDBase, 32)
		if err != nil || p >= uint64(n) || seen[p] || shardDocID(int(p)) != id {
			return nil, corpus.Errorf(corpus.EINTERNAL, "分片文档 %d 的编号 %q 无效或重复", i, id)
		}
		seen[p] = true
		out[i] = uint32(first + int(p))
	}
	return out, nil
}

// shardIDBase is the base of the bleve document ids of a shard.
const shardIDBase = 36

// shardDocID is the bleve document id of the entry at position i of its
// shard. Nothing reads an entry by its bleve id but shardOrder: a short id
// keeps bleve's id dictionary and stored ids small (an entry's own id is
// 20–40 bytes, and every one is indexed and stored).
func shardDocID(i int) string { return strconv.FormatUint(uint64(i), shardIDBase) }
