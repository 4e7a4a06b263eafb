package corpus

import (
	"sort"
	"strings"
)

// TargetFilter selects targets of a corpus. Zero fields select everything.
type TargetFilter struct {
	// Query matches, as a normalised substring, the indicator as worded or
	// its canonical name; when it matches no target's name it matches the
	// source text instead (a word like 近视率 that only the sentence has).
	Query string
	// Districts keeps targets of these districts (any of them).
	Districts []string
	// Min and Max keep targets whose promised value reaches Min / does
	// not exceed Max (a range counts when it overlaps). A target without
	// a numeric value never passes a numeric bound.
	Min, Max *float64
	// Source keeps targets from "table" or "text".
	Source string
	// Kind keeps "target" (promises) or "result" (achieved values).
	Kind string
}

// Targets returns the targets of the corpus that pass f, in corpus order
// (documents by id, targets in document order).
func (c *Corpus) Targets(f TargetFilter) []*Target {
	q := Normalize(f.Query)
	districts := map[string]bool{}
	for _, d := range f.Districts {
		if d = strings.TrimSpace(d); d != "" {
			districts[d] = true
		}
	}
	pass := func(t *Target) bool {
		if len(districts) > 0 && !districts[t.District] {
			return false
		}
		if f.Source != "" && t.Source != f.Source {
			return false
		}
		if f.Kind != "" && t.Kind != f.Kind {
			return false
		}
		if f.Min != nil || f.Max != nil {
			v := t.Target.Value
			if v == nil {
				return false
			}
			hi := *v
			if t.Target.Max != nil {
				hi = *t.Target.Max
			}
			if f.Min != nil && hi < *f.Min || f.Max != nil && *v > *f.Max {
				return false
			}
		}
		return true
	}
	var byName, byText []*Target
	for _, d := range c.docs {
		d, err := c.withTargets(d)
		if err != nil {
			continue
		}
		for _, t := range d.Targets {
			if !pass(t) {
				continue
			}
			if q == "" {
				byName = append(byName, t)
				continue
			}
			ind, canon, text := t.names()
			switch {
			case strings.Contains(ind, q) || strings.Contains(canon, q):
				byName = append(byName, t)
			case strings.Contains(text, q):
				byText = append(byText, t)
			}
		}
	}
	if len(byName) > 0 || q == "" {
		return byName
	}
	return byText
}

// Comparison lines one canonical indicator up across every district of a
// corpus.
type Comparison struct {
	Canonical string `json:"canonical"`
	// Districts has one entry per district of the corpus, in the order
	// of Corpus.Districts; a district that states nothing on the
	// indicator has an empty Targets list.
	Districts []DistrictTargets `json:"districts"`
}

// DistrictTargets are the targets one district states on one indicator:
// table rows first, then prose, promises before results.
type DistrictTargets struct {
	District string    `json:"district"`
	Targets  []*Target `json:"targets"`
}

// CompareTargets lines up, across all districts, the canonical indicators
// whose canonical name or wording contains query (normalised). When query
// is itself a canonical name only that indicator is compared. Comparisons
// are ordered by the number of districts that state a value, most first,
// then by name. An empty query compares nothing.
func (c *Corpus) CompareTargets(query string) []Comparison {
	q := Normalize(query)
	if q == "" {
		return nil
	}
	byCanon := map[string][]*Target{}
	exact := ""
	for _, d := range c.docs {
		d, err := c.withTargets(d)
		if err != nil {
			continue
		}
		for _, t := range d.Targets {
			ni, nc, _ := t.names()
			if nc == q {
				exact = t.Canonical
			}
			if strings.Contains(nc, q) || strings.Contains(ni, q) {
				byCanon[t.Canonical] = append(byCanon[t.Canonical], t)
			}
		}
	}
	names := make([]string, 0, len(byCanon))
	for name := range byCanon {
		if exact == "" || name == exact {
			names = append(names, name)
		}
	}
	districts := c.Districts()
	out := make([]Comparison, 0, len(names))
	covered := map[string]int{}
	for _, name := range names {
		cmp := Comparison{Canonical: name}
		per := map[string][]*Target{}
		for _, t := range byCanon[name] {
			per[t.District] = append(per[t.District], t)
		}
		for _, dist := range districts {
			ts := per[dist]
			sort.SliceStable(ts, func(i, j int) bool { return targetRank(ts[i]) < targetRank(ts[j]) })
			if len(ts) > 0 {
				covered[name]++
			}
			if ts == nil {
				ts = []*Target{}
			}
			cmp.Districts = append(cmp.Districts, DistrictTargets{District: dist, Targets: ts})
		}
		out = append(out, cmp)
	}
	sort.Slice(out, func(i, j int) bool {
		if covered[out[i].Canonical] != covered[out[j].Canonical] {
			return covered[out[i].Canonical] > covered[out[j].Canonical]
		}
		return out[i].Canonical < out[j].Canonical
	})
	return out
}

// targetRank orders a district's targets: promises from tables, promises
// from prose, then reported results.
func targetRank(t *Target) int {
	r := 0
	if t.Kind == KindResult {
		r += 2
	}
	if t.Source == SourceText {
		r++
	}
	return r
}

// withTargets returns d with its body when it has targets (loading a
// stub's), or d itself.
func (c *Corpus) withTargets(d *Document) (*Document, error) {
	if d.stub == nil || d.stub.Targets == 0 {
		return d, nil
	}
	return c.full(d)
}
