package pdf

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/zhengce/zhengce/corpus"
)

// Thresholds of scanned-page detection.
const (
	// minTextRunes is the number of characters below which a page has no
	// real text layer (a scanner's watermark, a page number).
	minTextRunes = 20
	// minImageCover is the share of the page an image must cover for a
	// page without text to count as a scan.
	minImageCover = 0.3
)

// Read extracts the text of a PDF file: every page's text layer as
// BlockLine blocks with their geometry in points, and the text of scanned
// pages through OCR when the Reader has an engine. It implements
// corpus.Reader.
func (r *Reader) Read(ctx context.Context, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, &corpus.Error{Code: corpus.EINVALID,
				Message: "PDF 文件结构异常，解析失败：文件可能已损坏，请用 PDF 阅读器另存后重试",
				Err:     fmt.Errorf("pdf: panic: %v", p)}
		}
	}()
	if len(data) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "PDF 文件是空的（0 字节）：请检查文件是否完整")
	}
	if lim.MaxFileSize > 0 && int64(len(data)) > lim.MaxFileSize {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "PDF 文件大小 %s 超过上限 %s：请拆分后再导入",
			sizeText(int64(len(data))), sizeText(lim.MaxFileSize))
	}
	if lim.PerFileTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.PerFileTimeout)
		defer cancel()
	}
	pool, err := r.runtime()
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "PDF 解析组件无法启动", Err: err}
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, timeoutError(lim, ctx.Err())
		}
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "PDF 解析组件无法启动", Err: err}
	}
	// A call running when ctx is done is interrupted by killing the
	// instance (the runtime closes the module on its context).
	killed := make(chan error, 1)
	stop := context.AfterFunc(ctx, func() { killed <- inst.Kill() })
	src, panicked, err := r.safeRead(ctx, inst, data, lim)
	if !stop() {
		kerr := <-killed
		return nil, timeoutError(lim, errors.Join(ctx.Err(), kerr, err))
	}
	if panicked {
		// The instance's state is unknown: discard it; the pool makes a
		// new one.
		if kerr := inst.Kill(); kerr != nil {
			err = errors.Join(err, kerr)
		}
		return nil, err
	}
	if cerr := inst.Close(); cerr != nil && err == nil {
		return nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "PDF 解析组件出错", Err: cerr}
	}
	if err != nil && ctx.Err() != nil {
		return nil, timeoutError(lim, errors.Join(ctx.Err(), err))
	}
	return src, err
}

// safeRead runs read and turns a panic into an EINVALID error.
func (r *Reader) safeRead(ctx context.Context, inst pdfium.Pdfium, data []byte, lim corpus.Limits) (src *corpus.Source, panicked bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, panicked, err = nil, true, &corpus.Error{Code: corpus.EINVALID,
				Message: "PDF 文件结构异常，解析失败：文件可能已损坏，请用 PDF 阅读器另存后重试",
				Err:     fmt.Errorf("pdf: panic: %v", p)}
		}
	}()
	src, err = r.read(ctx, inst, data, lim)
	return src, false, err
}

// timeoutError is the error of a Read that ran out of time.
func timeoutError(lim corpus.Limits, err error) error {
	msg := "读取此 PDF 超时：文件可能页数过多或结构异常，请拆分后重试"
	if lim.PerFileTimeout > 0 {
		msg = fmt.Sprintf("读取此 PDF 超过了时间上限（%s）：文件可能页数过多或结构异常，请拆分后重试", lim.PerFileTimeout)
	}
	return &corpus.Error{Code: corpus.ETIMEOUT, Message: msg, Err: err}
}

// sizeText formats a byte count for a message.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// openError turns PDFium's failure to open a document into the reason a
// user reads.
func openError(err error) error {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword):
		return &corpus.Error{Code: corpus.EINVALID,
			Message: "此 PDF 已加密，需要密码才能打开：请提供未加密的文件（在 PDF 阅读器中输入密码后另存为不加密的副本）",
			Err:     err}
	case errors.Is(err, pdfiumerrors.ErrSecurity):
		return &corpus.Error{Code: corpus.EINVALID,
			Message: "此 PDF 使用了不支持的加密方式，无法读取：请提供未加密的文件",
			Err:     err}
	case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile):
		return &corpus.Error{Code: corpus.EINVALID,
			Message: "文件不是有效的 PDF，或已损坏、不完整：请重新下载或用 PDF 阅读器另存后重试",
			Err:     err}
	}
	return &corpus.Error{Code: corpus.EINVALID,
		Message: "PDF 文件无法打开：文件可能已损坏，请重新下载或用 PDF 阅读器另存后重试",
		Err:     err}
}

// read extracts the document with one PDFium instance.
func (r *Reader) read(ctx context.Context, inst pdfium.Pdfium, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, openError(err)
	}
	doc := opened.Document
	defer func() {
		if _, cerr := inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc}); cerr != nil && err == nil {
			src, err = nil, &corpus.Error{Code: corpus.EINTERNAL, Message: "PDF 解析组件出错", Err: fmt.Errorf("closing document: %w", cerr)}
		}
	}()
	pc, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		return nil, openError(err)
	}
	n := pc.PageCount
	if n <= 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "PDF 文件没有页面：文件可能已损坏或不完整")
	}
	if lim.MaxPages > 0 && n > lim.MaxPages {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "PDF 共 %d 页，超过上限 %d 页：请拆分后再导入", n, lim.MaxPages)
	}
	src = &corpus.Source{Format: corpus.FormatPDF, Pages: n, Meta: metadata(inst, doc)}
	var (
		textSize int64
		scans    []int // 0-based indexes of scanned pages
		garbled  int   // how many of them have an undecodable text layer
	)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := r.page(inst, doc, i)
		if err != nil {
			return nil, &corpus.Error{Code: corpus.EINVALID,
				Message: fmt.Sprintf("PDF 第 %d 页无法解析：文件可能已损坏", i+1), Err: err}
		}
		if p.scan {
			scans = append(scans, i)
			if p.garbled {
				garbled++
			}
			continue
		}
		for _, l := range p.lines {
			textSize += int64(len(l.Text)) + 1
			if lim.MaxTextSize > 0 && textSize > lim.MaxTextSize {
				return nil, corpus.Errorf(corpus.ETOOLARGE, "PDF 的文字超过上限 %s：请拆分后再导入", sizeText(lim.MaxTextSize))
			}
		}
		src.Blocks = append(src.Blocks, p.lines...)
	}
	if len(scans) == 0 {
		if len(src.Blocks) == 0 {
			return nil, corpus.Errorf(corpus.EINVALID, "PDF 中没有可提取的文字（页面为空）：请检查文件内容")
		}
		return src, nil
	}
	if r.opts.OCR == nil {
		if len(src.Blocks) > 0 {
			// Some pages have text: keep them; the scanned ones cannot be
			// read without OCR.
			return src, nil
		}
		if garbled == len(scans) {
			return nil, corpus.Errorf(corpus.EINVALID,
				"此 PDF 的文字无法解码（字体缺少 Unicode 映射，提取出的是乱码），需要 OCR 才能检索：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim 后重新索引，或提供由原文档重新导出的 PDF")
		}
		return nil, corpus.Errorf(corpus.EINVALID,
			"此 PDF 是扫描件（页面只有图片，没有文字层），需要 OCR 才能检索：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim 后重新索引")
	}
	if lim.MaxOCRPages > 0 && len(scans) > lim.MaxOCRPages {
		return nil, corpus.Errorf(corpus.ETOOLARGE,
			"此 PDF 有 %d 页扫描页，超过 OCR 上限 %d 页：请拆分后再导入", len(scans), lim.MaxOCRPages)
	}
	ocrBlocks, err := r.ocrPages(ctx, inst, doc, scans, lim, textSize)
	if err != nil {
		return nil, err
	}
	src.Blocks = mergePages(src.Blocks, ocrBlocks)
	src.OCR = true
	if len(src.Blocks) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "此 PDF 是扫描件，OCR 没有识别出文字：请检查扫描质量或提供有文字层的文件")
	}
	return src, nil
}

// mergePages merges two lists of blocks, each in page order, into one in
// page order.
func mergePages(a, b []corpus.Block) []corpus.Block {
	out := make([]corpus.Block, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].Page < a[0].Page {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}

// pageText is the text layer of one page, or the finding that it is a
// scan.
type pageText struct {
	lines   []corpus.Block
	scan    bool
	garbled bool // a text layer without Unicode mapping, not an image
}

// page extracts the lines of page i (0-based).
func (r *Reader) page(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (pt pageText, err error) {
	lp, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return pageText{}, fmt.Errorf("loading page %d: %w", i+1, err)
	}
	pg := requests.Page{ByReference: &lp.Page}
	defer func() {
		if _, cerr := inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: lp.Page}); cerr != nil && err == nil {
			pt, err = pageText{}, fmt.Errorf("closing page %d: %w", i+1, cerr)
		}
	}()
	ph, err := inst.FPDF_GetPageHeightF(&requests.FPDF_GetPageHeightF{Page: pg})
	if err != nil {
		return pageText{}, fmt.Errorf("page %d height: %w", i+1, err)
	}
	height := float64(ph.PageHeight)
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: pg})
	if err != nil {
		return pageText{}, fmt.Errorf("page %d text: %w", i+1, err)
	}
	defer func() {
		if _, cerr := inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage}); cerr != nil && err == nil {
			pt, err = pageText{}, fmt.Errorf("closing text of page %d: %w", i+1, cerr)
		}
	}()
	cc, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return pageText{}, fmt.Errorf("page %d char count: %w", i+1, err)
	}
	gs, kept, unmapped, err := runs(inst, tp.TextPage, cc.Count, height)
	if err != nil {
		return pageText{}, fmt.Errorf("page %d: %w", i+1, err)
	}
	// A page whose characters are mostly unmappable (fonts without a
	// ToUnicode map) has no usable text layer: like a scan, only OCR can
	// read it.
	if unmapped > kept {
		return pageText{scan: true, garbled: true}, nil
	}
	if kept < minTextRunes {
		scan, err := scanned(inst, pg, float64(ph.PageHeight))
		if err != nil {
			return pageText{}, err
		}
		if scan {
			return pageText{scan: true}, nil
		}
	}
	lines := buildLines(gs)
	out := make([]corpus.Block, 0, len(lines))
	for _, l := range lines {
		y := l.bottom
		// The baseline of the line's first glyph; the loose box's bottom
		// (the font's descent) when PDFium cannot tell.
		if o, err := inst.FPDFText_GetCharOrigin(&requests.FPDFText_GetCharOrigin{TextPage: tp.TextPage, Index: l.glyphs[0].idx}); err == nil {
			if by := height - o.Y; by >= l.top && by <= l.bottom {
				y = by
			}
		}
		out = append(out, corpus.Block{Kind: corpus.BlockLine, Text: l.text, Page: i + 1,
			X0: round2(l.x0), X1: round2(l.x1), Y: round2(y), Size: round2(l.size)})
	}
	return pageText{lines: out}, nil
}

// round2 rounds a coordinate to 1/100 point.
func round2(v float64) float64 {
	return float64(int64(v*100+0.5)) / 100
}

// scanned reports whether a page without a text layer is a scan: an image
// (or a form XObject, which scanners use to wrap one) covers a good part
// of it.
func scanned(inst pdfium.Pdfium, pg requests.Page, height float64) (bool, error) {
	pw, err := inst.FPDF_GetPageWidthF(&requests.FPDF_GetPageWidthF{Page: pg})
	if err != nil {
		return false, fmt.Errorf("page width: %w", err)
	}
	area := float64(pw.PageWidth) * height
	co, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: pg})
	if err != nil {
		return false, fmt.Errorf("page objects: %w", err)
	}
	var covered float64
	for k := range co.Count {
		obj, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: pg, Index: k})
		if err != nil {
			return false, fmt.Errorf("page object %d: %w", k, err)
		}
		t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj.PageObject})
		if err != nil {
			return false, fmt.Errorf("page object %d type: %w", k, err)
		}
		if t.Type != enums.FPDF_PAGEOBJ_IMAGE && t.Type != enums.FPDF_PAGEOBJ_FORM {
			continue
		}
		b, err := inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: obj.PageObject})
		if err != nil {
			continue
		}
		covered += float64(b.Right-b.Left) * float64(b.Top-b.Bottom)
		if area <= 0 || covered >= minImageCover*area {
			return true, nil
		}
	}
	return false, nil
}

// metadata reads the Info dictionary's title and creation date. The title
// is weak: producers often leave a file name or a template's title there.
func metadata(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) corpus.SourceMeta {
	var m corpus.SourceMeta
	if t, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc, Tag: "Title"}); err == nil {
		m.Title = cleanTitle(t.Value)
	}
	if d, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc, Tag: "CreationDate"}); err == nil {
		m.Date = pdfDate(d.Value)
	}
	return m
}

// titleJunk matches what producers put around a file name used as title.
var titleJunk = regexp.MustCompile(`(?i)^(microsoft (word|excel|powerpoint) - )|\.(docx?|wps|pdf|xlsx?|txt|ofd)$`)

// cleanTitle returns a usable Info title: valid text, without a Word
// printer's "Microsoft Word - " prefix or a file extension; "" when
// nothing is left or it is not text.
func cleanTitle(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if strings.ContainsRune(s, utf8.RuneError) {
		return ""
	}
	s = strings.TrimSpace(titleJunk.ReplaceAllString(s, ""))
	var b strings.Builder
	for _, r := range s {
		if rr, _ := mapRune(uint(r)); rr >= 0 || r == ' ' {
			b.WriteRune(r)
		}
	}
	s = strings.Join(strings.Fields(b.String()), " ")
	if utf8.RuneCountInString(s) > 200 {
		return ""
	}
	return s
}

// pdfDate turns a PDF date (D:YYYYMMDDHHmmSS…) into YYYY-MM-DD, or "" when
// it is not a plausible date.
func pdfDate(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 8 {
		return ""
	}
	t, err := time.Parse("20060102", s[:8])
	if err != nil || t.Year() < 1980 || t.Year() > 2100 {
		return ""
	}
	return t.Format("2006-01-02")
}
