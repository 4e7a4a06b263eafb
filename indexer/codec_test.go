package indexer

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

func f64(v float64) *float64 { return &v }

// codecUnits are units that exercise every field of the unit record:
// long and multi-byte strings, negative numbers, and each list nil,
// empty, or holding empty strings.
func codecUnits() []*corpus.Unit {
	return []*corpus.Unit{
		{},
		{ID: "doc/3.2.1", DocID: "doc", Path: "3.2.1", Type: corpus.TypeTask, Seq: 41, Level: 3, Label: "（一）", Title: "推进集团化办学",
			Text: "推进集团化办学，扩大优质教育资源覆盖面。" + strings.Repeat("长", 300), Breadcrumb: []string{"第三章 主要任务", "第二节"},
			Citation: "《某某规划》第三章第二节第1条", Part: "主要任务", Themes: []string{"学前教育", "集团化办学"}, Owners: []string{"区教委", ""},
			Table: "", Cells: nil, Page: 7},
		{ID: "doc/t2.r5", DocID: "doc", Path: "t2.r5", Type: corpus.TypeTableRow, Seq: -1, Level: -2, Text: "毛入园率 | 95%",
			Breadcrumb: []string{}, Themes: []string{}, Owners: []string{}, Table: "t2", Cells: []string{"毛入园率", "", "95%"}, Page: -3},
		{ID: "x/title", DocID: "x", Path: corpus.PathTitle, Type: corpus.TypeTitle, Text: "标题\x00含\xff控制字节", Breadcrumb: nil, Themes: []string{""}},
		// a title that is not in the text
		{ID: "law/a90", DocID: "law", Path: "a90", Type: corpus.TypeClause, Label: "第九十条", Title: "施行日期", Text: "第九十条 本条例自2024年1月1日起施行。"},
	}
}

// codecTargets are target entries with and without their source unit.
func codecTargets() []Entry {
	full := &corpus.Target{ID: "doc/t2.r5#1", DocID: "doc", District: "巫溪县", Indicator: "学前教育·毛入园率", Canonical: "学前三年毛入园率",
		Unit: "%", Baseline: corpus.Point{Year: 2020, Value: f64(88.5), Raw: "88.5"},
		Target:    corpus.Point{Year: 2025, Value: f64(90), Max: f64(95), Comparator: corpus.CmpRange, Raw: "90-95"},
		Attribute: "预期性", Source: corpus.SourceTable, UnitID: "doc/t2.r5", Citation: "表2第5行", Text: "毛入园率 | 88.5 | 90-95",
		Kind: corpus.KindTarget, Interim: []corpus.Point{{Year: 2022, Value: f64(89)}, {Raw: "—", Unparsed: true}}}
	bare := &corpus.Target{ID: "doc/1.p1#2", DocID: "doc", Indicator: "近视率", Canonical: "近视率", Target: corpus.Point{Raw: "逐年下降", Unparsed: true},
		Source: corpus.SourceText, UnitID: "doc/1.p1", Text: "近视率逐年下降", Kind: corpus.KindResult}
	return []Entry{
		{Target: full, Src: &corpus.Unit{ID: "doc/t2.r5", Part: "主要指标", Themes: []string{"学前教育"}, Breadcrumb: []string{"表2 主要指标"}}},
		{Target: bare},
	}
}

// encodeAll encodes entries, failing the test on an error.
func encodeAll(t testing.TB, entries []Entry) [][]byte {
	t.Helper()
	var out [][]byte
	for i := range entries {
		out = append(out, appendEntry(nil, &entries[i]))
	}
	return out
}

// TestEntryCodecUnits checks that a unit record gives back every field,
// with nil and empty lists kept apart.
func TestEntryCodecUnits(t *testing.T) {
	for _, u := range codecUnits() {
		t.Run(u.ID, func(t *testing.T) {
			rec := appendEntry([]byte("前缀"), &Entry{Unit: u})[len("前缀"):]
			e, err := DecodeEntry(rec)
			if err != nil {
				t.Fatal(err)
			}
			if e.Target != nil || e.Src != nil || e.Doc != nil {
				t.Errorf("unit record decoded with target %v, src %v, doc %v", e.Target, e.Src, e.Doc)
			}
			if !reflect.DeepEqual(e.Unit, u) {
				t.Errorf("decoded %#v\nwant    %#v", e.Unit, u)
			}
			for name, pair := range map[string][2][]string{"breadcrumb": {u.Breadcrumb, e.Unit.Breadcrumb}, "themes": {u.Themes, e.Unit.Themes},
				"owners": {u.Owners, e.Unit.Owners}, "cells": {u.Cells, e.Unit.Cells}} {
				if (pair[0] == nil) != (pair[1] == nil) {
					t.Errorf("%s: nil %v became nil %v", name, pair[0] == nil, pair[1] == nil)
				}
			}
			// the record is a copy: changing it changes nothing decoded
			text := e.Unit.Text
			for i := range rec {
				rec[i] = 'X'
			}
			if e.Unit.Text != text {
				t.Error("decoded strings share the record's bytes")
			}
		})
	}
}

// TestEntryCodecTargets checks that a target record gives back the target
// (normalised names cached) and what a hit shows of its source unit, as
// does the JSON record of indexes written before.
func TestEntryCodecTargets(t *testing.T) {
	for _, in := range codecTargets() {
		legacy := targetRecord{Target: in.Target}
		if in.Src != nil {
			legacy.Part, legacy.Themes, legacy.Breadcrumb = in.Src.Part, in.Src.Themes, in.Src.Breadcrumb
		}
		js, err := json.Marshal(legacy)
		if err != nil {
			t.Fatal(err)
		}
		for name, rec := range map[string][]byte{"binary": appendEntry(nil, &in), "json": append([]byte{recTargetJSON}, js...)} {
			t.Run(in.Target.ID+"/"+name, func(t *testing.T) {
				e, err := DecodeEntry(rec)
				if err != nil {
					t.Fatal(err)
				}
				if e.Unit != nil || e.Target == nil || e.Src == nil {
					t.Fatalf("decoded unit %v, target %v, src %v", e.Unit, e.Target, e.Src)
				}
				want := *in.Target
				want.CacheNorm()
				if !reflect.DeepEqual(*e.Target, want) {
					t.Errorf("decoded %#v\nwant    %#v", *e.Target, want)
				}
				src := corpus.Unit{ID: in.Target.UnitID, DocID: in.Target.DocID}
				if in.Src != nil {
					src.Part, src.Themes, src.Breadcrumb = in.Src.Part, in.Src.Themes, in.Src.Breadcrumb
				}
				if !reflect.DeepEqual(*e.Src, src) {
					t.Errorf("source unit %#v, want %#v", *e.Src, src)
				}
			})
		}
	}
}

// TestEntryCodecDamaged checks that a truncated, empty or foreign record
// is an error, never a panic or a wrong entry.
func TestEntryCodecDamaged(t *testing.T) {
	var entries []Entry
	for _, u := range codecUnits() {
		entries = append(entries, Entry{Unit: u})
	}
	entries = append(entries, codecTargets()...)
	for i, rec := range encodeAll(t, entries) {
		for k := range len(rec) {
			if _, err := DecodeEntry(rec[:k]); err == nil {
				t.Errorf("entry %d (%s) truncated to %d of %d bytes decoded without error", i, entries[i].ID(), k, len(rec))
			}
		}
		if rec[0] == recUnit {
			if _, err := DecodeEntry(append(slices.Clip(rec), 0)); err == nil {
				t.Errorf("entry %d with a trailing byte decoded without error", i)
			}
		}
	}
	for _, rec := range []string{"", "x", "t", "t{", `t{"target":null}`, "t{}", `t[]`, "T", "T\x05ab", "T" + strings.Repeat("\x00", 40), "u\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
		"u\x05ab", "u" + strings.Repeat("\x00", 14) + "\xff\xff\xff\xff\x0f"} {
		if e, err := DecodeEntry([]byte(rec)); err == nil {
			t.Errorf("record %q decoded as %+v", rec, e)
		}
	}
}

// FuzzDecodeEntry checks that any record decodes without panicking, and
// that what decodes encodes to a record that decodes the same again.
// Seeded with real records: the entries of the seed corpus and the
// hand-made ones above.
func FuzzDecodeEntry(f *testing.F) {
	var entries []Entry
	for _, u := range codecUnits() {
		entries = append(entries, Entry{Unit: u})
	}
	entries = append(entries, codecTargets()...)
	c, err := parse.Seeds()
	if err != nil {
		f.Fatal(err)
	}
	all := Entries(c)
	units, targets := 0, 0
	for _, e := range all {
		if e.Unit != nil && units < 20 {
			entries, units = append(entries, e), units+1
		}
		if e.Target != nil && targets < 20 {
			entries, targets = append(entries, e), targets+1
		}
	}
	for _, rec := range encodeAll(f, entries) {
		f.Add(rec)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEntry(b)
		if err != nil {
			return
		}
		if (e.Unit == nil) == (e.Target == nil) {
			t.Fatalf("decoded entry with unit %v and target %v", e.Unit, e.Target)
		}
		again, err := DecodeEntry(appendEntry(nil, &e))
		if err != nil {
			t.Fatalf("re-encoded record: %v", err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("decode(encode(decode(b))) = %#v, decode(b) = %#v", again, e)
		}
	})
}

// codecColumns returns the entries of the hand-made units and targets
// and their columns.
func codecColumns() ([]Entry, *Columns) {
	var entries []Entry
	for _, u := range codecUnits() {
		entries = append(entries, Entry{Unit: u})
	}
	entries = append(entries, codecTargets()...)
	norms := make([]string, len(entries))
	for i := range entries {
		norms[i] = entries[i].NormText()
	}
	return entries, newColumnsOf(entries, norms)
}

// sameColumns compares columns, NaN targets equal to NaN and nil slices
// to empty ones.
func sameColumns(a, b *Columns) bool {
	if len(a.Target) != len(b.Target) {
		return false
	}
	for i := range a.Target {
		if math.Float64bits(a.Target[i]) != math.Float64bits(b.Target[i]) {
			return false
		}
	}
	return slices.Equal(a.Types, b.Types) && slices.Equal(a.Parts, b.Parts) && slices.Equal(a.Themes, b.Themes) &&
		slices.Equal(a.Type, b.Type) && slices.Equal(a.Part, b.Part) && slices.Equal(a.ThemeStart, b.ThemeStart) &&
		slices.Equal(a.Theme, b.Theme) && slices.Equal(a.Runes, b.Runes) && slices.Equal(a.Content, b.Content) &&
		slices.Equal(a.TitleOff, b.TitleOff) && slices.Equal(a.TitleLen, b.TitleLen) && slices.Equal(a.Titles, b.Titles) &&
		a.Bytes == b.Bytes
}

// TestColumnsFileRoundTrip writes the columns of units and targets and
// reads back the same, NaN targets included.
func TestColumnsFileRoundTrip(t *testing.T) {
	entries, cols := codecColumns()
	path := filepath.Join(t.TempDir(), ColumnsFile)
	if err := writeColumns(path, cols); err != nil {
		t.Fatal(err)
	}
	got, err := readColumns(path, len(entries))
	if err != nil {
		t.Fatal(err)
	}
	if !sameColumns(got, cols) {
		t.Errorf("read %+v\nwrote %+v", got, cols)
	}
	// decoded instead of used in place, as on a big-endian machine
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if dec, err := parseColumns(data, len(entries), false); err != nil || !sameColumns(dec, cols) {
		t.Errorf("decoded %+v (%v)\nwrote %+v", dec, err, cols)
	}
	defer got.Close()
	nan := 0
	for i, v := range got.Target {
		if entries[i].Unit != nil && !math.IsNaN(v) {
			t.Errorf("unit %d has target value %v, want NaN", i, v)
		}
		if math.IsNaN(v) {
			nan++
		}
	}
	if got.Target[len(entries)-2] != 90 || !math.IsNaN(got.Target[len(entries)-1]) || nan != len(entries)-1 {
		t.Errorf("target values %v", got.Target)
	}
	// every title, placed in its text or kept elsewhere
	inText, elsewhere := 0, 0
	for i, e := range entries {
		if title := got.EntryTitle(i, e.NormText()); title != e.NormTitle() {
			t.Errorf("entry %d: title %q, want %q", i, title, e.NormTitle())
		}
		switch got.TitleOff[i] {
		case NoTitle:
		case TitleElsewhere:
			elsewhere++
		default:
			inText++
		}
	}
	if inText == 0 || elsewhere == 0 {
		t.Errorf("%d titles in their text, %d elsewhere: both placements untested", inText, elsewhere)
	}
	if th := got.EntryThemes(1); len(th) != 2 || got.Themes[th[0]] != "学前教育" || got.Themes[th[1]] != "集团化办学" {
		t.Errorf("themes of unit 1: %v of %v", th, got.Themes)
	}
	// empty columns
	empty := newColumnsOf(nil, nil)
	if err := writeColumns(path, empty); err != nil {
		t.Fatal(err)
	}
	if got, err := readColumns(path, 0); err != nil || got.Len() != 0 {
		t.Errorf("empty columns: %v, %v", got, err)
	}
}

// TestColumnsFileDamaged checks that a truncated, extended, foreign or
// inconsistent columns file is an error, and that no damage panics.
func TestColumnsFileDamaged(t *testing.T) {
	entries, cols := codecColumns()
	n := len(entries)
	dir := t.TempDir()
	path := filepath.Join(dir, ColumnsFile)
	if err := writeColumns(path, cols); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	read := func(data []byte, n int) error {
		t.Helper()
		p := filepath.Join(dir, "damaged.bin")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := readColumns(p, n)
		if err != nil {
			return err
		}
		return errors.Join(c.Check(), c.Close())
	}
	// every cut before the byte counts (the last 2 KB, fixed size), and
	// a sample of those
	counts := len(good) - 8*256
	for k := 0; k < len(good); k++ {
		if k > counts {
			k += 97
		}
		if err := read(good[:min(k, len(good)-1)], n); err == nil {
			t.Errorf("columns truncated to %d of %d bytes read without error", k, len(good))
		}
	}
	for _, tc := range []struct {
		name string
		data []byte
		n    int
	}{
		{"more entries", good, n + 1},
		{"fewer entries", good, n - 1},
		{"trailing byte", append(slices.Clip(good), 0), n},
		{"magic", append([]byte("ZCCOLS99"), good[8:]...), n},
	} {
		if err := read(tc.data, tc.n); err == nil {
			t.Errorf("%s: read without error", tc.name)
		}
	}
	if _, err := readColumns(filepath.Join(dir, "missing.bin"), n); err == nil {
		t.Error("missing file read without error")
	}
	// inconsistent values, written as a writer with a bug would
	for _, tc := range []struct {
		name   string
		modify func(c *Columns)
	}{
		{"unknown type", func(c *Columns) { c.Type[0] = uint16(len(c.Types)) }},
		{"unknown part", func(c *Columns) { c.Part[1] = 999 }},
		{"unknown theme", func(c *Columns) { c.Theme[0] = uint16(len(c.Themes)) }},
		{"themes out of order", func(c *Columns) { c.ThemeStart[1], c.ThemeStart[2] = c.ThemeStart[2], c.ThemeStart[1] }},
		{"themes past the end", func(c *Columns) { c.ThemeStart[len(c.ThemeStart)-1]++ }},
		{"titles missing", func(c *Columns) { c.TitleOff = c.TitleOff[:len(c.TitleOff)-1] }},
		{"unknown title", func(c *Columns) { c.TitleOff[0], c.TitleLen[0] = TitleElsewhere, uint32(len(c.Titles)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := codecColumns()
			tc.modify(c)
			p := filepath.Join(t.TempDir(), ColumnsFile)
			if err := writeColumns(p, c); err != nil {
				t.Fatal(err)
			}
			got, err := readColumns(p, n)
			if err == nil {
				// the shape is right: the values are checked before use
				err = got.Check()
				if !errors.Is(err, ErrCorrupt) {
					t.Errorf("Check: %v, want ErrCorrupt", err)
				}
				got.Close()
			}
			if err == nil {
				t.Error("read without error")
			}
		})
	}
	// any byte before the counts changed: an error or columns, never a
	// panic
	for i := range counts {
		bad := slices.Clone(good)
		bad[i] ^= 0xa5
		read(bad, n)
	}
}

// TestBlobsRoundTrip writes blob files and reads every record back, and
// checks that a damaged file is refused when opened.
func TestBlobsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	recs := [][]byte{[]byte("第一条"), nil, []byte(strings.Repeat("长文本", 5000)), {0, 1, 2}, []byte("")}
	path := filepath.Join(dir, TextsFile)
	var asked []int // each record is asked for once, in order
	if err := writeBlobs(path, len(recs), func(i int) ([]byte, error) { asked = append(asked, i); return recs[i], nil }); err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 4}; !slices.Equal(asked, want) {
		t.Errorf("records asked for %v, want %v", asked, want)
	}
	// an error of a record stops the write and is returned
	errRecord := errors.New("record failed")
	if err := writeBlobs(filepath.Join(dir, "failed.bin"), len(recs), func(i int) ([]byte, error) {
		if i == 2 {
			return nil, errRecord
		}
		return recs[i], nil
	}); !errors.Is(err, errRecord) {
		t.Errorf("writeBlobs with a failing record: %v, want %v", err, errRecord)
	}
	for _, mapped := range []bool{true, false} {
		b, err := openBlobs(path, len(recs), mapped)
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() != len(recs) {
			t.Errorf("Len %d, want %d", b.Len(), len(recs))
		}
		for i, r := range recs {
			if !bytes.Equal(b.Bytes(i), r) || b.String(i) != string(r) {
				t.Errorf("mapped %v, record %d: %q / %q, want %q", mapped, i, b.Bytes(i), b.String(i), r)
			}
			if got := b.Bytes(i); cap(got) != len(got) {
				t.Errorf("mapped %v, record %d can be appended to in place (cap %d, len %d)", mapped, i, cap(got), len(got))
			}
		}
		if err := b.Err(); err != nil {
			t.Errorf("mapped %v: %v", mapped, err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		// no records
		emptyPath := filepath.Join(dir, "empty.bin")
		if err := writeBlobs(emptyPath, 0, nil); err != nil {
			t.Fatal(err)
		}
		if e, err := openBlobs(emptyPath, 0, mapped); err != nil || e.Len() != 0 {
			t.Errorf("empty blob file: %v", err)
		} else {
			e.Close()
		}
	}

	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open := func(data []byte, n int) error {
		t.Helper()
		p := filepath.Join(dir, "damaged.bin")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := openBlobs(p, n, false)
		if err == nil {
			b.Close()
		}
		return err
	}
	// every cut of the header and offsets, and a sample of the data
	for k := 0; k < len(good); k++ {
		if k > 16+8*(len(recs)+1)+64 {
			k += 997
		}
		if k >= len(good) {
			break
		}
		if err := open(good[:k], len(recs)); err == nil {
			t.Errorf("blob file truncated to %d of %d bytes opened", k, len(good))
		}
	}
	for _, tc := range []struct {
		name string
		data []byte
		n    int
	}{
		{"more records", good, len(recs) + 1},
		{"fewer records", good, len(recs) - 1},
		{"trailing byte", append(slices.Clip(good), 'x'), len(recs)},
		{"magic", append([]byte("ZCBLOB02"), good[8:]...), len(recs)},
		{"huge count", append(append([]byte(blobsMagic), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f), good[16:]...), len(recs)},
	} {
		if err := open(tc.data, tc.n); err == nil {
			t.Errorf("%s: opened without error", tc.name)
		}
	}
	if err := open(nil, 0); err == nil {
		t.Error("empty file opened")
	}
	// a record's offsets out of order: read as empty, not a panic
	bad := slices.Clone(good)
	copy(bad[16+8:], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	p := filepath.Join(dir, "offsets.bin")
	if err := os.WriteFile(p, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mapped := range []bool{true, false} {
		ob, err := openBlobs(p, len(recs), mapped)
		if err != nil {
			t.Fatal(err)
		}
		if len(ob.Bytes(0)) != 0 || len(ob.Bytes(1)) != 0 || ob.String(0) != "" {
			t.Errorf("damaged offsets gave records %q and %q", ob.Bytes(0), ob.Bytes(1))
		}
		if !bytes.Equal(ob.Bytes(2), recs[2]) {
			t.Error("a record after the damaged offset changed")
		}
		ob.Close()
	}
	// a file cut after it was opened: the records beyond the cut read
	// as empty and the error is kept (a mapping would fault instead)
	cut := filepath.Join(dir, "cut.bin")
	if err := os.WriteFile(cut, good, 0o644); err != nil {
		t.Fatal(err)
	}
	cb, err := openBlobs(cut, len(recs), false)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	if err := os.Truncate(cut, int64(len(good)-len(recs[3])-1)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cb.Bytes(0), recs[0]) || cb.Bytes(3) != nil || cb.Err() == nil {
		t.Errorf("cut file: record 0 %q, record 3 %q, err %v", cb.Bytes(0), cb.Bytes(3), cb.Err())
	}
}
