package indexer

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
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
		return store.AppendUnit([]byte{recUnit}, e.Unit), nil
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
		u, err := store.DecodeUnit(b[1:])
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
