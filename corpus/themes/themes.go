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

// Theme is one topic of the theme taxonomy: a unit belongs to it when its
// text, or a heading above it, contains one of the keywords.
type Theme struct {
	Name     string   `json:"name"`
	Keywords []string `json:"keywords"`
}

// Taxonomy is the ordered list of themes read from a themes.json file. It is
// immutable once parsed and safe for concurrent use.
type Taxonomy struct {
	Themes []Theme `json:"themes"`
	// folded keywords per theme, in the order of Themes
	folded [][]string
	// byFirst indexes the folded keywords by their first rune, so match
	// looks at each position of a text only for the keywords that can
	// start there; first[r] for a BMP rune r is 1 + the index in starts
	// of r's keywords, 0 when none start with r
	byFirst map[rune][]keyword
	first   []uint16
	starts  [][]keyword
}

// keyword is one folded keyword of theme.
type keyword struct {
	text  string
	theme int
}

// Parse parses a themes.json document. Theme names must be unique
// and non-empty and every theme needs at least one keyword; keywords are
// compared after Normalize.
func Parse(data []byte) (*Taxonomy, error) {
	var t Taxonomy
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "主题分类文件格式错误", Err: err}
	}
	if len(t.Themes) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "主题分类文件中没有主题")
	}
	seen := map[string]bool{}
	t.folded = make([][]string, len(t.Themes))
	for i, th := range t.Themes {
		name := strings.TrimSpace(th.Name)
		if name == "" {
			return nil, corpus.Errorf(corpus.EINVALID, "主题分类第 %d 项缺少名称", i+1)
		}
		if seen[name] {
			return nil, corpus.Errorf(corpus.EINVALID, "主题名称重复：%s", name)
		}
		seen[name] = true
		t.Themes[i].Name = name
		for _, k := range th.Keywords {
			if k = corpus.Normalize(k); k != "" {
				t.folded[i] = append(t.folded[i], k)
			}
		}
		if len(t.folded[i]) == 0 {
			return nil, corpus.Errorf(corpus.EINVALID, "主题“%s”没有关键词", name)
		}
	}
	t.byFirst = map[rune][]keyword{}
	t.first = make([]uint16, 0x10000)
	for i, keys := range t.folded {
		for _, k := range keys {
			r, _ := utf8.DecodeRuneInString(k)
			if r < 0x10000 && t.first[r] == 0 {
				if len(t.starts) == 0xFFFF {
					return nil, corpus.Errorf(corpus.EINVALID, "主题关键词过多")
				}
				t.starts = append(t.starts, nil)
				t.first[r] = uint16(len(t.starts))
			}
			if r < 0x10000 {
				j := t.first[r] - 1
				t.starts[j] = append(t.starts[j], keyword{k, i})
			} else {
				t.byFirst[r] = append(t.byFirst[r], keyword{k, i})
			}
		}
	}
	return &t, nil
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

// Names returns the theme names in taxonomy order.
func (t *Taxonomy) Names() []string {
	out := make([]string, len(t.Themes))
	for i, th := range t.Themes {
		out[i] = th.Name
	}
	return out
}

// Match returns, in taxonomy order, the themes one of whose keywords occurs
// in Normalize(text).
func (t *Taxonomy) Match(text string) []string {
	return t.match(corpus.Normalize(text), nil)
}

// match adds to have (a set, in taxonomy order) the themes matching the
// already normalised text.
func (t *Taxonomy) match(norm string, have []bool) []string {
	if have == nil {
		have = make([]bool, len(t.Themes))
	}
	found := false
	for i, r := range norm {
		var ks []keyword
		if r < 0x10000 {
			if j := t.first[r]; j > 0 {
				ks = t.starts[j-1]
			}
		} else {
			ks = t.byFirst[r]
		}
		for _, k := range ks {
			if !have[k.theme] && strings.HasPrefix(norm[i:], k.text) {
				have[k.theme], found = true, true
			}
		}
	}
	if !found {
		return nil
	}
	var out []string
	for i, on := range have {
		if on {
			out = append(out, t.Themes[i].Name)
		}
	}
	return out
}

// Assign sets the Themes of every unit of d: the themes matched by the
// unit's own text and title and those of the headings above it (its
// Breadcrumb), in taxonomy order. Targets are not units of d.Units and keep
// their own themes (the search index uses those of their source unit).
func (t *Taxonomy) Assign(d *corpus.Document) {
	headings := map[string][]bool{} // breadcrumb entry → matched theme set
	for _, u := range d.Units {
		have := make([]bool, len(t.Themes))
		text, title := corpus.Normalize(u.Text), ""
		t.match(text, have)
		if u.Title != "" {
			title = corpus.Normalize(u.Title)
			t.match(title, have)
		}
		u.SetNorm(text, title)
		for _, h := range u.Breadcrumb {
			hs, ok := headings[h]
			if !ok {
				hs = make([]bool, len(t.Themes))
				t.match(corpus.Normalize(h), hs)
				headings[h] = hs
			}
			for i, on := range hs {
				have[i] = have[i] || on
			}
		}
		u.Themes = u.Themes[:0]
		for i, on := range have {
			if on {
				u.Themes = append(u.Themes, t.Themes[i].Name)
			}
		}
		if len(u.Themes) == 0 {
			u.Themes = nil
		}
	}
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
