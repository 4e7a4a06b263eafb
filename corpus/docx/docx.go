// Package docx reads Word documents in the Office Open XML format (.docx)
// into a corpus.Source: paragraphs, headings (by paragraph style or outline
// level), tables with their merged cells, text boxes, content controls and
// footnotes, without field codes, deleted revisions or hidden text.
package docx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/zipfile"
)

// Relationship types, matched by their last path element so that the
// transitional and strict OOXML namespaces both work.
const (
	relOfficeDocument = "officeDocument"
	relCore           = "core-properties"
	relStyles         = "styles"
	relFootnotes      = "footnotes"
	relEndnotes       = "endnotes"
	relNumbering      = "numbering"
)

// Reader reads DOCX files. Its zero value is ready to use.
type Reader struct{}

// New returns a DOCX reader.
func New() *Reader { return &Reader{} }

// Read reads a DOCX file. Zero fields of lim take their default values
// (corpus.DefaultLimits). Errors are *corpus.Error: EINVALID for a file
// that is not a readable DOCX or has no text, ETOOLARGE for one over a
// limit, ETIMEOUT when ctx is done.
func (r *Reader) Read(ctx context.Context, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, &corpus.Error{Code: corpus.EINVALID,
				Message: "DOCX 文件结构异常，无法读取；请用 Word 或 WPS 打开后另存为 DOCX 再上传",
				Err:     fmt.Errorf("docx: panic: %v", p)}
		}
	}()
	lim = zipfile.WithDefaults(lim)
	if err := ctx.Err(); err != nil {
		return nil, zipfile.Canceled(err)
	}
	a, err := zipfile.Open(data, lim, "DOCX")
	if err != nil {
		return nil, err
	}
	pkg, err := readRels(ctx, a, "")
	if err != nil {
		return nil, err
	}
	mainName, ok := pkg.find(a, relOfficeDocument, "word/document.xml")
	if !ok {
		return nil, corpus.Errorf(corpus.EINVALID, "DOCX 文件已损坏：缺少 word/document.xml；请用 Word 或 WPS 打开后另存为 DOCX 再上传")
	}
	docRels, err := readRels(ctx, a, mainName)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(mainName)
	st := newStyles()
	if name, ok := docRels.find(a, relStyles, path.Join(dir, "styles.xml")); ok {
		if st, err = readStyles(ctx, a, name); err != nil {
			return nil, err
		}
	}
	var num *numbering
	if name, ok := docRels.find(a, relNumbering, path.Join(dir, "numbering.xml")); ok {
		if num, err = readNumbering(ctx, a, name); err != nil {
			return nil, err
		}
	}
	w := newWalker(st, num, lim.MaxTextSize)
	if err := w.walkPart(ctx, a, mainName); err != nil {
		return nil, err
	}
	for _, rel := range []struct{ typ, def string }{{relFootnotes, "footnotes.xml"}, {relEndnotes, "endnotes.xml"}} {
		if name, ok := docRels.find(a, rel.typ, path.Join(dir, rel.def)); ok {
			if err := w.walkPart(ctx, a, name); err != nil {
				return nil, err
			}
		}
	}
	if !w.hasText {
		return nil, corpus.Errorf(corpus.EINVALID, "DOCX 文件中没有文字内容（可能只有图片）；请上传含文字的文件")
	}
	src = &corpus.Source{Format: corpus.FormatDOCX, Blocks: w.blocks}
	if name, ok := pkg.find(a, relCore, "docProps/core.xml"); ok {
		if src.Meta, err = readCore(ctx, a, name); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// rels is the relationships part of a package part: targets by type.
type rels map[string]string

// readRels reads the relationships of the part called name ("" for the
// package): targets are resolved to entry names.
func readRels(ctx context.Context, a *zipfile.Archive, name string) (rels, error) {
	relName := "_rels/.rels"
	if name != "" {
		relName = path.Join(path.Dir(name), "_rels", path.Base(name)+".rels")
	}
	out := rels{}
	if _, ok := a.Lookup(relName); !ok {
		return out, nil
	}
	d, err := a.Decoder(ctx, relName)
	if err != nil {
		return nil, err
	}
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if k != zipfile.Start || d.Local() != "Relationship" || strings.EqualFold(d.Attr("TargetMode"), "External") {
			continue
		}
		typ := path.Base(d.Attr("Type"))
		target := d.Attr("Target")
		if target == "" {
			continue
		}
		if !strings.HasPrefix(target, "/") {
			target = path.Join(path.Dir(name), target)
		}
		if _, dup := out[typ]; !dup {
			out[typ] = target
		}
	}
}

// find returns the entry a relationship of type typ points to, else the
// entry called def, and whether either exists.
func (r rels) find(a *zipfile.Archive, typ, def string) (string, bool) {
	if t, ok := r[typ]; ok {
		if name, ok := a.Lookup(t); ok {
			return name, true
		}
	}
	return a.Lookup(def)
}

// readCore reads the core properties: dc:title and dcterms:created.
func readCore(ctx context.Context, a *zipfile.Archive, name string) (corpus.SourceMeta, error) {
	var m corpus.SourceMeta
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return m, err
	}
	var field *string
	var created string
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, err
		}
		switch k {
		case zipfile.Start:
			switch d.Local() {
			case "title":
				field = &m.Title
			case "created":
				field = &created
			default:
				field = nil
			}
		case zipfile.Text:
			if field != nil {
				*field += string(d.Text())
			}
		case zipfile.End:
			field = nil
		}
	}
	m.Title = strings.Join(strings.Fields(m.Title), " ")
	m.Date = isoDate(created)
	return m, nil
}

// isoDate returns the YYYY-MM-DD date at the start of a W3CDTF timestamp,
// or "" when s does not start with one.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 10 {
		return ""
	}
	for i, c := range s[:10] {
		if i == 4 || i == 7 {
			if c != '-' {
				return ""
			}
		} else if c < '0' || c > '9' {
			return ""
		}
	}
	if s[:4] < "1900" || s[:4] > "2999" {
		return ""
	}
	return s[:10]
}
