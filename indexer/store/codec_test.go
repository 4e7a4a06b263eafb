package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/zhengce/zhengce/corpus"
)

// fill sets every field of v (a pointer) to a value that is not zero,
// distinct per field path: a field the codec forgets does not come back.
func fill(t *testing.T, v reflect.Value, path string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), path)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 5, 18, 40, 1, 123456789, time.FixedZone("", 8*3600))))
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Fatalf("%s.%s: unexported field in a stored record", path, f.Name)
			}
			fill(t, v.Field(i), path+"."+f.Name)
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		v.SetString(path + "·值")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(len(path)) * -3)
	case reflect.Bool:
		v.SetBool(true)
	default:
		t.Fatalf("%s: kind %s not covered by the record codec", path, v.Kind())
	}
}

// TestRecordRoundTrip fills every field of each record type by
// reflection: a field added to the type and not to the codec fails it.
func TestRecordRoundTrip(t *testing.T) {
	t.Run("stub", func(t *testing.T) {
		var r stubRecord
		fill(t, reflect.ValueOf(&r).Elem(), "stub")
		got, err := decodeStub(encodeStub(r))
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Fatalf("round trip: err %v\n got %+v\nwant %+v", err, got, r)
		}
	})
	t.Run("info", func(t *testing.T) {
		var in Info
		fill(t, reflect.ValueOf(&in).Elem(), "info")
		data, err := encodeInfo(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeInfo(data)
		if err != nil || !got.Stamp.ModTime.Equal(in.Stamp.ModTime) {
			t.Fatalf("round trip: err %v, time %v want %v", err, got.Stamp.ModTime, in.Stamp.ModTime)
		}
		got.Stamp.ModTime = in.Stamp.ModTime
		if !reflect.DeepEqual(got, in) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
		}
	})
	t.Run("segment", func(t *testing.T) {
		var sg Segment
		fill(t, reflect.ValueOf(&sg).Elem(), "segment")
		data, err := encodeSegment(&sg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeSegment(data)
		if err != nil || !got.Created.Equal(sg.Created) {
			t.Fatalf("round trip: err %v", err)
		}
		got.Created = sg.Created
		if !reflect.DeepEqual(got, sg) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, sg)
		}
	})
	t.Run("empty", func(t *testing.T) {
		// the zero values come back as they went (nil slices and pointer)
		got, err := decodeStub(encodeStub(stubRecord{}))
		if err != nil || !reflect.DeepEqual(got, stubRecord{}) {
			t.Fatalf("got %+v, %v", got, err)
		}
		data, err := encodeSegment(&Segment{Name: "."})
		if err != nil {
			t.Fatal(err)
		}
		sg, err := decodeSegment(data)
		if err != nil || sg.Name != "." || sg.Docs != nil {
			t.Fatalf("got %+v, %v", sg, err)
		}
	})
}

// TestRecordJSON: the JSON records of stores written before the binary
// layout decode to the same values.
func TestRecordJSON(t *testing.T) {
	var r stubRecord
	fill(t, reflect.ValueOf(&r).Elem(), "stub")
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeStub(data)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("stub from JSON: %v\n got %+v\nwant %+v", err, got, r)
	}
	var in Info
	fill(t, reflect.ValueOf(&in).Elem(), "info")
	if data, err = json.Marshal(in); err != nil {
		t.Fatal(err)
	}
	gi, err := decodeInfo(data)
	if err != nil || gi.Segment != in.Segment || !gi.Stamp.ModTime.Equal(in.Stamp.ModTime) {
		t.Fatalf("info from JSON: %v %+v", err, gi)
	}
	sg := Segment{Name: "part/000001", Docs: []SegDoc{{ID: "a", Entries: 3}}, Created: time.Now().UTC()}
	if data, err = json.Marshal(sg); err != nil {
		t.Fatal(err)
	}
	gs, err := decodeSegment(data)
	if err != nil || !reflect.DeepEqual(gs.Docs, sg.Docs) || gs.Name != sg.Name {
		t.Fatalf("segment from JSON: %v %+v", err, gs)
	}
}

// TestRecordDamaged: every truncation of a record, and a record with a
// byte changed, gives an error or a value, never a panic; a truncated
// record is always an error.
func TestRecordDamaged(t *testing.T) {
	var r stubRecord
	fill(t, reflect.ValueOf(&r).Elem(), "stub")
	data := encodeStub(r)
	for n := range len(data) {
		if _, err := decodeStub(data[:n]); err == nil {
			t.Fatalf("stub cut at %d of %d bytes: no error", n, len(data))
		}
	}
	for i := range data {
		d := append([]byte(nil), data...)
		d[i] ^= 0xff
		decodeStub(d) // must not panic
	}
	var in Info
	fill(t, reflect.ValueOf(&in).Elem(), "info")
	idata, err := encodeInfo(in)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(idata) {
		if _, err := decodeInfo(idata[:n]); err == nil {
			t.Fatalf("info cut at %d of %d bytes: no error", n, len(idata))
		}
	}
	sdata, err := encodeSegment(&Segment{Name: "x", Docs: []SegDoc{{ID: "a", Entries: 1}, {ID: "b", Entries: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(sdata) {
		if _, err := decodeSegment(sdata[:n]); err == nil {
			t.Fatalf("segment cut at %d of %d bytes: no error", n, len(sdata))
		}
	}
}

// FuzzDecodeStub: no input panics the record decoders (the document's
// too: a seed starts with its marker).
func FuzzDecodeStub(f *testing.F) {
	var r stubRecord
	r.Meta = corpus.Meta{ID: "a", Title: "条例", Jurisdiction: &corpus.Jurisdiction{Path: []string{"山东省"}}, Dates: []corpus.DateEvent{{Date: "2020-01-01", Event: "通过"}}}
	f.Add(encodeStub(r))
	f.Add([]byte{recordVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	doc, err := appendDoc(nil, &corpus.Document{Meta: r.Meta, Outline: []*corpus.Section{{Children: []*corpus.Section{{}}}},
		Units: []*corpus.Unit{{ID: "a/1", Breadcrumb: []string{}}}, Tables: []*corpus.Table{{Rows: [][]string{{"x"}}}},
		Targets: []*corpus.Target{{Interim: []corpus.Point{{}}}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(doc)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 0 && data[0] == '{' {
			return // JSON: encoding/json's business
		}
		decodeStub(data)
		decodeInfo(data)
		decodeSegment(data)
		decodeDocRecord(data)
		DecodeUnit(data)
	})
}

func BenchmarkDecodeStub(b *testing.B) {
	r := stubRecord{Meta: corpus.Meta{ID: "law01234", District: "东营市", Title: "东营市城市绿化条例（2021年修正）", Issuer: "东营市人民代表大会常务委员会", IssueDate: "2021-09-30", Year: 2021, Source: "laws/law01234.html", Format: "html",
		Jurisdiction: &corpus.Jurisdiction{Code: "370500", Name: "东营市", Level: "city", Path: []string{"山东省", "东营市"}},
		Dates:        []corpus.DateEvent{{Date: "2018-10-30", Event: "通过"}, {Date: "2018-11-30", Event: "批准"}, {Date: "2021-09-30", Event: "修正"}},
		Effective:    "2019-01-01", DocType: "条例", Level: "地方性法规", Status: "现行"}, Counts: corpus.Counts{Units: 120, Tables: 1, Targets: 3}}
	bin := encodeStub(r)
	js, err := json.Marshal(r)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("binary", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeStub(bin); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeStub(js); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestConvertJSONStore: a store written with JSON records (layout 2) is
// read as it is when opened read-only, and converted to binary records
// when opened for writing; the snapshot is the same.
func TestConvertJSONStore(t *testing.T) {
	ds := docs(t, 3)
	s, path := newStore(t)
	ch := Change{Segment: segOf(".", ds...)}
	for _, d := range ds {
		ch.Puts = append(ch.Puts, put(d, ".", nil))
	}
	if err := s.Apply(ch); err != nil {
		t.Fatal(err)
	}
	want := jsonOf(t, read(t, s))
	// back to layout 2: every record as JSON
	err := s.update(func(tx *bolt.Tx) error {
		for _, bucket := range [][]byte{bucketInfo, bucketStubs, bucketSegments} {
			b := tx.Bucket(bucket)
			var keys, vals [][]byte
			if err := b.ForEach(func(k, v []byte) error {
				var x any
				var err error
				switch string(bucket) {
				case string(bucketInfo):
					x, err = decodeInfo(v)
				case string(bucketStubs):
					x, err = decodeStub(v)
				default:
					x, err = decodeSegment(v)
				}
				if err != nil {
					return err
				}
				js, err := json.Marshal(x)
				keys, vals = append(keys, slices.Clone(k)), append(vals, js)
				return err
			}); err != nil {
				return err
			}
			for i := range keys {
				if err := b.Put(keys[i], vals[i]); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketMeta).Put(keyFormat, []byte(formatJSON))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	layout := func(s *Store) (format string, jsonRecords int) {
		t.Helper()
		if err := s.view(func(tx *bolt.Tx) error {
			format = string(tx.Bucket(bucketMeta).Get(keyFormat))
			for _, bucket := range [][]byte{bucketInfo, bucketStubs, bucketSegments} {
				tx.Bucket(bucket).ForEach(func(_, v []byte) error {
					if isJSON(v) {
						jsonRecords++
					}
					return nil
				})
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return format, jsonRecords
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open layout 2 read-only: %v", err)
	}
	if got := jsonOf(t, read(t, ro)); got != want {
		t.Errorf("layout 2 read:\n%s\nwant\n%s", got, want)
	}
	if f, n := layout(ro); f != formatJSON || n != 7 {
		t.Errorf("read-only open changed the store: format %s, %d JSON records", f, n)
	}
	ro.Close()
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("open layout 2 for writing: %v", err)
	}
	defer rw.Close()
	if f, n := layout(rw); f != formatVersion || n != 0 {
		t.Errorf("after conversion: format %s, %d JSON records", f, n)
	}
	if got := jsonOf(t, read(t, rw)); got != want {
		t.Errorf("converted:\n%s\nwant\n%s", got, want)
	}
}
