package indexer

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
)

// StreamBuilder builds a new index from documents handed over in batches
// (corpus.Loader.StreamDir), in bounded memory: each batch becomes a
// segment of its own — bleve shards, bigram postings, texts and entries —
// and its documents and original files go to the store, so nothing of a
// batch is kept once it is indexed but the domain dictionary's word set
// and the fingerprints. Bleve indexes a batch in the background while
// the next one is stored (see Add). The first batch is the base segment,
// later ones parts. Like Build, the new index replaces the old one only
// in Finish, atomically; Abort (or a failed Finish) leaves the old one
// untouched.
type StreamBuilder struct {
	ctx     context.Context
	dir     string // the index path (a link to the current version)
	work    string // the build's private directory
	path    string // work/index: the version being built
	release func()
	load    func() (*Segmenter, error)
	seg     *Segmenter // from load, at the first batch
	im      buildMapping
	st      *store.Store
	cores   *corpus.Cores
	// shardSize bounds a batch's bleve shards (batchShardSize; tests
	// set it lower)
	shardSize int
	dict      *dictScan
	hash      *corpusHash
	meta      Meta // of the base segment
	parts     []string
	// segments counts the batches added; running is the one whose words
	// index is being built (see Add), counted in meta, parts and stats
	// by wait
	segments int
	running  *segmentJob
	// known holds the checksums of the parts' files (by name in the
	// index), summed as each part was written: Finish's manifest does
	// not read them again
	known map[string]FileSum
	// syncs are the parts being synced to disk in the background, as
	// they are written, instead of all at the end (syncErr: the first
	// failure)
	syncs   sync.WaitGroup
	syncMu  sync.Mutex
	syncErr error
	// syncPart syncs a part's directory tree (syncTree; tests fail it)
	syncPart func(dir string) error
	stats    Stats
	start    time.Time
	p        Progress
	done     bool
}

// NewStreamBuilder starts a build of a new index in dir with seg (gse's
// full dictionary: a domain dictionary is exact only for its own corpus).
// p, when not nil, is told the documents indexed so far (total 0: not
// known in advance).
func NewStreamBuilder(ctx context.Context, dir string, seg *Segmenter, p Progress) (*StreamBuilder, error) {
	if seg == nil {
		return nil, corpus.Errorf(corpus.EINTERNAL, "建立索引需要分词器")
	}
	return NewStreamBuilderLoading(ctx, dir, func() (*Segmenter, error) { return seg, nil }, p)
}

// NewStreamBuilderLoading is NewStreamBuilder with a segmenter that may
// still be loading: load is called once, by the first Add that has
// entries, so gse's dictionary (seconds to load) loads while the first
// batch is parsed. The index directory is checked and claimed at once.
func NewStreamBuilderLoading(ctx context.Context, dir string, load func() (*Segmenter, error), p Progress) (*StreamBuilder, error) {
	if err := Register(); err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	if err := checkTarget(dir); err != nil {
		return nil, err
	}
	work, release, err := newWorkDir(dir)
	if err != nil {
		return nil, err
	}
	b := &StreamBuilder{ctx: ctx, dir: dir, work: work, path: filepath.Join(work, "index"), release: release, load: load,
		hash: newCorpusHash(), start: time.Now(), p: p, stats: Stats{ByType: map[string]int{}}, known: map[string]FileSum{}, syncPart: syncTree,
		cores: corpus.NewCores(runtime.GOMAXPROCS(0)), shardSize: batchShardSize}
	fail := func(err error) (*StreamBuilder, error) {
		b.Abort()
		return nil, err
	}
	if err := os.MkdirAll(b.path, 0o755); err != nil {
		return fail(fmt.Errorf("create index: %w", err))
	}
	if b.st, err = store.Create(filepath.Join(b.path, store.File)); err != nil {
		return fail(err)
	}
	return b, nil
}

// Cores returns the cores the build's steps share: the loader that parses
// the batches should hold them too (corpus.Loader.Cores). Bleve's builder
// indexes a shard on one goroutine, the longest step of a batch, and
// the build of a batch holds a core for as long as it runs; storing a batch, writing its
// entry files and parsing the next ones share the others, so they do not
// slow it down. A build whose loader does not share them is correct, only
// slower.
func (b *StreamBuilder) Cores() *corpus.Cores { return b.cores }

// setup takes the segmenter from b.load and prepares what depends on it:
// the mapping, the domain dictionary's scan and the store's analyzer.
func (b *StreamBuilder) setup() error {
	seg, err := b.load()
	if err != nil {
		return err
	}
	if seg == nil {
		return corpus.Errorf(corpus.EINTERNAL, "建立索引需要分词器")
	}
	im, err := newMapping(seg)
	if err != nil {
		return err
	}
	dict, err := seg.newDictScan()
	if err != nil {
		return err
	}
	if err := b.st.SetAnalyzer(seg.Fingerprint()); err != nil {
		return err
	}
	b.seg, b.im, b.dict = seg, buildMapping{IndexMappingImpl: im, seg: seg}, dict
	if dict.marking() {
		// the words' segmentation scans the texts it segments for the
		// domain dictionary (see store)
		b.im.scan = dict
	}
	return nil
}

// Add indexes a batch of documents (in corpus order, after those of the
// batches before) as one segment and stores them with their original
// files (read with batch.Original).
//
// Add is pipelined: it returns once the batch is stored and its entry
// files written, while bleve still builds its words index in the
// background — one batch at a time, holding one of Cores for as long as
// it runs; a batch is one bleve shard, or one per core when it holds more
// than batchShardSize entries — and the next Add, or Finish, waits for it
// and reports its error. Only the normalised texts of a batch are kept
// for that build, not its documents.
func (b *StreamBuilder) Add(batch *corpus.Corpus) error {
	if b.done || b.st == nil { // finished, or abandoned (Abort, a failed Finish)
		return corpus.Errorf(corpus.EINTERNAL, "索引已完成或已放弃，不能再添加")
	}
	ctx := b.ctx
	if err := ctx.Err(); err != nil {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "建立索引已取消", Err: err}
	}
	docs := batch.Documents()
	entries := Entries(batch)
	if len(entries) == 0 {
		return nil
	}
	// the first batch's documents and entry files are stored while gse's
	// dictionary may still be loading: only its domain dictionary scan
	// and its bleve build need the segmenter (see store)
	var setupErr error
	var setupDone chan struct{}
	if b.seg == nil {
		setupDone = make(chan struct{})
		go func() {
			defer close(setupDone)
			setupErr = b.setup()
		}()
	}
	name, dir := ".", b.path
	first := b.segments == 0
	if !first {
		name = fmt.Sprintf("part/%06d", b.segments)
		dir = filepath.Join(b.path, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create segment: %w", err)
		}
	}
	b.segments++
	norms := normalizeAll(entries, runtime.GOMAXPROCS(0))
	st := entryStats(entries)
	ids := entryIDs(entries)
	// The batch's documents go to the store, its texts to the domain
	// dictionary and its entry files to the segment while bleve still
	// indexes the batch before: bleve's builder indexes a shard on one
	// goroutine, and the other cores would otherwise wait for it.
	var stored, written error
	var wg sync.WaitGroup
	wg.Go(func() {
		b.cores.Acquire()
		defer b.cores.Release()
		stored = b.store(batch, docs, name, setupDone)
	})
	wg.Go(func() {
		b.cores.Acquire()
		defer b.cores.Release()
		written = writeEntryFiles(dir, entries, norms)
	})
	wg.Wait()
	if setupDone != nil {
		<-setupDone
	}
	prev := b.wait()
	if err := errors.Join(setupErr, prev, stored, written); err != nil {
		return err
	}
	job := &segmentJob{name: name, first: first, st: st, done: make(chan struct{})}
	b.running = job
	go func() {
		defer close(job.done)
		b.cores.Acquire()
		defer b.cores.Release()
		job.metas, job.files, job.err = b.index(ctx, dir, first, st, ids, norms)
		if job.err == nil && !first {
			b.syncLater(dir)
		}
	}()
	return nil
}

// syncLater syncs a written part's files and directories to disk in the
// background: by Finish, which syncs the whole index before installing
// it, they are clean, and the end of a build does not wait for the last
// gigabytes the kernel had not written back yet. Finish and Abort wait
// for it.
func (b *StreamBuilder) syncLater(dir string) {
	b.syncs.Go(func() {
		if err := b.syncPart(dir); err != nil {
			b.syncMu.Lock()
			b.syncErr = cmp.Or(b.syncErr, fmt.Errorf("sync segment: %w", err))
			b.syncMu.Unlock()
		}
	})
}

// waitSyncs waits for the parts being synced and returns the first
// failure.
func (b *StreamBuilder) waitSyncs() error {
	b.syncs.Wait()
	b.syncMu.Lock()
	defer b.syncMu.Unlock()
	return b.syncErr
}

// segmentJob is the bleve build of a batch running in the background.
type segmentJob struct {
	name  string
	first bool
	st    Stats
	done  chan struct{}
	metas []ShardMeta // set with files and err before done is closed
	files []FileSum   // a part's files, its description included
	err   error
}

// wait waits for the batch being indexed in the background, if any, and
// counts it in the index, or returns its error.
func (b *StreamBuilder) wait() error {
	job := b.running
	if job == nil {
		return nil
	}
	<-job.done
	b.running = nil
	if job.err != nil {
		return job.err
	}
	if job.first {
		b.meta.Shards = job.metas
	} else {
		b.parts = append(b.parts, job.name)
		for _, f := range job.files {
			f.Name = job.name + "/" + f.Name
			b.known[f.Name] = f
		}
	}
	b.stats.Documents += job.st.Documents
	b.stats.Units += job.st.Units
	b.stats.Targets += job.st.Targets
	b.stats.Bytes += job.st.Bytes
	for k, v := range job.st.ByType {
		b.stats.ByType[k] += v
	}
	return nil
}

// index writes the words index of a batch into its segment dir — bleve
// shard, order and bigram postings — and, for a part (every segment after
// the base), the segment's description; it returns a part's files with
// their checksums, the description's included. The entry files are
// already written; wait counts the batch in the index. It runs while Add
// stores the next batch, and reads b.stats, which only wait (before the
// job starts, after it ends) writes.
func (b *StreamBuilder) index(ctx context.Context, dir string, first bool, st Stats, ids, norms []string) ([]ShardMeta, []FileSum, error) {
	report := func(done, _ int) {
		if b.p != nil {
			b.p(b.stats.Units+b.stats.Targets+done, 0)
		}
	}
	metas, err := buildShards(ctx, dir, b.work, b.im, ids, norms, shardCount(len(norms), b.shardSize), report, newPhaseClock())
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, &corpus.Error{Code: corpus.ETIMEOUT, Message: "建立索引已取消", Err: err}
		}
		return nil, nil, err
	}
	if first {
		return metas, nil, nil
	}
	files, err := manifest(dir)
	if err != nil {
		return nil, nil, err
	}
	m := Meta{Format: formatVersion, Analyzer: b.seg.Fingerprint(), Built: time.Now().UTC(), Stats: st, Shards: metas, Files: files}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, fmt.Errorf("encode segment meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, MetaFile), data, 0o644); err != nil {
		return nil, nil, fmt.Errorf("write segment meta: %w", err)
	}
	files = append(files, FileSum{Name: MetaFile, Size: int64(len(data)), CRC32C: crc32.Checksum(data, castagnoli)})
	return metas, files, nil
}

// store adds a batch's documents, originals and segment (name) to the
// store, and its texts to the corpus fingerprint and, once setup (when
// not nil: the first batch's segmenter still loading) is closed, to the
// domain dictionary; with no segmenter then (its setup failed, which Add
// reports) the scan is left out.
func (b *StreamBuilder) store(batch *corpus.Corpus, docs []*corpus.Document, name string, setup <-chan struct{}) error {
	ctx := b.ctx
	sg := store.Segment{Name: name, Created: time.Now().UTC(), Docs: make([]store.SegDoc, len(docs))}
	ch := store.Change{Segment: &sg}
	for i, d := range docs {
		b.hash.add(d)
		sg.Docs[i] = store.SegDoc{ID: d.ID, Entries: EntryCount(d)}
		p := store.Put{Doc: d, Info: store.Info{Origin: OriginBuild, Source: d.Source, Format: d.Format, Segment: name}}
		data, _, err := batch.Original(ctx, d.ID)
		switch {
		case err == nil:
			sum := sha256.Sum256(data)
			p.Original = data
			p.Info.Stamp = corpus.Stamp{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
		case corpus.ErrorCode(err) != corpus.ENOTFOUND:
			return err
		}
		ch.Puts = append(ch.Puts, p)
	}
	if err := b.st.Apply(ch); err != nil {
		return err
	}
	if setup != nil {
		<-setup
		if b.dict == nil {
			return nil
		}
	}
	// the domain dictionary and the fingerprint see the texts in
	// corpus order, as a build in one piece would; the unit and target
	// texts (the even ones of IndexedTexts), segmented for the words
	// index, are scanned there, as they are segmented (b.im.scan)
	texts := IndexedTexts(batch)
	if b.im.scan != nil {
		b.dict.addSkipping(texts, func(i int) bool { return i%2 == 0 })
	} else {
		b.dict.add(texts)
	}
	return nil
}

// Finish writes the domain dictionary and the description of the index,
// with the files that were not indexed, and makes it the index of dir.
func (b *StreamBuilder) Finish(rejected []corpus.Rejection, warnings []corpus.Warning) (st Stats, err error) {
	if b.done || b.st == nil {
		return Stats{}, corpus.Errorf(corpus.EINTERNAL, "索引已完成或已放弃")
	}
	defer func() { // the work directory goes whatever happens
		if aerr := b.Abort(); aerr != nil && err == nil {
			err = aerr
		}
	}()
	if err := errors.Join(b.wait(), b.waitSyncs()); err != nil {
		return Stats{}, err
	}
	if len(b.meta.Shards) == 0 {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "语料中没有可索引的条目")
	}
	if err := b.st.Apply(store.Change{Rejected: nonNil(rejected), Warnings: nonNil(warnings)}); err != nil {
		return Stats{}, err
	}
	err = b.st.Close()
	b.st = nil
	if err != nil {
		return Stats{}, err
	}
	data, err := b.dict.bytes()
	if err != nil {
		return Stats{}, err
	}
	if err := os.WriteFile(filepath.Join(b.path, DictFile), data, 0o644); err != nil {
		return Stats{}, fmt.Errorf("write domain dictionary: %w", err)
	}
	files, err := manifestWith(b.path, b.known)
	if err != nil {
		return Stats{}, err
	}
	b.stats.Seconds = time.Since(b.start).Seconds()
	m := b.meta
	m.Format, m.Corpus, m.Analyzer, m.Built, m.Stats, m.Parts, m.Files = formatVersion, b.hash.sum(), b.seg.Fingerprint(), time.Now().UTC(), b.stats, b.parts, files
	meta, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Stats{}, fmt.Errorf("encode index meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.path, MetaFile), meta, 0o644); err != nil {
		return Stats{}, fmt.Errorf("write index meta: %w", err)
	}
	if err := install(b.dir, b.path); err != nil {
		return Stats{}, err
	}
	b.done = true
	b.stats.Seconds = time.Since(b.start).Seconds()
	return b.stats, nil
}

// Abort abandons the build (a no-op after a successful Finish): the
// previous index stays.
func (b *StreamBuilder) Abort() error {
	// the batch being indexed writes into the work directory: it ends
	// first; a cancelled build's error is already the caller's
	var errs []error
	if err := b.wait(); err != nil && b.ctx.Err() == nil {
		errs = append(errs, err)
	}
	// a part being synced is in the work directory, going below (its
	// error, if any, is Finish's to report)
	b.syncs.Wait()
	if b.st != nil {
		errs = append(errs, b.st.Close())
		b.st = nil
	}
	if b.release != nil {
		b.release()
		b.release = nil
		if b.ctx.Err() != nil {
			go os.RemoveAll(b.work) // see Build: answer an interrupt at once
		} else {
			errs = append(errs, os.RemoveAll(b.work))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove abandoned build: %w", err)
	}
	return nil
}
