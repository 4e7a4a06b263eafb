package docx

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus/zipfile"
)

// maxBasedOn bounds how many basedOn links a style lookup follows, so a
// cycle in styles.xml cannot loop.
const maxBasedOn = 16

// style is what a paragraph style says that matters here.
type style struct {
	name    string
	basedOn string
	outline int // w:outlineLvl + 1; 0 when absent, -1 for level 9 (body text)
	numID   string
	ilvl    int
	hasNum  bool
}

// styles are the paragraph styles of styles.xml by style ID.
type styles struct {
	byID map[string]*style
	def  string // ID of the default paragraph style
}

func newStyles() *styles { return &styles{byID: map[string]*style{}} }

// readStyles reads the paragraph styles of styles.xml.
func readStyles(ctx context.Context, a *zipfile.Archive, name string) (*styles, error) {
	st := newStyles()
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return nil, err
	}
	var cur *style
	curDepth := 0
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return nil, err
		}
		switch k {
		case zipfile.Start:
			switch d.Local() {
			case "style":
				if typ := d.Attr("type"); typ != "" && typ != "paragraph" {
					if err := d.Skip(); err != nil {
						return nil, err
					}
					continue
				}
				cur = &style{}
				curDepth = d.Depth()
				id := d.Attr("styleId")
				if _, dup := st.byID[id]; !dup {
					st.byID[id] = cur
				}
				if v := d.Attr("default"); v == "1" || v == "true" {
					st.def = id
				}
			case "rPr", "pPrChange", "tblPr", "trPr", "tcPr", "tblStylePr", "latentStyles", "docDefaults":
				if _, err := d.SkipRaw(); err != nil {
					return nil, err
				}
			case "name":
				if cur != nil && d.Depth() == curDepth+1 {
					cur.name = d.Attr("val")
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = d.Attr("val")
				}
			case "outlineLvl":
				if cur != nil {
					cur.outline = outlineLevel(d.Attr("val"))
				}
			case "numId":
				if cur != nil {
					cur.numID, cur.hasNum = d.Attr("val"), true
				}
			case "ilvl":
				if cur != nil {
					cur.ilvl, _ = strconv.Atoi(d.Attr("val"))
				}
			}
		case zipfile.End:
			if d.Local() == "style" {
				cur = nil
			}
		}
	}
}

// outlineLevel converts a w:outlineLvl value (0–8 headings, 9 body text)
// to a heading level: 1–9, -1 for body text, 0 when unreadable.
func outlineLevel(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case err != nil || n < 0:
		return 0
	case n >= 9:
		return -1
	}
	return n + 1
}

// headingLevel returns the heading level of a paragraph of style id whose
// own outline level is outline (as outlineLevel returns it): 0 for a body
// paragraph. A paragraph's own outline level wins; then, along the style's
// basedOn chain, a heading name ("heading 2", "标题 2", "Title") or an
// outline level.
func (s *styles) headingLevel(id string, outline int) int {
	if outline != 0 {
		return max(outline, 0)
	}
	if id == "" {
		id = s.def
	}
	for range maxBasedOn {
		st, ok := s.byID[id]
		if !ok {
			return nameLevel(id)
		}
		if n := nameLevel(st.name); n > 0 {
			return n
		}
		if st.outline != 0 {
			return max(st.outline, 0)
		}
		if st.basedOn == "" || st.basedOn == id {
			return 0
		}
		id = st.basedOn
	}
	return 0
}

// numbering returns the list a paragraph of style id belongs to through
// its style, if any.
func (s *styles) numbering(id string) (numID string, ilvl int, ok bool) {
	if id == "" {
		id = s.def
	}
	for range maxBasedOn {
		st, found := s.byID[id]
		if !found {
			return "", 0, false
		}
		if st.hasNum {
			return st.numID, st.ilvl, true
		}
		if st.basedOn == "" || st.basedOn == id {
			return "", 0, false
		}
		id = st.basedOn
	}
	return "", 0, false
}

// nameLevel returns the heading level a style name (or, without
// styles.xml, a style ID) states: "heading 1", "Heading1", "标题 1" → 1,
// "Title", "标题" → 1; 0 for any other name.
func nameLevel(name string) int {
	n := strings.ToLower(strings.Join(strings.Fields(name), ""))
	switch n {
	case "title", "标题":
		return 1
	}
	for _, p := range []string{"heading", "标题"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			if lvl, err := strconv.Atoi(rest); err == nil && lvl >= 1 && lvl <= 9 {
				return lvl
			}
		}
	}
	return 0
}
