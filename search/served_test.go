package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// servedQueries are the requests compared between a Service that built
// its columns and one that mapped them: phrases, bare words, facets and
// filters, document order.
var servedQueries = []Request{
	{Query: `"教育质量"`, Limit: MaxLimit},
	{Query: `"加强学校管理"`, Limit: MaxLimit},
	{Query: `教育 发展`, Limit: MaxLimit},
	{Query: `"推进" district:东营市`, Limit: MaxLimit},
	{Query: `"管理" type:section`, Limit: MaxLimit},
	{Query: `"改革" region:山东省 date:2018..2024`, Limit: MaxLimit},
}

// servedAnswers runs servedQueries on l: the hits' ids, scores and
// highlights and every facet, in order.
func servedAnswers(t *testing.T, l *Live) []string {
	t.Helper()
	var out []string
	for _, r := range servedQueries {
		res, err := l.Search(context.Background(), r)
		if err != nil {
			t.Fatalf("%s: %v", r.Query, err)
		}
		res.TookMS = 0 // the time taken differs from run to run
		b, err := res.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// TestServedColumns checks the served columns kept beside a library:
// written after a start that built them, mapped by the next start with
// the same answers, ignored (and rebuilt) when damaged, truncated or of
// another state.
func TestServedColumns(t *testing.T) {
	dir, loader, s := synthLibrary(t, 11, "doc", 12)
	path := filepath.Join(dir, servedFile)

	open := func(t *testing.T) *Live { return openLibrary(t, dir, loader) }
	closeLive := func(t *testing.T, l *Live) {
		t.Helper()
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	servedNow := func(l *Live) bool { return l.cur.Load().svc.served != nil }

	first := open(t)
	if servedNow(first) {
		t.Fatal("the first start mapped served columns nobody wrote")
	}
	want := servedAnswers(t, first)
	closeLive(t, first) // waits for the background write
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no served columns after the first start: %v", err)
	}

	t.Run("mapped by the next start", func(t *testing.T) {
		l := open(t)
		defer closeLive(t, l)
		if !servedNow(l) {
			t.Fatal("served columns not mapped")
		}
		if got := servedAnswers(t, l); !reflect.DeepEqual(got, want) {
			t.Errorf("answers differ from the built columns:\n%v\nwant\n%v", got, want)
		}
	})

	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	damage := []struct {
		name string
		edit func([]byte) []byte
	}{
		// the middle of the file is the entries' values
		{"a byte flipped", func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }},
		{"a target changed", func(b []byte) []byte {
			// entry 0's target: no index, only the sums see it
			n, t := int(binary.LittleEndian.Uint64(b[40:])), int(binary.LittleEndian.Uint64(b[48:]))
			_, _, eAt, _, _, _ := servedLayout(n, t)
			b[eAt+7] ^= 0x01
			return b
		}},
		{"an ordinal changed", func(b []byte) []byte {
			// ord and seq no longer inverse: would index outside a table
			b[servedHeader] ^= 0x02
			return b
		}},
		{"a block sum changed", func(b []byte) []byte { b[len(b)-1] ^= 0x10; return b }},
		{"truncated", func(b []byte) []byte { return b[:len(b)-3] }},
		{"header only", func(b []byte) []byte { return b[:servedHeader] }},
		{"empty", func([]byte) []byte { return nil }},
		{"entry count", func(b []byte) []byte { binary.LittleEndian.PutUint64(b[40:], 7); return b }},
		{"theme count", func(b []byte) []byte { binary.LittleEndian.PutUint64(b[48:], 1<<40); return b }},
		{"another state", func(b []byte) []byte { b[8] ^= 1; return b }},
	}
	// repaired: l serves the built columns with the same answers, and
	// closing it leaves the file rewritten
	repaired := func(t *testing.T, l *Live) {
		t.Helper()
		if servedNow(l) {
			t.Error("damaged served columns serving")
		}
		if got := servedAnswers(t, l); !reflect.DeepEqual(got, want) {
			t.Errorf("answers differ without the file:\n%v\nwant\n%v", got, want)
		}
		closeLive(t, l)
		if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, good) {
			t.Errorf("served columns not rewritten (%d bytes, %v)", len(b), err)
		}
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			if err := os.WriteFile(path, d.edit(bytes.Clone(good)), 0o644); err != nil {
				t.Fatal(err)
			}
			repaired(t, open(t)) // ignored at open, rewritten by that start
		})
	}

	t.Run("damaged after open", func(t *testing.T) {
		if err := os.WriteFile(path, good, 0o644); err != nil {
			t.Fatal(err)
		}
		l := open(t)
		if !servedNow(l) {
			t.Fatal("served columns not mapped")
		}
		// a target changed in place, under the mapping: no index, so the
		// searches meanwhile stay safe; Verify reads the sums again
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		n, th := int(binary.LittleEndian.Uint64(good[40:])), int(binary.LittleEndian.Uint64(good[48:]))
		_, _, eAt, _, _, _ := servedLayout(n, th)
		if _, err := f.WriteAt([]byte{good[eAt+7] ^ 0x01}, int64(eAt+7)); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		if err := l.Verify(); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		repaired(t, l)
	})

	t.Run("a change is another state", func(t *testing.T) {
		l := open(t)
		res, err := l.Add(context.Background(), "upload", []corpus.File{{Name: "new.txt", Data: []byte(s.text())}})
		if err != nil || len(res) != 1 || res[0].Status != corpus.ChangeIndexed {
			t.Fatalf("Add: %+v, %v", res, err)
		}
		after := servedAnswers(t, l)
		closeLive(t, l)
		l = open(t)
		defer closeLive(t, l)
		if servedNow(l) {
			t.Error("served columns of the state before the change mapped after it")
		}
		if got := servedAnswers(t, l); !reflect.DeepEqual(got, after) {
			t.Errorf("answers after reopening differ:\n%v\nwant\n%v", got, after)
		}
	})
}
