package search

import (
	"slices"
	"strings"
)

// The theme facet is a tree of two levels: a unit's themes are paths
// joined by / (教育, 教育/学前教育; see corpus/themes), and a unit with a
// second-level theme carries its top-level theme too, so the count of a
// top-level theme is the number of matching units in it. A theme filter
// value names a node and includes everything below it.

// themeSep joins the names of a theme path (themes.Sep).
const themeSep = "/"

// ThemeValue returns a theme filter value in canonical form: a path
// written with ›, ／, > or ＞ is joined by /, spaces around the names
// removed. Any value is valid: one naming no theme matches nothing.
func ThemeValue(v string) string {
	v = strings.NewReplacer("›", themeSep, "／", themeSep, "＞", themeSep, ">", themeSep).Replace(v)
	parts := strings.Split(v, themeSep)
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return strings.Join(parts, themeSep)
}

// themeMatch reports whether the theme path (教育/学前教育) is what the
// filter value v names: the path itself; its last name (学前教育, a value
// without /); for a top-level theme whose name lists several subjects
// (财政、金融、审计) also that name written with / (财政/金融/审计) and each
// subject alone (财政).
func themeMatch(path, v string) bool {
	v = ThemeValue(v)
	if path == v {
		return true
	}
	parent, name, child := strings.Cut(path, themeSep)
	if !child {
		name = parent
	}
	if strings.Contains(v, themeSep) {
		return !child && strings.ReplaceAll(v, themeSep, "、") == name
	}
	return name == v || !child && slices.Contains(strings.Split(name, "、"), v)
}

// themeFilter returns the ids of d's theme values that the filter values
// select: the values they name and every value below those.
func themeFilter(d *dict, values []string) []uint16 {
	var out []uint16
	for id, path := range d.names {
		for _, v := range values {
			if themeSelects(path, v) {
				out = append(out, uint16(id))
				break
			}
		}
	}
	return out
}

// themeSelects reports whether filter value v selects the theme path: v
// names the path or one of its ancestors.
func themeSelects(path, v string) bool {
	for p := path; ; {
		if themeMatch(p, v) {
			return true
		}
		i := strings.LastIndex(p, themeSep)
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// ThemeSelects reports whether a unit with the given themes passes the
// theme filter values (any of them): the brute-force reference of the
// filter.
func ThemeSelects(themes, values []string) bool {
	for _, th := range themes {
		for _, v := range values {
			if themeSelects(th, v) {
				return true
			}
		}
	}
	return false
}

// themeTree builds the theme facet from the counts by value id of d: the
// top-level themes with their children, values without matches left out,
// each level by count then name. A path whose parent no unit carries gets
// a parent counting its children's matches (an upper bound: the
// taxonomy always gives the parent too).
func themeTree(counts []int, d *dict) []FacetValue {
	type node struct {
		fv       FacetValue
		children []string
	}
	nodes := map[string]*node{}
	var roots []string
	var get func(path string) *node
	get = func(path string) *node {
		if n, ok := nodes[path]; ok {
			return n
		}
		n := &node{fv: FacetValue{Path: strings.Split(path, themeSep)}}
		n.fv.Value = n.fv.Path[len(n.fv.Path)-1]
		nodes[path] = n
		if i := strings.LastIndex(path, themeSep); i >= 0 {
			p := get(path[:i])
			p.children = append(p.children, path)
		} else {
			roots = append(roots, path)
		}
		return n
	}
	for id, c := range counts {
		if c > 0 && d.names[id] != "" {
			get(d.names[id]).fv.Count = c
		}
	}
	var build func(paths []string) []FacetValue
	build = func(paths []string) []FacetValue {
		out := make([]FacetValue, 0, len(paths))
		for _, p := range paths {
			n := nodes[p]
			fv := n.fv
			if len(n.children) > 0 {
				fv.Children = build(n.children)
				if fv.Count == 0 {
					for _, c := range fv.Children {
						fv.Count += c.Count
					}
				}
			}
			out = append(out, fv)
		}
		sortFacet(out)
		return out
	}
	return build(roots)
}
