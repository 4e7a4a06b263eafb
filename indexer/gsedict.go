package indexer

import (
	_ "embed"
	"strconv"
	"strings"
	"unicode/utf8"
)

// gseDictionary is gse's simplified-Chinese dictionary, the text gse's
// LoadDictEmbed("zh_s") loads: data/dict/zh/s_1.txt of gse v0.80.3
// (Apache License 2.0, like gse), copied unchanged so that NewSegmenter
// can read it into its own tables (tableBuilder) without gse's loader,
// which also builds a byte trie and segments every entry for gse's search
// mode — about 85 % of the time a segmenter took to load, and nothing of
// it used here. TestEmbeddedDictionaryIsGSEs compares the two loads.
//
//go:embed gse_zh_s.txt
var gseDictionary string

// gseEntries is about the number of lines of gseDictionary (352,279),
// what a table of it is sized for.
const gseEntries = 360_000

// gseMinFreq is the frequency below which gse's loader drops an entry
// (gse.Segmenter.Init's MinTokenFreq), and the frequency it gives an
// entry of one character.
const gseMinFreq = 2.0

// tableBuilder collects the entries of a dictionary into a wordTable the
// way gse's dictionary takes them (gse.Dictionary.AddToken): the text
// with ASCII letters lower-cased (gse.Segmenter.SplitTextToWords with
// gse.ToLower, joined), the first of entries with the same text kept, the
// total the sum of the kept entries' frequencies in order.
type tableBuilder struct {
	text  strings.Builder
	ends  []uint32
	freqs []float64
	total float64
	seen  map[string]struct{}
}

// newTableBuilder returns a builder sized for about n entries of size
// bytes of text.
func newTableBuilder(n, size int) *tableBuilder {
	t := &tableBuilder{ends: make([]uint32, 0, n), freqs: make([]float64, 0, n), seen: make(map[string]struct{}, n)}
	t.text.Grow(size)
	return t
}

// add adds the entry text with frequency freq unless an entry of the same
// (lower-cased) text is already in.
func (t *tableBuilder) add(text string, freq float64) {
	text = asciiLower(text)
	if _, ok := t.seen[text]; ok {
		return
	}
	t.seen[text] = struct{}{}
	t.text.WriteString(text)
	t.ends = append(t.ends, uint32(t.text.Len()))
	t.freqs = append(t.freqs, freq)
	t.total += freq
}

// addGSE adds the entries of dict, text in gse's dictionary format — one
// "TERM FREQUENCY [POS]" a line, separated by single spaces — with gse's
// rules (gse.Segmenter.LoadDictStr and Size): a line without a valid
// frequency, or with one below gseMinFreq, is skipped, and an entry of one
// character counts gseMinFreq.
func (t *tableBuilder) addGSE(dict string) {
	for len(dict) > 0 {
		line, rest, _ := strings.Cut(dict, "\n")
		dict = rest
		// gse splits at every single space: the term is the first field,
		// the frequency the second, each trimmed
		term, after, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		freqText, _, _ := strings.Cut(after, " ")
		freq, err := strconv.ParseFloat(strings.TrimSpace(freqText), 64)
		if err != nil || freq < gseMinFreq {
			continue
		}
		term = strings.TrimSpace(term)
		if utf8.RuneCountInString(term) < 2 { // gse: len([]rune(text)) < 2
			freq = gseMinFreq
		}
		t.add(term, freq)
	}
}

// table returns the word table of the entries added.
func (t *tableBuilder) table() wordTable {
	return wordTable{text: t.text.String(), ends: t.ends, freqs: t.freqs, total: t.total}
}

// asciiLower returns s with its ASCII upper-case letters lower-cased,
// s itself when it has none.
func asciiLower(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if i < 0 {
		return s
	}
	b := []byte(s)
	for j := i; j < len(b); j++ {
		if c := b[j]; c >= 'A' && c <= 'Z' {
			b[j] = c - 'A' + 'a'
		}
	}
	return string(b)
}
