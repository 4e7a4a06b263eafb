package indexer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/zhengce/zhengce/corpus"
)

// ColumnsFile holds a segment's Columns.
const ColumnsFile = "zhengce-columns.bin"

// Columns are what a search needs of each entry of a segment besides
// bleve's postings and the texts, by sequence number within the segment:
// small values, read whole when the segment is opened, so opening an
// index decodes no document.
type Columns struct {
	// Dictionaries of the values below.
	Types, Parts, Themes []string
	Type, Part           []uint16
	// ThemeStart[i]:ThemeStart[i+1] are the entry's themes in Theme.
	ThemeStart []uint32
	Theme      []uint16
	// Target is a target's value, NaN for units and unparsed values.
	Target []float64
	// Runes is the length of the normalised text in characters.
	Runes []int32
	// Content counts the characters of the normalised text, without the
	// unit's label, that are not punctuation, symbols or spaces; -1 for
	// title units and targets, which are not ranked by length.
	Content []int32
	// TitleOff and TitleLen place the entry's normalised heading or task
	// title in its normalised text, where it always is in practice: the
	// bytes TitleOff[i] … TitleOff[i]+TitleLen[i]. NoTitle marks an entry
	// without title; TitleElsewhere one whose title is not in its text,
	// Titles[TitleLen[i]]. (As a column of strings, the titles were 40 % of
	// a server's live heap on the laws corpus, 92 MB → 56 MB: the title
	// of a clause is its first sentence.)
	TitleOff, TitleLen []uint32
	Titles             []string
	// Bytes counts each byte value over every 8th normalised text.
	Bytes [256]uint64
	// file is the mapping the arrays are slices of, nil for columns
	// built in memory
	file *Blobs
	// checked memoizes Check
	checked  sync.Once
	checkErr error
}

// Check verifies what each entry's values point at — its themes in order
// and inside Theme, its type, part, themes and stray title known —
// once: opening checks only the columns' shape, so a server that maps
// its own columns (search's served file) never reads these arrays. Every
// reader of the per-entry arrays calls it first; the error wraps
// ErrCorrupt.
func (c *Columns) Check() error {
	c.checked.Do(func() {
		if err := c.check(); err != nil {
			c.checkErr = fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
	})
	return c.checkErr
}

func (c *Columns) check() error {
	n := c.Len()
	for i := range n {
		if c.ThemeStart[i] > c.ThemeStart[i+1] {
			return fmt.Errorf("columns: themes of entry %d out of order", i)
		}
		if int(c.Type[i]) >= len(c.Types) || int(c.Part[i]) >= len(c.Parts) {
			return fmt.Errorf("columns: entry %d names an unknown value", i)
		}
		if c.TitleOff[i] == TitleElsewhere && int(c.TitleLen[i]) >= len(c.Titles) {
			return fmt.Errorf("columns: entry %d names an unknown title", i)
		}
	}
	for _, t := range c.Theme {
		if int(t) >= len(c.Themes) {
			return fmt.Errorf("columns: unknown theme %d", t)
		}
	}
	return nil
}

// DropPages hands the pages of a mapped columns file back to the page
// cache after a search has built its own columns from them: they are read
// again only when the search is rebuilt after a change.
func (c *Columns) DropPages() error {
	if c == nil || c.file == nil {
		return nil
	}
	return dropPages(c.file.m)
}

// Close unmaps the columns of a file; their arrays are then invalid.
func (c *Columns) Close() error {
	if c == nil || c.file == nil {
		return nil
	}
	return c.file.Close()
}

// Special values of Columns.TitleOff.
const (
	NoTitle        = math.MaxUint32
	TitleElsewhere = math.MaxUint32 - 1
)

// Len is the number of entries.
func (c *Columns) Len() int { return len(c.Type) }

// EntryTitle returns the normalised title of entry i, whose normalised
// text is norm; "" for none, and for a title out of norm's bounds (a
// damaged file).
func (c *Columns) EntryTitle(i int, norm string) string {
	return TitleIn(c.TitleOff[i], c.TitleLen[i], norm, c.Titles)
}

// TitleIn returns the title placed at off, n (see Columns.TitleOff) in
// norm, or in elsewhere.
func TitleIn(off, n uint32, norm string, elsewhere []string) string {
	switch {
	case off == NoTitle:
		return ""
	case off == TitleElsewhere:
		if int(n) < len(elsewhere) {
			return elsewhere[n]
		}
		return ""
	case uint64(off)+uint64(n) <= uint64(len(norm)):
		return norm[off : off+n]
	}
	return ""
}

// EntryThemes returns the theme ids of entry i.
func (c *Columns) EntryThemes(i int) []uint16 { return c.Theme[c.ThemeStart[i]:c.ThemeStart[i+1]] }

// newColumnsOf computes the Columns of entries, whose normalised texts
// are norms.
func newColumnsOf(entries []Entry, norms []string) *Columns {
	n := len(entries)
	c := &Columns{Type: make([]uint16, n), Part: make([]uint16, n), ThemeStart: make([]uint32, 1, n+1),
		Target: make([]float64, n), Runes: make([]int32, n), Content: make([]int32, n),
		TitleOff: make([]uint32, n), TitleLen: make([]uint32, n)}
	ids := map[*[]string]map[string]uint16{}
	id := func(dict *[]string, v string) uint16 {
		m := ids[dict]
		if m == nil {
			m = map[string]uint16{}
			ids[dict] = m
		}
		if i, ok := m[v]; ok {
			return i
		}
		i := uint16(len(*dict))
		m[v] = i
		*dict = append(*dict, v)
		return i
	}
	for i := range entries {
		e := &entries[i]
		norm := norms[i]
		var part string
		var themes []string
		c.Target[i] = math.NaN()
		c.Runes[i] = int32(utf8.RuneCountInString(norm))
		c.Content[i] = -1
		c.TitleOff[i] = NoTitle
		if u := e.Unit; u != nil {
			part, themes = u.Part, u.Themes
			c.Type[i] = id(&c.Types, string(u.Type))
			if t := e.NormTitle(); t != "" {
				if k := strings.Index(norm, t); k >= 0 && k < TitleElsewhere && len(t) <= math.MaxUint32 {
					c.TitleOff[i], c.TitleLen[i] = uint32(k), uint32(len(t))
				} else {
					c.TitleOff[i], c.TitleLen[i] = TitleElsewhere, uint32(len(c.Titles))
					c.Titles = append(c.Titles, t)
				}
			}
			if u.Type != corpus.TypeTitle {
				body := norm
				if l := corpus.Normalize(u.Label); l != "" {
					body = strings.TrimPrefix(body, l)
				}
				c.Content[i] = int32(contentChars(body))
			}
		} else {
			if e.Src != nil {
				part, themes = e.Src.Part, e.Src.Themes
			}
			c.Type[i] = id(&c.Types, string(corpus.TypeTarget))
			if v := e.Target.Target.Value; v != nil {
				c.Target[i] = *v
			}
		}
		c.Part[i] = id(&c.Parts, part)
		for _, t := range themes {
			c.Theme = append(c.Theme, id(&c.Themes, t))
		}
		c.ThemeStart = append(c.ThemeStart, uint32(len(c.Theme)))
		if i%8 == 0 {
			for j := 0; j < len(norm); j++ {
				c.Bytes[norm[j]]++
			}
		}
	}
	return c
}

// contentChars counts the characters of s that are not punctuation,
// symbols or spaces (unicode.IsPunct, IsSymbol, IsSpace), without looking
// them up for CJK ideographs and ASCII (TestContentChars checks every
// rune).
func contentChars(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case 0x4E00 <= r && r <= 0x9FFF: // CJK ideographs, most of the text: letters
			n++
		case r < 0x80:
			// letters, digits and the controls but tab, newline, vertical
			// tab, form feed and carriage return (spaces)
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
				(r < 0x20 || r == 0x7F) && (r < '\t' || r > '\r') {
				n++
			}
		case !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r):
			n++
		}
	}
	return n
}

// columnsMagic starts a ColumnsFile: a binary layout read without
// reflection (gob spent most of the opening of a large index on it).
const columnsMagic = "ZCCOLS04"

func writeColumns(path string, c *Columns) error {
	n := c.Len()
	b := make([]byte, 0, 64+n*40)
	b = append(b, columnsMagic...)
	b = binary.LittleEndian.AppendUint64(b, uint64(n))
	strs := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	strs(c.Types)
	strs(c.Parts)
	strs(c.Themes)
	u16, u32 := binary.LittleEndian.AppendUint16, binary.LittleEndian.AppendUint32
	i32 := func(b []byte, v int32) []byte { return u32(b, uint32(v)) }
	b = appendArray(b, c.Type, u16)
	b = appendArray(b, c.Part, u16)
	b = appendArray(b, c.ThemeStart, u32)
	b = appendArray(b, []uint64{uint64(len(c.Theme))}, binary.LittleEndian.AppendUint64)
	b = appendArray(b, c.Theme, u16)
	b = appendArray(b, c.Target, func(b []byte, v float64) []byte { return binary.LittleEndian.AppendUint64(b, math.Float64bits(v)) })
	b = appendArray(b, c.Runes, i32)
	b = appendArray(b, c.Content, i32)
	b = appendArray(b, c.TitleOff, u32)
	b = appendArray(b, c.TitleLen, u32)
	// titles found elsewhere: their count, lengths, then their bytes
	b = binary.LittleEndian.AppendUint64(b, uint64(len(c.Titles)))
	for _, t := range c.Titles {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(t)))
	}
	for _, t := range c.Titles {
		b = append(b, t...)
	}
	for _, v := range c.Bytes {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write columns: %w", err)
	}
	return nil
}

// appendArray appends vs to b at the next multiple of 8 bytes, so that a
// mapped file is used in place (see colArray).
func appendArray[T uint16 | uint32 | uint64 | float64 | int32](b []byte, vs []T, put func([]byte, T) []byte) []byte {
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	for _, v := range vs {
		b = put(b, v)
	}
	return b
}

// colReader reads what writeColumns wrote; the first error sticks. With
// inPlace (a mapped file on a little-endian machine), arrays are slices of
// the mapping instead of decoded copies.
type colReader struct {
	b       []byte
	off     int // bytes read from the start of the file
	inPlace bool
	err     error
}

func (r *colReader) take(k int) []byte {
	if r.err != nil || k < 0 || k > len(r.b) {
		if r.err == nil {
			r.err = errors.New("columns truncated")
		}
		return nil
	}
	out := r.b[:k]
	r.b = r.b[k:]
	r.off += k
	return out
}

// align skips the padding before an array.
func (r *colReader) align() {
	if pad := (8 - r.off%8) % 8; pad > 0 {
		r.take(pad)
	}
}

// LittleEndian reports whether this machine stores integers
// little-endian, the order of every array the index keeps in its files.
func LittleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// colArray reads an array of n values at the next 8-byte boundary: in
// place when r is, else decoded by decode.
func colArray[T uint16 | uint32 | int32 | float64](r *colReader, n int, decode func([]byte) T) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	r.align()
	raw := r.take(size * n)
	if raw == nil && n > 0 {
		return nil
	}
	if n == 0 {
		return []T{}
	}
	if r.inPlace {
		return unsafe.Slice((*T)(unsafe.Pointer(&raw[0])), n)
	}
	out := make([]T, n)
	for i := range out {
		out[i] = decode(raw[size*i:])
	}
	return out
}

func (r *colReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err = errors.New("columns truncated")
		return 0
	}
	r.b = r.b[k:]
	r.off += k
	return v
}

func (r *colReader) strs(limit int) []string {
	n := r.uvarint()
	if n > uint64(limit) {
		r.err = errors.New("columns: too many strings")
		return nil
	}
	out := make([]string, n)
	// one copy of the section (the strings point into it): a column of
	// titles is hundreds of thousands of short strings
	start := r.b
	spans := make([][2]int, n)
	for i := range out {
		k := r.uvarint()
		if k > uint64(len(r.b)) {
			r.err = errors.New("columns truncated")
			return nil
		}
		off := len(start) - len(r.b)
		r.take(int(k))
		spans[i] = [2]int{off, off + int(k)}
	}
	if r.err != nil {
		return nil
	}
	buf := string(start[:len(start)-len(r.b)])
	for i, sp := range spans {
		out[i] = buf[sp[0]:sp[1]]
	}
	return out
}

// packed reads n strings stored as their lengths then their bytes; the
// strings share one copy of the bytes.
func (r *colReader) packed(n int) []string {
	lens := r.take(4 * n)
	if lens == nil && n > 0 {
		return nil
	}
	total := 0
	for i := range n {
		total += int(binary.LittleEndian.Uint32(lens[4*i:]))
		if total > len(r.b) {
			r.err = errors.New("columns truncated")
			return nil
		}
	}
	// one copy of the bytes, so that the file's bytes are not kept
	buf := string(r.take(total))
	out := make([]string, n)
	off := 0
	for i := range out {
		k := int(binary.LittleEndian.Uint32(lens[4*i:]))
		out[i] = buf[off : off+k]
		off += k
	}
	return out
}

func (r *colReader) u16s(n int) []uint16 {
	return colArray(r, n, binary.LittleEndian.Uint16)
}

func (r *colReader) u32s(n int) []uint32 {
	return colArray(r, n, binary.LittleEndian.Uint32)
}

func (r *colReader) i32s(n int) []int32 {
	return colArray(r, n, func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) })
}

func (r *colReader) f64s(n int) []float64 {
	return colArray(r, n, func(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) })
}

// readColumns opens the columns file at path, which must hold n
// entries. Its arrays are used in place from a read-only mapping (on a
// little-endian machine): they cost no heap and no decoding, and the
// columns must not be modified. Close unmaps them.
func readColumns(path string, n int) (c *Columns, err error) {
	f, err := openBlobFile(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	c, err = parseColumns(f.m, n, LittleEndian())
	if err != nil {
		return nil, err
	}
	c.file = f
	return c, nil
}

// parseColumns reads columns of n entries from data, in place (slices of
// data) or decoded, checking their shape (see Check).
func parseColumns(data []byte, n int, inPlace bool) (*Columns, error) {
	if len(data) < 16 || string(data[:8]) != columnsMagic {
		return nil, errors.New("not a columns file")
	}
	if got := binary.LittleEndian.Uint64(data[8:]); got != uint64(n) {
		return nil, fmt.Errorf("columns of %d entries, index has %d", got, n)
	}
	r := &colReader{b: data[16:], off: 16, inPlace: inPlace}
	c := &Columns{}
	c.Types, c.Parts, c.Themes = r.strs(math.MaxUint16), r.strs(math.MaxUint16), r.strs(math.MaxUint16)
	c.Type, c.Part = r.u16s(n), r.u16s(n)
	c.ThemeStart = r.u32s(n + 1)
	r.align()
	k := r.take(8)
	if k != nil {
		m := binary.LittleEndian.Uint64(k)
		if m > uint64(len(r.b)/2) {
			return nil, errors.New("columns truncated")
		}
		c.Theme = r.u16s(int(m))
	}
	c.Target = r.f64s(n)
	c.Runes, c.Content = r.i32s(n), r.i32s(n)
	c.TitleOff, c.TitleLen = r.u32s(n), r.u32s(n)
	if k := r.take(8); k != nil {
		m := binary.LittleEndian.Uint64(k)
		if m > uint64(len(r.b)/4) {
			return nil, errors.New("columns truncated")
		}
		c.Titles = r.packed(int(m))
	}
	if raw := r.take(8 * 256); raw != nil {
		for i := range c.Bytes {
			c.Bytes[i] = binary.LittleEndian.Uint64(raw[8*i:])
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errors.New("columns: trailing bytes")
	}
	if c.Len() != n || len(c.Part) != n || len(c.ThemeStart) != n+1 || len(c.Target) != n || len(c.Runes) != n ||
		len(c.Content) != n || len(c.TitleOff) != n || len(c.TitleLen) != n || c.ThemeStart[n] != uint32(len(c.Theme)) {
		return nil, fmt.Errorf("columns of %d entries, index has %d", c.Len(), n)
	}
	return c, nil
}
