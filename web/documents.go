package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/corpus"
)

// CodeForbidden is the error code of a 403 answer of the document API:
// the request carries an admin token, but not the right one.
const CodeForbidden = "forbidden"

// UploadOrigin is the origin of the files added through the document
// API (corpus.Collection.Add).
const UploadOrigin = "upload"

// maxUploadName is the longest file name an upload may give, in bytes
// (what most file systems allow).
const maxUploadName = 255

// Paths of the document API.
const (
	documentsPath = "/api/documents"
	documentPath  = "/api/documents/:id"
)

// errForbidden is returned for document API requests with a wrong token.
var errForbidden = echo.NewHTTPError(http.StatusForbidden)

// documents serves the document API (upload, removal, token check) and
// the admin page over a changing collection.
type documents struct {
	token [sha256.Size]byte
	col   corpus.Collection
	// maxFile is the size limit of one uploaded file, maxBody of an
	// upload's body (MaxUploadBytes; tests lower both).
	maxFile, maxBody int64
}

func newDocuments(token string, col corpus.Collection) *documents {
	return &documents{token: sha256.Sum256([]byte(token)), col: col,
		maxFile: corpus.DefaultLimits().MaxFileSize, maxBody: MaxUploadBytes}
}

// changeResponse is the body of the document API's answers.
type changeResponse struct {
	Documents []corpus.ChangeResult `json:"documents"`
}

// bearer returns the bearer token of r, and whether it carries one.
func bearer(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get(echo.HeaderAuthorization), "Bearer ")
	tok = strings.TrimSpace(tok)
	return tok, ok && tok != ""
}

// authorized compares the bearer token in constant time (hashes of equal
// length, as the admin API does).
func (d *documents) authorized(tok string) bool {
	got := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(got[:], d.token[:]) == 1
}

// guard answers 401 to requests without a bearer token and 403 to those
// with a wrong one.
func (d *documents) guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		tok, ok := bearer(c.Request())
		if !ok {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="zhengce-admin"`)
			return errUnauthorized
		}
		if !d.authorized(tok) {
			return errForbidden
		}
		return next(c)
	}
}

// isDocumentChange reports whether c is an upload or a removal, whose
// deadline is AdminRequestTimeout.
func isDocumentChange(c echo.Context) bool {
	m := c.Request().Method
	return c.Path() == documentsPath && m == http.MethodPost || c.Path() == documentPath && m == http.MethodDelete
}

// bodyLimit is the largest request body c may send: MaxUploadBytes for
// an upload, MaxBodyBytes for everything else.
func (s *Server) bodyLimit(c echo.Context) (limit int64, upload bool) {
	if s.documents != nil && c.Path() == documentsPath && c.Request().Method == http.MethodPost {
		return s.documents.maxBody, true
	}
	return MaxBodyBytes, false
}

// errBodyTooLarge is the 413 of a body over limit; an upload's says how
// much one upload may carry.
func errBodyTooLarge(limit int64, upload bool) error {
	if !upload {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("上传内容过大：一次最多上传 %s，请分批上传", sizeText(limit)))
}

// sizeText is a byte count for people: 256 MB, 64 KB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

// extendDeadlines lifts the server's read and write timeouts
// (ReadTimeout, WriteTimeout) to AdminRequestTimeout for an authorised
// document change: a 256 MB upload takes longer than 15 s to arrive on a
// slow line, and parsing it longer than 30 s. Requests without the token
// keep the short timeouts, so nobody else can hold a connection open.
func (d *documents) extendDeadlines(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
	if !strings.HasPrefix(r.URL.Path, documentsPath) || r.Method != http.MethodPost && r.Method != http.MethodDelete {
		return
	}
	tok, ok := bearer(r)
	if !ok || !d.authorized(tok) {
		return
	}
	rc := http.NewResponseController(w)
	until := time.Now().Add(AdminRequestTimeout + time.Minute)
	for _, set := range []func(time.Time) error{rc.SetReadDeadline, rc.SetWriteDeadline} {
		if err := set(until); err != nil && !errors.Is(err, http.ErrNotSupported) {
			log.Warn("extending the deadline of a document change", "err", err)
		}
	}
}

// handleCheck answers GET /api/documents/check with 204: the guard let
// the token through. The admin page checks its token with it.
func (d *documents) handleCheck(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.NoContent(http.StatusNoContent)
}

// handleUpload answers POST /api/documents: a multipart/form-data body
// whose "file" parts are documents to index. The body is read as a
// stream, part by part; each file is held in memory up to the corpus's
// file size limit (a larger one is rejected alone, the others go on).
// More than MaxUploadFiles files or a body over MaxUploadBytes is a 413
// and indexes nothing. The answer lists one result per file, in order.
func (d *documents) handleUpload(c echo.Context) error {
	req := c.Request()
	mt, params, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEMultipartForm || params["boundary"] == "" {
		return corpus.Errorf(corpus.EINVALID, "请以 multipart/form-data 上传文件（字段名 file）")
	}
	mr := multipart.NewReader(req.Body, params["boundary"])
	// results holds one entry per file part; the files handed to the
	// collection fill the entries left empty, in order.
	var results []corpus.ChangeResult
	var files []corpus.File
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return uploadError(err)
		}
		if part.FormName() != "file" {
			continue // other fields are ignored (and skipped unread)
		}
		if len(results) == MaxUploadFiles {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("文件过多：一次最多上传 %d 个文件，请分批上传", MaxUploadFiles))
		}
		raw := rawFileName(part)
		name, reason := uploadName(raw)
		if reason != "" {
			results = append(results, corpus.ChangeResult{Source: truncate(strings.ToValidUTF8(raw, "�"), 300), Status: corpus.ChangeRejected, Reason: reason})
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, d.maxFile+1))
		if err != nil {
			return uploadError(err)
		}
		if int64(len(data)) > d.maxFile {
			// the rest of the part is skipped by NextPart, still within
			// the body limit
			results = append(results, corpus.ChangeResult{Source: name, Status: corpus.ChangeRejected,
				Reason: fmt.Sprintf("文件过大，单个文件上限为 %s", sizeText(d.maxFile))})
			continue
		}
		results = append(results, corpus.ChangeResult{})
		files = append(files, corpus.File{Name: name, Data: data})
	}
	if len(results) == 0 {
		return corpus.Errorf(corpus.EINVALID, "没有收到文件：请在字段 file 中上传一个或多个文件")
	}
	if len(files) > 0 {
		added, err := d.col.Add(req.Context(), UploadOrigin, files)
		if err != nil {
			return err
		}
		results = mergeResults(results, added)
	}
	return c.JSON(http.StatusOK, changeResponse{Documents: results})
}

// mergeResults puts the collection's results, one per file handed to it,
// into the empty entries of results. Should the collection answer with
// another number of results, they are appended instead.
func mergeResults(results, added []corpus.ChangeResult) []corpus.ChangeResult {
	empty := 0
	for _, r := range results {
		if r.Status == "" {
			empty++
		}
	}
	if empty != len(added) {
		out := make([]corpus.ChangeResult, 0, len(results)+len(added))
		for _, r := range results {
			if r.Status != "" {
				out = append(out, r)
			}
		}
		return append(out, added...)
	}
	i := 0
	for j := range results {
		if results[j].Status == "" {
			results[j] = added[i]
			i++
		}
	}
	return results
}

// uploadError maps an error reading the upload body: over MaxUploadBytes
// it is a 413 (errors.go), anything else a malformed body.
func uploadError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errBodyTooLarge(mb.Limit, true)
	}
	return &corpus.Error{Code: corpus.EINVALID, Message: "上传内容格式无效或不完整", Err: err}
}

// rawFileName is the filename parameter of a part's Content-Disposition
// as the client sent it (Part.FileName strips directories only with the
// server's path separator).
func rawFileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return p.FileName()
	}
	return params["filename"]
}

// uploadName returns the name under which an uploaded file is indexed:
// the base name of what the client sent, whatever directories (/ or \)
// it named. A name that is empty, . or .., too long, not UTF-8 or with
// control characters is refused with a reason.
func uploadName(raw string) (name, reason string) {
	name = raw
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "" || name == "." || name == "..":
		return "", "文件名无效：缺少文件名"
	case len(name) > maxUploadName:
		return "", fmt.Sprintf("文件名过长（最多 %d 字节）", maxUploadName)
	case !utf8.ValidString(name):
		return "", "文件名无效：不是 UTF-8 编码"
	case strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }):
		return "", "文件名无效：包含控制字符"
	}
	return name, ""
}

// handleRemove answers DELETE /api/documents/{id}: the document is
// removed from the collection; an unknown id is a 404.
func (d *documents) handleRemove(c echo.Context) error {
	id, err := idParam(c.Param("id"), "文档编号")
	if err != nil {
		return err
	}
	res, err := d.col.Remove(c.Request().Context(), []string{id})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, changeResponse{Documents: nonNil(res)})
}

// adminPage is the data of /admin.
type adminPage struct {
	layout
	MaxFiles    int
	MaxFileSize string
	MaxUpload   string
}

// handleAdminPage renders /admin, the page that uploads and removes
// documents. It holds no data: the page's script asks for the token and
// talks to the document API.
func (s *Server) handleAdminPage(c echo.Context) error {
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	return s.render(c, http.StatusOK, "admin", adminPage{
		layout:      s.layout("文档管理", "admin"),
		MaxFiles:    MaxUploadFiles,
		MaxFileSize: sizeText(s.documents.maxFile),
		MaxUpload:   sizeText(MaxUploadBytes),
	})
}
