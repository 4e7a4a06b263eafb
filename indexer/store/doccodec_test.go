package store

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"reflect"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/zhengce/zhengce/corpus"
)

// fillExported is fill for the document model: it sets every exported
// field to a distinct value that is not zero and leaves unexported ones
// (caches derived from the exported fields) alone; recursive types stop
// at depth levels, and empty, when true, makes every list empty instead
// of nil with two elements.
func fillExported(t *testing.T, v reflect.Value, path string, depth int, empty bool) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillExported(t, v.Elem(), path, depth, empty)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				fillExported(t, v.Field(i), path+"."+f.Name, depth, empty)
			}
		}
	case reflect.Slice:
		n := 2
		if empty || depth == 0 {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillExported(t, s.Index(i), fmt.Sprintf("%s[%d]", path, i), depth-1, empty)
		}
		v.Set(s)
	case reflect.String:
		v.SetString(path + "·值")
	case reflect.Int:
		v.SetInt(int64(len(path)) * -3)
	case reflect.Float64:
		v.SetFloat(float64(len(path)) + 0.25)
	case reflect.Bool:
		v.SetBool(true)
	default:
		t.Fatalf("%s: kind %s not covered by the document codec", path, v.Kind())
	}
}

// filledDoc returns a document with every exported field set, and the
// normalised texts and titles its record carries, set on its units
// (corpus.Unit.SetNorm).
func filledDoc(t *testing.T, empty bool) (*corpus.Document, []string, []string) {
	t.Helper()
	d := &corpus.Document{}
	fillExported(t, reflect.ValueOf(d).Elem(), "doc", 3, empty)
	norms, titles := make([]string, len(d.Units)), make([]string, len(d.Units))
	for i, u := range d.Units {
		norms[i], titles[i] = fmt.Sprintf("规范化%d", i), fmt.Sprintf("标题%d", i)
		u.SetNorm(norms[i], titles[i])
	}
	return d, norms, titles
}

// TestDocRoundTrip fills every exported field of a document by
// reflection — a field added to the model and not to the codec fails it —
// and requires it back as it went, nil lists as nil and empty ones as
// empty (but for the metadata's, where empty is nil as in a stub record),
// with the normalised texts the record carries.
func TestDocRoundTrip(t *testing.T) {
	for _, empty := range []bool{false, true} {
		t.Run(fmt.Sprintf("empty=%v", empty), func(t *testing.T) {
			d, norms, titles := filledDoc(t, empty)
			data, err := appendDoc(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeDocRecord(data)
			if err != nil {
				t.Fatal(err)
			}
			for i := range d.Units {
				if got.Units[i].NormText() != norms[i] || got.Units[i].NormTitle() != titles[i] {
					t.Errorf("unit %d: norms %q %q", i, got.Units[i].NormText(), got.Units[i].NormTitle())
				}
			}
			for _, tg := range d.Targets {
				tg.CacheNorm()
			}
			if empty { // the metadata's lists are the stub record's: empty is nil
				d.Jurisdiction.Path, d.Dates, d.Versions = nil, nil, nil
			}
			if !reflect.DeepEqual(got, d) {
				t.Fatalf("round trip:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, d))
			}
		})
	}
	t.Run("zero", func(t *testing.T) {
		data, err := appendDoc(nil, &corpus.Document{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeDocRecord(data)
		if err != nil || !reflect.DeepEqual(got, &corpus.Document{}) {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("nil element", func(t *testing.T) {
		for _, d := range []*corpus.Document{{Units: []*corpus.Unit{nil}}, {Tables: []*corpus.Table{nil}}, {Targets: []*corpus.Target{nil}}, {Outline: []*corpus.Section{{}, nil}}} {
			if _, err := appendDoc(nil, d); err == nil {
				t.Errorf("%+v: no error", d)
			}
		}
	})
}

// TestDocDamaged: every truncation of a document record is an error, and
// a record with any byte changed gives an error or a document, never a
// panic.
func TestDocDamaged(t *testing.T) {
	d, _, _ := filledDoc(t, false)
	data, err := appendDoc(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		if _, err := decodeDocRecord(data[:n]); err == nil {
			t.Fatalf("cut at %d of %d bytes: no error", n, len(data))
		}
	}
	for i := range data {
		for _, x := range []byte{0xff, 0x01, 0x80} {
			b := slices.Clone(data)
			b[i] ^= x
			decodeDocRecord(b) // must not panic
		}
	}
	// an outline nested as deep as a damaged record's bytes allow is an
	// error, not a recursion that exhausts the stack
	deep := &corpus.Document{}
	for range 100_000 {
		deep.Outline = []*corpus.Section{{Children: deep.Outline}}
	}
	rec, err := appendDoc(nil, deep)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decodeDocRecord(rec); err == nil {
		t.Error("an outline 100,000 levels deep decoded")
	}
	shallow := &corpus.Document{}
	for range maxOutlineDepth {
		shallow.Outline = []*corpus.Section{{Children: shallow.Outline}}
	}
	if rec, err = appendDoc(nil, shallow); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeDocRecord(rec); err != nil {
		t.Errorf("an outline %d levels deep: %v", maxOutlineDepth, err)
	}
}

// TestUnitRecord: AppendUnit and DecodeUnit agree, and a unit record
// followed by anything is refused.
func TestUnitRecord(t *testing.T) {
	u := &corpus.Unit{}
	fillExported(t, reflect.ValueOf(u).Elem(), "unit", 3, false)
	data := AppendUnit([]byte("前缀"), u)
	got, err := DecodeUnit(data[len("前缀"):])
	if err != nil || !reflect.DeepEqual(got, u) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, got, u)
	}
	if _, err := DecodeUnit(append(data[len("前缀"):], 0)); err == nil {
		t.Error("trailing byte accepted")
	}
}

// encodeGobDoc writes a document the way stores of layout 3 did.
func encodeGobDoc(s *Store, d *corpus.Document) ([]byte, error) {
	data, err := gobDoc(d)
	if err != nil {
		return nil, err
	}
	return s.enc.EncodeAll(data, nil), nil
}

// gobDoc is the gob record of d, before compression, as layout 3 held it.
func gobDoc(d *corpus.Document) ([]byte, error) {
	r := gobDocRecord{Doc: d, Norms: make([]string, len(d.Units)), NormTitles: make([]string, len(d.Units))}
	for i, u := range d.Units {
		if n := u.NormText(); n != u.Text {
			r.Norms[i] = n
		}
		if n := u.NormTitle(); n != u.Title {
			r.NormTitles[i] = n
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TestGobDocStore: a store of layout 3 (documents as gob) reads the same
// documents opened read-only, unchanged; opened for writing it is marked
// with the current layout, its gob documents still read, and documents
// written next are binary records.
func TestGobDocStore(t *testing.T) {
	ds := docs(t, 3)
	s, path := newStore(t)
	ch := Change{Segment: segOf(".", ds[:2]...)}
	for _, d := range ds[:2] {
		ch.Puts = append(ch.Puts, put(d, ".", nil))
	}
	if err := s.Apply(ch); err != nil {
		t.Fatal(err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		for _, d := range ds[:2] {
			data, err := encodeGobDoc(s, d)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketDocs).Put([]byte(d.ID), data); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatGob))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// kinds returns the store's format and how many documents are gob
	kinds := func(s *Store) (format string, gobs int) {
		t.Helper()
		if err := s.view(func(tx *bolt.Tx) error {
			format = string(tx.Bucket(bucketMeta).Get(keyFormat))
			return tx.Bucket(bucketDocs).ForEach(func(_, v []byte) error {
				raw, err := s.dec.DecodeAll(v, nil)
				if err != nil {
					return err
				}
				if raw[0] != docMarker {
					gobs++
				}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		return format, gobs
	}
	check := func(s *Store, ds []*corpus.Document) {
		t.Helper()
		for _, want := range ds {
			got, err := s.Document(want.ID)
			if err != nil {
				t.Fatalf("%s: %v", want.ID, err)
			}
			sameDoc(t, want, got)
		}
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open layout 3 read-only: %v", err)
	}
	check(ro, ds[:2])
	if f, n := kinds(ro); f != formatGob || n != 2 {
		t.Errorf("read-only open changed the store: format %s, %d gob documents", f, n)
	}
	ro.Close()
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open layout 3 for writing: %v", err)
	}
	defer rw.Close()
	if err := rw.Apply(Change{Puts: []Put{put(ds[2], "part/000001", nil)}, Segment: segOf("part/000001", ds[2])}); err != nil {
		t.Fatal(err)
	}
	if f, n := kinds(rw); f != formatVersion || n != 2 {
		t.Errorf("after a write: format %s, %d gob documents (want %s, 2)", f, n, formatVersion)
	}
	check(rw, ds)
}

// BenchmarkDocRecord encodes and decodes the seed documents (five plans,
// 0.3 MB of text) as the store does, in the binary layout and in the gob
// of earlier stores (before compression, which both share).
func BenchmarkDocRecord(b *testing.B) {
	ds, err := seedDocs()
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, d := range ds {
		for _, u := range d.Units {
			size += len(u.Text)
		}
	}
	gobOf := func(d *corpus.Document) []byte {
		data, err := gobDoc(d)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	b.Run("encode/binary", func(b *testing.B) {
		b.SetBytes(int64(size))
		var scratch []byte
		for b.Loop() {
			for _, d := range ds {
				if scratch, err = appendDoc(scratch[:0], d); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("encode/gob", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, d := range ds {
				gobOf(d)
			}
		}
	})
	var bins, gobs [][]byte
	for _, d := range ds {
		rec, err := appendDoc(nil, d)
		if err != nil {
			b.Fatal(err)
		}
		bins, gobs = append(bins, rec), append(gobs, gobOf(d))
	}
	b.Run("decode/binary", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, rec := range bins {
				if _, err := decodeDocRecord(rec); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("decode/gob", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for i, rec := range gobs {
				if _, err := decodeGobDoc(ds[i].ID, rec); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
