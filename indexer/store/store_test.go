package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// seedDocs parses the embedded seed corpus once per test binary: real
// documents with outlines, tables and targets.
var seedDocs = sync.OnceValues(func() ([]*corpus.Document, error) {
	c, err := parse.Seeds()
	if err != nil {
		return nil, err
	}
	return c.Documents(), nil
})

// docs returns the seed documents, at least n of them.
func docs(t *testing.T, n int) []*corpus.Document {
	t.Helper()
	ds, err := seedDocs()
	if err != nil {
		t.Fatalf("seeds: %v", err)
	}
	if len(ds) < n {
		t.Fatalf("%d seed documents, need %d", len(ds), n)
	}
	return ds[:n]
}

// renamed returns a shallow copy of d under another id (units and
// targets are shared: the store only reads them).
func renamed(d *corpus.Document, id string) *corpus.Document {
	c := *d
	c.ID = id
	return &c
}

func newStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), File)
	s, err := Create(path)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func read(t *testing.T, s *Store) *Snapshot {
	t.Helper()
	snap, err := s.Read()
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return snap
}

func put(d *corpus.Document, seg string, original []byte) Put {
	return Put{Doc: d, Info: Info{Origin: "cli", Source: d.ID + ".txt", Format: corpus.FormatText, Segment: seg,
		Stamp: corpus.Stamp{Size: int64(len(original)), SHA256: "ab"}}, Original: original}
}

func segOf(name string, ds ...*corpus.Document) *Segment {
	sg := &Segment{Name: name, Created: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, d := range ds {
		sg.Docs = append(sg.Docs, SegDoc{ID: d.ID, Entries: len(d.Units) + len(d.Targets)})
	}
	return sg
}

func ids(snap *Snapshot) []string {
	var out []string
	for _, d := range snap.Docs {
		out = append(out, d.ID)
	}
	return out
}

func segNames(snap *Snapshot) []string {
	var out []string
	for _, s := range snap.Segments {
		out = append(out, s.Name)
	}
	return out
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameDoc checks that got, read back from the store, is want as every
// reader of a document sees it: its JSON (metadata and outline, what the
// document API writes), units, tables and targets, and the normalised
// texts of units and targets.
func sameDoc(t *testing.T, want, got *corpus.Document) {
	t.Helper()
	if a, b := jsonOf(t, want), jsonOf(t, got); a != b {
		t.Errorf("%s: document JSON differs:\n want %.300s\n got  %.300s", want.ID, diffAt(a, b), diffAt(b, a))
	}
	if len(got.Units) != len(want.Units) || len(got.Targets) != len(want.Targets) || len(got.Tables) != len(want.Tables) {
		t.Fatalf("%s: %d units, %d targets, %d tables; want %d, %d, %d", want.ID,
			len(got.Units), len(got.Targets), len(got.Tables), len(want.Units), len(want.Targets), len(want.Tables))
	}
	for i, u := range got.Units {
		w := want.Units[i]
		if a, b := jsonOf(t, w), jsonOf(t, u); a != b {
			t.Errorf("%s: unit JSON differs:\n want %.300s\n got  %.300s", w.ID, diffAt(a, b), diffAt(b, a))
		}
		if u.NormText() != w.NormText() || u.NormText() != corpus.Normalize(u.Text) {
			t.Errorf("%s: NormText %q, want %q", w.ID, u.NormText(), w.NormText())
		}
		if u.NormTitle() != w.NormTitle() || u.NormTitle() != corpus.Normalize(u.Title) {
			t.Errorf("%s: NormTitle %q, want %q", w.ID, u.NormTitle(), w.NormTitle())
		}
	}
	for i, tg := range got.Targets {
		if a, b := jsonOf(t, want.Targets[i]), jsonOf(t, tg); a != b {
			t.Errorf("%s: target JSON differs:\n want %.300s\n got  %.300s", tg.ID, diffAt(a, b), diffAt(b, a))
		}
	}
	for i, tb := range got.Tables {
		if a, b := jsonOf(t, want.Tables[i]), jsonOf(t, tb); a != b {
			t.Errorf("%s: table JSON differs:\n want %.300s\n got  %.300s", tb.ID, diffAt(a, b), diffAt(b, a))
		}
	}
	// the normalised target texts are what target queries match
	wc, err := corpus.New([]*corpus.Document{renamed(want, "w")})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := corpus.New([]*corpus.Document{renamed(got, "w")})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := len(wc.Targets(corpus.TargetFilter{})), len(gc.Targets(corpus.TargetFilter{})); a != b {
		t.Errorf("%s: %d targets listed, want %d", want.ID, b, a)
	}
}

// diffAt returns a from a little before the first byte where it differs
// from b.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-60):]
}

func TestCreateOpen(t *testing.T) {
	s, path := newStore(t)
	if s.Path() != path {
		t.Errorf("Path %q, want %q", s.Path(), path)
	}
	if _, err := Create(path); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Errorf("Create over an existing store: %v, want EINVALID", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	snap := read(t, s2)
	if len(snap.Docs) != 0 || len(snap.Segments) != 0 || len(snap.Info) != 0 {
		t.Errorf("new store not empty: %+v", snap)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), File), Options{}); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("Open of a missing store: %v, want ENOTFOUND", err)
	}
}

func TestApplyRead(t *testing.T) {
	ds := docs(t, 3)
	s, path := newStore(t)
	if err := s.SetAnalyzer("fp-1"); err != nil {
		t.Fatal(err)
	}
	rej := []corpus.Rejection{{Source: "坏.pdf", Reason: "无法解析"}}
	warn := []corpus.Warning{{Source: "a.txt", Message: "编号重复"}}
	ch := Change{Segment: segOf(".", ds...), Rejected: rej, Warnings: warn}
	for i, d := range ds {
		ch.Puts = append(ch.Puts, put(d, ".", []byte("原文"+d.ID+string(rune('0'+i)))))
	}
	if err := s.Apply(ch); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	check := func(t *testing.T, s *Store) {
		snap := read(t, s)
		want := []string{ds[0].ID, ds[1].ID, ds[2].ID}
		slices.Sort(want)
		if !slices.Equal(ids(snap), want) {
			t.Fatalf("documents %v, want %v", ids(snap), want)
		}
		for _, d := range snap.Docs {
			i := slices.IndexFunc(ds, func(w *corpus.Document) bool { return w.ID == d.ID })
			// the snapshot lists stubs: metadata and counts
			if !d.IsStub() || jsonOf(t, d.Meta) != jsonOf(t, ds[i].Meta) || d.Counts() != ds[i].Counts() {
				t.Errorf("stub of %s: %+v %+v, want %+v %+v", d.ID, d.Meta, d.Counts(), ds[i].Meta, ds[i].Counts())
			}
			full, err := s.Document(d.ID)
			if err != nil {
				t.Fatalf("Document(%s): %v", d.ID, err)
			}
			sameDoc(t, ds[i], full)
			in := snap.Info[d.ID]
			wantIn := ch.Puts[i].Info
			wantIn.ID = d.ID
			if in != wantIn {
				t.Errorf("info %+v, want %+v", in, wantIn)
			}
		}
		if len(snap.Segments) != 1 || !snap.Segments[0].Created.Equal(ch.Segment.Created) ||
			jsonOf(t, snap.Segments[0].Docs) != jsonOf(t, ch.Segment.Docs) || snap.Segments[0].Name != "." {
			t.Errorf("segments %+v, want %+v", snap.Segments, *ch.Segment)
		}
		if !slices.Equal(snap.Rejected, rej) || !slices.Equal(snap.Warnings, warn) {
			t.Errorf("rejected %v warnings %v, want %v %v", snap.Rejected, snap.Warnings, rej, warn)
		}
		if snap.Analyzer != "fp-1" {
			t.Errorf("analyzer %q", snap.Analyzer)
		}
		if _, err := s.Document("nope"); corpus.ErrorCode(err) != corpus.ENOTFOUND {
			t.Errorf("Document of an unknown id: %v, want ENOTFOUND", err)
		}
	}
	t.Run("open", func(t *testing.T) { check(t, s) })
	// durable: the same after closing and opening again
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	t.Run("reopened", func(t *testing.T) { check(t, s2) })
}

// TestNilListsKept: a change that gives no rejected files or warnings
// keeps the stored ones; an empty list replaces them.
func TestNilListsKept(t *testing.T) {
	ds := docs(t, 2)
	s, _ := newStore(t)
	rej := []corpus.Rejection{{Source: "x.pdf", Reason: "坏"}}
	if err := s.Apply(Change{Puts: []Put{put(ds[0], ".", nil)}, Segment: segOf(".", ds[0]), Rejected: rej}); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(Change{Puts: []Put{put(ds[1], "delta/000001", nil)}, Segment: segOf("delta/000001", ds[1])}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, s).Rejected; !slices.Equal(got, rej) {
		t.Errorf("rejected %v after a change without them, want %v", got, rej)
	}
	if err := s.Apply(Change{Rejected: []corpus.Rejection{}}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, s).Rejected; len(got) != 0 {
		t.Errorf("rejected %v after an empty list", got)
	}
}

func TestRemove(t *testing.T) {
	ds := docs(t, 3)
	s, _ := newStore(t)
	ch := Change{Segment: segOf(".", ds...)}
	for _, d := range ds {
		ch.Puts = append(ch.Puts, put(d, ".", []byte(d.ID)))
	}
	if err := s.Apply(ch); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(Change{Removes: []string{ds[1].ID}}); err != nil {
		t.Fatalf("remove: %v", err)
	}
	snap := read(t, s)
	if slices.Contains(ids(snap), ds[1].ID) || len(snap.Docs) != 2 {
		t.Errorf("documents %v after removing %s", ids(snap), ds[1].ID)
	}
	if _, ok := snap.Info[ds[1].ID]; ok {
		t.Errorf("info of %s kept", ds[1].ID)
	}
	if _, err := s.Original(ds[1].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("original of a removed document: %v, want ENOTFOUND", err)
	}
	if _, err := s.Document(ds[1].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("a removed document: %v, want ENOTFOUND", err)
	}
	// the base segment stays even when all its documents go
	if err := s.Apply(Change{Removes: []string{ds[0].ID, ds[2].ID}}); err != nil {
		t.Fatal(err)
	}
	snap = read(t, s)
	if len(snap.Docs) != 0 || !slices.Equal(segNames(snap), []string{"."}) {
		t.Errorf("documents %v segments %v, want none and [.]", ids(snap), segNames(snap))
	}
}

// TestRemoveUnknownAtomic: a change naming an unknown id fails with
// ENOTFOUND and none of it is applied — neither its other removals nor
// its documents or segment.
func TestRemoveUnknownAtomic(t *testing.T) {
	ds := docs(t, 3)
	s, _ := newStore(t)
	if err := s.Apply(Change{Puts: []Put{put(ds[0], ".", []byte("a")), put(ds[1], ".", []byte("b"))}, Segment: segOf(".", ds[0], ds[1])}); err != nil {
		t.Fatal(err)
	}
	before := jsonOf(t, read(t, s))
	for _, removes := range [][]string{{"nope"}, {ds[0].ID, "nope"}, {"nope", ds[1].ID}} {
		err := s.Apply(Change{
			Puts:     []Put{put(ds[2], "delta/000001", []byte("c"))},
			Removes:  removes,
			Segment:  segOf("delta/000001", ds[2]),
			Rejected: []corpus.Rejection{{Source: "x", Reason: "y"}},
		})
		var ce *corpus.Error
		if !errors.As(err, &ce) || ce.Code != corpus.ENOTFOUND {
			t.Errorf("remove %v: %v, want an ENOTFOUND *corpus.Error", removes, err)
		}
		if after := jsonOf(t, read(t, s)); after != before {
			t.Errorf("remove %v changed the store:\n%.400s\n%.400s", removes, diffAt(before, after), diffAt(after, before))
		}
		if _, err := s.Original(ds[2].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
			t.Errorf("original of the failed change's document stored: %v", err)
		}
	}
}

// TestReplaceMovesSegment: writing a document of an existing id moves
// it to the new segment; a delta segment left without live documents is
// dropped from the table, the base segment never is.
func TestReplaceMovesSegment(t *testing.T) {
	ds := docs(t, 4)
	a, b, c, d := ds[0], ds[1], ds[2], ds[3]
	s, _ := newStore(t)
	steps := []struct {
		name     string
		ch       Change
		segments []string
		segOf    map[string]string // document → segment
	}{
		{"base", Change{Puts: []Put{put(a, ".", nil), put(b, ".", nil)}, Segment: segOf(".", a, b)},
			[]string{"."}, map[string]string{a.ID: ".", b.ID: "."}},
		{"delta with c and d", Change{Puts: []Put{put(c, "delta/000001", nil), put(d, "delta/000001", nil)}, Segment: segOf("delta/000001", c, d)},
			[]string{".", "delta/000001"}, map[string]string{a.ID: ".", b.ID: ".", c.ID: "delta/000001", d.ID: "delta/000001"}},
		{"replace c: d keeps delta 1", Change{Puts: []Put{put(c, "delta/000002", nil)}, Segment: segOf("delta/000002", c)},
			[]string{".", "delta/000001", "delta/000002"}, map[string]string{a.ID: ".", b.ID: ".", c.ID: "delta/000002", d.ID: "delta/000001"}},
		{"replace d: delta 1 dropped", Change{Puts: []Put{put(d, "delta/000003", nil)}, Segment: segOf("delta/000003", d)},
			[]string{".", "delta/000002", "delta/000003"}, map[string]string{a.ID: ".", b.ID: ".", c.ID: "delta/000002", d.ID: "delta/000003"}},
		{"replace a and b: the base stays", Change{Puts: []Put{put(a, "delta/000004", nil), put(b, "delta/000004", nil)}, Segment: segOf("delta/000004", a, b)},
			[]string{".", "delta/000002", "delta/000003", "delta/000004"}, map[string]string{a.ID: "delta/000004", b.ID: "delta/000004", c.ID: "delta/000002", d.ID: "delta/000003"}},
		{"remove c: delta 2 dropped", Change{Removes: []string{c.ID}},
			[]string{".", "delta/000003", "delta/000004"}, map[string]string{a.ID: "delta/000004", b.ID: "delta/000004", d.ID: "delta/000003"}},
		{"remove d and replace a: delta 3 dropped", Change{Removes: []string{d.ID}, Puts: []Put{put(a, "delta/000005", nil)}, Segment: segOf("delta/000005", a)},
			[]string{".", "delta/000004", "delta/000005"}, map[string]string{a.ID: "delta/000005", b.ID: "delta/000004"}},
		{"a new segment of a removed id", Change{Puts: []Put{put(c, "delta/000006", nil)}, Segment: segOf("delta/000006", c)},
			[]string{".", "delta/000004", "delta/000005", "delta/000006"}, map[string]string{a.ID: "delta/000005", b.ID: "delta/000004", c.ID: "delta/000006"}},
	}
	for _, st := range steps {
		if err := s.Apply(st.ch); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		snap := read(t, s)
		if got := segNames(snap); !slices.Equal(got, st.segments) {
			t.Errorf("%s: segments %v, want %v", st.name, got, st.segments)
		}
		got := map[string]string{}
		for id, in := range snap.Info {
			got[id] = in.Segment
		}
		if jsonOf(t, got) != jsonOf(t, st.segOf) {
			t.Errorf("%s: documents by segment %v, want %v", st.name, got, st.segOf)
		}
		if len(snap.Docs) != len(st.segOf) {
			t.Errorf("%s: %d documents, want %d", st.name, len(snap.Docs), len(st.segOf))
		}
	}
}

func TestOriginal(t *testing.T) {
	ds := docs(t, 2)
	s, path := newStore(t)
	orig := make([]byte, 70000) // binary, larger than a page
	for i := range orig {
		orig[i] = byte(i * 7)
	}
	if err := s.Apply(Change{Puts: []Put{put(ds[0], ".", orig), put(ds[1], ".", nil)}, Segment: segOf(".", ds...)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Original(ds[0].ID)
	if err != nil || !slices.Equal(got, orig) {
		t.Fatalf("Original: %d bytes, %v; want the %d bytes written", len(got), err, len(orig))
	}
	got[0]++ // the caller's copy
	if again, _ := s.Original(ds[0].ID); again[0] != orig[0] {
		t.Error("Original returned the store's memory")
	}
	if _, err := s.Original(ds[1].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("document without an original: %v, want ENOTFOUND", err)
	}
	if _, err := s.Original("nope"); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("unknown document: %v, want ENOTFOUND", err)
	}
	// replaced without an original: the old one is not kept
	if err := s.Apply(Change{Puts: []Put{put(ds[0], "delta/000001", nil)}, Segment: segOf("delta/000001", ds[0])}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Original(ds[0].ID); corpus.ErrorCode(err) != corpus.ENOTFOUND {
		t.Errorf("original of a document replaced without one: %v, want ENOTFOUND", err)
	}
	if err := s.Apply(Change{Puts: []Put{put(ds[0], "delta/000002", []byte("新"))}, Segment: segOf("delta/000002", ds[0])}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.Original(ds[0].ID); err != nil || string(got) != "新" {
		t.Errorf("Original after reopening: %q, %v", got, err)
	}
}

func TestNextSegment(t *testing.T) {
	s, path := newStore(t)
	var names []string
	for range 3 {
		n, err := s.NextSegment()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	n, err := s2.NextSegment()
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, n)
	want := []string{"delta/000001", "delta/000002", "delta/000003", "delta/000004"}
	if !slices.Equal(names, want) {
		t.Errorf("names %v, want %v", names, want)
	}
}

// TestLocked: while one Store has the file open for writing, another
// Open (for writing or reading) waits at most its Timeout and fails with
// ErrLocked. bbolt's flock is per open file description, so it excludes
// a second open within the same process as well.
func TestLocked(t *testing.T) {
	_, path := newStore(t) // open for writing until the test ends
	for _, opt := range []Options{{Timeout: 100 * time.Millisecond}, {Timeout: 100 * time.Millisecond, ReadOnly: true}} {
		start := time.Now()
		s2, err := Open(path, opt)
		if err == nil {
			s2.Close()
			t.Fatalf("second Open(%+v) succeeded", opt)
		}
		if !errors.Is(err, ErrLocked) || corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("second Open(%+v): %v, want ErrLocked (EINVALID)", opt, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("second Open(%+v) took %v", opt, d)
		}
	}
}

// TestCorrupt: a damaged store fails to open or read with EINVALID; it
// never panics.
func TestCorrupt(t *testing.T) {
	ds := docs(t, 2)
	valid := func(t *testing.T) string {
		s, path := newStore(t)
		ch := Change{Segment: segOf(".", ds...)}
		for _, d := range ds {
			ch.Puts = append(ch.Puts, put(d, ".", []byte(d.ID)))
		}
		if err := s.Apply(ch); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// bbolt writes directly: the raw pieces of a damaged store
	boltUpdate := func(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
		t.Helper()
		db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(fn); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name   string
		damage func(t *testing.T) string
		body   bool // the damage is in a document's body: the index opens, loading that document fails
	}{
		{"garbage", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), File)
			data := make([]byte, 64<<10)
			for i := range data {
				data[i] = byte(i*31 + i>>8)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
		{"empty file", func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), File)
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
		{"truncated", func(t *testing.T) string {
			path := valid(t)
			if err := os.Truncate(path, 1000); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
		{"meta pages zeroed", func(t *testing.T) string {
			path := valid(t)
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt(make([]byte, 2*os.Getpagesize()), 0); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
		{"data pages overwritten", func(t *testing.T) string {
			path := valid(t)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ps := int64(os.Getpagesize())
			junk := make([]byte, st.Size()-2*ps)
			for i := range junk {
				junk[i] = byte(i*131 + 7)
			}
			if _, err := f.WriteAt(junk, 2*ps); err != nil {
				t.Fatal(err)
			}
			return path
		}, false},
		{"other format", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyFormat, []byte("0")) })
			return path
		}, false},
		{"bucket missing", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketSegments) })
			return path
		}, false},
		{"damaged document", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketDocs).Put([]byte(ds[0].ID), []byte("not zstd")) })
			return path
		}, true},
		{"document under another id", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketDocs)
				return b.Put([]byte(ds[1].ID), b.Get([]byte(ds[0].ID)))
			})
			return path
		}, true},
		{"damaged metadata", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketStubs).Put([]byte(ds[0].ID), []byte("[")) })
			return path
		}, false},
		{"metadata under another id", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketStubs)
				return b.Put([]byte(ds[1].ID), b.Get([]byte(ds[0].ID)))
			})
			return path
		}, false},
		{"document without info", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketInfo).Delete([]byte(ds[0].ID)) })
			return path
		}, false},
		{"damaged info", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketInfo).Put([]byte(ds[0].ID), []byte("{")) })
			return path
		}, false},
		{"damaged segment", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketSegments).Put([]byte("."), []byte("[")) })
			return path
		}, false},
		{"damaged rejected list", func(t *testing.T) string {
			path := valid(t)
			boltUpdate(t, path, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyRejected, []byte("{}")) })
			return path
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.damage(t)
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v\n%s", r, debug.Stack())
					}
				}()
				s, oerr := Open(path, Options{Timeout: 100 * time.Millisecond})
				if err = oerr; err != nil {
					return
				}
				defer s.Close()
				var snap *Snapshot
				if snap, err = s.Read(); err != nil || !tc.body {
					return
				}
				for _, d := range snap.Docs {
					if _, err = s.Document(d.ID); err != nil {
						return
					}
				}
			}()
			var ce *corpus.Error
			switch {
			case tc.body && (!errors.As(err, &ce) || ce.Code != corpus.EINTERNAL):
				t.Errorf("err = %v, want an EINTERNAL *corpus.Error loading the document", err)
			case !tc.body && (!errors.As(err, &ce) || ce.Code != corpus.EINVALID):
				t.Errorf("err = %v, want an EINVALID *corpus.Error", err)
			}
		})
	}
}

// TestReadDuringApply: readers see a change completely or not at all.
func TestReadDuringApply(t *testing.T) {
	ds := docs(t, 2)
	s, _ := newStore(t)
	if err := s.Apply(Change{Puts: []Put{put(ds[0], ".", nil)}, Segment: segOf(".", ds[0])}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(done)
		// each change adds the two copies together or removes both
		for i := range 20 {
			x, y := renamed(ds[1], "x"), renamed(ds[1], "y")
			var ch Change
			if i%2 == 0 {
				name := "delta/" + string(rune('a'+i))
				ch = Change{Puts: []Put{put(x, name, nil), put(y, name, nil)}, Segment: segOf(name, x, y)}
			} else {
				ch = Change{Removes: []string{"x", "y"}}
			}
			if err := s.Apply(ch); err != nil {
				errc <- err
				return
			}
		}
	}()
	for reads := 0; ; reads++ {
		select {
		case <-done:
			select {
			case err := <-errc:
				t.Fatal(err)
			default:
			}
			t.Logf("%d reads", reads)
			return
		default:
		}
		snap := read(t, s)
		if n := len(snap.Docs); n != 1 && n != 3 {
			t.Fatalf("a read saw %d documents: %v", n, ids(snap))
		}
		if len(snap.Info) != len(snap.Docs) {
			t.Fatalf("a read saw %d documents and %d infos", len(snap.Docs), len(snap.Info))
		}
		if want := 1 + (len(snap.Docs)-1)/2; len(snap.Segments) != want {
			t.Fatalf("a read saw %d documents and segments %v", len(snap.Docs), segNames(snap))
		}
	}
}
