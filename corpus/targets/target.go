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

// Extract returns the targets promised in d's tables and prose, in
// document order of the units they come from: one per body row of every
// indicator table (source "table"), and one per promised number in the
// prose of clause, task and section units outside the review of the past
// (source "text"). Canonical names come from groups; with nil groups every
// indicator is its own canonical name (normalised).
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
			out = append(out, proseTargets(d, u, planEnd)...)
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
	n := map[string]int{}
	for _, t := range out {
		t.Canonical = groups.Canonical(t.Indicator)
		t.CacheNorm()
		if t.Source == corpus.SourceTable {
			n[t.UnitID]++
			t.ID = t.UnitID + "#" + strconv.Itoa(n[t.UnitID])
		}
	}
	return out
}
