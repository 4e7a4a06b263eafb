package pdf

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/zhengce/zhengce/corpus"
)

// minOCRConf is the mean word confidence below which an OCR line is
// noise (specks, stamps, a signature) and is dropped.
const minOCRConf = 30

// ocrPages renders the scanned pages (0-based indexes) and recognises
// their text; textSize is the size of the text already extracted, counted
// against lim.MaxTextSize.
func (r *Reader) ocrPages(ctx context.Context, inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, pages []int, lim corpus.Limits, textSize int64) ([]corpus.Block, error) {
	var out []corpus.Block
	for _, i := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, dpi, err := r.render(inst, doc, i)
		if err != nil {
			return nil, &corpus.Error{Code: corpus.EINVALID,
				Message: fmt.Sprintf("PDF 第 %d 页（扫描页）无法渲染：文件可能已损坏", i+1), Err: err}
		}
		lines, err := r.opts.OCR.Recognize(ctx, img)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, &corpus.Error{Code: corpus.EINTERNAL,
				Message: fmt.Sprintf("PDF 第 %d 页（扫描页）OCR 识别失败", i+1), Err: err}
		}
		scale := 72 / float64(dpi) // pixels to points
		for _, l := range lines {
			if l.Conf < minOCRConf {
				continue
			}
			textSize += int64(len(l.Text)) + 1
			if lim.MaxTextSize > 0 && textSize > lim.MaxTextSize {
				return nil, corpus.Errorf(corpus.ETOOLARGE, "PDF 的文字超过上限 %s：请拆分后再导入", sizeText(lim.MaxTextSize))
			}
			out = append(out, corpus.Block{Kind: corpus.BlockLine, Text: l.Text, Page: i + 1,
				X0: round2(float64(l.Left) * scale), X1: round2(float64(l.Right) * scale),
				Y: round2(float64(l.Bottom) * scale), Size: round2(float64(l.Bottom-l.Top) * scale)})
		}
	}
	return out, nil
}

// maxOCRPixels bounds the size of a page image sent to OCR (a 300 dpi A3
// page has 17.5 million pixels); larger pages are rendered at a lower
// resolution.
const maxOCRPixels = 40_000_000

// render renders page i (0-based) in grey at the OCR resolution, lower
// for pages so large that the image would exceed maxOCRPixels, and
// encodes it as PNG. It returns the resolution used.
func (r *Reader) render(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) ([]byte, int, error) {
	pg := requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}
	dpi := r.opts.OCRDPI
	size, err := inst.GetPageSize(&requests.GetPageSize{Page: pg})
	if err != nil {
		return nil, 0, fmt.Errorf("page %d size: %w", i+1, err)
	}
	if px := size.Width * size.Height * float64(dpi*dpi) / (72 * 72); px > maxOCRPixels {
		dpi = int(float64(dpi) * math.Sqrt(maxOCRPixels/px))
	}
	if dpi < 10 {
		return nil, 0, fmt.Errorf("page %d is too large to render (%.0f×%.0f pt)", i+1, size.Width, size.Height)
	}
	res, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
		Page:        pg,
		DPI:         dpi,
		ImageFormat: requests.RenderImageFormatGrayscale,
	})
	if err != nil {
		return nil, 0, fmt.Errorf("rendering page %d: %w", i+1, err)
	}
	defer res.Cleanup()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, res.Result.RenderedImage); err != nil {
		return nil, 0, fmt.Errorf("encoding page %d: %w", i+1, err)
	}
	return buf.Bytes(), dpi, nil
}
