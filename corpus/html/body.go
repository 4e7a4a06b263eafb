package html

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// region is the part of the page that holds the article: one element or
// the nodes between two comment markers.
type region struct {
	nodes []*html.Node
	kind  int
	text  int // non-link runes
}

// first returns the first node of r.
func (r *region) first() *html.Node { return r.nodes[0] }

// minBody is the fewest runes of non-link text a body holds.
const minBody = 8

// findBody returns the region of the page that holds the article, or nil
// when the page has none: a container named like a CMS's body element
// (the one with the most text, preferring the innermost), text between
// print markers, a container with a generic name, or else the element
// whose paragraphs score highest (text length and punctuation against
// link text, as Readability scores).
func (p *page) findBody() *region {
	var specific, generic []*region
	p.containers(p.root, &specific, &generic)
	specific = append(specific, p.markerRegions()...)
	scored := p.scored()
	if r := p.pick(specific); r != nil && (scored == nil || r.text*3 >= scored.text || r.text >= 200) {
		return r
	}
	if r := p.pick(generic); r != nil && (scored == nil || r.text*2 >= scored.text) {
		return r
	}
	return scored
}

// pick returns the candidate with the most non-link text, or a candidate
// inside it that holds nearly as much (the innermost such); nil when none
// holds minBody runes.
func (p *page) pick(cands []*region) *region {
	var best *region
	for _, c := range cands {
		if c.text >= minBody && (best == nil || c.text > best.text) {
			best = c
		}
	}
	if best == nil {
		return nil
	}
	for {
		var inner *region
		for _, c := range cands {
			if c != best && c.text*10 >= best.text*8 && len(c.nodes) == 1 && len(best.nodes) >= 1 && contains(best, c.first()) {
				if inner == nil || p.info[c.first()].order > p.info[inner.first()].order {
					inner = c
				}
			}
		}
		if inner == nil {
			return best
		}
		best = inner
	}
}

// contains reports whether node n is strictly inside region r.
func contains(r *region, n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		for _, m := range r.nodes {
			if a == m {
				return true
			}
		}
	}
	return false
}

// containers collects the elements named like article containers.
func (p *page) containers(n *html.Node, specific, generic *[]*region) {
	if n.Type == html.ElementNode {
		in := p.info[n]
		if in == nil || in.skip || in.chrome {
			return
		}
		switch in.kind {
		case kindSpecific:
			*specific = append(*specific, &region{nodes: []*html.Node{n}, kind: kindSpecific, text: in.text - in.link})
		case kindGeneric:
			if in.link*2 < in.text {
				*generic = append(*generic, &region{nodes: []*html.Node{n}, kind: kindGeneric, text: in.text - in.link})
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.containers(c, specific, generic)
	}
}

// markerPairs are the comment markers CMS templates put around the
// printable article.
var markerPairs = [][2]string{
	{"startprint", "endprint"},
	{"zjeg_rss.content.begin", "zjeg_rss.content.end"},
	{"正文开始", "正文结束"},
	{"content start", "content end"},
}

// markerRegions returns the nodes between matching comment markers.
func (p *page) markerRegions() []*region {
	var comments []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.CommentNode {
			comments = append(comments, n)
		}
		if n.Type == html.ElementNode {
			if in := p.info[n]; in == nil || in.skip && n.DataAtom != atom.Head {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	var out []*region
	for i, b := range comments {
		key := strings.ToLower(strings.TrimSpace(b.Data))
		for _, pair := range markerPairs {
			if key != pair[0] {
				continue
			}
			for _, e := range comments[i+1:] {
				if strings.ToLower(strings.TrimSpace(e.Data)) == pair[1] {
					if r := p.between(b, e); r != nil {
						out = append(out, r)
					}
					break
				}
			}
		}
	}
	return out
}

// between returns the region from comment b to comment e: the siblings
// between them under their lowest common ancestor.
func (p *page) between(b, e *html.Node) *region {
	anc := map[*html.Node]bool{}
	for a := b; a != nil; a = a.Parent {
		anc[a] = true
	}
	var lca, eTop *html.Node
	for a := e; a != nil; a = a.Parent {
		if anc[a] {
			lca = a
			break
		}
		eTop = a
	}
	if lca == nil || eTop == nil {
		return nil
	}
	bTop := b
	for bTop.Parent != lca {
		bTop = bTop.Parent
	}
	r := &region{kind: kindSpecific}
	for c := bTop; c != nil; c = c.NextSibling {
		r.nodes = append(r.nodes, c)
		if in := p.info[c]; in != nil && !in.skip && !in.chrome {
			r.text += in.text - in.link
		} else if c.Type == html.TextNode {
			r.text += visibleRunes(c.Data)
		}
		if c == eTop {
			break
		}
	}
	return r
}

// scored returns the element whose paragraphs score highest, Readability
// style: every element holding a paragraph of own text gives its parent
// the paragraph's score and its grandparent half of it; an element's
// score is scaled by the share of its text that is not link text.
func (p *page) scored() *region {
	scores := map[*html.Node]float64{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if n.Type == html.ElementNode {
			if in := p.info[n]; in == nil || in.skip || in.chrome {
				return
			}
		}
		own, commas := ownText(p, n)
		if own >= 10 && n.Parent != nil {
			s := 1 + float64(commas) + float64(min(own/100, 3))
			scores[n.Parent] += s
			if g := n.Parent.Parent; g != nil {
				scores[g] += s / 2
			}
			scores[n] += s / 4
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	var best *html.Node
	bestScore := 0.0
	for n, s := range scores {
		in := p.info[n]
		if in == nil || in.text == 0 {
			continue
		}
		s *= 1 - float64(in.link)/float64(in.text)
		if s > bestScore || s == bestScore && best != nil && in.order < p.info[best].order {
			best, bestScore = n, s
		}
	}
	if best == nil {
		return nil
	}
	in := p.info[best]
	if in.text-in.link < minBody {
		return nil
	}
	return &region{nodes: []*html.Node{best}, text: in.text - in.link}
}

// ownText counts the non-link runes of n's own text (its text nodes and
// inline descendants, not its block children) and its clause punctuation.
func ownText(p *page, n *html.Node) (count, commas int) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, top bool) {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				switch {
				case isSpace(r):
				case r == '，' || r == '。' || r == '；' || r == '、' || r == ',':
					commas++
					count++
				default:
					count++
				}
			}
			return
		case html.ElementNode:
			if !top {
				if in := p.info[n]; in == nil || in.skip || in.chrome || blockTags[n.DataAtom] || n.DataAtom == atom.A {
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, false)
		}
	}
	walk(n, true)
	return count, commas
}
