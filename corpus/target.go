package corpus

import "strconv"

// extractTargets returns the targets promised in d's tables and prose, in
// document order of the units they come from: one per body row of every
// indicator table (source "table"), and one per promised number in the
// prose of clause, task and section units outside the review of the past
// (source "text"). Canonical names come from the embedded indicator
// grouping.
func extractTargets(d *Document) []*Target {
	groups, err := DefaultIndicatorGroups()
	if err != nil {
		// The embedded file is checked by tests; without it indicators
		// are their own canonical names.
		groups = &IndicatorGroups{exact: map[string]string{}}
	}
	return extractTargetsWith(d, groups)
}

// extractTargetsWith is extractTargets with an explicit grouping.
func extractTargetsWith(d *Document, groups *IndicatorGroups) []*Target {
	units := make(map[string]*Unit, len(d.Units))
	for _, u := range d.Units {
		units[u.ID] = u
	}
	byUnit := map[string][]*Target{}
	for _, t := range d.Tables {
		for _, tg := range tableTargets(d, t, units) {
			byUnit[tg.UnitID] = append(byUnit[tg.UnitID], tg)
		}
	}
	planEnd := planEndYear(d)
	var out []*Target
	emitted := map[string]bool{}
	for _, u := range d.Units {
		switch u.Type {
		case TypeTableRow:
			out = append(out, byUnit[u.ID]...)
			emitted[u.ID] = true
		case TypeClause, TypeTask, TypeSection:
			if u.Part == PartBasis {
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
		t.normalise()
		if t.Source == SourceTable {
			n[t.UnitID]++
			t.ID = t.UnitID + "#" + strconv.Itoa(n[t.UnitID])
		}
	}
	return out
}

// normalise sets the normalised forms of t's names and text used by the
// query helpers.
func (t *Target) normalise() {
	t.normIndicator, t.normCanonical, t.normText = Normalize(t.Indicator), Normalize(t.Canonical), Normalize(t.Text)
}

// names returns the normalised indicator, canonical name and text of t.
func (t *Target) names() (indicator, canonical, text string) {
	if t.normCanonical == "" && t.Canonical != "" {
		return Normalize(t.Indicator), Normalize(t.Canonical), Normalize(t.Text)
	}
	return t.normIndicator, t.normCanonical, t.normText
}
