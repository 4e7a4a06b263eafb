package indexer

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
)

// Records of UnitsFile: a unit, or a target with what a hit shows of its
// source unit. The first byte tells which. A target record is the
// target's (store.AppendTarget) followed by a unit record holding the
// source unit's part, themes and breadcrumb; indexes written before held
// it as JSON (recTargetJSON), still read.
const (
	recUnit       = 'u'
	recTarget     = 'T'
	recTargetJSON = 't'
)

// appendEntry appends the record of e for UnitsFile to b.
func appendEntry(b []byte, e *Entry) []byte {
	if e.Unit != nil {
		return store.AppendUnit(append(b, recUnit), e.Unit)
	}
	b = store.AppendTarget(append(b, recTarget), e.Target)
	var src corpus.Unit
	if e.Src != nil {
		src.Part, src.Themes, src.Breadcrumb = e.Src.Part, e.Src.Themes, e.Src.Breadcrumb
	}
	return store.AppendUnit(b, &src)
}

// targetRecord is a target entry as indexes written before held it, as
// JSON: the target and the fields of its source unit a hit shows.
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
		u, err := store.DecodeUnit(b[1:])
		if err != nil {
			return Entry{}, err
		}
		return Entry{Unit: u}, nil
	case recTarget:
		t, su, err := store.DecodeTargetUnit(b[1:])
		if err != nil {
			return Entry{}, err
		}
		src := &corpus.Unit{ID: t.UnitID, DocID: t.DocID, Part: su.Part, Themes: su.Themes, Breadcrumb: su.Breadcrumb}
		return Entry{Target: t, Src: src}, nil
	case recTargetJSON:
		var rec targetRecord
		if err := json.Unmarshal(b[1:], &rec); err != nil || rec.Target == nil {
			return Entry{}, fmt.Errorf("target record: %w", errors.Join(err, errors.New("damaged")))
		}
		// an empty list decodes as nil, the way the JSON (omitempty) was
		// written: decoding is canonical
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
