package indexer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/zhengce/zhengce/corpus"
)

// DictFile is the name of the domain dictionary inside an index directory.
//
// Reading gse's full simplified-Chinese dictionary costs about 0.14 s
// and 38 MB of tables (BenchmarkSegmenterLoad; gse's own loader took
// 0.96 s and 135 MB); the corpus only ever meets a few percent of its
// 350,000 entries. When an index is built, the entries that occur in the
// indexed text are saved here with their original frequencies, plus one
// filler entry that carries the frequency mass of all the others. gse
// scores a word by log(freq) − log(total), so with the same entries at
// every position of the corpus text and the same total, the segmentation
// of every indexed text is identical to the full dictionary's
// (TestDomainDictIdentical proves it on every unit). A server then starts
// in tens of milliseconds with a few MB of dictionary.
const DictFile = "zhengce-dict.txt"

// dictMagic starts every domain dictionary file.
const dictMagic = "# zhengce domain dictionary v1"

// fillers are candidate texts of the filler entry: noncharacters that
// never occur in policy text. The first one absent from the corpus is used.
var fillers = []string{"\uFDD0\uFDD1", "\uFDD2\uFDD3", "\uFDD4\uFDD5"}

// DomainDict derives the domain dictionary of texts (the indexed texts of
// a corpus, IndexedTexts) from s. It returns the file content written to
// DictFile.
func (s *Segmenter) DomainDict(texts []string) ([]byte, error) {
	sc, err := s.newDictScan()
	if err != nil {
		return nil, err
	}
	sc.add(texts)
	return sc.bytes()
}

// dictScan derives a domain dictionary from texts given in batches (a
// streamed build): the entries the texts use, the characters they hold,
// and their count and fingerprint.
type dictScan struct {
	s     *Segmenter
	count int
	fp    *hashBuffer
	// mu guards the sets: a streamed build adds the marks of its words'
	// segmentation (addMarks) while the next batch's titles are scanned
	mu                          sync.Mutex
	used, codesSeen, fillerSeen []bool
}

// dictMarks is what the walks of one segmenting goroutine met
// (Segmenter.cutLowered): the trie nodes reached, the codes of the runes
// and the fillers of the texts that hold a rune of no entry — what
// dictScan.add records of the same texts, by node rather than by entry,
// so marking costs a store per step of a walk that segmentation makes
// anyway.
type dictMarks struct {
	nodes   []bool // by trie node
	codes   []bool // by rune code
	fillers []bool // by filler
}

// text records the runes of lower (their codes) and, when one is in no
// entry, the fillers lower holds, as dictScan.add does.
func (m *dictMarks) text(lower string, codes []uint32) {
	unknown := false
	for _, c := range codes {
		m.codes[c] = true
		unknown = unknown || c == 0
	}
	if unknown {
		markFillers(lower, m.fillers)
	}
}

// markFillers sets seen[f] when text holds the first rune of fillers[f]:
// such a filler cannot stand for the entries the text does not hold.
func markFillers(text string, seen []bool) {
	for f, filler := range fillers {
		r, _ := utf8.DecodeRuneInString(filler)
		seen[f] = seen[f] || strings.ContainsRune(text, r)
	}
}

// marking reports whether the segmentation of texts can stand for
// scanning them (addMarks): not with HMM, whose segmentation does not walk
// the dictionary's trie. A nil scan marks nothing.
func (sc *dictScan) marking() bool { return sc != nil && !sc.s.hmm }

// newMarks returns empty marks for one segmenting goroutine.
func (sc *dictScan) newMarks() *dictMarks {
	return &dictMarks{nodes: make([]bool, len(sc.s.trie.value)), codes: make([]bool, len(sc.s.trie.root)), fillers: make([]bool, len(fillers))}
}

// addMarks adds what segmenting texts with marks met, as add would have
// of those texts.
func (sc *dictScan) addMarks(m *dictMarks) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for node, on := range m.nodes {
		if on {
			if v := sc.s.trie.value[node]; v >= 0 {
				sc.used[v] = true
			}
		}
	}
	for c, on := range m.codes {
		sc.codesSeen[c] = sc.codesSeen[c] || on
	}
	for f, on := range m.fillers {
		sc.fillerSeen[f] = sc.fillerSeen[f] || on
	}
}

func (s *Segmenter) newDictScan() (*dictScan, error) {
	if s.words.len() == 0 {
		return nil, corpus.Errorf(corpus.EINTERNAL, "分词器没有词典")
	}
	return &dictScan{s: s, used: make([]bool, s.words.len()), codesSeen: make([]bool, len(s.trie.root)),
		fillerSeen: make([]bool, len(fillers)), fp: newHashBuffer()}, nil
}

// add scans texts, in order after those already added.
func (sc *dictScan) add(texts []string) { sc.addSkipping(texts, nil) }

// addSkipping is add for texts of which those where segmented(i) is true
// are not walked: their segmentation adds their marks (addMarks). They
// still count in the fingerprint, in order.
//
// Nor is a text walked that the text before it contains (insideBefore):
// every entry on a walk from one of its positions, every rune, every
// filler it holds, is at the same place in that text, which is walked or
// segmented in turn. In IndexedTexts a unit's title follows its text and
// a run-in title is inside it: 207,741 of the 207,750 titles of the laws
// corpus, 24 MB of text.
func (sc *dictScan) addSkipping(texts []string, segmented func(i int) bool) {
	s := sc.s
	n := s.words.len()
	sc.count += len(texts)
	for _, t := range texts {
		sc.fp.add(t, 0)
	}
	// every text is looked up independently: split them over the cores,
	// each worker with its own sets, merged afterwards
	workers := max(1, min(runtime.GOMAXPROCS(0), len(texts)/256+1))
	usedBy := make([][]bool, workers)    // by entry
	codesBy := make([][]bool, workers)   // by rune code (s.trie)
	fillersBy := make([][]bool, workers) // by filler
	var wg sync.WaitGroup
	for w := range workers {
		used, codesSeen, fillerSeen := make([]bool, n), make([]bool, len(s.trie.root)), make([]bool, len(fillers))
		usedBy[w], codesBy[w], fillersBy[w] = used, codesSeen, fillerSeen
		wg.Go(func() {
			seen := map[string]bool{}
			var codes []uint32
			for i := w * len(texts) / workers; i < (w+1)*len(texts)/workers; i++ {
				if segmented != nil && segmented(i) || insideBefore(texts, i) {
					continue
				}
				// gse lower-cases text before looking words up (cutDAGNoHMM)
				t := toLower(texts[i])
				if t == "" || seen[t] {
					continue
				}
				seen[t] = true
				codes = s.trie.codes(codes[:0], t)
				unknown := false
				for k, c := range codes {
					codesSeen[c] = true
					unknown = unknown || c == 0
					// the entries on the walk from k, as gse's
					// LookupTokens returns them: every entry the text
					// holds at k, whatever its frequency
					node := int32(0)
					for _, c := range codes[k:] {
						if node = s.trie.child(node, c); node == 0 {
							break
						}
						if v := s.trie.value[node]; v >= 0 {
							used[v] = true
						}
					}
				}
				if unknown { // a filler is in no entry
					markFillers(t, fillerSeen)
				}
			}
		})
	}
	wg.Wait()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for w := range workers {
		for i, u := range usedBy[w] {
			sc.used[i] = sc.used[i] || u
		}
		for i, u := range codesBy[w] {
			sc.codesSeen[i] = sc.codesSeen[i] || u
		}
		for i, u := range fillersBy[w] {
			sc.fillerSeen[i] = sc.fillerSeen[i] || u
		}
	}
}

// insideBefore reports whether texts[i] is valid UTF-8 and inside
// texts[i-1]: its runes are then runes of texts[i-1] (a valid sequence
// starts where no invalid one could continue) and lower-case alike.
func insideBefore(texts []string, i int) bool {
	return i > 0 && strings.Contains(texts[i-1], texts[i]) && utf8.ValidString(texts[i])
}

// bytes returns the dictionary file of the texts added.
func (sc *dictScan) bytes() ([]byte, error) {
	s := sc.s
	words := &s.words
	used, codesSeen, fillerSeen := sc.used, sc.codesSeen, sc.fillerSeen
	// gse gives a character that is not a word but starts one a zero
	// frequency (log 0 = −∞) where it cannot be covered by a word; an
	// unknown character gets frequency 1. Keep that distinction: for
	// every such character of the text that no kept entry starts with,
	// keep the shortest entry starting with it (it occurs nowhere in the
	// text, so it changes nothing else).
	starts := make([]bool, len(codesSeen)) // by code of the first rune
	for v, u := range used {
		if u {
			r, _ := utf8.DecodeRuneInString(words.word(v))
			starts[s.trie.code(r)] = true
		}
	}
	// shortest[c] is the shortest entry starting with the rune of code c,
	// for the runes gse gives a zero frequency; −1 until one is found
	shortest := map[uint32]int{}
	for c, seen := range codesSeen {
		if c == 0 || !seen || starts[c] {
			continue
		}
		// gse's Find of the rune alone: the rune starts an entry, and is
		// no entry or one of frequency 0
		if node := s.trie.root[c]; node != 0 {
			if v := s.trie.value[node]; v < 0 || words.freq(int(v)) == 0 {
				shortest[uint32(c)] = -1
			}
		}
	}
	if len(shortest) > 0 {
		for i := range words.len() {
			txt := words.word(i)
			r, _ := utf8.DecodeRuneInString(txt)
			c := s.trie.code(r)
			if j, ok := shortest[c]; ok && (j < 0 || len(txt) < len(words.word(j))) {
				shortest[c] = i
			}
		}
		for _, v := range shortest {
			if v >= 0 {
				used[v] = true
			}
		}
	}
	filler := ""
	for f, candidate := range fillers {
		r, _ := utf8.DecodeRuneInString(candidate)
		if c := s.trie.code(r); !fillerSeen[f] && (c == 0 || !codesSeen[c]) {
			filler = candidate
			break
		}
	}
	if filler == "" {
		return nil, corpus.Errorf(corpus.EINTERNAL, "无法生成领域词典：语料包含保留字符")
	}
	// in the full dictionary's order: the first entry of a text wins
	var body bytes.Buffer
	sum := 0.0
	for i := range words.len() {
		if !used[i] {
			continue
		}
		f := words.freq(i)
		sum += f
		fmt.Fprintf(&body, "%s\t%s\n", words.word(i), strconv.FormatFloat(f, 'f', -1, 64))
	}
	total := words.total
	if rest := total - sum; rest > 0 {
		fmt.Fprintf(&body, "%s\t%s\n", filler, strconv.FormatFloat(rest, 'f', -1, 64))
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s\n# analyzer %s\n# count %d\n# texts %s\n# total %s\n# entries %d\n# sha256 %s\n",
		dictMagic, s.fp, sc.count, sc.fp.sum(), strconv.FormatFloat(total, 'f', -1, 64),
		strings.Count(body.String(), "\n"), digest(body.Bytes()))
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:16]
}

// indexedCount is len(IndexedTexts(c)).
func indexedCount(c *corpus.Corpus) int {
	n := 0
	for _, d := range c.Documents() {
		n += 2*len(d.Units) + 2*len(d.Targets)
	}
	return n
}

// IndexedTexts returns every text of c that the word analyzer segments,
// normalised: the text and title of each unit, then the text and
// indicator of each target, document by document. The even ones are the
// texts of c's index entries (Entry.NormText), in the order of Entries.
func IndexedTexts(c *corpus.Corpus) []string {
	docs := c.Documents()
	first := make([]int, len(docs)+1) // index of each document's first text
	for i, d := range docs {
		first[i+1] = first[i] + 2*len(d.Units) + 2*len(d.Targets)
	}
	out := make([]string, first[len(docs)])
	// documents are normalised independently, on every core
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(docs); i += workers {
				k := first[i]
				for _, u := range docs[i].Units {
					out[k], out[k+1] = u.NormText(), u.NormTitle()
					k += 2
				}
				for _, t := range docs[i].Targets {
					out[k], out[k+1] = t.NormText(), t.NormIndicator()
					k += 2
				}
			}
		})
	}
	wg.Wait()
	return out
}

// TextsFingerprint identifies the texts a domain dictionary was derived
// from: a domain dictionary is exact for exactly these texts.
func TextsFingerprint(texts []string) string {
	h := newHashBuffer() // no copy of every text (see CorpusFingerprint)
	for _, t := range texts {
		h.add(t, 0)
	}
	return h.sum()
}

// WriteDomainDict writes the domain dictionary of corpus c, derived from
// seg, into the index directory dir.
func WriteDomainDict(dir string, c *corpus.Corpus, seg *Segmenter) error {
	data, err := seg.DomainDict(IndexedTexts(c))
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, DictFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("write domain dictionary: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, DictFile)); err != nil {
		return fmt.Errorf("write domain dictionary: %w", err)
	}
	return nil
}

// LoadDomainSegmenter loads the domain dictionary saved in the index
// directory dir. It fails with ENOTFOUND when there is none and EINVALID
// when it was made for another corpus (c) or another analyzer (the
// options, as for NewSegmenter), or is damaged. The segmenter it returns
// segments c's text exactly like NewSegmenter(opts...) and has the same
// Fingerprint; Build refuses it for any other corpus.
func LoadDomainSegmenter(dir string, c *corpus.Corpus, opts ...Option) (*Segmenter, error) {
	path := filepath.Join(dir, DictFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引中没有领域词典：" + dir, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read domain dictionary: %w", err)
	}
	return parseDomainDict(data, path, c, opts)
}

// parseDomainDict loads a domain dictionary file's content (see
// LoadDomainSegmenter); name is where it came from, for messages.
func parseDomainDict(data []byte, name string, c *corpus.Corpus, opts []Option) (*Segmenter, error) {
	cfg, user, err := configure(opts)
	if err != nil {
		return nil, err
	}
	fp := fingerprint(user, cfg.hmm)
	bad := func(why string) error {
		return corpus.Errorf(corpus.EINVALID, "领域词典不可用（%s）：%s", why, name)
	}
	header := map[string]string{}
	rest := data
	for i := 0; ; i++ {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok {
			return nil, bad("格式错误")
		}
		if i == 0 {
			if string(line) != dictMagic {
				return nil, bad("格式错误")
			}
			rest = after
			continue
		}
		k, v, _ := strings.Cut(strings.TrimPrefix(string(line), "# "), " ")
		header[k] = v
		rest = after
		if k == "sha256" {
			break
		}
	}
	// the number of texts rules out another corpus without normalising
	// and hashing every text (files written before it was recorded lack it)
	textsFP := header["texts"]
	if c != nil {
		if n, ok := header["count"]; ok && n != strconv.Itoa(indexedCount(c)) {
			return nil, bad("语料已改变")
		}
		textsFP = TextsFingerprint(IndexedTexts(c))
	}
	switch {
	case header["analyzer"] != fp:
		return nil, bad("分词配置已改变")
	case header["texts"] != textsFP:
		return nil, bad("语料已改变")
	case header["sha256"] != digest(rest):
		return nil, bad("校验失败")
	}
	total, err := strconv.ParseFloat(header["total"], 64)
	if err != nil {
		return nil, bad("总词频无效")
	}
	s := &Segmenter{hmm: cfg.hmm, fp: fp, domain: textsFP}
	gsed := usesGSE(cfg)
	if gsed {
		s.seg.SkipLog = true
		s.seg.NotLoadHMM = !cfg.hmm
		s.seg.Dict = gse.NewDict()
		s.seg.Init()
	}
	t := newTableBuilder(bytes.Count(rest, []byte{'\n'}), len(rest))
	sc := bufio.NewScanner(bytes.NewReader(rest))
	for sc.Scan() {
		term, f, ok := strings.Cut(sc.Text(), "\t")
		freq, err := strconv.ParseFloat(f, 64)
		if !ok || err != nil || freq <= 0 || term == "" {
			return nil, bad("词条无效")
		}
		if !gsed {
			t.add(term, freq)
		} else if err := s.seg.AddToken(term, freq); err != nil {
			return nil, fmt.Errorf("domain dictionary: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read domain dictionary: %w", err)
	}
	if gsed {
		s.words = newWordTable(s.seg.Dict)
	} else {
		s.words = t.table()
	}
	if s.words.total != total {
		return nil, bad("总词频不符")
	}
	if err := s.indexWords(); err != nil {
		return nil, err
	}
	return s, nil
}

// LoadIndexSegmenter loads the domain dictionary saved in the index
// directory dir for serving that index as it is (OpenLibrary): the
// corpus is the one stored with it, so it is not checked. The documents
// added to the index later are segmented with it too, like the queries:
// words that occur only in them are split into the dictionary's shorter
// words on both sides, and verbatim (quoted) matching does not depend on
// segmentation at all. A full rebuild derives a new dictionary.
func LoadIndexSegmenter(dir string, opts ...Option) (*Segmenter, error) {
	path := filepath.Join(dir, DictFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引中没有领域词典：" + dir, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read domain dictionary: %w", err)
	}
	return parseDomainDict(data, path, nil, opts)
}

// SegmenterFor returns the cheapest segmenter that segments corpus c
// exactly like NewSegmenter(opts...): the domain dictionary saved in the
// index directory dir when it matches c and the options, else the full
// dictionary.
func SegmenterFor(dir string, c *corpus.Corpus, opts ...Option) (*Segmenter, error) {
	s, err := LoadDomainSegmenter(dir, c, opts...)
	if err == nil {
		return s, nil
	}
	if code := corpus.ErrorCode(err); code != corpus.ENOTFOUND && code != corpus.EINVALID {
		return nil, err
	}
	return NewSegmenter(opts...)
}

// Domain reports whether s holds a domain dictionary (exact only for the
// texts it was derived from) rather than gse's full dictionary.
func (s *Segmenter) Domain() bool { return s.domain != "" }

// Entries returns the number of entries of s's dictionary.
func (s *Segmenter) Entries() int { return s.words.len() }
