package search

import (
	"slices"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// docColumns hold the document facets by document index (see
// columns.doc): every unit of a document shares them, so they are kept
// once per document and a match is counted once, against its document;
// the document counts are spread over the facets when the answer is
// made. The region of a document is one node of the region tree (its
// jurisdiction's path); a count or a filter reaches the ancestors by
// walking up from it.
type docColumns struct {
	region                             []int32 // node of the jurisdiction, -1 for none
	doctype, level, status             []uint16
	year                               []int16  // 0 for unknown
	dateLo, dateHi                     []string // the issue date as a range (YYYY-MM-DD), "" for none
	doctypeDict, levelDict, statusDict dict
	nodes                              []regionNode
	nodeIDs                            map[string]int32 // path joined by / → node
}

// regionNode is a node of the region tree: a division named by some
// document's jurisdiction or an ancestor of one.
type regionNode struct {
	name   string
	path   string // names from the root joined by /
	code   string // NBS code, when a document names this division
	parent int32  // -1 for a root
}

// add appends the columns of d.
func (dc *docColumns) add(d *corpus.Document) {
	dc.region = append(dc.region, dc.node(d.Jurisdiction))
	dc.doctype = append(dc.doctype, dc.doctypeDict.id(d.DocType))
	dc.level = append(dc.level, dc.levelDict.id(d.Level))
	dc.status = append(dc.status, dc.statusDict.id(d.Status))
	y := d.Year
	if y == 0 && len(d.IssueDate) >= 4 {
		y, _ = strconv.Atoi(d.IssueDate[:4])
	}
	if y < MinYear || y > MaxYear {
		y = 0
	}
	dc.year = append(dc.year, int16(y))
	lo, hi := "", ""
	switch {
	case d.IssueDate != "":
		var err1, err2 error
		lo, err1 = boundDate(d.IssueDate, false)
		hi, err2 = boundDate(d.IssueDate, true)
		if err1 != nil || err2 != nil {
			lo, hi = "", ""
		}
	case y != 0:
		lo, hi = strconv.Itoa(y)+"-01-01", strconv.Itoa(y)+"-12-31"
	}
	dc.dateLo = append(dc.dateLo, lo)
	dc.dateHi = append(dc.dateHi, hi)
}

// node returns the node of j's path, adding it and its ancestors.
func (dc *docColumns) node(j *corpus.Jurisdiction) int32 {
	if j == nil || len(j.Path) == 0 {
		return -1
	}
	if dc.nodeIDs == nil {
		dc.nodeIDs = map[string]int32{}
	}
	parent := int32(-1)
	path := ""
	for i, name := range j.Path {
		if i > 0 {
			path += "/"
		}
		path += name
		id, ok := dc.nodeIDs[path]
		if !ok {
			id = int32(len(dc.nodes))
			dc.nodes = append(dc.nodes, regionNode{name: name, path: path, parent: parent})
			dc.nodeIDs[path] = id
		}
		parent = id
	}
	if dc.nodes[parent].code == "" {
		dc.nodes[parent].code = j.Code
	}
	return parent
}

// regionMatch reports whether node n is what a region filter value names:
// its path, its name (a value without /) or its code.
func (n *regionNode) regionMatch(v string) bool {
	return n.path == v || (n.name == v && !strings.Contains(v, "/")) || (n.code != "" && n.code == v)
}

// pass returns, by document index, whether each document passes q's
// document filters.
func (dc *docColumns) pass(q *Query) []bool {
	out := make([]bool, len(dc.region))
	var inRegion []bool // by node: the node or an ancestor is selected
	if len(q.Regions) > 0 {
		inRegion = make([]bool, len(dc.nodes))
		for i := range dc.nodes {
			n := &dc.nodes[i]
			// parents come before their children
			inRegion[i] = n.parent >= 0 && inRegion[n.parent]
			for _, v := range q.Regions {
				if n.regionMatch(v) {
					inRegion[i] = true
				}
			}
		}
	}
	in := func(names []string, id uint16, d *dict) bool {
		return len(names) == 0 || slices.Contains(names, d.names[id])
	}
	for i := range out {
		switch {
		case inRegion != nil && (dc.region[i] < 0 || !inRegion[dc.region[i]]):
		case !in(q.DocTypes, dc.doctype[i], &dc.doctypeDict):
		case !in(q.Levels, dc.level[i], &dc.levelDict):
		case !in(q.Statuses, dc.status[i], &dc.statusDict):
		case len(q.Years) > 0 && !slices.Contains(q.Years, int(dc.year[i])):
		case (q.DateFrom != "" || q.DateTo != "") && dc.dateLo[i] == "":
		case q.DateFrom != "" && dc.dateHi[i] < q.DateFrom:
		case q.DateTo != "" && dc.dateLo[i] > q.DateTo:
		default:
			out[i] = true
		}
	}
	return out
}

// facets fills the document facets of out from the matches counted by
// document.
func (dc *docColumns) facets(byDoc []int, out *Facets) {
	nodes := make([]int, len(dc.nodes))
	doctype := make([]int, len(dc.doctypeDict.names))
	level := make([]int, len(dc.levelDict.names))
	status := make([]int, len(dc.statusDict.names))
	years := map[int16]int{}
	for i, n := range byDoc {
		if n == 0 {
			continue
		}
		for r := dc.region[i]; r >= 0; r = dc.nodes[r].parent {
			nodes[r] += n
		}
		doctype[dc.doctype[i]] += n
		level[dc.level[i]] += n
		status[dc.status[i]] += n
		if y := dc.year[i]; y != 0 {
			years[y] += n
		}
	}
	flat := func(counts []int, d *dict) []FacetValue {
		vals := []FacetValue{}
		for id, n := range counts {
			if n > 0 && d.names[id] != "" {
				vals = append(vals, FacetValue{Value: d.names[id], Count: n})
			}
		}
		sortFacet(vals)
		return vals
	}
	out.Region = dc.regionTree(nodes)
	out.DocType = flat(doctype, &dc.doctypeDict)
	out.Level = flat(level, &dc.levelDict)
	// levels in order of legal force, unknown ones last
	rank := func(v string) int {
		if i := slices.Index(Levels, v); i >= 0 {
			return i
		}
		return len(Levels)
	}
	slices.SortStableFunc(out.Level, func(a, b FacetValue) int { return rank(a.Value) - rank(b.Value) })
	out.Status = flat(status, &dc.statusDict)
	out.Year = []FacetValue{}
	for y, n := range years {
		out.Year = append(out.Year, FacetValue{Value: strconv.Itoa(int(y)), Count: n})
	}
	// newest year first
	slices.SortFunc(out.Year, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
}

// regionTree builds the region facet from the counts by node: the roots
// with their children, nodes without matches left out, each level by
// count then name.
func (dc *docColumns) regionTree(counts []int) []FacetValue {
	children := make([][]int32, len(dc.nodes))
	var roots []int32
	for i := range dc.nodes {
		if counts[i] == 0 {
			continue
		}
		if p := dc.nodes[i].parent; p >= 0 {
			children[p] = append(children[p], int32(i))
		} else {
			roots = append(roots, int32(i))
		}
	}
	var build func(ids []int32) []FacetValue
	build = func(ids []int32) []FacetValue {
		out := make([]FacetValue, 0, len(ids))
		for _, id := range ids {
			n := &dc.nodes[id]
			fv := FacetValue{Value: n.name, Count: counts[id], Path: strings.Split(n.path, "/")}
			if len(children[id]) > 0 {
				fv.Children = build(children[id])
			}
			out = append(out, fv)
		}
		sortFacet(out)
		return out
	}
	return build(roots)
}
