// Package store is the document store of an index directory: every
// parsed document (metadata, outline, units, tables, targets), the
// original file it was read from, where it came from, and the table of
// index segments that hold its entries. It adapts go.etcd.io/bbolt: one
// file, a copy-on-write B+tree read through mmap, and ACID transactions,
// so a change (documents added, replaced or removed together with the
// segment that indexes them) is applied completely or not at all, and is
// on disk when Apply returns.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
	bolterr "go.etcd.io/bbolt/errors"

	"github.com/zhengce/zhengce/corpus"
)

// File is the name of the store within an index directory.
const File = "zhengce.db"

// formatVersion is the layout of the store; a store of another layout
// is refused (the index is rebuilt). Layout 2 held its records as JSON:
// it is read as it is, and converted to binary records (codec.go) the
// first time it is opened for writing. Layout 3 held its documents as
// gob, which is still read record by record (doccodec.go): opened for
// writing, it is marked 4 — documents written from then on are binary,
// which a program of layout 3 could not read.
const (
	formatVersion = "4"
	formatGob     = "3"
	formatJSON    = "2"
)

// Buckets.
var (
	bucketMeta     = []byte("meta")     // format, analyzer, rejected files
	bucketDocs     = []byte("docs")     // id → compressed document record (doccodec.go)
	bucketInfo     = []byte("info")     // id → JSON Info
	bucketFiles    = []byte("files")    // id → original file
	bucketSegments = []byte("segments") // name → JSON Segment
	bucketStubs    = []byte("stubs")    // id → JSON stubRecord: what opening an index reads
)

var (
	keyFormat   = []byte("format")
	keyRejected = []byte("rejected")
	keyWarnings = []byte("warnings")
	keyNext     = []byte("next-segment")
	keyAnalyzer = []byte("analyzer")
)

// Info describes where a stored document came from and which segment
// indexes it.
type Info struct {
	ID      string        `json:"id"`
	Origin  string        `json:"origin"` // build, upload, cli, watch:DIR
	Source  string        `json:"source"` // the file's name as given
	Format  corpus.Format `json:"format,omitempty"`
	Stamp   corpus.Stamp  `json:"stamp"`
	Segment string        `json:"segment"` // the segment holding its entries
}

// Segment is one immutable part of the index: a directory of bleve
// shards, bigram postings and order file holding the entries of Docs, in
// that order.
type Segment struct {
	Name    string    `json:"name"` // directory, relative to the index directory ("." for the base)
	Docs    []SegDoc  `json:"docs"`
	Created time.Time `json:"created"`
}

// SegDoc is one document of a segment and how many index entries (units
// and targets) it has there.
type SegDoc struct {
	ID      string `json:"id"`
	Entries int    `json:"entries"`
}

// Put is one document written by a change.
type Put struct {
	Doc      *corpus.Document
	Info     Info
	Original []byte // nil: none kept
}

// Change is one atomic change: documents written (a document of an
// existing id replaces it), documents removed, and the segment that
// indexes the written ones.
type Change struct {
	Puts    []Put
	Removes []string
	Segment *Segment
	// Rejected and Warnings, when not nil, replace the stored lists.
	Rejected []corpus.Rejection
	Warnings []corpus.Warning
}

// Store is an opened document store. It is safe for concurrent use; one
// process at a time may open a store for writing.
type Store struct {
	db   *bolt.DB
	path string
	enc  *zstd.Encoder
	dec  *zstd.Decoder
}

// Options tune Open.
type Options struct {
	// ReadOnly opens the store for reading only (several processes may).
	ReadOnly bool
	// Timeout bounds the wait for another process's lock; zero means 1 s.
	Timeout time.Duration
}

// ErrLocked reports a store opened for writing by another process.
var ErrLocked = errors.New("store is locked by another process")

// Create creates a new, empty store at path, which must not exist.
func Create(path string) (*Store, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, corpus.Errorf(corpus.EINVALID, "文档库已存在：%s", path)
	}
	s, err := open(path, Options{})
	if err != nil {
		return nil, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketDocs, bucketInfo, bucketFiles, bucketSegments, bucketStubs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("create bucket %s: %w", b, err)
			}
		}
		return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatVersion))
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("create document store: %w", err)
	}
	return s, nil
}

// Open opens the existing store at path.
func Open(path string, opt Options) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引目录中没有文档库：" + path, Err: err}
	}
	s, err := open(path, opt)
	if err != nil {
		return nil, err
	}
	var format string
	err = s.view(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketDocs, bucketInfo, bucketFiles, bucketSegments, bucketStubs} {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("bucket %s missing", b)
			}
		}
		format = string(tx.Bucket(bucketMeta).Get(keyFormat))
		return nil
	})
	switch {
	case err != nil:
	case format == formatJSON && !opt.ReadOnly:
		err = s.convert()
	case format == formatGob && !opt.ReadOnly:
		err = s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatVersion)) })
	case format != formatVersion && format != formatGob && format != formatJSON:
		err = fmt.Errorf("format %q, want %q", format, formatVersion)
	}
	if err != nil {
		s.Close()
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "文档库格式不符，请重新建立索引：" + path, Err: err}
	}
	return s, nil
}

// writerMmapSize is the size a writable store maps its file with from
// the start. bbolt maps the file anew whenever it outgrows the mapping
// (doubling up to 1 GB), and each time first copies every key and value
// the open write transaction holds out of the old mapping: a build's
// transaction of a batch of documents and their originals was copied
// about a dozen times as the file grew (15 % of a build's allocations),
// and a remapping writer waits for every read transaction, which new
// ones then wait behind. Mapping 1 GB at once reserves address space
// only: pages enter memory when they are read.
const writerMmapSize = 1 << 30

func open(path string, opt Options) (*Store, error) {
	timeout := opt.Timeout
	if timeout == 0 {
		timeout = time.Second
	}
	db, err := guarded(func() (*bolt.DB, error) {
		o := &bolt.Options{Timeout: timeout, ReadOnly: opt.ReadOnly, FreelistType: bolt.FreelistMapType}
		if !opt.ReadOnly {
			o.InitialMmapSize = writerMmapSize
		}
		return bolt.Open(path, 0o644, o)
	})
	if errors.Is(err, bolterr.ErrTimeout) {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引正被另一个进程（如 zhengce serve）使用；运行中的服务请用 POST /api/documents 或管理页面修改文档", Err: ErrLocked}
	}
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法打开文档库：" + path, Err: err}
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("zstd decoder: %w", err)
	}
	return &Store{db: db, path: path, enc: enc, dec: dec}, nil
}

// convert rewrites the JSON records of a store of layout 2 in the binary
// layout and marks it with formatVersion, in one transaction (its
// documents stay gob records, read as they are).
func (s *Store) convert() error {
	type recode struct {
		bucket []byte
		fn     func([]byte) ([]byte, error)
	}
	steps := []recode{
		{bucketInfo, func(v []byte) ([]byte, error) {
			in, err := decodeInfo(v)
			if err != nil {
				return nil, err
			}
			return encodeInfo(in)
		}},
		{bucketStubs, func(v []byte) ([]byte, error) {
			r, err := decodeStub(v)
			if err != nil {
				return nil, err
			}
			return encodeStub(r), nil
		}},
		{bucketSegments, func(v []byte) ([]byte, error) {
			sg, err := decodeSegment(v)
			if err != nil {
				return nil, err
			}
			return encodeSegment(&sg)
		}},
	}
	err := s.update(func(tx *bolt.Tx) error {
		for _, st := range steps {
			b := tx.Bucket(st.bucket)
			var keys, vals [][]byte
			if err := b.ForEach(func(k, v []byte) error {
				if !isJSON(v) {
					return nil
				}
				nv, err := st.fn(v)
				if err != nil {
					return fmt.Errorf("%s %s: %w", st.bucket, k, err)
				}
				// copied: a Put may remap the file the key points into
				keys, vals = append(keys, slices.Clone(k)), append(vals, nv)
				return nil
			}); err != nil {
				return err
			}
			for i, k := range keys { // after the walk: a Put moves the cursor's pages
				if err := b.Put(k, vals[i]); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatVersion))
	})
	if err != nil {
		return fmt.Errorf("convert the store to layout %s: %w", formatVersion, err)
	}
	return nil
}

// guarded calls fn, turning a panic or memory fault of bbolt over a
// damaged file (its page checks assert, and a damaged page id points
// outside the mapping) into an EINVALID error.
func guarded[T any](fn func() (T, error)) (v T, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &corpus.Error{Code: corpus.EINVALID, Message: "文档库已损坏，请重新建立索引", Err: fmt.Errorf("bbolt: %v", r)}
		}
	}()
	return fn()
}

// view runs fn in a read transaction, guarded.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	_, err := guarded(func() (struct{}, error) { return struct{}{}, s.db.View(fn) })
	return err
}

// update runs fn in a write transaction, guarded.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	_, err := guarded(func() (struct{}, error) { return struct{}{}, s.db.Update(fn) })
	return err
}

// Close closes the store.
func (s *Store) Close() error {
	s.dec.Close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close document store: %w", err)
	}
	return nil
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// stubRecord is a document's metadata and the counts of its body.
type stubRecord struct {
	Meta   corpus.Meta   `json:"meta"`
	Counts corpus.Counts `json:"counts"`
}

// encodeDoc returns the compressed record of d, built in scratch, and
// scratch for the next document (records are built in one buffer, grown
// to the largest).
func (s *Store) encodeDoc(scratch []byte, d *corpus.Document) (data, next []byte, err error) {
	rec, err := appendDoc(scratch[:0], d)
	if err != nil {
		return nil, scratch, fmt.Errorf("encode document %s: %w", d.ID, err)
	}
	return s.enc.EncodeAll(rec, make([]byte, 0, len(rec)/3)), rec, nil
}

func (s *Store) decodeDoc(id string, data []byte) (*corpus.Document, error) {
	raw, err := s.dec.DecodeAll(data, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress document %s: %w", id, err)
	}
	if len(raw) == 0 || raw[0] != docMarker {
		return decodeGobDoc(id, raw)
	}
	d, err := decodeDocRecord(raw)
	if err != nil {
		return nil, fmt.Errorf("decode document %s: %w", id, err)
	}
	if d.ID != id {
		return nil, fmt.Errorf("document %s: record of %s", id, d.ID)
	}
	return d, nil
}

// Apply writes ch in one transaction: when it returns nil the change is
// durable; when it fails nothing of it is stored.
func (s *Store) Apply(ch Change) error {
	type enc struct {
		id   string
		doc  []byte
		info []byte
		stub []byte
	}
	// encode outside the write transaction, which is exclusive
	encs := make([]enc, len(ch.Puts))
	var scratch []byte
	for i, p := range ch.Puts {
		var doc []byte
		var err error
		doc, scratch, err = s.encodeDoc(scratch, p.Doc)
		if err != nil {
			return err
		}
		p.Info.ID = p.Doc.ID
		info, err := encodeInfo(p.Info)
		if err != nil {
			return err
		}
		encs[i] = enc{p.Doc.ID, doc, info, encodeStub(stubRecord{Meta: p.Doc.Meta, Counts: p.Doc.Counts()})}
	}
	var seg []byte
	if ch.Segment != nil {
		var err error
		if seg, err = encodeSegment(ch.Segment); err != nil {
			return err
		}
	}
	err := s.update(func(tx *bolt.Tx) error {
		docs, info, files, segs, meta, stubs := tx.Bucket(bucketDocs), tx.Bucket(bucketInfo), tx.Bucket(bucketFiles), tx.Bucket(bucketSegments), tx.Bucket(bucketMeta), tx.Bucket(bucketStubs)
		touched := map[string]bool{} // segments that lost a document
		drop := func(id string) error {
			if old := info.Get([]byte(id)); old != nil {
				in, err := decodeInfo(old)
				if err != nil {
					return fmt.Errorf("document info %s: %w", id, err)
				}
				touched[in.Segment] = true
			}
			for _, b := range []*bolt.Bucket{docs, info, files, stubs} {
				if err := b.Delete([]byte(id)); err != nil {
					return err
				}
			}
			return nil
		}
		for _, id := range ch.Removes {
			if info.Get([]byte(id)) == nil {
				return corpus.Errorf(corpus.ENOTFOUND, "没有编号为 %s 的文档", id)
			}
			if err := drop(id); err != nil {
				return err
			}
		}
		for i, e := range encs {
			if err := drop(e.id); err != nil {
				return err
			}
			if err := docs.Put([]byte(e.id), e.doc); err != nil {
				return err
			}
			if err := info.Put([]byte(e.id), e.info); err != nil {
				return err
			}
			if err := stubs.Put([]byte(e.id), e.stub); err != nil {
				return err
			}
			if o := ch.Puts[i].Original; o != nil {
				if err := files.Put([]byte(e.id), o); err != nil {
					return err
				}
			}
		}
		if seg != nil {
			if err := segs.Put([]byte(ch.Segment.Name), seg); err != nil {
				return err
			}
		}
		// a segment left without live documents is dropped from the
		// table (its directory is removed by Collect)
		if err := dropEmpty(info, segs, touched); err != nil {
			return err
		}
		if ch.Rejected != nil {
			if err := putJSON(meta, keyRejected, ch.Rejected); err != nil {
				return err
			}
		}
		if ch.Warnings != nil {
			if err := putJSON(meta, keyWarnings, ch.Warnings); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		var ce *corpus.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("write document store: %w", err)
	}
	return nil
}

// dropEmpty deletes from the segment table the touched segments that no
// longer index a document; the base segment "." always stays.
func dropEmpty(info, segs *bolt.Bucket, touched map[string]bool) error {
	for name := range touched {
		raw := segs.Get([]byte(name))
		if raw == nil || name == "." {
			continue
		}
		sg, err := decodeSegment(raw)
		if err != nil {
			return fmt.Errorf("segment %s: %w", name, err)
		}
		if !liveIn(info, &sg) {
			if err := segs.Delete([]byte(name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// liveIn reports whether a document of sg is still indexed by it.
func liveIn(info *bolt.Bucket, sg *Segment) bool {
	for _, d := range sg.Docs {
		raw := info.Get([]byte(d.ID))
		if raw == nil {
			continue
		}
		if in, err := decodeInfo(raw); err == nil && in.Segment == sg.Name {
			return true
		}
	}
	return false
}

// NextSegment returns a new segment name, unique within the store.
func (s *Store) NextSegment() (string, error) {
	var name string
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		n := 1
		if v := meta.Get(keyNext); v != nil {
			var err error
			if n, err = strconv.Atoi(string(v)); err != nil {
				return fmt.Errorf("segment counter: %w", err)
			}
		}
		name = fmt.Sprintf("delta/%06d", n)
		return meta.Put(keyNext, []byte(strconv.Itoa(n+1)))
	})
	if err != nil {
		return "", fmt.Errorf("document store: %w", err)
	}
	return name, nil
}

// Snapshot is a consistent view of the store: every document, its info,
// and the segments, read in one transaction.
type Snapshot struct {
	Docs     []*corpus.Document // stubs (corpus.NewStub), by id; Document loads a body
	Info     map[string]Info
	Segments []Segment // in order of creation, the base first
	Rejected []corpus.Rejection
	Warnings []corpus.Warning
	Analyzer string
}

// Read returns a consistent snapshot of the store. Documents are
// decoded on every core.
func (s *Store) Read() (*Snapshot, error) {
	snap := &Snapshot{Info: map[string]Info{}}
	type raw struct {
		id   string
		data []byte // the store's own bytes: valid inside the transaction
	}
	var infos, segs, stubs []raw
	var infoOut []Info
	err := s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		snap.Analyzer = string(meta.Get(keyAnalyzer))
		if v := meta.Get(keyRejected); v != nil {
			if err := json.Unmarshal(v, &snap.Rejected); err != nil {
				return fmt.Errorf("rejected files: %w", err)
			}
		}
		if v := meta.Get(keyWarnings); v != nil {
			if err := json.Unmarshal(v, &snap.Warnings); err != nil {
				return fmt.Errorf("warnings: %w", err)
			}
		}
		collect := func(bucket []byte, out *[]raw) error {
			return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
				*out = append(*out, raw{string(k), v})
				return nil
			})
		}
		if err := errors.Join(collect(bucketInfo, &infos), collect(bucketSegments, &segs), collect(bucketStubs, &stubs)); err != nil {
			return err
		}
		// every record is decoded on every core, inside the transaction:
		// no copy of the records
		infoOut = make([]Info, len(infos))
		snap.Segments = make([]Segment, len(segs))
		snap.Docs = make([]*corpus.Document, len(stubs))
		errs := make([]error, len(infos)+len(segs)+len(stubs))
		parallel(len(errs), func(i int) {
			switch {
			case i < len(segs): // the largest first
				var err error
				if snap.Segments[i], err = decodeSegment(segs[i].data); err != nil {
					errs[i] = fmt.Errorf("segment %s: %w", segs[i].id, err)
				}
			case i < len(segs)+len(infos):
				r := infos[i-len(segs)]
				var err error
				if infoOut[i-len(segs)], err = decodeInfo(r.data); err != nil {
					errs[i] = fmt.Errorf("document info %s: %w", r.id, err)
				}
			default:
				k := i - len(segs) - len(infos)
				r, err := decodeStub(stubs[k].data)
				if err != nil {
					errs[i] = fmt.Errorf("document metadata %s: %w", stubs[k].id, err)
					return
				}
				if r.Meta.ID != stubs[k].id {
					errs[i] = fmt.Errorf("document metadata %s: names %s", stubs[k].id, r.Meta.ID)
					return
				}
				snap.Docs[k] = corpus.NewStub(r.Meta, r.Counts)
			}
		})
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "文档库已损坏，请重新建立索引", Err: err}
	}
	for i, in := range infoOut {
		snap.Info[infos[i].id] = in
	}
	for _, d := range snap.Docs {
		if _, ok := snap.Info[d.ID]; !ok {
			return nil, corpus.Errorf(corpus.EINVALID, "文档库已损坏（文档 %s 缺少来源信息），请重新建立索引", d.ID)
		}
	}
	// base first, then deltas in order of creation
	slices.SortStableFunc(snap.Segments, func(a, b Segment) int {
		switch {
		case a.Name == b.Name:
			return 0
		case a.Name == ".":
			return -1
		case b.Name == ".":
			return 1
		case a.Name < b.Name:
			return -1
		}
		return 1
	})
	return snap, nil
}

// Document loads the stored document with the given id.
func (s *Store) Document(id string) (*corpus.Document, error) {
	raw, err := s.get(bucketDocs, id, "未找到文档："+id)
	if err != nil {
		return nil, err
	}
	d, err := s.decodeDoc(id, raw)
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "文档库中的文档已损坏：" + id, Err: err}
	}
	return d, nil
}

// Original returns the original file of a document.
func (s *Store) Original(id string) ([]byte, error) {
	return s.get(bucketFiles, id, "文档 "+id+" 的原始文件不可用")
}

// get returns a copy of the value of id in bucket, or an ENOTFOUND error
// with the message missing.
func (s *Store) get(bucket []byte, id, missing string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(id))
		if v == nil {
			return corpus.Errorf(corpus.ENOTFOUND, "%s", missing)
		}
		out = slices.Clone(v)
		return nil
	})
	if err != nil {
		var ce *corpus.Error
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, fmt.Errorf("read %s %s: %w", bucket, id, err)
	}
	return out, nil
}

// SetAnalyzer records the fingerprint of the segmenter the index was
// built with.
func (s *Store) SetAnalyzer(fp string) error {
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keyAnalyzer, []byte(fp))
	}); err != nil {
		return fmt.Errorf("document store: %w", err)
	}
	return nil
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, data)
}

// parallel calls fn(i) for i in [0, n) on every core.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// Regroup records that seg now indexes the documents ids (a merge of
// segments): in one transaction their info names seg, seg is added, and
// the segments left without documents are dropped. The documents and
// their original files stay as they are.
func (s *Store) Regroup(seg Segment, ids []string) error {
	data, err := encodeSegment(&seg)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		info, segs := tx.Bucket(bucketInfo), tx.Bucket(bucketSegments)
		touched := map[string]bool{}
		for _, id := range ids {
			raw := info.Get([]byte(id))
			if raw == nil {
				return corpus.Errorf(corpus.ENOTFOUND, "没有编号为 %s 的文档", id)
			}
			in, err := decodeInfo(raw)
			if err != nil {
				return fmt.Errorf("document info %s: %w", id, err)
			}
			touched[in.Segment] = true
			in.Segment = seg.Name
			v, err := encodeInfo(in)
			if err != nil {
				return err
			}
			if err := info.Put([]byte(id), v); err != nil {
				return err
			}
		}
		if err := segs.Put([]byte(seg.Name), data); err != nil {
			return err
		}
		return dropEmpty(info, segs, touched)
	})
	if err != nil {
		var ce *corpus.Error
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("write document store: %w", err)
	}
	return nil
}
