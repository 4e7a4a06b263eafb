package search

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/zhengce/zhengce/corpus"
)

// Fragment sizes, in characters of context on each side of a match.
const (
	fragmentContext = 40
	maxFragments    = 3
	leadFragment    = 80 // characters shown when nothing is highlighted
)

// hit turns a match into a Hit, verifying it against the unit text: a
// unit that does not satisfy the query's verbatim conditions (the
// exclusions always; for tier-1 hits every group) is dropped (ok false).
func (s *Service) hit(p *plan, seq int, score float32) (Hit, bool) {
	e, ok := s.entryAt(seq)
	if !ok {
		return Hit{}, false
	}
	var h Hit
	var text string
	d := e.Doc
	if u := e.Unit; u != nil {
		h = Hit{ID: u.ID, DocID: u.DocID, Type: string(u.Type), Section: u.Part, Themes: u.Themes, Path: u.Path,
			Breadcrumb: u.Breadcrumb, Citation: u.Citation, Text: u.Text, DocTitle: d.Title, District: d.District}
		text = u.Text
	} else {
		t := e.Target
		h = Hit{ID: t.ID, DocID: t.DocID, District: t.District, Type: string(corpus.TypeTarget), Citation: t.Citation, Text: t.Text,
			Path: strings.TrimPrefix(t.ID, t.DocID+"/"), DocTitle: d.Title}
		if e.Src != nil {
			h.Section, h.Themes, h.Breadcrumb = e.Src.Part, e.Src.Themes, e.Src.Breadcrumb
		}
		text = t.Text
	}
	if h.Themes == nil {
		h.Themes = []string{}
	}
	if h.Breadcrumb == nil {
		h.Breadcrumb = []string{}
	}
	h.Jurisdiction, h.DocType, h.Level, h.Status, h.Versions = d.Jurisdiction, d.DocType, d.Level, d.Status, d.Versions
	h.URL = "/c/" + h.DocID + "/" + h.Path
	h.Score = float64(score)
	// The index keeps corpus.Normalize(text): verification and spans
	// work on it, and only the ends of the spans are mapped back.
	norm := s.cols.norm(*s.cols.ord.at(int32(seq)))
	if !p.verify(norm) {
		return Hit{}, false
	}
	spans := p.spans(norm)
	orig, ok := quickOrigSpans(text, norm, spans)
	if !ok {
		nm := newNormMap(text)
		if nm.norm != norm { // cannot happen while the index keeps Normalize(text)
			if !p.verify(nm.norm) {
				return Hit{}, false
			}
			spans = p.spans(nm.norm)
		}
		orig = nm.origSpans(spans)
	}
	p.buf = appendMarkup(p.buf[:0], text, orig, 0, len(text))
	h.Highlight = string(p.buf)
	h.Fragments = p.fragments(text, orig)
	return h, true
}

// verify checks a hit against the query's verbatim conditions: no
// exclusion occurs; and each group matches verbatim unless one of its
// items can match by segmented words.
func (p *plan) verify(norm string) bool {
	for _, e := range p.q.Exclude {
		if strings.Contains(norm, e) {
			return false
		}
	}
	k := 0
	for _, g := range p.q.Groups {
		ok, wordsPossible := false, false
		for _, it := range g {
			if strings.Contains(norm, it.Text) {
				ok = true
			}
			if len(p.words[k]) > 0 {
				wordsPossible = true
			}
			k++
		}
		if !ok && !wordsPossible {
			return false
		}
	}
	return true
}

// spans returns the byte ranges of norm to highlight: every occurrence of
// a positive item, and every word of the text that is one of the query's
// segmented words.
func (p *plan) spans(norm string) [][2]int {
	var out [][2]int
	// Words are highlighted only where an item did not match verbatim
	// (tier-2 hits): segmenting the text is the costly part.
	var words map[string]bool // allocated only for tier-2 items
	k := 0
	for _, g := range p.q.Groups {
		for _, it := range g {
			found := false
			for i := 0; i <= len(norm)-len(it.Text); {
				j := strings.Index(norm[i:], it.Text)
				if j < 0 {
					break
				}
				found = true
				out = append(out, [2]int{i + j, i + j + len(it.Text)})
				_, size := utf8.DecodeRuneInString(norm[i+j:])
				i += j + size
			}
			if !found && len(p.words[k]) > 0 {
				if words == nil {
					words = map[string]bool{}
				}
				for _, w := range p.words[k] {
					// a token is the lower-cased text it covers: a
					// caseless word absent from the text cannot be one
					if strings.Contains(norm, w) || !caseless(w) {
						words[w] = true
					}
				}
			}
			k++
		}
	}
	if len(words) > 0 && p.seg != nil { // segment only if a word can match
		for _, t := range p.seg.Tokens(norm) {
			if words[t.Term] {
				out = append(out, [2]int{t.Start, t.End})
			}
		}
	}
	return out
}

// caseless reports whether no rune of w has another case form, so that
// only w itself lower-cases to w.
func caseless(w string) bool {
	for _, r := range w {
		if unicode.SimpleFold(r) != r {
			return false
		}
	}
	return true
}

// normMap is the normalised form of a display text with, for every byte
// of it, the range of the original text it came from.
type normMap struct {
	norm       string
	start, end []int // per byte of norm: original byte range
}

// quickNormMap builds the normMap of text rune by rune, where want is
// corpus.Normalize(text): ASCII and CJK ideographs that are not
// traditional forms stay as they are, full-width ASCII variants become
// ASCII, whitespace is dropped, and any other rune goes through NFKC and
// folding on its own. That is corpus.Normalize for almost every text, and
// costs a fraction of newNormMap's segment walk; because NFKC can in
// principle depend on context, the result is used only when it equals
// want (ok true).
func quickNormMap(text, want string) (normMap, bool) {
	at := make([]int, len(want))
	for i := range at {
		at[i] = i
	}
	start, end := make([]int, len(want)), make([]int, len(want))
	if !quickLocate(text, want, at, start, end) {
		return normMap{}, false
	}
	return normMap{norm: want, start: start, end: end}, true
}

// quickOrigSpans is normMap.origSpans of quickNormMap(text, want) without
// building the whole map: it locates only the ends of the spans. ok is
// false when quickNormMap does not apply.
func quickOrigSpans(text, want string, spans [][2]int) ([][2]int, bool) {
	if len(spans) == 0 {
		return nil, true
	}
	at := make([]int, 0, 2*len(spans))
	for _, s := range spans {
		if s[0] < s[1] && s[1] <= len(want) {
			at = append(at, s[0], s[1]-1)
		}
	}
	slices.Sort(at)
	at = slices.Compact(at)
	start, end := make([]int, len(at)), make([]int, len(at))
	if !quickLocate(text, want, at, start, end) {
		return nil, false
	}
	out := make([][2]int, 0, len(spans))
	for _, s := range spans {
		if s[0] < s[1] && s[1] <= len(want) {
			a, _ := slices.BinarySearch(at, s[0])
			e, _ := slices.BinarySearch(at, s[1]-1)
			out = append(out, [2]int{start[a], end[e]})
		}
	}
	return mergeSpans(out), true
}

// quickLocate walks text by the rule of quickNormMap, checking its output
// against want as it goes, and stores in start[k], end[k] the original
// byte range that byte at[k] of want comes from (at ascending). It
// reports false as soon as the output departs from want.
//
// A CJK ideograph whose bytes are those of want at that point is taken as
// itself without looking it up: a traditional form would have been
// folded to another character, and the folded forms are simplified
// (TestFoldedFormsAreSimplified), so want cannot hold it.
func quickLocate(text, want string, at, start, end []int) bool {
	same := foldSame()
	pos, k := 0, 0
	emit := func(n, a, e int) {
		pos += n
		for ; k < len(at) && at[k] < pos; k++ {
			start[k], end[k] = a, e
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		// fast path: a simplified ideograph (U+4E00–U+9FFF, lead byte
		// E4–E9 and two continuation bytes) that is the same in want
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(text) && pos+2 < len(want) &&
			c == want[pos] && text[i+1] == want[pos+1] && text[i+2] == want[pos+2] &&
			text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 && (c > 0xE4 || text[i+1] >= 0xB8) {
			pos += 3
			for ; k < len(at) && at[k] < pos; k++ {
				start[k], end[k] = i, i+3
			}
			i += 3
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '\t', '\n', '\v', '\f', '\r', ' ':
			default:
				if pos >= len(want) || want[pos] != c {
					return false
				}
				emit(1, i, i+1)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError {
			return false
		}
		src := text[i : i+size]
		switch {
		case r >= 0x4E00 && r <= 0x9FFF && strings.HasPrefix(want[pos:], src):
			emit(size, i, i+size)
		case r >= 0x4E00 && r <= 0x9FFF && !corpus.IsTraditional(r):
			return false
		case r >= 0xFF01 && r <= 0xFF5E:
			if pos >= len(want) || want[pos] != byte(r-0xFEE0) {
				return false
			}
			emit(1, i, i+size)
		case r < foldTableEnd && same[r>>6]&(1<<(r&63)) != 0: // folded(src) == src
			if !strings.HasPrefix(want[pos:], src) {
				return false
			}
			emit(size, i, i+size)
		default:
			f := folded(src)
			if !strings.HasPrefix(want[pos:], f) {
				return false
			}
			if len(f) > 0 {
				emit(len(f), i, i+size)
			}
		}
		i += size
	}
	return pos == len(want)
}

// foldTableEnd bounds the runes foldSame describes: Latin-1, general
// punctuation, symbols and CJK punctuation (、《》“”—…①■) are below it.
const foldTableEnd = 0x3400

// foldSame is the set of runes below foldTableEnd whose folded form is
// themselves, as a bitset: most punctuation of a Chinese text, which
// quickLocate then need not put through NFKC one by one. Built once, on
// first use (well under a millisecond), and never changed.
var foldSame = sync.OnceValue(func() *[foldTableEnd / 64]uint64 {
	var t [foldTableEnd / 64]uint64
	var buf [utf8.UTFMax]byte
	for r := rune(utf8.RuneSelf); r < foldTableEnd; r++ {
		// folded(s) == s: NFKC keeps it, Fold's table does not map
		// it, and it is not whitespace (TestFoldSame)
		if norm.NFKC.IsNormal(utf8.AppendRune(buf[:0], r)) && !corpus.IsTraditional(r) && !unicode.IsSpace(r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
})

// folded is the quick rule for one rune that is neither ASCII nor a
// simplified CJK ideograph nor a full-width ASCII variant: corpus.Fold,
// whitespace dropped.
func folded(src string) string {
	f := corpus.Fold(src)
	if strings.ContainsFunc(f, unicode.IsSpace) {
		f = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, f)
	}
	return f
}

// newNormMap normalises text exactly like corpus.Normalize, remembering
// where each output byte came from. It walks NFKC's normalisation
// segments: a segment NFKC leaves unchanged (most of a Chinese text) maps
// rune to rune; any other maps each output rune to the whole segment.
// Traditional→simplified folding is rune for rune between 3-byte
// characters, so corpus.Fold(text) lines up with the NFKC segments.
func newNormMap(text string) normMap {
	folded := corpus.Fold(text)
	var b strings.Builder
	b.Grow(len(folded))
	start := make([]int, 0, len(folded))
	end := make([]int, 0, len(folded))
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	j := 0             // offset in folded
	var pending []byte // output of an expansion not yet tied to input
	p0 := 0
	for !it.Done() {
		seg := it.Next()
		p1 := it.Pos()
		if p1 == p0 {
			// an expansion (㎡ → m2) can come out in several pieces
			// before the iterator moves on: collect them
			pending = append(pending, seg...)
			continue
		}
		if len(pending) > 0 {
			seg = append(pending, seg...)
			pending = pending[:0]
		}
		if j+len(seg) > len(folded) {
			break // misaligned: caught by the check below
		}
		f := folded[j : j+len(seg)]
		j += len(seg)
		same := string(seg) == text[p0:p1]
		i := p0
		for _, r := range f {
			a, e := p0, p1
			if same {
				_, size := utf8.DecodeRuneInString(text[i:])
				a, e = i, i+size
				i += size
			}
			if unicode.IsSpace(r) {
				continue
			}
			n, _ := b.WriteRune(r)
			for k := 0; k < n; k++ {
				start = append(start, a)
				end = append(end, e)
			}
		}
		p0 = p1
	}
	m := normMap{norm: b.String(), start: start, end: end}
	// every rune of folded was emitted, in order, but for whitespace: the
	// result is corpus.Normalize(text)
	if j != len(folded) || len(start) != len(m.norm) {
		// cannot happen for valid UTF-8; never mark wrong characters
		return normMap{norm: corpus.Normalize(text)}
	}
	if !norm.NFKC.IsNormalString(m.norm) {
		// dropping whitespace joined characters NFKC orders or composes
		// otherwise (corpus.Normalize normalises once more): no output
		// byte has a single source left
		return normMap{norm: corpus.Normalize(text)}
	}
	return m
}

// origSpans maps normalised byte ranges to merged, sorted original ranges.
func (m normMap) origSpans(spans [][2]int) [][2]int {
	if len(m.start) == 0 {
		return nil
	}
	var out [][2]int
	for _, s := range spans {
		if s[0] >= s[1] || s[1] > len(m.start) {
			continue
		}
		out = append(out, [2]int{m.start[s[0]], m.end[s[1]-1]})
	}
	return mergeSpans(out)
}

// mergeSpans sorts byte ranges and merges overlapping and touching ones.
func mergeSpans(out [][2]int) [][2]int {
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	var merged [][2]int
	for _, s := range out {
		if n := len(merged); n > 0 && s[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], s[1])
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// appendMarkup appends text[from:to], HTML-escaped, to b with the parts
// inside spans wrapped in <mark>…</mark>.
func appendMarkup(b []byte, text string, spans [][2]int, from, to int) []byte {
	pos := from
	for _, s := range spans {
		a, e := max(s[0], from), min(s[1], to)
		if a >= e {
			continue
		}
		b = appendEscaped(b, text[pos:a])
		b = append(b, "<mark>"...)
		b = appendEscaped(b, text[a:e])
		b = append(b, "</mark>"...)
		pos = e
	}
	return appendEscaped(b, text[pos:to])
}

// appendEscaped appends s to b escaped like html.EscapeString.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// fragments returns up to maxFragments short escaped excerpts around the
// highlighted spans, or the beginning of the text when there are none.
func (p *plan) fragments(text string, spans [][2]int) []string {
	if len(spans) == 0 {
		end := runeOffset(text, 0, leadFragment)
		p.buf = appendEscaped(p.buf[:0], strings.TrimSpace(text[:end]))
		if end < len(text) {
			p.buf = append(p.buf, "…"...)
		}
		return []string{string(p.buf)}
	}
	var wins [maxFragments][2]int
	n := 0
	for _, s := range spans {
		a, e := runeOffset(text, s[0], -fragmentContext), runeOffset(text, s[1], fragmentContext)
		if n > 0 && a <= wins[n-1][1] {
			wins[n-1][1] = max(wins[n-1][1], e)
			continue
		}
		if n == maxFragments {
			break // later windows are not shown
		}
		wins[n] = [2]int{a, e}
		n++
	}
	out := make([]string, 0, n)
	for _, w := range wins[:n] {
		b := p.buf[:0]
		if w[0] > 0 {
			b = append(b, "…"...)
		}
		b = appendMarkup(b, text, spans, w[0], w[1])
		if w[1] < len(text) {
			b = append(b, "…"...)
		}
		out = append(out, string(b))
		p.buf = b
	}
	return out
}

// runeOffset moves n runes from byte offset i (backwards when n < 0),
// stopping at the ends of s.
func runeOffset(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	for ; n < 0 && i > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}
