package indexer

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-ego/gse"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// domainFixture derives the seed corpus's domain dictionary into a temp
// directory and loads it.
func domainFixture(t testing.TB) (*corpus.Corpus, *Segmenter, *Segmenter, string) {
	t.Helper()
	full, err := gseSeg()
	if err != nil {
		t.Fatalf("NewSegmenter: %v", err)
	}
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteDomainDict(dir, c, full); err != nil {
		t.Fatalf("WriteDomainDict: %v", err)
	}
	dom, err := LoadDomainSegmenter(dir, c, keepGSE())
	if err != nil {
		t.Fatalf("LoadDomainSegmenter: %v", err)
	}
	return c, full, dom, dir
}

// TestDomainDictIdentical segments every indexed text of the seed corpus
// (unit texts and titles, target texts and indicators) with gse's full
// dictionary and with the domain dictionary and requires identical tokens,
// offsets and positions.
func TestDomainDictIdentical(t *testing.T) {
	c, full, dom, _ := domainFixture(t)
	if !dom.Domain() || full.Domain() {
		t.Fatalf("Domain() = %v (domain), %v (full)", dom.Domain(), full.Domain())
	}
	if dom.Fingerprint() != full.Fingerprint() {
		t.Fatalf("fingerprints differ: %s vs %s", dom.Fingerprint(), full.Fingerprint())
	}
	texts := IndexedTexts(c)
	tokens := 0
	for _, text := range texts {
		want, got := full.Tokens(text), dom.Tokens(text)
		if !slices.Equal(want, got) {
			t.Fatalf("segmentation differs for %q:\nfull   %v\ndomain %v", text, full.Terms(text), dom.Terms(text))
		}
		tokens += len(want)
	}
	t.Logf("%d texts, %d tokens identical; dictionary %d → %d entries", len(texts), tokens, full.Entries(), dom.Entries())
	if dom.Entries() >= full.Entries()/5 {
		t.Errorf("domain dictionary has %d entries, not much smaller than %d", dom.Entries(), full.Entries())
	}
}

// TestDomainDictNeedsTotal is the control of TestDomainDictIdentical: the
// same entries without the filler that preserves the total frequency
// segment some seed text differently, so the identity test can fail.
func TestDomainDictNeedsTotal(t *testing.T) {
	c, _, dom, dir := domainFixture(t)
	data, err := os.ReadFile(filepath.Join(dir, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	var bare gse.Segmenter
	bare.SkipLog, bare.NotLoadHMM = true, true
	bare.Dict = gse.NewDict()
	bare.Init()
	for _, line := range strings.Split(string(data), "\n") {
		term, f, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") || strings.ContainsRune(term, '\uFDD0') {
			continue
		}
		var freq float64
		if _, err := fmtSscan(f, &freq); err != nil {
			t.Fatal(err)
		}
		if err := bare.AddToken(term, freq); err != nil {
			t.Fatal(err)
		}
	}
	diff := 0
	for _, text := range IndexedTexts(c) {
		if !slices.Equal(bare.Cut(text, false), dom.seg.Cut(text, false)) {
			diff++
		}
	}
	t.Logf("%d texts segment differently without the filler entry", diff)
	if diff == 0 {
		t.Fatal("the filler entry makes no difference: the identity test would not notice a wrong total")
	}
}

// TestDomainDictRefused checks that a domain dictionary is only used for
// the corpus and analyzer it was made for, and that damage is detected.
func TestDomainDictRefused(t *testing.T) {
	c, full, _, dir := domainFixture(t)
	docs := c.Documents()
	other, err := corpus.New(docs[:len(docs)-1])
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	damaged := t.TempDir()
	if err := os.WriteFile(filepath.Join(damaged, DictFile), bytes.Replace(data, []byte("\t2\n"), []byte("\t3\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := t.TempDir()
	if err := os.WriteFile(filepath.Join(truncated, DictFile), data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		dir  string
		c    *corpus.Corpus
		opts []Option
		code string
	}{
		{"missing", t.TempDir(), c, nil, corpus.ENOTFOUND},
		{"other corpus", dir, other, nil, corpus.EINVALID},
		{"other user dictionary", dir, c, []Option{WithUserDict("某词 100")}, corpus.EINVALID},
		{"other hmm", dir, c, []Option{WithHMM(true)}, corpus.EINVALID},
		{"damaged", damaged, c, nil, corpus.EINVALID},
		{"truncated", truncated, c, nil, corpus.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadDomainSegmenter(tc.dir, tc.c, tc.opts...)
			if corpus.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v (%s), want %s", err, corpus.ErrorCode(err), tc.code)
			}
		})
	}
	// without a usable domain dictionary SegmenterFor falls back to
	// NewSegmenter, whose error (here: a bad user dictionary) it returns
	if _, err := SegmenterFor(t.TempDir(), c, WithUserDict("缺少词频")); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Fatalf("SegmenterFor falling back with a bad user dictionary: err = %v, want EINVALID", err)
	}
	if s, err := SegmenterFor(dir, c); err != nil || !s.Domain() || s.Fingerprint() != full.Fingerprint() {
		t.Fatalf("SegmenterFor with a domain dictionary: %v", err)
	}
}

// BenchmarkDomainDictLoad measures loading the seed corpus's domain
// dictionary (compare BenchmarkSegmenterLoad for gse's full dictionary).
func BenchmarkDomainDictLoad(b *testing.B) {
	c, _, _, dir := domainFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadDomainSegmenter(dir, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDomainDictDerive measures deriving the domain dictionary of the
// seed corpus from the full dictionary (done once per index build).
func BenchmarkDomainDictDerive(b *testing.B) {
	full := segmenter(b)
	c, err := parse.Seeds()
	if err != nil {
		b.Fatal(err)
	}
	texts := IndexedTexts(c)
	for b.Loop() {
		if _, err := full.DomainDict(texts); err != nil {
			b.Fatal(err)
		}
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }

// TestBuildWritesDomainDict checks that Build saves the domain dictionary
// inside the index, that a segmenter loaded from it can rebuild the same
// corpus, and that Build refuses it for another corpus.
func TestBuildWritesDomainDict(t *testing.T) {
	c, _, dom, _ := domainFixture(t)
	dir := filepath.Join(t.TempDir(), "idx")
	if _, err := Build(context.Background(), dir, c, dom, nil); err != nil {
		t.Fatalf("Build with the domain segmenter of the same corpus: %v", err)
	}
	again, err := LoadDomainSegmenter(dir, c)
	if err != nil {
		t.Fatalf("LoadDomainSegmenter after Build: %v", err)
	}
	if again.Entries() != dom.Entries() {
		t.Errorf("rebuilt domain dictionary has %d entries, want %d", again.Entries(), dom.Entries())
	}
	docs := c.Documents()
	other, err := corpus.New(docs[:1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), filepath.Join(t.TempDir(), "idx"), other, dom, nil); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Fatalf("Build of another corpus with a domain segmenter: err = %v, want EINVALID", err)
	}
}

var update = flag.Bool("update", false, "rewrite dict_seeds.txt")

// TestSeedDomainDict keeps the shipped domain dictionary of the seed
// corpus (dict_seeds.txt, used by SeedSegmenter for a first start without
// gse's full dictionary) equal to the one derived now. When the seeds, the
// parser's units, the user dictionary or gse change, it fails until
// regenerated with: go test ./indexer -run TestSeedDomainDict -update
func TestSeedDomainDict(t *testing.T) {
	full := segmenter(t)
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	want, err := full.DomainDict(IndexedTexts(c))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("dict_seeds.txt", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(seedDict, want) {
		t.Fatal("dict_seeds.txt is stale: run go test ./indexer -run TestSeedDomainDict -update")
	}
	seg, err := SeedSegmenter(c)
	if err != nil {
		t.Fatalf("SeedSegmenter: %v", err)
	}
	if !seg.Domain() || seg.Fingerprint() != full.Fingerprint() {
		t.Fatalf("SeedSegmenter: domain %v, fingerprint %s, want %s", seg.Domain(), seg.Fingerprint(), full.Fingerprint())
	}
	other, err := corpus.New(c.Documents()[:2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SeedSegmenter(other); corpus.ErrorCode(err) != corpus.EINVALID {
		t.Fatalf("SeedSegmenter for another corpus: err = %v, want EINVALID", err)
	}
}

// TestReleasedGSE checks that a segmenter that has dropped gse's
// dictionary (the default without HMM) holds gse's entries in its own
// table, in gse's order with gse's frequencies and total, and derives the
// same domain dictionary as one that keeps gse's.
func TestReleasedGSE(t *testing.T) {
	kept, err := gseSeg()
	if err != nil {
		t.Fatal(err)
	}
	released := segmenter(t)
	if released.seg.Dict != nil {
		t.Fatal("NewSegmenter kept gse's dictionary")
	}
	d := kept.seg.Dict
	if released.Entries() != len(d.Tokens) || released.words.total != d.TotalFreq() {
		t.Fatalf("%d entries, total %v; gse: %d, %v", released.Entries(), released.words.total, len(d.Tokens), d.TotalFreq())
	}
	for i := range d.Tokens {
		if w, f := released.words.word(i), released.words.freq(i); w != d.Tokens[i].Text() || f != d.Tokens[i].Freq() {
			t.Fatalf("entry %d: %q %v; gse: %q %v", i, w, f, d.Tokens[i].Text(), d.Tokens[i].Freq())
		}
	}
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	var files [2][]byte
	for i, s := range []*Segmenter{kept, released} {
		dir := t.TempDir()
		if err := WriteDomainDict(dir, c, s); err != nil {
			t.Fatal(err)
		}
		if files[i], err = os.ReadFile(filepath.Join(dir, DictFile)); err != nil {
			t.Fatal(err)
		}
		dom, err := LoadDomainSegmenter(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		if dom.seg.Dict != nil {
			t.Fatal("LoadDomainSegmenter kept gse's dictionary")
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the domain dictionaries of the kept and the released segmenter differ")
	}
}

// TestDictMarksMatchScan checks that segmenting texts with marks and
// adding the marks (a streamed build's words) gives the domain
// dictionary that scanning the same texts gives: over the seed corpus's
// indexed texts and texts with upper case, runes of no entry, a filler's
// rune and invalid UTF-8, whichever goroutines segment them.
func TestDictMarksMatchScan(t *testing.T) {
	seg, err := gseSeg()
	if err != nil {
		t.Fatal(err)
	}
	c, err := parse.Seeds()
	if err != nil {
		t.Fatal(err)
	}
	texts := append(IndexedTexts(c), "ABC集团化办学", "标题", "\uFDD0未知\U0002A6A5字", "标题",
		"学前三年毛入园率达到93%", "", "\xff坏字节集团", "标题", "Ⅲ类水体比例", "")
	whole, err := seg.newDictScan()
	if err != nil {
		t.Fatal(err)
	}
	whole.add(texts)
	want, err := whole.bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		sc, err := seg.newDictScan()
		if err != nil {
			t.Fatal(err)
		}
		if !sc.marking() {
			t.Fatal("a segmenter without HMM does not mark")
		}
		sc.addSkipping(texts, func(i int) bool { return i%2 == 0 })
		bm := buildMapping{seg: seg, scan: sc}
		var even []string
		for i := 0; i < len(texts); i += 2 {
			even = append(even, texts[i])
		}
		a := analyzeAhead(bm, even, workers)
		for k := range (len(even) + analyzeChunk - 1) / analyzeChunk {
			a.take(k)
		}
		a.close()
		got, err := sc.bytes()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d workers: dictionary from the marks differs (%d bytes, scanned %d)", workers, len(got), len(want))
		}
	}
	var none *dictScan
	if none.marking() {
		t.Error("a nil scan marks")
	}
}

// TestDictSkipsTextsInsideTheOneBefore checks that a text the text before
// it contains, which the scan does not walk (insideBefore), adds nothing
// to the domain dictionary that walking it would: the seed corpus and the
// law samples (whose unit titles are mostly inside their texts) scanned
// as they are give the sets of entries, runes and fillers that they give
// with every text after an empty one, so that none is skipped.
func TestDictSkipsTextsInsideTheOneBefore(t *testing.T) {
	seg := segmenter(t)
	var texts []string
	for _, load := range []func() (*corpus.Corpus, error){parse.Seeds, func() (*corpus.Corpus, error) {
		return parse.LoadDir(filepath.Join("..", "testdata", "laws"))
	}} {
		c, err := load()
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, IndexedTexts(c)...)
	}
	texts = append(texts,
		"ABC集团化办学", "BC集团", // inside once lower-cased alike
		"\uFDD0未知\U0002A6A5字", "未知\U0002A6A5", // a rune of no entry: the fillers
		"集团化办学\xff", "办学\xff", // invalid UTF-8: walked
		"标题", "标题里没有的新词汇", // the text before inside this one: walked
		"教育", "教育")
	inside := 0
	for i := range texts {
		if insideBefore(texts, i) {
			inside++
		}
	}
	if inside < len(texts)/4 {
		t.Fatalf("only %d of %d texts inside the one before: the test does not exercise the skip", inside, len(texts))
	}
	spaced := make([]string, 0, 2*len(texts))
	for _, s := range texts {
		spaced = append(spaced, "", s)
	}
	scans := [2]*dictScan{}
	for k, in := range [][]string{texts, spaced} {
		sc, err := seg.newDictScan()
		if err != nil {
			t.Fatal(err)
		}
		sc.add(in)
		scans[k] = sc
	}
	a, b := scans[0], scans[1]
	if !slices.Equal(a.used, b.used) || !slices.Equal(a.codesSeen, b.codesSeen) || !slices.Equal(a.fillerSeen, b.fillerSeen) {
		t.Errorf("skipping %d texts inside the one before changed the dictionary's entries, runes or fillers", inside)
	}
}
