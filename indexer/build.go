package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
)

// formatVersion changes whenever the index documents or mapping change;
// an index of another format is rebuilt.
const formatVersion = 9

// MetaFile is the name of zhengce's description of an index, kept inside
// the index directory beside bleve's own files.
const MetaFile = "zhengce-index.json"

// batchSize is the number of index documents per segment of bleve's
// offline builder. Fewer, larger segments cost less to merge at Close:
// 2048 instead of 256 saved about a fifth of the build's CPU time for the
// seeds (one segment, no merge), measured with BenchmarkBuild; 4096
// instead of 2048 saves 1–3 s of 43 at 2,000 documents (alternating runs;
// 8192 was no better).
const batchSize = 4096

// mergeMax is how many segments bleve's builder merges at once. Merging
// all of a shard's segments in one pass writes its data once, where the
// default of 10 rewrites it on every round.
const mergeMax = 1000

// progressStep is how often (in index documents) Build reports progress
// and checks for cancellation.
const progressStep = 256

// analyzeChunk is the number of index documents a worker of
// analyzeAhead analyses at a time, and analyzeWindow how many chunks may
// be analysed ahead of bleve's builder.
const (
	analyzeChunk  = 256
	analyzeWindow = 8
)

// analyzed is the words fields of texts analysed ahead of bleve's
// builder (analyzeAhead), in chunks of analyzeChunk.
type analyzed struct {
	chunks  []analyzedChunk
	window  chan struct{} // a token per chunk that may be analysed ahead
	stop    chan struct{} // closed by close: the workers end
	workers sync.WaitGroup
	// spare holds the fields bleve's builder is done with (recycle), by
	// the size class of their text (spareClass): their maps and blocks
	// of frequencies serve texts of about the same size, so a build
	// allocates a batch's worth of them instead of one per text
	spare [spareClasses]chan *wordsField
}

// spareClasses is the number of size classes of analyzed.spare.
const spareClasses = 16

// spareClass is the size class of a text of n bytes: its bit length above
// 64 bytes, so the texts of a class are within a factor of two.
func spareClass(n int) int { return min(bits.Len(uint(n)>>6), spareClasses-1) }

// spareClassMax is the length of the longest text of the size class of a
// text of n bytes (n itself in the last, open class).
func spareClassMax(n int) int {
	c := spareClass(n)
	if c == spareClasses-1 {
		return n
	}
	return 64<<c - 1
}

// analyzedChunk is a run of analyzeChunk words fields, ready once done is
// closed.
type analyzedChunk struct {
	fields []*wordsField
	done   chan struct{}
}

// analyzeAhead analyses the words fields of texts on workers goroutines,
// in chunks of analyzeChunk, at most analyzeWindow chunks ahead of the
// reader (take), until close. Consecutive equal texts share one field.
// With im.scan, each worker records what the
// domain dictionary's scan of its texts would and adds it to the scan
// when it ends: once close returns, the scan has seen every text analysed.
func analyzeAhead(im buildMapping, texts []string, workers int) *analyzed {
	a := &analyzed{chunks: make([]analyzedChunk, (len(texts)+analyzeChunk-1)/analyzeChunk),
		window: make(chan struct{}, analyzeWindow), stop: make(chan struct{})}
	for k := range a.chunks {
		a.chunks[k].done = make(chan struct{})
	}
	for c := range a.spare {
		a.spare[c] = make(chan *wordsField, batchSize)
	}
	for range analyzeWindow {
		a.window <- struct{}{}
	}
	var next atomic.Int64
	for range max(1, workers) {
		a.workers.Go(func() {
			var marks *dictMarks
			if im.scan.marking() {
				marks = im.scan.newMarks()
				defer im.scan.addMarks(marks)
			}
			for {
				select {
				case <-a.window:
				case <-a.stop:
					return
				}
				k := int(next.Add(1) - 1)
				if k >= len(a.chunks) {
					return
				}
				lo, hi := k*analyzeChunk, min((k+1)*analyzeChunk, len(texts))
				out := make([]*wordsField, hi-lo)
				for i := range out {
					// a text equal to the one before it (the targets
					// of one sentence quote it alike) shares its
					// field: bleve only reads an analysed field
					if i > 0 && texts[lo+i] == texts[lo+i-1] {
						out[i] = out[i-1]
						continue
					}
					var reuse *wordsField
					select {
					case reuse = <-a.spare[spareClass(len(texts[lo+i]))]:
					default:
					}
					out[i] = im.analyzedField(texts[lo+i], marks, reuse)
				}
				a.chunks[k].fields = out
				close(a.chunks[k].done)
			}
		})
	}
	return a
}

// take waits for chunk k and returns its fields, which are then the
// reader's alone: chunks are taken in order, each once, and each taken
// lets one more be analysed ahead.
func (a *analyzed) take(k int) []*wordsField {
	c := &a.chunks[k]
	<-c.done
	fields := c.fields
	c.fields = nil // held by bleve's batch until it is written, no longer
	a.window <- struct{}{}
	return fields
}

// recycle hands back fields taken earlier that bleve's builder no longer
// holds (it has written the segment of their documents): their memory
// serves the texts analysed next. A field shared by consecutive equal
// texts appears consecutively and is handed back once; spare classes
// already full let the rest go to the collector.
func (a *analyzed) recycle(fields []*wordsField) {
	for i, f := range fields {
		if i > 0 && f == fields[i-1] {
			continue
		}
		select {
		case a.spare[spareClass(len(f.text))] <- f:
		default:
		}
	}
}

// close ends the workers, though chunks may be left, and waits for them.
func (a *analyzed) close() {
	close(a.stop)
	a.workers.Wait()
}

// Progress receives build progress: done of total index documents. It may
// be nil.
type Progress func(done, total int)

// Stats summarises a build.
type Stats struct {
	Documents int            `json:"documents"` // corpus documents
	Units     int            `json:"units"`     // indexed units (targets excluded)
	Targets   int            `json:"targets"`   // indexed targets
	ByType    map[string]int `json:"by_type"`   // index documents per unit type, targets included
	Bytes     int64          `json:"bytes"`     // bytes of unit text indexed
	Seconds   float64        `json:"seconds"`   // wall time of the build
	// Phases is the wall time of each step of the build, in order.
	Phases []Phase `json:"phases,omitempty"`
}

// Phase is the wall time of one step of a build.
type Phase struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// phaseClock records the phases of a build.
type phaseClock struct {
	last   time.Time
	phases []Phase
}

func newPhaseClock() *phaseClock { return &phaseClock{last: time.Now()} }

// done ends the current phase, named name.
func (c *phaseClock) done(name string) {
	now := time.Now()
	c.phases = append(c.phases, Phase{name, now.Sub(c.last).Seconds()})
	c.last = now
}

// Meta describes an index on disk: what it was built from, with what.
type Meta struct {
	Format   int       `json:"format"`
	Corpus   string    `json:"corpus"`   // CorpusFingerprint of the indexed corpus
	Analyzer string    `json:"analyzer"` // Segmenter.Fingerprint used for the word field
	Built    time.Time `json:"built"`
	Stats    Stats     `json:"stats"`
	// Shards are the bleve indexes of the base segment (the index
	// directory itself), in ordinal order.
	Shards []ShardMeta `json:"shards"`
	// Parts are the further segments of a streamed build (StreamBuilder),
	// directories relative to the index directory, in order after the
	// base; empty for an index built in one piece.
	Parts []string `json:"parts,omitempty"`
	// Files is the manifest of the index directory (every file but this
	// description), checked by OpenIndex; see Verify.
	Files []FileSum `json:"files,omitempty"`
}

// Fresh reports whether the index described by m can serve corpus c with a
// segmenter of fingerprint analyzer ("" to skip the analyzer check).
func (m *Meta) Fresh(c *corpus.Corpus, analyzer string) bool {
	return m.FreshFor(CorpusFingerprint(c), analyzer)
}

// FreshFor is Fresh for a corpus whose CorpusFingerprint is known: a
// caller checking several indexes, or one index twice, hashes the corpus
// once.
func (m *Meta) FreshFor(corpusFingerprint, analyzer string) bool {
	return m != nil && m.Format == formatVersion && m.Corpus == corpusFingerprint &&
		(analyzer == "" || analyzer == m.Analyzer)
}

// DefaultDir returns the default index location:
// $XDG_CACHE_HOME/zhengce/index (os.UserCacheDir, ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows), or
// $TMPDIR/zhengce/index when the system has no cache directory.
func DefaultDir() string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "zhengce", "index")
}

// ReadMeta reads the description of the index in dir. A directory without
// one is reported as ENOTFOUND.
func ReadMeta(dir string) (*Meta, error) {
	data, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引不存在：" + dir, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read index meta: %w", err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引描述文件损坏：" + dir, Err: err}
	}
	return &m, nil
}

// OpenIndex opens the index in dir read-only, so any number of processes
// can search it while a new one is built beside it. The files are first
// checked against the manifest written by Build: a truncated or damaged
// index is an EINVALID error wrapping ErrCorrupt (see Verify).
func OpenIndex(dir string) (*Index, *Meta, error) {
	if err := Register(); err != nil {
		return nil, nil, err
	}
	m, err := ReadMeta(dir)
	if err != nil {
		return nil, nil, err
	}
	if err := Verify(dir, m); err != nil {
		return nil, nil, err
	}
	ix, err := openIndex(dir, m)
	if err != nil {
		return nil, nil, err
	}
	if len(m.Parts) == 0 {
		return ix, m, nil
	}
	// a streamed build: the base and its parts, combined
	segs := []*Segment{{name: ".", ix: ix, refs: 1}}
	release := func() {
		for _, s := range segs {
			s.Release()
		}
	}
	for _, p := range m.Parts {
		s, err := OpenSegment(dir, p)
		if err != nil {
			release()
			return nil, nil, err
		}
		segs = append(segs, s)
	}
	all := Combine(segs)
	release() // the combined index holds them now
	return all, m, nil
}

// CorpusFingerprint identifies everything of c that goes into an index.
func CorpusFingerprint(c *corpus.Corpus) string {
	h := newCorpusHash()
	for _, d := range c.Documents() {
		h.add(d)
	}
	return h.sum()
}

// corpusHash computes CorpusFingerprint over documents given in order.
type corpusHash struct {
	// through a buffer: sha256 has no WriteString, and converting every
	// text to a []byte for it allocated a copy of the corpus
	h *hashBuffer
}

func newCorpusHash() *corpusHash {
	h := &corpusHash{h: newHashBuffer()}
	h.w("format", strconv.Itoa(formatVersion))
	return h
}

func (h *corpusHash) w(parts ...string) {
	for _, p := range parts {
		h.h.add(p, 0)
	}
	h.h.add("", 1)
}

func (h *corpusHash) add(d *corpus.Document) {
	h.w("doc", d.ID, d.District, d.Title)
	for _, u := range d.Units {
		// h.w of the unit's fields and themes, without a slice of them
		// per unit
		for _, p := range [...]string{"unit", u.ID, string(u.Type), u.Part, strconv.Itoa(u.Seq), u.Title, u.Text} {
			h.h.add(p, 0)
		}
		for _, th := range u.Themes {
			h.h.add(th, 0)
		}
		h.h.add("", 1)
	}
	for _, t := range d.Targets {
		h.w("target", t.ID, t.UnitID, t.Indicator, t.Canonical, t.Text, pointKey(t.Target), pointKey(t.Baseline))
	}
}

func (h *corpusHash) sum() string { return h.h.sum() }

// hashBuffer feeds a SHA-256 in 64 KB blocks.
type hashBuffer struct {
	h   hash.Hash
	buf []byte
}

func newHashBuffer() *hashBuffer {
	return &hashBuffer{h: sha256.New(), buf: make([]byte, 0, 64<<10)}
}

// add appends s and the byte sep to the hashed stream.
func (b *hashBuffer) add(s string, sep byte) {
	if len(b.buf)+len(s)+1 > cap(b.buf) {
		b.h.Write(b.buf) // a hash.Hash's Write never returns an error
		b.buf = b.buf[:0]
	}
	if len(s)+1 > cap(b.buf) {
		b.h.Write([]byte(s))
		b.buf = append(b.buf, sep)
		return
	}
	b.buf = append(append(b.buf, s...), sep)
}

// sum returns the first 16 hex digits of the digest of everything added.
func (b *hashBuffer) sum() string {
	b.h.Write(b.buf)
	b.buf = b.buf[:0]
	return hex.EncodeToString(b.h.Sum(nil))[:16]
}

func pointKey(p corpus.Point) string {
	if p.Value == nil {
		return "-"
	}
	return strconv.FormatFloat(*p.Value, 'g', -1, 64)
}

// Build writes a new index of c into dir, reporting progress to p. It
// builds into a fresh directory beside dir and renames it into place only
// when complete, so a failed or cancelled build leaves any previous index
// untouched. dir must be missing, empty, or a previous zhengce index.
// dir becomes a symbolic link to the current version (see install): the
// switch is one atomic rename, crash-safe at every step.
func Build(ctx context.Context, dir string, c *corpus.Corpus, seg *Segmenter, p Progress) (Stats, error) {
	return BuildShards(ctx, dir, c, seg, p, 0)
}

// BuildShards is Build with the number of shards given: 0 chooses it (one
// per core above 20,000 entries, see shardCount), more than there are
// entries is reduced to one per entry. Searches over any number of shards
// find the same entries (TestShardedSameResults); scores differ slightly,
// since bleve's word statistics are per shard.
func BuildShards(ctx context.Context, dir string, c *corpus.Corpus, seg *Segmenter, p Progress, shards int) (Stats, error) {
	return BuildWith(ctx, dir, c, seg, p, BuildOptions{Shards: shards})
}

// BuildOptions tune BuildWith.
type BuildOptions struct {
	// Shards is the number of shards; 0 chooses (see BuildShards).
	Shards int
	// Info, when set, gives the stored origin, source and stamp of a
	// document (a rebuild of a changed index keeps where each document
	// came from); otherwise every document's origin is OriginBuild.
	Info func(id string) (store.Info, bool)
}

// BuildWith is Build with options.
func BuildWith(ctx context.Context, dir string, c *corpus.Corpus, seg *Segmenter, p Progress, opt BuildOptions) (Stats, error) {
	shards := opt.Shards
	if shards < 0 {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "分片数不能为负数：%d", shards)
	}
	start := time.Now()
	if seg == nil {
		return Stats{}, corpus.Errorf(corpus.EINTERNAL, "建立索引需要分词器")
	}
	if seg.domain != "" && seg.domain != TextsFingerprint(IndexedTexts(c)) {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "领域词典只适用于建立它的语料，请用完整词典建立索引")
	}
	if err := Register(); err != nil {
		return Stats{}, err
	}
	dir = filepath.Clean(dir)
	if err := checkTarget(dir); err != nil {
		return Stats{}, err
	}
	work, release, err := newWorkDir(dir)
	if err != nil {
		return Stats{}, err
	}
	defer func() {
		release()
		if ctx.Err() != nil {
			// Cancelled (Ctrl-C): answer at once and remove the partial
			// build meanwhile — a large one takes about a second. A
			// process that exits first leaves it to the next build,
			// which collects builds whose lock is free.
			go os.RemoveAll(work)
			return
		}
		os.RemoveAll(work)
	}()
	path := filepath.Join(work, "index")

	im, err := newMapping(seg)
	if err != nil {
		return Stats{}, err
	}
	// bleve's offline builder writes segments directly and merges them
	// into one at Close: no per-batch persistence, a compact index.
	// Its scratch space stays inside work, removed on every path.
	empty := true
	for _, d := range c.Documents() {
		empty = empty && len(d.Units) == 0 && len(d.Targets) == 0
	}
	if empty {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "语料中没有可索引的条目")
	}
	clock := newPhaseClock()
	entries := Entries(c)
	norms := normalizeAll(entries, runtime.GOMAXPROCS(0))
	clock.done("normalize")
	k := shards
	if k == 0 {
		k = shardCount(len(entries), shardSize)
	}
	// The domain dictionary (it lets a server start without gse's full
	// one) and the corpus fingerprint need only the corpus: they are
	// derived while bleve builds, in the gaps its shards leave on the
	// cores.
	if err := os.MkdirAll(path, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create index: %w", err)
	}
	var (
		dictErr     error
		fingerprint string
		side        sync.WaitGroup
	)
	side.Go(func() {
		dictErr = WriteDomainDict(path, c, seg)
		fingerprint = CorpusFingerprint(c)
	})
	metas, stats, err := buildSegmentFiles(ctx, path, work, buildMapping{IndexMappingImpl: im, seg: seg}, entries, norms, min(k, len(entries)), p, clock)
	side.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return Stats{}, &corpus.Error{Code: corpus.ETIMEOUT, Message: "建立索引已取消", Err: err}
		}
		return Stats{}, err
	}
	if dictErr != nil {
		return Stats{}, dictErr
	}
	clock.done("domain-dict")
	stats.Seconds = time.Since(start).Seconds()
	files, err := manifest(path)
	if err != nil {
		return Stats{}, err
	}
	clock.done("manifest")
	if err := writeStore(ctx, path, c, seg, opt.Info); err != nil {
		return Stats{}, err
	}
	clock.done("store")
	meta := Meta{Format: formatVersion, Corpus: fingerprint, Analyzer: seg.Fingerprint(), Built: time.Now().UTC(), Stats: stats, Shards: metas, Files: files}
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return Stats{}, fmt.Errorf("encode index meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(path, MetaFile), data, 0o644); err != nil {
		return Stats{}, fmt.Errorf("write index meta: %w", err)
	}
	// Swap: an atomic rename of the link dir (see install).
	if err := install(dir, path); err != nil {
		return Stats{}, err
	}
	clock.done("install")
	stats.Seconds = time.Since(start).Seconds()
	stats.Phases = clock.phases
	return stats, nil
}

// checkTarget refuses to replace a directory that is not a zhengce index.
func checkTarget(dir string) error {
	if isOurLink(dir) {
		return nil
	}
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法访问索引目录：" + dir, Err: err}
	}
	if !st.IsDir() {
		return corpus.Errorf(corpus.EINVALID, "索引路径不是目录：%s", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法读取索引目录：" + dir, Err: err}
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, MetaFile)); err != nil {
		return corpus.Errorf(corpus.EINVALID, "索引目录已存在且不是 zhengce 索引，拒绝覆盖：%s", dir)
	}
	return nil
}

// shardSize is the number of entries per shard above which a build is
// split into shards built concurrently, one per available core.
const shardSize = 20000

// batchShardSize is shardSize for a batch of a streamed build. Bleve's
// build of a batch overlaps the next batches' parse and store, so a
// second builder pays only where one would be the longest step of a
// batch — 2,000 documents of 100 KB (batches of ≈ 126,000 entries) built
// in 30.9–32.1 s with two shards a batch against 35.8–37.2 s with one,
// and answered the query mix as fast — while every shard adds a fixed
// cost to every query: the laws corpus's batches of 512 small files
// (44,000–67,000 entries) answered 14 % fewer requests a second with two
// shards each (docs/scaling.md).
const batchShardSize = 1 << 16

// shardCount returns the number of shards for n entries, at most size
// each when there are cores for them.
func shardCount(n, size int) int {
	return max(1, min(runtime.GOMAXPROCS(0), (n+size-1)/size))
}

// buildSegmentFiles writes the files of a segment of entries into path:
// the bleve shards, order and bigram postings (buildShards) and, while
// they are built, the entry files (writeEntryFiles), which do not depend
// on bleve's order.
func buildSegmentFiles(ctx context.Context, path, work string, im buildMapping, entries []Entry, norms []string, k int, p Progress, clock *phaseClock) ([]ShardMeta, Stats, error) {
	var entriesErr error
	var wg sync.WaitGroup
	wg.Go(func() { entriesErr = writeEntryFiles(path, entries, norms) })
	metas, err := buildShards(ctx, path, work, im, entryIDs(entries), norms, k, p, clock)
	wg.Wait()
	if err := errors.Join(err, entriesErr); err != nil {
		return nil, Stats{}, err
	}
	return metas, entryStats(entries), nil
}

// entryStats counts the documents, units, targets and text of entries.
func entryStats(entries []Entry) Stats {
	st := Stats{ByType: map[string]int{}}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Doc.ID] = true
		if e.Unit != nil {
			st.Units++
			st.ByType[string(e.Unit.Type)]++
			st.Bytes += int64(len(e.Unit.Text))
		} else {
			st.Targets++
			st.ByType[string(corpus.TypeTarget)]++
		}
	}
	st.Documents = len(seen)
	return st
}

// entryIDs returns the id of every entry.
func entryIDs(entries []Entry) []string {
	ids := make([]string, len(entries))
	for i := range entries {
		ids[i] = entries[i].ID()
	}
	return ids
}

// buildShards builds the bleve shards of the entries with ids and
// normalised texts norms into path, concurrently, and writes the order
// file and the bigram postings. Each shard holds a contiguous run of
// entries. The entry files (writeEntryFiles) do not depend on bleve's
// order: callers write them while the shards are built.
func buildShards(ctx context.Context, path, work string, im buildMapping, ids, norms []string, k int, p Progress, clock *phaseClock) ([]ShardMeta, error) {
	metas := make([]ShardMeta, k)
	orders := make([][]uint32, k)
	var done atomic.Int64
	report := func(n int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := done.Add(int64(n))
		if p != nil {
			p(int(d), len(norms))
		}
		return nil
	}
	if p != nil {
		p(0, len(norms))
	}
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i := range k {
		lo, hi := i*len(norms)/k, (i+1)*len(norms)/k
		metas[i] = ShardMeta{Dir: fmt.Sprintf("shard-%d", i), Docs: hi - lo}
		wg.Go(func() {
			if errs[i] = shardJob(gctx, path, work, im, ids, norms, lo, hi, metas[i].Dir, report, &orders[i]); errs[i] != nil {
				cancel() // the other shards stop at their next progress step
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	clock.done("words")
	var seq []uint32
	for _, o := range orders {
		seq = append(seq, o...)
	}
	if err := os.WriteFile(filepath.Join(path, OrderFile), encodeOrder(seq), 0o644); err != nil {
		return nil, fmt.Errorf("write index order: %w", err)
	}
	byOrd := make([]string, len(seq))
	for o, q := range seq {
		byOrd[o] = norms[q]
	}
	if err := writeGrams(ctx, filepath.Join(path, GramsFile), byOrd, runtime.GOMAXPROCS(0)); err != nil {
		return nil, err
	}
	clock.done("bigrams")
	return metas, nil
}

// writeEntryFiles writes what a search reads of each entry besides
// postings, by sequence number: the normalised texts (TextsFile), the
// entries for hits (UnitsFile) and the Columns.
func writeEntryFiles(path string, entries []Entry, norms []string) error {
	if err := writeBlobs(filepath.Join(path, TextsFile), len(norms), func(i int) ([]byte, error) {
		// written, never modified: no copy of every text
		return unsafe.Slice(unsafe.StringData(norms[i]), len(norms[i])), nil
	}); err != nil {
		return err
	}
	// each entry encoded as it is written, in one buffer: a batch's
	// records are several times its text, and holding them all would
	// only feed the collector
	var buf []byte
	if err := writeBlobs(filepath.Join(path, UnitsFile), len(entries), func(i int) ([]byte, error) {
		buf = appendEntry(buf[:0], &entries[i])
		return buf, nil
	}); err != nil {
		return err
	}
	return writeColumns(filepath.Join(path, ColumnsFile), newColumnsOf(entries, norms))
}

// shardJob builds the shard of entries lo to hi (ids and normalised texts
// norms) in path/name and reads back its document order into *order.
func shardJob(ctx context.Context, path, work string, im buildMapping, ids, norms []string, lo, hi int, name string, report func(int) error, order *[]uint32) error {
	dir := filepath.Join(path, name)
	scratch, err := os.MkdirTemp(work, "scratch-")
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	defer os.RemoveAll(scratch)
	if err := buildShard(ctx, dir, scratch, im, ids[lo:hi], norms[lo:hi], report); err != nil {
		return err
	}
	*order, err = shardOrder(dir, lo, hi-lo)
	return err
}

// buildShard writes one bleve index of the entries with ids and
// normalised texts norms into dir with bleve's offline builder, which
// writes segments directly and merges them into one at Close: no
// per-batch persistence, a compact index. Its scratch space stays inside
// scratch.
func buildShard(ctx context.Context, dir, scratch string, im buildMapping, ids, norms []string, report func(int) error) error {
	bld, err := bleve.NewBuilder(dir, im, map[string]interface{}{"batchSize": batchSize, "mergeMax": mergeMax, "buildPathPrefix": scratch})
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	// the words are counted ahead, on every core: bleve's builder
	// analyses and writes its segments on this goroutine, and analysis
	// is a third of its work
	ahead := analyzeAhead(im, norms, runtime.GOMAXPROCS(0))
	defer ahead.close()
	var fields []*wordsField
	// the fields of bleve's current batch: the builder writes a segment
	// of its documents, and drops them, inside the Index call that
	// brings the batch to batchSize documents (scorch.Builder.Index)
	batch := make([]*wordsField, 0, batchSize)
	pending := 0
	for i := range norms {
		if i%analyzeChunk == 0 {
			fields = ahead.take(i / analyzeChunk)
		}
		f := fields[i%analyzeChunk]
		if err := bld.Index(shardDocID(i), f); err != nil {
			// bleve's builder cannot close with no segment: a failed
			// build is abandoned to the cleanup of the work directory
			return fmt.Errorf("index %s: %w", ids[i], err)
		}
		// a batch ends where a chunk does (TestBuildShardRecycles), so
		// no field is shared with the next batch's documents
		if batch = append(batch, f); len(batch) == batchSize {
			ahead.recycle(batch)
			clear(batch)
			batch = batch[:0]
		}
		if pending++; pending == progressStep {
			if err := report(pending); err != nil {
				return err
			}
			pending = 0
		}
	}
	if err := bld.Close(); err != nil {
		return fmt.Errorf("close index: %w", err)
	}
	return report(pending)
}

// normalizeAll returns corpus.Normalize of every entry's text, computed
// by up to workers goroutines: the words field and the bigram postings
// both index the normalised text.
func normalizeAll(entries []Entry, workers int) []string {
	out := make([]string, len(entries))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(entries); i += workers {
				out[i] = entries[i].NormText()
			}
		})
	}
	wg.Wait()
	return out
}
