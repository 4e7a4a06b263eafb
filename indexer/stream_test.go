package indexer

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
	"github.com/zhengce/zhengce/indexer/store"
)

// streamSeeds is the seed corpus parsed once for the tests of this file,
// which split it into batches (corpus.New of a batch links the versions
// of its documents anew: nothing indexed depends on them).
var streamSeeds = sync.OnceValues(parse.Seeds)

// seedBatches splits the seed corpus, in id order, into k batches as
// StreamDir hands them over.
func seedBatches(t *testing.T, k int) []*corpus.Corpus {
	t.Helper()
	c, err := streamSeeds()
	if err != nil {
		t.Fatal(err)
	}
	docs := c.Documents()
	if len(docs) < k {
		t.Fatalf("%d seed documents for %d batches", len(docs), k)
	}
	var out []*corpus.Corpus
	for i := range k {
		b, err := corpus.New(slices.Clone(docs[i*len(docs)/k : (i+1)*len(docs)/k]))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// entryColumns are the column values of one entry, resolved.
type entryColumns struct {
	Type, Part, Title string
	Themes            []string
	Target            uint64 // bits, NaN included
	Runes, Content    int32
}

// columnsBySeq resolves the columns of every entry of ix by sequence
// number, over all its parts.
func columnsBySeq(ix *Index) []entryColumns {
	out := make([]entryColumns, ix.Len())
	ix.Parts(func(base int, c *Columns) {
		for i := range c.Len() {
			e := entryColumns{Type: c.Types[c.Type[i]], Part: c.Parts[c.Part[i]], Title: c.EntryTitle(i, ix.NormText(base+i)),
				Target: math.Float64bits(c.Target[i]), Runes: c.Runes[i], Content: c.Content[i]}
			for _, th := range c.EntryThemes(i) {
				e.Themes = append(e.Themes, c.Themes[th])
			}
			out[base+i] = e
		}
	})
	return out
}

// candidateSeqs returns the sequence numbers of the entries whose text
// holds every bigram of phrase, sorted.
func candidateSeqs(t *testing.T, ix *Index, phrase string) []uint32 {
	t.Helper()
	ords, err := ix.Candidates(GramKeys(corpus.Normalize(phrase)))
	if err != nil {
		t.Fatal(err)
	}
	seq := ix.SeqTable()
	out := make([]uint32, len(ords))
	for i, o := range ords {
		out[i] = seq[o]
	}
	slices.Sort(out)
	return out
}

// storeSnapshot reads the document store of the index in dir.
func storeSnapshot(t *testing.T, dir string) *store.Snapshot {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, store.File), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.Read()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestStreamBuilderMatchesBuild streams the seed corpus in three batches
// and checks that the index is the one Build writes in one piece: the
// same entries by sequence number (texts, records, columns), the same
// candidates for phrases, corpus fingerprint, domain dictionary and
// statistics, and a store of every document with the batches as its
// segments.
func TestStreamBuilderMatchesBuild(t *testing.T) {
	t.Run("a shard a batch", func(t *testing.T) { testStreamBuilderMatchesBuild(t, batchShardSize) })
	// batches larger than the bound are split into shards built
	// concurrently (when there are cores for them)
	t.Run("shards of 100 entries", func(t *testing.T) { testStreamBuilderMatchesBuild(t, 100) })
}

func testStreamBuilderMatchesBuild(t *testing.T, shardSize int) {
	whole := builtIndex(t) // Build of parse.Seeds()
	dir := filepath.Join(t.TempDir(), "idx")
	b, err := NewStreamBuilder(context.Background(), dir, segmenter(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	b.shardSize = shardSize
	batches := seedBatches(t, 3)
	var rejected []corpus.Rejection
	for _, batch := range batches {
		if err := b.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	rejected = []corpus.Rejection{{Source: "坏文件.pdf", Reason: "无法读取"}}
	warnings := []corpus.Warning{{Source: "a.txt", Message: "编号已改为 a_txt"}}
	st, err := b.Finish(rejected, warnings)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Finish(nil, nil); err == nil {
		t.Error("a second Finish succeeded")
	}
	if err := b.Add(batches[0]); err == nil {
		t.Error("Add after Finish succeeded")
	}
	if err := b.Abort(); err != nil {
		t.Errorf("Abort after Finish: %v", err)
	}

	ws, wm, err := OpenIndex(whole)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ss, sm, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	if len(sm.Parts) != 2 || len(wm.Parts) != 0 {
		t.Errorf("streamed index has parts %v, one-piece %v; want 2 and none", sm.Parts, wm.Parts)
	}
	// the base segment's entries in shards of at most shardSize, one per
	// core at most
	wantShards := shardCount(len(Entries(batches[0])), shardSize)
	if len(sm.Shards) != wantShards {
		t.Errorf("base segment in %d shards, want %d", len(sm.Shards), wantShards)
	}
	if shardSize < batchShardSize && runtime.GOMAXPROCS(0) > 1 && wantShards < 2 {
		t.Errorf("shards of %d entries: the first batch is not split", shardSize)
	}
	if sm.Corpus != wm.Corpus || sm.Analyzer != wm.Analyzer || sm.Format != wm.Format {
		t.Errorf("streamed meta corpus %s analyzer %s format %d, one-piece %s %s %d", sm.Corpus, sm.Analyzer, sm.Format, wm.Corpus, wm.Analyzer, wm.Format)
	}
	c, err := streamSeeds()
	if err != nil {
		t.Fatal(err)
	}
	if fp := CorpusFingerprint(c); sm.Corpus != fp {
		t.Errorf("streamed fingerprint %s, CorpusFingerprint %s", sm.Corpus, fp)
	}
	if st.Documents != wm.Stats.Documents || st.Units != wm.Stats.Units || st.Targets != wm.Stats.Targets || st.Bytes != wm.Stats.Bytes ||
		!reflect.DeepEqual(st.ByType, wm.Stats.ByType) {
		t.Errorf("streamed stats %+v, one-piece %+v", st, wm.Stats)
	}
	if !reflect.DeepEqual(sm.Stats.ByType, st.ByType) || sm.Stats.Units != st.Units {
		t.Errorf("meta stats %+v, Finish returned %+v", sm.Stats, st)
	}
	// the parts' checksums, kept from when each was written, are what
	// reading every file again gives
	version, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := manifest(version)
	if err != nil {
		t.Fatal(err)
	}
	// less the description, written after it
	files = slices.DeleteFunc(files, func(f FileSum) bool { return f.Name == MetaFile })
	if !reflect.DeepEqual(sm.Files, files) {
		t.Errorf("meta lists files\n%v\nthe index holds\n%v", sm.Files, files)
	}
	// and Finish took every part's file from them
	partFiles := 0
	for _, f := range files {
		if strings.HasPrefix(f.Name, "part/") {
			partFiles++
			if b.known[f.Name] != f {
				t.Errorf("part file %v summed as %v when written", f, b.known[f.Name])
			}
		}
	}
	if partFiles == 0 || len(b.known) != partFiles {
		t.Errorf("%d part files, %d summed when written", partFiles, len(b.known))
	}
	wd, err := os.ReadFile(filepath.Join(whole, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	sd, err := os.ReadFile(filepath.Join(dir, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(wd) != string(sd) {
		t.Errorf("domain dictionaries differ: %d bytes streamed, %d one-piece", len(sd), len(wd))
	}

	// entries by sequence number
	if ss.Len() != ws.Len() || ss.Len() == 0 {
		t.Fatalf("streamed index has %d entries, one-piece %d", ss.Len(), ws.Len())
	}
	if n, err := ss.DocCount(); err != nil || int(n) != ss.Len() {
		t.Errorf("bleve holds %d documents (%v), index %d", n, err, ss.Len())
	}
	scols, wcols := columnsBySeq(ss), columnsBySeq(ws)
	for seq := range ss.Len() {
		if s, w := ss.NormText(seq), ws.NormText(seq); s != w {
			t.Fatalf("entry %d: text %q, one-piece %q", seq, s, w)
		}
		se, err := ss.Entry(seq)
		if err != nil {
			t.Fatalf("entry %d: %v", seq, err)
		}
		we, err := ws.Entry(seq)
		if err != nil {
			t.Fatalf("entry %d of the one-piece index: %v", seq, err)
		}
		if !reflect.DeepEqual(se, we) {
			t.Fatalf("entry %d: %+v, one-piece %+v", seq, se, we)
		}
		sid, sok := ss.UnitID(seq)
		wid, wok := ws.UnitID(seq)
		if sid != wid || sok != wok || (sok && sid != se.Unit.ID) {
			t.Fatalf("entry %d: unit id %q %v, one-piece %q %v", seq, sid, sok, wid, wok)
		}
		if !reflect.DeepEqual(scols[seq], wcols[seq]) {
			t.Fatalf("entry %d: columns %+v, one-piece %+v", seq, scols[seq], wcols[seq])
		}
	}
	parts := 0
	ss.Parts(func(int, *Columns) { parts++ })
	if parts != 3 {
		t.Errorf("streamed index has %d column parts, want 3", parts)
	}
	for _, phrase := range []string{"集团化办学", "学前三年毛入园率", "产教融合", "教师", "不存在的短语甲乙丙"} {
		if s, w := candidateSeqs(t, ss, phrase), candidateSeqs(t, ws, phrase); !slices.Equal(s, w) {
			t.Errorf("%s: candidates %v, one-piece %v", phrase, s, w)
		}
	}

	// the store: every document, in segments that are the batches
	snap, wsnap := storeSnapshot(t, dir), storeSnapshot(t, whole)
	if len(snap.Docs) != len(wsnap.Docs) {
		t.Errorf("store holds %d documents, one-piece %d", len(snap.Docs), len(wsnap.Docs))
	}
	var names []string
	var ids []string
	entries := 0
	for _, sg := range snap.Segments {
		names = append(names, sg.Name)
		for _, d := range sg.Docs {
			ids = append(ids, d.ID)
			entries += d.Entries
		}
	}
	if !reflect.DeepEqual(names, append([]string{"."}, sm.Parts...)) {
		t.Errorf("store segments %v, index parts %v", names, sm.Parts)
	}
	var want []string
	for _, d := range c.Documents() {
		want = append(want, d.ID)
	}
	if !slices.Equal(ids, want) || entries != ss.Len() {
		t.Errorf("store segments hold %v with %d entries, want %v with %d", ids, entries, want, ss.Len())
	}
	if !reflect.DeepEqual(snap.Rejected, rejected) || !reflect.DeepEqual(snap.Warnings, warnings) {
		t.Errorf("store rejected %v warnings %v", snap.Rejected, snap.Warnings)
	}
	for _, d := range snap.Docs {
		if in := snap.Info[d.ID]; in.Origin != OriginBuild || in.Source != d.Source {
			t.Errorf("%s: info %+v", d.ID, in)
		}
	}
	// the build left nothing behind but the index
	vs, err := os.ReadDir(versionsDir(dir))
	var left []string
	for _, v := range vs {
		left = append(left, v.Name())
	}
	if err != nil || slices.ContainsFunc(left, func(n string) bool { return strings.HasPrefix(n, "build-") }) {
		t.Errorf("versions folder holds %v (%v): a build folder was left", left, err)
	}
}

// TestStreamBuilderAbort checks that Abort, a build without documents and
// a cancelled build leave the previous index as it was, and that a
// builder used after Abort answers with an error.
func TestStreamBuilderAbort(t *testing.T) {
	dir := copyIndex(t, builtIndex(t))
	before, err := ReadMeta(dir)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := os.ReadDir(versionsDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	intact := func(t *testing.T) {
		t.Helper()
		ix, m, err := OpenIndex(dir)
		if err != nil {
			t.Fatalf("previous index: %v", err)
		}
		defer ix.Close()
		if m.Corpus != before.Corpus || !m.Built.Equal(before.Built) || ix.Len() != before.Stats.Units+before.Stats.Targets {
			t.Errorf("previous index replaced: %+v", m)
		}
		// a cancelled build's folder goes in the background
		deadline := time.Now().Add(10 * time.Second)
		for {
			vs, err := os.ReadDir(versionsDir(dir))
			if err == nil && len(vs) == len(versions) {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("versions folder holds %d entries (%v), had %d", len(vs), err, len(versions))
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	batches := seedBatches(t, 3)
	seg := segmenter(t)

	t.Run("abort", func(t *testing.T) {
		b, err := NewStreamBuilder(context.Background(), dir, seg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(batches[0]); err != nil {
			t.Fatal(err)
		}
		if err := b.Abort(); err != nil {
			t.Fatal(err)
		}
		if err := b.Abort(); err != nil {
			t.Errorf("second Abort: %v", err)
		}
		intact(t)
		if err := b.Add(batches[1]); err == nil {
			t.Error("Add after Abort succeeded")
		}
		if _, err := b.Finish(nil, nil); err == nil {
			t.Error("Finish after Abort succeeded")
		}
		intact(t)
	})
	t.Run("empty", func(t *testing.T) {
		b, err := NewStreamBuilder(context.Background(), dir, seg, nil)
		if err != nil {
			t.Fatal(err)
		}
		empty, err := corpus.New([]*corpus.Document{{Meta: corpus.Meta{ID: "leer"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(empty); err != nil {
			t.Errorf("Add of a batch without entries: %v", err)
		}
		if _, err := b.Finish(nil, nil); corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("Finish of an empty stream: %v, want EINVALID", err)
		}
		intact(t)
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		b, err := NewStreamBuilder(ctx, dir, seg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(batches[0]); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := b.Add(batches[1]); corpus.ErrorCode(err) != corpus.ETIMEOUT {
			t.Errorf("Add after cancellation: %v, want ETIMEOUT", err)
		}
		if err := b.Abort(); err != nil {
			t.Fatal(err)
		}
		intact(t)
	})
	t.Run("part sync fails", func(t *testing.T) {
		b, err := NewStreamBuilder(context.Background(), dir, seg, nil)
		if err != nil {
			t.Fatal(err)
		}
		failed := errors.New("disk gone")
		var synced atomic.Int32
		b.syncPart = func(string) error {
			synced.Add(1)
			return failed
		}
		for _, batch := range batches {
			if err := b.Add(batch); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Finish(nil, nil); !errors.Is(err, failed) {
			t.Errorf("Finish after a part failed to sync: %v, want %v", err, failed)
		}
		if n := synced.Load(); n != int32(len(batches)-1) {
			t.Errorf("%d parts synced, want %d", n, len(batches)-1)
		}
		intact(t)
	})
	t.Run("no segmenter", func(t *testing.T) {
		if _, err := NewStreamBuilder(context.Background(), dir, nil, nil); err == nil {
			t.Error("a builder without a segmenter was made")
		}
	})
	t.Run("foreign directory", func(t *testing.T) {
		foreign := t.TempDir()
		if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := NewStreamBuilder(context.Background(), foreign, seg, nil)
		if err == nil {
			b.Abort()
			t.Fatal("a build over a folder that is not an index was started")
		}
		if data, err := os.ReadFile(filepath.Join(foreign, "notes.txt")); err != nil || string(data) != "mine" {
			t.Errorf("foreign folder changed: %q, %v", data, err)
		}
	})
}

// TestStreamBuilderLoading: the segmenter of NewStreamBuilderLoading is
// taken by the first Add with entries, not before, and once; a failed
// load fails that Add and leaves nothing behind.
func TestStreamBuilderLoading(t *testing.T) {
	batches := seedBatches(t, 2)
	seg := segmenter(t)
	t.Run("loaded at the first batch", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "index")
		calls := 0
		b, err := NewStreamBuilderLoading(context.Background(), dir, func() (*Segmenter, error) {
			calls++
			return seg, nil
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 0 {
			t.Fatalf("segmenter loaded %d times before the first batch", calls)
		}
		for _, batch := range batches {
			if err := b.Add(batch); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Finish(nil, nil); err != nil {
			t.Fatal(err)
		}
		if calls != 1 {
			t.Errorf("segmenter loaded %d times, want once", calls)
		}
		ix, _, err := OpenIndex(dir)
		if err != nil {
			t.Fatalf("index of a builder with a loading segmenter: %v", err)
		}
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Run("documents stored while loading", func(t *testing.T) {
		// the load returns only once the first batch's documents are in
		// the store: a builder that waited for the segmenter before
		// storing them would never see them there
		dir := filepath.Join(t.TempDir(), "index")
		var b *StreamBuilder
		first := batches[0].Documents()[0].ID
		b, err := NewStreamBuilderLoading(context.Background(), dir, func() (*Segmenter, error) {
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if d, err := b.st.Document(first); err == nil && d != nil {
					return seg, nil
				}
			}
			return nil, corpus.Errorf(corpus.EINTERNAL, "第一批文档在分词器加载期间没有写入")
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, batch := range batches {
			if err := b.Add(batch); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.Finish(nil, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("failed load", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "index")
		b, err := NewStreamBuilderLoading(context.Background(), dir, func() (*Segmenter, error) {
			return nil, corpus.Errorf(corpus.EINTERNAL, "词典损坏")
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(batches[0]); err == nil || !strings.Contains(err.Error(), "词典损坏") {
			t.Errorf("Add with a failed segmenter: %v, want its error", err)
		}
		if err := b.Abort(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a failed build left %s: %v", dir, err)
		}
	})
	t.Run("foreign directory at once", func(t *testing.T) {
		foreign := t.TempDir()
		if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := NewStreamBuilderLoading(context.Background(), foreign, func() (*Segmenter, error) {
			t.Error("segmenter loaded for a refused directory")
			return seg, nil
		}, nil)
		if err == nil {
			b.Abort()
			t.Fatal("a build over a folder that is not an index was started")
		}
	})
}

// TestStreamBuilderCores checks that bleve's build of a batch holds one
// of the builder's Cores while it runs (it reports progress from there)
// and that a finished build holds none.
func TestStreamBuilderCores(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	var b *StreamBuilder
	var reports, idle atomic.Int64
	b, err := NewStreamBuilder(context.Background(), dir, segmenter(t), func(done, _ int) {
		reports.Add(1)
		if b.Cores().Busy() < 1 {
			idle.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range seedBatches(t, 3) {
		if err := b.Add(batch); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Finish(nil, nil); err != nil {
		t.Fatal(err)
	}
	if reports.Load() == 0 || idle.Load() != 0 {
		t.Errorf("%d of %d progress reports of bleve's build made without a core held", idle.Load(), reports.Load())
	}
	if n := b.Cores().Busy(); n != 0 {
		t.Errorf("%d cores still held after Finish", n)
	}
}
