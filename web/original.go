package web

import (
	"mime"
	"net/http"
	"net/url"
	"path"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
)

// originalURL is the download link of the file a document was read from.
func originalURL(d *corpus.Document) string {
	if d.Source == "" {
		return ""
	}
	return "/files/" + url.PathEscape(d.ID)
}

// handleOriginal serves GET /files/{doc_id}: the original file of a
// document, with the Content-Type of its format and its file name (Chinese
// names included, RFC 6266 filename*) for saving.
func (s *Server) handleOriginal(c echo.Context) error {
	cp := s.docs()
	d, err := docParamIn(c, cp)
	if err != nil {
		return err
	}
	data, format, err := cp.Original(c.Request().Context(), d.ID)
	if err != nil {
		return err
	}
	name := path.Base(d.Source)
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	// A saved web page is served as a download, never rendered on this
	// site's origin.
	h.Set("Content-Security-Policy", "sandbox")
	return c.Blob(http.StatusOK, format.ContentType(), data)
}
