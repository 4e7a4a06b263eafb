package indexer

import "github.com/zhengce/zhengce/corpus"

// Entry is one document of the index: a unit, or a target with the unit
// it was extracted from. Entries returns them in corpus order; an entry's
// position in that list is its sequence number, the document order used to
// break ties and to list filter-only results.
type Entry struct {
	Doc    *corpus.Document
	Unit   *corpus.Unit   // the unit, nil for a target
	Target *corpus.Target // the target, nil for a unit
	Src    *corpus.Unit   // a target's source unit; nil for a unit or when unknown
}

// ID returns the entry's id: the unit or target id.
func (e *Entry) ID() string {
	if e.Unit != nil {
		return e.Unit.ID
	}
	return e.Target.ID
}

// Text returns the indexed text: the unit's text, or the target's source
// sentence or row.
func (e *Entry) Text() string {
	if e.Unit != nil {
		return e.Unit.Text
	}
	return e.Target.Text
}

// NormText returns corpus.Normalize(e.Text()), as computed when it was
// parsed (corpus.Unit.NormText, corpus.Target.NormText).
func (e *Entry) NormText() string {
	if e.Unit != nil {
		return e.Unit.NormText()
	}
	return e.Target.NormText()
}

// NormTitle returns corpus.Normalize(e.Title()).
func (e *Entry) NormTitle() string {
	if e.Unit != nil {
		return e.Unit.NormTitle()
	}
	return ""
}

// Title returns the heading or task title of a unit; a target has none.
func (e *Entry) Title() string {
	if e.Unit != nil {
		return e.Unit.Title
	}
	return ""
}

// Entries returns the index documents of c in corpus order: each
// document's units in document order, then its targets.
func Entries(c *corpus.Corpus) []Entry {
	n := 0
	for _, d := range c.Documents() {
		n += len(d.Units) + len(d.Targets)
	}
	out := make([]Entry, 0, n)
	for _, d := range c.Documents() {
		units := make(map[string]*corpus.Unit, len(d.Units))
		for _, u := range d.Units {
			units[u.ID] = u
			out = append(out, Entry{Doc: d, Unit: u})
		}
		for _, t := range d.Targets {
			out = append(out, Entry{Doc: d, Target: t, Src: units[t.UnitID]})
		}
	}
	return out
}
