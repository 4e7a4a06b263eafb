package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/search"
	"github.com/zhengce/zhengce/search/export"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templates holds one parsed template set per page, each the layout plus
// the page's own definitions.
type templates struct {
	pages map[string]*template.Template
}

var templateFuncs = template.FuncMap{
	"marked":    markedHTML,
	"add":       func(a, b int) int { return a + b },
	"point":     pointText,
	"typeName":  typeName,
	"joinCrumb": func(b []string) string { return strings.Join(b, " › ") },
	"unitLink":  func(id string) string { return "/c/" + id },
	"unitURL":   permalink,
	"kindName":  kindName,
	"themeTags": themeTags,
	// maxQuery is the maxlength of query inputs: the query language's
	// own limit, so the browser stops where the server would refuse.
	"maxQuery": func() int { return search.MaxQueryRunes },
}

func parseTemplates() (*templates, error) {
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := clone.ParseFS(templateFS, n); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		t.pages[name] = clone
	}
	return t, nil
}

// layout is the data every page shares.
type layout struct {
	Title   string // page title, before " - 政策检索"
	Active  string // nav entry to highlight
	Q       string // query shown in the header search box
	Version string // asset version for cache busting
	Stats   corpusStats
}

func (s *Server) layout(title, active string) layout {
	return layout{Title: title, Active: active, Version: s.static.version, Stats: s.stats()}
}

// render executes page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(c echo.Context, status int, page string, data any) error {
	t, ok := s.tmpl.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	if status < http.StatusBadRequest {
		// past the deadline, the work is lost: answer 504 now (error
		// pages are rendered regardless)
		if err := c.Request().Context().Err(); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.HTMLBlob(status, stripBidi(buf.Bytes()))
}

// stripBidi removes the bidirectional control characters
// (export.IsBidiControl: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C) from a rendered page, in place. Document titles, citations and
// text come from files anyone may write; one U+202E in a title would
// reverse the rest of the line, in <title>, in a data-citation attribute
// copied to the clipboard, anywhere. No page of zhengce needs them: the
// text is Chinese. All of them are three bytes in UTF-8 but U+061C (two).
func stripBidi(b []byte) []byte {
	if !bytes.ContainsFunc(b, export.IsBidiControl) {
		return b
	}
	out := b[:0]
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if !export.IsBidiControl(r) {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// staticFiles are the embedded assets, served by exact name only (no
// directory listing, no file system access).
type staticFiles struct {
	files   map[string][]byte
	version string
}

func loadStatic() (*staticFiles, error) {
	sf := &staticFiles{files: map[string][]byte{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sf.files[e.Name()] = b
		h.Write([]byte(e.Name()))
		h.Write(b)
	}
	sf.version = hex.EncodeToString(h.Sum(nil))[:12]
	return sf, nil
}

func (s *Server) handleStatic(c echo.Context) error {
	name := c.Param("name")
	b, ok := s.static.files[name]
	if !ok {
		return corpus.Errorf(corpus.ENOTFOUND, "文件不存在：%s", truncate(name, 100))
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := c.Response().Header()
	etag := `"` + s.static.version + `"`
	h.Set("ETag", etag)
	if c.QueryParam("v") == s.static.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, ct, b)
}

// markedHTML returns highlighted HTML produced by the search engine as
// safe HTML, after making sure it holds no markup other than <mark>:
// every other '<' and '>' is escaped. Defence in depth: the engine already
// escapes document text.
func markedHTML(s string) template.HTML {
	var b strings.Builder
	for s != "" {
		i := strings.IndexAny(s, "<>")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<mark>"):
			b.WriteString("<mark>")
			s = s[len("<mark>"):]
		case strings.HasPrefix(s, "</mark>"):
			b.WriteString("</mark>")
			s = s[len("</mark>"):]
		case s[0] == '<':
			b.WriteString("&lt;")
			s = s[1:]
		default:
			b.WriteString("&gt;")
			s = s[1:]
		}
	}
	return template.HTML(balanceMarks(b.String()))
}

// balanceMarks drops unmatched </mark> and closes unclosed <mark>, so a
// fragment never leaves the rest of the page highlighted.
func balanceMarks(s string) string {
	var b strings.Builder
	open := false
	for s != "" {
		i := strings.Index(s, "<")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "<mark>") {
			if !open {
				b.WriteString("<mark>")
				open = true
			}
			s = s[len("<mark>"):]
		} else {
			if open {
				b.WriteString("</mark>")
				open = false
			}
			s = s[len("</mark>"):]
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}

// typeName is the Simplified Chinese name of a unit type.
func typeName(t string) string { return corpus.UnitType(t).Name() }
