// Package ofd reads OFD files (GB/T 33190, the Chinese fixed-layout
// format) into a corpus.Source of visual lines: the text objects of every
// page and of the template pages it uses, grouped by baseline, in reading
// order, without page-number footers.
package ofd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/zipfile"
)

// Default page size (A4, millimetres) when a file states none.
const (
	a4Width  = 210.0
	a4Height = 297.0
)

// Reader reads OFD files. Its zero value is ready to use.
type Reader struct{}

// New returns an OFD reader.
func New() *Reader { return &Reader{} }

// docInfo is what OFD.xml says about the document.
type docInfo struct {
	title, author, created string
	root                   string
}

// document is Document.xml: its pages and template pages.
type document struct {
	name      string
	width     float64
	height    float64
	pages     []string          // BaseLoc of each page, in order
	templates map[string]string // template page ID → BaseLoc
}

// Read reads an OFD file. Zero fields of lim take their default values
// (corpus.DefaultLimits). Errors are *corpus.Error: EINVALID for a file
// that is not a readable OFD or has no text layer (a scan), ETOOLARGE for
// one over a limit, ETIMEOUT when ctx is done.
func (r *Reader) Read(ctx context.Context, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, &corpus.Error{Code: corpus.EINVALID,
				Message: "OFD 文件结构异常，无法读取；请用 OFD 阅读器打开后重新导出再上传",
				Err:     fmt.Errorf("ofd: panic: %v", p)}
		}
	}()
	lim = zipfile.WithDefaults(lim)
	if err := ctx.Err(); err != nil {
		return nil, zipfile.Canceled(err)
	}
	a, err := zipfile.Open(data, lim, "OFD")
	if err != nil {
		return nil, err
	}
	entry, ok := a.Lookup("OFD.xml")
	if !ok {
		return nil, corpus.Errorf(corpus.EINVALID, "OFD 文件已损坏：缺少 OFD.xml；请用 OFD 阅读器打开后重新导出再上传")
	}
	info, err := readOFD(ctx, a, entry)
	if err != nil {
		return nil, err
	}
	docName, ok := a.Resolve(info.root)
	if !ok {
		docName, ok = a.Lookup("Doc_0/Document.xml")
	}
	if !ok {
		return nil, corpus.Errorf(corpus.EINVALID, "OFD 文件已损坏：找不到文档描述文件 %s；请用 OFD 阅读器打开后重新导出再上传", orDefault(info.root, "Document.xml"))
	}
	doc, err := readDocument(ctx, a, docName)
	if err != nil {
		return nil, err
	}
	if len(doc.pages) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "OFD 文件中没有页面；请确认文件完整后再上传")
	}
	if len(doc.pages) > lim.MaxPages {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "OFD 文件有 %d 页，超过 %d 页上限；请拆分后再上传", len(doc.pages), lim.MaxPages)
	}
	ex := &extractor{a: a, doc: doc, maxText: lim.MaxTextSize, templates: map[string]*content{}}
	src = &corpus.Source{Format: corpus.FormatOFD, Pages: len(doc.pages), Meta: meta(info)}
	for i, loc := range doc.pages {
		lines, err := ex.page(ctx, loc)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			l.Page = i + 1
			src.Blocks = append(src.Blocks, l)
		}
	}
	if len(src.Blocks) == 0 {
		if ex.images > 0 {
			return nil, corpus.Errorf(corpus.EINVALID, "这是扫描件：OFD 文件只有图片，没有文字层，无法检索；请上传带文字的版本，或先用 OCR 软件识别文字")
		}
		return nil, corpus.Errorf(corpus.EINVALID, "OFD 文件中没有文字内容；请确认文件完整后再上传")
	}
	return src, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readOFD reads OFD.xml: the first DocBody's DocInfo and DocRoot.
func readOFD(ctx context.Context, a *zipfile.Archive, name string) (docInfo, error) {
	var info docInfo
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return info, err
	}
	var field *string
	bodies := 0
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return info, err
		}
		switch k {
		case zipfile.Start:
			field = nil
			switch d.Local() {
			case "DocBody":
				bodies++
				if bodies > 1 {
					if err := d.Skip(); err != nil {
						return info, err
					}
				}
			case "Title":
				field = &info.title
			case "Author":
				field = &info.author
			case "CreationDate":
				field = &info.created
			case "DocRoot":
				field = &info.root
			case "CustomDatas", "Keywords":
				if err := d.Skip(); err != nil {
					return info, err
				}
			}
		case zipfile.Text:
			if field != nil && len(*field) < 4096 {
				*field += string(d.Text())
			}
		case zipfile.End:
			field = nil
		}
	}
	info.title = strings.Join(strings.Fields(info.title), " ")
	info.author = strings.TrimSpace(info.author)
	info.root = strings.TrimSpace(info.root)
	return info, nil
}

// readDocument reads Document.xml.
func readDocument(ctx context.Context, a *zipfile.Archive, name string) (*document, error) {
	doc := &document{name: name, width: a4Width, height: a4Height, templates: map[string]string{}}
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return nil, err
	}
	inArea := false
	var box strings.Builder
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch k {
		case zipfile.Start:
			switch d.Local() {
			case "PageArea":
				inArea = true
			case "Page":
				if loc := d.Attr("BaseLoc"); loc != "" {
					doc.pages = append(doc.pages, loc)
				}
			case "TemplatePage":
				if id, loc := d.Attr("ID"), d.Attr("BaseLoc"); id != "" && loc != "" {
					doc.templates[id] = loc
				}
			case "Outlines", "Permissions", "Actions", "VPreferences", "Bookmarks":
				if err := d.Skip(); err != nil {
					return nil, err
				}
			}
		case zipfile.Text:
			if inArea && box.Len() < 256 {
				box.Write(d.Text())
			}
		case zipfile.End:
			if d.Local() == "PhysicalBox" && inArea {
				if f := floats(box.String()); len(f) == 4 && f[2] > 0 && f[3] > 0 {
					doc.width, doc.height = f[2], f[3]
				}
				box.Reset()
			}
			if d.Local() == "PageArea" {
				inArea = false
			}
		}
	}
	return doc, nil
}

// meta is the Source metadata of DocInfo.
func meta(info docInfo) corpus.SourceMeta {
	m := corpus.SourceMeta{Title: info.title, Date: isoDate(info.created)}
	if isBody(info.author) {
		m.Issuer = info.author
	}
	return m
}

// isBody reports whether an author names a public body (a 局, 委员会 …)
// rather than a person or the software that wrote the file.
func isBody(s string) bool {
	if s == "" || strings.ContainsAny(s, "©®@0123456789") {
		return false
	}
	for _, suf := range []string{"局", "厅", "委员会", "委", "办公室", "办公厅", "政府", "部", "院", "中心", "署", "会", "公司", "处", "所"} {
		if strings.HasSuffix(s, suf) && len([]rune(s)) >= 4 {
			return true
		}
	}
	return false
}

// isoDate normalises an xs:date ("2023-7-12", "2020-01-25T…") to
// YYYY-MM-DD, or returns "".
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "T "); i >= 0 {
		s = s[:i]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 {
		return ""
	}
	y, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	d, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// floats parses a list of numbers separated by blanks or commas; it
// stops at the first that is not a number.
func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' }) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			break
		}
		out = append(out, v)
	}
	return out
}

// resolve finds a part referred to from the part called from.
func resolve(a *zipfile.Archive, ref, from, docDir string) (string, bool) {
	if name, ok := a.Resolve(ref, path.Dir(from), docDir); ok {
		return name, true
	}
	// A page given as its directory ("Pages/Page_0").
	return a.Resolve(strings.TrimSuffix(ref, "/")+"/Content.xml", path.Dir(from), docDir)
}
