// Package targets extracts the promised numbers of a parsed document:
// one target per body row of every indicator table and one per promised
// number in the prose of the plan's tasks and requirements, with the
// indicator's canonical name across districts from an IndicatorGroups
// (the editable, embedded indicators.json by default). ParseValue reads a
// value as the documents write it.
package targets

import (
	"strconv"

	"github.com/zhengce/zhengce/corpus"
)

// Limits of extraction: they keep the targets of a document, and the
// memory they take, proportional to its size whatever its text (a line
// repeating one promise thousands of times). The real corpora stay far
// below them: at most 15 targets in a unit, 89 in a document and 253
// characters of text in a target (seeds and 2,607 laws).
const (
	// MaxPerUnit is the number of targets kept from one unit; the rest
	// are counted in Document.TargetsOmitted.
	MaxPerUnit = 50
	// MaxPerDocument is the number of targets kept from one document;
	// the rest are counted in Document.TargetsOmitted.
	MaxPerDocument = 2000
	// MaxTextRunes bounds a target's Text: a longer sentence is quoted
	// as an excerpt of this many characters around the number, marked
	// with … where it was cut.
	MaxTextRunes = 400
)

// Extract returns the targets promised in d's tables and prose, in
// document order of the units they come from: one per body row of every
// indicator table (source "table"), and one per promised number in the
// prose of clause, task and section units outside the review of the past
// (source "text"). Canonical names come from groups; with nil groups every
// indicator is its own canonical name (normalised).
//
// At most MaxPerUnit targets are kept from a unit and MaxPerDocument from
// the document; Extract sets d.TargetsOmitted to the number left out.
func Extract(d *corpus.Document, groups *IndicatorGroups) []*corpus.Target {
	if groups == nil {
		groups = &IndicatorGroups{exact: map[string]string{}}
	}
	units := make(map[string]*corpus.Unit, len(d.Units))
	for _, u := range d.Units {
		units[u.ID] = u
	}
	byUnit := map[string][]*corpus.Target{}
	for _, t := range d.Tables {
		for _, tg := range tableTargets(d, t, units) {
			byUnit[tg.UnitID] = append(byUnit[tg.UnitID], tg)
		}
	}
	planEnd := planEndYear(d)
	omitted := 0
	var out []*corpus.Target
	emitted := map[string]bool{}
	for _, u := range d.Units {
		switch u.Type {
		case corpus.TypeTableRow:
			out = append(out, byUnit[u.ID]...)
			emitted[u.ID] = true
		case corpus.TypeClause, corpus.TypeTask, corpus.TypeSection:
			if u.Part == corpus.PartBasis {
				continue // achievements of the past plan, not promises
			}
			prose, n := proseTargets(d, u, planEnd)
			out = append(out, prose...)
			omitted += n
		}
	}
	// Table rows without a unit of their own (a parser that does not
	// emit table_row units) still give their targets, after the rest.
	for _, t := range d.Tables {
		for _, id := range t.RowIDs {
			if !emitted[id] {
				out = append(out, byUnit[id]...)
				emitted[id] = true
			}
		}
	}
	if len(d.Tables) > 0 {
		for _, tg := range byUnit[""] {
			out = append(out, tg)
		}
	}
	if len(out) > MaxPerDocument {
		omitted += len(out) - MaxPerDocument
		out = out[:MaxPerDocument:MaxPerDocument]
	}
	d.TargetsOmitted = omitted
	n := map[string]int{}
	for _, t := range out {
		t.Text = clip(t.Text)
		t.Canonical = groups.Canonical(t.Indicator)
		t.CacheNorm()
		if t.Source == corpus.SourceTable {
			n[t.UnitID]++
			t.ID = t.UnitID + "#" + strconv.Itoa(n[t.UnitID])
		}
	}
	return out
}

// clip bounds the text of a target to MaxTextRunes characters, cutting
// its end (a table row; prose is cut around its number by quote).
func clip(s string) string {
	if len(s) <= MaxTextRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxTextRunes-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
