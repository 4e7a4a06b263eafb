package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"github.com/zhengce/zhengce/corpus"
)

// The records opening an index reads — every document's metadata
// (stubRecord), where it came from (Info) and the segment table — are
// written in a compact binary layout: decoding them is what opening an
// index costs per document, and JSON took 15–30 µs a document where this
// takes 1–2. A record starts with recordVersion; a record starting with
// '{' is the JSON of stores written before, still read.
//
// Layout: fields in declaration order; a string or byte slice is its
// length (uvarint) and bytes, an int a varint, a bool one byte, a slice
// its length and elements, a pointer one byte (0: nil) and the value, a
// time its MarshalBinary form as a string. The round-trip tests fill
// every field by reflection, so a field added to a type and not here
// fails them.
const recordVersion = 1

// errRecord reports a record cut short or holding a bad length.
var errRecord = errors.New("damaged record")

// recWriter appends a record's fields.
type recWriter struct{ b []byte }

func (w *recWriter) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recWriter) int(v int64) { w.b = binary.AppendVarint(w.b, v) }

func (w *recWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *recWriter) strs(ss []string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *recWriter) time(t time.Time) error {
	b, err := t.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode time: %w", err)
	}
	w.str(string(b))
	return nil
}

// recReader reads a record's fields. Strings point into s, one copy of
// the record made when reading starts: a record costs one allocation for
// all its strings.
type recReader struct {
	s   string
	at  int
	err error
}

func newRecReader(data []byte) *recReader {
	r := &recReader{s: string(data)}
	if len(r.s) == 0 || r.s[0] != recordVersion {
		r.err = errRecord
	}
	r.at = 1
	return r
}

// readVar reads a number with dec (binary.Uvarint or binary.Varint).
func readVar[T uint64 | int64](r *recReader, dec func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := dec(unsafe.Slice(unsafe.StringData(r.s[r.at:]), len(r.s)-r.at))
	if n <= 0 {
		r.err = errRecord
		return 0
	}
	r.at += n
	return v
}

func (r *recReader) uvarint() uint64 { return readVar(r, binary.Uvarint) }

// count reads a length that must fit in the rest of the record (each
// element takes a byte at least).
func (r *recReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.at) {
		r.err = errRecord
		return 0
	}
	return int(n)
}

func (r *recReader) str() string {
	n := r.count()
	if r.err != nil {
		return ""
	}
	s := r.s[r.at : r.at+n]
	r.at += n
	return s
}

func (r *recReader) int() int64 { return readVar(r, binary.Varint) }

func (r *recReader) bool() bool {
	if r.err != nil || r.at >= len(r.s) {
		r.err = errRecord
		return false
	}
	b := r.s[r.at]
	r.at++
	return b != 0
}

// strs reads a string slice; an empty one is nil, as JSON's omitempty
// fields give.
func (r *recReader) strs() []string {
	n := r.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func (r *recReader) time() time.Time {
	b := r.str()
	var t time.Time
	if r.err == nil {
		if err := t.UnmarshalBinary([]byte(b)); err != nil {
			r.err = fmt.Errorf("%w: %w", errRecord, err)
		}
	}
	return t
}

// done returns the reader's error, or errRecord when bytes are left.
func (r *recReader) done() error {
	if r.err == nil && r.at != len(r.s) {
		r.err = errRecord
	}
	return r.err
}

// isJSON reports a record written as JSON (by an earlier store).
func isJSON(data []byte) bool { return len(data) > 0 && data[0] == '{' }

// encodeStub encodes a document's metadata and counts.
func encodeStub(r stubRecord) []byte {
	w := recWriter{b: make([]byte, 1, 512)}
	w.b[0] = recordVersion
	w.meta(&r.Meta)
	w.int(int64(r.Counts.Units))
	w.int(int64(r.Counts.Tables))
	w.int(int64(r.Counts.Targets))
	return w.b
}

// decodeStub decodes encodeStub's record, or the JSON of an earlier
// store.
func decodeStub(data []byte) (stubRecord, error) {
	var out stubRecord
	if isJSON(data) {
		err := json.Unmarshal(data, &out)
		return out, err
	}
	r := newRecReader(data)
	r.meta(&out.Meta)
	out.Counts = corpus.Counts{Units: int(r.int()), Tables: int(r.int()), Targets: int(r.int())}
	return out, r.done()
}

// encodeInfo encodes where a document came from.
func encodeInfo(in Info) ([]byte, error) {
	w := recWriter{b: make([]byte, 1, 256)}
	w.b[0] = recordVersion
	w.str(in.ID)
	w.str(in.Origin)
	w.str(in.Source)
	w.str(string(in.Format))
	st := &in.Stamp
	w.str(st.ID)
	w.int(st.Size)
	if err := w.time(st.ModTime); err != nil {
		return nil, fmt.Errorf("document info %s: %w", in.ID, err)
	}
	w.str(st.SHA256)
	w.str(in.Segment)
	return w.b, nil
}

// decodeInfo decodes encodeInfo's record, or the JSON of an earlier
// store.
func decodeInfo(data []byte) (Info, error) {
	var in Info
	if isJSON(data) {
		err := json.Unmarshal(data, &in)
		return in, err
	}
	r := newRecReader(data)
	in.ID = r.str()
	in.Origin = r.str()
	in.Source = r.str()
	in.Format = corpus.Format(r.str())
	in.Stamp.ID = r.str()
	in.Stamp.Size = r.int()
	in.Stamp.ModTime = r.time()
	in.Stamp.SHA256 = r.str()
	in.Segment = r.str()
	return in, r.done()
}

// encodeSegment encodes a segment's entry of the segment table.
func encodeSegment(sg *Segment) ([]byte, error) {
	w := recWriter{b: make([]byte, 1, 64+16*len(sg.Docs))}
	w.b[0] = recordVersion
	w.str(sg.Name)
	w.b = binary.AppendUvarint(w.b, uint64(len(sg.Docs)))
	for _, d := range sg.Docs {
		w.str(d.ID)
		w.int(int64(d.Entries))
	}
	if err := w.time(sg.Created); err != nil {
		return nil, fmt.Errorf("segment %s: %w", sg.Name, err)
	}
	return w.b, nil
}

// decodeSegment decodes encodeSegment's record, or the JSON of an
// earlier store.
func decodeSegment(data []byte) (Segment, error) {
	var sg Segment
	if isJSON(data) {
		err := json.Unmarshal(data, &sg)
		return sg, err
	}
	r := newRecReader(data)
	sg.Name = r.str()
	if n := r.count(); n > 0 {
		sg.Docs = make([]SegDoc, n)
	}
	for i := range sg.Docs {
		sg.Docs[i] = SegDoc{ID: r.str(), Entries: int(r.int())}
	}
	sg.Created = r.time()
	return sg, r.done()
}
