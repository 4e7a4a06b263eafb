package store

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"math"

	"github.com/zhengce/zhengce/corpus"
)

// A stored document (bucket docs, zstd-compressed) is written in a binary
// layout: encoding it with gob was 8 % of a build's CPU time and a third
// of the allocations of storing a batch. The record starts with
// docMarker, a byte no gob stream starts with (gob's first byte is a
// message length: below 0x80, or a negated byte count, 0xF8–0xFF), so
// the gob records of stores written before are told apart and still
// read.
//
// Layout, after the marker: the metadata as in a stub record, Raw and
// Body, the outline, the units (each in the unit layout of AppendUnit,
// then its normalised text and title, "" where equal to the text and
// title), the tables, the targets and TargetsOmitted. A list is its
// length plus one (0: nil) and its elements, so nil and empty lists come
// back as they went (the metadata's lists are written as in a stub
// record, where an empty list is nil, as JSON's omitempty gives); a number is a varint, a float64 pointer a presence
// byte and the 8 bytes of its bits. TestDocRoundTrip fills every
// exported field by reflection: a field added to a type and not here
// fails it.
const docMarker = 0xD0

// list writes the length of a list of n elements that is nil or not.
func (w *recWriter) list(n int, isNil bool) {
	if isNil {
		w.b = append(w.b, 0)
		return
	}
	w.b = binary.AppendUvarint(w.b, uint64(n)+1)
}

// strsNil writes a string list that may be nil.
func (w *recWriter) strsNil(ss []string) {
	w.list(len(ss), ss == nil)
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recWriter) float(f *float64) {
	if f == nil {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(*f))
}

// list reads what recWriter.list wrote: the length, and false for nil.
func (r *recReader) list() (int, bool) {
	n := r.uvarint()
	if n == 0 || r.err != nil {
		return 0, false
	}
	if n-1 > uint64(len(r.s)-r.at) { // each element takes a byte at least
		r.err = errRecord
		return 0, false
	}
	return int(n - 1), true
}

// readList reads a list recWriter.list began, each element read by
// elem: nil when it was written nil, cut short at the first error.
func readList[T any](r *recReader, elem func() T) []T {
	n, ok := r.list()
	if !ok {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = elem()
		if r.err != nil {
			return out[:i+1]
		}
	}
	return out
}

func (r *recReader) strsNil() []string { return readList(r, r.str) }

func (r *recReader) float() *float64 {
	if !r.bool() {
		return nil
	}
	if r.err != nil || len(r.s)-r.at < 8 {
		r.err = errRecord
		return nil
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64([]byte(r.s[r.at : r.at+8])))
	r.at += 8
	return &f
}

// meta writes a document's metadata.
func (w *recWriter) meta(m *corpus.Meta) {
	w.str(m.ID)
	w.str(m.District)
	w.str(m.Title)
	w.str(m.Issuer)
	w.str(m.DocNumber)
	w.str(m.IssueDate)
	w.int(int64(m.Year))
	w.str(m.Source)
	w.str(string(m.Format))
	w.int(int64(m.Pages))
	w.bool(m.OCR)
	w.bool(m.Jurisdiction != nil)
	if j := m.Jurisdiction; j != nil {
		w.str(j.Code)
		w.str(j.Name)
		w.str(j.Level)
		w.strs(j.Path)
	}
	w.b = binary.AppendUvarint(w.b, uint64(len(m.Dates)))
	for _, d := range m.Dates {
		w.str(d.Date)
		w.str(d.Event)
	}
	w.str(m.Effective)
	w.str(m.DocType)
	w.str(m.Level)
	w.str(m.Subject)
	w.str(m.Status)
	w.strs(m.Versions)
}

// meta reads what recWriter.meta wrote.
func (r *recReader) meta(m *corpus.Meta) {
	m.ID = r.str()
	m.District = r.str()
	m.Title = r.str()
	m.Issuer = r.str()
	m.DocNumber = r.str()
	m.IssueDate = r.str()
	m.Year = int(r.int())
	m.Source = r.str()
	m.Format = corpus.Format(r.str())
	m.Pages = int(r.int())
	m.OCR = r.bool()
	if r.bool() {
		m.Jurisdiction = &corpus.Jurisdiction{Code: r.str(), Name: r.str(), Level: r.str(), Path: r.strs()}
	}
	if n := r.count(); n > 0 {
		m.Dates = make([]corpus.DateEvent, n)
		for i := range m.Dates {
			m.Dates[i] = corpus.DateEvent{Date: r.str(), Event: r.str()}
		}
	}
	m.Effective = r.str()
	m.DocType = r.str()
	m.Level = r.str()
	m.Subject = r.str()
	m.Status = r.str()
	m.Versions = r.strs()
}

// AppendUnit appends the record of u to b: its fields in declaration
// order, each string its length (uvarint) and bytes, each string list
// its length plus one (0: nil) and strings, each number a varint. It is
// the layout of a unit in the index's entry file and in a stored
// document.
func AppendUnit(b []byte, u *corpus.Unit) []byte {
	w := recWriter{b: b}
	w.unit(u)
	return w.b
}

// DecodeUnit decodes a record AppendUnit wrote (and nothing after it).
// The unit's strings share one copy of b.
func DecodeUnit(b []byte) (*corpus.Unit, error) {
	r := &recReader{s: string(b)}
	u := r.unit()
	if err := r.done(); err != nil {
		return nil, fmt.Errorf("unit record: %w", err)
	}
	return u, nil
}

func (w *recWriter) unit(u *corpus.Unit) {
	w.str(u.ID)
	w.str(u.DocID)
	w.str(u.Path)
	w.str(string(u.Type))
	w.int(int64(u.Seq))
	w.int(int64(u.Level))
	w.str(u.Label)
	w.str(u.Title)
	w.str(u.Text)
	w.strsNil(u.Breadcrumb)
	w.str(u.Citation)
	w.str(u.Part)
	w.strsNil(u.Themes)
	w.strsNil(u.Owners)
	w.str(u.Table)
	w.strsNil(u.Cells)
	w.int(int64(u.Page))
}

func (r *recReader) unit() *corpus.Unit {
	u := &corpus.Unit{}
	u.ID = r.str()
	u.DocID = r.str()
	u.Path = r.str()
	u.Type = corpus.UnitType(r.str())
	u.Seq = int(r.int())
	u.Level = int(r.int())
	u.Label = r.str()
	u.Title = r.str()
	u.Text = r.str()
	u.Breadcrumb = r.strsNil()
	u.Citation = r.str()
	u.Part = r.str()
	u.Themes = r.strsNil()
	u.Owners = r.strsNil()
	u.Table = r.str()
	u.Cells = r.strsNil()
	u.Page = int(r.int())
	return u
}

// AppendTarget appends the record of t to b: its fields in declaration
// order, in the layout of AppendUnit (a point's float64 pointers as a
// presence byte and the 8 bytes of their bits). It is the layout of a
// target in the index's entry file and in a stored document.
func AppendTarget(b []byte, t *corpus.Target) []byte {
	w := recWriter{b: b}
	w.target(t)
	return w.b
}

// DecodeTargetUnit decodes a target record (AppendTarget) followed by a
// unit record (AppendUnit) and nothing after them, with the target's
// normalised names cached. Their strings share one copy of b.
func DecodeTargetUnit(b []byte) (*corpus.Target, *corpus.Unit, error) {
	r := &recReader{s: string(b)}
	t := r.target()
	u := r.unit()
	if err := r.done(); err != nil {
		return nil, nil, fmt.Errorf("target record: %w", err)
	}
	return t, u, nil
}

func (w *recWriter) target(t *corpus.Target) {
	w.str(t.ID)
	w.str(t.DocID)
	w.str(t.District)
	w.str(t.Indicator)
	w.str(t.Canonical)
	w.str(t.Unit)
	w.point(&t.Baseline)
	w.point(&t.Target)
	w.str(t.Attribute)
	w.str(t.Source)
	w.str(t.UnitID)
	w.str(t.Citation)
	w.str(t.Text)
	w.str(t.Kind)
	w.list(len(t.Interim), t.Interim == nil)
	for i := range t.Interim {
		w.point(&t.Interim[i])
	}
}

// target reads what recWriter.target wrote and caches the normalised
// names.
func (r *recReader) target() *corpus.Target {
	t := &corpus.Target{ID: r.str(), DocID: r.str(), District: r.str(), Indicator: r.str(), Canonical: r.str(), Unit: r.str()}
	t.Baseline = r.point()
	t.Target = r.point()
	t.Attribute, t.Source, t.UnitID, t.Citation, t.Text, t.Kind = r.str(), r.str(), r.str(), r.str(), r.str(), r.str()
	t.Interim = readList(r, r.point)
	if r.err == nil {
		t.CacheNorm()
	}
	return t
}

// sections writes a heading tree.
func (w *recWriter) sections(ss []*corpus.Section) error {
	w.list(len(ss), ss == nil)
	for _, s := range ss {
		if s == nil {
			return errors.New("nil section")
		}
		w.str(s.ID)
		w.str(s.Label)
		w.str(s.Title)
		w.int(int64(s.Level))
		if err := w.sections(s.Children); err != nil {
			return err
		}
	}
	return nil
}

// maxOutlineDepth bounds the nesting of a heading tree read back: a
// damaged record could otherwise nest as deep as it has bytes, and
// recursion that deep exhausts the stack (a crash, not an error). Parsed
// outlines nest a few levels.
const maxOutlineDepth = 256

// sections reads a heading tree of at most depth more levels.
func (r *recReader) sections(depth int) []*corpus.Section {
	return readList(r, func() *corpus.Section {
		if depth <= 0 {
			r.err = errRecord
			return nil
		}
		s := &corpus.Section{ID: r.str(), Label: r.str(), Title: r.str(), Level: int(r.int())}
		s.Children = r.sections(depth - 1)
		return s
	})
}

func (w *recWriter) point(p *corpus.Point) {
	w.int(int64(p.Year))
	w.float(p.Value)
	w.float(p.Max)
	w.str(p.Comparator)
	w.str(p.Raw)
	w.bool(p.Unparsed)
}

func (r *recReader) point() corpus.Point {
	return corpus.Point{Year: int(r.int()), Value: r.float(), Max: r.float(), Comparator: r.str(), Raw: r.str(), Unparsed: r.bool()}
}

// appendDoc appends the record of d, with the normalised text and title
// of each unit (corpus.Unit.NormText, NormTitle; "" where equal to the
// text or title).
func appendDoc(b []byte, d *corpus.Document) ([]byte, error) {
	w := recWriter{b: append(b, docMarker)}
	w.meta(&d.Meta)
	w.str(d.Raw)
	w.str(d.Body)
	if err := w.sections(d.Outline); err != nil {
		return nil, err
	}
	w.list(len(d.Units), d.Units == nil)
	for _, u := range d.Units {
		if u == nil {
			return nil, errors.New("nil unit")
		}
		w.unit(u)
		for _, n := range [2][2]string{{u.NormText(), u.Text}, {u.NormTitle(), u.Title}} {
			if n[0] == n[1] {
				n[0] = ""
			}
			w.str(n[0])
		}
	}
	w.list(len(d.Tables), d.Tables == nil)
	for _, t := range d.Tables {
		if t == nil {
			return nil, errors.New("nil table")
		}
		w.str(t.ID)
		w.str(t.UnitID)
		w.str(t.Caption)
		w.strsNil(t.Header)
		w.list(len(t.Rows), t.Rows == nil)
		for _, row := range t.Rows {
			w.strsNil(row)
		}
		w.strsNil(t.RowIDs)
	}
	w.list(len(d.Targets), d.Targets == nil)
	for _, t := range d.Targets {
		if t == nil {
			return nil, errors.New("nil target")
		}
		w.target(t)
	}
	w.int(int64(d.TargetsOmitted))
	return w.b, nil
}

// decodeDocRecord decodes appendDoc's record: the document, with the
// normalised texts of its units set (corpus.Unit.SetNorm) and those of
// its targets cached. Its strings share one copy of data.
func decodeDocRecord(data []byte) (*corpus.Document, error) {
	if len(data) == 0 || data[0] != docMarker {
		return nil, errRecord
	}
	r := &recReader{s: string(data), at: 1}
	d := &corpus.Document{}
	r.meta(&d.Meta)
	d.Raw = r.str()
	d.Body = r.str()
	d.Outline = r.sections(maxOutlineDepth)
	d.Units = readList(r, func() *corpus.Unit {
		u := r.unit()
		text, title := r.str(), r.str()
		if text == "" {
			text = u.Text
		}
		if title == "" {
			title = u.Title
		}
		u.SetNorm(text, title)
		return u
	})
	d.Tables = readList(r, func() *corpus.Table {
		t := &corpus.Table{ID: r.str(), UnitID: r.str(), Caption: r.str(), Header: r.strsNil()}
		t.Rows = readList(r, r.strsNil)
		t.RowIDs = r.strsNil()
		return t
	})
	d.Targets = readList(r, r.target)
	d.TargetsOmitted = int(r.int())
	if err := r.done(); err != nil {
		return nil, err
	}
	return d, nil
}

// gobDocRecord is how stores written before the binary layout held a
// document: the document and the normalised texts of its units where
// they differ from the text.
type gobDocRecord struct {
	Doc        *corpus.Document
	Norms      []string // by unit; "" when equal to the text
	NormTitles []string
}

// decodeGobDoc decodes a document record of an earlier store.
func decodeGobDoc(id string, raw []byte) (*corpus.Document, error) {
	var r gobDocRecord
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&r); err != nil {
		return nil, fmt.Errorf("decode document %s: %w", id, err)
	}
	d := r.Doc
	if d == nil || d.ID != id || len(r.Norms) != len(d.Units) || len(r.NormTitles) != len(d.Units) {
		return nil, fmt.Errorf("document %s: damaged record", id)
	}
	for i, u := range d.Units {
		n, t := r.Norms[i], r.NormTitles[i]
		if n == "" {
			n = u.Text
		}
		if t == "" {
			t = u.Title
		}
		u.SetNorm(n, t)
	}
	for _, t := range d.Targets {
		t.CacheNorm()
	}
	restoreEmpty(d)
	return d, nil
}

// restoreEmpty gives back the empty lists gob does not tell from nil:
// the parser gives a unit's breadcrumb and themes and a section's
// children as empty slices, which JSON (the document API) writes as [].
func restoreEmpty(d *corpus.Document) {
	for _, u := range d.Units {
		if u.Breadcrumb == nil {
			u.Breadcrumb = []string{}
		}
		if u.Themes == nil {
			u.Themes = []string{}
		}
	}
	var walk func(ss []*corpus.Section)
	walk = func(ss []*corpus.Section) {
		for _, sec := range ss {
			if sec.Children == nil {
				sec.Children = []*corpus.Section{}
			}
			walk(sec.Children)
		}
	}
	walk(d.Outline)
}
