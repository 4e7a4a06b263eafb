package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/zhengce/zhengce/corpus"
)

// A Segment is one immutable, opened part of an index: bleve shards,
// bigram postings and order file over the entries of a run of documents.
// The base segment is what Build writes; documents added later go into
// delta segments (BuildSegment). Segments are reference counted: an
// Index combined from them (Combine) holds a reference until it is
// closed, so an index serving searches and its successor can share them.
type Segment struct {
	name string
	ix   *Index
	mu   sync.Mutex
	refs int
}

// Name is the segment's directory relative to the index directory.
func (s *Segment) Name() string { return s.name }

// Len is the number of entries of the segment.
func (s *Segment) Len() int { return s.ix.Len() }

// OpenSegment opens the segment in root/name. The caller holds one
// reference, given back with Release.
func OpenSegment(root, name string) (*Segment, error) {
	if err := Register(); err != nil {
		return nil, err
	}
	dir := filepath.Join(root, name)
	m, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	if m.Format != formatVersion {
		return nil, &corpus.Error{Code: corpus.EINVALID,
			Message: fmt.Sprintf("索引由旧版本建立：%s（索引格式 %d，当前版本使用格式 %d），请运行 zhengce index 重新建立索引", dir, m.Format, formatVersion),
			Err:     fmt.Errorf("%w: %w: format %d, this version reads %d", ErrCorrupt, ErrFormat, m.Format, formatVersion)}
	}
	ix, err := openIndex(dir, m)
	if err != nil {
		return nil, err
	}
	return &Segment{name: name, ix: ix, refs: 1}, nil
}

// acquire takes a reference.
func (s *Segment) acquire() {
	s.mu.Lock()
	s.refs++
	s.mu.Unlock()
}

// Release gives back a reference; the last one closes the segment.
func (s *Segment) Release() error {
	s.mu.Lock()
	s.refs--
	last := s.refs == 0
	s.mu.Unlock()
	if last {
		return s.ix.Close()
	}
	return nil
}

// Combine returns an Index over the segments, in order: the ordinals and
// sequence numbers of a segment follow those of the segments before it.
// It takes a reference to each segment, given back when the Index is
// closed.
func Combine(segs []*Segment) *Index {
	n := 0
	for _, s := range segs {
		n += s.ix.Len()
	}
	ix := &Index{n: n}
	base := 0
	for _, s := range segs {
		s.acquire()
		for _, sh := range s.ix.shards {
			sh.base += base
			ix.shards = append(ix.shards, sh)
		}
		for _, g := range s.ix.grams {
			g.base += int32(base)
			ix.grams = append(ix.grams, g)
		}
		for _, p := range s.ix.parts {
			p.base += base
			ix.parts = append(ix.parts, p)
		}
		ix.seqParts = append(ix.seqParts, s.ix)
		base += s.ix.Len()
	}
	ix.release = func() error {
		var errs []error
		for _, s := range segs {
			errs = append(errs, s.Release())
		}
		return errors.Join(errs...)
	}
	return ix
}

// BuildSegment indexes the entries of docs (Entries order) into the new
// directory root/name with seg: a delta segment of an existing index.
// Unlike Build it neither derives a domain dictionary nor swaps
// versions: the caller records the segment in the document store, which
// is what makes it part of the index. A failed build leaves no
// directory.
func BuildSegment(ctx context.Context, root, name string, docs []*corpus.Document, seg *Segmenter) (Stats, error) {
	if seg == nil {
		return Stats{}, corpus.Errorf(corpus.EINTERNAL, "建立索引需要分词器")
	}
	if err := Register(); err != nil {
		return Stats{}, err
	}
	c, err := corpus.New(docs)
	if err != nil {
		return Stats{}, err
	}
	entries := Entries(c)
	if len(entries) == 0 {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "文档中没有可索引的条目")
	}
	start := time.Now()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return Stats{}, fmt.Errorf("create segment: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(dir), ".build-")
	if err != nil {
		return Stats{}, fmt.Errorf("create segment: %w", err)
	}
	defer os.RemoveAll(work)
	path := filepath.Join(work, "segment")
	if err := os.MkdirAll(path, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create segment: %w", err)
	}
	im, err := newMapping(seg)
	if err != nil {
		return Stats{}, err
	}
	norms := normalizeAll(entries, runtime.GOMAXPROCS(0))
	metas, stats, err := buildSegmentFiles(ctx, path, work, buildMapping{IndexMappingImpl: im, seg: seg}, entries, norms, shardCount(len(entries), shardSize), nil, newPhaseClock())
	if err != nil {
		return Stats{}, err
	}
	files, err := manifest(path)
	if err != nil {
		return Stats{}, err
	}
	stats.Seconds = time.Since(start).Seconds()
	meta := Meta{Format: formatVersion, Analyzer: seg.Fingerprint(), Built: time.Now().UTC(), Stats: stats, Shards: metas, Files: files}
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return Stats{}, fmt.Errorf("encode segment meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(path, MetaFile), data, 0o644); err != nil {
		return Stats{}, fmt.Errorf("write segment meta: %w", err)
	}
	// durable before the store refers to it
	if err := syncTree(path); err != nil {
		return Stats{}, err
	}
	if err := os.Rename(path, dir); err != nil {
		return Stats{}, fmt.Errorf("install segment: %w", err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return Stats{}, err
	}
	return stats, nil
}

// EntryCount returns the number of index entries of d: its units and
// targets.
func EntryCount(d *corpus.Document) int { return len(d.Units) + len(d.Targets) }
