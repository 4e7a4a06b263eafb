package gazetteer

import (
	"strings"
	"unicode/utf8"
)

// mode selects where short names are allowed.
type mode uint8

const (
	modeText   mode = iota // a title or an issuer: free text
	modeDocNum             // a document number's prefix: a run of place tokens from the start
)

// mention is one place name found in a text.
type mention struct {
	start, end int     // byte offsets
	nodes      []int32 // candidates
	weak       bool    // may only refine a place named elsewhere
	national   bool
}

// maxMentions bounds the work on hostile input: titles and issuers name a handful of places.
const maxMentions = 16

// opener reports whether r ends a context after which a place name may start (a short
// city name is read only at such a position).
func opener(r rune) bool {
	return strings.ContainsRune("《（“‘「『〔、，,：:；;/·—-_与和及暨", r)
}

// scan finds the place names of s (already normalized), greedily, longest first.
func (g *Gazetteer) scan(s string, m mode, buf []mention) []mention {
	prevEnd := -1
	prevNational := false
	var prevRune rune
	for i := 0; i < len(s) && len(buf) < maxMentions; {
		adjacent := i == prevEnd
		if m == modeDocNum && i > 0 && !adjacent {
			break // document numbers: only a run of places from the start
		}
		atStart := i == 0 || adjacent || opener(prevRune)
		var found *term
		var nodes []int32
		weak := false
		for _, t := range g.terms[firstRunes(s[i:], 2)] {
			if !strings.HasPrefix(s[i:], t.text) {
				continue
			}
			nodes, weak = nodes[:0], true
			for _, it := range t.items {
				ok, w := false, false
				switch it.class {
				case cFull, cProvShort, cNational:
					ok = true
				case cFullWeak:
					ok, w = true, m == modeText
				case cOutside:
					ok, w = true, m == modeText && i > 0
				case cCityShort:
					ok = atStart
				case cCountyShort:
					ok = (adjacent && !prevNational) || (m == modeDocNum && i == 0)
					w = m == modeText
				}
				if ok {
					nodes = append(nodes, it.node)
					weak = weak && w
				}
			}
			if len(nodes) > 0 {
				found = t
				break
			}
		}
		if found == nil && m == modeDocNum && i == 0 {
			if t := g.abbr[firstRunes(s, 1)]; t != nil {
				found, nodes = t, []int32{t.items[0].node}
			}
		}
		if found == nil {
			r, w := utf8.DecodeRuneInString(s[i:])
			prevRune = r
			i += w
			continue
		}
		end := i + len(found.text)
		buf = append(buf, mention{start: i, end: end, nodes: nodes, weak: weak, national: nodes[0] == g.natNode})
		prevEnd = end
		prevNational = nodes[0] == g.natNode
		r, _ := utf8.DecodeLastRuneInString(found.text)
		prevRune = r
		i = end
	}
	return buf
}

// isAncestor reports whether a is b or one of b's ancestors.
func (g *Gazetteer) isAncestor(a, b int32) bool {
	for ; b >= 0; b = g.nodes[b].parent {
		if a == b {
			return true
		}
	}
	return false
}

func (g *Gazetteer) consistent(a, b int32) bool { return g.isAncestor(a, b) || g.isAncestor(b, a) }

// pick chooses one node among the candidates of a single name: the only one; the one that
// is an ancestor of all the others (东营 → 东营市 rather than its 东营区); or the only
// province among them (吉林, 海南). Otherwise the name is ambiguous.
func (g *Gazetteer) pick(c []int32) (int32, bool) {
	switch len(c) {
	case 0:
		return -1, false
	case 1:
		return c[0], true
	}
	for _, a := range c {
		all := true
		for _, b := range c {
			if !g.isAncestor(a, b) {
				all = false
				break
			}
		}
		if all {
			return a, true
		}
	}
	prov := int32(-1)
	for _, a := range c {
		if g.nodes[a].depth == 1 {
			if prov >= 0 {
				return -1, false
			}
			prov = a
		}
	}
	return prov, prov >= 0
}

// chain merges places named in one piece of evidence or across pieces, in order of
// strength: a later place refines the current one when it lies below it (山东省 …
// 东营市 → 东营市), is ignored when it lies above it, and is ignored when it contradicts
// it (the first, stronger, one wins). Ambiguous names (朝阳区) are settled by the places
// around them, or ignored. It returns -1 when no local place is found; national reports
// whether a national marker was seen.
type chain struct {
	g        *Gazetteer
	best     int32
	national bool
	pending  [][]int32
	// ambiguous: a name that is not weak could not be settled (yet).
	ambiguous bool
}

func newChain(g *Gazetteer) chain { return chain{g: g, best: -1} }

func (c *chain) add(m mention) {
	if m.national {
		c.national = true
		return
	}
	c.addNodes(m.nodes, m.weak)
}

func (c *chain) addNodes(nodes []int32, weak bool) {
	g := c.g
	if c.best >= 0 {
		var f []int32
		for _, n := range nodes {
			if g.consistent(n, c.best) {
				f = append(f, n)
			}
		}
		if n, ok := g.pick(f); ok && g.isAncestor(c.best, n) {
			c.best = n
		}
		return
	}
	if weak {
		c.pending = append(c.pending, nodes)
		return
	}
	n, ok := g.pick(nodes)
	if !ok {
		c.pending = append(c.pending, nodes)
		c.ambiguous = true
		return
	}
	c.best = n
	c.ambiguous = false
	// Earlier ambiguous names may now be settled.
	pending := c.pending
	c.pending = nil
	for _, p := range pending {
		c.addNodes(p, false)
	}
}

// result returns the merged place (-1 if none).
func (c *chain) result() int32 { return c.best }
