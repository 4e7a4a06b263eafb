package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/klippa-app/go-pdfium/requests"
)

// scanFixture is an image-only PDF: the first page of testdata p01
// rendered by PDFium at scanDPI in grey, wrapped as a Flate-compressed
// image in a hand-built one-page PDF. TestGenerateScanFixture makes it:
//
//	ZHENGCE_GEN_SCAN=1 go test -run TestGenerateScanFixture ./corpus/pdf
const (
	scanFixture = "testdata/scanned_p01_page1.pdf"
	scanDPI     = 150
)

// TestGenerateScanFixture writes scanFixture; it runs only when
// ZHENGCE_GEN_SCAN is set, the file being committed.
func TestGenerateScanFixture(t *testing.T) {
	if os.Getenv("ZHENGCE_GEN_SCAN") == "" {
		t.Skip("set ZHENGCE_GEN_SCAN=1 to regenerate " + scanFixture)
	}
	data, err := os.ReadFile(p01)
	if err != nil {
		t.Fatal(err)
	}
	r := New(Options{})
	defer r.Close()
	pool, err := r.runtime()
	if err != nil {
		t.Fatal(err)
	}
	inst, err := pool.GetInstanceWithContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
		Page:        requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: 0}},
		DPI:         scanDPI,
		ImageFormat: requests.RenderImageFormatGrayscale,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Cleanup()
	img, ok := res.Result.RenderedImage.(*image.Gray)
	if !ok {
		t.Fatalf("rendered %T, want *image.Gray", res.Result.RenderedImage)
	}
	out := imagePDF(img, 72*float64(img.Rect.Dx())/scanDPI, 72*float64(img.Rect.Dy())/scanDPI)
	if err := os.WriteFile(filepath.FromSlash(scanFixture), out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d×%d px, %d bytes", scanFixture, img.Rect.Dx(), img.Rect.Dy(), len(out))
}

// imagePDF returns a one-page PDF of w×h points showing img over the whole
// page, and nothing else.
func imagePDF(img *image.Gray, w, h float64) []byte {
	var raw bytes.Buffer
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		off := img.PixOffset(img.Rect.Min.X, y)
		raw.Write(img.Pix[off : off+img.Rect.Dx()])
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(raw.Bytes())
	zw.Close()
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", w, h)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", w, h),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
			img.Rect.Dx(), img.Rect.Dy(), z.Len(), z.Bytes()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Producer (zhengce corpus/pdf fixture_test.go) >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, len(objs), xref)
	return b.Bytes()
}
