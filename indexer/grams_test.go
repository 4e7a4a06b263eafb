package indexer

import (
	"bytes"
	"context"
	"encoding/binary"
	"github.com/RoaringBitmap/roaring/v2"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

func TestGramKeys(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []uint64
	}{
		{"", nil},
		{"学", nil},
		{"办学", []uint64{gramKey('办', '学')}},
		{"1+X证书", []uint64{gramKey('1', '+'), gramKey('+', 'X'), gramKey('X', '证'), gramKey('证', '书')}},
		{"学习学习", []uint64{gramKey('学', '习'), gramKey('习', '学')}},
	} {
		if got := GramKeys(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("GramKeys(%q) = %x, want %x", tc.in, got, tc.want)
		}
	}
	// the keys of distinct bigrams differ: runes have at most 21 bits
	if gramKey(0x10FFFF, 0) == gramKey(0, 0x10FFFF) || gramKey('a', 'b') == gramKey('b', 'a') {
		t.Error("gramKey collides")
	}
}

// gramTexts returns n random texts over a small alphabet, so that some
// bigrams are in nearly every text (roaring lists, the bitmap
// intersection) and others in a few (raw lists).
func gramTexts(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	common := []rune("教育发展学校")
	rare := []rune("集团化办学普惠托育𠀋")
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range 4 + r.IntN(40) {
			if r.IntN(10) == 0 {
				b.WriteRune(rare[r.IntN(len(rare))])
			} else {
				b.WriteRune(common[r.IntN(len(common))])
			}
		}
		out[i] = b.String()
	}
	return out
}

// openedGrams writes the bigram postings of texts with workers
// goroutines into a temporary file and opens it; the file's path is
// returned with it.
func openedGrams(tb testing.TB, texts []string, workers int) (*Grams, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), GramsFile)
	if err := writeGrams(context.Background(), path, texts, workers); err != nil {
		tb.Fatal(err)
	}
	g, err := readGrams(path, len(texts))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { g.Close() })
	return g, path
}

// seedUnitTexts returns the normalised texts of the seed corpus's units,
// copies times over, and their size in bytes.
func seedUnitTexts(tb testing.TB, copies int) ([]string, int) {
	tb.Helper()
	c, err := parse.Seeds()
	if err != nil {
		tb.Fatal(err)
	}
	var texts []string
	size := 0
	for range copies {
		for _, d := range c.Documents() {
			for _, u := range d.Units {
				texts = append(texts, u.NormText())
				size += len(u.NormText())
			}
		}
	}
	return texts, size
}

func TestGramsCandidates(t *testing.T) {
	for _, n := range []int{1, 7, 3000, 20000} {
		texts := gramTexts(n, uint64(n))
		g, path := openedGrams(t, texts, 3)
		// every key read from the file (its sparse keys, then a block of
		// the mapped keys and the offsets, then the list with pread) as
		// from the bytes in memory, and keys between, before and after
		// them absent, before and after the mapping's pages are handed
		// back
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		mem, err := parseGrams(data, n)
		if err != nil {
			t.Fatal(err)
		}
		// blocks of 7 keys: the lookup crosses blocks on every corpus
		small, err := openGrams(path, n, 7)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { small.Close() })
		for round, g := range []*Grams{g, g, small, small} {
			for i := 0; i < mem.n; i++ {
				k := binary.LittleEndian.Uint64(mem.keys[8*i:])
				for _, q := range []uint64{k, k - 1, k + 1} {
					want, _ := mem.read(q)
					if got, err := g.read(q); err != nil || !bytes.Equal(got, want) {
						t.Fatalf("n=%d, round %d (blocks of %d), key %d of %d (%x): read %d bytes (%v), want %d", n, round, g.block, i, mem.n, q, len(got), err, len(want))
					}
					// the length from the head of the list only
					card, ok := g.count(q)
					if want == nil {
						if ok {
							t.Fatalf("n=%d: count of absent key %x: %d", n, q, card)
						}
						continue
					}
					l, err := mem.decode(want)
					if err != nil || !ok || card != l.card() {
						t.Fatalf("n=%d, key %x: count %d (%v), want %d (%v)", n, q, card, ok, l.card(), err)
					}
				}
			}
			if got, err := g.read(math.MaxUint64); err != nil || got != nil {
				t.Errorf("largest key: %v, %v", got, err)
			}
			if err := g.DropPages(); err != nil {
				t.Fatal(err)
			}
		}
		phrases := []string{"教育", "教育发展", "学校", "集团", "集团化办学", "托育𠀋", "育发展学校教", "无此", "教育发展学校教育"}
		for _, tx := range texts[:min(n, 20)] {
			phrases = append(phrases, tx, string([]rune(tx)[:3]))
		}
		for _, ph := range phrases {
			keys := GramKeys(ph)
			got, err := g.Candidates(keys)
			if err != nil {
				t.Fatal(err)
			}
			var want []int32
			for o, tx := range texts {
				all := true
				for _, k := range keys {
					all = all && slices.Contains(GramKeys(tx), k)
				}
				if all && len(keys) > 0 {
					want = append(want, int32(o))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("n=%d %q: %d candidates, want %d", n, ph, len(got), len(want))
			}
		}
	}
}

// TestGramsListsCutAfterOpen: a postings file whose lists are cut after
// it was opened fails the lookups that read them with an error, kept for
// Err, never a fault or a list read short.
func TestGramsListsCutAfterOpen(t *testing.T) {
	g, path := openedGrams(t, gramTexts(3000, 9), 2)
	keys := GramKeys("教育发展")
	if _, err := g.Candidates(keys); err != nil || g.Err() != nil {
		t.Fatalf("before the cut: %v, %v", err, g.Err())
	}
	// the keys and offsets stay whole (they are mapped), the lists go
	if err := os.Truncate(path, g.listsAt+1); err != nil {
		t.Fatal(err)
	}
	if got, err := g.Candidates(keys); err == nil {
		t.Fatalf("lists cut: %d candidates and no error", len(got))
	}
	if _, ok := g.count(keys[0]); ok {
		t.Error("lists cut: a count")
	}
	if g.Err() == nil {
		t.Error("lists cut: no error kept")
	}
}

func TestGramsWriteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := writeGrams(ctx, filepath.Join(t.TempDir(), GramsFile), gramTexts(5000, 1), 2)
	if err == nil {
		t.Fatal("cancelled write succeeded")
	}
}

// TestGramsCorrupt: a damaged postings file is an error, never a panic or
// an ordinal outside the index.
func TestGramsCorrupt(t *testing.T) {
	texts := gramTexts(3000, 2)
	path := filepath.Join(t.TempDir(), GramsFile)
	if err := writeGrams(context.Background(), path, texts, 2); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseGrams(data, len(texts)+1); err == nil {
		t.Error("postings of another document count accepted")
	}
	for _, cut := range []int{0, 7, 15, 16, 40, len(data) / 2, len(data) - 1} {
		if _, err := parseGrams(data[:cut], len(texts)); err == nil {
			t.Errorf("truncated at %d accepted", cut)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	keys := GramKeys("教育发展学校集团化办学")
	for range 2000 {
		bad := slices.Clone(data)
		for range 1 + r.IntN(4) {
			bad[r.IntN(len(bad))] ^= byte(1 + r.IntN(255))
		}
		g, err := parseGrams(bad, len(texts))
		if err != nil {
			continue
		}
		for i := range keys {
			ords, err := g.Candidates(keys[i : i+1])
			if err != nil {
				continue
			}
			for _, o := range ords {
				if o < 0 || int(o) >= len(texts) {
					t.Fatalf("ordinal %d outside %d documents", o, len(texts))
				}
			}
		}
	}
}

// TestRoaringCardinality reads the cardinality of serialised roaring
// bitmaps from their headers, for the shapes writeGrams produces: array,
// bitmap and run containers, one container or many, and refuses heads
// that are cut or foreign.
func TestRoaringCardinality(t *testing.T) {
	shapes := map[string]*roaring.Bitmap{
		"array":     roaring.BitmapOf(1, 5, 9, 70000),
		"dense":     roaring.New(),
		"runs":      roaring.New(),
		"many":      roaring.New(),
		"one value": roaring.BitmapOf(123456),
	}
	for i := uint32(0); i < 50000; i += 2 {
		shapes["dense"].Add(i)
	}
	shapes["runs"].AddRange(10, 60000)
	shapes["runs"].AddRange(200000, 260000)
	shapes["runs"].RunOptimize()
	for i := uint32(0); i < 1_000_000; i += 37 {
		shapes["many"].Add(i)
	}
	for name, bm := range shapes {
		var buf bytes.Buffer
		if _, err := bm.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		got, ok := roaringCardinality(b)
		if !ok || got != int(bm.GetCardinality()) {
			t.Errorf("%s: %d (%v), want %d", name, got, ok, bm.GetCardinality())
		}
		if size := roaringHeadSize(b); size <= 0 || size > len(b) {
			t.Errorf("%s: head of %d bytes in %d", name, size, len(b))
		} else if _, ok := roaringCardinality(b[:size-1]); ok {
			t.Errorf("%s: a cut head gave a cardinality", name)
		}
		if n, ok := listCount(append([]byte{listRoaring}, b...), len(b)+1); !ok || n != int(bm.GetCardinality()) {
			t.Errorf("%s: listCount %d (%v)", name, n, ok)
		}
	}
	for _, bad := range [][]byte{nil, {1, 2}, {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}} {
		if _, ok := roaringCardinality(bad); ok {
			t.Errorf("%x read as a roaring bitmap", bad)
		}
	}
}

// BenchmarkWriteGrams writes the bigram postings of the seed corpus's
// unit texts, ten times over (as ten documents each), on two workers.
func BenchmarkWriteGrams(b *testing.B) {
	texts, size := seedUnitTexts(b, 10)
	path := filepath.Join(b.TempDir(), GramsFile)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if err := writeGrams(context.Background(), path, texts, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteGramsDir writes the bigram postings of a streamed
// segment's worth of a larger corpus (its first 32 MB of .txt files, a
// text per line), where the lists are long and the table outgrows the
// caches:
//
//	zcbench synth -n 2000 -kb 100 -out /tmp/syn2000
//	ZHENGCE_BENCH_CORPUS=/tmp/syn2000 go test ./indexer -run '^$' -bench WriteGramsDir
func BenchmarkWriteGramsDir(b *testing.B) {
	dir := os.Getenv("ZHENGCE_BENCH_CORPUS")
	if dir == "" {
		b.Skip("ZHENGCE_BENCH_CORPUS not set")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	size, read := 0, 0
	for _, f := range files {
		if read >= corpus.StreamBatchBytes {
			break
		}
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		read += len(data)
		for line := range strings.SplitSeq(string(data), "\n") {
			if n := corpus.Normalize(line); n != "" {
				texts = append(texts, n)
				size += len(n)
			}
		}
	}
	if len(texts) == 0 {
		b.Fatalf("no text in the .txt files of %s", dir)
	}
	path := filepath.Join(b.TempDir(), GramsFile)
	b.SetBytes(int64(size))
	for b.Loop() {
		if err := writeGrams(context.Background(), path, texts, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGramsCandidates looks up the candidates of a selective and a
// common phrase in the bigram postings file of the seed corpus's unit
// texts, ten times over, as a search does: the keys through the file's
// mapping, the lists with pread.
func BenchmarkGramsCandidates(b *testing.B) {
	texts, _ := seedUnitTexts(b, 10)
	g, _ := openedGrams(b, texts, 2)
	for _, ph := range []string{"校园纠纷调解委员会", "集团化办学", "教育"} {
		keys := GramKeys(ph)
		b.Run(ph, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got, err := g.Candidates(keys); err != nil || len(got) == 0 {
					b.Fatalf("%d candidates (%v)", len(got), err)
				}
			}
		})
	}
}

// TestGramTable checks the table writeGrams counts bigrams in against a
// map of slices: lists of every length (chunks of every size, linked
// across arena blocks), an ordinal added twice in a row kept once, and
// the table grown several times on the way.
func TestGramTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	tab := newGramTable(16)
	want := map[uint64][]uint32{}
	for o := range uint32(3000) {
		// one key in every text: a list past the largest chunk
		tab.add(7777, o)
		want[7777] = append(want[7777], o)
		for range 1 + r.IntN(60) {
			var k uint64
			switch r.IntN(3) {
			case 0:
				k = uint64(r.IntN(20)) // in most texts: long lists
			case 1:
				k = 1000 + uint64(r.IntN(5000))
			default:
				k = 1<<20 + uint64(r.IntN(1<<30)) // mostly once
			}
			tab.add(k, o)
			if l := want[k]; len(l) == 0 || l[len(l)-1] != o {
				want[k] = append(l, o)
			}
		}
	}
	if len(tab.arena) < 2 || len(tab.keys) <= 1<<16 {
		t.Fatalf("%d arena blocks, %d slots: the arena or the table did not grow", len(tab.arena), len(tab.keys))
	}
	keys := tab.appendKeys(nil)
	if len(keys) != len(want) {
		t.Fatalf("%d keys, want %d", len(keys), len(want))
	}
	for _, k := range keys {
		if got := tab.appendList(nil, k); !slices.Equal(got, want[k]) || tab.count(k) != len(want[k]) {
			t.Fatalf("key %d: list of %d (count %d), want %d", k, len(got), tab.count(k), len(want[k]))
		}
	}
	if tab.count(1<<40) != 0 || tab.appendList(nil, 1<<40) != nil {
		t.Error("an absent key has a list")
	}
}
