// Package themes holds the vocabularies of zhengce that are data: the
// theme taxonomy (themes.json), which labels every unit of a parsed
// document with its topics, and the word segmenter's user dictionary of
// policy terms (dict.txt). Both files are embedded; Default and
// UserDictionary read them, Parse reads another taxonomy, so that other
// kinds of documents can bring their own.
package themes

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// taxonomyFiles holds the editable data files of this package: the
// theme taxonomy and the segmenter's user dictionary. Kept beside the code
// that reads them so the two evolve together.
//
//go:embed themes.json dict.txt
var taxonomyFiles embed.FS

// Sep joins the names of a theme path: a unit carries a second-level theme
// as 教育/学前教育 beside its top-level theme 教育.
const Sep = "/"

// Theme is one topic of the theme taxonomy. A top-level theme is a
// category of the State Council's subject classification (主题分类); its
// Themes, when it has any, are its second level.
type Theme struct {
	Name string `json:"name"`
	// Aliases are other names of the theme a disclosure page's 主题分类
	// may give (科技、教育 for 科技 and 教育; 财政 for 财政、金融、审计).
	Aliases []string `json:"aliases,omitempty"`
	// Keywords name the theme in a title or a text.
	Keywords []string `json:"keywords"`
	// Fallback marks the top-level theme of documents nothing else
	// places (其他); it needs no keywords.
	Fallback bool `json:"fallback,omitempty"`
	// Themes are the second level below a top-level theme.
	Themes []Theme `json:"themes,omitempty"`
}

// Taxonomy is the two-level theme tree read from a themes.json file. It is
// immutable once parsed and safe for concurrent use.
type Taxonomy struct {
	Themes []Theme `json:"themes"`
	// Ignore are phrases no top-level keyword is read inside or across:
	// 中华人民共和国, so that 中华人民共和国防汛条例 is not 国防.
	Ignore []string `json:"ignore,omitempty"`
	// nodes are the themes in display order, each top-level theme
	// followed by its children
	nodes []node
	// aliases maps a normalised name or alias to the top-level nodes it
	// names
	aliases map[string][]int
	// fallback is the node of the fallback theme, -1 for none
	fallback int
	// byFirst indexes the folded keywords by their first rune, so match
	// looks at each position of a text only for the keywords that can
	// start there; first[r] for a BMP rune r is 1 + the index in starts
	// of r's keywords, 0 when none start with r
	byFirst map[rune][]keyword
	first   []uint16
	starts  [][]keyword
	// pairs is a set of hashes (pairHash) of the first two runes of the
	// keywords: a position whose two runes are not in it starts none, and
	// match skips its list (most positions whose first rune starts a
	// keyword); oneRune[j] is set when a keyword of starts[j] is a single
	// rune, which the pair says nothing about
	pairs   []uint64
	oneRune []bool
}

// pairBits is the number of bits of Taxonomy.pairs.
const pairBits = 1 << 16

// pairHash is the bit of the runes r1, r2 in Taxonomy.pairs.
func pairHash(r1, r2 rune) uint32 {
	return (uint32(r1)*0x9E3779B1 ^ uint32(r2)*0x85EBCA77) % pairBits
}

// mayStart reports whether a keyword of starts[j] may start with r1, r2.
func (t *Taxonomy) mayStart(j int, r1, r2 rune) bool {
	h := pairHash(r1, r2)
	return t.oneRune[j] || t.pairs[h/64]&(1<<(h%64)) != 0
}

// node is one theme of the tree.
type node struct {
	name, path string
	parent     int // -1 for a top-level theme
	children   []int
	keywords   []string // folded
}

// keyword is one folded keyword of node theme; theme is ignored (-1) for
// a phrase of Taxonomy.Ignore.
type keyword struct {
	text  string
	theme int
	top   bool // the theme is a top-level one
}

// ignored is the theme of the phrases of Taxonomy.Ignore.
const ignored = -1

// Parse parses a themes.json document. Names must be non-empty, unique
// among siblings and free of Sep; every theme but the fallback needs at
// least one keyword; a second-level theme has no children and there is at
// most one fallback, a top-level theme. Keywords are compared after
// Normalize.
func Parse(data []byte) (*Taxonomy, error) {
	var t Taxonomy
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "主题分类文件格式错误", Err: err}
	}
	if len(t.Themes) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "主题分类文件中没有主题")
	}
	t.fallback = -1
	t.aliases = map[string][]int{}
	var add func(th *Theme, parent int, pos string) error
	add = func(th *Theme, parent int, pos string) error {
		name := strings.TrimSpace(th.Name)
		switch {
		case name == "":
			return corpus.Errorf(corpus.EINVALID, "主题分类%s缺少名称", pos)
		case strings.Contains(name, Sep):
			return corpus.Errorf(corpus.EINVALID, "主题名称“%s”含有“%s”：请改用顿号分隔", name, Sep)
		}
		th.Name = name
		path := name
		if parent >= 0 {
			path = t.nodes[parent].path + Sep + name
		}
		for _, i := range t.siblings(parent) {
			if t.nodes[i].name == name {
				return corpus.Errorf(corpus.EINVALID, "主题名称重复：%s", path)
			}
		}
		id := len(t.nodes)
		n := node{name: name, path: path, parent: parent}
		for _, k := range th.Keywords {
			if k = corpus.Normalize(k); k != "" {
				n.keywords = append(n.keywords, k)
			}
		}
		switch {
		case th.Fallback && parent >= 0:
			return corpus.Errorf(corpus.EINVALID, "主题“%s”：只有第一级主题可以作为“其他”类", path)
		case th.Fallback && t.fallback >= 0:
			return corpus.Errorf(corpus.EINVALID, "主题“%s”：只能有一个“其他”类", path)
		case th.Fallback:
			t.fallback = id
		case len(n.keywords) == 0:
			return corpus.Errorf(corpus.EINVALID, "主题“%s”没有关键词", path)
		}
		t.nodes = append(t.nodes, n)
		if parent >= 0 {
			t.nodes[parent].children = append(t.nodes[parent].children, id)
			if len(th.Themes) > 0 {
				return corpus.Errorf(corpus.EINVALID, "主题“%s”：主题分类只有两级", path)
			}
		} else {
			for _, a := range append([]string{name}, th.Aliases...) {
				if a = corpus.Normalize(a); a != "" && !slices.Contains(t.aliases[a], id) {
					t.aliases[a] = append(t.aliases[a], id)
				}
			}
		}
		for j := range th.Themes {
			if err := add(&th.Themes[j], id, fmt.Sprintf("“%s”的第 %d 项", path, j+1)); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range t.Themes {
		if err := add(&t.Themes[i], -1, fmt.Sprintf("第 %d 项", i+1)); err != nil {
			return nil, err
		}
	}
	// a second-level theme named by a page (学前教育) names its parent,
	// unless a top-level theme has that name
	for i, n := range t.nodes {
		if a := corpus.Normalize(n.name); n.parent >= 0 && len(t.aliases[a]) == 0 {
			t.aliases[a] = []int{t.nodes[i].parent}
		}
	}
	t.byFirst = map[rune][]keyword{}
	t.first = make([]uint16, 0x10000)
	t.pairs = make([]uint64, pairBits/64)
	all := make([][]string, len(t.nodes), len(t.nodes)+1)
	for i, n := range t.nodes {
		all[i] = n.keywords
	}
	var ignore []string
	for _, k := range t.Ignore {
		if k = corpus.Normalize(k); k != "" {
			ignore = append(ignore, k)
		}
	}
	all = append(all, ignore)
	for i, keys := range all {
		if i == len(t.nodes) {
			i = ignored
		}
		for _, k := range keys {
			kw := keyword{k, i, i != ignored && t.nodes[i].parent < 0}
			r, size := utf8.DecodeRuneInString(k)
			if r < 0x10000 && t.first[r] == 0 {
				if len(t.starts) == 0xFFFF {
					return nil, corpus.Errorf(corpus.EINVALID, "主题关键词过多")
				}
				t.starts = append(t.starts, nil)
				t.oneRune = append(t.oneRune, false)
				t.first[r] = uint16(len(t.starts))
			}
			if r >= 0x10000 {
				t.byFirst[r] = append(t.byFirst[r], kw)
				continue
			}
			j := t.first[r] - 1
			t.starts[j] = append(t.starts[j], kw)
			if size == len(k) {
				t.oneRune[j] = true
				continue
			}
			r2, _ := utf8.DecodeRuneInString(k[size:])
			h := pairHash(r, r2)
			t.pairs[h/64] |= 1 << (h % 64)
		}
	}
	return &t, nil
}

// siblings returns the nodes below parent (-1: the top level) so far.
func (t *Taxonomy) siblings(parent int) []int {
	if parent >= 0 {
		return t.nodes[parent].children
	}
	var out []int
	for i, n := range t.nodes {
		if n.parent < 0 {
			out = append(out, i)
		}
	}
	return out
}

// Default parses the taxonomy embedded from corpus/themes/themes.json.
// Each call parses the file afresh: build it once (parse.Default does)
// and share it, a Taxonomy is immutable.
func Default() (*Taxonomy, error) {
	data, err := taxonomyFiles.ReadFile("themes.json")
	if err != nil {
		return nil, fmt.Errorf("read embedded themes.json: %w", err)
	}
	return Parse(data)
}

// Names returns the names of the top-level themes in taxonomy order.
func (t *Taxonomy) Names() []string {
	out := make([]string, len(t.Themes))
	for i, th := range t.Themes {
		out[i] = th.Name
	}
	return out
}

// Paths returns every value a unit's Themes can hold, in display order:
// each top-level name followed by the paths of its children
// (教育, 教育/学前教育, 教育/义务教育 …).
func (t *Taxonomy) Paths() []string {
	out := make([]string, len(t.nodes))
	for i, n := range t.nodes {
		out[i] = n.path
	}
	return out
}

// Keywords returns the keywords of the theme with the given path, as
// written in the taxonomy, or nil for an unknown path.
func (t *Taxonomy) Keywords(path string) []string {
	top, child, _ := strings.Cut(path, Sep)
	for _, th := range t.Themes {
		if th.Name != top {
			continue
		}
		if child == "" {
			return th.Keywords
		}
		for _, c := range th.Themes {
			if c.Name == child {
				return c.Keywords
			}
		}
	}
	return nil
}

// Match returns, in taxonomy order, the paths of the themes one of whose
// keywords occurs in Normalize(text), at any level.
func (t *Taxonomy) Match(text string) []string {
	have := make([]bool, len(t.nodes))
	t.match(corpus.Normalize(text), have)
	var out []string
	for i, on := range have {
		if on {
			out = append(out, t.nodes[i].path)
		}
	}
	return out
}

// match marks in have (by node) the themes with a keyword in the already
// normalised text. A second-level theme matches wherever one of its
// keywords occurs. A top-level keyword matches unless it lies inside a
// longer top-level keyword's occurrence: 环境卫生 names 城乡建设、环境保护,
// not 卫生、体育; 法治宣传教育 is not 教育. Overlapping occurrences both
// count (安阳市政务服务: 市政 and 政务服务).
func (t *Taxonomy) match(norm string, have []bool) {
	maxEnd := 0    // furthest end of a top-level occurrence so far
	ignoreEnd := 0 // end of the last ignored phrase: no top-level keyword starts before it
	for i, r := range norm {
		var ks []keyword
		if r < 0x10000 {
			if j := int(t.first[r]) - 1; j >= 0 {
				// the bytes of a keyword that matches here decode to
				// its runes, so the pair of runes read here is its pair
				_, size := utf8.DecodeRuneInString(norm[i:])
				if r2, _ := utf8.DecodeRuneInString(norm[i+size:]); t.mayStart(j, r, r2) {
					ks = t.starts[j]
				}
			}
		} else {
			ks = t.byFirst[r]
		}
		longest := 0 // length of the longest top-level keyword at i
		for _, k := range ks {
			if k.theme == ignored {
				if strings.HasPrefix(norm[i:], k.text) {
					ignoreEnd = max(ignoreEnd, i+len(k.text))
				}
				continue
			}
			if k.top && (len(k.text) < longest || i+len(k.text) <= maxEnd) || !k.top && have[k.theme] {
				continue
			}
			if !strings.HasPrefix(norm[i:], k.text) {
				continue
			}
			if k.top {
				longest = len(k.text)
			} else {
				have[k.theme] = true
			}
		}
		if longest == 0 || i < ignoreEnd {
			continue
		}
		// every top-level keyword of that length here (one keyword may
		// name two themes)
		for _, k := range ks {
			if k.top && len(k.text) == longest && strings.HasPrefix(norm[i:], k.text) {
				have[k.theme] = true
			}
		}
		maxEnd = max(maxEnd, i+longest)
	}
}

// subjectSepRe splits a disclosure page's 主题分类 into its levels
// (科技、教育\教育, 教育 > 学前教育) and alternatives (教育；卫生).
var subjectSepRe = regexp.MustCompile(`[\\/／>＞›»|｜;；,，\s]+`)

// Subject returns the top-level themes (node ids, in taxonomy order) a
// disclosure page's 主题分类 names: each part names the themes of its
// name or alias; a later part that names a subset of an earlier one's
// themes narrows it (科技、教育\教育 is 教育), one naming others is a
// portal's own subdivision and ignored (教育\其他 is 教育). Nil when the
// value names no theme.
func (t *Taxonomy) subject(v string) []int {
	var out []int
	for _, part := range subjectSepRe.Split(v, -1) {
		ids := t.aliases[corpus.Normalize(part)]
		if len(ids) == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(ids)
			continue
		}
		if sub := slices.DeleteFunc(slices.Clone(ids), func(i int) bool { return !slices.Contains(out, i) }); len(sub) > 0 {
			out = sub
		}
	}
	slices.Sort(out)
	return out
}

// SubjectThemes returns the names of the top-level themes a disclosure
// page's 主题分类 value names (see Assign), nil when it names none.
func (t *Taxonomy) SubjectThemes(v string) []string {
	var out []string
	for _, i := range t.subject(v) {
		out = append(out, t.nodes[i].name)
	}
	return out
}

// Assign sets the Themes of every unit of d.
//
// The document's top-level themes are, by the strongest evidence present:
// those its stated 主题分类 (d.Subject) names — when it names several
// (科技、教育), those of them its title or units support; else the themes
// whose keywords its title contains; else the themes whose keywords the
// most units contain (every theme within 60 % of the best count); else
// the fallback theme. Every unit carries the document's top-level themes.
//
// A second-level theme applies only in documents of its top-level theme:
// a unit gets it when its own text or title, or a heading above it (its
// Breadcrumb), contains one of its keywords, and carries it as the path
// top/name. A unit's Themes are in taxonomy order, each top-level theme
// before its children. Targets are not units of d.Units and keep their
// own themes (the search index uses those of their source unit).
func (t *Taxonomy) Assign(d *corpus.Document) {
	nn := len(t.nodes)
	own := make([][]bool, len(d.Units)) // by unit: themes of its text and title
	votes := make([]int, nn)            // by top-level node: units whose text names it
	body := 0                           // units other than the title
	for ui, u := range d.Units {
		have := make([]bool, nn)
		text, title := corpus.Normalize(u.Text), ""
		t.match(text, have)
		if u.Title != "" {
			title = corpus.Normalize(u.Title)
			t.match(title, have)
		}
		u.SetNorm(text, title)
		own[ui] = have
		if u.Type == corpus.TypeTitle {
			continue
		}
		body++
		for i, on := range have {
			if on && t.nodes[i].parent < 0 {
				votes[i]++
			}
		}
	}
	titleHave := make([]bool, nn)
	t.match(corpus.Normalize(d.Title), titleHave)
	tops := t.documentThemes(d.Subject, titleHave, votes, body)

	headings := map[string][]bool{} // breadcrumb entry → matched theme set
	for ui, u := range d.Units {
		have := own[ui]
		if t.hasChildren(tops) {
			for _, h := range u.Breadcrumb {
				hs, ok := headings[h]
				if !ok {
					hs = make([]bool, nn)
					t.match(corpus.Normalize(h), hs)
					headings[h] = hs
				}
				for i, on := range hs {
					have[i] = have[i] || on
				}
			}
		}
		u.Themes = u.Themes[:0]
		for _, top := range tops {
			u.Themes = append(u.Themes, t.nodes[top].path)
			for _, c := range t.nodes[top].children {
				if have[c] {
					u.Themes = append(u.Themes, t.nodes[c].path)
				}
			}
		}
		if len(u.Themes) == 0 {
			u.Themes = nil
		}
	}
}

// minVotes is the number of units that must name a theme for the body to
// place a document of n units by it: two, so that one passing mention
// (加强宣传教育) does not; one in a document of three units or fewer.
func minVotes(n int) int {
	if n <= 3 {
		return 1
	}
	return 2
}

// hasChildren reports whether one of the top-level nodes has a second
// level.
func (t *Taxonomy) hasChildren(tops []int) bool {
	for _, i := range tops {
		if len(t.nodes[i].children) > 0 {
			return true
		}
	}
	return false
}

// documentThemes picks a document's top-level themes (node ids in
// taxonomy order) from its stated subject, the themes its title names
// (titleHave, by node) and the units naming each top-level theme (votes).
func (t *Taxonomy) documentThemes(subject string, titleHave []bool, votes []int, units int) []int {
	byVotes := func(among []int) []int {
		best := 0
		for _, i := range among {
			best = max(best, votes[i])
		}
		if best < minVotes(units) {
			return nil
		}
		var out []int
		for _, i := range among {
			if votes[i]*5 >= best*3 {
				out = append(out, i)
			}
		}
		return out
	}
	var all []int
	for i, n := range t.nodes {
		if n.parent < 0 {
			all = append(all, i)
		}
	}
	if stated := t.subject(subject); len(stated) > 0 {
		if len(stated) == 1 {
			return stated
		}
		if inTitle := slices.DeleteFunc(slices.Clone(stated), func(i int) bool { return !titleHave[i] }); len(inTitle) > 0 {
			return inTitle
		}
		if voted := byVotes(stated); len(voted) > 0 {
			return voted
		}
		return stated
	}
	if inTitle := slices.DeleteFunc(slices.Clone(all), func(i int) bool { return !titleHave[i] }); len(inTitle) > 0 {
		return inTitle
	}
	if voted := byVotes(all); len(voted) > 0 {
		return voted
	}
	if t.fallback >= 0 {
		return []int{t.fallback}
	}
	return nil
}

// UserDictionary returns the embedded user dictionary of policy terms
// (corpus/themes/dict.txt) for the word segmenter: one "TERM FREQUENCY [POS]" a
// line, # comments.
func UserDictionary() (string, error) {
	data, err := taxonomyFiles.ReadFile("dict.txt")
	if err != nil {
		return "", fmt.Errorf("read embedded dict.txt: %w", err)
	}
	return string(data), nil
}
