package indexer

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
)

// Records of UnitsFile: a unit, or a target with what a hit shows of its
// source unit. The first byte tells which.
const (
	recUnit   = 'u'
	recTarget = 't'
)

// encodeEntry encodes e for UnitsFile.
func encodeEntry(e *Entry) ([]byte, error) {
	if e.Unit != nil {
		return appendUnit([]byte{recUnit}, e.Unit), nil
	}
	rec := targetRecord{Target: e.Target}
	if e.Src != nil {
		rec.Part, rec.Themes, rec.Breadcrumb = e.Src.Part, e.Src.Themes, e.Src.Breadcrumb
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode target %s: %w", e.Target.ID, err)
	}
	return append([]byte{recTarget}, data...), nil
}

// targetRecord is a target entry as stored: the target and the fields
// of its source unit a hit shows.
type targetRecord struct {
	Target     *corpus.Target `json:"target"`
	Part       string         `json:"part,omitempty"`
	Themes     []string       `json:"themes,omitempty"`
	Breadcrumb []string       `json:"breadcrumb,omitempty"`
}

// DecodeEntry decodes a record of UnitsFile into an Entry without its
// document (the caller knows it). Strings are copied: the entry outlives
// the mapping.
func DecodeEntry(b []byte) (Entry, error) {
	if len(b) == 0 {
		return Entry{}, errors.New("empty entry record")
	}
	switch b[0] {
	case recUnit:
		u, err := decodeUnit(b[1:])
		if err != nil {
			return Entry{}, err
		}
		return Entry{Unit: u}, nil
	case recTarget:
		var rec targetRecord
		if err := json.Unmarshal(b[1:], &rec); err != nil || rec.Target == nil {
			return Entry{}, fmt.Errorf("target record: %w", errors.Join(err, errors.New("damaged")))
		}
		// an empty list decodes as nil, the way encodeEntry (omitempty)
		// writes it: decoding is canonical
		if len(rec.Target.Interim) == 0 {
			rec.Target.Interim = nil
		}
		if len(rec.Themes) == 0 {
			rec.Themes = nil
		}
		if len(rec.Breadcrumb) == 0 {
			rec.Breadcrumb = nil
		}
		rec.Target.CacheNorm()
		src := &corpus.Unit{ID: rec.Target.UnitID, DocID: rec.Target.DocID, Part: rec.Part, Themes: rec.Themes, Breadcrumb: rec.Breadcrumb}
		return Entry{Target: rec.Target, Src: src}, nil
	}
	return Entry{}, fmt.Errorf("entry record of kind %q", b[0])
}

// appendUnit appends the fields of u, each string or list length-prefixed
// (uvarint), numbers as varints.
func appendUnit(b []byte, u *corpus.Unit) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	strs := func(ss []string) {
		if ss == nil {
			b = binary.AppendUvarint(b, 0)
			return
		}
		b = binary.AppendUvarint(b, uint64(len(ss))+1)
		for _, s := range ss {
			str(s)
		}
	}
	str(u.ID)
	str(u.DocID)
	str(u.Path)
	str(string(u.Type))
	b = binary.AppendVarint(b, int64(u.Seq))
	b = binary.AppendVarint(b, int64(u.Level))
	str(u.Label)
	str(u.Title)
	str(u.Text)
	strs(u.Breadcrumb)
	str(u.Citation)
	str(u.Part)
	strs(u.Themes)
	strs(u.Owners)
	str(u.Table)
	strs(u.Cells)
	b = binary.AppendVarint(b, int64(u.Page))
	return b
}

// unitReader reads what appendUnit wrote.
type unitReader struct {
	b   []byte
	err error
}

func (r *unitReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errors.New("unit record truncated")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *unitReader) varint() int {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errors.New("unit record truncated")
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *unitReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errors.New("unit record truncated")
		r.b = nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *unitReader) strs() []string {
	n := r.uvarint()
	if n == 0 {
		return nil
	}
	if n-1 > uint64(len(r.b)) {
		r.err = errors.New("unit record truncated")
		r.b = nil
		return nil
	}
	out := make([]string, n-1)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func decodeUnit(b []byte) (*corpus.Unit, error) {
	r := &unitReader{b: b}
	u := &corpus.Unit{}
	u.ID = r.str()
	u.DocID = r.str()
	u.Path = r.str()
	u.Type = corpus.UnitType(r.str())
	u.Seq = r.varint()
	u.Level = r.varint()
	u.Label = r.str()
	u.Title = r.str()
	u.Text = r.str()
	u.Breadcrumb = r.strs()
	u.Citation = r.str()
	u.Part = r.str()
	u.Themes = r.strs()
	u.Owners = r.strs()
	u.Table = r.str()
	u.Cells = r.strs()
	u.Page = r.varint()
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errors.New("unit record: trailing bytes")
	}
	return u, nil
}
