// Package indexer turns a corpus into a bleve (scorch) index on disk: one
// index document per unit and per target, a gse word field for ranked word
// search, character bigram and unigram fields for exact phrase search, and
// keyword fields for facets and filters.
//
// The segmenter reads gse's simplified-Chinese dictionary into tables of
// its own (38 MB; about 0.14 s, where gse's loader took 0.96 s:
// BenchmarkSegmenterLoad); it is built once by NewSegmenter and passed to
// whoever needs it, and nothing here loads it implicitly. Exact phrase
// search needs no segmenter at all: its fields are pure functions of the
// normalised text (see Grams).
package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/themes"
)

// tokenizerVersion changes whenever Tokens changes its output for the same
// dictionary; it is part of the analyzer fingerprint.
const tokenizerVersion = "words-1"

// Segmenter wraps a loaded gse segmenter. It is built once by NewSegmenter,
// never modified afterwards, and safe for concurrent use.
type Segmenter struct {
	seg gse.Segmenter
	hmm bool
	fp  string
	// domain is the TextsFingerprint of the texts whose domain dictionary
	// s holds (see LoadDomainSegmenter); "" for gse's full dictionary.
	domain string
	// trie maps every entry of the dictionary to its index in words, so
	// cut walks it directly (see indexWords)
	trie *wordTrie
	// logTotal is log of the dictionary's total frequency
	logTotal float64
	// score holds, by node of trie, log(freq) − log(total frequency) of
	// the entry ending there, NaN where none does or its frequency is 0
	// (such an entry is no word to cut): one read per step of the walk
	score []float64
	// scratch pools cut's per-rune arrays (*cutScratch)
	scratch sync.Pool
	// words is the dictionary's entries, in gse's order (see
	// tableBuilder): what trie and score are built from, and what a
	// build reads of the dictionary
	words wordTable
}

// wordTable is the entries of a dictionary in gse's order — their texts in
// one string, their frequencies, the total frequency — in a few
// pointer-free arrays: gse's own table holds each entry as several
// slices, about 127 MB of the heap for the full dictionary, all of it
// scanned by every collection of a build.
type wordTable struct {
	text  string
	ends  []uint32 // ends[i] is where entry i's text ends in text
	freqs []float64
	total float64
}

// newWordTable copies the entries of d.
func newWordTable(d *gse.Dictionary) wordTable {
	n := len(d.Tokens)
	size := 0
	for i := range d.Tokens {
		size += len(d.Tokens[i].Text())
	}
	var b strings.Builder
	b.Grow(size)
	w := wordTable{ends: make([]uint32, n), freqs: make([]float64, n), total: d.TotalFreq()}
	for i := range d.Tokens {
		b.WriteString(d.Tokens[i].Text())
		w.ends[i] = uint32(b.Len())
		w.freqs[i] = d.Tokens[i].Freq()
	}
	w.text = b.String()
	return w
}

// len is the number of entries.
func (w *wordTable) len() int { return len(w.ends) }

// word returns the text of entry i.
func (w *wordTable) word(i int) string {
	start := uint32(0)
	if i > 0 {
		start = w.ends[i-1]
	}
	return w.text[start:w.ends[i]]
}

// freq returns the frequency of entry i.
func (w *wordTable) freq(i int) float64 { return w.freqs[i] }

// usesGSE reports whether a segmenter keeps gse's dictionary loaded in
// gse: only gse's HMM route reads it; keepGSE (tests) compares with gse's
// Cut. Any other segmenter holds the entries in its own tables only.
func usesGSE(cfg segConfig) bool { return cfg.hmm || cfg.keepGSE }

// indexWords builds s.trie and s.score from s.words, the complete
// dictionary. gse's own trie maps each entry to its position in the
// dictionary's token table too, but walks bytes and is reachable only
// through LookupTokens, which returns token pointers: looking up what cut
// needs of each of them cost a map access per candidate word.
func (s *Segmenter) indexWords() error {
	s.scratch.New = func() any { return new(cutScratch) }
	logT := math.Log(s.words.total)
	s.logTotal = logT
	trie, err := newWordTrie(s.words.len(), s.words.word)
	if err != nil {
		return fmt.Errorf("index dictionary: %w", err)
	}
	s.trie = trie
	s.score = make([]float64, len(trie.value))
	for node, v := range trie.value {
		s.score[node] = math.NaN()
		if v >= 0 {
			if f := s.words.freq(int(v)); f > 0 {
				s.score[node] = math.Log(f) - logT
			}
		}
	}
	return nil
}

// Option configures NewSegmenter.
type Option func(*segConfig)

type segConfig struct {
	userDict    string
	hasUserDict bool
	hmm         bool
	keepGSE     bool
}

// keepGSE keeps gse's dictionary in the segmenter (see usesGSE), for
// tests that compare segmentation with gse's own Cut.
func keepGSE() Option {
	return func(c *segConfig) { c.keepGSE = true }
}

// WithUserDict replaces the embedded user dictionary (corpus/dict.txt) by
// text in the same format: one "TERM FREQUENCY [POS]" a line, # comments.
func WithUserDict(text string) Option {
	return func(c *segConfig) { c.userDict, c.hasUserDict = text, true }
}

// WithHMM turns gse's HMM discovery of out-of-vocabulary words on or off
// (default off: about 3–10× faster and deterministic given the dictionary;
// the policy-term user dictionary covers the domain's new words).
func WithHMM(on bool) Option {
	return func(c *segConfig) { c.hmm = on }
}

// NewSegmenter loads gse's embedded simplified-Chinese dictionary, preceded
// by the user dictionary of policy terms so that its entries and
// frequencies take precedence. It reads no files and uses no network.
func NewSegmenter(opts ...Option) (*Segmenter, error) {
	cfg, user, err := configure(opts)
	if err != nil {
		return nil, err
	}
	s := &Segmenter{hmm: cfg.hmm, fp: fingerprint(user, cfg.hmm)}
	if !usesGSE(cfg) {
		// gse's dictionary would only be copied into s's own tables:
		// they are read from the text directly, as gse reads it
		t := newTableBuilder(gseEntries, len(gseDictionary))
		t.addGSE(user)
		t.addGSE(gseDictionary)
		s.words = t.table()
		if err := s.indexWords(); err != nil {
			return nil, err
		}
		return s, nil
	}
	s.seg.SkipLog = true
	// The HMM model is package-global in gse; loading it from several
	// goroutines races. Load it only when asked for.
	s.seg.NotLoadHMM = !cfg.hmm
	if err := s.seg.LoadDictStr(user); err != nil {
		return nil, fmt.Errorf("load user dictionary: %w", err)
	}
	// gseDictionary is what LoadDictEmbed("zh_s") would load
	if err := s.seg.LoadDictStr(gseDictionary); err != nil {
		return nil, fmt.Errorf("load gse dictionary: %w", err)
	}
	s.words = newWordTable(s.seg.Dict)
	if err := s.indexWords(); err != nil {
		return nil, err
	}
	return s, nil
}

// configure applies the options and returns the validated user dictionary.
func configure(opts []Option) (segConfig, string, error) {
	var cfg segConfig
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.hasUserDict {
		d, err := themes.UserDictionary()
		if err != nil {
			return cfg, "", err
		}
		cfg.userDict = d
	}
	user, err := parseUserDict(cfg.userDict)
	return cfg, user, err
}

// fingerprint identifies a segmentation: tokenizer version, gse version
// and dictionary, HMM, user dictionary.
func fingerprint(user string, hmm bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\ngse %s zh_s\nhmm=%v\n%s", tokenizerVersion, gse.Version, hmm, user)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// parseUserDict validates the user dictionary and returns it in gse's
// format with terms folded like the text they will meet.
func parseUserDict(text string) (string, error) {
	var b strings.Builder
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return "", corpus.Errorf(corpus.EINVALID, "用户词典第 %d 行缺少词频：%s", i+1, line)
		}
		freq, err := strconv.ParseFloat(f[1], 64)
		if err != nil || freq < 2 {
			return "", corpus.Errorf(corpus.EINVALID, "用户词典第 %d 行词频无效：%s", i+1, line)
		}
		term := corpus.Normalize(f[0])
		b.WriteString(term + " " + f[1])
		if len(f) > 2 {
			b.WriteString(" " + f[2])
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// Fingerprint identifies the segmentation: dictionaries, options and
// tokenizer version. An index built with another fingerprint is rebuilt.
func (s *Segmenter) Fingerprint() string { return s.fp }

// MarshalJSON renders the segmenter as its fingerprint: it travels in the
// analysis config of the index mapping, which bleve persists as JSON.
func (s *Segmenter) MarshalJSON() ([]byte, error) { return json.Marshal("gse:" + s.fp) }

// Token is one word of a text.
type Token struct {
	Term     string // lower-cased word
	Start    int    // byte offset in the segmented text
	End      int    // byte offset just after the word
	Position int    // 1-based position among the kept words
}

// Tokens segments text (normally already Normalize'd) into non-overlapping
// words with byte offsets into text and consecutive positions. Words
// without a letter or digit (punctuation, spaces, symbols) are dropped and
// take no position.
func (s *Segmenter) Tokens(text string) []Token {
	out := make([]Token, 0, len(text)/6+1) // ≈ a word per two characters
	s.eachToken(text, func(t Token) { out = append(out, t) })
	return out
}

// eachToken calls yield with each token of Tokens(text), in order,
// without collecting them (an index build counts them straight into
// bleve's term frequencies, see wordsField).
func (s *Segmenter) eachToken(text string, yield func(Token)) {
	s.eachTokenMarked(text, nil, yield)
}

// eachTokenMarked is eachToken that also records in marks, when not nil,
// what a domain dictionary's scan of text would (dictMarks); a segmenter
// with HMM records nothing (dictScan.marking).
func (s *Segmenter) eachTokenMarked(text string, marks *dictMarks, yield func(Token)) {
	if text == "" {
		return
	}
	pos := 0
	if !s.hmm {
		// the usual case: lower-casing changes nothing (text is then
		// valid UTF-8, see toLower), so the spans of the words in the
		// lowered text are their spans in text
		if toLower(text) == text {
			s.cutLowered(text, marks, func(start, end int) {
				if w := text[start:end]; hasWordRune(w) {
					pos++
					yield(Token{Term: w, Start: start, End: end, Position: pos})
				}
			})
			return
		}
	}
	off := 0
	stopped := false
	word := func(w string) {
		if stopped {
			return
		}
		// gse lower-cases rune by rune, so the word covers as many runes
		// of text as it has; offsets are recomputed on text itself.
		n := utf8.RuneCountInString(w)
		start := off
		for ; n > 0 && off < len(text); n-- {
			_, size := utf8.DecodeRuneInString(text[off:])
			off += size
		}
		if n > 0 { // gse returned more text than it was given: stop safely
			stopped = true
			return
		}
		if !hasWordRune(w) {
			return
		}
		pos++
		yield(Token{Term: w, Start: start, End: off, Position: pos})
	}
	if s.hmm {
		for _, w := range s.seg.Cut(text, true) {
			word(w)
		}
	} else {
		s.cutEach(text, marks, word) // = s.seg.Cut(text, false), faster
	}
}

// Terms returns the terms of Tokens(text), in order.
func (s *Segmenter) Terms(text string) []string {
	toks := s.Tokens(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

func hasWordRune(w string) bool {
	// most words are CJK ideographs: letters
	if len(w) >= 3 && w[0] >= 0xE4 && w[0] <= 0xE9 {
		if r, _ := utf8.DecodeRuneInString(w); 0x4E00 <= r && r <= 0x9FFF {
			return true
		}
	}
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
